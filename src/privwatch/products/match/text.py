"""Text as the matcher compares it: folded, in pieces, quoted back exactly."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from privwatch.products.match.data import ModelRules, rules

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_./\\·•#'’:,()\[\]]+")
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_HAN = "\u3400-\u9fff\uf900-\ufaff"
_PIECE = re.compile(rf"[0-9a-z\u00df-\u024f]+|[{_HANGUL}]+|[{_HAN}]+")


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` in NFKC and case-folded, with the index in ``text`` of each
    folded character (so a span found in the folded text is quoted from the
    original)."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).casefold()
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def compact(text: str) -> str:
    """Folded, with separators removed: how brand forms and model numbers
    compare."""
    return _SEPARATORS.sub("", fold(text)[0])


def _prefix_pattern(prefixes: Sequence[str]) -> re.Pattern[str]:
    words = sorted((re.escape(fold(p)[0]) for p in prefixes), key=len, reverse=True)
    return re.compile(rf"^\s*(?:{'|'.join(words)})\s*(?:[.:#：]\s*|\s+|(?=\d))")


def model_key(text: str, prefixes: re.Pattern[str] | None = None) -> str:
    """A model number as compared: prefixes dropped, NFKC, upper case, without
    separators (``"Model No. jy-pc 20us/5p"`` -> ``"JYPC20US5P"``)."""
    folded = fold(text)[0]
    pattern = prefixes or _default_prefixes()
    stripped = pattern.sub("", folded, count=1)
    if _SEPARATORS.sub("", stripped):
        folded = stripped
    return _SEPARATORS.sub("", folded).upper()


def _default_prefixes() -> re.Pattern[str]:
    global _PREFIXES
    if _PREFIXES is None:
        _PREFIXES = _prefix_pattern(rules()["model"]["prefixes"])
    return _PREFIXES


_PREFIXES: re.Pattern[str] | None = None


def model_strength(key: str, model: ModelRules) -> str:
    """``distinctive``, ``short`` (matches only with the brand, as review) or
    ``none`` (never a model number: too short, or letters only)."""
    has_digit = any(c.isdigit() for c in key)
    if not has_digit or len(key) < 3:
        return "none"
    if key.isdigit():
        return "distinctive" if len(key) >= model["numeric_min_chars"] else "short"
    has_letter = any(c.isalpha() for c in key)
    if has_letter and len(key) >= model["min_chars"]:
        return "distinctive"
    return "short"


def gtin14(text: str) -> str | None:
    """``text`` as a GTIN-14 (leading zeros added) when it is a GTIN-8, 12, 13
    or 14 with a valid check digit, else None."""
    digits = re.sub(r"\D", "", fold(text)[0])
    if len(digits) not in (8, 12, 13, 14):
        return None
    padded = digits.zfill(14)
    return padded if gtin_check_ok(padded) else None


def gtin_check_ok(digits: str) -> bool:
    """The GS1 mod-10 check digit of a 14-digit string."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits[:-1]))
    return (10 - total % 10) % 10 == int(digits[-1])


_LANG_SCRIPT = {"ko": "hangul", "zh": "han", "ja": "han", "en": "latin"}


def _script(folded: str) -> str:
    """The script most of ``folded``'s letters are in."""
    counts = {"hangul": 0, "han": 0, "latin": 0}
    for char in folded:
        if "\uac00" <= char <= "\ud7a3":
            counts["hangul"] += 1
        elif "\u3400" <= char <= "\u9fff":
            counts["han"] += 1
        elif char.isalpha():
            counts["latin"] += 1
    return max(counts, key=lambda k: counts[k])


_GTIN_IN_TEXT = re.compile(r"(?<![\d])\d(?:[ \-]?\d){11,13}(?![\d])")
"""12 to 14 digits, single spaces or dashes allowed between them; a GTIN-8 is
taken only from an identifier field (any 8-digit number passes its check one
time in ten)."""


@dataclass(frozen=True)
class _Piece:
    text: str  # folded
    start: int  # in the folded text
    end: int


def _pieces(folded: str) -> list[_Piece]:
    return [_Piece(m.group(), m.start(), m.end()) for m in _PIECE.finditer(folded)]


def _is_latin(piece: str) -> bool:
    return piece[0].isascii() or "\u00df" <= piece[0] <= "\u024f"


@dataclass
class _Text:
    """A listing's text folded once, with its pieces."""

    original: str
    folded: str
    where: list[int]
    pieces: list[_Piece]

    @classmethod
    def of(cls, text: str) -> _Text:
        folded, where = fold(text)
        return cls(text, folded, where, _pieces(folded))

    def quote(self, start: int, end: int) -> str:
        if not self.where or end <= start:
            return ""
        return self.original[self.where[start] : self.where[end - 1] + 1]


@dataclass(frozen=True)
class _Hit:
    """Where something was found in a listing: the field, the exact quote, and
    the folded span in the title (None when found in a field of its own)."""

    field: str
    quote: str
    span: tuple[int, int] | None
