"""Platforms, their documents and versions as the dashboard lists them.

Lists select only the columns they show: a version's text and JSON are read
only for one version (``version_view``, ``document_versions``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from privwatch.models import SEVERITIES
from privwatch.store import Store, objects
from privwatch.store.schema import (
    Platform,
    Scan,
    StoredFinding,
    Version,
    WatchedDocument,
)

#: the severities of stored findings, highest first


def _counts() -> dict[str, int]:
    return dict.fromkeys(SEVERITIES, 0)


@dataclass(frozen=True)
class PlatformRow:
    id: int
    name: str
    country: str | None
    foreign: bool
    category: str | None
    documents: int = 0
    latest: datetime | None = None
    counts: Mapping[str, int] = field(default_factory=_counts)
    """Findings of the platform's documents' latest versions, by severity."""


def latest_versions() -> Any:
    """Each document's latest version, (id, document_id, fetched_at): the
    newest by fetch time, then number (as ``Store.latest``; a history imported
    into a watched document is numbered after its newer live versions)."""
    ranked = select(
        Version.id,
        Version.document_id,
        Version.fetched_at,
        func.row_number()
        .over(
            partition_by=Version.document_id,
            order_by=(Version.fetched_at.desc(), Version.number.desc()),
        )
        .label("rank"),
    ).subquery()
    return (
        select(ranked.c.id, ranked.c.document_id, ranked.c.fetched_at)
        .where(ranked.c.rank == 1)
        .subquery()
    )


def latest_by_kind() -> Any:
    """Each platform's latest version of each kind, (id, platform_id,
    fetched_at): among its documents of the kind, the latest version by fetch
    time (then id), the version the scorecard scores; a platform with two
    documents of a kind (a store from before one per kind) counts one."""
    latest = latest_versions()
    ranked = (
        select(
            latest.c.id,
            WatchedDocument.platform_id,
            latest.c.fetched_at,
            func.row_number()
            .over(
                partition_by=(WatchedDocument.platform_id, WatchedDocument.kind),
                order_by=(latest.c.fetched_at.desc(), latest.c.id.desc()),
            )
            .label("rank"),
        )
        .join(WatchedDocument, WatchedDocument.id == latest.c.document_id)
        .subquery()
    )
    return (
        select(ranked.c.id, ranked.c.platform_id, ranked.c.fetched_at)
        .where(ranked.c.rank == 1)
        .subquery()
    )


def platform_rows(store: Store) -> list[PlatformRow]:
    """Every platform with its documents, its latest version's date and the
    findings of its latest version of each kind by severity."""
    latest = latest_by_kind()
    with store.session() as session:
        platforms = list(session.scalars(select(Platform).order_by(Platform.name)))
        documents: dict[int, int] = {
            pid: count
            for pid, count in session.execute(
                select(WatchedDocument.platform_id, func.count()).group_by(
                    WatchedDocument.platform_id
                )
            )
        }
        when: dict[int, datetime] = {
            pid: newest
            for pid, newest in session.execute(
                select(latest.c.platform_id, func.max(latest.c.fetched_at)).group_by(
                    latest.c.platform_id
                )
            )
        }
        counts: dict[int, dict[str, int]] = {p.id: _counts() for p in platforms}
        for pid, severity, count in session.execute(
            select(latest.c.platform_id, StoredFinding.severity, func.count())
            .join(StoredFinding, StoredFinding.version_id == latest.c.id)
            .group_by(latest.c.platform_id, StoredFinding.severity)
        ):
            counts[pid][severity] = count
        return [
            PlatformRow(
                p.id,
                p.name,
                p.country,
                p.foreign,
                p.category,
                documents.get(p.id, 0),
                when.get(p.id),
                counts[p.id],
            )
            for p in platforms
        ]


@dataclass(frozen=True)
class VersionRow:
    id: int
    number: int
    fetched_at: datetime
    text_sha256: str
    counts: Mapping[str, int] = field(default_factory=_counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class DocumentView:
    id: int
    kind: str
    url: str
    status: str
    last_error: str | None
    last_checked_at: datetime | None
    versions: list[VersionRow] = field(default_factory=list)


@dataclass(frozen=True)
class PlatformView:
    id: int
    name: str
    country: str | None
    foreign: bool
    category: str | None
    documents: list[DocumentView]


def platform_view(store: Store, platform_id: int) -> PlatformView | None:
    """A platform, its documents and their versions (by fetch time, then
    number) with finding counts."""
    with store.session() as session:
        platform = session.get(Platform, platform_id)
        if platform is None:
            return None
        documents = list(
            session.scalars(
                select(WatchedDocument)
                .where(WatchedDocument.platform_id == platform_id)
                .order_by(WatchedDocument.kind, WatchedDocument.id)
            )
        )
        ids = [d.id for d in documents]
        counts: dict[int, dict[str, int]] = {}
        for vid, severity, count in session.execute(
            select(StoredFinding.version_id, StoredFinding.severity, func.count())
            .join(Version, Version.id == StoredFinding.version_id)
            .where(Version.document_id.in_(ids))
            .group_by(StoredFinding.version_id, StoredFinding.severity)
        ):
            counts.setdefault(vid, _counts())[severity] = count
        versions: dict[int, list[VersionRow]] = {d: [] for d in ids}
        for vid, did, number, when, sha in session.execute(
            select(
                Version.id,
                Version.document_id,
                Version.number,
                Version.fetched_at,
                Version.text_sha256,
            )
            .where(Version.document_id.in_(ids))
            .order_by(Version.document_id, Version.fetched_at, Version.number)
        ):
            versions[did].append(
                VersionRow(vid, number, when, sha, counts.get(vid) or _counts())
            )
        return PlatformView(
            platform.id,
            platform.name,
            platform.country,
            platform.foreign,
            platform.category,
            [
                DocumentView(
                    d.id,
                    d.kind,
                    d.url,
                    d.status,
                    d.last_error,
                    d.last_checked_at,
                    versions[d.id],
                )
                for d in documents
            ],
        )


@dataclass(frozen=True)
class ScanRecord:
    """A stored traffic scan (``result`` is its ``privwatch.scan/2`` JSON)."""

    id: int
    scanned_at: datetime
    source: str
    har_sha256: str
    result: Any


def latest_scans(store: Store, platform_id: int, limit: int = 5) -> list[ScanRecord]:
    """The platform's latest scans, newest first."""
    with store.session() as session:
        return [
            ScanRecord(s.id, s.scanned_at, s.source, s.har_sha256, s.result)
            for s in session.scalars(
                select(Scan)
                .where(Scan.platform_id == platform_id)
                .order_by(Scan.scanned_at.desc(), Scan.id.desc())
                .limit(limit)
            )
        ]


@dataclass(frozen=True)
class VersionView:
    id: int
    number: int
    fetched_at: datetime
    url: str
    http_status: int | None
    raw_sha256: str
    text_sha256: str
    text: str
    document_json: dict[str, Any]
    audit_json: dict[str, Any] | None
    document_id: int
    kind: str
    platform_id: int
    platform: str
    finding_ids: list[int]
    numbers: list[int]


def version_view(store: Store, version_id: int) -> VersionView | None:
    with store.session() as session:
        found = session.execute(
            select(Version, WatchedDocument.kind, Platform.id, Platform.name)
            .join(WatchedDocument, WatchedDocument.id == Version.document_id)
            .join(Platform, Platform.id == WatchedDocument.platform_id)
            .where(Version.id == version_id)
        ).first()
        if found is None:
            return None
        version, kind, pid, name = found
        ids = list(
            session.scalars(
                select(StoredFinding.id)
                .where(StoredFinding.version_id == version_id)
                .order_by(StoredFinding.id)
            )
        )
        numbers = list(
            session.scalars(
                select(Version.number)
                .where(Version.document_id == version.document_id)
                .order_by(Version.number)
            )
        )
        return VersionView(
            version.id,
            version.number,
            version.fetched_at,
            version.url,
            version.http_status,
            version.raw_sha256,
            version.text_sha256,
            version.text,
            version.document_json,
            version.audit_json,
            version.document_id,
            kind,
            pid,
            name,
            ids,
            numbers,
        )


def document_versions(
    store: Store, document_id: int, numbers: tuple[int, int]
) -> tuple[str, str, int, list[int], dict[int, objects.Version]] | None:
    """A document's platform name, kind, platform id, all version numbers, and
    the versions numbered ``numbers`` (those that exist)."""
    with store.session() as session:
        found = session.execute(
            select(WatchedDocument.kind, Platform.name, Platform.id)
            .join(Platform, Platform.id == WatchedDocument.platform_id)
            .where(WatchedDocument.id == document_id)
        ).first()
        if found is None:
            return None
        kind, name, pid = found
        all_numbers = list(
            session.scalars(
                select(Version.number)
                .where(Version.document_id == document_id)
                .order_by(Version.number)
            )
        )
        picked = {
            v.number: objects.Version.of(v)
            for v in session.scalars(
                select(Version).where(
                    Version.document_id == document_id,
                    Version.number.in_(numbers),
                )
            )
        }
        return name, kind, pid, all_numbers, picked


@dataclass(frozen=True)
class Holdings:
    """What the store holds of one platform, as ``watch remove`` asks about it
    and reports it."""

    documents: int
    versions: int
    scans: int
    evaluations: int


def platform_holdings(store: Store, name: str) -> Holdings | None:
    """The documents, versions, scans and evaluations stored for the platform
    ``name``; None when there is no such platform."""
    from privwatch.store.schema import Evaluation

    with store.session() as session:
        pid = session.scalar(select(Platform.id).where(Platform.name == name))
        if pid is None:
            return None
        documents = select(WatchedDocument.id).where(WatchedDocument.platform_id == pid)

        def count(query: Any) -> int:
            return int(session.scalar(query) or 0)

        return Holdings(
            documents=count(select(func.count()).select_from(documents.subquery())),
            versions=count(
                select(func.count())
                .select_from(Version)
                .where(Version.document_id.in_(documents))
            ),
            scans=count(
                select(func.count()).select_from(Scan).where(Scan.platform_id == pid)
            ),
            evaluations=count(
                select(func.count())
                .select_from(Evaluation)
                .where(Evaluation.platform_id == pid)
            ),
        )


def version_counts(store: Store) -> dict[int, int]:
    """How many versions each document has, by document id (none: absent)."""
    with store.session() as session:
        return {
            document_id: count
            for document_id, count in session.execute(
                select(Version.document_id, func.count()).group_by(Version.document_id)
            )
        }
