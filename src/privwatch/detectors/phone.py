"""Telephone numbers: Korean mobiles and landlines, and international numbers.

A regex finds candidates (``010-1234-5678``, ``02 345 6789``, ``01012345678``,
``+82 10-1234-5678``, ``+1 (415) 555-2671``, ``821012345678``) and the
``phonenumbers`` library (default region KR) keeps those that are valid numbers.
PhoneNumberMatcher is not used: it is far too slow for megabyte bodies.

A number without separators (``01012345678``) is also the shape of order and
product numbers: it is judged by its field (``context.field_of``), dropped in
an order, SKU or timestamp field, reported in a phone field or after a phone
word, and otherwise scored under what a traffic scan reports (a persona's own
number is found by the persona whatever its field). Written with separators
it is a phone in any field but an order or product one (``"sku":
"010-1234-5678"``, ``ORD-010-1234-5678``: ``context.names_identifier``).
Reference: https://github.com/google/libphonenumber and ITU-T E.164.
"""

from __future__ import annotations

import re

import phonenumbers

from privwatch.detectors.base import AFTER, Detection, PatternDetector, Validation
from privwatch.detectors.context import Field, labels, names_identifier

#: the first character leads (so the engine skips quickly to candidates) and
#: the alternatives check which one it was with a look-behind
_CANDIDATE = re.compile(
    r"[+(08](?<![0-9A-Za-z+][+(08])(?:"
    # international: + country code, then digit groups split by one separator
    r"(?<=\+)(?P<intl>[1-9]\d*+(?:[ .-]?\(\d++\)|[ .-]\d++)*+)"
    # Korean national: 0 + area or carrier code, exchange, subscriber
    r"|(?<=\()(?P<paren>0\d{1,3}\)[ .-]?\d{3,4}[ .-]?\d{4})"
    r"|(?<=0)(?P<national>\d{1,3}[ .-]?\d{3,4}[ .-]?\d{4})"
    # a Korean mobile with the country code but no plus, as some APIs send it
    r"|(?<=8)(?P<cc>2[ .-]?1[016789][ .-]?\d{3,4}[ .-]?\d{4})"
    r")" + AFTER
)
_GROUP = re.compile(r"[ .-]?\(?\d+\)?$")


def parse_valid(candidate: str, region: str = "KR") -> bool:
    """True when ``candidate`` parses as a valid number (``region`` for national
    forms)."""
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


class PhoneDetector(PatternDetector):
    """Phone numbers the phonenumbers library calls valid (KR by default)."""

    entity = "phone"
    pattern = _CANDIDATE
    region = "KR"
    valid_score = 0.85
    compact_score = 0.7
    bare_country_score = 0.5
    context = labels("phone")
    context_boost = 0.1

    def judge(self, match: re.Match[str]) -> Detection | None:
        """Keep a candidate that parses as a valid number."""
        text, start, value = match.string, match.start(), match[0]
        kind = match.lastgroup
        if kind == "intl":
            trimmed = self.trimmed(value)
            if trimmed is None:
                return None
            value, score = trimmed, self.valid_score
        else:
            if not parse_valid("+" + value if kind == "cc" else value, self.region):
                return None
            if value.isdigit():
                return self._bare(match, kind == "cc")
            if names_identifier(text, start, match.end(), self.entity):
                return None  # a SKU or order number written like a phone
            score = self.bare_country_score if kind == "cc" else self.valid_score
        end = start + len(value)
        return Detection(
            self.entity,
            start,
            end,
            text[start:end],
            self.boosted(text, start, score),
            Validation.VALID,
        )

    def _bare(self, match: re.Match[str], country: bool) -> Detection | None:
        """A valid number without separators, judged by its field."""
        text, start, end = match.string, match.start(), match.end()
        field = self.field(text, start, end)
        if field is Field.NOT_PERSONAL:
            return None
        score = self.bare_country_score if country else self.compact_score
        if field is Field.KIND:
            score += self.context_boost
        else:
            score = min(score, self.unsure_score)
        return Detection(
            self.entity, start, end, match[0], round(score, 3), Validation.VALID
        )

    def trimmed(self, value: str) -> str | None:
        """``value``, or it without one or two trailing digit groups swept in
        from the text after it, whichever is a valid number first."""
        for _ in range(3):
            if parse_valid(value, self.region):
                return value
            value = _GROUP.sub("", value)
            if sum(ch.isdigit() for ch in value) < 8:
                break
        return None
