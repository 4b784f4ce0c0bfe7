"""``scan``: the personal data a recorded session (HAR) sent, and to whom."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from privwatch.cli.options import db_option, persona_option, user_country_option
from privwatch.cli.output import Renderers, format_option, output_option, write_output
from privwatch.cli.sources import open_store, scan_traffic
from privwatch.i18n import message

if TYPE_CHECKING:
    from privwatch.traffic.scan import ScanResult


def scan_command(lang: str) -> click.Command:
    @click.command(name="scan", help=message("help.scan", lang))
    @click.argument("har", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--site", required=True, help=message("help.scan.site", lang))
    @persona_option(lang)
    @format_option(lang, "help.scan.format")
    @user_country_option(lang)
    @click.option(
        "--registry",
        "registry_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.scan.registry", lang),
    )
    @click.option(
        "--ranges",
        "ranges_paths",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.scan.ranges", lang),
    )
    @click.option(
        "--record-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.scan.record_file", lang),
    )
    @output_option(lang)
    @click.option("--save", "platform", help=message("help.scan.save", lang))
    @db_option(lang)
    def scan(
        har: Path,
        site: str,
        persona: Path | None,
        output_format: str,
        user_country: str,
        registry_path: Path | None,
        ranges_paths: tuple[Path, ...],
        record_file: Path | None,
        output: Path | None,
        platform: str | None,
        db: str | None,
    ) -> None:
        from privwatch.report import behaviour

        result = scan_traffic(
            har,
            site,
            persona,
            registry_path,
            lang,
            ranges=list(ranges_paths),
            record_file=record_file,
        )
        if platform is not None:
            _save(result, har, platform, user_country, db)
        renderers = Renderers(
            json=lambda: behaviour.render_json(result, user_country=user_country),
            html=lambda: behaviour.render_html(
                result, lang=lang, user_country=user_country
            ),
            table=lambda console: behaviour.render_table(
                result, console, lang=lang, user_country=user_country
            ),
        )
        write_output(output, output_format, renderers)

    return scan


def _save(
    result: ScanResult, har: Path, platform: str, user_country: str, db: str | None
) -> None:
    """Store the scan under ``platform``, with the HAR's SHA-256."""
    from privwatch.store.records import encode_scan

    with open_store(db) as store:
        store.add_scan(
            platform, str(har), result.sha256, encode_scan(result, user_country)
        )
