"""What the store hands out: plain frozen copies of its rows.

No ORM row leaves the store (a detached row fails on the first relationship not
loaded, and writing to it does nothing); the names are the tables' own, so
``from privwatch.store import Version`` is what ``Store.versions`` returns.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from privwatch.store import schema

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_T = TypeVar("_T", bound="DataclassInstance")


def _copy(cls: type[_T], row: object, **given: Any) -> _T:
    """A ``cls`` with each field read from ``row``, but those ``given``."""
    read = {f.name: getattr(row, f.name) for f in fields(cls) if f.name not in given}
    return cls(**read, **given)


@dataclass(frozen=True)
class Platform:
    """An audited platform: who runs it and whether it is foreign to Korea."""

    id: int
    name: str
    country: str | None
    foreign: bool
    category: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: schema.Platform) -> Platform:
        return _copy(cls, row)


@dataclass(frozen=True)
class WatchedDocument:
    """One document of a platform that is fetched on a schedule."""

    id: int
    platform_id: int
    kind: str
    url: str
    selector: str | None
    language: str | None
    status: str
    last_error: str | None
    last_checked_at: datetime | None
    etag: str | None
    last_modified: str | None
    render: bool
    platform: Platform

    @classmethod
    def of(cls, row: schema.WatchedDocument) -> WatchedDocument:
        return _copy(cls, row, platform=Platform.of(row.platform))


@dataclass(frozen=True)
class Version:
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

    @classmethod
    def of(cls, row: schema.Version) -> Version:
        return _copy(cls, row)


@dataclass(frozen=True)
class StoredFinding:
    """A finding row of a version (its first quote and where it starts)."""

    id: int
    version_id: int
    rule: str
    severity: str
    law: str
    article: str
    title: str
    params: dict[str, str] | None
    quote: str | None
    start: int | None
    certainty: str

    @classmethod
    def of(cls, row: schema.StoredFinding) -> StoredFinding:
        return _copy(cls, row)


@dataclass(frozen=True)
class Alert:
    """Where to send word of a change (``settings``: a URL or mail settings)."""

    id: int
    channel: str
    trigger: str
    settings: dict[str, Any]

    @classmethod
    def of(cls, row: schema.Alert) -> Alert:
        return _copy(cls, row)


@dataclass(frozen=True)
class Scan:
    """A traffic scan of a platform (``privwatch.scan/2`` JSON in ``result``)."""

    id: int
    platform_id: int
    scanned_at: datetime
    source: str
    har_sha256: str
    result: dict[str, Any]

    @classmethod
    def of(cls, row: schema.Scan) -> Scan:
        return _copy(cls, row)


@dataclass(frozen=True)
class Failure:
    """A batch item that failed, with its error and platform."""

    id: int
    platform_id: int
    item: str
    source: str
    error: str
    failed_at: datetime
    platform: Platform

    @classmethod
    def of(cls, row: schema.Failure) -> Failure:
        return _copy(cls, row, platform=Platform.of(row.platform))
