"""Scan results: the JSON contract (``privwatch.scan/1``), a terminal table of
(data type, organisation, country) rows, and a self-contained HTML page."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from html import escape
from typing import Any

from rich.console import Console
from rich.table import Table

from privwatch import __version__
from privwatch.i18n import message
from privwatch.traffic.scan import Flow, ScanResult, unknown_hosts

SCHEMA = "privwatch.scan/1"
COLUMNS = (
    "data",
    "organisation",
    "country",
    "party",
    "source",
    "requests",
    "cross-border",
    "encodings",
)


def _crosses(flow: Flow, user_country: str) -> bool:
    return any(c and c != user_country for c in (flow.org_country, flow.ip_country))


def flow_to_dict(flow: Flow, user_country: str) -> dict[str, Any]:
    data = asdict(flow)
    data["country"] = flow.country
    data["cross_border"] = _crosses(flow, user_country)
    return data


def scan_to_dict(result: ScanResult, *, user_country: str = "KR") -> dict[str, Any]:
    flows = result.flows
    unknown = unknown_hosts(result)
    return {
        "schema": SCHEMA,
        "privwatch": __version__,
        "site": result.site,
        "user_country": user_country,
        "har": {
            "path": result.path,
            "sha256": result.sha256,
            "entries": result.entries,
        },
        "flows": [flow_to_dict(f, user_country) for f in flows],
        "summary": {
            "flows": len(flows),
            "by_data_type": dict(Counter(f.data_type for f in flows)),
            "third_party_organizations": sorted(
                {f.organization for f in flows if f.party == "third" and f.organization}
            ),
            "cross_border": sum(_crosses(f, user_country) for f in flows),
            "hosts": len(result.hosts),
            "unknown_hosts": unknown,
        },
        "warnings": [
            {"warning": key, **{k: str(v) for k, v in params.items()}}
            for key, params in result.warnings
        ],
    }


def render_json(result: ScanResult, *, user_country: str = "KR") -> str:
    return json.dumps(
        scan_to_dict(result, user_country=user_country), ensure_ascii=False, indent=2
    )


def _rows(
    result: ScanResult, user_country: str
) -> list[tuple[str, str, str, str, str, int, bool, str]]:
    groups: Counter[tuple[str, str, str, str, str]] = Counter()
    encodings: dict[tuple[str, str, str, str, str], set[str]] = {}
    crossing: dict[tuple[str, str, str, str, str], bool] = {}
    for flow in result.flows:
        key = (
            flow.data_type,
            flow.organization or message("scan.unknown_org", "en", host=flow.host),
            flow.country or "?",
            flow.party,
            flow.source,
        )
        groups[key] += 1
        encodings.setdefault(key, set()).add(flow.encoding)
        crossing[key] = crossing.get(key, False) or _crosses(flow, user_country)
    return [
        (*key, count, crossing[key], ", ".join(sorted(encodings[key])))
        for key, count in groups.most_common()
    ]


def _header(result: ScanResult, lang: str) -> str:
    return message(
        "scan.header",
        lang,
        path=result.path,
        site=result.site,
        entries=result.entries,
        flows=len(result.flows),
    )


def _cells(result: ScanResult, user_country: str) -> list[tuple[bool, list[str]]]:
    """Each table row as (cross-border, the cells shown under COLUMNS)."""
    return [
        (
            crosses,
            [
                data,
                org,
                country,
                party,
                source,
                str(count),
                "⚠" if crosses else "",
                codes,
            ],
        )
        for data, org, country, party, source, count, crosses, codes in _rows(
            result, user_country
        )
    ]


def render_table(
    result: ScanResult, console: Console, *, lang: str = "en", user_country: str = "KR"
) -> None:
    console.print(_header(result, lang))
    table = Table(show_lines=False)
    for column in COLUMNS:
        table.add_column(message(f"scan.column.{column}", lang))
    for _, cells in _cells(result, user_country):
        table.add_row(*cells)
    console.print(table)
    unknown = unknown_hosts(result)
    if unknown:
        hosts = ", ".join(unknown[:20])
        console.print(
            message("scan.unknown_hosts", lang, count=len(unknown), hosts=hosts)
        )


def render_html(
    result: ScanResult, *, lang: str = "en", user_country: str = "KR"
) -> str:
    rows = "".join(
        ("<tr class=x>" if crosses else "<tr>")
        + "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        + "</tr>"
        for crosses, cells in _cells(result, user_country)
    )
    head = "".join(
        f"<th>{escape(message(f'scan.column.{c}', lang))}</th>" for c in COLUMNS
    )
    title = escape(_header(result, lang))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3rem .5rem}tr.x{background:#fff3cd}</style></head><body>"
        f"<h1>{title}</h1><p>sha256 {result.sha256} · privwatch {__version__}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></body></html>\n"
    )
