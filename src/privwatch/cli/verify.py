"""``verify``: check a saved report, or a whole store, against its sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from privwatch.cli.options import db_option, fetch_options
from privwatch.cli.sources import open_store
from privwatch.i18n import message

if TYPE_CHECKING:
    from privwatch.verify import Verification


def verify_command(lang: str) -> click.Command:
    @click.command(name="verify", help=message("help.verify", lang))
    @click.argument(
        "report", required=False, type=click.Path(dir_okay=False, path_type=Path)
    )
    @click.option("--source", help=message("help.verify.source", lang))
    @click.option(
        "--har",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.verify.har", lang),
    )
    @db_option(lang)
    @fetch_options(lang)
    def verify(
        report: Path | None,
        source: str | None,
        har: Path | None,
        db: str | None,
        max_size: int,
        timeout: float,
    ) -> int:
        from privwatch.verify import verify_report, verify_store

        if report is None and source is not None:
            raise click.UsageError(message("verify.usage_source", lang))
        if report is None and har is not None:
            raise click.UsageError(message("verify.usage_har", lang))
        if report is not None and db is not None:
            raise click.UsageError(message("verify.usage_db", lang))
        if report is not None:
            checked = verify_report(
                report, source, har, max_bytes=max_size, timeout=timeout
            )
        else:
            with open_store(db) as store:
                checked = verify_store(store)
        for problem in checked.problems:
            where = message(
                f"verify.location.{problem.location}", lang, **problem.where
            )
            what = message(f"verify.problem.{problem.key}", lang, **problem.params)
            print(f"{where}: {what}")
        if checked.traffic is not None:
            status, values = checked.traffic
            print(message(f"verify.traffic.{status}", lang, **values))
        print(_summary(checked, report, lang))
        if checked.ok:
            print(message("verify.all_well", lang))
            return 0
        return 1

    return verify


def _summary(checked: Verification, report: Path | None, lang: str) -> str:
    """What was checked: the report's findings, or the store's documents."""
    problems = len(checked.problems)
    if report is not None:
        return message(
            "verify.summary.report",
            lang,
            path=report,
            findings=checked.findings,
            evidence=checked.evidence,
            problems=problems,
        )
    return message(
        "verify.summary.store",
        lang,
        documents=checked.documents,
        versions=checked.versions,
        findings=checked.findings,
        evidence=checked.evidence,
        problems=problems,
    )
