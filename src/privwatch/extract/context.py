"""What the extractor knows about a document: topics per clause, evidence spans."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from privwatch.extract.lexicon import Lexicon, lexicon
from privwatch.models import Clause, Document, Evidence, Scope, Section, walk_sections

ATTRIBUTE_LIST = re.compile(r"\{:[^}]*\}\s*$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a Korean road-name address (서울특별시 중구 세종대로 110) or an English one in Korea
ADDRESS = re.compile(
    r"[가-힣]+(?:특별시|광역시|특별자치시|특별자치도|시|도)\s+[가-힣]+(?:구|군|시)\s+[가-힣0-9]+(?:로|길)\s*\d+"
    r"|\d+[-,]?\s*[A-Z][a-z]+-?(?:daero|ro|gil)\b[^\n]{0,60}(?:Seoul|Busan|Incheon|Korea)"
)
PHONE = re.compile(
    r"(?<!\d)(?:\+\d{1,3}[-.\s]?\(?\d{1,4}\)?[-.\s]?\d{3,4}[-.\s]?\d{4}"  # +82-2-555-0192
    r"|\(?\d{2,4}\)?[-.\s]?\d{3,4}[-.\s]?\d{4}"  # 02-555-0192, 010 1234 5678
    r"|1[5-9]\d{2}-\d{4})(?!\d)"  # a Korean company number: 1588-3820
)


@dataclass
class Context:
    document: Document
    lex: Lexicon = field(default_factory=lexicon)
    foreign: bool | None = None  # the business is established outside Korea
    scope: Scope = field(default_factory=lambda: Scope("general"))
    # what several extraction steps read, computed once per document
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.document.text

    def quote(self, clause: Clause) -> str:
        return self.text[clause.start : clause.end]

    @cached_property
    def clause_index(self) -> dict[str, int]:
        """Each clause's position in the document, by id."""
        return {clause.id: i for i, clause in enumerate(self.document.clauses)}

    @cached_property
    def sections(self) -> dict[str, Section]:
        return {s.id: s for s in walk_sections(self.document.sections)}

    @cached_property
    def section_topics(self) -> dict[str, frozenset[str]]:
        """Topics of each section: its own heading's and its ancestors'."""
        topics: dict[str, frozenset[str]] = {}
        for section_id in self.sections:  # parents come before their children
            parent = section_id.rpartition(".")[0]
            topics[section_id] = self.own_topics[section_id] | topics.get(
                parent, frozenset()
            )
        return topics

    def topics(self, clause: Clause) -> frozenset[str]:
        return self.section_topics.get(clause.section or "", frozenset())

    @cached_property
    def own_topics(self) -> dict[str, frozenset[str]]:
        """Topics each section's own heading names (not its ancestors')."""
        return {
            section_id: frozenset(
                name
                for name, phrases in self.lex.topics.items()
                if phrases.search(section.heading)
            )
            for section_id, section in self.sections.items()
        }

    def nearest_topics(self, clause: Clause) -> frozenset[str]:
        """Topics of the innermost section whose own heading names any: an
        outsourcing sub-section under "1. 수집하는 개인정보" is about
        outsourcing, not items."""
        section_id = clause.section or ""
        while section_id:
            own = self.own_topics.get(section_id)
            if own:
                return own
            section_id = section_id.rpartition(".")[0]
        return frozenset()

    def heading_topics(self) -> dict[str, list[Section]]:
        """Sections whose own heading names each topic and that hold some text:
        a line of a table of contents with nothing under it is no content."""
        found: dict[str, list[Section]] = {}
        starts = sorted(clause.start for clause in self.document.clauses)
        filled = {
            section.id
            for section in self.sections.values()
            if (i := bisect_left(starts, section.start)) < len(starts)
            and starts[i] < section.end
        }
        for section in self.sections.values():
            if section.id in filled:
                for name in sorted(self.own_topics[section.id]):
                    found.setdefault(name, []).append(section)
        return found

    @cached_property
    def content_topics(self) -> dict[str, list[Clause]]:
        """Clauses whose words carry each mandatory topic (``content`` cues),
        wherever they stand: absence is judged from content, not headings."""
        found: dict[str, list[Clause]] = {}
        for clause in self.document.clauses:
            text = self.quote(clause)
            # a kramdown attribute list ("{: #rights }") ends a line, not a sentence
            end = ATTRIBUTE_LIST.sub("", text).rstrip()
            if len(text) < 60 and not end.endswith((".", "다", "요", ":", "：")):
                continue  # a line of a table of contents, a heading: no content
            for name, phrases in self.lex.content.items():
                if phrases.search(text):
                    found.setdefault(name, []).append(clause)
        return found

    @cached_property
    def _listing(self) -> frozenset[str]:
        return frozenset(
            c.id
            for c in self.document.clauses
            if len(self.lex.items.labels_in(self.quote(c))) >= 2
        )

    def lists_items(self, clause: Clause) -> bool:
        """The clause names two or more kinds of personal data: a list of items,
        whatever its section."""
        return clause.id in self._listing

    def evidence(
        self, clause: Clause, start: int | None = None, end: int | None = None
    ) -> Evidence:
        """The sentence of ``clause`` holding ``start`` (the whole clause if None)."""
        if start is not None:
            for sentence in clause.sentences:
                if sentence.start <= start < sentence.end:
                    span_end = max(sentence.end, end or 0)
                    return self._evidence(
                        sentence.start, min(span_end, clause.end), clause.id
                    )
        return self._evidence(clause.start, clause.end, clause.id)

    def section_evidence(self, section: Section) -> Evidence:
        return self._evidence(section.heading_start, section.heading_end, None)

    def _evidence(self, start: int, end: int, clause: str | None) -> Evidence:
        return Evidence(start, end, self.text[start:end], clause)

    def cell_header(self, clause: Clause, offset: int) -> str:
        """For a table row: the header over the cell holding ``offset`` and the
        row's first cell (which heads the row in tables laid out by column)."""
        if clause.table is None or not clause.cells:
            return ""
        first = self.text[clause.cells[0].start : clause.cells[0].end]
        for index, cell in enumerate(clause.cells):
            if cell.start <= offset <= cell.end and index < len(clause.headers):
                return f"{clause.headers[index]} {first}"
        return first

    def sentence_text(self, clause: Clause, offset: int) -> str:
        for sentence in clause.sentences:
            if sentence.start <= offset < sentence.end:
                return self.text[sentence.start : sentence.end]
        return self.quote(clause)
