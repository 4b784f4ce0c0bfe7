"""Korean passport numbers: a type letter and 8 digits (before 2021), or a type
letter, 3 digits, a letter and 4 digits (from December 2021).

Type letters: M (multiple), S (single), R (residence), G or O (official), D
(diplomatic). There is no public check digit, and such tokens are common in ids,
so the score is low unless a context word (여권, passport) comes before.
Reference: https://ko.wikipedia.org/wiki/대한민국_여권
"""

from __future__ import annotations

import re
from datetime import date

from privwatch.detectors.base import AFTER, PatternDetector, Validation
from privwatch.detectors.context import labels


def _looks_like_date(digits: str) -> bool:
    """True for YYYYMMDD in 1900-2099, as in shipment or order ids (S20240115)."""
    if not digits.startswith(("19", "20")):
        return False
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return True


class KrPassportDetector(PatternDetector):
    """Korean passport numbers; ``UNCHECKED``, low score without context."""

    entity = "passport"
    #: the type letter leads, so the engine skips quickly to candidates
    pattern = re.compile(
        r"[MSRGOD](?<![0-9A-Za-z][MSRGOD])(?:(?P<old>\d{8})|\d{3}[A-Z]\d{4})" + AFTER
    )
    base_score = 0.15
    context = labels("passport")
    context_boost = 0.5

    def is_bare(self, match: re.Match[str]) -> bool:
        """A letter and digits are also a product or order code: the field
        decides."""
        return True

    def validate(self, match: re.Match[str]) -> Validation:
        """``INVALID`` when the eight digits read as a date (an order id)."""
        old = match["old"]
        if old is not None and _looks_like_date(old):
            return Validation.INVALID
        return Validation.UNCHECKED
