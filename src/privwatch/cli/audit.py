"""``ingest`` (a document's outline) and ``audit`` (its findings under the packs)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from privwatch import __version__
from privwatch.cli.options import (
    Decorator,
    fetch_options,
    persona_option,
    user_country_option,
)
from privwatch.cli.output import Renderers, format_option, output_option, write_output
from privwatch.cli.progress import progress_reporter
from privwatch.cli.sources import read_document, scan_traffic
from privwatch.i18n import message

if TYPE_CHECKING:
    from rich.console import Console

    from privwatch.models import Audit
    from privwatch.report.journey import JourneyRecord
    from privwatch.traffic.scan import ScanResult


def ingest_command(lang: str) -> click.Command:
    @click.command(name="ingest", help=message("help.ingest", lang))
    @click.argument("source")
    @format_option(lang, "help.ingest.format", ("outline", "json"))
    @output_option(lang)
    @fetch_options(lang)
    @click.option("--clauses", is_flag=True, help=message("help.ingest.clauses", lang))
    def ingest(
        source: str,
        output_format: str,
        output: Path | None,
        max_size: int,
        timeout: float,
        clauses: bool,
    ) -> None:
        from privwatch.outline import render_json, render_outline

        document = read_document(source, max_size, timeout, lang)
        renderers = Renderers(
            json=lambda: render_json(document),
            table=lambda console: render_outline(
                document, console, lang=lang, clauses=clauses
            ),
        )
        write_output(output, output_format, renderers)

    return ingest


def _audit_options(lang: str) -> Decorator:
    """The options of ``audit`` that say what to audit against."""
    options = [
        click.option(
            "--law",
            "laws",
            multiple=True,
            default=("auto",),
            help=message("help.audit.law", lang),
        ),
        click.option(
            "--rules",
            "extra",
            multiple=True,
            type=click.Path(dir_okay=False),
            help=message("help.audit.rules", lang),
        ),
        format_option(lang, "help.audit.format"),
        click.option(
            "--fail-on",
            type=click.Choice(["high", "medium", "low"]),
            help=message("help.audit.fail_on", lang),
        ),
        click.option(
            "--fail-on-review",
            is_flag=True,
            help=message("help.audit.fail_on_review", lang),
        ),
        click.option(
            "--foreign/--domestic",
            default=None,
            help=message("help.audit.foreign", lang),
        ),
        click.option(
            "--agent-required",
            is_flag=True,
            default=None,
            help=message("help.audit.agent_required", lang),
        ),
        click.option(
            "--traffic",
            type=click.Path(dir_okay=False, path_type=Path),
            help=message("help.audit.traffic", lang),
        ),
        click.option(
            "--record-file",
            type=click.Path(dir_okay=False, path_type=Path),
            help=message("help.audit.record_file", lang),
        ),
        persona_option(lang),
        click.option("--site", help=message("help.scan.site", lang)),
        click.option(
            "--ranges",
            "ranges_paths",
            multiple=True,
            type=click.Path(dir_okay=False, path_type=Path),
            help=message("help.scan.ranges", lang),
        ),
        user_country_option(lang),
        click.option(
            "--practices", is_flag=True, help=message("help.audit.practices", lang)
        ),
        click.option("--record", "record_url", help=message("help.audit.record", lang)),
        click.option(
            "--record-dir",
            type=click.Path(file_okay=False, path_type=Path),
            help=message("help.audit.record_dir", lang),
        ),
    ]

    def add(command: Any) -> Any:
        for option in reversed(options):  # listed in --help in this order
            command = option(command)
        return command

    return add


def audit_command(lang: str) -> click.Command:
    @click.command(name="audit", help=message("help.audit", lang))
    @click.argument("sources", nargs=-1, required=True)
    @_audit_options(lang)
    @click.option(
        "--output",
        "-o",
        type=click.Path(path_type=Path),
        help=message("help.audit.output", lang),
    )
    @click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=1,
        help=message("help.audit.jobs", lang),
    )
    @fetch_options(lang)
    def audit(sources: tuple[str, ...], jobs: int, **options: Any) -> int:
        if options.get("record_url") and (
            len(sources) != 1 or Path(sources[0]).is_dir()
        ):
            raise click.UsageError(message("usage.record_one_source", lang))
        if options["persona"] is not None and not (
            options["traffic"] or options.get("record_url")
        ):
            raise click.UsageError(message("usage.persona_needs_traffic", lang))
        if options.get("record_file") and options.get("traffic") is None:
            raise click.UsageError(message("usage.record_file_needs_traffic", lang))
        if len(sources) == 1 and not Path(sources[0]).is_dir():
            return _audit_single(sources[0], lang, **options)
        from privwatch.cli.many import audit_several

        return audit_several(sources, jobs, lang, **options)

    return audit


def _audit_single(
    source: str,
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
    persona: Path | None,
    site: str | None,
    ranges_paths: tuple[Path, ...],
    user_country: str,
    practices: bool,
    output: Path | None,
    max_size: int,
    timeout: float,
    record_url: str | None = None,
    record_dir: Path | None = None,
    record_file: Path | None = None,
) -> int:
    """One document, as ``audit`` has always done it."""
    from privwatch.pipeline import TrafficEvidence, audit_document, audit_packs
    from privwatch.rules import load_pack, statutes
    from privwatch.rules.gate import fails

    named = [load_pack(name) for name in (*laws, *extra) if name != "auto"]
    scanned, observed = None, None
    journey = None
    if record_url is not None:
        from privwatch.cli.record import record_for_audit

        traffic, site, journey = record_for_audit(
            record_url, persona, traffic, site, record_dir, lang
        )
    if ranges_paths and traffic is None:
        raise click.UsageError(message("usage.ranges_needs_traffic", lang))
    if record_file is not None and traffic is None:
        raise click.UsageError(message("usage.record_file_needs_traffic", lang))
    if traffic is not None and not site:
        raise click.UsageError(message("usage.traffic_needs_site", lang))
    with progress_reporter(lang) as progress:  # one bar for every step
        if traffic is not None and site:
            scanned = scan_traffic(
                traffic,
                site,
                persona,
                None,
                lang,
                ranges=list(ranges_paths),
                record_file=record_file,
            )
            observed = TrafficEvidence.from_scan(scanned, user_country)
        document = read_document(source, max_size, timeout, lang)
        packs = audit_packs(document, named, auto="auto" in laws)
        result = audit_document(
            document,
            packs,
            foreign=foreign,
            traffic=observed,
            practices=practices,
            agent_required=agent_required,
            progress=progress,
        )
    renderers = audit_renderers(
        result,
        lang,
        statutes(packs),
        scanned=scanned,
        user_country=user_country,
        journey=journey,
    )
    write_output(output, output_format, renderers)
    if fail_on and fails(result.findings, fail_on, review=fail_on_review):
        return 1
    return 0


def audit_renderers(
    result: Audit,
    lang: str,
    statutes: Any,
    *,
    scanned: ScanResult | None = None,
    user_country: str = "KR",
    journey: JourneyRecord | None = None,
) -> Renderers:
    """How an audit renders in each format."""
    from privwatch.report import behaviour, render_html

    return Renderers(
        json=lambda: behaviour.audit_json(result, lang, scanned),
        html=lambda: behaviour.with_section(
            render_html(
                result,
                lang=lang,
                statutes=statutes,
                scan=scanned,
                user_country=user_country,
                journey=journey,
            ),
            scanned,
            lang,
            before="policy",
        ),
        table=lambda console: _draw_audit(result, console, lang, scanned),
    )


def _draw_audit(
    result: Audit, console: Console, lang: str, scanned: ScanResult | None = None
) -> None:
    """The findings' table, then the line that says what produced them."""
    from privwatch.report import render_table

    render_table(result, console, lang=lang)
    provenance = message(
        "verify.provenance",
        lang,
        version=__version__,
        packs=", ".join(f"{p} {v}" for p, v in result.packs),
        bytes_sha256=result.document.source.bytes_sha256,
    )
    console.print()
    console.print(provenance, style="dim", markup=False)
    from privwatch.report.provenance import partial_lines, traffic_line

    if result.traffic:
        console.print(traffic_line(result.traffic, lang), style="dim", markup=False)
    for line in partial_lines(result.traffic, lang):
        console.print(line, style="bold", markup=False)
    if scanned is not None and scanned.behaviour is not None:
        from privwatch.report.behaviour import draw_table

        console.print()
        draw_table(scanned, console, lang)
