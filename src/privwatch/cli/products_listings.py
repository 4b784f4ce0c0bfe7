"""``products listings``: product pages and platforms' exports read into
listing records (a folder: its .html, .htm, .csv, .tsv and .json files).

Each source is read on its own: one that cannot be read is one line on
stderr and the others are still printed; the exit status is then 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from privwatch.cli.output import Renderers, format_option, output_option, write_output
from privwatch.i18n import message

if TYPE_CHECKING:
    from rich.console import Console

    from privwatch.products.records import Listing


def listings_command(lang: str) -> click.Command:
    @click.command(name="listings", help=message("help.products.listings", lang))
    @click.argument("sources", nargs=-1, required=True)
    @format_option(lang, "help.products.listings.format", ("table", "json"))
    @click.option("--platform", help=message("help.products.listings.platform", lang))
    @click.option(
        "--render", is_flag=True, help=message("help.products.listings.render", lang)
    )
    @output_option(lang)
    @click.pass_context
    def listings(
        ctx: click.Context,
        sources: tuple[str, ...],
        output_format: str,
        platform: str | None,
        render: bool,
        output: Path | None,
    ) -> None:
        from privwatch.errors import PrivwatchError
        from privwatch.fields import shown
        from privwatch.products.listings import read_listings, to_json
        from privwatch.products.listings.platforms import known_name

        try:
            if platform:
                known_name(platform)  # once, not once per source
        except PrivwatchError as exc:
            print(f"privwatch: {shown(exc.render(lang))}", file=sys.stderr)
            ctx.exit(2)
        found: list[Listing] = []
        expanded, failed = _expanded(sources, lang)
        for source in expanded:
            try:
                found.extend(read_listings(source, platform=platform, render=render))
            except PrivwatchError as exc:
                failed += 1
                print(f"privwatch: {shown(exc.render(lang))}", file=sys.stderr)
        if found or not failed:
            renderers = Renderers(
                json=lambda: json.dumps(to_json(found), ensure_ascii=False, indent=2),
                table=lambda console: _table(found, len(expanded), console, lang),
            )
            write_output(output, output_format, renderers)
        if failed:
            ctx.exit(2)

    return listings


#: what a folder given as a source is read for
SUFFIXES = (".html", ".htm", ".xhtml", ".csv", ".tsv", ".json")


def _expanded(sources: tuple[str, ...], lang: str) -> tuple[list[str], int]:
    """Each source, a folder replaced by its pages and exports (by name); and
    how many folders held none (each told on stderr)."""
    from privwatch.fields import shown

    out: list[str] = []
    empty = 0
    for source in sources:
        path = Path(source)
        if "://" not in source and path.is_dir():
            inside = [
                str(p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUFFIXES
            ]
            if not inside:
                empty += 1
                text = message("listings.empty_folder", lang, path=shown(source))
                print(f"privwatch: {text}", file=sys.stderr)
            out.extend(inside)
        else:
            out.append(source)
    return out, empty


def _table(found: list[Listing], sources: int, console: Console, lang: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from privwatch.fields import shown

    columns = ("platform", "title", "brand", "model", "gtin", "price", "seller")
    table = Table(*(message(f"listings.column.{c}", lang) for c in columns))
    for item in found:
        cells = (
            item.platform,
            item.title,
            item.brand,
            ", ".join(item.identifiers.model),
            ", ".join(item.identifiers.gtin),
            item.price,
            item.seller,
        )
        table.add_row(*(Text(shown(cell)) for cell in cells))  # no markup in titles
    console.print(table)
    console.print(message("listings.count", lang, count=len(found), sources=sources))
