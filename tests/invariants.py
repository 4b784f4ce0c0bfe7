"""Checks every Document must pass, whatever its source."""

from __future__ import annotations

import hashlib

from privwatch.models import Document


def assert_invariants(document: Document) -> None:
    text = document.text
    assert document.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert document.language in ("ko", "en", "other")
    previous_end = 0
    seen_ids = set()
    for clause in document.clauses:
        assert clause.id not in seen_ids
        seen_ids.add(clause.id)
        quote = text[clause.start : clause.end]
        assert quote.strip(), f"empty clause {clause}"
        assert quote == quote.strip(), f"clause not trimmed: {quote!r}"
        assert clause.start >= previous_end, (
            f"clauses overlap or go backwards at {clause.id}"
        )
        previous_end = clause.end
        assert clause.sentences, f"clause without sentences: {clause.id}"
        for sentence in clause.sentences:
            assert clause.start <= sentence.start < sentence.end <= clause.end
            assert text[sentence.start : sentence.end].strip()
        for cell in clause.cells:
            assert clause.start <= cell.start <= cell.end <= clause.end
    section_ids = set()
    headings = []
    for section in document.iter_sections():
        section_ids.add(section.id)
        heading = text[section.heading_start : section.heading_end]
        assert heading == section.heading and heading.strip() == heading and heading
        assert (
            section.start == section.heading_start <= section.heading_end <= section.end
        )
        assert section.end <= len(text)
        for child in section.children:
            assert section.start <= child.start and child.end <= section.end
            assert child.level > section.level
        headings.append((section.heading_start, section.heading_end))
    for clause in document.clauses:
        assert clause.section is None or clause.section in section_ids
        for start, end in headings:  # no clause covers a heading
            assert clause.end <= start or clause.start >= end, (
                f"{clause.id} covers a heading"
            )
