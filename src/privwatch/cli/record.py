"""``record``: a headless browser runs a journey on a site with a test persona
and leaves a HAR, a page record and screenshots."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from privwatch.i18n import message

if TYPE_CHECKING:
    from privwatch.report.journey import JourneyRecord


def record_command(lang: str) -> click.Command:
    @click.command(name="record", help=message("help.record", lang))
    @click.argument("url")
    @click.option(
        "--persona",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.record.persona", lang),
    )
    @click.option(
        "--journey",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.record.journey", lang),
    )
    @click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("session.har"),
        show_default=True,
        help=message("help.record.output", lang),
    )
    @click.option(
        "--consent-runs/--no-consent-runs",
        default=True,
        help=message("help.record.consent_runs", lang),
    )
    @click.option(
        "--timeout",
        type=click.FloatRange(min=1),
        default=60.0,
        show_default=True,
        help=message("help.record.timeout", lang),
    )
    def record(
        url: str,
        persona: Path,
        journey: Path | None,
        output: Path,
        consent_runs: bool,
        timeout: float,
    ) -> None:
        for line in record_lines(
            url, persona, journey, output, consent_runs, timeout, lang
        ):
            click.echo(line)

    return record


def record_lines(
    url: str,
    persona: Path,
    journey: Path | None,
    output: Path,
    consent_runs: bool,
    timeout: float,
    lang: str,
) -> list[str]:
    """Record ``url``; the lines that name the files written."""
    from privwatch.record import record_site
    from privwatch.record.journey import load_journey
    from privwatch.traffic.persona import load_persona

    account = load_persona(persona)
    steps = load_journey(journey) if journey is not None else None

    def progress(run: str) -> None:
        print(
            f"privwatch: {message('record.running', lang, url=url, run=run or '-')}",
            file=sys.stderr,
        )

    runs = record_site(
        url,
        account,
        output,
        journey=steps,
        consent_runs=consent_runs,
        timeout=timeout,
        progress=progress,
    )
    lines = []
    for run in runs:
        lines.append(
            message(
                "record.written",
                lang,
                run=run.consent_run or "-",
                har=run.har,
                record=run.record,
                shots=len(run.screenshots),
                failed=run.steps_failed,
            )
        )
    if not runs[0].banner:
        lines.append(message("record.no_banner", lang))
    return lines


def record_for_audit(
    url: str,
    persona: Path | None,
    traffic: Path | None,
    site: str | None,
    folder: Path | None,
    lang: str,
) -> tuple[Path, str, JourneyRecord]:
    """``audit --record``: record ``url`` (one run) into ``folder`` (else a new
    temporary folder, kept and named on stderr); the HAR, the site (``site``
    or the URL's host) and the journey for the HTML report."""
    import json
    import tempfile
    from urllib.parse import urlsplit

    from privwatch.record import record_site
    from privwatch.report.journey import JourneyStep
    from privwatch.traffic.persona import load_persona

    if traffic is not None:
        raise click.UsageError(message("usage.record_or_traffic", lang))
    if persona is None:
        raise click.UsageError(message("usage.record_needs_persona", lang))
    account = load_persona(persona)
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="privwatch-record-"))
    run = record_site(url, account, folder / "session.har", consent_runs=False)[0]
    print(f"privwatch: {message('record.kept', lang, path=folder)}", file=sys.stderr)
    record = json.loads(run.record.read_text("utf-8"))
    steps = []
    for step in record["steps"]:
        shot = run.record.parent / step["screenshot"] if step["screenshot"] else None
        steps.append(
            JourneyStep(
                index=step["index"],
                action=step["action"],
                target=step["target"],
                ok=step["ok"],
                error=step["error"],
                png=shot.read_bytes() if shot and shot.is_file() else None,
            )
        )
    host = site or urlsplit(url).hostname or url
    return run.har, host, (url, run.har.name, steps)
