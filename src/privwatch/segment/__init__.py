"""Segmentation: normalised text and placed blocks become sections and clauses.

Headings (``headings``) cut the text into a tree of sections; what is left of
each block becomes clauses, a paragraph being cut again where a line opens with
numbering (``①``, ``1.``, ``가.``); each clause gets its sentences
(``sentences``). Every span is an exact offset range into the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace

from privwatch.errors import InputError
from privwatch.ingest.markers import CLAUSE_MARKER, opens_block_at
from privwatch.ingest.source import Progress
from privwatch.models import (
    BlockKind,
    Clause,
    PlacedBlock,
    Section,
    Span,
    walk_sections,
)
from privwatch.segment.headings import Heading, find_headings, numbering_of
from privwatch.segment.language import detect_language
from privwatch.segment.sentences import split_sentences

__all__ = ["detect_language", "split"]

_LINE_START = re.compile(r"\n")

# The longest clause an audit reads (a passage with no blank line, numbering or
# heading inside). The longest in the corpus is 3,319 characters; a policy saved
# as one paragraph runs to about 75,000. Longer is not a clause a rule can be
# read against, and the sentence splitter's time on it grows faster than its size.
MAX_CLAUSE_CHARS = 200_000


def split(
    text: str,
    blocks: tuple[PlacedBlock, ...],
    *,
    progress: Progress | None = None,
    source: str = "-",
) -> tuple[tuple[Section, ...], tuple[Clause, ...]]:
    """Return the section tree and the clauses of ``text``; a clause longer than
    ``MAX_CLAUSE_CHARS`` is refused (``input.clause_too_long``, ``source`` named)."""
    headings = find_headings(text, blocks)
    sections = _tree(text, headings)
    pieces = _clause_pieces(text, blocks, headings)
    longest = max((span.end - span.start for _block, span in pieces), default=0)
    if longest > MAX_CLAUSE_CHARS:
        raise InputError(
            "input.clause_too_long", source=source, size=longest, limit=MAX_CLAUSE_CHARS
        )
    if progress:
        progress("segment", 0, len(pieces))
    sentences = split_sentences(
        text, [Span(p[1].start, p[1].end) for p in pieces], progress
    )
    owner = _section_lookup(sections)
    clauses: list[Clause] = []
    headers: dict[int, tuple[str, ...]] = {}  # table -> its header cells
    for number, ((block, span), found) in enumerate(
        zip(pieces, sentences, strict=True), 1
    ):
        clause = _clause(text, number, block, span, found, owner(span.start))
        if block.kind is BlockKind.ROW:
            if all(cell.header for cell in block.cells):
                headers[block.table] = tuple(text[c.start : c.end] for c in block.cells)
            elif block.table in headers:
                clause = replace(clause, headers=headers[block.table])
        clauses.append(clause)
    return sections, tuple(clauses)


def _tree(text: str, headings: list[Heading]) -> tuple[Section, ...]:
    """Nest headings by level; a section ends where one of its rank or higher starts."""
    ends = [len(text)] * len(headings)
    open_: list[int] = []
    for index, heading in enumerate(headings):
        while open_ and headings[open_[-1]].level >= heading.level:
            ends[open_.pop()] = heading.start
        open_.append(index)

    def build(indices: list[int], prefix: str) -> tuple[Section, ...]:
        out: list[Section] = []
        position = 0
        while position < len(indices):
            index = indices[position]
            inner = []
            position += 1
            while (
                position < len(indices)
                and headings[indices[position]].start < ends[index]
            ):
                inner.append(indices[position])
                position += 1
            section_id = f"{prefix}{len(out) + 1}"
            out.append(
                _section(
                    text,
                    headings[index],
                    ends[index],
                    section_id,
                    build(inner, f"{section_id}."),
                )
            )
        return tuple(out)

    return build(list(range(len(headings))), "")


def _section(
    text: str,
    heading: Heading,
    end: int,
    section_id: str,
    children: tuple[Section, ...],
) -> Section:
    while end > heading.end and text[end - 1].isspace():
        end -= 1
    title = text[heading.start : heading.end]
    return Section(
        id=section_id,
        heading=title,
        level=heading.level,
        start=heading.start,
        end=end,
        heading_start=heading.start,
        heading_end=heading.end,
        numbering=heading.numbering or numbering_of(title),
        children=children,
    )


def _section_lookup(sections: tuple[Section, ...]) -> Callable[[int], str | None]:
    """Offset -> id of the innermost section holding it."""
    flat = list(walk_sections(sections))
    starts = [section.start for section in flat]

    def owner(offset: int) -> str | None:
        index = bisect_right(starts, offset) - 1
        while index >= 0:
            if flat[index].start <= offset < flat[index].end:
                return flat[index].id
            index -= 1
        return None

    return owner


def _overlapping(
    headings: list[Heading], ends: list[int] | None, block: PlacedBlock
) -> list[Heading]:
    """The headings that may overlap ``block``: found by bisection when they
    are in order and apart (``ends`` given), else all of them."""
    if ends is None:
        return headings
    first = bisect_right(ends, block.start)  # the first ending after its start
    last = first
    while last < len(headings) and headings[last].start < block.end:
        last += 1
    return headings[first:last]


def _clause_pieces(
    text: str, blocks: tuple[PlacedBlock, ...], headings: list[Heading]
) -> list[tuple[PlacedBlock, Span]]:
    """Each non-heading block minus heading spans, cut at numbered lines."""
    pieces: list[tuple[PlacedBlock, Span]] = []
    ordered = all(
        a.end <= b.start for a, b in zip(headings, headings[1:], strict=False)
    )
    ends = [h.end for h in headings] if ordered else None
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            continue
        if block.kind is BlockKind.ROW:
            pieces.append((block, Span(block.start, block.end)))
            continue
        cuts = [
            (h.start, h.end)
            for h in _overlapping(headings, ends, block)
            if h.start < block.end and block.start < h.end
        ]
        cursor = block.start
        for start, end in [*cuts, (block.end, block.end)]:
            for span in _cut_lines(
                text, max(cursor, block.start), min(start, block.end)
            ):
                pieces.append((block, span))
            cursor = max(cursor, end)
    return pieces


def _cut_lines(text: str, start: int, end: int) -> list[Span]:
    """Split ``text[start:end]`` where a line opens with numbering; trim each part."""
    bounds = [start]
    for match in _LINE_START.finditer(text, start, end):
        if opens_block_at(text, match.end(), end):
            bounds.append(match.end())
    bounds.append(end)
    spans = []
    for left, right in zip(bounds, bounds[1:], strict=False):
        piece = text[left:right]
        stripped = piece.strip()
        if stripped:
            offset = left + len(piece) - len(piece.lstrip())
            spans.append(Span(offset, offset + len(stripped)))
    return spans


def _clause(
    text: str,
    number: int,
    block: PlacedBlock,
    span: Span,
    sentences: tuple[Span, ...],
    section: str | None,
) -> Clause:
    marker_match = CLAUSE_MARKER.match(text, span.start, span.end)
    marker = marker_match.group().strip() if marker_match else None
    kind = block.kind.value
    if block.kind is BlockKind.PARAGRAPH and marker:
        kind = BlockKind.ITEM.value
    return Clause(
        id=f"c{number}",
        kind=kind,
        start=span.start,
        end=span.end,
        section=section,
        marker=marker,
        depth=block.level if block.kind is BlockKind.ITEM else 0,
        cells=block.cells if block.kind is BlockKind.ROW else (),
        table=block.table if block.kind is BlockKind.ROW else None,
        sentences=sentences,
    )
