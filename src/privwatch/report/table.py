"""Findings in the terminal, grouped by article, evidence highlighted in its clause."""

from __future__ import annotations

import re
from itertools import groupby

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from privwatch.classify.corpora import PRACTICES
from privwatch.i18n import message
from privwatch.models import Audit, Evidence, Finding
from privwatch.report.certainty import more_line, scope_line, split
from privwatch.report.labels import label_name
from privwatch.report.page import terminal_word
from privwatch.report.terminal import hanging, plain
from privwatch.rules.words import finding_words

STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}
CONTEXT = 120  # characters of the clause shown around the evidence


def article_label(article: str, lang: str) -> str:
    """``28-8(2)`` as the statute writes it: ``제28조의8제2항`` or ``Art. 28-8(2)``."""
    match = re.match(r"(\d+)(?:-(\d+))?", article)
    if lang != "ko" or match is None:
        return f"Art. {article}"
    number, sub = match.groups()
    paragraphs = re.findall(r"\((\d+)\)", article)
    label = f"제{number}조" + (f"의{sub}" if sub else "")
    return label + (f"제{paragraphs[0]}항" if paragraphs else "")


def _article_key(finding: Finding) -> tuple[str, int, int, str]:
    head = finding.article.split("(")[0]
    number, _, sub = head.partition("-")
    return finding.law, int(number), int(sub or 0), finding.article


def heading(finding: Finding, lang: str) -> str:
    """``PIPA Art. 28-8(2)`` / ``개인정보 보호법 제28조의8제2항``, for grouping findings."""
    return (
        f"{message(f'law.{finding.law}', lang)} {article_label(finding.article, lang)}"
    )


def _quotes(
    audit: Audit, evidence: tuple[Evidence, ...], plain: bool, lang: str = "en"
) -> list[Text]:
    """Each clause once, with every evidence span in it highlighted
    (between ⟦ ⟧ where the output has no colour)."""
    text = audit.document.text
    clauses = {c.id: c for c in audit.document.clauses}
    lines = [
        Text(
            f"    ↳ {message('audit.request', lang, index=e.entry_index, host=e.host)}",
            style="dim",
        )
        for e in evidence
        if e.entry_index is not None
    ]
    spans = [e for e in evidence if e.entry_index is None]
    for clause_id, group in groupby(spans, key=lambda e: e.clause):
        spans = list(group)
        clause = clauses.get(clause_id or "")
        start = max(
            clause.start if clause else spans[0].start, spans[0].start - CONTEXT
        )
        end = min(clause.end if clause else spans[-1].end, spans[-1].end + CONTEXT)
        line = Text("    “", style="dim")
        cursor = start
        for span in spans:
            line.append(text[cursor : span.start])
            line.append(f"⟦{span.text}⟧" if plain else span.text, style="bold reverse")
            cursor = span.end
        line.append(text[cursor:end])
        offsets = ", ".join(f"{s.start}:{s.end}" for s in spans)
        line.append(f"”  [{offsets}]", style="dim")
        lines.append(line)
    return lines


def render_table(audit: Audit, console: Console, *, lang: str = "en") -> None:
    document = audit.document
    counts = {
        level: sum(f.severity == level for f in audit.findings) for level in STYLE
    }
    hanging(console, Text(document.title or document.source.uri, style="bold"))
    hanging(
        console, Text(f"{document.source.uri} · sha256 {document.sha256}", style="dim")
    )
    scope = scope_line(audit, lang)
    if scope:
        hanging(console, Text(scope, style="bold yellow"))
    hanging(
        console, message("audit.summary", lang, total=len(audit.findings), **counts)
    )
    certain, review = split(audit.findings)
    if review:
        hanging(console, message("audit.review_among", lang, count=len(review)))
    _render_findings(audit, certain, console, lang)
    if review:
        console.print()
        hanging(
            console, Text(message("audit.review_items", lang), style="bold reverse")
        )
        hanging(console, Text(message("audit.review_note", lang), style="dim"))
        _render_findings(audit, review, console, lang)
    render_consistency(audit, console, lang=lang)
    render_practices(audit, console, lang=lang)


def _render_findings(
    audit: Audit, findings: list[Finding], console: Console, lang: str
) -> None:
    for title, group in groupby(
        sorted(findings, key=_article_key), key=lambda f: heading(f, lang)
    ):
        console.print()
        hanging(console, Text(title, style="bold underline"))
        for finding in group:
            words = finding_words(finding, lang)
            severity = terminal_word("severity", finding.severity, lang)
            pad = " " * max(6 - cell_len(severity), 0)  # 높음: four columns
            line = Text(f"  {severity}{pad} ", style=STYLE[finding.severity])
            line.append(words.title, style="bold")
            line.append(f"  ({finding.rule})", style="dim")
            hanging(console, line, hang=2)
            hanging(console, Text(f"    {words.explanation}"))
            if words.reason:
                why = message("audit.review_reason", lang, reason=words.reason)
                hanging(console, Text(f"    {why}", style="italic"))
            if not finding.evidence:
                hanging(
                    console,
                    Text(
                        "    " + message("audit.no_evidence", lang), style="italic dim"
                    ),
                )
            quotes = _quotes(audit, finding.evidence, plain=plain(console), lang=lang)
            for quote in quotes[:5]:
                hanging(console, quote, hang=1)
            if len(quotes) > 5:
                more = message("audit.more_evidence", lang, count=len(quotes) - 5)
                hanging(console, Text(f"    {more}", style="dim"))
            clauses = more_line(finding, lang)
            if clauses:
                hanging(console, Text(f"    {clauses}", style="dim"))


def render_practices(audit: Audit, console: Console, *, lang: str = "en") -> None:
    """How many clauses the practice classifier put under each category."""
    if not audit.practices:
        return
    console.print()
    hanging(console, Text(message("audit.practices", lang), style="bold underline"))
    for label in PRACTICES:
        clauses = [p.clause for p in audit.practices if label in p.labels]
        if clauses:
            shown = ", ".join(c or "?" for c in clauses[:8])
            more = " …" if len(clauses) > 8 else ""
            line = Text(f"  {label_name('practices', label, lang)}: {len(clauses)}  ")
            line.append(f"({shown}{more})", style="dim")
            hanging(console, line)


def render_consistency(audit: Audit, console: Console, *, lang: str = "en") -> None:
    """Say versus do: each observed flow beside what the policy says of it."""
    if not audit.consistency:
        return
    console.print()
    hanging(console, Text(message("audit.say_vs_do", lang), style="bold underline"))
    for record in sorted(audit.consistency, key=lambda r: CLASS_ORDER.index(r.cls)):
        line = Text(
            f"  {message(f'audit.class.{record.cls}', lang):<10} ",
            style=CLASS_STYLE[record.cls],
        )
        where = record.organization or record.host
        data = terminal_word("data", record.data_type, lang)
        party = terminal_word("party", record.party, lang)
        line.append(f"{data} → {where} ({record.country or '?'}, {party})")
        line.append(f"  #{', #'.join(map(str, record.entries[:5]))}", style="dim")
        hanging(console, line, hang=2)
        if record.policy_evidence:
            for quote in _quotes(
                audit, record.policy_evidence, plain=plain(console), lang=lang
            )[:2]:
                hanging(console, quote, hang=1)
        else:
            hanging(
                console,
                Text("    " + message("audit.policy_silent", lang), style="italic dim"),
            )


CLASS_ORDER = ("incorrect", "omitted", "vague", "clear")
CLASS_STYLE = {
    "incorrect": "bold red",
    "omitted": "red",
    "vague": "yellow",
    "clear": "green",
}
