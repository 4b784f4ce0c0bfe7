"""``products check``: listings matched against hazard lists, as a table, the
``privwatch.products/1`` JSON or a self-contained HTML report.

Exit status: 2 when a hazard list cannot be read (nothing is reported: a check
against part of the lists cannot say "nothing found"), or when a listing source
cannot be read (the others are checked and reported); else 1 when
``--fail-on`` is met; else 0.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from privwatch.cli.output import Renderers, format_option, output_option, write_output
from privwatch.i18n import message


def check_command(lang: str) -> click.Command:
    @click.command(name="check", help=message("help.products.check", lang))
    @click.argument("sources", nargs=-1, required=True)
    @click.option(
        "--hazards",
        "hazard_files",
        multiple=True,
        required=True,
        type=click.Path(path_type=Path),
        help=message("help.products.check.hazards", lang),
    )
    @click.option(
        "--mapping", "-m", help=message("help.products.hazards.mapping", lang)
    )
    @click.option("--platform", help=message("help.products.listings.platform", lang))
    @click.option(
        "--render", is_flag=True, help=message("help.products.listings.render", lang)
    )
    @click.option(
        "--fail-on",
        type=click.Choice(["certain", "review"]),
        help=message("help.products.check.fail_on", lang),
    )
    @format_option(lang, "help.products.check.format")
    @output_option(lang)
    @click.pass_context
    def check(
        ctx: click.Context,
        sources: tuple[str, ...],
        hazard_files: tuple[Path, ...],
        mapping: str | None,
        platform: str | None,
        render: bool,
        fail_on: str | None,
        output_format: str,
        output: Path | None,
    ) -> None:
        from privwatch.cli.products_listings import _expanded
        from privwatch.errors import PrivwatchError
        from privwatch.fields import shown
        from privwatch.products.check import fails, run_check, to_json
        from privwatch.report.products import render_html, render_table

        def say(exc: PrivwatchError) -> None:
            print(f"privwatch: {shown(exc.render(lang))}", file=sys.stderr)

        try:
            if platform:
                from privwatch.products.listings.platforms import known_name

                known_name(platform)
            expanded, empty = _expanded(sources, lang)
            result = run_check(
                expanded,
                list(hazard_files),
                mapping=mapping,
                platform=platform,
                render=render,
                on_error=say,
            )
        except PrivwatchError as exc:
            say(exc)
            ctx.exit(2)
        renderers = Renderers(
            json=lambda: json.dumps(to_json(result), ensure_ascii=False, indent=2),
            html=lambda: render_html(result, lang),
            table=lambda console: render_table(result, console, lang),
        )
        write_output(output, output_format, renderers)
        if result.failed or empty:
            ctx.exit(2)
        if fails(result, fail_on):
            ctx.exit(1)

    return check
