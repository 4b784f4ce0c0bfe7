"""The typed values that flow through privwatch.

Every span is a pair of character offsets into ``Document.text`` (the normalised
text), so ``document.text[span.start:span.end]`` is exactly what it names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

SCHEMA = "privwatch.document/1"


class BlockKind(StrEnum):
    """What a reader found in the source's own structure."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    ITEM = "item"
    ROW = "row"


class Severity(StrEnum):
    """A finding's severity; members run from the most severe, the order
    findings and counts are shown in."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for high: sorts the most severe first."""
        return list(Severity).index(self)


SEVERITIES: tuple[str, ...] = tuple(s.value for s in Severity)
"""The severities as plain strings, most severe first."""


@dataclass(frozen=True, slots=True)
class Block:
    """One structural unit a format reader found, before layout into text.

    ``level`` is the heading level (1-6) or the list depth (1 = top list);
    ``cells`` holds a table row's cell texts, ``table`` numbers the table the row
    belongs to, ``header`` marks a header row and ``cell_headers`` marks header
    cells (``<th>``) in an otherwise ordinary row.
    """

    kind: BlockKind
    text: str = ""
    level: int = 0
    cells: tuple[str, ...] = ()
    table: int = -1
    header: bool = False
    cell_headers: tuple[bool, ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PlacedBlock:
    """A block laid out in the normalised text."""

    kind: BlockKind
    start: int
    end: int
    level: int = 0
    cells: tuple[Cell, ...] = ()
    table: int = -1
    header: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    start: int
    end: int
    header: bool = False


@dataclass(frozen=True, slots=True)
class Clause:
    """The smallest unit findings quote: a paragraph, list item or table row.

    ``marker`` is the numbering it starts with (``①``, ``가.``, ``1)``...);
    ``headers`` are the header cells of the table a data row belongs to and
    ``table`` numbers that table within the document.
    """

    id: str
    kind: str
    start: int
    end: int
    section: str | None = None
    marker: str | None = None
    depth: int = 0
    cells: tuple[Cell, ...] = ()
    headers: tuple[str, ...] = ()
    table: int | None = None
    sentences: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and everything up to the next heading of the same or higher rank.

    ``start``/``end`` cover the whole section; ``heading_start``/``heading_end``
    the heading itself. ``numbering`` is ``제3조``, ``3.``, ``Ⅱ.`` and so on.
    """

    id: str
    heading: str
    level: int
    start: int
    end: int
    heading_start: int
    heading_end: int
    numbering: str | None = None
    children: tuple[Section, ...] = ()


def walk_sections(sections: tuple[Section, ...]) -> Iterator[Section]:
    """Sections and their descendants, depth first, in document order."""
    stack = list(reversed(sections))
    while stack:
        section = stack.pop()
        yield section
        stack.extend(reversed(section.children))


@dataclass(frozen=True, slots=True)
class SourceInfo:
    uri: str
    kind: str  # "file", "url" or "bytes"
    media_type: str
    encoding: str | None
    size: int
    bytes_sha256: str
    http_status: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    source: SourceInfo
    fetched_at: str
    sha256: str
    language: str
    title: str | None
    text: str
    sections: tuple[Section, ...] = ()
    clauses: tuple[Clause, ...] = ()
    schema: str = field(default=SCHEMA)

    def iter_sections(self) -> Iterator[Section]:
        """All sections, depth first, in document order."""
        return walk_sections(self.sections)

    def quote(self, span: Span | Clause | Section | Cell) -> str:
        return self.text[span.start : span.end]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quoted span of the document (``document.text[start:end] == text``), or
    an observed request of a recorded session (``entry_index``, ``host``; the
    span is then empty, start and end -1)."""

    start: int
    end: int
    text: str
    clause: str | None = None
    entry_index: int | None = None
    host: str | None = None


Attr = str | bool | None


@dataclass(frozen=True, slots=True)
class Fact:
    """Something the policy says, with the spans that say it (docs/facts.md)."""

    kind: str
    value: str | None = None
    attrs: tuple[tuple[str, Attr], ...] = ()
    evidence: tuple[Evidence, ...] = ()

    def get(self, name: str) -> Attr:
        return dict(self.attrs).get(name)


CERTAINTIES = ("certain", "review")


@dataclass(frozen=True, slots=True)
class Finding:
    """Where the policy falls short of a rule, with the evidence for it: no words.

    ``params`` are the values the rule's templates are filled with (``value``,
    the fact's attributes; ``missing`` holds field keys, not names): its title,
    explanation and remediation are rendered in the reader's language by
    ``privwatch.rules.words.finding_words``. A finding about something missing
    from the policy has no evidence. ``certainty`` is ``certain``, or ``review``
    when the text cannot settle the point (a threshold, the document's audience,
    a debatable reading): then ``reason`` refers to why (``rule.review.<n>``,
    the rule's n-th review condition, or a message key ``review.<code>``), and
    a person must decide. A finding quotes at most a few spans; ``more`` names
    the other clauses its evidence is in.
    """

    rule: str
    law: str
    article: str
    severity: str
    params: tuple[tuple[str, str], ...] = ()
    evidence: tuple[Evidence, ...] = ()
    certainty: str = "certain"
    reason: str | None = None
    more: tuple[str, ...] = ()

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)


AUDIENCES = ("korea", "general", "other")


@dataclass(frozen=True, slots=True)
class Scope:
    """Whom a text addresses: Korean users (``korea``), no one country
    (``general``: a global text, perhaps with a Korea section), or only users
    elsewhere (``other``; ``where`` names them, e.g. ``US``, ``EEA``), with the
    spans that say so. ``left_out`` names the passages the audit leaves out
    because they address users elsewhere: (place, clause ids) pairs."""

    audience: str
    where: str | None = None
    evidence: tuple[Evidence, ...] = ()
    left_out: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Labelled:
    """A clause's labels from a classifier (those at or above their threshold) and
    every label's score; ``clause`` is the clause id when the text came from a
    segmented document."""

    text: str
    labels: tuple[str, ...]
    scores: dict[str, float]
    clause: str | None = None


@dataclass(frozen=True, slots=True)
class Audit:
    """A document audited against rule packs: what it says and where it falls short."""

    document: Document
    facts: tuple[Fact, ...]
    findings: tuple[Finding, ...]
    packs: tuple[tuple[str, str], ...]  # (pack, version)
    context: tuple[tuple[str, bool], ...] = ()
    consistency: tuple[Any, ...] = ()  # consistency.Consistency records, with traffic
    practices: tuple[Labelled, ...] = ()  # per clause, when asked for
    scope: Scope = Scope("general")
    #: the recorded session's provenance (``ScanResult.provenance``), with traffic
    traffic: dict[str, Any] | None = None
