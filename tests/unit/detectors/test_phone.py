"""Phone numbers: Korean mobiles and landlines, international numbers, all
confirmed by phonenumbers; digit runs and dates are not phones."""

from __future__ import annotations

import pytest

from privwatch.detectors import PhoneDetector, Validation
from tests.unit.detectors.numbers import found, score_of

VALID = Validation.VALID


@pytest.fixture(scope="module")
def detector() -> PhoneDetector:
    return PhoneDetector()


def one(value: str) -> list[tuple[str, Validation]]:
    return [(value, VALID)]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("010-2345-6789", one("010-2345-6789"), id="mobile hyphens"),
        pytest.param("010 2345 6789", one("010 2345 6789"), id="mobile spaces"),
        pytest.param("010.2345.6789", one("010.2345.6789"), id="mobile dots"),
        pytest.param("01023456789", one("01023456789"), id="mobile bare"),
        pytest.param("011-234-5678", one("011-234-5678"), id="old 011 prefix"),
        pytest.param("02-2345-6789", one("02-2345-6789"), id="seoul landline"),
        pytest.param("(02) 345-6789", one("(02) 345-6789"), id="area code in brackets"),
        pytest.param("031-234-5678", one("031-234-5678"), id="gyeonggi landline"),
        pytest.param("070-1234-5678", one("070-1234-5678"), id="internet phone"),
        pytest.param("+82 10-2345-6789", one("+82 10-2345-6789"), id="+82 mobile"),
        pytest.param("+821023456789", one("+821023456789"), id="e164"),
        pytest.param("821023456789", one("821023456789"), id="country code, no plus"),
        pytest.param("+1 (415) 555-2671", one("+1 (415) 555-2671"), id="us number"),
        pytest.param("+44 20 7946 0958", one("+44 20 7946 0958"), id="uk number"),
        pytest.param("+86 138 0013 8000", one("+86 138 0013 8000"), id="china mobile"),
        pytest.param(
            "call +82 10 2345 6789 2 times",
            one("+82 10 2345 6789"),
            id="trailing digit group trimmed",
        ),
        pytest.param(
            "번호010-2345-6789입니다", one("010-2345-6789"), id="hangul around"
        ),
        pytest.param("tel=01023456789&x=1", one("01023456789"), id="query"),
        pytest.param(
            "010-2345-6789, 02-345-6789",
            [("010-2345-6789", VALID), ("02-345-6789", VALID)],
            id="two numbers",
        ),
    ],
)
def test_finds(detector: PhoneDetector, text: str, expected: list[object]) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("cid=9901023456789123", id="inside a longer digit run"),
        pytest.param("1901023456789", id="prefixed by a digit"),
        pytest.param("01023456789012", id="too many digits"),
        pytest.param("010-2345-678", id="too few digits"),
        pytest.param("1588-1234", id="eight-digit business number"),
        pytest.param("2024-01-15", id="date"),
        pytest.param("2024-01-15T10:23:45.1234", id="timestamp"),
        pytest.param("0.1.2345.6789", id="version string"),
        pytest.param("q=a+1234567890", id="plus as a space in a form"),
        pytest.param("+2024", id="plus and a year"),
        pytest.param("x010-2345-6789", id="glued to a letter"),
        pytest.param("010-2345-6789x", id="letter after"),
        pytest.param("000-0000-0000", id="zeros"),
        pytest.param("+82 00 0000 0000", id="invalid korean number"),
        pytest.param(
            "+82 00 0000 0000 0000 0000", id="still invalid after trimming twice"
        ),
        pytest.param("+999 1234 5678", id="unknown country code"),
    ],
)
def test_ignores(detector: PhoneDetector, text: str) -> None:
    assert found(detector, text) == []


@pytest.mark.parametrize(
    "text, low, high",
    [
        pytest.param("010-2345-6789", 0.8, 0.9, id="formatted"),
        pytest.param("01023456789", 0.25, 0.35, id="bare mobile, no field"),
        pytest.param("hp=01023456789", 0.75, 0.85, id="bare mobile in a phone field"),
        pytest.param("0223456789", 0.25, 0.35, id="bare landline, no field"),
        pytest.param('{"tel": "0223456789"}', 0.75, 0.85, id="bare landline, tel"),
        pytest.param("821023456789", 0.25, 0.35, id="country code, no plus"),
        pytest.param("ph=821023456789", 0.55, 0.65, id="country code in ph"),
        pytest.param("휴대폰: 01023456789", 0.75, 0.85, id="bare after context"),
        pytest.param(
            '{"phone": {"number": "01023456789"}}', 0.75, 0.85, id="its object's key"
        ),
        pytest.param("phoneNumber=+821023456789", 0.9, 1.0, id="e164 after context"),
    ],
)
def test_scores(detector: PhoneDetector, text: str, low: float, high: float) -> None:
    assert low <= score_of(detector, text) <= high


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("orderNo=01023456789", id="order number"),
        pytest.param('{"goodsNo": "01023456789"}', id="goods number, JSON"),
        pytest.param("prdNo: 0223456789", id="product number, label"),
        pytest.param("주문번호=01023456789", id="Korean label"),
        pytest.param("ord=821023456789", id="cache buster"),
        pytest.param("ref ORD-01023456789 x", id="prefixed order number"),
        pytest.param("20261206-01023456789", id="date-led order number"),
    ],
)
def test_bare_number_in_an_identifier_field_is_no_phone(
    detector: PhoneDetector, text: str
) -> None:
    assert found(detector, text) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"items": [{"sku": "010-2345-6789"}]}', id="SKU, JSON"),
        pytest.param("productCode=010-2345-6789", id="product code, form"),
        pytest.param("items[0].sku: 010-2345-6789", id="a scan's key path label"),
        pytest.param("orderNo=010-2345-6789", id="order number"),
        pytest.param("상품코드: 010-2345-6789", id="Korean product code label"),
        pytest.param("ref ORD-010-2345-6789 x", id="prefixed order number"),
    ],
)
def test_separated_number_in_an_order_or_product_field_is_no_phone(
    detector: PhoneDetector, text: str
) -> None:
    """A SKU or order number written like a phone is the shop's identifier;
    the persona's own number is still found by the persona in any field."""
    assert found(detector, text) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("memo=010-2345-6789", id="hyphenated: a phone in any field"),
        pytest.param("ordered=1&tel=010-2345-6789", id="hyphenated, tel"),
        pytest.param('{"sku": "A1", "tel": "010-2345-6789"}', id="beside a SKU"),
        pytest.param('{"order": {"tel": "010-2345-6789"}}', id="the order's tel"),
        pytest.param("items[0].phone: 010-2345-6789", id="a key path ending in phone"),
        pytest.param("receipt=010-2345-6789", id="a cash receipt's phone"),
        pytest.param("order_tel=01023456789", id="the orderer's phone"),
        pytest.param("order.receiver.hp=01023456789", id="a key path ending in hp"),
    ],
)
def test_phone_fields_and_formats_win(detector: PhoneDetector, text: str) -> None:
    assert len(found(detector, text)) == 1


def test_a_neighbours_phone_key_is_no_context(detector: PhoneDetector) -> None:
    """A bare number's label is its own key: ``tel`` before the field beside
    it does not make the memo's digits a phone."""
    text = '{"tel": "0223456789", "memo": "01023456789"}'
    scores = {d.value: d.score for d in detector.detect(text)}
    assert scores["0223456789"] >= 0.75
    assert scores["01023456789"] <= 0.35
