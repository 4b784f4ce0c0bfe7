"""Where watched platforms, their documents and every version are kept.

SQLite by default (a file in the user's data directory, WAL mode), PostgreSQL when
given a ``postgresql://`` URL (``--db`` or ``PRIVWATCH_DB``). The schema is created
and upgraded by Alembic migrations shipped in the package: by ``upgrade`` (``privwatch
db upgrade``), or when a store is opened and its revision is not the package's latest
(a new store gets the whole schema); an up-to-date store costs one small query.

What leaves the store are frozen copies of its rows (``privwatch.store.objects``,
under the tables' names); the ORM classes (``privwatch.store.schema``) stay
inside, with the queries of ``store.platforms``, ``store.findings``,
``store.accounts``, ``store.evaluations`` and ``store.versions``.
"""

# SQLAlchemy costs ~0.3 s of CPU to import and an audit needs only store.records:
# the rest (store.database, store.objects) loads on first use of a name.

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from privwatch.store.database import (
        DocumentFields,
        NewVersion,
        Store,
        database_url,
        default_url,
        shown_url,
        upgrade,
    )
    from privwatch.store.objects import (
        Alert,
        Failure,
        Platform,
        Scan,
        StoredFinding,
        Version,
        WatchedDocument,
    )

__all__ = [
    "Alert",
    "DocumentFields",
    "Failure",
    "NewVersion",
    "Platform",
    "Scan",
    "Store",
    "StoredFinding",
    "Version",
    "WatchedDocument",
    "database_url",
    "default_url",
    "shown_url",
    "upgrade",
]

_LAZY = frozenset(
    {
        "Alert",
        "Failure",
        "Platform",
        "Scan",
        "StoredFinding",
        "Version",
        "WatchedDocument",
        "DocumentFields",
        "NewVersion",
        "Store",
        "database_url",
        "default_url",
        "shown_url",
        "upgrade",
    }
)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from privwatch.store import database

    return getattr(database, name)
