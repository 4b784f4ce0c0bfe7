"""Coordinates: bare pairs, key-value pairs, JSON; Korean places found;
versions, timestamps and fractions left alone."""

from __future__ import annotations

import pytest

from privwatch.detectors import LocationDetector, Validation
from tests.unit.detectors.numbers import found, score_of

UNCHECKED = Validation.UNCHECKED


@pytest.fixture(scope="module")
def detector() -> LocationDetector:
    return LocationDetector()


def one(value: str) -> list[tuple[str, Validation]]:
    return [(value, UNCHECKED)]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("37.5665,126.9780", one("37.5665,126.9780"), id="seoul bare pair"),
        pytest.param("35.1796, 129.0756", one("35.1796, 129.0756"), id="busan, space"),
        pytest.param(
            "ll=33.4996,126.5312", one("33.4996,126.5312"), id="jeju in a query"
        ),
        pytest.param(
            "[126.9780, 37.5665]", one("126.9780, 37.5665"), id="longitude first"
        ),
        pytest.param(
            "-33.8688,151.2093", one("-33.8688,151.2093"), id="southern hemisphere"
        ),
        pytest.param(
            "lat=37.5665&lng=126.978", one("37.5665&lng=126.978"), id="query keys"
        ),
        pytest.param(
            "lng=126.97812&lat=37.56651",
            one("126.97812&lat=37.56651"),
            id="keys reversed",
        ),
        pytest.param(
            '{"latitude": 37.5665, "longitude": 126.978}',
            one('37.5665, "longitude": 126.978'),
            id="json keys",
        ),
        pytest.param(
            '{"lat":"37.566","lon":"126.978"}',
            one('37.566","lon":"126.978'),
            id="json strings",
        ),
        pytest.param(
            "LAT=37.5665&LON=126.9780",
            one("37.5665&LON=126.9780"),
            id="upper-case keys",
        ),
        pytest.param(
            "위도: 37.5665, 경도: 126.9780",
            one("37.5665, 경도: 126.9780"),
            id="korean keys",
        ),
        pytest.param(
            "x=126.9780&y=37.5665", one("126.9780&y=37.5665"), id="kakao x and y"
        ),
        pytest.param(
            "현재위치37.5665,126.9780입니다",
            one("37.5665,126.9780"),
            id="hangul around",
        ),
        pytest.param(
            "37.5665,126.9780,38.0000",
            one("37.5665,126.9780"),
            id="with an altitude after",
        ),
    ],
)
def test_finds(detector: LocationDetector, text: str, expected: list[object]) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1.2.3.4", id="version string"),
        pytest.param("v1.2345,6.7890", id="glued to a letter"),
        pytest.param("10.0.1234.5678", id="four-part version"),
        pytest.param("1700000000.1234,1700000000.5678", id="timestamps"),
        pytest.param("2024-01-15T10:23:45.1234,2024", id="iso timestamp"),
        pytest.param("0.1234,0.5678", id="two fractions"),
        pytest.param("37.566,126.978", id="bare pair with three decimals"),
        pytest.param("95.1234,126.9780", id="both out of latitude range"),
        pytest.param("12.3456,200.1234", id="longitude out of range"),
        pytest.param("0.0000,0.0000", id="null island"),
        pytest.param("37.5665,126.9780.1", id="dotted continuation"),
        pytest.param("1234.5678,126.9780", id="four-digit integer part"),
        pytest.param("lat=37.5&lng=126.9", id="one decimal"),
        pytest.param("lat=97.5665&lng=126.978", id="latitude out of range"),
        pytest.param("width=37.5665&height=126.978", id="other keys"),
        pytest.param("192.168.1.1", id="ip address"),
    ],
)
def test_ignores(detector: LocationDetector, text: str) -> None:
    assert found(detector, text) == []


@pytest.mark.parametrize(
    "text, low, high",
    [
        pytest.param("lat=37.5665&lng=126.978", 0.8, 0.9, id="keyed"),
        pytest.param("37.5665,126.9780", 0.55, 0.65, id="bare, in korea"),
        pytest.param("48.8566,2.3522", 0.35, 0.45, id="bare, abroad"),
        pytest.param("location=48.8566,2.3522", 0.65, 0.75, id="bare after context"),
        pytest.param("x=2.3522&y=48.8566", 0.35, 0.45, id="x and y abroad"),
    ],
)
def test_scores(detector: LocationDetector, text: str, low: float, high: float) -> None:
    assert low <= score_of(detector, text) <= high
