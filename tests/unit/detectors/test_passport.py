"""Korean passports: both formats, low score without context, date-like ids
left out."""

from __future__ import annotations

import pytest

from privwatch.detectors import KrPassportDetector, Validation
from tests.unit.detectors.numbers import found, score_of

UNCHECKED = Validation.UNCHECKED


@pytest.fixture(scope="module")
def detector() -> KrPassportDetector:
    return KrPassportDetector()


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("M12345678", [("M12345678", UNCHECKED)], id="pre-2021 format"),
        pytest.param("M123A4567", [("M123A4567", UNCHECKED)], id="2021 format"),
        pytest.param("S98765432", [("S98765432", UNCHECKED)], id="single-use"),
        pytest.param("D123B4567", [("D123B4567", UNCHECKED)], id="diplomatic"),
        pytest.param(
            "S20241345", [("S20241345", UNCHECKED)], id="starts like a year, not a date"
        ),
        pytest.param(
            "여권번호M12345678입니다", [("M12345678", UNCHECKED)], id="hangul around"
        ),
        pytest.param(
            '{"passport_no":"R123C4567"}', [("R123C4567", UNCHECKED)], id="json"
        ),
    ],
)
def test_finds(detector: KrPassportDetector, text: str, expected: list[object]) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("S20240115", id="shipment id with a date"),
        pytest.param("M19991231", id="a date in the 1900s"),
        pytest.param("X12345678", id="not a passport type letter"),
        pytest.param("m12345678", id="lower case"),
        pytest.param("M1234567", id="seven digits"),
        pytest.param("M123456789", id="nine digits"),
        pytest.param("AM12345678", id="inside a token"),
        pytest.param("M12345678A", id="letter after"),
        pytest.param("M123a4567", id="lower-case middle letter"),
        pytest.param("1M12345678", id="digit before"),
    ],
)
def test_ignores(detector: KrPassportDetector, text: str) -> None:
    assert found(detector, text) == []


@pytest.mark.parametrize(
    "text, low, high",
    [
        pytest.param("M12345678", 0.1, 0.2, id="no context"),
        pytest.param("여권번호: M12345678", 0.6, 0.7, id="korean context"),
        pytest.param("passportNumber=M123A4567", 0.6, 0.7, id="english context"),
    ],
)
def test_scores(
    detector: KrPassportDetector, text: str, low: float, high: float
) -> None:
    assert low <= score_of(detector, text) <= high
