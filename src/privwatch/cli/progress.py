"""Progress bars on stderr, shown only when it is a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from privwatch.i18n import message

if TYPE_CHECKING:
    from privwatch.ingest.source import Progress


@contextmanager
def progress_reporter(lang: str) -> Iterator[Progress | None]:
    """A rich progress bar on stderr when it is a terminal, else nothing."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar
    from rich.progress import TaskID

    with Bar(console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(
                    message(f"progress.{stage}", lang), total=total
                )
            bar.update(tasks[stage], completed=done, total=total)

        yield report


def counting_bar(*fields: str) -> Any:
    """A rich progress bar on stderr, left when done: the description, the bar,
    done of total, a text column per format string in ``fields``, time left."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bar

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        *(TextColumn(field) for field in fields),
        TimeRemainingColumn(),
    )
    return Bar(*columns, console=Console(stderr=True), transient=True)


@contextmanager
def batch_progress(lang: str) -> Iterator[Any]:
    """A progress bar for a batch on stderr (counts, rate, ETA) on a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    with counting_bar("{task.fields[counts]}", "{task.fields[rate]}") as bar:
        task = bar.add_task(
            message("progress.batch", lang), total=None, counts="", rate=""
        )
        started = time.monotonic()

        def report(done: int, total: int, counts: Any) -> None:
            rate = done / max(time.monotonic() - started, 1e-9)
            summary = " ".join(
                message(f"batch.status.{k}", lang, count=v)
                for k, v in sorted(counts.items())
            )
            bar.update(
                task, completed=done, total=total, counts=summary, rate=f"{rate:.1f}/s"
            )

        yield report
