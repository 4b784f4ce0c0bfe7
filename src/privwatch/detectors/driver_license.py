"""Korean driver licence numbers: NN-NN-NNNNNN-NN.

Region code (11 서울 ... 26 울산, 28 경기북부), year of issue, serial, and two
check digits whose rule is not public. Older cards print the region as a name
(서울 12-345678-90). Twelve bare digits are reported only right after a
context word (운전면허, license). Reference: https://ko.wikipedia.org/wiki/운전면허
and the 도로교통공단 licence check service (https://www.safedriving.or.kr).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from privwatch.detectors.base import AFTER, BEFORE, Detection, PatternDetector

_CODE = r"(?:1[1-9]|2[0-6]|28)"
_REGION = "(?:서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산)"
_HYPHENATED = re.compile(
    f"(?:{BEFORE}{_CODE}-|{_REGION} ?)" + r"\d{2}-\d{6}-\d{2}" + AFTER
)
_BARE = re.compile(BEFORE + _CODE + r"\d{10}" + AFTER)
#: the hyphenated serial is a literal-led search; the start is found behind it
_SERIAL = re.compile(r"-\d{6}-\d{2}")
_START = re.compile(f"(?:{_CODE}-|{_REGION} ?)" + r"\d{2}\Z")
_AFTER = re.compile(AFTER)
#: literal stems of the context words, each found by a fast literal search
_STEMS = ("운전면허", "면허번호", "river", "RIVER", "icen", "ICEN")


def _context_ends(text: str) -> list[int]:
    """Where a context word stem ends, in order."""
    ends: set[int] = set()
    for stem in _STEMS:
        at = text.find(stem)
        while at != -1:
            ends.add(at + len(stem))
            at = text.find(stem, at + 1)
    return sorted(ends)


class KrDriverLicenseDetector(PatternDetector):
    """Korean driver licence numbers; ``UNCHECKED`` (no public check digit)."""

    entity = "driver_license"
    pattern = _HYPHENATED
    base_score = 0.5
    context = ("운전면허", "면허번호", "driver", "licence", "license")
    context_boost = 0.3

    def detect(self, text: str) -> Iterator[Detection]:
        """Hyphenated numbers anywhere; bare ones within 40 characters after a
        context word."""
        for serial in _SERIAL.finditer(text):
            start = _START.search(text, max(0, serial.start() - 6), serial.start())
            match = _HYPHENATED.match(text, start.start()) if start else None
            detection = self.judge(match) if match else None
            if detection is not None:
                yield detection
        done = 0
        for end in _context_ends(text):
            begin = max(done, end)
            match = _BARE.search(text, begin, end + self.context_window + 12)
            if match is None or not _AFTER.match(text, match.end()):
                continue  # none, or cut from a longer digit run by the window
            detection = self.judge(match)
            if detection is not None:
                done = detection.end
                yield detection
