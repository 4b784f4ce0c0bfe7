"""``db upgrade``: bring a store to the package's schema."""

from __future__ import annotations

import click

from privwatch.cli.options import db_option
from privwatch.i18n import message


def db_group(lang: str) -> click.Group:
    @click.group(name="db", help=message("help.db", lang))
    def db() -> None:
        pass

    @db.command(name="upgrade", help=message("help.db.upgrade", lang))
    @db_option(lang)
    def upgrade(db: str | None) -> None:
        from privwatch import store

        url = db or store.default_url()
        store.upgrade(url)
        print(message("db.upgraded", lang, url=store.shown_url(url)))

    return db
