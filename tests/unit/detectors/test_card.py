"""Payment cards: issuer prefix, length, Luhn, grouping, boundaries."""

from __future__ import annotations

import pytest

from privwatch.detectors import CardDetector, Validation
from tests.unit.detectors.numbers import found, grouped, luhn, score_of

VALID = Validation.VALID
VISA = luhn("4123", 16)
MASTER = luhn("5312", 16)
MASTER_2 = luhn("2221", 16)
AMEX = luhn("3712", 15)
JCB = luhn("3530", 16)
UNIONPAY_19 = luhn("6212", 19)
DINERS = luhn("3056", 14)


@pytest.fixture(scope="module")
def detector() -> CardDetector:
    return CardDetector()


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            grouped(VISA), [(grouped(VISA), VALID)], id="visa in spaced groups"
        ),
        pytest.param(
            grouped(VISA, sep="-"), [(grouped(VISA, sep="-"), VALID)], id="hyphens"
        ),
        pytest.param(VISA, [(VISA, VALID)], id="bare digits"),
        pytest.param(MASTER, [(MASTER, VALID)], id="mastercard"),
        pytest.param(MASTER_2, [(MASTER_2, VALID)], id="mastercard 2-series"),
        pytest.param(
            grouped(AMEX, (4, 6, 5)),
            [(grouped(AMEX, (4, 6, 5)), VALID)],
            id="amex 4-6-5",
        ),
        pytest.param(JCB, [(JCB, VALID)], id="jcb"),
        pytest.param(UNIONPAY_19, [(UNIONPAY_19, VALID)], id="unionpay 19 digits"),
        pytest.param(DINERS, [(DINERS, VALID)], id="diners 14 digits"),
        pytest.param(f"카드번호{VISA}입니다", [(VISA, VALID)], id="hangul around"),
        pytest.param(
            f'{{"card":"{grouped(VISA)}"}}', [(grouped(VISA), VALID)], id="json value"
        ),
        pytest.param(
            f"{grouped(VISA)} 2027", [(grouped(VISA), VALID)], id="followed by a year"
        ),
    ],
)
def test_finds(detector: CardDetector, text: str, expected: list[object]) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(luhn("4123", 16, valid=False), id="luhn fails"),
        pytest.param(luhn("9410", 16), id="unknown prefix 94"),
        pytest.param(luhn("1800", 16), id="prefix 1"),
        pytest.param(luhn("4123", 15), id="visa cannot have 15 digits"),
        pytest.param(luhn("3712", 16), id="amex cannot have 16 digits"),
        pytest.param("12" + VISA, id="inside a longer digit run"),
        pytest.param(VISA + "7", id="seventeen digits for visa"),
        pytest.param("x" + VISA, id="glued to a letter"),
        pytest.param(
            VISA[:4] + " " + VISA[4:8] + "-" + VISA[8:], id="mixed separators"
        ),
        pytest.param(
            grouped(VISA, (2, 2, 2, 2, 2, 2, 2)), id="pairs are not card groups"
        ),
        pytest.param("9901023456789123", id="order id"),
        pytest.param("1732861234567", id="millisecond timestamp"),
        pytest.param("0000 0000 0000 0000", id="zeros"),
    ],
)
def test_ignores(detector: CardDetector, text: str) -> None:
    assert found(detector, text) == []


@pytest.mark.parametrize(
    "text, low, high",
    [
        pytest.param(grouped(VISA), 0.85, 0.95, id="grouped"),
        pytest.param(VISA, 0.25, 0.35, id="bare, no field: under a report"),
        pytest.param(AMEX, 0.25, 0.35, id="bare amex, no field"),
        pytest.param(f"cc={AMEX}", 0.85, 0.95, id="bare amex, cc"),
        pytest.param(UNIONPAY_19, 0.25, 0.35, id="bare 19 digits: more often an id"),
        pytest.param(
            grouped(UNIONPAY_19, (4, 4, 4, 4, 3)), 0.85, 0.95, id="grouped 19"
        ),
        pytest.param(f"카드번호 {UNIONPAY_19}", 0.55, 0.65, id="bare 19 after context"),
        pytest.param(f"card_no={VISA}", 0.85, 0.95, id="bare after context"),
    ],
)
def test_scores(detector: CardDetector, text: str, low: float, high: float) -> None:
    assert low <= score_of(detector, text) <= high


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"sku={VISA}", id="a SKU passing Luhn"),
        pytest.param(f'{{"transaction_id": "{MASTER}"}}', id="a transaction id"),
        pytest.param(f"prx_ord={VISA}", id="an order id (real traffic: cnn.har)"),
        pytest.param(f"item_id: {JCB}", id="a product id"),
    ],
)
def test_luhn_valid_identifiers_are_no_cards(detector: CardDetector, text: str) -> None:
    assert found(detector, text) == []
