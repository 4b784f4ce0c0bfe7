"""``batch``: audit a manifest's documents in parallel into a store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from privwatch.cli.options import db_option
from privwatch.cli.progress import batch_progress
from privwatch.errors import PrivwatchError
from privwatch.i18n import message


def batch_command(lang: str) -> click.Command:
    @click.command(name="batch", help=message("help.batch", lang))
    @click.argument("manifest", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--workers",
        type=click.IntRange(min=1),
        help=message("help.batch.workers", lang),
    )
    @click.option("--scheduler", help=message("help.batch.scheduler", lang))
    @db_option(lang)
    def batch_(
        manifest: Path, workers: int | None, scheduler: str | None, db: str | None
    ) -> int:
        if workers is not None and scheduler is not None:
            raise click.UsageError(message("batch.workers_or_scheduler", lang))
        try:
            from privwatch import batch
        except ImportError:
            raise PrivwatchError("batch.no_dask") from None
        from privwatch.store import default_url

        loaded = batch.load_manifest(manifest)
        with (
            batch_progress(lang) as progress,
            batch.dask_client(workers, scheduler) as client,
        ):
            report = batch.run_batch(
                loaded, db or default_url(), client, progress=progress
            )
        for result in report.results:
            for key, params in result.warnings:
                line = message(
                    "batch.warning",
                    lang,
                    platform=result.task.platform,
                    source=result.task.source,
                    warning=message(key, lang, **params),
                )
                print(f"privwatch: {line}", file=sys.stderr)
            if result.status == "failed":
                line = message(
                    "batch.failed",
                    lang,
                    platform=result.task.platform,
                    source=result.task.source,
                    error=result.error,
                )
                print(f"privwatch: {line}", file=sys.stderr)
        counts = report.counts
        summary = message(
            "batch.summary",
            lang,
            done=counts["done"],
            skipped=counts["skipped"] + report.stored_before,
            failed=counts["failed"],
            seconds=f"{report.seconds:.1f}",
        )
        print(summary)
        return 1 if counts["failed"] else 0

    return batch_
