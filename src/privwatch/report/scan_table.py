"""A scan in the terminal: a table of (data type, organisation, country)
rows, each cell cut to its column with an ellipsis; one line when the scan
found nothing."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from privwatch.i18n import message
from privwatch.report.flows import scan_header, scan_rows
from privwatch.report.page import cloak_words, terminal_word
from privwatch.report.terminal import hanging
from privwatch.traffic.scan import ScanResult, unknown_hosts

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


def _cells(
    result: ScanResult, user_country: str, lang: str = "en"
) -> list[tuple[bool, list[str]]]:
    """Each table row as (cross-border, the cells shown under COLUMNS)."""
    return [
        (
            crosses,
            [
                terminal_word("data", data, lang),
                org,
                country,
                terminal_word("party", party, lang),
                terminal_word("source", source, lang),
                str(count),
                "⚠" if crosses else "",
                codes,
            ],
        )
        for data, org, country, party, source, count, crosses, codes in scan_rows(
            result, user_country, lang
        )
    ]


def render_table(
    result: ScanResult, console: Console, *, lang: str = "en", user_country: str = "KR"
) -> None:
    rows = _cells(result, user_country, lang)
    if not rows:  # one line, not an empty box
        hanging(console, message("scan.nothing_found", lang, **_counts(result)))
    else:
        hanging(console, scan_header(result, lang))
        table = Table(show_lines=False)
        headers = [message(f"scan.column.{column}", lang) for column in COLUMNS]
        widths = _widths(headers, [cells for _, cells in rows], console)
        for column, header, width in zip(COLUMNS, headers, widths, strict=True):
            table.add_column(
                header,
                width=width,
                no_wrap=True,
                overflow="ellipsis",
                justify="right" if column == "requests" else "left",
            )
        for _, cells in rows:
            table.add_row(
                *(Text(cut(c, w)) for c, w in zip(cells, widths, strict=True))
            )
        console.print(table)
    cloaked = sorted({(f.host, f.cloaked) for f in result.flows if f.cloaked})
    if cloaked:
        hosts = "; ".join(cloak_words(host, evidence) for host, evidence in cloaked)
        hanging(console, message("scan.cloaked_hosts", lang, hosts=hosts))
    unknown = unknown_hosts(result)
    if unknown:
        hosts = ", ".join(unknown[:20])
        hanging(
            console,
            message("scan.unknown_hosts", lang, count=len(unknown), hosts=hosts),
            hang=2,
        )


def _widths(
    headers: list[str], rows: list[list[str]], console: Console
) -> list[int | None]:
    """Each column's width: its content's, except in a terminal too narrow for
    them all, where the widest columns are held to one width, the largest that
    fits (their cells cut with an ellipsis), the narrow ones left whole."""
    natural = [
        max(cell_len(cell) for cell in (header, *column))
        for header, column in zip(headers, zip(*rows, strict=True), strict=True)
    ]
    room = console.width - (3 * len(natural) + 1)  # borders and padding
    if console.soft_wrap or sum(natural) <= room:
        return [None] * len(natural)
    cap = max(natural)
    while cap > 3 and sum(min(width, cap) for width in natural) > room:
        cap -= 1
    return [min(width, cap) for width in natural]


def cut(text: str, width: int | None) -> str:
    """``text`` in at most ``width`` columns: whole, or cut between two
    characters with an ellipsis right after the last one kept (a wide Korean
    character that would straddle the edge is left out, not split or spaced)."""
    if width is None or cell_len(text) <= width:
        return text
    kept, used = [], 1  # the ellipsis takes a column
    for char in text:
        used += cell_len(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def _counts(result: ScanResult) -> dict[str, object]:
    return {"path": result.path, "site": result.site, "entries": result.entries}
