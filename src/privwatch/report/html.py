"""One self-contained HTML page per audit: no scripts, no fetches."""

from __future__ import annotations

from html import escape
from itertools import groupby

from privwatch import __version__
from privwatch.classify.corpora import PRACTICES
from privwatch.i18n import message
from privwatch.models import Audit, Finding
from privwatch.report.labels import label_name
from privwatch.report.table import _article_key, heading

CSS = """
body{font:15px/1.55 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}h2{font-size:1.1rem;border-bottom:1px solid #ccc;margin-top:2rem}
.meta{color:#555;font-size:.85rem;word-break:break-all}
.finding{border-left:4px solid #999;padding:.3rem .8rem;margin:1rem 0}
.high{border-color:#c0392b}.medium{border-color:#d68910}.low{border-color:#2e86c1}
.sev{font-weight:700;text-transform:uppercase;font-size:.8rem}
blockquote{margin:.4rem 0;padding:.3rem .6rem;background:#f6f6f6}
mark{background:#ffe08a}table.svd{border-collapse:collapse}.svd td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}
tr.incorrect td:first-child,tr.omitted td:first-child{color:#c0392b;font-weight:700}tr.vague td:first-child{color:#b9770e}tr.clear td:first-child{color:#1e8449}.statute{color:#444;font-size:.85rem}.rule{color:#777;font-size:.8rem}
"""


def _finding(audit: Audit, finding: Finding, lang: str) -> str:
    text = audit.document.text
    quotes = [
        f"<p class=rule>{escape(message('audit.request', lang, index=e.entry_index, host=e.host))}</p>"
        for e in finding.evidence
        if e.entry_index is not None
    ]
    for evidence in (e for e in finding.evidence if e.entry_index is None):
        clause = next(
            (c for c in audit.document.clauses if c.id == evidence.clause), None
        )
        start, end = (
            (clause.start, clause.end) if clause else (evidence.start, evidence.end)
        )
        quotes.append(
            f"<blockquote>{escape(text[start : evidence.start])}<mark>{escape(evidence.text)}</mark>"
            f"{escape(text[evidence.end : end])} <span class=rule>[{evidence.start}:{evidence.end}]</span></blockquote>"
        )
    if not quotes:
        quotes.append(f"<p><em>{escape(message('audit.no_evidence', lang))}</em></p>")
    return (
        f'<div class="finding {finding.severity}"><span class=sev>{finding.severity}</span> '
        f"<strong>{escape(finding.title)}</strong> <span class=rule>{escape(finding.rule)}</span>"
        f"<p>{escape(finding.explanation)}</p>{''.join(quotes)}"
        f"<p><strong>{escape(message('audit.remediation', lang))}</strong> {escape(finding.remediation)}</p></div>"
    )


def render_html(
    audit: Audit, *, lang: str = "en", statutes: dict[str, str] | None = None
) -> str:
    document = audit.document
    counts = {
        level: sum(f.severity == level for f in audit.findings)
        for level in ("high", "medium", "low")
    }
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{escape(message('audit.html_title', lang, title=document.title or document.source.uri))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{escape(document.title or document.source.uri)}</h1>",
        f"<p class=meta>{escape(document.source.uri)} · sha256 {document.sha256} · {escape(document.fetched_at)}"
        f" · privwatch {__version__} · {escape(', '.join(f'{p} {v}' for p, v in audit.packs))}</p>",
        f"<p>{escape(message('audit.summary', lang, total=len(audit.findings), **counts))}</p>",
    ]
    statutes = statutes or {}
    for title, group in groupby(
        sorted(audit.findings, key=_article_key), key=lambda f: heading(f, lang)
    ):
        findings = list(group)
        parts.append(f"<h2>{escape(title)}</h2>")
        statute = statutes.get(findings[0].rule)
        if statute:
            parts.append(f"<p class=statute>{escape(statute)}</p>")
        parts.extend(_finding(audit, f, lang) for f in findings)
    parts.append(_consistency(audit, lang))
    parts.append(_practices(audit, lang))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _practices(audit: Audit, lang: str) -> str:
    """Each practice category with the clauses the classifier put under it."""
    if not audit.practices:
        return ""
    rows = []
    for label in PRACTICES:
        clauses = [p for p in audit.practices if label in p.labels]
        if clauses:
            quoted = "<br>".join(
                f"<span class=rule>{escape(p.clause or '')}</span> {escape(p.text)}"
                for p in clauses
            )
            rows.append(
                f"<tr><td>{escape(label_name('practices', label, lang))} "
                f"({len(clauses)})</td><td>{quoted}</td></tr>"
            )
    return (
        f"<h2>{escape(message('audit.practices', lang))}</h2><table class=svd>"
        + "".join(rows)
        + "</table>"
    )


def _consistency(audit: Audit, lang: str) -> str:
    """The two sides next to each other: what the policy says, what traffic showed."""
    if not audit.consistency:
        return ""
    rows = []
    for record in audit.consistency:
        said = "<br>".join(escape(e.text) for e in record.policy_evidence) or (
            f"<em>{escape(message('audit.policy_silent', lang))}</em>"
        )
        observed = (
            f"{escape(record.data_type)} → {escape(record.organization or record.host)} "
            f"({escape(record.country or '?')}, {escape(record.party)}) "
            f"<span class=rule>#{', #'.join(map(str, record.entries[:5]))}</span>"
        )
        label = escape(message(f"audit.class.{record.cls}", lang))
        rows.append(
            f"<tr class={record.cls}><td>{label}</td><td>{observed}</td><td>{said}</td></tr>"
        )
    return (
        f"<h2>{escape(message('audit.say_vs_do', lang))}</h2><table class=svd>"
        + "".join(rows)
        + "</table>"
    )
