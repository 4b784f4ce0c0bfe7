"""The ``privwatch`` command: a thin shell over the library.

Conventions: results on stdout, progress and errors on stderr; an error is one
line and exit status 2 (usage and input errors), 130 when interrupted.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

import click
from rich.console import Console

from privwatch import __version__
from privwatch.attribution import Registry
from privwatch.detectors import DetectorRegistry
from privwatch.errors import PrivwatchError
from privwatch.i18n import LANGUAGES, default_language, message
from privwatch.ingest.source import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Progress
from privwatch.models import Document
from privwatch.outline import render_json as document_json
from privwatch.outline import render_outline
from privwatch.pipeline import TrafficEvidence, audit_document, ingest_document
from privwatch.report import render_html, render_json, render_table
from privwatch.rules import load_pack
from privwatch.rules.engine import ORDER as SEVERITY_RANK
from privwatch.store.records import decode_audit
from privwatch.traffic.persona import load_persona
from privwatch.traffic.scan import ScanResult, scan_har

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.I)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class OutputFormat(StrEnum):
    OUTLINE = "outline"
    JSON = "json"


def parse_size(value: str, lang: str = "en") -> int:
    """``50MB`` -> bytes."""
    match = _SIZE.match(value)
    if not match:
        raise click.BadParameter(message("usage.bad_size", lang, value=value))
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


@contextmanager
def atomic_output(path: Path | None) -> Iterator[TextIO]:
    """Write to stdout, or to ``path`` only once everything has been written."""
    if path is None:
        yield sys.stdout
        return
    try:
        fd, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
    except OSError as exc:
        raise PrivwatchError(
            "output.unwritable", path=path, reason=exc.strerror
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PrivwatchError(
                "output.unwritable", path=path, reason=exc.strerror
            ) from None
        raise


def build_cli(lang: str) -> click.Group:
    """The click command group with help text in ``lang``."""

    @click.group(help=message("help.app", lang), no_args_is_help=True)
    @click.version_option(
        __version__,
        "--version",
        prog_name="privwatch",
        help=message("help.version", lang),
    )
    @click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=lang,
        help=message("help.lang", lang),
    )
    def cli(lang: str) -> None:
        pass

    output_option = click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.ingest.output", lang),
    )

    persona_option = click.option(
        "--persona",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.scan.persona", lang),
    )
    user_country_option = click.option(
        "--user-country", default="KR", help=message("help.scan.user_country", lang)
    )

    def report_format(
        help_key: str, choices: Sequence[str] = ("table", "json", "html")
    ) -> Callable[..., Any]:
        return click.option(
            "--format",
            "-f",
            "output_format",
            default="table",
            type=click.Choice(list(choices)),
            help=message(help_key, lang),
        )

    def fetch_options(command: Callable[..., Any]) -> Callable[..., Any]:
        """--max-size and --timeout, for commands that read a source."""
        command = click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            default=DEFAULT_TIMEOUT,
            help=message("help.ingest.timeout", lang),
        )(command)
        return click.option(
            "--max-size",
            envvar="PRIVWATCH_MAX_SIZE",
            default=f"{DEFAULT_MAX_BYTES // 1024**2}MB",
            help=message("help.ingest.max_size", lang),
        )(command)

    def read(source: str, max_size: str, timeout: float) -> Document:
        limit = parse_size(max_size, lang)
        with progress_reporter(lang) as progress:
            return ingest_document(
                source, max_bytes=limit, timeout=timeout, progress=progress
            )

    def scan(
        har: Path, site: str, persona: Path | None, registry: Path | None
    ) -> ScanResult:
        """Scan a HAR, warnings on stderr."""
        account = load_persona(persona) if persona else None
        owners = Registry.from_file(registry) if registry else Registry.builtin()
        with progress_reporter(lang) as progress:
            result = scan_har(
                har,
                site=site,
                detectors=DetectorRegistry.builtin(),
                registry=owners,
                persona=account,
                progress=progress,
            )
        for key, params in result.warnings:
            print(f"privwatch: {message(key, lang, **params)}", file=sys.stderr)
        return result

    @cli.command(help=message("help.ingest", lang))
    @click.argument("source")
    @click.option(
        "--format",
        "-f",
        "output_format",
        default=OutputFormat.OUTLINE.value,
        type=click.Choice([f.value for f in OutputFormat]),
        help=message("help.ingest.format", lang),
    )
    @output_option
    @fetch_options
    @click.option("--clauses", is_flag=True, help=message("help.ingest.clauses", lang))
    def ingest(
        source: str,
        output_format: str,
        output: Path | None,
        max_size: str,
        timeout: float,
        clauses: bool,
    ) -> None:
        document = read(source, max_size, timeout)
        with atomic_output(output) as stream:
            if output_format == OutputFormat.JSON:
                stream.write(document_json(document))
                stream.write("\n")
            else:
                console = Console(file=stream, soft_wrap=True, highlight=False)
                render_outline(document, console, lang=lang, clauses=clauses)

    @cli.command(help=message("help.audit", lang))
    @click.argument("source")
    @click.option(
        "--law",
        "laws",
        multiple=True,
        default=("auto",),
        help=message("help.audit.law", lang),
    )
    @click.option(
        "--rules",
        "extra",
        multiple=True,
        type=click.Path(dir_okay=False),
        help=message("help.audit.rules", lang),
    )
    @report_format("help.audit.format")
    @click.option(
        "--fail-on",
        type=click.Choice(["high", "medium", "low"]),
        help=message("help.audit.fail_on", lang),
    )
    @click.option(
        "--fail-on-review",
        is_flag=True,
        help=message("help.audit.fail_on_review", lang),
    )
    @click.option(
        "--foreign/--domestic", default=None, help=message("help.audit.foreign", lang)
    )
    @click.option(
        "--agent-required",
        is_flag=True,
        default=None,
        help=message("help.audit.agent_required", lang),
    )
    @click.option(
        "--traffic",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.audit.traffic", lang),
    )
    @persona_option
    @click.option("--site", help=message("help.scan.site", lang))
    @user_country_option
    @click.option(
        "--practices", is_flag=True, help=message("help.audit.practices", lang)
    )
    @output_option
    @fetch_options
    def audit(
        source: str,
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
        user_country: str,
        practices: bool,
        output: Path | None,
        max_size: str,
        timeout: float,
    ) -> int:
        from privwatch.classify import document_kind

        named = [load_pack(name) for name in (*laws, *extra) if name != "auto"]
        observed = None
        if traffic is not None:
            if not site:
                raise click.UsageError(message("usage.traffic_needs_site", lang))
            scanned = scan(traffic, site, persona, None)
            observed = TrafficEvidence(
                scanned.flows,
                Registry.builtin(),
                user_country.upper(),
            )
        document = read(source, max_size, timeout)
        packs = named
        if "auto" in laws:
            kind = document_kind(document)
            packs = [load_pack("kr-terms" if kind == "terms" else "kr-pipa"), *named]
        result = audit_document(
            document,
            packs,
            foreign=foreign,
            traffic=observed,
            practices=practices,
            agent_required=agent_required,
        )
        with atomic_output(output) as stream:
            if output_format == "json":
                stream.write(render_json(result, lang) + "\n")
            elif output_format == "html":
                statutes = {
                    r.id: r.statute for p in packs for r in p.rules if r.statute
                }
                stream.write(
                    render_html(
                        result,
                        lang=lang,
                        statutes=statutes,
                        scan=scanned if observed else None,
                        user_country=user_country.upper(),
                    )
                )
            else:
                console = Console(file=stream, soft_wrap=True, highlight=False)
                render_table(result, console, lang=lang)
                packs_line = ", ".join(f"{p} {v}" for p, v in result.packs)
                provenance = message(
                    "verify.provenance",
                    lang,
                    version=__version__,
                    packs=packs_line,
                    bytes_sha256=document.source.bytes_sha256,
                )
                console.print()
                console.print(provenance, style="dim", markup=False)
        if fail_on and any(
            SEVERITY_RANK[f.severity] <= SEVERITY_RANK[fail_on]
            and (fail_on_review or f.certainty != "review")
            for f in result.findings
        ):
            return 1
        return 0

    @cli.command(name="classify", help=message("help.classify", lang))
    @click.argument("source")
    @click.option(
        "--task",
        default="practices",
        type=click.Choice(["practices", "unfair-terms"]),
        help=message("help.classify.task", lang),
    )
    @report_format("help.classify.format", ("table", "json"))
    @click.option(
        "--one-per-line", is_flag=True, help=message("help.classify.lines", lang)
    )
    @output_option
    @fetch_options
    def classify_command(
        source: str,
        task: str,
        output_format: str,
        one_per_line: bool,
        output: Path | None,
        max_size: str,
        timeout: float,
    ) -> None:
        from privwatch import classify
        from privwatch.report.labels import render_labels_json, render_labels_table

        if one_per_line:
            lines = read_lines(Path(source), parse_size(max_size, lang))
            labelled = classify.classify_texts(lines, task)
        else:
            labelled = classify.classify_document(read(source, max_size, timeout), task)
        with atomic_output(output) as stream:
            if output_format == "json":
                stream.write(render_labels_json(labelled) + "\n")
            else:
                console = Console(file=stream, soft_wrap=True, highlight=False)
                render_labels_table(labelled, console, task=task, lang=lang)

    @cli.command(name="train", help=message("help.train", lang))
    @click.option(
        "--task",
        "tasks",
        multiple=True,
        type=click.Choice(["practices", "unfair-terms"]),
        help=message("help.train.task", lang),
    )
    @click.option(
        "--shared",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("../shared"),
        show_default=True,
        help=message("help.train.shared", lang),
    )
    @click.option(
        "--output-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help=message("help.train.output", lang),
    )
    def train_command(
        tasks: tuple[str, ...], shared: Path, output_dir: Path | None
    ) -> None:
        from privwatch.classify import model_path
        from privwatch.classify.train import TASKS, build

        for name in tasks or tuple(TASKS):
            target = (output_dir / f"{name}.npz") if output_dir else model_path(name)
            with progress_reporter(lang) as progress:
                model = build(TASKS[name], shared, progress=progress)
            try:
                model.save(target)
            except OSError as exc:
                raise PrivwatchError(
                    "output.unwritable", path=target, reason=exc.strerror
                ) from None
            print(message("train.saved", lang, task=name, path=target), file=sys.stderr)

    @cli.group(name="watch", help=message("help.watch", lang))
    def watch() -> None:
        pass

    db_option = click.option("--db", "db", help=message("help.watch.db", lang))
    kind_option = click.option(
        "--kind",
        default="privacy",
        type=click.Choice(["privacy", "terms", "trackers"]),
        help=message("help.watch.kind", lang),
    )

    def open_store(db: str | None) -> Any:
        from privwatch.store import Store

        return Store(db)

    def print_outcome(outcome: Any) -> None:
        line = message(
            f"watch.outcome.{outcome.result}",
            lang,
            platform=outcome.platform,
            kind=outcome.kind,
            url=outcome.url,
        )
        print(line + (f": {outcome.error}" if outcome.error else ""), flush=True)
        for failure in outcome.alert_failures:
            print(f"privwatch: {failure.render(lang)}", file=sys.stderr, flush=True)

    @watch.command(name="add", help=message("help.watch.add", lang))
    @click.argument("targets", type=click.Path(dir_okay=False, path_type=Path))
    @db_option
    def watch_add(targets: Path, db: str | None) -> None:
        from privwatch.watch import add_targets, load_targets

        loaded = load_targets(targets)
        with open_store(db) as store:
            count = add_targets(store, loaded)
        print(
            message(
                "watch.added", lang, documents=count, platforms=len(loaded.platforms)
            )
        )

    @watch.command(name="list", help=message("help.watch.list", lang))
    @db_option
    def watch_list(db: str | None) -> None:
        with open_store(db) as store:
            for document in store.documents():
                checked = document.last_checked_at or "-"
                line = (
                    f"{document.platform.name}\t{document.kind}\t{document.status}\t"
                    f"{checked}\t{document.url}"
                )
                if document.last_error:
                    line += f"\t{document.last_error}"
                print(line)

    @watch.command(name="remove", help=message("help.watch.remove", lang))
    @click.argument("platform")
    @db_option
    def watch_remove(platform: str, db: str | None) -> None:
        with open_store(db) as store:
            if not store.remove_platform(platform):
                raise PrivwatchError("store.no_platform", name=platform)

    @watch.command(name="run", help=message("help.watch.run", lang))
    @click.option("--once", is_flag=True, help=message("help.watch.once", lang))
    @click.option(
        "--interval",
        type=click.FloatRange(min=1),
        default=3600.0,
        help=message("help.watch.interval", lang),
    )
    @click.option(
        "--delay",
        type=click.FloatRange(min=0),
        default=1.0,
        help=message("help.watch.delay", lang),
    )
    @db_option
    def watch_run(once: bool, interval: float, delay: float, db: str | None) -> None:
        import time

        from privwatch.watch import Politeness, run_once

        polite = Politeness(delay=delay)
        with open_store(db) as store:
            while True:
                for outcome in run_once(store, politeness=polite):
                    print_outcome(outcome)
                if once:
                    return
                time.sleep(interval)

    @watch.command(name="history", help=message("help.watch.history", lang))
    @click.argument("platform")
    @db_option
    def watch_history(platform: str, db: str | None) -> None:
        with open_store(db) as store:
            documents = store.documents(platform)
            if not documents:
                raise PrivwatchError("store.no_platform", name=platform)
            for document in documents:
                for version in store.versions(document.id):
                    audit = decode_audit(version.audit_json)
                    summary = audit.summary if audit else {}
                    counts = " ".join(f"{k}={v}" for k, v in summary.items())
                    print(
                        f"{document.kind}\tv{version.number}\t{version.fetched_at:%Y-%m-%d %H:%M}"
                        f"\t{version.text_sha256[:12]}\t{counts}"
                    )

    @watch.command(name="import-dir", help=message("help.watch.import_dir", lang))
    @click.argument("platform")
    @click.argument(
        "folder", type=click.Path(file_okay=False, exists=True, path_type=Path)
    )
    @kind_option
    @db_option
    def watch_import_dir(
        platform: str, folder: Path, kind: str, db: str | None
    ) -> None:
        from privwatch.watch import import_dir

        with open_store(db) as store:
            for outcome in import_dir(store, platform, kind, folder):
                print_outcome(outcome)

    @watch.command(name="import-git", help=message("help.watch.import_git", lang))
    @click.argument("platform")
    @click.argument(
        "repo", type=click.Path(file_okay=False, exists=True, path_type=Path)
    )
    @click.argument("path")
    @kind_option
    @db_option
    def watch_import_git(
        platform: str, repo: Path, path: str, kind: str, db: str | None
    ) -> None:
        from privwatch.watch import import_git

        with open_store(db) as store:
            for outcome in import_git(store, platform, kind, repo, path):
                print_outcome(outcome)

    @watch.command(name="diff", help=message("help.watch.diff", lang))
    @click.argument("platform")
    @kind_option
    @click.option("--from", "old", type=int, help=message("help.watch.from", lang))
    @click.option("--to", "new", type=int, help=message("help.watch.to", lang))
    @report_format("help.watch.format", ("table", "html"))
    @output_option
    @db_option
    def watch_diff(
        platform: str,
        kind: str,
        old: int | None,
        new: int | None,
        output_format: str,
        output: Path | None,
        db: str | None,
    ) -> None:
        from privwatch.report.diff import render_diff_html, render_diff_table
        from privwatch.watch import compare

        with open_store(db) as store:
            found = compare(store, platform, kind, old, new)
        title, changes, delta = found.title, found.changes, found.delta
        with atomic_output(output) as stream:
            if output_format == "html":
                stream.write(render_diff_html(title, changes, delta, lang=lang))
            else:
                console = Console(file=stream, soft_wrap=True, highlight=False)
                render_diff_table(title, changes, delta, console, lang=lang)

    @cli.command(name="batch", help=message("help.batch", lang))
    @click.argument("manifest", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--workers",
        type=click.IntRange(min=1),
        help=message("help.batch.workers", lang),
    )
    @click.option("--scheduler", help=message("help.batch.scheduler", lang))
    @click.option("--db", "db", help=message("help.watch.db", lang))
    def batch_command(
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
        counts = report.counts
        for result in report.results:
            if result.status == "failed":
                line = message(
                    "batch.failed",
                    lang,
                    platform=result.task.platform,
                    source=result.task.source,
                    error=result.error,
                )
                print(f"privwatch: {line}", file=sys.stderr)
        print(
            message(
                "batch.summary",
                lang,
                done=counts["done"],
                skipped=counts["skipped"] + report.stored_before,
                failed=counts["failed"],
                seconds=f"{report.seconds:.1f}",
            )
        )
        return 1 if counts["failed"] else 0

    @cli.command(name="scan", help=message("help.scan", lang))
    @click.argument("har", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--site", required=True, help=message("help.scan.site", lang))
    @persona_option
    @report_format("help.scan.format")
    @user_country_option
    @click.option(
        "--registry",
        "registry_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.scan.registry", lang),
    )
    @output_option
    @click.option("--save", "platform", help=message("help.scan.save", lang))
    @click.option("--db", "db", help=message("help.watch.db", lang))
    def scan_command(
        har: Path,
        site: str,
        persona: Path | None,
        output_format: str,
        user_country: str,
        registry_path: Path | None,
        output: Path | None,
        platform: str | None,
        db: str | None,
    ) -> None:
        import hashlib

        from privwatch.report import flows as flow_report
        from privwatch.store import Store
        from privwatch.store.records import encode_scan

        country = user_country.upper()
        result = scan(har, site, persona, registry_path)
        if platform is not None:
            with har.open("rb") as stream:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()
            saved = encode_scan(result, country)
            with Store(db) as store:
                store.add_scan(platform, str(har), digest, saved)
        with atomic_output(output) as stream:
            if output_format == "json":
                stream.write(
                    flow_report.render_json(result, user_country=country) + "\n"
                )
            elif output_format == "html":
                stream.write(
                    flow_report.render_html(result, lang=lang, user_country=country)
                )
            else:
                console = Console(file=stream, soft_wrap=True, highlight=False)
                flow_report.render_table(
                    result, console, lang=lang, user_country=country
                )

    @cli.group(name="report", help=message("help.report", lang))
    def report_group() -> None:
        pass

    @report_group.command(name="compare", help=message("help.report.compare", lang))
    @db_option
    @report_format("help.report.compare.format", ("table", "html", "csv", "json"))
    @output_option
    @kind_option
    def report_compare(
        db: str | None, output_format: str, output: Path | None, kind: str
    ) -> None:
        from privwatch.report import scorecard

        with open_store(db) as store:
            card = scorecard.build_scorecard(store, kind=kind)
        if not card.platforms:
            raise PrivwatchError("scorecard.empty")
        with atomic_output(output) as stream:
            if output_format == "json":
                stream.write(scorecard.render_scorecard_json(card) + "\n")
            elif output_format == "csv":
                stream.write(scorecard.render_scorecard_csv(card))
            elif output_format == "html":
                stream.write(scorecard.render_scorecard_html(card, lang=lang))
            else:
                console = Console(file=stream, soft_wrap=True, highlight=False)
                scorecard.render_scorecard_table(card, console, lang=lang)

    @report_group.command(name="evaluate", help=message("help.report.evaluate", lang))
    @click.argument("source")
    @click.option("--home", help=message("help.report.evaluate.home", lang))
    @report_format("help.report.evaluate.format")
    @output_option
    @click.option("--save", "platform", help=message("help.report.evaluate.save", lang))
    @db_option
    @click.option(
        "--foreign/--domestic",
        default=None,
        help=message("help.report.evaluate.foreign", lang),
    )
    @fetch_options
    def report_evaluate(
        source: str,
        home: str | None,
        output_format: str,
        output: Path | None,
        platform: str | None,
        db: str | None,
        foreign: bool | None,
        max_size: str,
        timeout: float,
    ) -> None:
        from privwatch import evaluate

        if platform is not None:
            with open_store(db) as store:
                known = {p.name: p.foreign for p in store.platforms()}
            if platform not in known:
                raise PrivwatchError("store.no_platform", name=platform)
            foreign = known[platform] if foreign is None else foreign
        result = evaluate.evaluate_policy(
            source,
            home=home,
            foreign=foreign,
            max_bytes=parse_size(max_size, lang),
            timeout=timeout,
        )
        if platform is not None:
            with open_store(db) as store:
                evaluate.save_evaluation(
                    store,
                    platform,
                    evaluate.evaluation_to_dict(result, lang=lang),
                    source=source,
                )
            print(message("evaluate.saved", lang, platform=platform), file=sys.stderr)
        with atomic_output(output) as stream:
            if output_format == "json":
                stream.write(evaluate.render_evaluation_json(result, lang=lang) + "\n")
            elif output_format == "html":
                stream.write(evaluate.render_evaluation_html(result, lang=lang))
            else:
                console = Console(file=stream, soft_wrap=True, highlight=False)
                evaluate.render_evaluation_table(result, console, lang=lang)

    @cli.command(name="verify", help=message("help.verify", lang))
    @click.argument(
        "report", required=False, type=click.Path(dir_okay=False, path_type=Path)
    )
    @click.option("--source", help=message("help.verify.source", lang))
    @db_option
    @fetch_options
    def verify_command(
        report: Path | None,
        source: str | None,
        db: str | None,
        max_size: str,
        timeout: float,
    ) -> int:
        from privwatch.verify import verify_report, verify_store

        if report is None and source is not None:
            raise click.UsageError(message("verify.usage_source", lang))
        if report is not None and db is not None:
            raise click.UsageError(message("verify.usage_db", lang))
        if report is not None:
            checked = verify_report(
                report,
                source,
                max_bytes=parse_size(max_size, lang),
                timeout=timeout,
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
        if report is not None:
            summary = message(
                "verify.summary.report",
                lang,
                path=report,
                findings=checked.findings,
                evidence=checked.evidence,
                problems=len(checked.problems),
            )
        else:
            summary = message(
                "verify.summary.store",
                lang,
                documents=checked.documents,
                versions=checked.versions,
                findings=checked.findings,
                evidence=checked.evidence,
                problems=len(checked.problems),
            )
        print(summary)
        if checked.ok:
            print(message("verify.all_well", lang))
            return 0
        return 1

    @cli.command(name="serve", help=message("help.serve", lang))
    @click.option("--host", default="127.0.0.1", help=message("help.serve.host", lang))
    @click.option(
        "--port",
        type=click.IntRange(0, 65535),
        default=8000,
        help=message("help.serve.port", lang),
    )
    @db_option
    @click.option(
        "--ssl-certfile",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.serve.ssl_certfile", lang),
    )
    @click.option(
        "--ssl-keyfile",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.serve.ssl_keyfile", lang),
    )
    @click.option(
        "--session-hours",
        type=click.FloatRange(min=0.05, max=24 * 30),
        default=12.0,
        help=message("help.serve.session_hours", lang),
    )
    @click.option(
        "--delay",
        type=click.FloatRange(min=0),
        default=1.0,
        help=message("help.serve.delay", lang),
    )
    def serve_command(
        host: str,
        port: int,
        db: str | None,
        ssl_certfile: Path | None,
        ssl_keyfile: Path | None,
        session_hours: float,
        delay: float,
    ) -> None:
        from privwatch.web.server import serve

        serve(
            db=db,
            host=host,
            port=port,
            certfile=ssl_certfile,
            keyfile=ssl_keyfile,
            session_hours=session_hours,
            delay=delay,
            lang=lang,
        )

    @cli.group(name="user", help=message("help.user", lang))
    def user_group() -> None:
        pass

    @user_group.command(name="add", help=message("help.user.add", lang))
    @click.argument("name")
    @click.option(
        "--role",
        type=click.Choice(["viewer", "editor"]),
        default="viewer",
        help=message("help.user.role", lang),
    )
    @click.option(
        "--password-stdin", is_flag=True, help=message("help.user.password_stdin", lang)
    )
    @db_option
    def user_add(name: str, role: str, password_stdin: bool, db: str | None) -> None:
        import getpass

        from privwatch.web.users import add_user, check_name, check_password, list_users

        check_name(name)
        with open_store(db) as store:
            if any(u.name == name for u in list_users(store)):
                raise PrivwatchError("user.exists", name=name)
        if password_stdin:
            line = sys.stdin.readline()
            if not line:
                raise PrivwatchError("user.no_stdin")
            password = line.rstrip("\r\n")
        else:
            password = getpass.getpass(message("user.password_prompt", lang, name=name))
            check_password(password)
            if getpass.getpass(message("user.password_repeat", lang)) != password:
                raise PrivwatchError("user.password_mismatch")
        check_password(password)
        with open_store(db) as store:
            add_user(store, name, password, role)
        print(message("user.added", lang, name=name, role=role))

    @user_group.command(name="list", help=message("help.user.list", lang))
    @db_option
    def user_list(db: str | None) -> None:
        from privwatch.web.users import list_users

        with open_store(db) as store:
            users = list_users(store)
        if not users:
            print(f"privwatch: {message('user.none', lang)}", file=sys.stderr)
        for found in users:
            print(f"{found.name}\t{found.role}\t{found.created_at:%Y-%m-%d %H:%M}")

    @user_group.command(name="remove", help=message("help.user.remove", lang))
    @click.argument("name")
    @db_option
    def user_remove(name: str, db: str | None) -> None:
        from privwatch.web.users import remove_user

        with open_store(db) as store:
            remove_user(store, name)
        print(message("user.removed", lang, name=name))

    return cli


def read_lines(path: Path, limit: int) -> list[str]:
    """A UTF-8 text file's lines, each one clause as it stands."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise PrivwatchError("input.too_large", source=path, size=size, limit=limit)
        data = path.read_bytes()
    except FileNotFoundError:
        raise PrivwatchError("input.not_found", path=path) from None
    except IsADirectoryError:
        raise PrivwatchError("input.is_directory", path=path) from None
    except OSError as exc:
        raise PrivwatchError(
            "input.unreadable", path=path, reason=exc.strerror
        ) from None
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise PrivwatchError("input.lines_not_utf8", path=path) from None


@contextmanager
def batch_progress(lang: str) -> Iterator[Any]:
    """A progress bar for a batch on stderr (counts, rate, ETA) on a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
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
        TextColumn("{task.fields[counts]}"),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
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


@contextmanager
def progress_reporter(lang: str) -> Iterator[Progress | None]:
    """A rich progress bar on stderr when it is a terminal, else nothing."""
    if not sys.stderr.isatty():
        yield None
        return
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


def _language_from(argv: Sequence[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            return argv[index + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGUAGES:
            return arg[7:]
    return default_language()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the app, turning errors into one line and an exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _language_from(args)
    code = 0
    try:
        result = build_cli(lang).main(
            args=args, prog_name="privwatch", standalone_mode=False
        )
        code = result if isinstance(result, int) else 0
    except PrivwatchError as exc:
        print(f"privwatch: {exc.render(lang)}", file=sys.stderr)
        code = exc.exit_code
    except click.UsageError as exc:
        detail = " ".join(exc.format_message().split())
        print(
            f"privwatch: {message('usage.error', lang, detail=detail)}", file=sys.stderr
        )
        code = 2
    except (KeyboardInterrupt, click.Abort):
        print(f"privwatch: {message('interrupted', lang)}", file=sys.stderr)
        code = 130
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except BrokenPipeError:
        code = 0
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("PRIVWATCH_DEBUG"):
            raise
        reason = f"{type(exc).__name__}: {exc}"
        print(
            f"privwatch: {message('internal_error', lang, reason=reason)}",
            file=sys.stderr,
        )
        code = 1
    sys.exit(code)
