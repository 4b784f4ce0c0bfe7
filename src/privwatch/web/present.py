"""Shapes for the templates: a version's text cut into blocks with its findings'
evidence marked, and a timeline's bars.

Everything here is plain data (strings and numbers): the templates escape
every string, so a policy's text can hold any markup and still show as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from privwatch.models import SEVERITIES
from privwatch.rules.words import finding_words
from privwatch.segment.title import title_of
from privwatch.store.records import AuditRecord
from privwatch.web.queries import VersionRow

RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


def source_label(uri: str | None) -> str:
    """Where a text came from, as a reader may see it: a web address as it is;
    a file (``file://`` or a path on the server) by its name only, with the
    commit it was read at, if any."""
    if not uri:
        return ""
    if uri.lower().startswith(("http://", "https://")):
        return uri
    parts = urlsplit(uri)
    path = unquote(parts.path) if parts.scheme == "file" else uri.split("?")[0]
    name = PurePosixPath(path.replace("\\", "/").rstrip("/")).name or path
    commit = parse_qs(parts.query).get("commit") if parts.scheme == "file" else None
    return f"{name} @ {commit[0][:10]}" if commit else name


def shown_title(document: dict[str, Any], text: str) -> str:
    """A stored version's title as ``segment.title`` picks it today, so a
    version stored with a menu item as its title shows its own."""
    sections = [s for s in document.get("sections") or [] if isinstance(s, dict)]
    first = min((int(s.get("start") or 0) for s in sections), default=len(text))
    clauses = [
        (c["start"], c["end"], str(c.get("kind") or ""))
        for c in document.get("clauses") or []
        if isinstance(c, dict)
        and isinstance(c.get("start"), int)
        and isinstance(c.get("end"), int)
        and c["end"] <= first
    ]
    headings = [
        (str(s.get("heading") or ""), s.get("numbering") is not None) for s in sections
    ]
    given = document.get("title")
    return (
        title_of(text, given if isinstance(given, str) else None, clauses, headings)
        or ""
    )


@dataclass(frozen=True)
class Segment:
    text: str
    findings: tuple[int, ...] = ()
    severity: str | None = None


@dataclass
class BlockView:
    """A clause, a heading or other text between clauses."""

    kind: str  # clause, heading, text
    start: int
    end: int
    clause: str | None = None
    segments: list[Segment] = field(default_factory=list)
    findings: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class EvidenceView:
    start: int
    end: int
    text: str
    clause: str | None


@dataclass
class FindingView:
    index: int
    anchor: str
    rule: str
    severity: str
    law: str
    article: str
    title: str
    explanation: str
    remediation: str
    evidence: list[EvidenceView]


def findings_of(
    audit: AuditRecord | None, text: str, stored_ids: list[int], lang: str = "en"
) -> list[FindingView]:
    """The audit's findings with their evidence spans checked against the text,
    their words in ``lang``; anchors follow the stored findings' ids when they
    line up."""
    raw = audit.findings if audit else ()
    paired = len(raw) == len(stored_ids)
    found = []
    for index, finding in enumerate(raw):
        spans = [
            EvidenceView(e.start, e.end, text[e.start : e.end], e.clause)
            for e in finding.evidence
            if e.entry_index is None and 0 <= e.start < e.end <= len(text)
        ]
        words = finding_words(finding, lang)
        found.append(
            FindingView(
                index=index,
                anchor=f"f-{stored_ids[index]}" if paired else f"f-i{index}",
                rule=finding.rule,
                severity=finding.severity if finding.severity in RANK else "low",
                law=finding.law,
                article=finding.article,
                title=words.title,
                explanation=words.explanation,
                remediation=words.remediation,
                evidence=spans,
            )
        )
    return found


def _headings(sections: list[Any]) -> list[tuple[int, int]]:
    spans = []
    for section in sections:
        if not isinstance(section, dict):
            continue
        start, end = section.get("heading_start"), section.get("heading_end")
        if isinstance(start, int) and isinstance(end, int) and start < end:
            spans.append((start, end))
        spans += _headings(section.get("children") or [])
    return spans


def blocks_of(
    text: str, document: dict[str, Any], findings: list[FindingView]
) -> list[BlockView]:
    """The text as clauses, headings and the text between them, each with the
    evidence it holds marked and the findings that quote it."""
    edges: list[tuple[int, int, str, str | None]] = []
    for clause in document.get("clauses") or []:
        if isinstance(clause, dict):
            start, end = clause.get("start"), clause.get("end")
            if isinstance(start, int) and isinstance(end, int):
                edges.append((start, end, "clause", str(clause.get("id", ""))))
    for start, end in _headings(document.get("sections") or []):
        edges.append((start, end, "heading", None))
    blocks: list[BlockView] = []
    position = 0
    for start, end, kind, clause in sorted(edges, key=lambda e: (e[0], -e[1])):
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        if text[position:start].strip():
            blocks.append(BlockView("text", position, start))
        blocks.append(BlockView(kind, start, end, clause))
        position = end
    if text[position:].strip():
        blocks.append(BlockView("text", position, len(text)))
    spans = [(e.start, e.end, f.index) for f in findings for e in f.evidence]
    severity = {f.index: f.severity for f in findings}
    for block in blocks:
        inside = [
            (max(s, block.start), min(e, block.end), i)
            for s, e, i in spans
            if s < block.end and e > block.start
        ]
        cuts = sorted(
            {block.start, block.end} | {p for s, e, _ in inside for p in (s, e)}
        )
        for a, b in zip(cuts, cuts[1:], strict=False):
            marks = tuple(sorted({i for s, e, i in inside if s <= a and e >= b}))
            worst = min(
                (severity[i] for i in marks), key=RANK.__getitem__, default=None
            )
            block.segments.append(Segment(text[a:b], marks, worst))
        block.findings = sorted({i for _, _, i in inside})
    return blocks


@dataclass
class TextPart:
    """A top-level section of the text (or the text before the first one),
    shown as one collapsible part."""

    heading: str | None
    blocks: list[BlockView]
    findings: list[int]
    counts: dict[str, int]


def parts_of(
    blocks: list[BlockView], document: dict[str, Any], findings: list[FindingView]
) -> list[TextPart]:
    """``blocks`` cut at the document's top-level sections (``heading`` None for
    the text before the first), each with the findings it quotes."""
    tops = sorted(
        (int(section["start"]), str(section.get("heading") or ""))
        for section in document.get("sections") or []
        if isinstance(section, dict) and isinstance(section.get("start"), int)
    )
    parts: list[TextPart] = []
    current: TextPart | None = None
    next_top = 0
    for block in blocks:
        while next_top < len(tops) and tops[next_top][0] <= block.start:
            current = TextPart(tops[next_top][1], [], [], {})
            parts.append(current)
            next_top += 1
        if current is None:
            current = TextPart(None, [], [], {})
            parts.append(current)
        current.blocks.append(block)
    severity = {f.index: f.severity for f in findings}
    for part in parts:
        part.findings = sorted({i for b in part.blocks for i in b.findings})
        part.counts = {
            s: sum(severity[i] == s for i in part.findings) for s in SEVERITIES
        }
    return [part for part in parts if part.blocks]


@dataclass
class FindingGroup:
    """A version's findings under one article of one law."""

    law: str
    article: str
    findings: list[FindingView]
    counts: dict[str, int]


def _article_key(law: str, article: str) -> tuple[str, int, int, str]:
    group = article.split("(")[0]
    number, _, sub = group.partition("-")
    return (
        law,
        int(number) if number.isdigit() else 10**6,
        int(sub) if sub.isdigit() else 0,
        group,
    )


def finding_groups(findings: list[FindingView]) -> list[FindingGroup]:
    """The findings by the article they cite (``30(1)`` under ``30``), in the
    statute's order; within an article, high first."""
    groups: dict[tuple[str, str], FindingGroup] = {}
    for finding in findings:
        article = finding.article.split("(")[0]
        group = groups.setdefault(
            (finding.law, article), FindingGroup(finding.law, article, [], {})
        )
        group.findings.append(finding)
    ordered = sorted(groups.values(), key=lambda g: _article_key(g.law, g.article))
    for group in ordered:
        group.findings.sort(key=lambda f: (RANK[f.severity], f.index))
        group.counts = {
            s: sum(f.severity == s for f in group.findings) for s in SEVERITIES
        }
    return ordered


@dataclass(frozen=True)
class Bar:
    version_id: int
    number: int
    day: str
    x: float
    width: float
    parts: tuple[tuple[str, int, float, float], ...]  # severity, count, y, height
    total: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    bottom: int
    right: int
    ymax: int
    bars: tuple[Bar, ...]
    first: str
    last: str


WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 170, 40, 12, 12, 28


def timeline(versions: list[VersionRow]) -> Chart | None:
    """Stacked bars of findings by severity, one per version, placed in time."""
    if not versions:
        return None
    ordered = sorted(versions, key=lambda v: (v.fetched_at, v.number))
    t0, t1 = ordered[0].fetched_at, ordered[-1].fetched_at
    span = (t1 - t0).total_seconds()
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    width = max(3.0, min(18.0, plot_w / len(ordered) * 0.6))
    ymax = max(1, max(v.total for v in ordered))
    bars = []
    for version in ordered:
        share = (version.fetched_at - t0).total_seconds() / span if span else 0.5
        x = LEFT + width / 2 + share * (plot_w - width)
        y = float(TOP + plot_h)
        parts = []
        for severity in SEVERITIES:  # high at the bottom
            count = version.counts.get(severity, 0)
            height = count / ymax * plot_h
            y -= height
            if count:
                parts.append((severity, count, round(y, 1), round(height, 1)))
        bars.append(
            Bar(
                version.id,
                version.number,
                _day(version.fetched_at),
                round(x - width / 2, 1),
                round(width, 1),
                tuple(parts),
                version.total,
            )
        )
    return Chart(
        WIDTH,
        HEIGHT,
        LEFT,
        TOP,
        HEIGHT - BOTTOM,
        WIDTH - RIGHT,
        ymax,
        tuple(bars),
        _day(t0),
        _day(t1),
    )


def _day(when: datetime) -> str:
    return f"{when:%Y-%m-%d}"
