"""Advertising ids: UUIDs scored by context; the all-zero id is INVALID."""

from __future__ import annotations

import pytest

from privwatch.detectors import DetectorRegistry, DeviceIdDetector, Validation
from tests.unit.detectors.numbers import found, score_of

UNCHECKED = Validation.UNCHECKED
IDFA = "6D92078A-8246-4BA4-AE5B-76104861E7DC"
GAID = "38400000-8cf0-11bd-b23e-10b96e40000d"
ZERO = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(scope="module")
def detector() -> DeviceIdDetector:
    return DeviceIdDetector()


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(f"idfa={IDFA}", [(IDFA, UNCHECKED)], id="idfa in a query"),
        pytest.param(f'{{"gaid":"{GAID}"}}', [(GAID, UNCHECKED)], id="gaid in json"),
        pytest.param(f"{{{GAID}}}", [(GAID, UNCHECKED)], id="in braces"),
        pytest.param(
            f"광고식별자{IDFA}입니다", [(IDFA, UNCHECKED)], id="hangul around"
        ),
        pytest.param(
            f"request_id={GAID}", [(GAID, UNCHECKED)], id="any uuid, low score"
        ),
        pytest.param(
            f"{IDFA},{GAID}", [(IDFA, UNCHECKED), (GAID, UNCHECKED)], id="two"
        ),
    ],
)
def test_finds(detector: DeviceIdDetector, text: str, expected: list[object]) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "123e4567-e89b-12d3-a456-42661417400", id="eleven hex digits at the end"
        ),
        pytest.param("123e4567-e89b-12d3-a456-4266141740001", id="thirteen hex digits"),
        pytest.param("x123e4567-e89b-12d3-a456-426614174000", id="glued to a letter"),
        pytest.param("123e4567-e89b-12d3-a456-426614174000-1", id="more groups"),
        pytest.param("g23e4567-e89b-12d3-a456-426614174000", id="not hex"),
        pytest.param("123e4567e89b12d3a456426614174000", id="no hyphens"),
        pytest.param(
            "e4567-e89b-12d3-a456-426614174000", id="short first group at the start"
        ),
    ],
)
def test_ignores(detector: DeviceIdDetector, text: str) -> None:
    assert found(detector, text) == []


@pytest.mark.parametrize(
    "text, low, high",
    [
        pytest.param(f"x-request-id: {GAID}", 0.05, 0.15, id="request id"),
        pytest.param(f"session={GAID}", 0.05, 0.15, id="session id"),
        pytest.param(f"idfa={IDFA}", 0.75, 0.85, id="idfa"),
        pytest.param(f'"advertising_id":"{GAID}"', 0.75, 0.85, id="advertising_id"),
        pytest.param(f'"advertisingId":"{GAID}"', 0.75, 0.85, id="camel case"),
        pytest.param(f"ADID: {GAID}", 0.75, 0.85, id="upper case"),
        pytest.param(f'{{"aaid":"{GAID}","x":1}}', 0.75, 0.85, id="aaid"),
        pytest.param(f"device_id={GAID}", 0.75, 0.85, id="device_id"),
        pytest.param(f"idfa={'x' * 45}&u={GAID}", 0.05, 0.15, id="context too far"),
        pytest.param(f"{GAID} idfa", 0.05, 0.15, id="context after does not count"),
    ],
)
def test_scores(detector: DeviceIdDetector, text: str, low: float, high: float) -> None:
    assert low <= score_of(detector, text) <= high


def test_limited_ad_tracking_id_is_invalid_with_score_zero(
    detector: DeviceIdDetector,
) -> None:
    (detection,) = detector.detect(f"idfa={ZERO}")
    assert detection.validation is Validation.INVALID
    assert detection.score == 0.0
    assert detection.value == ZERO


def test_registry_leaves_out_the_zero_id() -> None:
    registry = DetectorRegistry.builtin().select(["device_id"])
    assert registry.detect(f"idfa={ZERO}&gaid={GAID}")[0].value == GAID
    assert len(registry.detect(f"idfa={ZERO}")) == 0
