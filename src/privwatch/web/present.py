"""Shapes for the templates: a version's text cut into blocks with its findings'
evidence marked, and a timeline's bars.

Everything here is plain data (strings and numbers): the templates escape
every string, so a policy's text can hold any markup and still show as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from privwatch.models import SEVERITIES
from privwatch.rules.words import finding_words
from privwatch.store.records import AuditRecord
from privwatch.web.queries import VersionRow

RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


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


STATUS_SYMBOL = {
    "met": "✓",
    "unmet": "✗",
    "review": "!",
    "not_applicable": "–",
    "unknown": "?",
}


@dataclass(frozen=True)
class ScoreColumn:
    name: str
    platform_id: int | None
    foreign: bool
    country: str
    version: int | None
    fetched_at: str
    met_share: str
    counts: dict[str, int]


@dataclass(frozen=True)
class ScoreCell:
    status: str
    symbol: str
    tip: str
    findings: int
    link: str | None


@dataclass(frozen=True)
class ScoreRow:
    rule: str
    article: str
    title: str
    severity: str
    cells: tuple[ScoreCell, ...]


@dataclass(frozen=True)
class ScoreGroup:
    law: str
    article: str
    rows: tuple[ScoreRow, ...]


def _score_cell(
    column: ScoreColumn, result: dict[str, Any], rule: str, lang: str
) -> ScoreCell:
    """One platform's standing on one requirement, with a link to its findings."""
    status = str(result.get("status", "unknown"))
    findings = result.get("findings") or []
    reason = result.get("reason") or {}
    if status in ("unmet", "review"):
        tip = "; ".join(str((f.get("title") or {}).get(lang, "")) for f in findings)
    else:
        tip = str(reason.get(lang) or "")
    link = None
    if status in ("unmet", "review") and column.platform_id is not None:
        query = {"platform": column.platform_id, "rule": rule, "latest": 1}
        link = "/findings?" + urlencode(query)
    return ScoreCell(
        status if status in STATUS_SYMBOL else "unknown",
        STATUS_SYMBOL.get(status, "?"),
        tip,
        len(findings),
        link,
    )


def scorecard_view(
    card: dict[str, Any], lang: str, platform_ids: dict[str, int]
) -> tuple[list[ScoreColumn], list[ScoreGroup]]:
    """A ``privwatch.scorecard/1`` object as columns (platforms, domestic first)
    and rows (requirements by article) of strings to show."""
    platforms = [p for p in card.get("platforms") or [] if isinstance(p, dict)]
    platforms.sort(key=lambda p: (bool(p.get("foreign")), str(p.get("name", ""))))
    columns = []
    results: list[dict[str, dict[str, Any]]] = []
    for platform in platforms:
        document = platform.get("document") or {}
        share = platform.get("met_share")
        name = str(platform.get("name", ""))
        columns.append(
            ScoreColumn(
                name=name,
                platform_id=platform_ids.get(name),
                foreign=bool(platform.get("foreign")),
                country=str(platform.get("country") or ""),
                version=document.get("version"),
                fetched_at=str(document.get("fetched_at") or "")[:10],
                met_share="–" if share is None else f"{100 * float(share):.0f}%",
                counts={k: int(v) for k, v in (platform.get("counts") or {}).items()},
            )
        )
        results.append(
            {
                str(r.get("rule")): r
                for r in platform.get("results") or []
                if isinstance(r, dict)
            }
        )
    groups = []
    for article in card.get("articles") or []:
        rows = []
        for requirement in article.get("requirements") or []:
            rule = str(requirement.get("rule", ""))
            cells = [
                _score_cell(column, found.get(rule) or {}, rule, lang)
                for column, found in zip(columns, results, strict=True)
            ]
            title = requirement.get("title") or {}
            rows.append(
                ScoreRow(
                    rule,
                    str(requirement.get("article", "")),
                    str(title.get(lang) or title.get("en") or rule),
                    str(requirement.get("severity", "low")),
                    tuple(cells),
                )
            )
        title = article.get("title") or {}
        groups.append(
            ScoreGroup(
                str(article.get("law", "")),
                str(title.get(lang) or article.get("article", "")),
                tuple(rows),
            )
        )
    return columns, groups
