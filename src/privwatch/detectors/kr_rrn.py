"""주민등록번호 (Korean resident registration number), YYMMDD-GHIJKLX.

YYMMDD is the birth date, G the sex and century (1-2: 1900s, 3-4: 2000s), X a
check digit. Numbers issued from October 2020 end in random digits, so a failed
check digit does not make a number invalid: it is kept as ``UNCHECKED`` with a
lower score. Reference: https://ko.wikipedia.org/wiki/주민등록번호
"""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

from privwatch.detectors.base import AFTER, PatternDetector, Validation
from privwatch.detectors.checksums import rrn_check_digit_ok
from privwatch.detectors.context import labels

#: the first digit is matched before BEFORE's check (as a lookbehind over it),
#: so the regex engine can skip to digits instead of trying every position
_BIRTH = r"(?P<birth>\d(?<![0-9A-Za-z]\d)\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"


def _pattern(sex_digits: str) -> re.Pattern[str]:
    return re.compile(
        _BIRTH + r"(?P<sep>-?)(?P<rest>[" + sex_digits + r"]\d{6})" + AFTER
    )


def birth_date_ok(birth: str, sex_digit: str, today: date | None = None) -> bool:
    """True when YYMMDD is a real date, in the century ``sex_digit`` names, not
    in the future."""
    century = 1900 if sex_digit in "1256" else 2000
    try:
        born = date(century + int(birth[:2]), int(birth[2:4]), int(birth[4:6]))
    except ValueError:
        return False
    return born <= (today or date.today())


class KrRrnDetector(PatternDetector):
    """주민등록번호: valid date and sex digit 1-4; check digit makes it ``VALID``."""

    entity = "rrn"
    pattern = _pattern("1-4")
    valid_score = 0.95
    base_score = 0.4
    #: the form without a hyphen is also any 13-digit id, so it scores lower
    compact_penalty: ClassVar[float] = 0.1
    context: ClassVar[tuple[str, ...]] = labels("rrn")
    context_boost = 0.3

    def validate(self, match: re.Match[str]) -> Validation:
        """``INVALID`` for an impossible date; else the check digit decides
        between ``VALID`` and ``UNCHECKED``."""
        rest = match["rest"]
        if not birth_date_ok(match["birth"], rest[0]):
            return Validation.INVALID
        if self.check_digit_ok(match["birth"] + rest):
            return Validation.VALID
        return Validation.UNCHECKED

    def check_digit_ok(self, digits: str) -> bool:
        """The check digit rule of this number."""
        return rrn_check_digit_ok(digits)

    def is_bare(self, match: re.Match[str]) -> bool:
        """Thirteen digits without the hyphen are also a date-led order number:
        the field decides."""
        return not match["sep"]

    def prior(self, match: re.Match[str], validation: Validation) -> float:
        """The base score, lower without the hyphen."""
        score = super().prior(match, validation)
        return score if match["sep"] else score - self.compact_penalty
