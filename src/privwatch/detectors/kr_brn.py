"""사업자등록번호 (Korean business registration number), NNN-NN-NNNNN.

Three digits of the tax office, two of the business type, four of serial and a
check digit (weights 1,3,7,1,3,7,1,3,5). The hyphenated form is reported when
the check digit holds; the bare ten digits too, with a lower score, since one in
ten of any ten-digit ids passes. Reference: https://org-id.guide/list/KR-BRN and
https://ko.wikipedia.org/wiki/사업자등록번호
"""

from __future__ import annotations

import re

from privwatch.detectors.base import AFTER, PatternDetector, Validation
from privwatch.detectors.checksums import brn_check_digit_ok
from privwatch.detectors.context import labels


class KrBrnDetector(PatternDetector):
    """사업자등록번호; a failed check digit drops the match."""

    entity = "brn"
    pattern = re.compile(
        # BEFORE checked behind the first digit: the engine skips to digits
        r"(?P<office>[1-9](?<![0-9A-Za-z][1-9])\d{2})(?P<sep>-?)(?P<kind>\d{2})(?P=sep)(?P<serial>\d{5})"
        + AFTER
    )
    valid_score = 0.9
    compact_score = 0.2  # one in ten of any ten-digit id passes: needs a context word
    context = labels("brn")
    context_boost = 0.2

    def validate(self, match: re.Match[str]) -> Validation:
        """``VALID`` when the check digit holds, else ``INVALID``."""
        digits = match["office"] + match["kind"] + match["serial"]
        return Validation.VALID if brn_check_digit_ok(digits) else Validation.INVALID

    def is_bare(self, match: re.Match[str]) -> bool:
        """Ten digits without hyphens: the field decides."""
        return not match["sep"]

    def prior(self, match: re.Match[str], validation: Validation) -> float:
        """High with hyphens, lower for bare digits."""
        return self.valid_score if match["sep"] else self.compact_score
