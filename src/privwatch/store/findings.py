"""Findings across the store, from the ``findings`` table (one row per
finding), so that listing and counting them stays fast with many thousands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select

from privwatch.models import SEVERITIES, Finding
from privwatch.store import Store
from privwatch.store.platforms import latest_by_kind
from privwatch.store.records import finding_row
from privwatch.store.schema import Platform, StoredFinding, Version, WatchedDocument

PAGE_SIZE = 50
#: characters of a finding's quote read for a list (one more tells it goes on)
QUOTE_CHARS = 300


@dataclass(frozen=True)
class FindingFilter:
    severity: str | None = None
    rule: str | None = None
    platform: int | None = None
    latest: bool = True
    """Only each document's latest version (else its whole history)."""


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class FindingPage:
    rows: list[FindingRow]
    total: int
    page: int
    pages: int


def _filtered(query: Select[Any], wanted: FindingFilter, versions: bool) -> Select[Any]:
    """``query`` narrowed to ``wanted``; joined to the versions when
    ``versions`` (to sort by them) or when a filter needs them."""
    if wanted.severity:
        query = query.where(StoredFinding.severity == wanted.severity)
    if wanted.rule:
        query = query.where(StoredFinding.rule == wanted.rule)
    if versions or wanted.platform is not None:
        query = query.join(Version, Version.id == StoredFinding.version_id)
    if wanted.platform is not None:
        query = query.join(
            WatchedDocument, WatchedDocument.id == Version.document_id
        ).where(WatchedDocument.platform_id == wanted.platform)
    if wanted.latest:
        latest = latest_by_kind()
        query = query.join(latest, latest.c.id == StoredFinding.version_id)
    return query


#: high first, then medium, then low (any other word last)
_SEVERITY_RANK = case(
    {severity: rank for rank, severity in enumerate(SEVERITIES)},
    value=StoredFinding.severity,
    else_=len(SEVERITIES),
)


def _newest_first() -> tuple[Any, ...]:
    """Versions by date, newest first; a version's findings by severity, then
    in its audit's order."""
    return (
        Version.fetched_at.desc(),
        Version.id.desc(),
        _SEVERITY_RANK,
        StoredFinding.id,
    )


def finding_page(
    store: Store, wanted: FindingFilter, page: int, size: int = PAGE_SIZE
) -> FindingPage:
    """One page of findings across the store: the versions by date, newest
    first (each document's latest only unless ``wanted.latest`` is false), a
    version's findings by severity, high first, then in its audit's order.

    The page's ids are picked first (joined only to the versions, and as far as
    a filter needs), so sorting and skipping earlier pages handle narrow rows;
    then those ids are read with their version and platform."""
    with store.session() as session:
        total = session.scalar(
            _filtered(select(func.count(StoredFinding.id)), wanted, versions=False)
        )
        pages = max(1, -(-(total or 0) // size))
        page = min(max(1, page), pages)
        picked = (
            _filtered(select(StoredFinding.id), wanted, versions=True)
            .order_by(*_newest_first())
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
            .order_by(*_newest_first())
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
