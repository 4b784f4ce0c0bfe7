"""Stored versions read one at a time with their finding rows, as plain
frozen records (for re-checking the evidence of a whole store)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from privwatch.store import Platform, Store, StoredFinding, Version, WatchedDocument


@dataclass(frozen=True)
class DocumentRecord:
    """A watched document and its platform's name."""

    id: int
    kind: str
    url: str
    platform: str


@dataclass(frozen=True)
class VersionRecord:
    """A stored version: the fetched text, its JSON and its audit's JSON."""

    id: int
    document_id: int
    number: int
    fetched_at: datetime
    url: str
    http_status: int | None
    headers: dict[str, Any]
    raw_sha256: str
    text_sha256: str
    text: str
    document_json: dict[str, Any]
    audit_json: dict[str, Any] | None


@dataclass(frozen=True)
class FindingRecord:
    """A finding row of a version (its first quote and where it starts)."""

    id: int
    version_id: int
    rule: str
    severity: str
    law: str
    article: str
    title: str
    quote: str | None
    start: int | None
    certainty: str


def version_record(row: Version) -> VersionRecord:
    return VersionRecord(
        row.id,
        row.document_id,
        row.number,
        row.fetched_at,
        row.url,
        row.http_status,
        row.headers,
        row.raw_sha256,
        row.text_sha256,
        row.text,
        row.document_json,
        row.audit_json,
    )


def finding_record(row: StoredFinding) -> FindingRecord:
    return FindingRecord(
        row.id,
        row.version_id,
        row.rule,
        row.severity,
        row.law,
        row.article,
        row.title,
        row.quote,
        row.start,
        row.certainty,
    )


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
) -> tuple[VersionRecord, list[FindingRecord]] | None:
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
        return version_record(version), [finding_record(r) for r in rows]
