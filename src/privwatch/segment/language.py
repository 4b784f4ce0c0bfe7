"""Document language from its script and, for Latin text, English function words."""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "it",
        "as",
        "with",
        "be",
        "by",
        "on",
        "this",
        "are",
        "or",
        "we",
        "you",
        "your",
        "our",
        "not",
        "from",
        "at",
        "which",
        "have",
        "an",
        "may",
        "will",
        "can",
        "us",
        "any",
        "such",
        "information",
    ]
)
SAMPLE = 200_000


def detect_language(text: str) -> str:
    """Return ``ko``, ``en`` or ``other``."""
    sample = text[:SAMPLE]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return "other"
    hangul = len(_HANGUL.findall(sample))
    if hangul / letters >= 0.25:
        return "ko"
    words = _LATIN_WORD.findall(sample)
    latin = sum(len(word) for word in words)
    if latin / letters >= 0.6 and words:
        english = sum(1 for word in words if word.lower() in _ENGLISH)
        if english / len(words) >= 0.15:
            return "en"
    return "other"


def has_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None
