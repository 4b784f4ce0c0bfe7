"""Scan results: the JSON contract (``privwatch.scan/2``) and a self-contained
HTML page (the terminal table is in ``report.scan_table``)."""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from privwatch import __version__
from privwatch.i18n import message
from privwatch.report.chart import ChartFlow, flow_chart
from privwatch.report.page import (
    cloak_words,
    country_name,
    data_label,
    esc,
    meta_list,
    now_iso,
    page,
    stat,
    terminal_words,
    toc,
)
from privwatch.traffic.scan import Flow, ScanResult, unknown_hosts


def _crosses(flow: Flow, user_country: str) -> bool:
    return any(c and c != user_country for c in (flow.org_country, flow.ip_country))


def scan_to_dict(result: ScanResult, *, user_country: str = "KR") -> dict[str, Any]:
    """The ``privwatch.scan/2`` object: the stored scan record (it holds no words)."""
    from privwatch.store.records import encode_scan  # not SQLAlchemy for an audit

    return encode_scan(result, user_country)


def render_json(result: ScanResult, *, user_country: str = "KR") -> str:
    # json.dumps with an indent joins a list of every piece (~60 bytes each:
    # 300 MB for 75,000 flows); written piece by piece the text is all we hold
    out = io.StringIO()
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
    for piece in encoder.iterencode(scan_to_dict(result, user_country=user_country)):
        out.write(piece)
    return out.getvalue()


def scan_rows(
    result: ScanResult, user_country: str, lang: str = "en"
) -> list[tuple[str, str, str, str, str, int, bool, str]]:
    groups: Counter[tuple[str, str, str, str, str]] = Counter()
    encodings: dict[tuple[str, str, str, str, str], set[str]] = {}
    crossing: dict[tuple[str, str, str, str, str], bool] = {}
    networks: dict[tuple[str, str, str, str, str], list[str]] = {}
    for flow in result.flows:
        key = (
            flow.data_type,
            flow.organization or message("scan.unknown_org", lang, host=flow.host),
            flow.country or "?",
            "cloaked" if flow.cloaked else flow.party,
            flow.source,
        )
        groups[key] += 1
        encodings.setdefault(key, set()).add(flow.encoding)
        crossing[key] = crossing.get(key, False) or _crosses(flow, user_country)
        _add(networks.setdefault(key, []), flow.network)
    return [
        (*key[:2], _where(key[2], networks[key]), *key[3:])
        + (count, crossing[key], terminal_words("encoding", encodings[key], lang))
        for key, count in groups.most_common()
    ]


def _where(country: str, networks: list[str]) -> str:
    """The country cell with the published networks the servers are in:
    "KR (Amazon Web Services ap-northeast-2)", "? (Cloudflare edge)"."""
    return f"{country} ({', '.join(networks)})" if networks else country


def scan_header(result: ScanResult, lang: str) -> str:
    return message(
        "scan.header",
        lang,
        path=result.path,
        site=result.site,
        entries=result.entries,
        flows=len(result.flows),
    )


# --- HTML ------------------------------------------------------------------


@dataclass
class FlowRow:
    """One (data type, organisation, country, party) in an HTML report, with the
    requests that showed it; ``cls`` is the say-versus-do class in an audit."""

    data_type: str
    organization: str | None
    host: str
    country: str | None
    party: str
    cross_border: bool = False
    entries: list[int] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    server_countries: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)  # "Cloudflare edge"
    encodings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # "query ud[em]"
    #: (host, evidence id) of its requests to a tracker behind the site's name
    cloaked: list[tuple[str, str]] = field(default_factory=list)
    cls: str | None = None
    said: str = ""  # markup: a link to its say-versus-do row (audit)

    @property
    def key(self) -> tuple[str, str, str | None, str]:
        return (
            self.data_type,
            self.organization or self.host,
            self.country,
            self.party,
        )


def _add(items: list[str], value: str) -> None:
    if value and value not in items:
        items.append(value)


def rows_from_flows(flows: list[Flow], user_country: str) -> list[FlowRow]:
    """Flows grouped by (data type, organisation, country, party)."""
    rows: dict[tuple[str, str, str | None, str], FlowRow] = {}
    for flow in flows:
        key = (
            flow.data_type,
            flow.organization or flow.host,
            flow.country,
            flow.party,
        )
        row = rows.get(key)
        if row is None:
            row = rows[key] = FlowRow(
                flow.data_type, flow.organization, flow.host, flow.country, flow.party
            )
        row.cross_border = row.cross_border or _crosses(flow, user_country)
        if flow.entry_index not in row.entries:
            row.entries.append(flow.entry_index)
        _add(row.hosts, flow.host)
        if flow.ip_country and flow.ip_country != flow.country:
            _add(row.server_countries, flow.ip_country)
        _add(row.networks, flow.network)
        _add(row.encodings, flow.encoding)
        _add(row.sources, flow.source)
        _add(row.places, flow.via or f"{flow.location} {flow.name}".strip())
        if flow.cloaked and (flow.host, flow.cloaked) not in row.cloaked:
            row.cloaked.append((flow.host, flow.cloaked))
    return sort_rows(list(rows.values()))


def sort_rows(rows: list[FlowRow]) -> list[FlowRow]:
    """Cross-border first, then third parties, then by requests."""
    return sorted(
        rows,
        key=lambda r: (
            not r.cross_border,
            r.party != "third",
            -len(r.entries),
            r.organization or r.host,
            r.data_type,
        ),
    )


def org_label(row: FlowRow, lang: str) -> str:
    """The organisation's name; the host for the audited site's own unregistered
    hosts; "unknown (host)" for third parties not in the registry."""
    if row.organization:
        return row.organization
    if row.party == "first":
        return row.host
    return message("scan.unknown_org", lang, host=row.host)


def chart_flows(rows: list[FlowRow], lang: str) -> list[ChartFlow]:
    return [
        ChartFlow(
            data=data_label(row.data_type, lang),
            org=org_label(row, lang),
            org_key=row.organization or row.host,
            party=row.party,
            country=row.country,
            server_country=row.server_countries[0] if row.server_countries else None,
            entries=tuple(row.entries),
            cross_border=row.cross_border,
        )
        for row in rows
    ]


def row_ids(rows: list[FlowRow]) -> dict[int, str]:
    """The table row each request number first appears in."""
    ids: dict[int, str] = {}
    for number, row in enumerate(rows, 1):
        for index in row.entries:
            ids.setdefault(index, f"flow-{number}")
    return ids


def _list(items: list[str], limit: int = 6) -> str:
    shown = "<br>".join(esc(i) for i in items[:limit])
    return shown + (f"<br>… (+{len(items) - limit})" if len(items) > limit else "")


def flow_section(
    rows: list[FlowRow],
    *,
    lang: str,
    user_country: str,
    notes: list[str] | None = None,
) -> str:
    """The chart and the table of flows (markup, without the heading)."""
    if not rows:
        return f'<p class="note">{esc(message("html.flows.none", lang))}</p>'
    crossing = sum(r.cross_border for r in rows)
    parts = [
        '<div class="stats">',
        stat(len(rows), message("html.flows.rows", lang)),
        stat(
            len({i for r in rows for i in r.entries}),
            message("html.flows.requests", lang),
        ),
        stat(
            len({r.organization or r.host for r in rows if r.party == "third"}),
            message("html.flows.third_orgs", lang),
        ),
        stat(
            crossing, message("html.flows.cross_border", lang), "x" if crossing else ""
        ),
        "</div>",
        f'<p class="small muted">{esc(message("html.flows.explain", lang, country=country_name(user_country, lang)))}</p>',
        f'<h3 id="flow-chart">{esc(message("html.flows.chart", lang))}</h3>',
        f'<div class="chart">{flow_chart(chart_flows(rows, lang), lang=lang, user_country=user_country)}</div>',
        f'<h3 id="flow-table">{esc(message("html.flows.table", lang))}</h3>',
    ]
    said = any(r.cls for r in rows)
    places = any(r.places for r in rows)
    head = _flow_head(lang, places=places, said=said)
    body = [
        _flow_row(number, row, lang, places=places, said=said)
        for number, row in enumerate(rows, 1)
    ]
    parts.append(
        f'<table class="grid flows"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
    if notes:
        parts.append(
            f'<h3 id="flow-notes">{esc(message("html.flows.notes", lang))}</h3>'
        )
        parts.extend(f'<p class="note">{note}</p>' for note in notes)
    return "".join(parts)


def _flow_head(lang: str, *, places: bool, said: bool) -> str:
    """The flow table's column headings."""
    heads = [
        ("", "#"),
        ("", message("scan.column.data", lang)),
        ("", message("scan.column.organisation", lang)),
        ("", message("scan.column.party", lang)),
        ("", message("scan.column.country", lang)),
        ("", message("scan.column.cross-border", lang)),
        ("n", message("scan.column.requests", lang)),
    ]
    if places:
        heads.append(("", message("html.flows.where", lang)))
    if said:
        heads.append(("", message("html.flows.class", lang)))
    return "".join(
        f'<th class="{c}" scope="col">{esc(t)}</th>'
        if c
        else f'<th scope="col">{esc(t)}</th>'
        for c, t in heads
    )


def _flow_row(number: int, row: FlowRow, lang: str, *, places: bool, said: bool) -> str:
    """One flow as a table row: ``flow-<number>``, marked when it crosses a border."""
    country = esc(country_name(row.country, lang))
    if row.server_countries:
        servers = ", ".join(country_name(c, lang) for c in row.server_countries)
        country += f'<br><span class="small muted">{esc(message("html.flows.server", lang, countries=servers))}</span>'
    if row.networks:
        country += f'<br><span class="small muted">{esc(message("html.flows.network", lang, networks=", ".join(row.networks)))}</span>'
    if row.cross_border:
        mark = (
            f'<span class="badge xb">⚠ {esc(message("html.cross_border", lang))}</span>'
        )
    elif row.country or row.server_countries:
        mark = f'<span class="badge dom">{esc(message("html.domestic", lang))}</span>'
    else:
        mark = f'<span class="badge unk">{esc(message("html.country_unknown", lang))}</span>'

    organisation = f"<strong>{esc(org_label(row, lang))}</strong>"
    hosts = [h for h in row.hosts if h != row.organization]
    if hosts:
        organisation += f'<br><span class="small muted mono">{_list(hosts, 4)}</span>'
    for host, evidence in row.cloaked:
        organisation += (
            f'<br><span class="small">{esc(cloak_words(host, evidence, lang))}</span>'
        )
    party = "cloaked" if row.cloaked else row.party
    requests = ", ".join(f"#{i}" for i in row.entries[:8]) + (
        " …" if len(row.entries) > 8 else ""
    )
    where = _list(row.places)
    if row.encodings:
        where += f'<br><span class="small muted">{esc(", ".join(row.encodings))}</span>'
    cells = [
        f'<td class="n">{number}</td>',
        f"<td>{esc(data_label(row.data_type, lang))}"
        f'<br><span class="small muted mono">{esc(row.data_type)}</span></td>',
        f"<td>{organisation}</td>",
        f'<td><span class="badge party">{esc(message(f"html.party.{party}", lang))}</span></td>',
        f"<td>{country}</td>",
        f"<td>{mark}</td>",
        f'<td class="n">{len(row.entries)}<br><span class="small muted">{esc(requests)}</span></td>',
    ]
    if places:
        cells.append(f'<td class="small">{where}</td>')
    if said:
        label = (
            f'<span class="badge {esc(row.cls)}">{esc(message(f"audit.class.{row.cls}", lang))}</span>'
            if row.cls
            else ""
        )
        cells.append(f'<td class="small">{label} {row.said}</td>')
    attrs = f'id="flow-{number}"' + (' class="xb"' if row.cross_border else "")
    return f"<tr {attrs}>{''.join(cells)}</tr>"


def render_html(
    result: ScanResult,
    *,
    lang: str = "en",
    user_country: str = "KR",
    generated_at: str | None = None,
) -> str:
    """One self-contained page: what the session sent, to whom, where."""
    rows = rows_from_flows(result.flows, user_country)
    unknown = unknown_hosts(result)
    meta = [
        (
            message("html.meta.har", lang),
            f'<span class="mono">{esc(result.path)}</span>',
        ),
        (
            message("html.meta.har_sha256", lang),
            f'<span class="mono">{esc(result.sha256)}</span>',
        ),
        (message("html.meta.entries", lang), esc(result.entries)),
        (message("html.meta.site", lang), esc(result.site)),
        (
            message("html.meta.user_country", lang),
            esc(country_name(user_country, lang)),
        ),
        (message("html.meta.version", lang), esc(f"privwatch {__version__}")),
        (message("html.meta.generated", lang), esc(generated_at or now_iso())),
    ]
    sections = [
        ("summary", message("html.section.summary", lang)),
        ("flows", message("html.section.flows", lang)),
        ("hosts", message("html.section.hosts", lang)),
        ("about", message("html.section.about", lang)),
    ]
    body = [
        meta_list(meta),
        toc(sections, lang),
        f'<section id="summary"><h2>{esc(sections[0][1])}</h2>',
        f"<p>{esc(scan_header(result, lang))}</p>",
        _by_type(result, lang),
        "</section>",
        f'<section id="flows"><h2>{esc(sections[1][1])}</h2>',
        flow_section(rows, lang=lang, user_country=user_country),
        "</section>",
        f'<section id="hosts"><h2>{esc(sections[2][1])}</h2>',
        _hosts(result, unknown, lang),
        "</section>",
        f'<section id="about"><h2>{esc(sections[3][1])}</h2>',
        f'<p class="small">{esc(message("html.scan.about", lang))}</p>',
        "</section>",
    ]
    title = message("html.scan.title", lang, site=result.site)
    return page(
        lang=lang,
        title=title,
        kind=message("html.scan.kind", lang),
        heading=result.site,
        sub=result.path,
        body="\n".join(body),
    )


def _by_type(result: ScanResult, lang: str) -> str:
    """Requests carrying each data type."""
    counts: dict[str, set[int]] = {}
    for flow in result.flows:
        counts.setdefault(flow.data_type, set()).add(flow.entry_index)
    if not counts:
        return ""
    rows = "".join(
        f'<tr><td>{esc(data_label(t, lang))} <span class="small muted mono">{esc(t)}</span></td>'
        f'<td class="n">{len(e)}</td></tr>'
        for t, e in sorted(counts.items(), key=lambda i: (-len(i[1]), i[0]))
    )
    return (
        f'<table class="grid" style="width:auto"><thead><tr><th>{esc(message("scan.column.data", lang))}</th>'
        f'<th class="n">{esc(message("scan.column.requests", lang))}</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _hosts(result: ScanResult, unknown: list[str], lang: str) -> str:
    parts = [
        f"<p>{esc(message('html.hosts.count', lang, hosts=len(result.hosts), first=len(result.first_party)))}</p>"
    ]
    if unknown:
        parts.append(
            f"<p>{esc(message('html.hosts.unknown', lang, count=len(unknown)))}</p>"
            f'<p class="mono small">{"<br>".join(esc(h) for h in unknown)}</p>'
        )
    for key, params in result.warnings:
        parts.append(f'<p class="note">{esc(message(key, lang, **params))}</p>')
    return "".join(parts)
