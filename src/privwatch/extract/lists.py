"""Statements completed by the list under them.

Korean policies usually disclose an overseas transfer (28-8②) as one sentence
followed by a list of its items::

    회사는 클라우드 보관을 위하여 아래와 같이 개인정보를 국외로 이전합니다.
    - 이전받는 자: Acme Cloud Inc. (privacy@acme.example)
    - 이전되는 국가: 일본

and English ones as "We transfer your data to the following recipients:" and
one recipient per item. Each list item is a clause of its own, but none says
everything: the statement and its list are one disclosure. ``units`` groups
the clauses of a document into such units; ``labelled`` reads an item of the
form "이전받는 자: …" with the table header vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from privwatch.extract.context import Context
from privwatch.extract.tables import EMPTY, fields_of
from privwatch.ingest.markers import CIRCLED, CLAUSE_MARKER, HANGUL_ORDINALS
from privwatch.models import Clause, Evidence

# "label: value", the label short and first on the line
LABEL = re.compile(r"[^\n:：]{1,30}?\s*[:：]")
# Korean drafting order: 항 ① > 호 1. > 목 가. > 1) > 가) > (1) > (가) > (a); bullets last
RANKS = (
    re.compile(rf"[{CIRCLED}]"),
    re.compile(r"\d{1,2}\."),
    re.compile(rf"[{HANGUL_ORDINALS}]\."),
    re.compile(r"\d{1,2}\)"),
    re.compile(rf"[{HANGUL_ORDINALS}]\)"),
    re.compile(r"\(\s?\d{1,2}\s?\)"),
    re.compile(rf"\([{HANGUL_ORDINALS}]\)"),
    re.compile(r"\(?[a-z]\)"),
)
BULLET_RANK = len(RANKS)


@dataclass(frozen=True)
class Unit:
    """A clause and the list items that complete it (none for a lone clause)."""

    clauses: tuple[Clause, ...]

    @property
    def statement(self) -> Clause:
        return self.clauses[0]

    @property
    def items(self) -> tuple[Clause, ...]:
        return self.clauses[1:]


@dataclass(frozen=True)
class Label:
    """An item "이전되는 국가: 일본": the fields its label names and its value."""

    fields: tuple[str, ...]
    value: Evidence


def rank(marker: str | None) -> int | None:
    """How deep a marker sits in the drafting order (None: no marker)."""
    if marker is None:
        return None
    for index, pattern in enumerate(RANKS):
        if pattern.fullmatch(marker):
            return index
    return BULLET_RANK


def labelled(ctx: Context, clause: Clause) -> Label | None:
    """The fields an item's label names ("이용 목적 및 보유 기간: …" names
    purpose and retention) and its value, if the value is not empty."""
    text = ctx.text
    start = clause.start
    marker = CLAUSE_MARKER.match(text, start, clause.end)
    if marker:
        start = marker.end()
    while start < clause.end and text[start].isspace():
        start += 1
    match = LABEL.match(text, start, clause.end)
    if match is None:
        return None
    names = fields_of(ctx, match.group()[:-1])
    value_start = match.end()
    while value_start < clause.end and text[value_start].isspace():
        value_start += 1
    value = text[value_start : clause.end]
    if not names or value.strip().lower() in EMPTY:
        return None
    return Label(tuple(names), Evidence(value_start, clause.end, value, clause.id))


def labelled_list(ctx: Context, items: tuple[Clause, ...]) -> dict[str, Label]:
    """Labels of ``items`` by clause id, if they form a list of disclosure
    fields (two or more, naming the recipient or the country, as a table's
    header must); else nothing."""
    labels = {c.id: label for c in items if (label := labelled(ctx, c)) is not None}
    names = {name for label in labels.values() for name in label.fields}
    if len(labels) < 2 or not {"recipient", "country"} & names:
        return {}
    return labels


def opens_list(ctx: Context, clause: Clause) -> bool:
    """The clause announces what follows: "아래와 같이", "the following", ':'."""
    words = ctx.quote(clause).rstrip()
    return words.endswith((":", "：")) or ctx.lex.has("list_opener", words)


def units(ctx: Context) -> list[Unit]:
    """The document's non-table clauses in order, each statement with the
    list items after it that complete it.

    A statement takes the items that follow it in the same section, up to the
    next heading, paragraph, table or item of its own rank (② after ①), when it
    announces them ("아래와 같이 …", "the following recipients:") or when they
    are labelled fields ("이전받는 자: …", "이전되는 국가: …"). A negated
    statement ("국외로 이전하지 않습니다") is no statement a list completes.
    """
    clauses = ctx.document.clauses
    out: list[Unit] = []
    index = 0
    while index < len(clauses):
        clause = clauses[index]
        index += 1
        if clause.table is not None:
            continue
        end = index
        while end < len(clauses) and _below(clause, clauses[end]):
            end += 1
        following = clauses[index:end]
        if (
            following
            and not ctx.lex.has("negation", ctx.quote(clause))
            and (opens_list(ctx, clause) or labelled_list(ctx, following))
        ):
            out.append(Unit((clause, *following)))
            index = end
        else:
            out.append(Unit((clause,)))
    return out


def _below(statement: Clause, item: Clause) -> bool:
    """``item`` is a list item nested under ``statement`` in its section: a
    paragraph heads any item; an item heads deeper items and, at its own
    depth, items of a lower rank (1. under ①), not its siblings (② after ①)."""
    if item.kind != "item" or item.table is not None:
        return False
    if item.section != statement.section:
        return False
    if statement.kind != "item":
        return True
    if item.depth != statement.depth:
        return item.depth > statement.depth
    above, below = rank(statement.marker), rank(item.marker)
    return above is not None and below is not None and below > above


def line_labels(ctx: Context, clause: Clause) -> list[Label]:
    """Labelled lines inside one clause, after its first line: a plain-text
    policy's "다음과 같이 제공합니다.\n제공받는 자: …\n제공 목적: …"."""
    labels = []
    offset = ctx.text.find("\n", clause.start, clause.end)
    while offset != -1:
        start = offset + 1
        end = ctx.text.find("\n", start, clause.end)
        line_end = clause.end if end == -1 else end
        match = LABEL.match(ctx.text, start, line_end)
        if match:
            names = fields_of(ctx, match.group()[:-1])
            value_start = match.end()
            while value_start < line_end and ctx.text[value_start].isspace():
                value_start += 1
            value = ctx.text[value_start:line_end]
            if names and value.strip().lower() not in EMPTY:
                labels.append(
                    Label(
                        tuple(names), Evidence(value_start, line_end, value, clause.id)
                    )
                )
        offset = end
    return labels
