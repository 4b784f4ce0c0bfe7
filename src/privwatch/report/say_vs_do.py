"""Say versus do in the audit page: each flow a recorded session observed
beside what the policy says of it, and the flows' rows with their class."""

from __future__ import annotations

from privwatch.consistency import Consistency
from privwatch.i18n import message
from privwatch.models import Audit
from privwatch.report.flows import FlowRow, org_label, rows_from_flows, sort_rows
from privwatch.report.page import country_name, data_label, esc
from privwatch.report.policy_text import in_text, quotes
from privwatch.rules.words import country_note
from privwatch.traffic.scan import ScanResult


def flow_rows(
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


def country_notes(audit: Audit, lang: str) -> list[str]:
    """Why each destination abroad matters (country profiles), once per country."""
    countries = {
        str(fact.get("country"))
        for fact in audit.facts
        if fact.kind == "flow" and fact.get("cross_border") and fact.get("country")
    }
    notes = (country_note(country, lang) for country in sorted(countries))
    return [esc(note) for note in notes if note]


def say_vs_do(
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
            (e, next(anchors, None)) for e in record.policy_evidence if in_text(e, size)
        ]
        said = "".join(quotes(document, pairs, lang)) or (
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
