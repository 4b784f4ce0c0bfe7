"""Progress on stderr: the one place it is drawn.

The library reports through ``progress(stage, done, total)`` (``Progress`` in
``privwatch.ingest.source``); this turns those calls into a rich bar on stderr,
one line per stage running: the stage's label in the interface language
(``progress.<stage>`` in messages.yaml), a bar, the count ("123/456", or MB for
the stages that read bytes) and the time left. Transient: the lines go when the
command's work is done. When stderr is not a terminal nothing is drawn at all:
the reporter is None and no byte reaches stderr.

Reporters nest: a command that opens one and calls a helper that opens another
gets the same bar (rich allows one live display at a time).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from privwatch.i18n import message

#: stages whose counts are bytes (shown as MB read of MB)
BYTE_STAGES = frozenset({"fetch", "scan"})
_active: list[_Reporter] = []  # the reporter of the bar on screen, if any


def showing() -> bool:
    """Whether progress is drawn: stderr is a terminal."""
    return sys.stderr.isatty()


def _count(done: float, total: float | None, unit: str) -> str:
    if unit == "bytes":
        known = "?" if total is None else f"{total / 1e6:.1f}"
        return f"{done / 1e6:.1f}/{known} MB"
    return f"{int(done)}/{'?' if total is None else int(total)}"


def _bar() -> Any:
    """A rich progress display on stderr, transient."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bar
    from rich.text import Text

    class Counts(ProgressColumn):
        def render(self, task: Any) -> Text:
            unit = task.fields.get("unit", "")
            return Text(_count(task.completed, task.total, unit), style="cyan")

    return Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        Counts(),
        TextColumn("{task.fields[detail]}"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        # results printed while the bar runs go to stdout: above the bar when it
        # is the same terminal, else straight to the pipe or file, never stderr
        redirect_stdout=sys.stdout.isatty(),
        speed_estimate_period=300,  # a batch of clauses may take 30 s on a busy machine
    )


class _Reporter:
    """``progress(stage, done, total)`` drawn on one bar; a stage's line goes
    once it is complete, and comes back if the stage starts again (the next
    document's segmenting, say)."""

    def __init__(self, bar: Any, lang: str) -> None:
        self.bar = bar
        self.lang = lang
        self.tasks: dict[str, Any] = {}

    def __call__(
        self, stage: str, done: int, total: int | None, detail: str = ""
    ) -> None:
        task = self.tasks.get(stage)
        if task is None:
            task = self.bar.add_task(
                message(f"progress.{stage}", self.lang),
                total=total,
                detail=detail,
                unit="bytes" if stage in BYTE_STAGES else "",
            )
            self.tasks[stage] = task
        self.bar.update(task, completed=done, total=total, detail=detail)
        if total is not None and done >= total:
            self.bar.refresh()  # the last count is drawn, however quick the stage
            self.bar.remove_task(task)
            del self.tasks[stage]


@contextmanager
def progress_reporter(lang: str) -> Iterator[_Reporter | None]:
    """A reporter drawing on stderr when it is a terminal, else None; inside
    another one, that one."""
    if _active:
        yield _active[-1]
        return
    if not showing():
        yield None
        return
    with _bar() as bar:
        reporter = _Reporter(bar, lang)
        _active.append(reporter)
        try:
            yield reporter
        finally:
            _active.remove(reporter)


@contextmanager
def batch_progress(lang: str) -> Iterator[Any]:
    """A batch's items on the bar (done of total, counts by status, rate), on
    a terminal; else None."""
    with progress_reporter(lang) as report:
        if report is None:
            yield None
            return
        started = time.monotonic()

        def batch(done: int, total: int, counts: Any) -> None:
            rate = done / max(time.monotonic() - started, 1e-9)
            summary = " ".join(
                message(f"batch.status.{k}", lang, count=v)
                for k, v in sorted(counts.items())
            )
            report("batch", done, total, f"{summary} {rate:.1f}/s".strip())

        yield batch
