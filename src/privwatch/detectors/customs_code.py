"""개인통관고유부호 (Korean personal customs clearance code): 'P' and 12 digits.

Issued by the Korea Customs Service and asked for by overseas shops for a
parcel's customs clearance. There is no public check digit, and "P" with 12
digits is also the shape of order and product numbers, so a bare code scores
below what a traffic scan reports; a context word (a field name such as
``pccc`` or a label such as 통관고유부호) before it raises it to a report.
Pattern, scores and context words are data: ``privwatch/data/customs_code.yaml``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import ClassVar, TypedDict

from privwatch.detectors.base import AFTER, BEFORE, PatternDetector
from privwatch.yamlfile import packaged


class _Rules(TypedDict):
    pattern: str
    base_score: float
    context_boost: float
    context: list[str]


@cache
def _rules() -> _Rules:
    return packaged("privwatch", "data/customs_code.yaml", _Rules)


class KrCustomsCodeDetector(PatternDetector):
    """개인통관고유부호; ``UNCHECKED`` (no check digit), reported with context."""

    entity = "customs_code"
    pattern: ClassVar[re.Pattern[str]] = re.compile(
        BEFORE + _rules()["pattern"] + AFTER, re.IGNORECASE
    )
    base_score = _rules()["base_score"]
    context = tuple(_rules()["context"])
    context_boost = _rules()["context_boost"]

    def is_bare(self, match: re.Match[str]) -> bool:
        """ "P" and 12 digits are also an order or product number: the field
        decides."""
        return True
