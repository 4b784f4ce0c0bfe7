"""``products``: unsafe products. ``products hazards`` reads agencies' hazard
and recall lists and prints what was read."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from privwatch.cli.output import format_option
from privwatch.cli.products_check import check_command
from privwatch.cli.products_listings import listings_command
from privwatch.cli.products_watch import products_watch_group
from privwatch.i18n import message

if TYPE_CHECKING:
    from privwatch.products.hazards import HazardFile
    from privwatch.products.records import HazardRecord

HAZARD_SCHEMA = "privwatch.hazards/1"
NAME_ORDER = ("ko", "en", "zh")  # the name shown in the table: first given


def products_group(lang: str) -> click.Group:
    @click.group(
        name="products", help=message("help.products", lang), no_args_is_help=True
    )
    def products() -> None:
        pass

    products.add_command(hazards_command(lang))
    products.add_command(listings_command(lang))
    products.add_command(check_command(lang))
    products.add_command(products_watch_group(lang))
    return products


def hazards_command(lang: str) -> click.Command:
    @click.command(name="hazards", help=message("help.products.hazards", lang))
    @click.argument(
        "files",
        nargs=-1,
        required=True,
        type=click.Path(dir_okay=True, path_type=Path),
    )
    @click.option(
        "--mapping", "-m", help=message("help.products.hazards.mapping", lang)
    )
    @format_option(lang, "help.products.hazards.format", formats=("table", "json"))
    def hazards(
        files: tuple[Path, ...], mapping: str | None, output_format: str
    ) -> int:
        from privwatch.products.hazards import read_hazards

        read: list[tuple[HazardFile, list[HazardRecord]]] = []
        for path in files:  # all read before anything is printed
            hazard_file = read_hazards(path, mapping)
            read.append((hazard_file, list(hazard_file)))
        if output_format == "json":
            _json(read)
        else:
            _table(read, lang)
        for hazard_file, _ in read:
            _report(hazard_file, lang)
        return 0

    return hazards


def _report(hazard_file: HazardFile, lang: str) -> None:
    """What was read from one file, and what could not be placed, on stderr."""
    path = hazard_file.path
    say = [
        message(
            "hazards.read",
            lang,
            path=path,
            count=hazard_file.count,
            mapping=hazard_file.mapping.id,
        )
    ]
    if hazard_file.moved_gtins:
        say.append(
            message(
                "hazards.moved_gtins", lang, path=path, count=hazard_file.moved_gtins
            )
        )
    for (field, value), count in sorted(hazard_file.unmapped.items()):
        say.append(
            message(
                "hazards.unmapped",
                lang,
                path=path,
                field=field,
                value=value,
                count=count,
            )
        )
    for line in say:
        print(f"privwatch: {line}", file=sys.stderr)


def _cell(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(read: list[tuple[HazardFile, list[HazardRecord]]], lang: str) -> None:
    out = sys.stdout
    if out.isatty():
        print(message("hazards.header", lang), file=out)
    for _, records in read:
        for record in records:
            name = next(
                (record.names[t] for t in NAME_ORDER if t in record.names),
                next(iter(record.names.values()), ""),
            )
            ids = record.identifiers
            cells = (
                record.source,
                record.record_id,
                record.date,
                record.country,
                record.brand,
                name,
                ", ".join(ids.model),
                ", ".join(ids.gtin),
                record.hazard,
            )
            out.write("\t".join(_cell(c) for c in cells) + "\n")


def _plain(record: HazardRecord) -> dict[str, object]:
    """``record.to_dict()``, written out: ``asdict`` deep-copies every value
    and costs more than reading the record did."""
    ids = record.identifiers
    return {
        "source": record.source,
        "record_id": record.record_id,
        "date": record.date,
        "names": record.names,
        "brand": record.brand,
        "identifiers": {
            "gtin": ids.gtin,
            "model": ids.model,
            "batch": ids.batch,
            "other": ids.other,
        },
        "category": record.category,
        "hazard": record.hazard,
        "measure": record.measure,
        "country": record.country,
        "url": record.url,
        "images": record.images,
    }


def _json(read: list[tuple[HazardFile, list[HazardRecord]]]) -> None:
    """One JSON document: the records, then each file's account."""
    out = sys.stdout
    out.write(f'{{"schema": "{HAZARD_SCHEMA}", "records": [')
    first = True
    for _, records in read:
        for record in records:
            text = json.dumps(_plain(record), ensure_ascii=False)
            out.write(("\n" if first else ",\n") + text)
            first = False
    files = [
        {
            "path": str(f.path),
            "mapping": f.mapping.id,
            "records": f.count,
            "gtins_kept_as_other": f.moved_gtins,
            "unmapped": [
                {"field": field, "value": value, "records": count}
                for (field, value), count in sorted(f.unmapped.items())
            ],
        }
        for f, _ in read
    ]
    out.write('\n], "files": ' + json.dumps(files, ensure_ascii=False) + "}\n")
