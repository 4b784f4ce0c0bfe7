"""``audit`` over several documents: a progress bar on stderr, one output per
document (``-o DIR``), a summary table; the loop lives in ``privwatch.many``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from privwatch.cli.output import atomic_output, console_for, write_output
from privwatch.cli.progress import progress_reporter
from privwatch.i18n import message

if TYPE_CHECKING:
    from rich.console import Console

    from privwatch.many import Outcome

SUFFIXES = {"table": ".txt", "json": ".json", "html": ".html"}
_FILES = (".json", ".html", ".htm", ".txt", ".csv")  # -o names a file, not a folder


def audit_several(
    sources: tuple[str, ...],
    jobs: int,
    lang: str,
    *,
    laws: tuple[str, ...],
    extra: tuple[str, ...],
    output_format: str,
    fail_on: str | None,
    fail_on_review: bool,
    foreign: bool | None,
    agent_required: bool | None,
    traffic: Path | None,
    practices: bool,
    output: Path | None,
    max_size: int,
    timeout: float,
    **_: Any,
) -> int:
    """Audit every document of ``sources`` (directories expanded); exit 1 when
    one's audit stopped (a bug, a killed worker), 2 when one could not be read
    (the others audited all the same), else 1 when one fails ``--fail-on``,
    else 0."""
    from privwatch.errors import Tally
    from privwatch.many import STOPPED, Settings, audit_many, expand, output_names
    from privwatch.rules.gate import fails

    if traffic is not None:
        raise click.UsageError(message("usage.audit_many_traffic", lang))
    if _.get("ranges_paths"):
        raise click.UsageError(message("usage.ranges_needs_traffic", lang))
    if output is not None and (
        output.is_file() or (not output.exists() and output.suffix in _FILES)
    ):
        raise click.UsageError(message("usage.audit_many_output", lang))
    if output is None and output_format != "table":
        raise click.UsageError(message("usage.audit_many_output", lang))
    documents = expand(sources)
    if not documents:
        raise click.UsageError(message("usage.audit_many_empty", lang))
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
    names = output_names(documents, SUFFIXES[output_format])
    settings = Settings(
        laws=laws,
        extra=extra,
        foreign=foreign,
        agent_required=agent_required,
        practices=practices,
        max_bytes=max_size,
        timeout=timeout,
    )
    outcomes: list[Outcome] = []
    # interrupted: the outputs written so far are whole, the others not begun
    tally = Tally(len(documents), "written", cut="not_written", rerun="all")
    tally.start(len(documents))
    with tally, _bar(lang, len(documents)) as advance:
        for outcome, name in zip(
            audit_many(documents, settings, jobs=jobs, done=advance), names, strict=True
        ):
            outcomes.append(outcome)
            _emit(outcome, output / name if output else None, output_format, lang)
            tally.add("failed" if outcome.audit is None else "written")
    _summary(outcomes, lang)
    if any(o.error and o.error[0] in STOPPED for o in outcomes):
        return 1
    if any(o.audit is None for o in outcomes):
        return 2
    gate = [o.audit.findings for o in outcomes if o.audit is not None]
    if fail_on and any(fails(f, fail_on, review=fail_on_review) for f in gate):
        return 1
    return 0


def _emit(outcome: Outcome, path: Path | None, output_format: str, lang: str) -> None:
    """One document's output (or its error, one line on stderr)."""
    from privwatch.cli.audit import audit_renderers
    from privwatch.rules import statutes

    failure = outcome.failure()
    if failure is not None or outcome.audit is None:
        text = failure.render(lang) if failure else outcome.source
        print(f"privwatch: {text}", file=sys.stderr)
        return
    result = outcome.audit
    renderers = audit_renderers(result, lang, statutes(_packs(result)))
    if path is not None:
        write_output(path, output_format, renderers)
        return
    with atomic_output(None) as stream:
        stream.write(f"\n== {outcome.source}\n")
        stream.flush()
    write_output(None, output_format, renderers)


def _packs(result: Any) -> list[Any]:
    from privwatch.rules import load_pack

    return [load_pack(name) for name, _version in result.packs]


@contextmanager
def _bar(lang: str, total: int) -> Iterator[Callable[[Outcome], None] | None]:
    """The documents done of ``total`` on stderr when it is a terminal."""
    with progress_reporter(lang) as report:
        if report is None:
            yield None
            return
        done = [0]

        def advance(_outcome: Outcome) -> None:
            done[0] += 1
            report("audit_many", done[0], total)

        report("audit_many", 0, total)
        yield advance


def _summary(outcomes: list[Outcome], lang: str) -> None:
    """The table of every document: language, kind, findings, time."""
    _draw_summary(outcomes, lang, console_for(sys.stdout))


def _draw_summary(outcomes: list[Outcome], lang: str, console: Console) -> None:
    from rich.table import Table

    from privwatch.many import severity_counts
    from privwatch.models import SEVERITIES

    table = Table(title=message("audit_many.title", lang, count=len(outcomes)))
    names = [Path(o.source).name for o in outcomes]
    table.add_column(
        message("audit_many.document", lang),
        overflow="fold",
        min_width=min(max(map(len, names)), 12),  # folds in a narrow terminal
    )
    for key in ("language", "kind", *SEVERITIES, "certain", "review", "seconds"):
        table.add_column(
            message(f"audit_many.{key}", lang), justify="right", no_wrap=True
        )
    for outcome, name in zip(outcomes, names, strict=True):
        counts = severity_counts(outcome)
        if outcome.audit is None:
            cells = [message("audit_many.unread", lang), ""] + [""] * 5
        else:
            cells = [
                outcome.audit.document.language,
                message(f"audit_many.kind.{outcome.kind}", lang),
                *(str(counts[k]) for k in (*SEVERITIES, "certain", "review")),
            ]
        table.add_row(name, *cells, f"{outcome.seconds:.1f}")
    console.print(table)
