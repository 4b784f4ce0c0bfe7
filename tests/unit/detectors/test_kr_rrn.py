"""주민등록번호: dates, sex digit, check digit (kept UNCHECKED when it fails),
boundaries in digit runs and Korean text."""

from __future__ import annotations

import pytest

from privwatch.detectors import KrRrnDetector, Validation
from tests.unit.detectors.numbers import found, rrn, score_of

VALID = Validation.VALID
UNCHECKED = Validation.UNCHECKED
A = rrn("900101", "123456")
B = rrn("050315", "412345")  # born 2005
LEAP = rrn("000229", "312345")  # 29 February 2000
POST_2020 = rrn("880808", "274913", valid=False)  # random tail, check digit fails


@pytest.fixture(scope="module")
def detector() -> KrRrnDetector:
    return KrRrnDetector()


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(A, [(A, VALID)], id="hyphenated valid"),
        pytest.param(
            A.replace("-", ""), [(A.replace("-", ""), VALID)], id="compact valid"
        ),
        pytest.param(B, [(B, VALID)], id="born in the 2000s"),
        pytest.param(LEAP, [(LEAP, VALID)], id="29 February 2000"),
        pytest.param(
            POST_2020, [(POST_2020, UNCHECKED)], id="post-2020 rrn kept unchecked"
        ),
        pytest.param(f"번호{A}", [(A, VALID)], id="hangul right before"),
        pytest.param(
            f"주민등록번호:{A}입니다", [(A, VALID)], id="hangul on both sides"
        ),
        pytest.param(f'{{"rrn":"{A}"}}', [(A, VALID)], id="json value"),
        pytest.param(
            f"jumin={A.replace('-', '')}&x=1", [(A.replace("-", ""), VALID)], id="query"
        ),
        pytest.param(f"{A}, {B}", [(A, VALID), (B, VALID)], id="two in a row"),
        pytest.param(f"ID-{A}", [(A, VALID)], id="after a hyphen"),
    ],
)
def test_finds(detector: KrRrnDetector, text: str, expected: list[object]) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("901301-1234567", id="month 13"),
        pytest.param("900230-1234567", id="30 February"),
        pytest.param(rrn("000229", "112345"), id="29 February 1900 (not a leap year)"),
        pytest.param(rrn("991231", "312345"), id="born in 2099: in the future"),
        pytest.param(rrn("900101", "523456"), id="sex digit 5 is a foreigner number"),
        pytest.param("900101-9234567", id="sex digit 9"),
        pytest.param("900101-1******", id="masked"),
        pytest.param("900101-123456", id="twelve digits"),
        pytest.param("1234" + A.replace("-", "") + "123", id="inside a 20-digit id"),
        pytest.param(A.replace("-", "") + "0", id="fourteen digits"),
        pytest.param("9" + A, id="seven digits before the hyphen"),
        pytest.param("abc" + A.replace("-", ""), id="glued to letters"),
        pytest.param(A + "x", id="letter after"),
        pytest.param("1732861234567", id="millisecond timestamp"),
        pytest.param("20240115-1234567", id="date with a serial"),
        pytest.param("v900101.1234567", id="dotted"),
    ],
)
def test_ignores(detector: KrRrnDetector, text: str) -> None:
    assert found(detector, text) == []


@pytest.mark.parametrize(
    "text, low, high",
    [
        pytest.param(A, 0.9, 1.0, id="valid hyphenated"),
        pytest.param(A.replace("-", ""), 0.25, 0.35, id="valid compact, no field"),
        pytest.param(
            f"jumin={A.replace('-', '')}", 0.9, 1.0, id="valid compact, jumin"
        ),
        pytest.param(POST_2020, 0.35, 0.45, id="unchecked hyphenated"),
        pytest.param(POST_2020.replace("-", ""), 0.25, 0.35, id="unchecked compact"),
        pytest.param(
            f"주민등록번호 {POST_2020}", 0.6, 0.8, id="unchecked after context"
        ),
        pytest.param(f"주민번호={POST_2020}", 0.6, 0.8, id="short context word"),
        pytest.param(f"RRN: {POST_2020}", 0.6, 0.8, id="english context, any case"),
        pytest.param(
            f"주민등록번호 {'.' * 50}{POST_2020}", 0.35, 0.45, id="context too far"
        ),
    ],
)
def test_scores(detector: KrRrnDetector, text: str, low: float, high: float) -> None:
    assert low <= score_of(detector, text) <= high


def test_date_led_order_number_passing_the_check_digit_is_no_rrn(
    detector: KrRrnDetector,
) -> None:
    """An order number YYMMDD + 7 digits that passes the check digit."""
    order = A.replace("-", "")
    assert found(detector, f"orderNo={order}") == []
    assert found(detector, f'{{"order_id": "{order}"}}') == []
