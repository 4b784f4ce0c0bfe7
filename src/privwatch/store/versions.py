"""Stored versions read one at a time with their finding rows (for
re-checking the evidence of a whole store)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from privwatch.store import Store, objects
from privwatch.store.schema import Platform, StoredFinding, Version, WatchedDocument


@dataclass(frozen=True)
class DocumentRecord:
    """A watched document and its platform's name."""

    id: int
    kind: str
    url: str
    platform: str


def document_records(store: Store) -> list[DocumentRecord]:
    """Every watched document, by platform name."""
    with store.session() as session:
        return [
            DocumentRecord(*row)
            for row in session.execute(
                select(
                    WatchedDocument.id,
                    WatchedDocument.kind,
                    WatchedDocument.url,
                    Platform.name,
                )
                .join(Platform)
                .order_by(Platform.name, WatchedDocument.id)
            )
        ]


def version_ids(store: Store, document_id: int) -> list[int]:
    """A document's version ids, by number."""
    with store.session() as session:
        return list(
            session.scalars(
                select(Version.id)
                .where(Version.document_id == document_id)
                .order_by(Version.number)
            )
        )


def version_with_findings(
    store: Store, version_id: int
) -> tuple[objects.Version, list[objects.StoredFinding]] | None:
    """A version and its finding rows, None when it is gone."""
    with store.session() as session:
        version = session.get(Version, version_id)
        if version is None:
            return None
        rows = session.scalars(
            select(StoredFinding)
            .where(StoredFinding.version_id == version_id)
            .order_by(StoredFinding.id)
        )
        return objects.Version.of(version), [objects.StoredFinding.of(r) for r in rows]
