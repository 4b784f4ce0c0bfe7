"""What the dashboard's pages read from the store, beyond the store's own
lists: a platform's scans with their flows grouped for a table, and the
findings page's lists of rules and platforms, reused for a few seconds."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from privwatch.diff import repeated_clauses
from privwatch.store import Store
from privwatch.store.findings import finding_choices
from privwatch.store.platforms import VersionRow, latest_scans
from privwatch.store.records import decode_scan
from privwatch.store.site_versions import site_documents, version_stamp

__all__ = [
    "CachedChoices",
    "RepeatedClauses",
    "ScanView",
    "VersionRow",
    "scan_views",
]


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
    views = []
    for scan in latest_scans(store, platform_id, limit):
        record = decode_scan(scan.result)
        grouped: dict[tuple[Any, ...], StoredFlowRow] = {}
        for flow in record.flows:
            key = (
                flow.data_type,
                flow.organization,
                flow.country,
                "cloaked" if flow.cloaked else flow.party,
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


class RepeatedClauses:
    """``diff.repeated_clauses`` of each platform's stored versions, kept until
    the platform's versions change (a new one stored, one removed)."""

    def __init__(self, store: Store, keep: int = 32) -> None:
        self.store, self.keep = store, keep
        self._lock = threading.Lock()
        self._kept: dict[int, tuple[tuple[int, int], frozenset[str]]] = {}

    def get(self, platform_id: int) -> frozenset[str]:
        stamp = version_stamp(self.store, platform_id)
        with self._lock:
            kept = self._kept.get(platform_id)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        found = repeated_clauses(site_documents(self.store, platform_id))
        with self._lock:
            if len(self._kept) >= self.keep:
                self._kept.pop(next(iter(self._kept)))
            self._kept[platform_id] = (stamp, found)
        return found
