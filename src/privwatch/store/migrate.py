"""When the store's schema is upgraded: Alembic's revision kept in the
database against the latest migration shipped in the package."""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from alembic.config import Config


def behind(engine: Engine) -> bool:
    """Whether the store needs ``upgrade`` (a new store does): one small query."""
    return revision(engine) != head()


def config() -> Config:
    """The Alembic configuration of the migrations shipped in the package."""
    from alembic.config import Config

    found = Config()
    found.set_main_option(
        "script_location",
        str(resources.files("privwatch.store").joinpath("migrations")),
    )
    return found


@functools.cache
def head() -> str | None:
    """The latest migration shipped in the package (read once per process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config()).get_current_head()


def revision(engine: Engine) -> str | None:
    """The migration a store was last brought to (None: a new store)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Run every migration the store has not had (a new store: all of them)."""
    from alembic import command

    found = config()
    with engine.begin() as connection:
        found.attributes["connection"] = connection
        command.upgrade(found, "head")
