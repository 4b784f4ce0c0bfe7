"""Find headings: from the markup, from Korean/English numbering, and from a
table of contents.

Markup headings keep their level (1-6). Headings recognised from text sit below
them, by rank: chapters and roman numerals, then numbered or upper-case titles,
then articles (제N조).

A numbered table of contents ("1. 수집하는 개인정보 2. ...") is used to find the
numbered headings it lists, even where whitespace was collapsed and a heading
stands mid-line; titles are matched fuzzily since bodies often word them a
little differently from the contents ("개인정보 공유" vs "개인정보의 공유").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from privwatch.ingest.markers import (
    ARTICLE,
    CHAPTER,
    NUMBER_DOT,
    NUMBERINGS,
    ROMAN_HEADING,
)
from privwatch.models import BlockKind, PlacedBlock
from privwatch.segment.language import has_hangul

CHAPTER_LEVEL = 7
NUMBERED_LEVEL = 8
ARTICLE_LEVEL = 9
MAX_TITLE = 60
_ARTICLE_TITLED = re.compile(ARTICLE.pattern + r"(?=[\s(【]|$)")
# "_1._" and "*1.*": emphasis marks a crawl left around the number
_TOC_MARKER = re.compile(r"(?<!\S)[_*]{0,2}(\d{1,2})\s?\.(?!\d)[_*]{0,2}\s*")
_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_UPPER = re.compile(r"^(?:[A-Z]\.\s*)?[^a-z]*[A-Z]{4}[^a-z]*$")
MIN_TOC = 3
TOC_FOUND_SHARE = 0.8  # a numbered list is a table of contents when this share is found
Entry = tuple[int, str, int]  # a contents entry: start, title, end
MATCH_RATIO = 0.8


@dataclass(frozen=True, slots=True)
class Heading:
    start: int
    end: int
    level: int
    numbering: str | None


def numbering_of(title: str) -> str | None:
    """``제3조``, ``3.``, ``Ⅱ.``, ``제1장`` or None."""
    for pattern in NUMBERINGS:
        match = pattern.match(title)
        if match:
            return re.sub(r"\s", "", match.group("num"))
    return None


def reads_like_sentence(line: str) -> bool:
    """A line ending like a sentence is text, not a title."""
    line = line.rstrip()
    if re.search(r"(?:다|요)\s*\.?$", line) or line.endswith((";", ":", ",")):
        return True
    return line.endswith(".") and len(line.split()) > 8


def find_headings(text: str, blocks: tuple[PlacedBlock, ...]) -> list[Heading]:
    headings = [
        Heading(b.start, b.end, b.level, numbering_of(text[b.start : b.end]))
        for b in blocks
        if b.kind is BlockKind.HEADING
    ]
    toc, guided = contents_and_headings(text)
    toc_span = (toc[0][0], toc[-1][2]) if toc else (0, 0)
    paragraphs = [b for b in blocks if b.kind is BlockKind.PARAGRAPH]
    for index, block in enumerate(paragraphs):
        heading = _pattern_heading(text, block)
        if heading is None:
            continue
        numbered = NUMBER_DOT.fullmatch(heading.numbering or "") is not None
        if numbered and (toc or _in_numbered_run(text, paragraphs, index)):
            continue  # numbered headings come from the contents, or this is a list
        if not toc_span[0] <= heading.start < toc_span[1]:
            headings.append(heading)
    taken = [(h.start, h.end) for h in headings]
    for heading in guided:
        if not any(s < heading.end and heading.start < e for s, e in taken):
            headings.append(heading)
    return sorted(headings, key=lambda h: h.start)


def _first_line(text: str, block: PlacedBlock) -> tuple[int, str]:
    end = text.find("\n", block.start, block.end)
    end = block.end if end == -1 else end
    return end, text[block.start : end]


def _pattern_heading(text: str, block: PlacedBlock) -> Heading | None:
    line_end, line = _first_line(text, block)
    article = _ARTICLE_TITLED.match(line)
    if article and ("(" in article.group() or "【" in article.group()):
        return Heading(
            block.start, block.start + article.end(), ARTICLE_LEVEL, numbering_of(line)
        )
    if len(line) > MAX_TITLE or reads_like_sentence(line):
        return None
    if article:
        return Heading(block.start, line_end, ARTICLE_LEVEL, numbering_of(line))
    if NUMBER_DOT.match(line) or (_UPPER.match(line) and not has_hangul(line)):
        return Heading(block.start, line_end, NUMBERED_LEVEL, numbering_of(line))
    if CHAPTER.match(line) or ROMAN_HEADING.match(
        line
    ):  # after upper case: "I. CHANGES"
        return Heading(block.start, line_end, CHAPTER_LEVEL, numbering_of(line))
    return None


def _in_numbered_run(text: str, paragraphs: list[PlacedBlock], index: int) -> bool:
    """A lone numbered line next to another lone one is a list item, not a heading."""

    def lone_numbered(block: PlacedBlock) -> bool:
        line_end, line = _first_line(text, block)
        return line_end == block.end and NUMBER_DOT.match(line) is not None

    if not lone_numbered(paragraphs[index]):
        return False
    neighbours = (
        paragraphs[i] for i in (index - 1, index + 1) if 0 <= i < len(paragraphs)
    )
    return any(lone_numbered(block) for block in neighbours)


def contents_and_headings(text: str) -> tuple[list[Entry], list[Heading]]:
    """The first table of contents whose entries are mostly found as headings."""
    for toc in _numbered_runs(text):
        found = _toc_headings(text, toc)
        if len(found) >= max(MIN_TOC, TOC_FOUND_SHARE * len(toc)) and _have_bodies(
            text, found
        ):
            return toc, found
    return [], []


def _have_bodies(text: str, found: list[Heading]) -> bool:
    """Headings own lines of text below them; list items that only echo the
    contents' wording follow each other line by line."""
    if "\n" not in text:
        return True  # white space collapsed: nothing to go by
    with_body = 0
    for heading, following in zip(found, found[1:], strict=False):
        line_end = text.find("\n", heading.end, following.start)
        if line_end != -1 and text[line_end : following.start].strip():
            with_body += 1
    return with_body >= TOC_FOUND_SHARE * (len(found) - 1)


def _numbered_runs(text: str) -> Iterator[list[Entry]]:
    """Runs of short entries numbered 1, 2, 3...: ``(start, title, end)``."""
    markers = list(_TOC_MARKER.finditer(text))
    chain: list[Entry] = []
    for i, marker in enumerate(markers):
        stop = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        newline = text.find("\n", marker.end(), stop)
        title = text[marker.end() : stop if newline == -1 else newline].rstrip()
        entry = (marker.start(), title, marker.end() + len(title))
        fits = 0 < len(title) <= MAX_TITLE and not reads_like_sentence(title)
        number = int(marker.group(1)) if fits else 0
        gap = text[chain[-1][2] : marker.start()] if chain else ""
        if chain and number == len(chain) + 1 and not gap.strip():
            chain.append(entry)
            continue
        if len(chain) >= MIN_TOC:
            yield chain
        chain = [entry] if number == 1 else []
    if len(chain) >= MIN_TOC:
        yield chain


def _toc_headings(text: str, toc: list[Entry]) -> list[Heading]:
    """Each entry's heading: the first marker of its number after the previous
    heading (after the contents for the first) whose title reads like it.

    The markers are found in one pass (no marker can start inside another, so
    those after a position are the ones a search from there finds)."""
    found: list[Heading] = []
    cursor = toc[-1][2]
    by_number: dict[int, list[re.Match[str]]] = {}
    for marker in _TOC_MARKER.finditer(text, cursor):
        by_number.setdefault(int(marker.group(1)), []).append(marker)
    for number, (_, title, _) in enumerate(toc, start=1):
        wanted = _TRAILING_NOTE.sub("", title) or title
        markers = by_number.get(number, [])
        first = bisect_left(markers, cursor, key=lambda m: m.start())
        for marker in markers[first:]:
            end = _match_title(text, marker.end(), wanted)
            if end is not None:
                found.append(Heading(marker.start(), end, NUMBERED_LEVEL, f"{number}."))
                cursor = end
                break
    return found


def _match_title(text: str, start: int, wanted: str) -> int | None:
    """End of the title at ``start`` if it reads like ``wanted``.

    Every candidate end is a word end; the first with the best similarity wins.
    A candidate whose upper bound (the characters it shares with ``wanted``,
    counted with multiplicity, as ``SequenceMatcher.quick_ratio``) is below
    ``MATCH_RATIO`` or no better than the best so far cannot change the answer,
    so ``ratio`` (the costly part) runs only on the others."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    limit = min(line_end, start + int(len(wanted) * 1.5) + 2)
    need = Counter(wanted)
    seen: Counter[str] = Counter()
    shared = 0
    best, best_end = 0.0, None
    for end in range(start + 1, limit + 1):
        char = text[end - 1]
        seen[char] += 1
        shared += seen[char] <= need[char]
        if end < line_end and not text[end].isspace():
            continue
        bound = 2.0 * shared / (len(wanted) + end - start)
        if bound < MATCH_RATIO or bound <= best:
            continue
        ratio = SequenceMatcher(None, wanted, text[start:end], autojunk=False).ratio()
        if ratio > best:
            best, best_end = ratio, end
    return best_end if best >= MATCH_RATIO else None
