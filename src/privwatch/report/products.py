"""A product check (``privwatch products check``): a terminal table, one row
per match, and one self-contained HTML page (``report.page``'s CSP: no
script, no fetch). Every text from a listing or a hazard list is escaped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from privwatch.i18n import message
from privwatch.products.match.data import REASON
from privwatch.products.records import Certainty, HazardRecord, Match
from privwatch.report.page import esc, meta_list, now_iso, page, safe_id, stat

if TYPE_CHECKING:
    from rich.console import Console

    from privwatch.products.check import Check

NAME_ORDER = ("ko", "en", "zh")
COLUMNS = ("platform", "title", "hazard", "method", "score", "certainty")


def hazard_name(record: HazardRecord, lang: str) -> str:
    """The record's name in ``lang`` when given, else the first of ko/en/zh."""
    order = (lang, *NAME_ORDER)
    for tag in order:
        if record.names.get(tag):
            return record.names[tag]
    return next(iter(record.names.values()), "")


def hazard_ref(record: HazardRecord) -> str:
    """``us-cpsc 27901 (2026-10-15)``."""
    date = f" ({record.date})" if record.date else ""
    return f"{record.source} {record.record_id}{date}"


def ordered(matches: tuple[Match, ...]) -> list[Match]:
    """Certain first, then by score, then by platform and title."""
    return sorted(
        matches,
        key=lambda m: (
            m.certainty is not Certainty.CERTAIN,
            -m.score,
            m.listing.platform,
            m.listing.title,
        ),
    )


def render_table(check: Check, console: Console, lang: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from privwatch.fields import shown

    counts = check.counts()
    if not check.matches:
        console.print(
            Text(
                message(
                    "products.check.nothing",
                    lang,
                    listings=counts["listings"],
                    records=counts["hazard_records"],
                )
            )
        )
        return
    table = Table(*(message(f"products.check.column.{c}", lang) for c in COLUMNS))
    for m in ordered(check.matches):
        cells = (
            m.listing.platform,
            m.listing.title,
            hazard_ref(m.hazard),
            message(f"products.method.{m.method.value}", lang),
            f"{m.score:.2f}",
            message(f"products.certainty.{m.certainty.value}", lang),
        )
        table.add_row(*(Text(shown(c)) for c in cells))  # no markup from titles
    console.print(table)
    console.print(Text(message("products.check.count", lang, **counts)))


CSS_EXTRA = """
table.q td.f{white-space:nowrap;color:var(--muted);font-size:.82rem}
table.q td{word-break:break-word}
.badge.certain{background:var(--high-bg);color:var(--high);border-color:var(--high)}
.badge.review{background:var(--medium-bg);color:var(--medium);border-color:var(--medium)}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:.4rem 1.2rem}
@media (max-width:48rem){.sides{grid-template-columns:1fr}}
"""


def _rows(rows: list[tuple[str, str]]) -> str:
    """A definition list without the rows a side left empty."""
    return meta_list([(label, value) for label, value in rows if value])


def _match_card(m: Match, number: int, lang: str) -> str:
    listing, hazard = m.listing, m.hazard
    kind = m.certainty.value
    head = (
        f'<div class="head"><span class="num">{number}.</span>'
        f'<span class="badge {kind}">{esc(message(f"products.certainty.{kind}", lang))}</span>'
        f'<span class="title">{esc(listing.title)}</span>'
        f'<span class="rule">{esc(message(f"products.method.{m.method.value}", lang))}'
        f" · {m.score:.2f}</span></div>"
    )
    why = (
        f'<p class="why">{esc(message(m.reason, lang))}</p>'
        if m.reason.startswith(REASON)
        else ""
    )
    rows = "".join(
        f'<tr><td class="f">{esc(message(f"products.field.{f.field}", lang))}</td>'
        f"<td>{esc(f.listing_text)}</td><td>{esc(f.hazard_text)}</td></tr>"
        for f in m.fields
    )
    quoted = (
        '<table class="grid q"><thead><tr>'
        f"<th>{esc(message('products.html.field', lang))}</th>"
        f"<th>{esc(message('products.html.listing_said', lang))}</th>"
        f"<th>{esc(message('products.html.hazard_said', lang))}</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )

    def link(url: str) -> str:
        if url.startswith(("https://", "http://")):
            return f'<a href="{esc(url)}" rel="noreferrer">{esc(url)}</a>'
        return f'<span class="mono">{esc(url)}</span>'

    def said(key: str) -> str:
        return message(f"products.html.{key}", lang)

    left = _rows(
        [
            (said("platform"), esc(listing.platform)),
            (said("seller"), esc(listing.seller)),
            (said("price"), esc(listing.price)),
            (said("address"), link(listing.url)),
            (said("fetched_at"), esc(listing.fetched_at)),
        ]
    )
    right = _rows(
        [
            (said("notice"), esc(hazard_ref(hazard))),
            (said("product"), esc(hazard_name(hazard, lang))),
            (said("brand"), esc(hazard.brand)),
            (said("hazard"), esc(hazard.hazard)),
            (said("measure"), esc(hazard.measure)),
            (said("address"), link(hazard.url) if hazard.url else ""),
        ]
    )
    return (
        f'<article class="finding {"high" if kind == "certain" else "review medium"}" '
        f'id="{safe_id("m", number)}">{head}{why}{quoted}'
        f'<div class="sides"><div>{left}</div><div>{right}</div></div></article>'
    )


def _inputs(check: Check, lang: str) -> str:
    rows = []
    for item in check.inputs:
        state = (
            esc(item.error)
            if item.error
            else esc(message("products.html.records", lang, count=item.records))
        )
        rows.append(
            f"<tr><td>{esc(message(f'products.html.kind.{item.kind}', lang))}</td>"
            f'<td class="mono">{esc(item.source)}</td><td>{esc(item.mapping)}</td>'
            f'<td class="mono small">{esc(item.sha256)}</td><td>{state}</td></tr>'
        )
    heads = ("kind", "source", "mapping", "sha256", "read")
    return (
        '<table class="grid"><thead><tr>'
        + "".join(
            f"<th>{esc(message(f'products.html.col.{h}', lang))}</th>" for h in heads
        )
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def render_html(check: Check, lang: str) -> str:
    from privwatch.report.page import CSS

    counts = check.counts()
    matches = ordered(check.matches)
    stats = (
        '<div class="stats">'
        + stat(counts["listings"], message("products.html.stat.listings", lang))
        + stat(counts["hazard_records"], message("products.html.stat.records", lang))
        + stat(counts["certain"], message("products.html.stat.certain", lang), "x")
        + stat(counts["review"], message("products.html.stat.review", lang), "medium")
        + "</div>"
    )
    if matches:
        cards = "".join(_match_card(m, n, lang) for n, m in enumerate(matches, 1))
    else:
        cards = f'<p class="note">{esc(message("products.check.nothing", lang, listings=counts["listings"], records=counts["hazard_records"]))}</p>'
    body = (
        f"{stats}"
        f'<p class="note">{esc(message("products.html.explain", lang))}</p>'
        f'<h2 id="matches">{esc(message("products.html.matches", lang))}</h2>{cards}'
        f'<h2 id="inputs">{esc(message("products.html.inputs", lang))}</h2>'
        + meta_list(
            [
                (message("products.html.started", lang), esc(check.started_at)),
                (message("products.html.finished", lang), esc(check.finished_at)),
                (message("products.html.generated", lang), esc(now_iso())),
            ]
        )
        + _inputs(check, lang)
    )
    title = message("products.html.title", lang)
    sub = message("products.check.count", lang, **counts)
    return page(
        lang=lang,
        title=title,
        kind=message("products.html.kind", lang),
        heading=title,
        sub=sub,
        body=body,
    ).replace(f"<style>{CSS}</style>", f"<style>{CSS}{CSS_EXTRA}</style>", 1)
