"""Synthetic identifiers for the detector tests, check digits computed here.

Written apart from ``privwatch.detectors.checksums`` so that a mistake there
is not repeated in the expected values. No number here belongs to anyone.
"""

from __future__ import annotations

from collections.abc import Iterable

from privwatch.detectors import Detection, Detector, Validation


def _weighted(digits: str, weights: Iterable[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def rrn(birth: str = "900101", rest: str = "123456", *, valid: bool = True) -> str:
    """A 주민등록번호 ``YYMMDD-GHIJKLX`` whose check digit holds (or not)."""
    body = birth + rest
    total = _weighted(body, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5])
    check = (11 - total % 11) % 10
    if not valid:
        check = (check + 1) % 10
    return f"{birth}-{rest}{check}"


def frn(birth: str = "900101", rest: str = "523456", *, valid: bool = True) -> str:
    """A 외국인등록번호 whose check digit ((13 - sum mod 11) mod 10) holds (or not)."""
    body = birth + rest
    total = _weighted(body, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5])
    check = (13 - total % 11) % 10
    if not valid:
        check = (check + 1) % 10
    return f"{birth}-{rest}{check}"


def brn(first9: str = "123456789", *, valid: bool = True) -> str:
    """A 사업자등록번호 ``NNN-NN-NNNNN`` whose check digit holds (or not)."""
    total = _weighted(first9, [1, 3, 7, 1, 3, 7, 1, 3, 5]) + int(first9[8]) * 5 // 10
    check = (10 - total % 10) % 10
    if not valid:
        check = (check + 1) % 10
    digits = first9 + str(check)
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def luhn(prefix: str, length: int = 16, *, valid: bool = True) -> str:
    """``prefix`` padded with 1s to ``length`` digits, the last a Luhn digit."""
    body = prefix + "1" * (length - 1 - len(prefix))
    total = 0
    for position, ch in enumerate(reversed(body)):
        value = int(ch) * (2 if position % 2 == 0 else 1)
        total += value // 10 + value % 10
    check = (10 - total % 10) % 10
    if not valid:
        check = (check + 1) % 10
    return body + str(check)


def grouped(digits: str, sizes: Iterable[int] = (4, 4, 4, 4), sep: str = " ") -> str:
    """``digits`` split into groups of ``sizes`` joined by ``sep``."""
    parts, at = [], 0
    for size in sizes:
        parts.append(digits[at : at + size])
        at += size
    if at < len(digits):
        parts.append(digits[at:])
    return sep.join(parts)


def found(detector: Detector, text: str) -> list[tuple[str, Validation]]:
    """(value, validation) of each detection, in order; offsets checked."""
    detections = sorted(detector.detect(text), key=lambda d: d.start)
    for d in detections:
        assert_offsets(text, d)
    return [(d.value, d.validation) for d in detections]


def assert_offsets(text: str, detection: Detection) -> None:
    assert text[detection.start : detection.end] == detection.value
    assert 0.0 <= detection.score <= 1.0


def score_of(detector: Detector, text: str) -> float:
    """The score of the one detection in ``text``."""
    detections = list(detector.detect(text))
    assert len(detections) == 1, detections
    return detections[0].score
