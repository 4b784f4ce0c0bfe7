"""Sentence spans: Kiwi for text with Hangul, a rule-based splitter for English."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from privwatch.models import Span
from privwatch.segment.language import has_hangul
from privwatch.yamlfile import packaged

if TYPE_CHECKING:
    from privwatch.ingest.source import Progress


class Abbreviations(TypedDict):
    """``data/abbreviations.yaml``: English words a full stop does not end."""

    en: list[str]
    en_sentence_final: list[str]
    en_openers: list[str]


_CANDIDATE = re.compile(
    r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9\uac00-\ud7a3]|\s*$)"
)
_WORD_BEFORE = re.compile(r"(?<![A-Za-z.])([A-Za-z][A-Za-z.]*)$")
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]?([A-Za-z]+)")


@cache
def _lexicon(name: Literal["en", "en_sentence_final", "en_openers"]) -> frozenset[str]:
    data = packaged("privwatch", "data/abbreviations.yaml", Abbreviations)
    return frozenset(term.lower() for term in data[name])


@cache
def _kiwi() -> Any:
    from kiwipiepy import Kiwi

    workers = int(
        os.environ.get("PRIVWATCH_KIWI_WORKERS") or min(4, os.cpu_count() or 1)
    )
    # Only sentence boundaries are used: the built-in dictionaries (proper nouns,
    # typos, multi-word entries) cost ~1.6 s of CPU to load and change no
    # boundary on the corpus (bench/kiwi_split.py: 0 of 15,036 clauses).
    return Kiwi(
        num_workers=max(1, workers),  # 0 breaks batch splitting
        load_default_dict=False,
        load_typo_dict=False,
        load_multi_dict=False,
    )


def split_english(text: str) -> list[Span]:
    """Split English text; survives e.g., i.e., U.S., Sec. 4.2 and initials."""
    spans: list[Span] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if match.group().startswith(".") and not _ends_sentence(
            text, match.start(), match.end()
        ):
            continue
        spans.append(Span(start, match.end()))
        start = match.end()
    spans.append(Span(start, len(text)))
    return _trimmed(text, spans)


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    """Whether the full stop at ``stop`` ends a sentence (not ``e.g.``, ``Sec.``)."""
    match = _WORD_BEFORE.search(text, max(0, stop - 20), stop)
    if match is None:
        return True
    word = match.group(1).lower().rstrip(".")
    if word not in _lexicon("en") and len(word) != 1:
        return True
    if word in _lexicon("en_sentence_final"):
        following = _NEXT_WORD.match(text, after)
        return following is not None and following.group(1).lower() in _lexicon(
            "en_openers"
        )
    return False


def _trimmed(text: str, spans: Iterable[Span]) -> list[Span]:
    out = []
    for span in spans:
        piece = text[span.start : span.end]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right > left:
            out.append(Span(span.start + left, span.start + right))
    return out


def split_sentences(
    text: str, spans: list[Span], progress: Progress | None = None
) -> list[tuple[Span, ...]]:
    """Sentence spans (absolute offsets) for each of ``spans`` of ``text``;
    ``progress("segment", done, total)`` after each span."""
    pieces = [text[span.start : span.end] for span in spans]
    result: list[list[Span]] = [[] for _ in spans]
    korean = [i for i, piece in enumerate(pieces) if has_hangul(piece)]
    done = 0
    if korean:
        found = _kiwi().split_into_sents([pieces[i] for i in korean])
        for index, sentences in zip(korean, found, strict=True):  # lazily, in turn
            local = [Span(s.start, s.end) for s in sentences]
            result[index] = _trimmed(pieces[index], local) or [
                Span(0, len(pieces[index]))
            ]
            done += 1
            if progress:
                progress("segment", done, len(spans))
    for index, piece in enumerate(pieces):
        if not result[index]:
            result[index] = split_english(piece)
            done += 1
            if progress:
                progress("segment", done, len(spans))
    return [
        tuple(Span(spans[i].start + s.start, spans[i].start + s.end) for s in local)
        for i, local in enumerate(result)
    ]
