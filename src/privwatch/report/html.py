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
from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby

from privwatch import __version__
from privwatch.classify.corpora import PRACTICES
from privwatch.consistency import Consistency
from privwatch.i18n import message
from privwatch.models import SEVERITIES, Audit, Evidence, Finding
from privwatch.report import say_vs_do
from privwatch.report.certainty import more_line, scope_line, split
from privwatch.report.flows import flow_section, row_ids
from privwatch.report.journey import JourneyRecord, journey_section
from privwatch.report.labels import label_name
from privwatch.report.page import (
    country_name,
    esc,
    meta_list,
    now_iso,
    page,
    safe_id,
    severity_label,
    stat,
    toc,
)
from privwatch.report.policy_text import (
    Highlight,
    highlights,
    in_text,
    legend,
    policy_text,
    quotes,
)
from privwatch.report.provenance import partial_mark, traffic_rows
from privwatch.report.table import heading
from privwatch.rules.words import finding_words
from privwatch.traffic.scan import ScanResult

CLASS_ORDER = ("incorrect", "omitted", "vague", "clear")


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
    from privwatch.rules.schema import is_builtin

    statutes: dict[str, str] = {}
    for name, version in packs:
        if not is_builtin(name):
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
    journey: JourneyRecord | None = None,
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
    rows = say_vs_do.flow_rows(audit, said_rows, scan, user_country)
    marks, evidence_ids = highlights(audit, findings, said_rows, lang)
    entry_rows = row_ids(rows)
    sections = _sections(audit, bool(review), lang, journey is not None)
    titles = dict(sections)

    def section(name: str, *parts: str) -> list[str]:
        return [
            f'<section id="{name}"><h2>{esc(titles[name])}</h2>',
            *parts,
            "</section>",
        ]

    def cards(group: list[Finding], taken: frozenset[str] = frozenset()) -> str:
        return _findings(
            audit, group, numbers, evidence_ids, entry_rows, statutes, lang, taken
        )

    scope = scope_line(audit, lang)
    body = [
        f'<p class="banner" id="scope">{esc(scope)}</p>' if scope else "",
        partial_mark(audit.traffic, lang),
        _meta(audit, scan, user_country, lang, generated_at),
        toc(sections, lang),
        *section("summary", _summary(sorted(findings, key=article_key), lang)),
        *section("findings", cards(certain)),
    ]
    if review:
        note = f'<p class="note">{esc(message("audit.review_note", lang))}</p>'
        taken = frozenset(_article_id(f) for f in certain)
        body += section("review", note, cards(review, taken))
    if audit.consistency:
        notes = say_vs_do.country_notes(audit, lang)
        body += section(
            "flows",
            flow_section(rows, lang=lang, user_country=user_country, notes=notes),
        )
        body += section(
            "say-vs-do",
            say_vs_do.say_vs_do(audit, said_rows, evidence_ids, entry_rows, lang),
        )
    body += section("policy", *_policy(audit, marks, lang))
    if audit.practices:
        body += section("practices", _practices(audit, lang))
    body += section("journey", journey_section(*journey, lang)) if journey else []
    about = f'<p class="small">{esc(message("html.audit.about", lang))}</p>'
    body += section("about", about)
    name = document.title or document.source.uri
    return page(
        lang=lang,
        title=message("audit.html_title", lang, title=name),
        kind=message("html.audit.kind", lang),
        heading=name,
        sub=document.source.uri,
        body="\n".join(body),
    )


def _policy(audit: Audit, marks: list[Highlight], lang: str) -> list[str]:
    """The policy's text in full, with what it is and the legend of its marks."""
    document = audit.document
    explain = message(
        "html.policy.explain", lang, sha256=document.sha256, chars=len(document.text)
    )
    return [
        f'<p class="small muted">{esc(explain)}</p>',
        legend(audit, lang),
        policy_text(document, marks),
    ]


def _sections(
    audit: Audit, review: bool, lang: str, journey: bool = False
) -> list[tuple[str, str]]:
    """The page's sections (fragment id, title), those it has only
    (``journey``: the recorded journey of ``audit --record``)."""
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
    if journey:
        sections.append(("journey", message("html.section.journey", lang)))
    sections.append(("about", message("html.section.about", lang)))
    return sections


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
    if audit.traffic is None and scan is not None:  # an Audit made by hand
        audit = replace(audit, traffic=scan.provenance(user_country))
    if audit.traffic is not None:
        rows += traffic_rows(audit.traffic, lang)
    elif audit.consistency:
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
            f'<p><a href="#review">{esc(message("audit.review_among", lang, count=review))}</a></p>'
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
        elif in_text(evidence, size):
            spans.append((evidence, next(anchors, None)))
    quoted = quotes(audit.document, spans, lang)
    evidence_html = ""
    if quoted:
        evidence_html += (
            f'<p class="label">{esc(message("html.finding.evidence", lang))}</p>'
            + "".join(quoted)
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


# --- the policy text -------------------------------------------------------


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
