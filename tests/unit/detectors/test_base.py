"""The detector contract: Detection, context words, PatternDetector."""

from __future__ import annotations

import dataclasses
import re

import pytest

from privwatch.detectors import Detection, Detector, PatternDetector, Validation
from privwatch.detectors.base import AFTER, BEFORE, fold_all, has_context


class Digits(PatternDetector):
    """Four digits; '0000' is invalid; 'pin' raises the score."""

    entity = "pin"
    pattern = re.compile(BEFORE + r"\d{4}" + AFTER)
    base_score = 0.3
    context = ("PIN_code",)
    context_boost = 0.5

    def validate(self, match: re.Match[str]) -> Validation:
        return Validation.INVALID if match[0] == "0000" else Validation.UNCHECKED


class KeepInvalid(Digits):
    keep_invalid = True


def test_detection_is_frozen() -> None:
    detection = Detection("email", 0, 1, "a", 0.5, Validation.UNCHECKED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        detection.score = 1.0  # type: ignore[misc]


def test_a_pattern_detector_is_a_detector() -> None:
    assert isinstance(Digits(), Detector)


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("1234", [("1234", 0.3)], id="alone"),
        pytest.param("번호1234번", [("1234", 0.3)], id="hangul is a boundary"),
        pytest.param("a1234", [], id="ascii letter is not"),
        pytest.param("12345", [], id="longer digit run"),
        pytest.param("0000", [], id="invalid dropped"),
        pytest.param("pin code: 1234", [("1234", 0.3)], id="a space is not folded"),
        pytest.param(
            "pinCode: 1234", [("1234", 0.8)], id="context, case and underscore folded"
        ),
        pytest.param("PIN-CODE=1234", [("1234", 0.8)], id="context with a hyphen"),
    ],
)
def test_pattern_detector(text: str, expected: list[tuple[str, float]]) -> None:
    assert [(d.value, d.score) for d in Digits().detect(text)] == expected


def test_keep_invalid_reports_score_zero() -> None:
    (detection,) = KeepInvalid().detect("0000")
    assert (detection.validation, detection.score) == (Validation.INVALID, 0.0)


@pytest.mark.parametrize(
    "start, window, expected",
    [
        pytest.param(12, 40, True, id="inside the window"),
        pytest.param(12, 8, False, id="window too short"),
        pytest.param(3, 40, False, id="before the word"),
    ],
)
def test_has_context(start: int, window: int, expected: bool) -> None:
    text = "Device_ID = abc"
    assert has_context(text, start, fold_all(("device_id",)), window) is expected
