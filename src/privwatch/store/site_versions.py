"""A platform's stored versions taken together (every document of the site):
how many there are and their segmented documents, for what repeats across a
site's versions (its menus and footers)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, func, select

from privwatch.store import Store
from privwatch.store.schema import Version, WatchedDocument


def _ours(platform_id: int) -> Select[Any]:
    return (
        select(Version.id)
        .join(WatchedDocument, WatchedDocument.id == Version.document_id)
        .where(WatchedDocument.platform_id == platform_id)
    )


def version_stamp(store: Store, platform_id: int) -> tuple[int, int]:
    """How many versions the platform's documents have, and the newest id:
    it changes when a version is stored or removed."""
    versions = _ours(platform_id).subquery()
    with store.session() as session:
        count, newest = session.execute(
            select(func.count(), func.max(versions.c.id))
        ).one()
    return int(count or 0), int(newest or 0)


def site_documents(store: Store, platform_id: int) -> Iterator[dict[str, Any]]:
    """Every stored version's segmented document (``Document.to_dict()``) of
    the platform's documents, one at a time."""
    with store.session() as session:
        for found in session.scalars(
            select(Version.document_json).where(Version.id.in_(_ours(platform_id)))
        ):
            if isinstance(found, dict):
                yield found
