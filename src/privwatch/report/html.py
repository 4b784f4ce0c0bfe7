"""One self-contained HTML page per audit: no scripts, no fetches.

The page holds the summary (findings by severity and by article), each finding
with its evidence, the statute text of the article it cites, the data flows of
a recorded session when there is one (chart and table, say versus do), and the
policy's normalised text in full with every evidence span highlighted in
place. The text is ``document.text`` cut at evidence offsets and escaped, so
its text nodes put together are exactly the audited text; highlights and
findings link to each other.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import groupby

from privwatch import __version__
from privwatch.classify.corpora import PRACTICES
from privwatch.consistency import Consistency
from privwatch.i18n import message
from privwatch.models import Audit, Document, Evidence, Finding
from privwatch.report.certainty import more_line, scope_line, split
from privwatch.report.flows import (
    FlowRow,
    flow_section,
    org_label,
    row_ids,
    rows_from_flows,
    sort_rows,
)
from privwatch.report.labels import label_name
from privwatch.report.page import (
    country_name,
    data_label,
    esc,
    meta_list,
    now_iso,
    page,
    safe_id,
    severity_label,
    stat,
    toc,
)
from privwatch.report.table import heading
from privwatch.rules.words import country_note, finding_words
from privwatch.traffic.scan import ScanResult

SEVERITIES = ("high", "medium", "low")
CLASS_ORDER = ("incorrect", "omitted", "vague", "clear")
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


def article_key(finding: Finding) -> tuple[str, int, int, tuple[int, ...]]:
    """Natural order of articles: 2 < 15(2) < 28-8(1) < 28-8(2) < 30(1) < 30(10)."""
    match = re.match(r"(\d+)(?:-(\d+))?", finding.article)
    number, sub = (int(match[1]), int(match[2] or 0)) if match else (0, 0)
    paragraphs = tuple(int(p) for p in re.findall(r"\((\d+)\)", finding.article))
    return finding.law, number, sub, paragraphs


def _article_id(finding: Finding) -> str:
    return safe_id("art", finding.law, finding.article)


def builtin_statutes(packs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Rule id -> statute text from the built-in packs an audit ran (same version)."""
    from privwatch.rules import load_pack

    statutes: dict[str, str] = {}
    for name, version in packs:
        packaged = resources.files("privwatch.rules").joinpath(f"packs/{name}.yaml")
        if not re.fullmatch(r"[a-z0-9-]+", name) or not packaged.is_file():
            continue
        pack = load_pack(name)
        if pack.version == version:
            statutes.update({r.id: r.statute for r in pack.rules if r.statute})
    return statutes


def render_html(
    audit: Audit,
    *,
    lang: str = "en",
    statutes: dict[str, str] | None = None,
    scan: ScanResult | None = None,
    user_country: str = "KR",
    generated_at: str | None = None,
) -> str:
    """The audit as one HTML page. ``statutes`` maps rule ids to their quoted
    statute text (by default read from the built-in packs the audit ran);
    ``scan`` is the recorded session of an audit with ``--traffic`` (its file,
    hash and every flow), ``user_country`` the users' country for it."""
    document = audit.document
    if statutes is None:
        statutes = builtin_statutes(audit.packs)
    certain, review = (sorted(part, key=article_key) for part in split(audit.findings))
    findings = certain + review  # numbered in the order they are shown
    numbers = {id(f): n for n, f in enumerate(findings, 1)}
    records: list[Consistency] = list(audit.consistency)
    said_rows = list(
        enumerate(sorted(records, key=lambda r: CLASS_ORDER.index(r.cls)), 1)
    )
    flow_rows = _flow_rows(audit, said_rows, scan, user_country)
    highlights, evidence_ids = _highlights(audit, findings, said_rows, lang)
    entry_rows = row_ids(flow_rows)
    sections = [("summary", message("html.section.summary", lang))]
    sections.append(("findings", message("html.section.findings", lang)))
    if review:
        sections.append(("review", message("audit.review_items", lang)))
    if audit.consistency:
        sections.append(("flows", message("html.section.flows", lang)))
        sections.append(("say-vs-do", message("audit.say_vs_do", lang)))
    sections.append(("policy", message("html.section.policy", lang)))
    if audit.practices:
        sections.append(("practices", message("audit.practices", lang)))
    sections.append(("about", message("html.section.about", lang)))
    titles = dict(sections)
    scope = scope_line(audit, lang)
    body = [
        f'<p class="banner" id="scope">{esc(scope)}</p>' if scope else "",
        _meta(audit, scan, user_country, lang, generated_at),
        toc(sections, lang),
        f'<section id="summary"><h2>{esc(titles["summary"])}</h2>',
        _summary(sorted(findings, key=article_key), lang),
        "</section>",
        f'<section id="findings"><h2>{esc(titles["findings"])}</h2>',
        _findings(audit, certain, numbers, evidence_ids, entry_rows, statutes, lang),
        "</section>",
    ]
    if review:
        body += [
            f'<section id="review"><h2>{esc(titles["review"])}</h2>',
            f'<p class="note">{esc(message("audit.review_note", lang))}</p>',
            _findings(
                audit,
                review,
                numbers,
                evidence_ids,
                entry_rows,
                statutes,
                lang,
                taken={_article_id(f) for f in certain},
            ),
            "</section>",
        ]
    if audit.consistency:
        notes = _country_notes(audit, lang)
        body += [
            f'<section id="flows"><h2>{esc(titles["flows"])}</h2>',
            flow_section(flow_rows, lang=lang, user_country=user_country, notes=notes),
            "</section>",
            f'<section id="say-vs-do"><h2>{esc(titles["say-vs-do"])}</h2>',
            _say_vs_do(audit, said_rows, evidence_ids, entry_rows, lang),
            "</section>",
        ]
    body += [
        f'<section id="policy"><h2>{esc(titles["policy"])}</h2>',
        f'<p class="small muted">{esc(message("html.policy.explain", lang, sha256=document.sha256, chars=len(document.text)))}</p>',
        _legend(audit, lang),
        _policy_text(document, highlights),
        "</section>",
    ]
    if audit.practices:
        body += [
            f'<section id="practices"><h2>{esc(titles["practices"])}</h2>',
            _practices(audit, lang),
            "</section>",
        ]
    body += [
        f'<section id="about"><h2>{esc(titles["about"])}</h2>',
        f'<p class="small">{esc(message("html.audit.about", lang))}</p>',
        "</section>",
    ]
    name = document.title or document.source.uri
    return page(
        lang=lang,
        title=message("audit.html_title", lang, title=name),
        kind=message("html.audit.kind", lang),
        heading=name,
        sub=document.source.uri,
        body="\n".join(body),
    )


# --- metadata and summary --------------------------------------------------


def _meta(
    audit: Audit,
    scan: ScanResult | None,
    user_country: str,
    lang: str,
    generated_at: str | None,
) -> str:
    document = audit.document
    source = document.source
    mono = '<span class="mono">{}</span>'.format
    kind = source.media_type + (f", {source.encoding}" if source.encoding else "")
    context = dict(audit.context)
    foreign = message(
        "html.meta.foreign" if context.get("foreign") else "html.meta.domestic", lang
    )
    if context.get("foreign_inferred"):
        foreign += " " + message("html.meta.inferred", lang)
    rows = [
        (message("html.meta.source", lang), mono(esc(source.uri))),
        (
            message("html.meta.format", lang),
            esc(message("html.meta.format_value", lang, kind=kind, size=source.size)),
        ),
        (message("html.meta.bytes_sha256", lang), mono(esc(source.bytes_sha256))),
        (message("html.meta.text_sha256", lang), mono(esc(document.sha256))),
        (message("html.meta.fetched", lang), esc(document.fetched_at)),
    ]
    if source.http_status is not None:
        rows.append((message("html.meta.http_status", lang), esc(source.http_status)))
    rows += [
        (message("html.meta.language", lang), esc(document.language)),
        (
            message("html.meta.packs", lang),
            esc(", ".join(f"{p} {v}" for p, v in audit.packs)),
        ),
        (message("html.meta.business", lang), esc(foreign)),
    ]
    if scan is not None:
        rows += [
            (message("html.meta.har", lang), mono(esc(scan.path))),
            (message("html.meta.har_sha256", lang), mono(esc(scan.sha256))),
            (message("html.meta.entries", lang), esc(scan.entries)),
            (message("html.meta.site", lang), esc(scan.site)),
        ]
    if audit.consistency:
        rows.append(
            (
                message("html.meta.user_country", lang),
                esc(country_name(user_country, lang)),
            )
        )
    rows += [
        (message("html.meta.version", lang), esc(f"privwatch {__version__}")),
        (message("html.meta.generated", lang), esc(generated_at or now_iso())),
    ]
    return meta_list(rows)


def _bar(counts: dict[str, int], scale: int) -> str:
    """A small stacked bar of counts by severity."""
    colours = {"high": "#b42318", "medium": "#d68910", "low": "#2e6fd8"}
    x = 0.0
    rects = []
    for level in SEVERITIES:
        width = 120 * counts[level] / max(scale, 1)
        if width:
            rects.append(
                f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="12" fill="{colours[level]}"/>'
            )
        x += width
    return (
        '<svg class="bar" width="124" height="12" viewBox="0 0 124 12" aria-hidden="true">'
        + "".join(rects)
        + "</svg>"
    )


def _summary(findings: list[Finding], lang: str) -> str:
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    review = sum(f.certainty == "review" for f in findings)
    parts = [
        '<div class="stats">',
        stat(len(findings), message("html.summary.findings", lang)),
        *(stat(counts[s], severity_label(s, lang), s) for s in SEVERITIES),
        stat(review, message("audit.review_items", lang)) if review else "",
        "</div>",
        f"<p>{esc(message('audit.summary', lang, total=len(findings), **counts))}</p>",
    ]
    if review:
        parts.append(
            f'<p><a href="#review">{esc(message("audit.review_count", lang, count=review))}</a></p>'
        )
    if not findings:
        return "".join(parts)
    groups = [
        (key, list(group))
        for key, group in groupby(findings, key=lambda f: (f.law, f.article))
    ]
    largest = max(len(g) for _, g in groups)
    head = "".join(
        f'<th class="n" scope="col">{esc(severity_label(s, lang))}</th>'
        for s in SEVERITIES
    )
    rows = []
    for _, group in groups:
        by = {s: sum(f.severity == s for f in group) for s in SEVERITIES}
        cells = "".join(f'<td class="n">{by[s] or ""}</td>' for s in SEVERITIES)
        rows.append(
            f'<tr><th scope="row"><a href="#{_article_id(group[0])}">{esc(heading(group[0], lang))}</a></th>'
            f'{cells}<td class="n">{len(group)}</td><td>{_bar(by, largest)}</td></tr>'
        )
    foot = "".join(f'<td class="n">{counts[s]}</td>' for s in SEVERITIES)
    parts.append(
        f'<h3 id="by-article">{esc(message("html.summary.by_article", lang))}</h3>'
        f'<table class="grid summary"><thead><tr><th scope="col">{esc(message("html.summary.article", lang))}</th>'
        f'{head}<th class="n" scope="col">{esc(message("html.summary.total", lang))}</th><th></th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody>"
        f"<tfoot><tr><td>{esc(message('html.summary.total', lang))}</td>{foot}"
        f'<td class="n">{len(findings)}</td><td></td></tr></tfoot></table>'
    )
    return "".join(parts)


# --- findings -------------------------------------------------------------


def _highlights(
    audit: Audit,
    findings: list[Finding],
    said_rows: list[tuple[int, Consistency]],
    lang: str,
) -> tuple[list[Highlight], dict[tuple[str, int], list[str]]]:
    """Every span to mark in the text, and each finding's or say-versus-do
    row's anchors (key ``("f", n)`` or ``("do", n)``)."""
    highlights: list[Highlight] = []
    ids: dict[tuple[str, int], list[str]] = {}
    size = len(audit.document.text)
    count = 0
    for number, finding in enumerate(findings, 1):
        for evidence in finding.evidence:
            if evidence.entry_index is not None or not _in_text(evidence, size):
                continue
            count += 1
            anchor = f"ev-{count}"
            ids.setdefault(("f", number), []).append(anchor)
            tip = f"#{number} {severity_label(finding.severity, lang)}: {finding_words(finding, lang).title} [{evidence.start}:{evidence.end}]"
            highlights.append(
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
            if not _in_text(evidence, size):
                continue
            count += 1
            anchor = f"sv-{count}"
            ids.setdefault(("do", number), []).append(anchor)
            tip = f"↔{number} {message('audit.say_vs_do', lang)} [{evidence.start}:{evidence.end}]"
            highlights.append(
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
    return highlights, ids


def _in_text(evidence: Evidence, size: int) -> bool:
    return 0 <= evidence.start <= evidence.end <= size


def _quotes(
    document: Document, spans: list[tuple[Evidence, str | None]], lang: str
) -> list[str]:
    """Each clause once, every evidence span in it marked (some context around
    them), with each span's offsets linking to its place in the policy text."""
    size = len(document.text)
    kept = [(e, a) for e, a in spans if _in_text(e, size)]
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


def _findings(
    audit: Audit,
    findings: list[Finding],
    numbers: dict[int, int],
    evidence_ids: dict[tuple[str, int], list[str]],
    entry_rows: dict[int, str],
    statutes: dict[str, str],
    lang: str,
    taken: set[str] | frozenset[str] = frozenset(),
) -> str:
    """The findings grouped by article under its statute text; an article
    whose heading id is ``taken`` (by the certain findings, for the review
    items) gets an id of its own."""
    if not findings:
        return f'<p class="note">{esc(message("html.findings.none", lang))}</p>'
    parts = []
    for _, group_iter in groupby(findings, key=lambda f: (f.law, f.article)):
        group = list(group_iter)
        anchor = _article_id(group[0])
        anchor = f"r-{anchor}" if anchor in taken else anchor
        parts.append(f'<h3 id="{anchor}">{esc(heading(group[0], lang))}</h3>')
        quoted: list[str] = []
        for finding in group:
            text = statutes.get(finding.rule)
            if text and text not in quoted:
                quoted.append(text)
        if quoted:
            parts.append(
                f'<p class="small muted">{esc(message("html.statute.label", lang, article=heading(group[0], lang)))}</p>'
            )
            parts.extend(
                f'<blockquote class="statute">{esc(t)}</blockquote>' for t in quoted
            )
        for finding in group:
            number = numbers[id(finding)]
            parts.append(
                _finding(audit, finding, number, evidence_ids, entry_rows, lang)
            )
    return "".join(parts)


def _finding(
    audit: Audit,
    finding: Finding,
    number: int,
    evidence_ids: dict[tuple[str, int], list[str]],
    entry_rows: dict[int, str],
    lang: str,
) -> str:
    anchors = iter(evidence_ids.get(("f", number), []))
    size = len(audit.document.text)
    spans: list[tuple[Evidence, str | None]] = []
    requests = []
    for evidence in finding.evidence:
        if evidence.entry_index is not None:
            label = esc(
                message(
                    "audit.request",
                    lang,
                    index=evidence.entry_index,
                    host=evidence.host,
                )
            )
            row = entry_rows.get(evidence.entry_index)
            requests.append(f'<a href="#{row}">{label}</a>' if row else label)
        elif _in_text(evidence, size):
            spans.append((evidence, next(anchors, None)))
    quotes = _quotes(audit.document, spans, lang)
    evidence_html = ""
    if quotes:
        evidence_html += (
            f'<p class="label">{esc(message("html.finding.evidence", lang))}</p>'
            + "".join(quotes)
        )
    if requests:
        evidence_html += (
            f'<p class="label">{esc(message("html.finding.requests", lang))}</p>'
            f'<p class="small">{"<br>".join(requests)}</p>'
        )
    if not evidence_html:
        evidence_html = f'<p class="small muted"><em>{esc(message("audit.no_evidence", lang))}</em></p>'
    clauses = more_line(finding, lang)
    if clauses:
        evidence_html += f'<p class="small muted more">{esc(clauses)}</p>'
    words = finding_words(finding, lang)
    if words.reason:
        why = message("audit.review_reason", lang, reason=words.reason)
        evidence_html = f'<p class="why">{esc(why)}</p>' + evidence_html
    review = " review" if finding.certainty == "review" else ""
    return (
        f'<article class="finding {esc(finding.severity)}{review}" id="f-{number}">'
        f'<div class="head"><span class="num">#{number}</span>'
        f'<span class="badge {esc(finding.severity)}">{esc(severity_label(finding.severity, lang))}</span>'
        f'<span class="title">{esc(words.title)}</span>'
        f'<span class="rule">{esc(finding.rule)}</span></div>'
        f"<p>{esc(words.explanation)}</p>{evidence_html}"
        f'<p><span class="label">{esc(message("audit.remediation", lang))}</span> {esc(words.remediation)}</p>'
        f'<p class="small"><a href="#{_article_id(finding)}">{esc(heading(finding, lang))}</a></p>'
        "</article>"
    )


# --- flows and say versus do -----------------------------------------------


def _flow_rows(
    audit: Audit,
    said_rows: list[tuple[int, Consistency]],
    scan: ScanResult | None,
    user_country: str,
) -> list[FlowRow]:
    """The flows of the session: from the scan when given, else from the
    consistency records; each with its say-versus-do class."""
    if not audit.consistency:
        return []
    crossing = {
        (
            str(f.get("data_type")),
            str(f.get("organization")),
            f.get("country"),
            str(f.get("party")),
        ): bool(f.get("cross_border"))
        for f in audit.facts
        if f.kind == "flow"
    }
    if scan is not None:
        rows = rows_from_flows(scan.flows, user_country)
    else:
        rows = []
        for record in audit.consistency:
            row = FlowRow(
                record.data_type,
                record.organization,
                record.host,
                record.country,
                record.party,
                entries=list(record.entries),
                hosts=[record.host],
            )
            key = (row.data_type, row.organization or row.host, row.country, row.party)
            row.cross_border = crossing.get(
                (key[0], key[1], key[2] or None, key[3]),
                bool(row.country) and row.country != user_country,
            )
            rows.append(row)
        rows = sort_rows(rows)
    by_key = {row.key: row for row in rows}
    for number, record in said_rows:
        key = (
            record.data_type,
            record.organization or record.host,
            record.country,
            record.party,
        )
        found = by_key.get(key)
        if found is not None:
            found.cls = record.cls
            found.said = f'<a href="#do-{number}">↔{number}</a>'
    return rows


def _country_notes(audit: Audit, lang: str) -> list[str]:
    """Why each destination abroad matters (country profiles), once per country."""
    countries = {
        str(fact.get("country"))
        for fact in audit.facts
        if fact.kind == "flow" and fact.get("cross_border") and fact.get("country")
    }
    notes = (country_note(country, lang) for country in sorted(countries))
    return [esc(note) for note in notes if note]


def _say_vs_do(
    audit: Audit,
    said_rows: list[tuple[int, Consistency]],
    evidence_ids: dict[tuple[str, int], list[str]],
    entry_rows: dict[int, str],
    lang: str,
) -> str:
    """Each observed flow beside what the policy says of it."""
    document = audit.document
    size = len(document.text)
    head = "".join(
        f'<th scope="col">{esc(message(k, lang))}</th>'
        for k in (
            "html.flows.class",
            "html.svd.observed",
            "html.svd.said",
        )
    )
    rows = []
    for number, record in said_rows:
        cls = record.cls
        anchors = iter(evidence_ids.get(("do", number), []))
        pairs = [
            (e, next(anchors, None))
            for e in record.policy_evidence
            if _in_text(e, size)
        ]
        quotes = _quotes(document, pairs, lang)
        said = "".join(quotes) or (
            f'<em class="muted">{esc(message("audit.policy_silent", lang))}</em>'
        )
        row = FlowRow(
            record.data_type,
            record.organization,
            record.host,
            record.country,
            record.party,
        )
        entries = record.entries
        links = ", ".join(
            f'<a href="#{entry_rows[i]}">#{i}</a>' if i in entry_rows else f"#{i}"
            for i in entries[:8]
        )
        observed = (
            f"{esc(data_label(row.data_type, lang))} → <strong>{esc(org_label(row, lang))}</strong> "
            f"({esc(country_name(row.country, lang))}, {esc(message(f'html.party.{row.party}', lang))})"
            f'<br><span class="small muted">{esc(message("html.svd.requests", lang))} {links}</span>'
        )
        rows.append(
            f'<tr class={esc(cls)} id="do-{number}"><td><span class="badge {esc(cls)}">↔{number} '
            f"{esc(message(f'audit.class.{cls}', lang))}</span></td><td>{observed}</td><td>{said}</td></tr>"
        )
    return (
        f'<p class="small muted">{esc(message("html.svd.explain", lang))}</p>'
        f'<table class="grid svd"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


# --- the policy text -------------------------------------------------------


def _legend(audit: Audit, lang: str) -> str:
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


def _policy_text(document: Document, highlights: list[Highlight]) -> str:
    headings = {s.heading_start for s in document.iter_sections()}
    return policy_markup(document.text, highlights, headings)


# --- practices -------------------------------------------------------------


def _practices(audit: Audit, lang: str) -> str:
    """Each practice category with the clauses the classifier put under it."""
    rows = []
    for label in PRACTICES:
        clauses = [p for p in audit.practices if label in p.labels]
        if clauses:
            quoted = "<br>".join(
                f'<span class="rule mono small">{esc(p.clause or "")}</span> {esc(p.text)}'
                for p in clauses
            )
            rows.append(
                f"<tr><td>{esc(label_name('practices', label, lang))} "
                f"({len(clauses)})</td><td>{quoted}</td></tr>"
            )
    return '<table class="grid">' + "".join(rows) + "</table>"
