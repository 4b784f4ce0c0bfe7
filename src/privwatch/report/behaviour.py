"""What the page did (``traffic.behaviour``) in the scan's outputs and the
audit's: the ``behaviour`` object of the scan JSON, a terminal table after the
flows, and an HTML section (scan page and audit page, before "About")."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from privwatch.i18n import message
from privwatch.report import flows, scan_table
from privwatch.report.page import data_label, esc

if TYPE_CHECKING:
    from rich.console import Console

    from privwatch.models import Audit
    from privwatch.traffic.scan import ScanResult


def _run(record: dict[str, Any], lang: str) -> str:
    """The consent run, or for a single run what it was judged as."""
    if record.get("consent_run"):
        return str(record["consent_run"])
    if record.get("consent_as"):
        return message("behaviour.run.single", lang, run=record["consent_as"])
    return "-"


def behaviour_dict(result: ScanResult) -> dict[str, Any] | None:
    """The ``behaviour`` object (null when the HAR had no page record)."""
    return None if result.behaviour is None else result.behaviour.to_dict()


def scan_to_dict(result: ScanResult, *, user_country: str = "KR") -> dict[str, Any]:
    """The scan JSON, with ``behaviour`` when a page record was read (without
    one the object is the stored scan's, unchanged)."""
    data = flows.scan_to_dict(result, user_country=user_country)
    if result.behaviour is not None and "behaviour" not in data:
        data["behaviour"] = behaviour_dict(result)  # the stored scan has it
    return data


def render_json(result: ScanResult, *, user_country: str = "KR") -> str:
    out = io.StringIO()
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
    for piece in encoder.iterencode(scan_to_dict(result, user_country=user_country)):
        out.write(piece)
    return out.getvalue()


def audit_json(audit: Audit, lang: str, scan: ScanResult | None) -> str:
    """The audit JSON, with the ``behaviour`` object when a page record was
    read beside the audited HAR."""
    from privwatch.report.json import audit_to_dict

    data = audit_to_dict(audit, lang)
    if scan is not None and scan.behaviour is not None:
        data["behaviour"] = behaviour_dict(scan)
    return json.dumps(data, ensure_ascii=False, indent=2)


def _where(item: dict[str, Any], lang: str, script: bool = True) -> str:
    """Who and where: the organisation (else the host), the request's index
    (the calling script's URL too, unless ``script`` is false)."""
    who = item.get("organization") or item.get("host") or ""
    if script and item.get("script") and item.get("entry_index") is None:
        who = f"{who} ({item['script']})" if who else item["script"]
    index = item.get("entry_index")
    return f"{who} #{index}" if index is not None else who


def detail(item: dict[str, Any], lang: str) -> str:
    """The check's own evidence in one line, in the reader's language."""
    check = item["check"]
    if check.startswith("keylogging"):
        return message(
            "behaviour.detail.keylogging",
            lang,
            item=data_label(item["persona_key"], lang),
            field=item["input_field"],
            typed=item["input_t"],
            sent=item["t"],
            where=f"{item['location']} {item['name']}".strip(),
        )
    if check == "session_replay":
        return message(
            f"behaviour.detail.replay.{item['role']}",
            lang,
            vendor=item["vendor"],
            count=item["requests"],
        )
    if check == "dom_upload":
        return message(
            f"behaviour.detail.dom.{item['shape']}",
            lang,
            events=item["events"],
            nodes=item["nodes"],
            depth=item["depth"],
            mutations=item["mutations"],
        )
    if check == "fingerprinting":
        calls = ", ".join(f"{k} ×{v}" for k, v in item["calls"].items())
        return message(f"behaviour.detail.fp.{item['technique']}", lang, calls=calls)
    if check == "third_party_cookie":
        return message(
            f"behaviour.detail.cookie.{item['source']}",
            lang,
            name=item["name"],
            domain=item["domain"],
        )
    types = ", ".join(item.get("data_types") or []) or "-"
    return message(
        f"behaviour.detail.{check}",
        lang,
        consent=item.get("consent_t") or "-",
        sent=item["t"],
        types=types,
    )


def rows(result: ScanResult, lang: str) -> list[tuple[str, str, str, str]]:
    """(check, certainty, who and where, evidence) per item."""
    if result.behaviour is None:
        return []
    return [
        (
            message(f"behaviour.check.{item['check']}", lang),
            message(f"behaviour.certainty.{item['certainty']}", lang),
            _where(item, lang),
            detail(item, lang),
        )
        for item in result.behaviour.items
    ]


def draw_table(result: ScanResult, console: Console, lang: str) -> None:
    """The checks after the flows, or one line saying none fired."""
    if result.behaviour is None:
        return
    from rich.table import Table

    found = rows(result, lang)
    record = result.behaviour.record
    console.print(
        message(
            "behaviour.header",
            lang,
            path=record["path"],
            run=_run(record, lang),
            count=len(found),
        )
    )
    if not found:
        return
    table = Table(show_lines=False)
    for column in ("check", "certainty", "where", "evidence"):
        # a script's URL or an API's name is folded, never cut: two WebGL
        # parameters differ only at their end (UNMASKED_VENDOR/RENDERER)
        table.add_column(
            message(f"behaviour.column.{column}", lang),
            overflow="fold" if column in ("where", "evidence") else "ellipsis",
        )
    for cells in found:
        table.add_row(*cells)
    console.print(table)


def render_table(
    result: ScanResult, console: Console, *, lang: str = "en", user_country: str = "KR"
) -> None:
    scan_table.render_table(result, console, lang=lang, user_country=user_country)
    draw_table(result, console, lang)


def section(result: ScanResult | None, lang: str) -> str:
    """The HTML section (empty without a record)."""
    if result is None or result.behaviour is None:
        return ""
    record = result.behaviour.record
    head = "".join(
        f'<th scope="col">{esc(message(f"behaviour.column.{c}", lang))}</th>'
        for c in ("check", "certainty", "where", "evidence")
    )
    body = []
    for item, cells in zip(result.behaviour.items, rows(result, lang), strict=True):
        url = item.get("url") or item.get("script") or ""
        link = f'<br><span class="small mono">{esc(url)}</span>' if url else ""
        if item.get("url") and item.get("script"):
            started = message("behaviour.started_by", lang)
            link += (
                f'<br><span class="small muted">{esc(started)} '
                f'<span class="mono">{esc(item["script"])}</span></span>'
            )
        badge = "medium" if item["certainty"] == "review" else "high"
        where = _where(item, lang, script=False)
        body.append(
            f"<tr><td>{esc(cells[0])}</td>"
            f'<td><span class="badge {badge}">{esc(cells[1])}</span></td>'
            f"<td>{esc(where)}{link}</td><td>{esc(cells[3])}</td></tr>"
        )
    intro = message(
        "behaviour.header",
        lang,
        path=record["path"],
        run=_run(record, lang),
        count=len(body),
    )
    table = (
        f'<table class="grid behaviour"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
        if body
        else ""
    )
    title = esc(message("behaviour.section", lang))
    return (
        f'<section id="behaviour"><h2>{title}</h2><p>{esc(intro)}</p>'
        f'<p class="small muted">{esc(message("behaviour.explain", lang))}</p>'
        f"{table}</section>\n"
    )


def with_section(
    html: str, result: ScanResult | None, lang: str, before: str = "about"
) -> str:
    """``html`` (a scan or audit page) with the behaviour section before its
    section ``before`` ("about"; an audit's "policy", after say versus do),
    and a line for it in the contents."""
    part = section(result, lang)
    if not part:
        return html
    if f'<section id="{before}">' not in html:
        before = "about"
    title = esc(message("behaviour.section", lang))
    html = html.replace(
        f'<li><a href="#{before}">',
        f'<li><a href="#behaviour">{title}</a></li><li><a href="#{before}">',
        1,
    )
    anchor = f'<section id="{before}">'
    return html.replace(anchor, part + anchor, 1)


def render_html(
    result: ScanResult,
    *,
    lang: str = "en",
    user_country: str = "KR",
    generated_at: str | None = None,
) -> str:
    page = flows.render_html(
        result, lang=lang, user_country=user_country, generated_at=generated_at
    )
    return with_section(page, result, lang)
