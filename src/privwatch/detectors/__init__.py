"""Detectors of personal data in text: emails, phones, Korean ID numbers, cards,
passports, driver licences, customs clearance codes, advertising ids and coordinates.

Build a ``DetectorRegistry`` (``builtin()`` or ``from_entry_points()``) and call
``detect(text)``; see docs/detectors.md for each detector's format and scores.
"""

from privwatch.detectors.base import Detection, Detector, PatternDetector, Validation
from privwatch.detectors.card import CardDetector
from privwatch.detectors.customs_code import KrCustomsCodeDetector
from privwatch.detectors.device_id import DeviceIdDetector
from privwatch.detectors.driver_license import KrDriverLicenseDetector
from privwatch.detectors.email import EmailDetector
from privwatch.detectors.kr_brn import KrBrnDetector
from privwatch.detectors.kr_frn import KrFrnDetector
from privwatch.detectors.kr_rrn import KrRrnDetector
from privwatch.detectors.location import LocationDetector
from privwatch.detectors.passport import KrPassportDetector
from privwatch.detectors.phone import PhoneDetector
from privwatch.detectors.registry import (
    ENTRY_POINT_GROUP,
    DetectorLoadError,
    DetectorRegistry,
    resolve_overlaps,
)

__all__ = [
    "CardDetector",
    "Detection",
    "Detector",
    "DetectorLoadError",
    "DetectorRegistry",
    "DeviceIdDetector",
    "ENTRY_POINT_GROUP",
    "EmailDetector",
    "KrBrnDetector",
    "KrCustomsCodeDetector",
    "KrDriverLicenseDetector",
    "KrFrnDetector",
    "KrPassportDetector",
    "KrRrnDetector",
    "LocationDetector",
    "PatternDetector",
    "PhoneDetector",
    "Validation",
    "resolve_overlaps",
]
