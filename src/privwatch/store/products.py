"""Products watched over time (``products watch``): listing sources, runs,
what each run read from each source, the listings seen and the matches.

A match is **relisted** when the same listing (by its key, on the same source)
matched the same hazard record in an earlier run, then was gone in a run after
that one (the page answered 404/410 or showed no product, or the source was
read and the listing was not in it), and is matched again now. A source that
could not be read (a timeout, a 500) says nothing: it is neither gone nor seen.

What leaves this module are frozen copies (``SourceRecord``, ``RunRecord``,
``MatchRecord``), never ORM rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, func, select

from privwatch.errors import PrivwatchError
from privwatch.store import Store
from privwatch.store.schema import (
    Platform,
    ProductFetch,
    ProductListing,
    ProductMatch,
    ProductRun,
    ProductSource,
)

STATUSES = ("read", "gone", "failed")


@dataclass(frozen=True)
class SourceRecord:
    id: int
    platform: str
    foreign: bool
    country: str | None
    source: str
    render: bool
    created_at: datetime


@dataclass(frozen=True)
class FetchOutcome:
    """What a run read from one source, to be stored."""

    source_id: int
    status: str  # read, gone, failed
    sha256: str = ""
    error: str = ""
    listings: tuple[tuple[str, str, dict[str, Any]], ...] = ()  # key, title, data


@dataclass(frozen=True)
class NewMatch:
    source_id: int
    listing_key: str
    hazard_source: str
    hazard_record_id: str
    hazard_date: str
    method: str
    score: float
    certainty: str
    data: dict[str, Any]


@dataclass(frozen=True)
class MatchRecord:
    id: int
    run_id: int
    source_id: int
    platform: str
    foreign: bool
    listing_key: str
    title: str
    url: str
    hazard_source: str
    hazard_record_id: str
    hazard_date: str
    method: str
    score: float
    certainty: str
    relisted: bool
    seen_at: datetime
    data: dict[str, Any] = field(compare=False, repr=False)


@dataclass(frozen=True)
class RunRecord:
    id: int
    started_at: datetime
    finished_at: datetime
    inputs: dict[str, Any]
    counts: dict[str, Any]
    matches: tuple[MatchRecord, ...] = ()

    @property
    def relisted(self) -> tuple[MatchRecord, ...]:
        return tuple(m for m in self.matches if m.relisted)


def _naive(when: datetime) -> datetime:
    if when.tzinfo is not None:
        return when.astimezone(UTC).replace(tzinfo=None)
    return when


def add_source(
    store: Store, platform: str, source: str, *, render: bool = False
) -> SourceRecord:
    """Watch ``source`` for ``platform`` (which must be stored); the same
    source again is the one stored, its ``render`` updated."""
    with store.session() as session:
        owner = session.scalar(select(Platform).where(Platform.name == platform))
        if owner is None:
            raise PrivwatchError("store.no_platform", name=platform)
        row = session.scalar(
            select(ProductSource).where(
                ProductSource.platform_id == owner.id, ProductSource.source == source
            )
        )
        if row is None:
            row = ProductSource(
                platform_id=owner.id,
                source=source[:2000],
                render=render,
                created_at=_naive(datetime.now(UTC)),
            )
            session.add(row)
        else:
            row.render = render
        session.flush()
        return _source(row, owner)


def _source(row: ProductSource, owner: Platform) -> SourceRecord:
    return SourceRecord(
        row.id,
        owner.name,
        owner.foreign,
        owner.country,
        row.source,
        row.render,
        row.created_at,
    )


def sources(store: Store, platform: str | None = None) -> list[SourceRecord]:
    """Watched sources, by platform name then source."""
    with store.session() as session:
        query = select(ProductSource, Platform).join(
            Platform, ProductSource.platform_id == Platform.id
        )
        if platform is not None:
            query = query.where(Platform.name == platform)
        rows = session.execute(query.order_by(Platform.name, ProductSource.source))
        return [_source(row, owner) for row, owner in rows]


def _was_gone(session: Any, source_id: int, key: str, after: int, before: int) -> bool:
    """Did a run strictly between ``after`` and ``before`` find the listing
    gone from its source?"""
    listed = exists().where(
        ProductListing.run_id == ProductFetch.run_id,
        ProductListing.source_id == source_id,
        ProductListing.key == key,
    )
    query = select(ProductFetch.id).where(
        ProductFetch.source_id == source_id,
        ProductFetch.run_id > after,
        ProductFetch.run_id < before,
        (ProductFetch.status == "gone") | and_(ProductFetch.status == "read", ~listed),
    )
    return session.scalar(query.limit(1)) is not None


def record_run(
    store: Store,
    *,
    started_at: datetime,
    finished_at: datetime,
    inputs: dict[str, Any],
    counts: dict[str, Any],
    fetches: Sequence[FetchOutcome],
    matches: Sequence[NewMatch],
) -> RunRecord:
    """Store one run in one transaction; each match marked ``relisted`` when
    the module's rule says so."""
    with store.session() as session:
        run = ProductRun(
            started_at=_naive(started_at),
            finished_at=_naive(finished_at),
            inputs=inputs,
            counts=counts,
        )
        session.add(run)
        session.flush()
        for fetch in fetches:
            session.add(
                ProductFetch(
                    run_id=run.id,
                    source_id=fetch.source_id,
                    status=fetch.status,
                    sha256=fetch.sha256,
                    error=fetch.error or None,
                )
            )
            for key, title, data in fetch.listings:
                session.add(
                    ProductListing(
                        run_id=run.id,
                        source_id=fetch.source_id,
                        key=key[:2000],
                        title=title,
                        data=data,
                    )
                )
        session.flush()
        for m in matches:
            before = session.scalar(
                select(func.max(ProductMatch.run_id)).where(
                    ProductMatch.source_id == m.source_id,
                    ProductMatch.listing_key == m.listing_key[:2000],
                    ProductMatch.hazard_source == m.hazard_source,
                    ProductMatch.hazard_record_id == m.hazard_record_id,
                    ProductMatch.run_id < run.id,
                )
            )
            relisted = before is not None and _was_gone(
                session, m.source_id, m.listing_key[:2000], before, run.id
            )
            session.add(
                ProductMatch(
                    run_id=run.id,
                    source_id=m.source_id,
                    listing_key=m.listing_key[:2000],
                    hazard_source=m.hazard_source[:100],
                    hazard_record_id=m.hazard_record_id[:200],
                    hazard_date=m.hazard_date[:20],
                    method=m.method,
                    score=m.score,
                    certainty=m.certainty,
                    relisted=relisted,
                    data=m.data,
                )
            )
        session.flush()
        found = _matches(session, ProductMatch.run_id == run.id)
        return RunRecord(
            run.id, run.started_at, run.finished_at, inputs, counts, tuple(found)
        )


def _matches(session: Any, *where: Any) -> list[MatchRecord]:
    query = (
        select(ProductMatch, ProductSource, Platform, ProductRun.started_at)
        .join(ProductSource, ProductMatch.source_id == ProductSource.id)
        .join(Platform, ProductSource.platform_id == Platform.id)
        .join(ProductRun, ProductMatch.run_id == ProductRun.id)
        .where(*where)
        .order_by(ProductMatch.run_id, ProductMatch.id)
    )
    out = []
    for m, _, owner, seen in session.execute(query):
        listing = m.data.get("listing", {})
        out.append(
            MatchRecord(
                m.id,
                m.run_id,
                m.source_id,
                owner.name,
                owner.foreign,
                m.listing_key,
                listing.get("title", ""),
                listing.get("url", ""),
                m.hazard_source,
                m.hazard_record_id,
                m.hazard_date,
                m.method,
                m.score,
                m.certainty,
                m.relisted,
                seen,
                m.data,
            )
        )
    return out


def matches(
    store: Store, *, platform: str | None = None, run_id: int | None = None
) -> list[MatchRecord]:
    """Stored matches, oldest run first."""
    where = []
    if platform is not None:
        where.append(Platform.name == platform)
    if run_id is not None:
        where.append(ProductMatch.run_id == run_id)
    with store.session() as session:
        return _matches(session, *where)


def runs(store: Store) -> list[RunRecord]:
    """Every run, oldest first (without their matches)."""
    with store.session() as session:
        return [
            RunRecord(r.id, r.started_at, r.finished_at, r.inputs, r.counts)
            for r in session.scalars(select(ProductRun).order_by(ProductRun.id))
        ]


@dataclass(frozen=True)
class Listed:
    """One (listing, hazard record) pair ever matched on a platform, for the
    per-platform views: when first and last matched, whether relisted, and
    whether the latest read of its source still lists it."""

    platform: str
    foreign: bool
    country: str | None
    hazard_source: str
    hazard_record_id: str
    hazard_date: str
    title: str
    url: str
    certainty: str
    first_seen: datetime
    last_seen: datetime
    relisted: bool
    listed_now: bool


def listed_by_platform(store: Store) -> list[Listed]:
    """Every pair matched, by platform, hazard list and record."""
    with store.session() as session:
        found = _matches(session)
        latest: dict[int, tuple[int, str]] = {}
        reads = select(ProductFetch).where(ProductFetch.status != "failed")
        for fetch in session.scalars(reads.order_by(ProductFetch.run_id)):
            latest[fetch.source_id] = (fetch.run_id, fetch.status)  # failed: unknown
        seen_latest: set[tuple[int, str]] = set()
        for source_id, (run_id, status) in latest.items():
            if status != "read":
                continue
            keys = session.scalars(
                select(ProductListing.key).where(
                    ProductListing.run_id == run_id,
                    ProductListing.source_id == source_id,
                )
            )
            seen_latest.update((source_id, k) for k in keys)
        countries = {p.name: p.country for p in session.scalars(select(Platform))}
    pairs: dict[tuple[int, str, str, str], list[MatchRecord]] = {}
    for m in found:
        key = (m.source_id, m.listing_key, m.hazard_source, m.hazard_record_id)
        pairs.setdefault(key, []).append(m)
    out = []
    for (source_id, listing_key, _, _), group in pairs.items():
        last = group[-1]
        out.append(
            Listed(
                platform=last.platform,
                foreign=last.foreign,
                country=countries.get(last.platform),
                hazard_source=last.hazard_source,
                hazard_record_id=last.hazard_record_id,
                hazard_date=last.hazard_date,
                title=last.title,
                url=last.url,
                certainty=last.certainty,
                first_seen=group[0].seen_at,
                last_seen=last.seen_at,
                relisted=any(m.relisted for m in group),
                listed_now=(source_id, listing_key) in seen_latest,
            )
        )
    out.sort(key=lambda x: (x.platform, x.hazard_source, x.hazard_date, x.title))
    return out
