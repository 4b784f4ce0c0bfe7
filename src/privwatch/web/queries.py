"""What the dashboard's pages read from the store.

Lists select only the columns they show (a version's text and JSON are read
only on the pages of one version), and findings across the store come from the
``findings`` table, one row per finding, so the findings page stays fast with
many thousands of them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select

from privwatch.models import Finding, Severity
from privwatch.store import (
    Platform,
    Scan,
    Store,
    StoredFinding,
    Version,
    WatchedDocument,
)
from privwatch.store.records import decode_scan, finding_row

SEVERITIES = tuple(s.value for s in Severity)
PAGE_SIZE = 50
QUOTE_CHARS = 300


def _counts() -> dict[str, int]:
    return dict.fromkeys(SEVERITIES, 0)


@dataclass
class PlatformRow:
    id: int
    name: str
    country: str | None
    foreign: bool
    category: str | None
    documents: int = 0
    latest: datetime | None = None
    counts: dict[str, int] = field(default_factory=_counts)


def _latest_versions() -> Any:
    """Each document's latest version: (id, document_id, fetched_at)."""
    newest = (
        select(Version.document_id, func.max(Version.number).label("number"))
        .group_by(Version.document_id)
        .subquery()
    )
    return (
        select(Version.id, Version.document_id, Version.fetched_at)
        .join(
            newest,
            and_(
                Version.document_id == newest.c.document_id,
                Version.number == newest.c.number,
            ),
        )
        .subquery()
    )


def platform_rows(store: Store) -> list[PlatformRow]:
    """Every platform with its documents, its latest version's date and the
    findings of its documents' latest versions by severity."""
    latest = _latest_versions()
    with store.session() as session:
        rows = {
            p.id: PlatformRow(p.id, p.name, p.country, p.foreign, p.category)
            for p in session.scalars(select(Platform).order_by(Platform.name))
        }
        for pid, documents in session.execute(
            select(WatchedDocument.platform_id, func.count()).group_by(
                WatchedDocument.platform_id
            )
        ):
            rows[pid].documents = documents
        for pid, when in session.execute(
            select(WatchedDocument.platform_id, func.max(latest.c.fetched_at))
            .join(latest, latest.c.document_id == WatchedDocument.id)
            .group_by(WatchedDocument.platform_id)
        ):
            rows[pid].latest = when
        for pid, severity, count in session.execute(
            select(WatchedDocument.platform_id, StoredFinding.severity, func.count())
            .join(latest, latest.c.document_id == WatchedDocument.id)
            .join(StoredFinding, StoredFinding.version_id == latest.c.id)
            .group_by(WatchedDocument.platform_id, StoredFinding.severity)
        ):
            rows[pid].counts[severity] = count
    return list(rows.values())


@dataclass
class VersionRow:
    id: int
    number: int
    fetched_at: datetime
    text_sha256: str
    counts: dict[str, int] = field(default_factory=_counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class DocumentView:
    id: int
    kind: str
    url: str
    status: str
    last_error: str | None
    last_checked_at: datetime | None
    versions: list[VersionRow] = field(default_factory=list)


@dataclass
class PlatformView:
    id: int
    name: str
    country: str | None
    foreign: bool
    category: str | None
    documents: list[DocumentView]


def platform_view(store: Store, platform_id: int) -> PlatformView | None:
    """A platform, its documents and their versions with finding counts."""
    with store.session() as session:
        platform = session.get(Platform, platform_id)
        if platform is None:
            return None
        documents = {
            d.id: DocumentView(
                d.id, d.kind, d.url, d.status, d.last_error, d.last_checked_at
            )
            for d in session.scalars(
                select(WatchedDocument)
                .where(WatchedDocument.platform_id == platform_id)
                .order_by(WatchedDocument.kind, WatchedDocument.id)
            )
        }
        versions: dict[int, VersionRow] = {}
        for vid, did, number, when, sha in session.execute(
            select(
                Version.id,
                Version.document_id,
                Version.number,
                Version.fetched_at,
                Version.text_sha256,
            )
            .where(Version.document_id.in_(documents))
            .order_by(Version.document_id, Version.number)
        ):
            versions[vid] = VersionRow(vid, number, when, sha)
            documents[did].versions.append(versions[vid])
        for vid, severity, count in session.execute(
            select(StoredFinding.version_id, StoredFinding.severity, func.count())
            .join(Version, Version.id == StoredFinding.version_id)
            .where(Version.document_id.in_(documents))
            .group_by(StoredFinding.version_id, StoredFinding.severity)
        ):
            versions[vid].counts[severity] = count
        return PlatformView(
            platform.id,
            platform.name,
            platform.country,
            platform.foreign,
            platform.category,
            list(documents.values()),
        )


@dataclass
class StoredFlowRow:
    data_type: str
    organization: str | None
    country: str | None
    party: str
    cross_border: bool
    count: int = 0
    hosts: set[str] = field(default_factory=set)
    masked: set[str] = field(default_factory=set)


@dataclass
class ScanView:
    id: int
    scanned_at: datetime
    source: str
    har_sha256: str
    site: str
    entries: Any
    flows: list[StoredFlowRow]


def scan_views(store: Store, platform_id: int, limit: int = 5) -> list[ScanView]:
    """The platform's latest scans, newest first, their flows grouped by data
    type, organisation and country."""
    with store.session() as session:
        scans = list(
            session.scalars(
                select(Scan)
                .where(Scan.platform_id == platform_id)
                .order_by(Scan.scanned_at.desc(), Scan.id.desc())
                .limit(limit)
            )
        )
    views = []
    for scan in scans:
        record = decode_scan(scan.result)
        grouped: dict[tuple[Any, ...], StoredFlowRow] = {}
        for flow in record.flows:
            key = (
                flow.data_type,
                flow.organization,
                flow.country,
                flow.party,
                record.crosses(flow),
            )
            row = grouped.setdefault(key, StoredFlowRow(*key))
            row.count += 1
            row.hosts.add(flow.host)
            row.masked.add(flow.masked)
        views.append(
            ScanView(
                scan.id,
                scan.scanned_at,
                scan.source,
                scan.har_sha256,
                record.site,
                record.entries,
                sorted(
                    grouped.values(),
                    key=lambda r: (not r.cross_border, r.data_type, -r.count),
                ),
            )
        )
    return views


@dataclass
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
) -> tuple[str, str, int, list[int], dict[int, Version]] | None:
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
            v.number: v
            for v in session.scalars(
                select(Version).where(
                    Version.document_id == document_id,
                    Version.number.in_(numbers),
                )
            )
        }
        return name, kind, pid, all_numbers, picked


@dataclass(frozen=True)
class FindingFilter:
    severity: str | None = None
    rule: str | None = None
    platform: int | None = None
    latest: bool = False


@dataclass
class FindingRow:
    id: int
    severity: str
    rule: str
    law: str
    article: str
    title: str
    params: dict[str, str] | None
    quote: str | None
    version_id: int
    number: int
    fetched_at: datetime
    kind: str
    platform_id: int
    platform: str

    @property
    def finding(self) -> Finding:
        """The row as a finding (without evidence), to word at the edge."""
        return finding_row(
            self.rule, self.law, self.article, self.severity, self.params, self.title
        )


@dataclass
class FindingPage:
    rows: list[FindingRow]
    total: int
    page: int
    pages: int


def _filtered(query: Select[Any], wanted: FindingFilter, joined: bool) -> Select[Any]:
    if wanted.severity:
        query = query.where(StoredFinding.severity == wanted.severity)
    if wanted.rule:
        query = query.where(StoredFinding.rule == wanted.rule)
    if wanted.platform is not None or wanted.latest:
        if not joined:
            query = query.join(Version, Version.id == StoredFinding.version_id).join(
                WatchedDocument, WatchedDocument.id == Version.document_id
            )
        if wanted.platform is not None:
            query = query.where(WatchedDocument.platform_id == wanted.platform)
        if wanted.latest:
            latest = _latest_versions()
            query = query.join(latest, latest.c.id == StoredFinding.version_id)
    return query


def finding_page(
    store: Store, wanted: FindingFilter, page: int, size: int = PAGE_SIZE
) -> FindingPage:
    """One page of findings across the store: the newest versions first, each
    version's findings in its audit's order.

    The page's ids are picked first from the findings table alone (joined only
    as far as a filter needs), so sorting and skipping earlier pages handle
    narrow rows; then those ids are read with their version and platform."""
    with store.session() as session:
        total = session.scalar(
            _filtered(select(func.count(StoredFinding.id)), wanted, joined=False)
        )
        pages = max(1, -(-(total or 0) // size))
        page = min(max(1, page), pages)
        picked = (
            _filtered(select(StoredFinding.id), wanted, joined=False)
            .order_by(StoredFinding.version_id.desc(), StoredFinding.id)
            .limit(size)
            .offset((page - 1) * size)
            .subquery()
        )
        query = (
            select(
                StoredFinding.id,
                StoredFinding.severity,
                StoredFinding.rule,
                StoredFinding.law,
                StoredFinding.article,
                StoredFinding.title,
                StoredFinding.params,
                func.substr(StoredFinding.quote, 1, QUOTE_CHARS + 1),
                Version.id,
                Version.number,
                Version.fetched_at,
                WatchedDocument.kind,
                Platform.id,
                Platform.name,
            )
            .join(picked, picked.c.id == StoredFinding.id)
            .join(Version, Version.id == StoredFinding.version_id)
            .join(WatchedDocument, WatchedDocument.id == Version.document_id)
            .join(Platform, Platform.id == WatchedDocument.platform_id)
            .order_by(StoredFinding.version_id.desc(), StoredFinding.id)
        )
        rows = [FindingRow(*row) for row in session.execute(query)]
    return FindingPage(rows, total or 0, page, pages)


def finding_choices(store: Store) -> tuple[list[str], list[tuple[int, str]]]:
    """The rules that have findings, and every platform (id, name)."""
    with store.session() as session:
        rules = list(
            session.scalars(
                select(StoredFinding.rule).distinct().order_by(StoredFinding.rule)
            )
        )
        platforms = [
            (pid, name)
            for pid, name in session.execute(
                select(Platform.id, Platform.name).order_by(Platform.name)
            )
        ]
    return rules, platforms


class CachedChoices:
    """``finding_choices`` reused for ``ttl`` seconds: the lists change only when
    versions or platforms are stored, so they are read again when ``changed``
    (what the caller knows of that) differs, after ``forget``, or in time for
    what other processes store."""

    def __init__(self, store: Store, ttl: float) -> None:
        self.store, self.ttl = store, ttl
        self._lock = threading.Lock()
        self._kept: tuple[float, object, tuple[list[str], list[tuple[int, str]]]] | None
        self._kept = None

    def get(self, changed: object = None) -> tuple[list[str], list[tuple[int, str]]]:
        with self._lock:
            kept = self._kept
        if (
            kept is not None
            and kept[1] == changed
            and time.monotonic() - kept[0] < self.ttl
        ):
            return kept[2]
        found = finding_choices(self.store)
        with self._lock:
            self._kept = (time.monotonic(), changed, found)
        return found

    def forget(self) -> None:
        with self._lock:
            self._kept = None
