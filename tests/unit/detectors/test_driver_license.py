"""Korean driver licences: region codes 11-26 and 28, region names, bare
digits only after a context word."""

from __future__ import annotations

import pytest

from privwatch.detectors import KrDriverLicenseDetector, Validation
from tests.unit.detectors.numbers import found, score_of

UNCHECKED = Validation.UNCHECKED


@pytest.fixture(scope="module")
def detector() -> KrDriverLicenseDetector:
    return KrDriverLicenseDetector()


def one(value: str) -> list[tuple[str, Validation]]:
    return [(value, UNCHECKED)]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("11-19-123456-01", one("11-19-123456-01"), id="seoul"),
        pytest.param("26-05-654321-12", one("26-05-654321-12"), id="ulsan"),
        pytest.param("28-21-000123-45", one("28-21-000123-45"), id="gyeonggi north"),
        pytest.param("서울 19-123456-01", one("서울 19-123456-01"), id="region name"),
        pytest.param(
            "부산12-345678-90", one("부산12-345678-90"), id="region name, no space"
        ),
        pytest.param(
            "면허번호11-19-123456-01입니다", one("11-19-123456-01"), id="hangul around"
        ),
        pytest.param(
            "운전면허번호: 111912345601", one("111912345601"), id="bare after context"
        ),
        pytest.param(
            '{"driver_license": "131912345601"}',
            one("131912345601"),
            id="bare json value",
        ),
    ],
)
def test_finds(
    detector: KrDriverLicenseDetector, text: str, expected: list[object]
) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("27-19-123456-01", id="region 27 is not assigned"),
        pytest.param("10-19-123456-01", id="region 10"),
        pytest.param("29-19-123456-01", id="region 29"),
        pytest.param("111912345601", id="bare without context"),
        pytest.param("211-19-123456-01", id="three-digit region"),
        pytest.param("11-19-123456-012", id="three check digits"),
        pytest.param("11-19-1234567-01", id="seven serial digits"),
        pytest.param("평양 19-123456-01", id="not a region name"),
        pytest.param("license: 1119123456012345", id="bare inside a longer run"),
        pytest.param(
            "license " + "." * 45 + "111912345601", id="bare far from context"
        ),
    ],
)
def test_ignores(detector: KrDriverLicenseDetector, text: str) -> None:
    assert found(detector, text) == []


@pytest.mark.parametrize(
    "text, low, high",
    [
        pytest.param("11-19-123456-01", 0.45, 0.55, id="no context"),
        pytest.param("운전면허 11-19-123456-01", 0.75, 0.85, id="after context"),
    ],
)
def test_scores(
    detector: KrDriverLicenseDetector, text: str, low: float, high: float
) -> None:
    assert low <= score_of(detector, text) <= high


def test_two_context_words_report_a_bare_number_once(
    detector: KrDriverLicenseDetector,
) -> None:
    # 운전면허번호 holds both 운전면허 and 면허번호
    assert len(list(detector.detect("운전면허번호 license 111912345601"))) == 1
