"""The policy's text in HTML: in full, line by line, with every evidence span
highlighted in place (``policy_markup``), or quoted around its evidence
(``quotes``). The text is cut at evidence offsets and escaped, so its text
nodes put together are exactly the audited text."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import groupby

from privwatch.consistency import Consistency
from privwatch.i18n import message
from privwatch.models import Audit, Document, Evidence, Finding
from privwatch.report.page import esc, severity_label
from privwatch.rules.words import finding_words

QUOTE_CONTEXT = 160  # characters of the clause shown around evidence in a finding


@dataclass(frozen=True, slots=True)
class Highlight:
    """A span of the policy text to mark: its anchor id, where it links to, the
    class of its ``<mark>``, the label of its reference and its tooltip."""

    start: int
    end: int
    anchor: str
    href: str
    css: str
    ref: str
    tip: str


def highlights(
    audit: Audit,
    findings: list[Finding],
    said_rows: list[tuple[int, Consistency]],
    lang: str,
) -> tuple[list[Highlight], dict[tuple[str, int], list[str]]]:
    """Every span to mark in the text, and each finding's or say-versus-do
    row's anchors (key ``("f", n)`` or ``("do", n)``)."""
    marks: list[Highlight] = []
    ids: dict[tuple[str, int], list[str]] = {}
    size = len(audit.document.text)
    count = 0
    for number, finding in enumerate(findings, 1):
        for evidence in finding.evidence:
            if evidence.entry_index is not None or not in_text(evidence, size):
                continue
            count += 1
            anchor = f"ev-{count}"
            ids.setdefault(("f", number), []).append(anchor)
            tip = f"#{number} {severity_label(finding.severity, lang)}: {finding_words(finding, lang).title} [{evidence.start}:{evidence.end}]"
            marks.append(
                Highlight(
                    evidence.start,
                    evidence.end,
                    anchor,
                    f"#f-{number}",
                    finding.severity,
                    str(number),
                    tip,
                )
            )
    count = 0
    for number, record in said_rows:
        for evidence in record.policy_evidence:
            if not in_text(evidence, size):
                continue
            count += 1
            anchor = f"sv-{count}"
            ids.setdefault(("do", number), []).append(anchor)
            tip = f"↔{number} {message('audit.say_vs_do', lang)} [{evidence.start}:{evidence.end}]"
            marks.append(
                Highlight(
                    evidence.start,
                    evidence.end,
                    anchor,
                    f"#do-{number}",
                    "said",
                    f"↔{number}",
                    tip,
                )
            )
    return marks, ids


def in_text(evidence: Evidence, size: int) -> bool:
    return 0 <= evidence.start <= evidence.end <= size


def quotes(
    document: Document, spans: list[tuple[Evidence, str | None]], lang: str
) -> list[str]:
    """Each clause once, every evidence span in it marked (some context around
    them), with each span's offsets linking to its place in the policy text."""
    size = len(document.text)
    kept = [(e, a) for e, a in spans if in_text(e, size)]
    return [
        _quote(document, list(group), lang)
        for _, group in groupby(kept, key=lambda s: s[0].clause or id(s[0]))
    ]


def _quote(
    document: Document, spans: list[tuple[Evidence, str | None]], lang: str
) -> str:
    text = document.text
    clause_id = spans[0][0].clause
    clause = next((c for c in document.clauses if c.id == clause_id), None)
    first = min(e.start for e, _ in spans)
    last = max(e.end for e, _ in spans)
    start = max(first if clause is None else clause.start, first - QUOTE_CONTEXT)
    end = min(last if clause is None else clause.end, last + QUOTE_CONTEXT)
    parts = ["…"] if clause is not None and start > clause.start else []
    cursor = start
    for span_start, span_end in _merged([(e.start, e.end) for e, _ in spans]):
        parts.append(esc(text[cursor:span_start]))
        parts.append(f"<mark>{esc(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(esc(text[cursor:end]))
    if clause is not None and end < clause.end:
        parts.append("…")
    tip = esc(message("html.finding.in_text", lang))
    offsets = " ".join(
        f'<a class="off" href="#{esc(anchor)}" title="{tip}">↓[{e.start}:{e.end}]</a>'
        if anchor
        else f'<span class="off">[{e.start}:{e.end}]</span>'
        for e, anchor in spans
    )
    return f'<blockquote class="q">{"".join(parts)} {offsets}</blockquote>'


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined, in order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def legend(audit: Audit, lang: str) -> str:
    items = [
        ("#fddcd8", message("html.legend.high", lang)),
        ("#fde9c8", message("html.legend.medium", lang)),
        ("#dbe8ff", message("html.legend.low", lang)),
    ]
    if audit.consistency:
        items.append(("#dff3ff", message("html.legend.said", lang)))
    spans = "".join(
        f'<span><i style="background:{colour}"></i>{esc(text)}</span>'
        for colour, text in items
    )
    return f'<div class="legend">{spans}<span>{esc(message("html.legend.ref", lang))}</span></div>'


def _text(value: str) -> str:
    """Escaped text whose carriage returns survive HTML parsing."""
    return esc(value).replace("\r", "&#13;")


def policy_markup(
    text: str,
    highlights: list[Highlight],
    headings: set[int] | frozenset[int] = frozenset(),
) -> str:
    """``text`` line by line (each line a block carrying its offset), cut at
    every highlight's start and end. A piece covered by highlights is one
    ``<mark>`` linking to the innermost of them; each highlight's anchor sits
    where it starts and a reference to its target where it ends. Only the
    text's own characters are text nodes."""
    size = len(text)
    starts: dict[int, list[Highlight]] = {}
    ends: dict[int, list[Highlight]] = {}
    for item in highlights:
        starts.setdefault(item.start, []).append(item)
        if item.end > item.start:
            ends.setdefault(item.end, []).append(item)
    cuts = sorted({0, size, *starts, *ends})
    lines: list[tuple[int, int]] = []
    position = 0
    while position < size:
        newline = text.find("\n", position)
        stop = size if newline < 0 else newline + 1
        lines.append((position, stop))
        position = stop
    if not lines:
        lines.append((0, 0))
    active: list[Highlight] = []
    out = ['<div class="policy" id="policy-text">']
    for line_start, line_end in lines:
        css = "l h" if line_start in headings else "l"
        out.append(f'<span class="{css}" data-o="{line_start}">')
        points = [line_start]
        points += cuts[
            bisect_right(cuts, line_start) : bisect_right(cuts, line_end - 1)
        ]
        if line_end > line_start:
            points.append(line_end)
        last = line_end == size
        for index, point in enumerate(points):
            if point > line_start or point == 0:
                out.append(_closing(ends.get(point, []), active))
            if point == line_end and not last:
                break
            out.append(_opening(starts.get(point, []), active))
            if index + 1 < len(points):
                following = points[index + 1]
                out.append(_piece(text[point:following], active, starts.get(point, [])))
        out.append("</span>")
    out.append("</div>")
    return "".join(out)


def _closing(ending: list[Highlight], active: list[Highlight]) -> str:
    """References to the targets of the highlights ending here."""
    refs = []
    seen: set[str] = set()
    for item in ending:
        if item in active:
            active.remove(item)
        if item.href in seen:
            continue
        seen.add(item.href)
        css = "ref said" if item.css == "said" else "ref"
        refs.append(
            f'<a class="{css}" href="{esc(item.href)}" data-n="{esc(item.ref)}" '
            f'title="{esc(item.tip)}" aria-label="{esc(item.tip)}"></a>'
        )
    return "".join(refs)


def _opening(starting: list[Highlight], active: list[Highlight]) -> str:
    """Start the highlights beginning here; an empty one is an anchor and a
    reference at once."""
    out = []
    for item in starting:
        if item.end > item.start:
            active.append(item)
        else:
            out.append(f'<span class="anchor" id="{esc(item.anchor)}"></span>')
            out.append(_closing([item], []))
    return "".join(out)


def _piece(value: str, active: list[Highlight], starting: list[Highlight]) -> str:
    if not value:
        return ""
    if not active:
        return _text(value)
    # the innermost highlight: the latest start, then the earliest end
    primary = max(active, key=lambda h: (h.start, -h.end, h.css != "said"))
    fresh = [h for h in starting if h.end > h.start]
    anchors = "".join(
        f'<span class="anchor" id="{esc(h.anchor)}"></span>' for h in fresh[1:]
    )
    ident = f' id="{esc(fresh[0].anchor)}"' if fresh else ""
    css = primary.css + (" multi" if len(active) > 1 else "")
    tip = " · ".join(h.tip for h in sorted(active, key=lambda h: h.anchor))
    return (
        f'{anchors}<a class="hl" href="{esc(primary.href)}">'
        f'<mark class="{esc(css)}"{ident} title="{esc(tip)}">{_text(value)}</mark></a>'
    )


def policy_text(document: Document, highlights: list[Highlight]) -> str:
    headings = {s.heading_start for s in document.iter_sections()}
    return policy_markup(document.text, highlights, headings)
