"""Payment card numbers (PAN): 13-19 digits, optionally grouped by spaces or
hyphens, with a known issuer prefix (IIN) and a valid Luhn check digit.

Reference: ISO/IEC 7812-1; issuer ranges as listed at
https://en.wikipedia.org/wiki/Payment_card_number
"""

from __future__ import annotations

import re

from privwatch.detectors.base import AFTER, PatternDetector, Validation
from privwatch.detectors.checksums import luhn_ok
from privwatch.detectors.context import labels

_ANY = frozenset(range(13, 20))
#: (lowest prefix, highest prefix, card lengths): compared on the first
#: len(lowest) digits
ISSUERS: tuple[tuple[str, str, frozenset[int]], ...] = (
    ("4", "4", frozenset({13, 16, 19})),  # Visa
    ("51", "55", frozenset({16})),  # Mastercard
    ("2221", "2720", frozenset({16})),  # Mastercard 2-series
    ("34", "34", frozenset({15})),  # American Express
    ("37", "37", frozenset({15})),
    ("300", "305", frozenset(range(14, 20))),  # Diners Club
    ("36", "36", frozenset(range(14, 20))),
    ("38", "39", frozenset(range(16, 20))),
    ("3528", "3589", frozenset(range(16, 20))),  # JCB
    ("6011", "6011", frozenset(range(16, 20))),  # Discover
    ("644", "649", frozenset(range(16, 20))),
    ("65", "65", frozenset(range(16, 20))),
    ("62", "62", frozenset(range(16, 20))),  # UnionPay
    ("2200", "2204", frozenset(range(16, 20))),  # Mir
    ("5018", "5018", _ANY),  # Maestro
    ("5020", "5020", _ANY),
    ("5038", "5038", _ANY),
    ("5893", "5893", _ANY),
    ("6304", "6304", _ANY),
    ("6759", "6759", _ANY),
    ("6761", "6763", _ANY),
)


def issuer_known(digits: str) -> bool:
    """True when the prefix and length of ``digits`` fit a known issuer."""
    return any(
        low <= digits[: len(low)] <= high and len(digits) in lengths
        for low, high, lengths in ISSUERS
    )


def _grouping_ok(value: str) -> bool:
    """Separators, if any, are all the same and split 4-digit-led groups of 3-6."""
    separators = {ch for ch in value if not ch.isdigit()}
    if not separators:
        return True
    if len(separators) > 1:
        return False
    groups = value.split(separators.pop())
    return len(groups[0]) == 4 and all(3 <= len(g) <= 6 for g in groups[1:])


class CardDetector(PatternDetector):
    """Card numbers: known issuer, Luhn check; grouped numbers score higher."""

    entity = "card"
    #: the first digit leads, so the engine skips quickly to candidates
    pattern = re.compile(r"[2-6](?<![0-9A-Za-z][2-6])(?:[ -]?\d){12,18}" + AFTER)
    valid_score = 0.9
    compact_score = 0.6
    #: bare runs of 13, 17, 18 or 19 digits are far more often ids than cards
    rare_length_score = 0.3
    context = labels("card")
    context_boost = 0.3

    def validate(self, match: re.Match[str]) -> Validation:
        """``VALID`` when grouping, issuer and Luhn all hold, else ``INVALID``."""
        value = match[0]
        digits = value.replace(" ", "").replace("-", "")
        if _grouping_ok(value) and issuer_known(digits) and luhn_ok(digits):
            return Validation.VALID
        return Validation.INVALID

    def is_bare(self, match: re.Match[str]) -> bool:
        """A digit run without grouping is also a transaction or product id:
        its field decides."""
        return match[0].isdigit()

    def prior(self, match: re.Match[str], validation: Validation) -> float:
        """High when grouped like a printed card, lower for a bare digit run."""
        value = match[0]
        if not value.isdigit():
            return self.valid_score
        return self.compact_score if len(value) in (15, 16) else self.rare_length_score
