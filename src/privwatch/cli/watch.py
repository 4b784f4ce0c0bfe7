"""``watch``: the documents a store follows, their versions and changes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from privwatch.cli.options import Country, db_option, delay_option, kind_option
from privwatch.cli.output import (
    Renderers,
    format_option,
    list_header,
    output_option,
    write_output,
)
from privwatch.cli.progress import progress_reporter
from privwatch.cli.sources import open_store
from privwatch.errors import PrivwatchError
from privwatch.fields import shown
from privwatch.i18n import message


def print_outcome(outcome: Any, lang: str) -> None:
    """One line per document a cycle or an import handled; failed alerts on stderr."""
    line = message(
        f"watch.outcome.{outcome.result}",
        lang,
        platform=outcome.platform,
        kind=outcome.kind,
        url=outcome.url,
    )
    line += f": {outcome.error}" if outcome.error else ""
    print(shown(line), flush=True)  # stored names may hold escape codes
    for failure in outcome.alert_failures:
        print(f"privwatch: {failure.render(lang)}", file=sys.stderr, flush=True)


def _cycle(outcomes: Any, lang: str) -> Any:
    """Each outcome of a cycle, printed as it comes."""
    for outcome in outcomes:
        print_outcome(outcome, lang)
        yield outcome


def watch_group(lang: str) -> click.Group:
    @click.group(name="watch", help=message("help.watch", lang))
    def watch() -> None:
        pass

    for command in (
        _add,
        _list,
        _remove,
        _run,
        _history,
        _import_dir,
        _import_git,
        _reevaluate,
        _diff,
    ):
        watch.add_command(command(lang))
    return watch


def _add(lang: str) -> click.Command:
    @click.command(name="add", help=message("help.watch.add", lang))
    @click.argument("targets", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--another", is_flag=True, help=message("help.watch.another", lang))
    @db_option(lang)
    def add(targets: Path, another: bool, db: str | None) -> None:
        from privwatch.watch import add_targets, load_targets

        loaded = load_targets(targets)
        with open_store(db) as store:
            count = add_targets(store, loaded, another=another)
        platforms = len(loaded.platforms)
        print(message("watch.added", lang, documents=count, platforms=platforms))

    return add


def _list(lang: str) -> click.Command:
    @click.command(name="list", help=message("help.watch.list", lang))
    @db_option(lang)
    def list_(db: str | None) -> None:
        from privwatch.store.platforms import version_counts

        with open_store(db) as store:
            documents = store.documents()
            versions = version_counts(store) if documents else {}
            list_header(documents, "watch.list.header", "watch.list.empty", lang)
            for document in documents:
                checked = document.last_checked_at or "-"
                status = document.status
                if status == "new" and versions.get(document.id):
                    status = (
                        "stored"  # versions from a batch or an import, not the watch
                    )
                line = (
                    f"{document.platform.name}\t{document.kind}\t{status}\t"
                    f"{checked}\t{document.url}"
                )
                if document.last_error:
                    line += f"\t{document.last_error}"
                # a name or address stored before fields were checked may hold
                # escape codes: printed as \x1b, never sent to the terminal
                print("\t".join(shown(part) for part in line.split("\t")))
            for platform, kind, documents in store.duplicate_documents():
                ids = ", ".join(str(d.id) for d in documents)
                note = message(
                    "watch.duplicates",
                    lang,
                    platform=platform,
                    kind=kind,
                    count=len(documents),
                    ids=ids,
                )
                print(f"privwatch: {note}", file=sys.stderr)

    return list_


def _remove(lang: str) -> click.Command:
    @click.command(name="remove", help=message("help.watch.remove", lang))
    @click.argument("platform")
    @click.option("--yes", is_flag=True, help=message("help.watch.yes", lang))
    @db_option(lang)
    def remove(platform: str, yes: bool, db: str | None) -> int:
        from privwatch.store.platforms import platform_holdings

        with open_store(db) as store:
            held = platform_holdings(store, platform)
            if held is None:
                raise PrivwatchError("store.no_platform", name=platform)
            counts = {
                "platform": platform,
                "documents": held.documents,
                "versions": held.versions,
                "scans": held.scans,
                "evaluations": held.evaluations,
            }
            if not yes:
                if not sys.stdin.isatty():  # nobody to ask: refuse, keep it all
                    raise PrivwatchError("watch.remove_unconfirmed", name=platform)
                question = shown(message("watch.remove_confirm", lang, **counts))
                if not click.confirm(question, default=False, err=True):
                    print(
                        f"privwatch: {message('watch.remove_declined', lang)}",
                        file=sys.stderr,
                    )
                    return 1
            if not store.remove_platform(platform):
                raise PrivwatchError("store.no_platform", name=platform)
        print(shown(message("watch.removed", lang, **counts)))
        return 0

    return remove


def _run(lang: str) -> click.Command:
    @click.command(name="run", help=message("help.watch.run", lang))
    @click.option("--once", is_flag=True, help=message("help.watch.once", lang))
    @click.option(
        "--interval",
        type=click.FloatRange(min=1),
        default=3600.0,
        help=message("help.watch.interval", lang),
    )
    @delay_option(lang, "help.watch.delay")
    @db_option(lang)
    def run(once: bool, interval: float, delay: float, db: str | None) -> int:
        import time

        from privwatch.errors import Interrupted
        from privwatch.watch import Politeness, run_once

        polite = Politeness(delay=delay)
        with open_store(db) as store:
            while True:
                try:
                    with progress_reporter(lang) as progress:
                        checked = run_once(store, politeness=polite, progress=progress)
                    outcomes = list(_cycle(checked, lang))
                    failed = sum(o.result == "failed" for o in outcomes)
                    if failed:  # on stderr too, where cron's mail and CI's log look
                        note = message(
                            "watch.run_failed", lang, failed=failed, total=len(outcomes)
                        )
                        print(f"privwatch: {note}", file=sys.stderr, flush=True)
                    if once:  # 1 when any document failed, for cron and CI
                        return 1 if failed else 0
                    time.sleep(interval)
                except Interrupted:  # in a cycle: its counts
                    raise
                except KeyboardInterrupt:  # between cycles: nothing half-done
                    raise Interrupted(0, {}) from None

    return run


def _history(lang: str) -> click.Command:
    @click.command(name="history", help=message("help.watch.history", lang))
    @click.argument("platform")
    @db_option(lang)
    def history(platform: str, db: str | None) -> None:
        from privwatch.store.records import decode_audit

        with open_store(db) as store:
            documents = store.documents(platform)
            if not documents:
                raise PrivwatchError("store.no_platform", name=platform)
            stored = [(d, store.versions(d.id)) for d in documents]
            rows = [v for _, versions in stored for v in versions]
            list_header(rows, "watch.history.header", "watch.history.empty", lang)
            for document, versions in stored:
                for version in versions:
                    audit = decode_audit(version.audit_json)
                    summary = audit.summary if audit else {}
                    counts = " ".join(f"{k}={v}" for k, v in summary.items())
                    print(
                        f"{document.kind}\tv{version.number}\t{version.fetched_at:%Y-%m-%d %H:%M}"
                        f"\t{version.text_sha256[:12]}\t{counts}"
                    )

    return history


def _import_options(lang: str) -> Callable[[Any], Any]:
    """Where an import goes and what its platform is: ``--document``,
    ``--url``, ``--foreign/--domestic``, ``--country``."""

    def add(command: Any) -> Any:
        for option in (
            click.option(
                "--country",
                type=Country(lang),
                help=message("help.watch.country", lang),
            ),
            click.option(
                "--foreign/--domestic",
                default=None,
                help=message("help.watch.import_foreign", lang),
            ),
            click.option("--url", help=message("help.watch.import_url", lang)),
            click.option(
                "--document",
                type=click.IntRange(min=1, max=2**63 - 1),
                help=message("help.watch.import_document", lang),
            ),
        ):
            command = option(command)
        return command

    return add


def _import_dir(lang: str) -> click.Command:
    @click.command(name="import-dir", help=message("help.watch.import_dir", lang))
    @click.argument("platform")
    @click.argument(
        "folder", type=click.Path(file_okay=False, exists=True, path_type=Path)
    )
    @kind_option(lang)
    @_import_options(lang)
    @db_option(lang)
    def import_dir(
        platform: str, folder: Path, kind: str, db: str | None, **where: Any
    ) -> None:
        from privwatch import watch

        with open_store(db) as store, progress_reporter(lang) as progress:
            outcomes = watch.import_dir(
                store, platform, kind, folder, progress=progress, **where
            )
        for outcome in outcomes:
            print_outcome(outcome, lang)

    return import_dir


def _import_git(lang: str) -> click.Command:
    @click.command(name="import-git", help=message("help.watch.import_git", lang))
    @click.argument("platform")
    @click.argument(
        "repo", type=click.Path(file_okay=False, exists=True, path_type=Path)
    )
    @click.argument("path")
    @kind_option(lang)
    @_import_options(lang)
    @db_option(lang)
    def import_git(
        platform: str, repo: Path, path: str, kind: str, db: str | None, **where: Any
    ) -> None:
        from privwatch import watch

        with open_store(db) as store, progress_reporter(lang) as progress:
            outcomes = watch.import_git(
                store, platform, kind, repo, path, progress=progress, **where
            )
        for outcome in outcomes:
            print_outcome(outcome, lang)

    return import_git


def _reevaluate(lang: str) -> click.Command:
    @click.command(name="reevaluate", help=message("help.watch.reevaluate", lang))
    @click.argument("platform", required=False)
    @db_option(lang)
    def reevaluate(platform: str | None, db: str | None) -> None:
        with open_store(db) as store:
            changed = store.reevaluate(platform)
        print(message("watch.reevaluated", lang, versions=changed))

    return reevaluate


def _diff(lang: str) -> click.Command:
    @click.command(name="diff", help=message("help.watch.diff", lang))
    @click.argument("platform")
    @kind_option(lang)
    @click.option("--from", "old", type=int, help=message("help.watch.from", lang))
    @click.option("--to", "new", type=int, help=message("help.watch.to", lang))
    @format_option(lang, "help.watch.format", ("table", "html"))
    @output_option(lang)
    @db_option(lang)
    def diff(
        platform: str,
        kind: str,
        old: int | None,
        new: int | None,
        output_format: str,
        output: Path | None,
        db: str | None,
    ) -> None:
        from privwatch.report.diff import Side, render_diff_html, render_diff_table
        from privwatch.watch import compare

        with open_store(db) as store:
            found = compare(store, platform, kind, old, new)
        title, changes, delta = found.title, found.changes, found.delta
        sides = tuple(
            Side(v.number, f"{v.fetched_at:%Y-%m-%d %H:%M:%S}", v.url, v.raw_sha256)
            for v in (found.old, found.new)
        )
        renderers = Renderers(
            html=lambda: render_diff_html(
                title,
                changes,
                delta,
                lang=lang,
                platform=platform,
                kind=kind,
                sides=sides,
            ),
            table=lambda console: render_diff_table(
                title, changes, delta, console, lang=lang
            ),
        )
        write_output(output, output_format, renderers)

    return diff
