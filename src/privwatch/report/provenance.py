"""Where a say-versus-do audit's traffic came from (``Audit.traffic``, made by
``ScanResult.provenance``): the rows of the HTML report's provenance block, and
the mark a truncated or partly unreadable HAR leaves in every report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from privwatch.i18n import message
from privwatch.report.page import country_name, data_label, esc, terminal_word

#: warnings that mean part of the HAR was not read, or not read in full
PARTIAL = (
    "scan.truncated",
    "scan.entry_skipped",
    "scan.body_cut",
    "scan.decode_budget",
)


def traffic_rows(traffic: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """(label, markup) rows: the HAR, what was read of it and with what."""
    mono = '<span class="mono">{}</span>'.format
    persona = traffic.get("persona") or {}
    ranges = traffic.get("address_ranges") or []
    rows = [
        (message("html.meta.har", lang), mono(esc(traffic.get("path", "")))),
        (message("html.meta.har_sha256", lang), mono(esc(traffic.get("sha256", "")))),
        (message("html.meta.entries", lang), esc(traffic.get("entries", 0))),
        (message("html.meta.site", lang), esc(traffic.get("site", ""))),
        (
            message("html.meta.user_country", lang),
            esc(country_name(str(traffic.get("user_country", "")), lang)),
        ),
        (
            message("html.meta.persona", lang),
            esc(
                "; ".join(
                    f"{data_label(k, lang)}: {', '.join(v)}" for k, v in persona.items()
                )
                or message("html.meta.persona_none", lang)
            ),
        ),
    ]
    if ranges:
        shown = ", ".join(
            " ".join(str(r[k]) for k in ("provider", "date") if r.get(k))
            for r in ranges
        )
        rows.append((message("html.meta.ranges", lang), esc(shown)))
    return rows


def traffic_line(traffic: Mapping[str, Any] | None, lang: str) -> str:
    """The table's line naming the recorded session ('' without traffic)."""
    if not traffic:
        return ""
    persona = traffic.get("persona") or {}
    return message(
        "report.traffic.line",
        lang,
        path=traffic.get("path", ""),
        sha256=traffic.get("sha256", ""),
        entries=traffic.get("entries", 0),
        site=traffic.get("site", ""),
        country=traffic.get("user_country", ""),
        persona=", ".join(terminal_word("data", k, lang) for k in persona) or "-",
    )


def partial_lines(traffic: Mapping[str, Any] | None, lang: str) -> list[str]:
    """What of the HAR was not read, one line each (none for a HAR read in
    full): the mark first, then every scan warning in words."""
    if not traffic:
        return []
    warnings = [w for w in traffic.get("warnings") or [] if isinstance(w, Mapping)]
    if not any(w.get("key") in PARTIAL for w in warnings):
        return []
    skipped = list(traffic.get("skipped") or [])
    path = traffic.get("path", "")
    lines = [
        message(
            "report.traffic.partial",
            lang,
            path=path,
            count=len(skipped),
            entries=", ".join(f"#{i}" for i in skipped),
        )
        if skipped
        else message("report.traffic.incomplete", lang, path=path)
    ]
    if traffic.get("truncated"):
        lines.append(
            message("report.traffic.truncated", lang, count=traffic.get("entries", 0))
        )
    lines += [message(str(w["key"]), lang, **(w.get("params") or {})) for w in warnings]
    return lines


def partial_mark(traffic: Mapping[str, Any] | None, lang: str) -> str:
    """The HTML mark of a truncated or partly unreadable HAR ('' otherwise)."""
    lines = partial_lines(traffic, lang)
    if not lines:
        return ""
    items = "".join(f"<li>{esc(line)}</li>" for line in lines[1:])
    return (
        f'<div class="banner" id="traffic-partial">{esc(lines[0])}'
        f'<ul class="small">{items}</ul></div>'
    )
