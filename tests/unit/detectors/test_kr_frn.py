"""외국인등록번호: sex digit 5-8 and its own check digit rule."""

from __future__ import annotations

import pytest

from privwatch.detectors import KrFrnDetector, KrRrnDetector, Validation
from tests.unit.detectors.numbers import found, frn, rrn, score_of

VALID = Validation.VALID
UNCHECKED = Validation.UNCHECKED
A = frn("900101", "523456")
B = frn("030704", "812345")  # born 2003
POST_2020 = frn("920202", "613579", valid=False)
RRN_RULE = rrn("900101", "523456")  # resident rule on foreigner digits: fails


@pytest.fixture(scope="module")
def detector() -> KrFrnDetector:
    return KrFrnDetector()


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(A, [(A, VALID)], id="hyphenated valid"),
        pytest.param(
            A.replace("-", ""), [(A.replace("-", ""), VALID)], id="compact valid"
        ),
        pytest.param(B, [(B, VALID)], id="born in the 2000s"),
        pytest.param(
            POST_2020, [(POST_2020, UNCHECKED)], id="post-2020 kept unchecked"
        ),
        pytest.param(
            RRN_RULE, [(RRN_RULE, UNCHECKED)], id="resident check rule does not apply"
        ),
        pytest.param(
            f"외국인등록번호{A}입니다", [(A, VALID)], id="hangul on both sides"
        ),
    ],
)
def test_finds(detector: KrFrnDetector, text: str, expected: list[object]) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(rrn(), id="resident number (sex digit 1)"),
        pytest.param(frn("991231", "712345"), id="born in 2099: in the future"),
        pytest.param("901301-5234567", id="month 13"),
        pytest.param("12" + A.replace("-", ""), id="inside a longer digit run"),
    ],
)
def test_ignores(detector: KrFrnDetector, text: str) -> None:
    assert found(detector, text) == []


def test_resident_detector_does_not_report_foreigner_numbers() -> None:
    assert found(KrRrnDetector(), A) == []


@pytest.mark.parametrize(
    "text, low, high",
    [
        pytest.param(A, 0.9, 1.0, id="valid"),
        pytest.param(POST_2020, 0.35, 0.45, id="unchecked"),
        pytest.param(
            f"외국인등록번호: {POST_2020}", 0.6, 0.8, id="unchecked after context"
        ),
    ],
)
def test_scores(detector: KrFrnDetector, text: str, low: float, high: float) -> None:
    assert low <= score_of(detector, text) <= high
