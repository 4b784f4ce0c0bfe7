"""``products watch``: listing sources followed over time in the store.

``add`` watches sources for a platform, ``run`` reads them all, matches and
stores one run (a product matched before, then gone, and listed again is an
ALERT line, sent to webhooks too), ``list`` prints each (listing, hazard
record) pair ever matched, per platform.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from privwatch.cli.options import Country, db_option
from privwatch.cli.output import list_header
from privwatch.cli.sources import open_store
from privwatch.fields import shown
from privwatch.i18n import message


def products_watch_group(lang: str) -> click.Group:
    @click.group(name="watch", help=message("help.products.watch", lang))
    def watch() -> None:
        pass

    for command in (_add, _run, _list):
        watch.add_command(command(lang))
    return watch


def _add(lang: str) -> click.Command:
    @click.command(name="add", help=message("help.products.watch.add", lang))
    @click.argument("platform")
    @click.argument("sources", nargs=-1, required=True)
    @click.option(
        "--country",
        type=Country(lang),
        help=message("help.products.watch.country", lang),
    )
    @click.option(
        "--foreign/--domestic",
        default=None,
        help=message("help.products.watch.foreign", lang),
    )
    @click.option(
        "--render", is_flag=True, help=message("help.products.listings.render", lang)
    )
    @db_option(lang)
    def add(
        platform: str,
        sources: tuple[str, ...],
        country: str | None,
        foreign: bool | None,
        render: bool,
        db: str | None,
    ) -> None:
        from privwatch.store.products import add_source

        with open_store(db) as store:
            store.add_platform(platform, country=country, foreign=foreign)
            for source in sources:
                add_source(store, platform, source, render=render)
        print(
            message("products.watch.added", lang, count=len(sources), platform=platform)
        )

    return add


def _run(lang: str) -> click.Command:
    @click.command(name="run", help=message("help.products.watch.run", lang))
    @click.option(
        "--hazards",
        "hazard_files",
        multiple=True,
        required=True,
        type=click.Path(path_type=Path),
        help=message("help.products.check.hazards", lang),
    )
    @click.option(
        "--mapping", "-m", help=message("help.products.hazards.mapping", lang)
    )
    @click.option("--platform", help=message("help.products.watch.platform", lang))
    @click.option(
        "--webhook",
        "webhooks",
        multiple=True,
        help=message("help.products.watch.webhook", lang),
    )
    @db_option(lang)
    @click.pass_context
    def run(
        ctx: click.Context,
        hazard_files: tuple[Path, ...],
        mapping: str | None,
        platform: str | None,
        webhooks: tuple[str, ...],
        db: str | None,
    ) -> None:
        from privwatch.watch.products import run_watch

        def told(source: Any, outcome: Any) -> None:
            line = message(
                f"products.watch.fetch.{outcome.status}",
                lang,
                platform=source.platform,
                source=source.source,
                count=len(outcome.listings),
            )
            line += f": {outcome.error}" if outcome.error else ""
            print(shown(line), flush=True)

        with open_store(db) as store:
            hooks = [
                a.settings["url"]
                for a in store.alerts()
                if a.channel == "webhook" and a.settings.get("url")
            ]
            outcome = run_watch(
                store,
                list(hazard_files),
                mapping=mapping,
                platform=platform,
                webhooks=[*webhooks, *hooks],
                on_fetch=told,
            )
        if _report(outcome, lang):
            ctx.exit(1)

    return run


def _report(outcome: Any, lang: str) -> bool:
    """ALERT lines, the run's summary, failures on stderr; True when the exit
    status is 1 (a product relisted, or a source failed)."""
    run = outcome.run
    for m in run.relisted:
        alert = message(
            "products.watch.relisted",
            lang,
            platform=m.platform,
            title=m.title,
            url=m.url,
            source=m.hazard_source,
            record=m.hazard_record_id,
        )
        print(shown(alert), flush=True)
    print(message("products.watch.summary", lang, run=run.id, **run.counts))
    for failure in outcome.alert_failures:
        print(f"privwatch: {failure.render(lang)}", file=sys.stderr)
    if run.counts["failed"]:
        total = run.counts["sources"]
        text = message(
            "products.watch.failed", lang, failed=run.counts["failed"], total=total
        )
        print(f"privwatch: {text}", file=sys.stderr)
    return bool(run.relisted or run.counts["failed"])


def _list(lang: str) -> click.Command:
    @click.command(name="list", help=message("help.products.watch.list", lang))
    @click.option("--platform", help=message("help.products.watch.platform", lang))
    @db_option(lang)
    def list_(platform: str | None, db: str | None) -> None:
        from privwatch.store.products import listed_by_platform

        with open_store(db) as store:
            rows = [
                r
                for r in listed_by_platform(store)
                if platform is None or r.platform == platform
            ]
        list_header(
            rows, "products.watch.list.header", "products.watch.list.empty", lang
        )
        for r in rows:
            cells = (
                r.platform,
                message(
                    "products.watch.foreign"
                    if r.foreign
                    else "products.watch.domestic",
                    lang,
                ),
                f"{r.hazard_source} {r.hazard_record_id}",
                r.hazard_date,
                message(f"products.certainty.{r.certainty}", lang),
                r.first_seen.isoformat(timespec="seconds"),
                r.last_seen.isoformat(timespec="seconds"),
                message(
                    "products.watch.now_listed"
                    if r.listed_now
                    else "products.watch.now_gone",
                    lang,
                ),
                message("products.watch.relisted_flag", lang) if r.relisted else "-",
                r.title,
                r.url,
            )
            print("\t".join(shown(c) for c in cells))

    return list_
