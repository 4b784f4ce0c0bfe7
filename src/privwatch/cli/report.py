"""``report``: the store's platforms compared, and a policy evaluated."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from privwatch.cli.options import db_option, fetch_options, kind_option
from privwatch.cli.output import Renderers, format_option, output_option, write_output
from privwatch.cli.sources import open_store
from privwatch.errors import PrivwatchError
from privwatch.i18n import message


def report_group(lang: str) -> click.Group:
    @click.group(name="report", help=message("help.report", lang))
    def report() -> None:
        pass

    report.add_command(_compare(lang))
    report.add_command(_evaluate(lang))
    return report


def _compare(lang: str) -> click.Command:
    @click.command(name="compare", help=message("help.report.compare", lang))
    @db_option(lang)
    @format_option(lang, "help.report.compare.format", ("table", "html", "csv", "json"))
    @output_option(lang)
    @kind_option(lang)
    def compare(
        db: str | None, output_format: str, output: Path | None, kind: str
    ) -> None:
        from privwatch.evaluate.scorecard import build_scorecard
        from privwatch.report import scorecard

        with open_store(db) as store:
            card = build_scorecard(store, kind=kind)
        if not card.platforms:
            raise PrivwatchError("scorecard.empty")
        renderers = Renderers(
            json=lambda: scorecard.render_scorecard_json(card),
            csv=lambda: scorecard.render_scorecard_csv(card),
            html=lambda: scorecard.render_scorecard_html(card, lang=lang),
            table=lambda console: scorecard.render_scorecard_table(
                card, console, lang=lang
            ),
        )
        write_output(output, output_format, renderers)

    return compare


def _evaluate(lang: str) -> click.Command:
    @click.command(name="evaluate", help=message("help.report.evaluate", lang))
    @click.argument("source")
    @click.option("--home", help=message("help.report.evaluate.home", lang))
    @format_option(lang, "help.report.evaluate.format")
    @output_option(lang)
    @click.option("--save", "platform", help=message("help.report.evaluate.save", lang))
    @db_option(lang)
    @click.option(
        "--foreign/--domestic",
        default=None,
        help=message("help.report.evaluate.foreign", lang),
    )
    @fetch_options(lang)
    def evaluate_(
        source: str,
        home: str | None,
        output_format: str,
        output: Path | None,
        platform: str | None,
        db: str | None,
        foreign: bool | None,
        max_size: int,
        timeout: float,
    ) -> None:
        from privwatch import evaluate
        from privwatch.report import evaluation as shown

        if platform is not None:
            with open_store(db) as store:
                known = {p.name: p.foreign for p in store.platforms()}
            if platform not in known:
                raise PrivwatchError("store.no_platform", name=platform)
            foreign = known[platform] if foreign is None else foreign
        result = evaluate.evaluate_policy(
            source, home=home, foreign=foreign, max_bytes=max_size, timeout=timeout
        )
        if platform is not None:
            saved = shown.evaluation_to_dict(result, lang=lang)
            with open_store(db) as store:
                evaluate.save_evaluation(store, platform, saved, source=source)
            print(message("evaluate.saved", lang, platform=platform), file=sys.stderr)
        renderers = Renderers(
            json=lambda: shown.render_evaluation_json(result, lang=lang),
            html=lambda: shown.render_evaluation_html(result, lang=lang),
            table=lambda console: shown.render_evaluation_table(
                result, console, lang=lang
            ),
        )
        write_output(output, output_format, renderers)

    return evaluate_
