"""Advertising identifiers: Apple IDFA and Google advertising ID (GAID/AAID),
both UUIDs (8-4-4-4-12 hex digits).

UUIDs are everywhere in traffic (request, session, trace ids), so a UUID scores
low unless a context word (idfa, gaid, adid, advertising_id ...) appears in the
40 characters before it. The all-zero UUID is what iOS and Android send when
the user limited ad tracking: it is reported ``INVALID`` with score 0.
Reference: https://developer.apple.com/documentation/adsupport/asidentifiermanager
and https://developers.google.com/android/reference/com/google/android/gms/ads/identifier/AdvertisingIdClient
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from privwatch.detectors.base import Detection, PatternDetector, Validation

_HEX = "[0-9A-Fa-f]"
#: the middle of a UUID, a cheap literal-led search; the rest is checked around it
_CORE = re.compile(f"-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-")
_UUID = re.compile(
    f"(?<![0-9A-Za-z-]){_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"
    "(?![0-9A-Za-z-])"
)
ZERO = "00000000-0000-0000-0000-000000000000"


class DeviceIdDetector(PatternDetector):
    """IDFA / GAID: a UUID, scored by the context words before it."""

    entity = "device_id"
    pattern = _UUID
    base_score = 0.1
    context = (
        "idfa",
        "gaid",
        "aaid",
        "adid",
        "advertisingid",
        "advertising id",
        "adsid",
        "deviceid",
        "device id",
        "idfv",
    )
    context_boost = 0.7
    keep_invalid = True

    def detect(self, text: str) -> Iterator[Detection]:
        """Find UUIDs from their hyphenated middle, then judge each."""
        for core in _CORE.finditer(text):
            if core.start() < 8:
                continue
            match = _UUID.match(text, core.start() - 8)
            if match is not None:
                detection = self.judge(match)
                if detection is not None:
                    yield detection

    def validate(self, match: re.Match[str]) -> Validation:
        """``INVALID`` for the all-zero UUID (limit ad tracking)."""
        return Validation.INVALID if match[0] == ZERO else Validation.UNCHECKED
