"""외국인등록번호 (Korean foreigner registration number), YYMMDD-GHIJKLX.

As the resident registration number, with G 5-8 (5-6: born in the 1900s, 7-8:
2000s) and its own check digit, (13 - weighted sum mod 11) mod 10. Numbers
issued from October 2020 need not pass it, so a failure is ``UNCHECKED``.
Reference: https://en.wikipedia.org/wiki/Resident_registration_number
"""

from __future__ import annotations

from privwatch.detectors.checksums import frn_check_digit_ok
from privwatch.detectors.context import labels
from privwatch.detectors.kr_rrn import KrRrnDetector, _pattern


class KrFrnDetector(KrRrnDetector):
    """외국인등록번호: valid date and sex digit 5-8; check digit makes it ``VALID``."""

    entity = "frn"
    pattern = _pattern("5-8")
    context = labels("frn")

    def check_digit_ok(self, digits: str) -> bool:
        """The foreigner registration number's check digit rule."""
        return frn_check_digit_ok(digits)
