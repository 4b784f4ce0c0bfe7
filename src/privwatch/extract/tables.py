"""Read disclosure tables: who receives data, what, why, how long, where.

Korean policies disclose provision (17②), outsourcing (26) and overseas
transfer (28-8②) in tables, either one recipient per row under a header row,
or one recipient per column with the item names down the first column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from privwatch.extract.context import Context
from privwatch.models import Cell, Clause, Document, Evidence

FIELDS = (
    "refusal",
    "country",
    "time_method",
    "contact",
    "retention",
    "recipient",
    "purpose",
    "items",
)
REPRESENTATIVES = re.compile(r"representatives?\b|대리인", re.I)
EMPTY = {"", "-", "–", "—", "n/a", "없음", "해당없음", "해당 없음"}


@dataclass
class Record:
    role: str  # provision, outsourcing or transfer
    fields: dict[str, Evidence]
    clauses: list[Clause]


def table_head(document: Document, clause: Clause) -> str:
    """A row's header cells, or its table's first row where the source marked
    no header ("Jurisdictions | Representative | Address")."""
    if clause.headers:
        return " ".join(clause.headers)
    for other in document.clauses:
        if other.table == clause.table and other.table is not None:
            return document.quote(other)
    return ""


def fields_of(ctx: Context, header: str) -> list[str]:
    """What a column holds; one header can name two ("이용 목적 및 보유 기간"),
    "제공받는 자의 이용 목적" is a purpose, not a recipient, and a cell naming a
    company ("Skyharbor Data Inc.") is no header at all."""
    if ctx.lex.entity_markers.search(header):
        return []
    labels = ctx.lex.headers.labels_in(header)
    if (
        "recipient" in labels
        and len(labels) > 1
        and ctx.lex.has("possessive_recipient", header)
    ):
        labels.discard("recipient")
    if "items" in labels and labels & {"retention", "purpose", "country", "contact"}:
        labels.discard("items")  # "개인정보의 보유 기간": the period, not the items
    return [name for name in FIELDS if name in labels]


def table_records(ctx: Context) -> list[Record]:
    clauses = ctx.document.clauses
    rows = [c for c in clauses if c.table is not None]
    records: list[Record] = []
    for _, group in groupby(rows, key=lambda c: (c.table, c.section)):
        table = list(group)
        before = _preceding_text(ctx, table[0])
        for fields, evidence_clauses in _read(ctx, table):
            role = _role(ctx, table, fields, before)
            if role is not None:
                records.append(Record(role, fields, evidence_clauses))
    return records


def _read(
    ctx: Context, table: list[Clause]
) -> list[tuple[dict[str, Evidence], list[Clause]]]:
    """Read the table by row or by column, whichever recognises more fields."""
    by_row, by_column = _horizontal(ctx, table), _vertical(ctx, table)

    def known(found: list[tuple[dict[str, Evidence], list[Clause]]]) -> int:
        return len({name for fields, _ in found for name in fields})

    return by_column if known(by_column) > known(by_row) else by_row


def _cell_evidence(ctx: Context, cell: Cell, clause: Clause) -> Evidence | None:
    text = ctx.text[cell.start : cell.end]
    if text.strip().lower() in EMPTY:
        return None
    return Evidence(cell.start, cell.end, text, clause.id)


def _horizontal(
    ctx: Context, table: list[Clause]
) -> list[tuple[dict[str, Evidence], list[Clause]]]:
    data = [c for c in table if c.headers and not all(cell.header for cell in c.cells)]
    if data:
        headers = data[0].headers
    else:  # no marked header row: the first row may be one (converted pages often lose it)
        headers = tuple(ctx.text[cell.start : cell.end] for cell in table[0].cells)
        data = table[1:]
    if not data:
        return []
    columns = [fields_of(ctx, header) for header in headers]
    named = {name for names in columns for name in names}
    if len(named) < 2 or not {"recipient", "country"} & named:
        return []
    out = []
    for row in data:
        fields: dict[str, Evidence] = {}
        for names, cell in zip(columns, row.cells, strict=False):
            evidence = _cell_evidence(ctx, cell, row)
            for name in names:
                if evidence and name not in fields:
                    fields[name] = evidence
        if fields:
            out.append((fields, [row]))
    return out


def _vertical(
    ctx: Context, table: list[Clause]
) -> list[tuple[dict[str, Evidence], list[Clause]]]:
    keyed = []
    for row in table:
        if len(row.cells) < 2:
            continue
        for name in fields_of(ctx, ctx.text[row.cells[0].start : row.cells[0].end]):
            keyed.append((name, row))
    names = {name for name, _ in keyed}
    if len(names) < 2 or not {"recipient", "country"} & names:
        return []
    width = max(len(row.cells) for _, row in keyed)
    out = []
    for column in range(1, width):
        fields: dict[str, Evidence] = {}
        for name, row in keyed:
            if column < len(row.cells) and name not in fields:
                evidence = _cell_evidence(ctx, row.cells[column], row)
                if evidence:
                    fields[name] = evidence
        if fields:
            out.append((fields, [row for _, row in keyed]))
    return out


def _preceding_text(ctx: Context, first_row: Clause) -> str:
    index = ctx.clause_index[first_row.id]
    for clause in reversed(ctx.document.clauses[max(0, index - 3) : index]):
        if clause.table is None:
            return ctx.quote(clause)
    return ""


def _role(
    ctx: Context, table: list[Clause], fields: dict[str, Evidence], before: str
) -> str | None:
    """Provision, outsourcing or transfer, from the table's section and the
    words just before and at the top of it."""
    words = before + " " + " ".join(ctx.quote(c) for c in table[:2])
    if REPRESENTATIVES.search(" ".join(table[0].headers) or ctx.quote(table[0])):
        return None  # representatives per country: who answers, not who receives
    near = {name for name, phrases in ctx.lex.topics.items() if phrases.search(words)}
    # the table's own section first: "7-1. 처리 위탁" under "7. 위탁 및 국외 이전"
    topics = set(ctx.nearest_topics(table[0]) or ctx.topics(table[0])) | near
    abroad = "country" in fields and ctx.lex.countries.search(fields["country"].text)
    if abroad or "overseas" in topics:
        return "transfer"
    head = " ".join(table[0].headers) or ctx.quote(table[0])
    if ctx.lex.has("outsourcing_words", head):
        return "outsourcing"  # "Supplier/Service Provider/Processor", "수탁자"
    if "outsourcing" in topics and "provision" not in near:
        return "outsourcing"
    if "provision" in topics:
        return "provision"
    return "outsourcing" if "outsourcing" in topics else None
