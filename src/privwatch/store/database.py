"""The store itself (``privwatch.store.Store``) and its SQLAlchemy engine."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict, Unpack

from sqlalchemy import Engine, create_engine, delete, event, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, joinedload, sessionmaker
from sqlalchemy.pool import NullPool

from privwatch import fields as valid
from privwatch.errors import PrivwatchError, Tally
from privwatch.store import migrate
from privwatch.store import schema as orm
from privwatch.store.objects import (
    Alert,
    Failure,
    Platform,
    Scan,
    StoredFinding,
    Version,
    WatchedDocument,
)
from privwatch.store.records import AuditRecord
from privwatch.store.reevaluate import finding_rows, reevaluate_platform

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


def default_url() -> str:
    """``PRIVWATCH_DB``, else a SQLite file in the user's data directory."""
    if os.environ.get("PRIVWATCH_DB"):
        return os.environ["PRIVWATCH_DB"]
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("privwatch"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'privwatch.db'}"


def database_url(given: str) -> str:
    """A store's URL: a plain path is a SQLite file; only SQLite and PostgreSQL
    are supported."""
    if "://" not in given:
        return f"sqlite:///{Path(given).expanduser().resolve()}"
    scheme, rest = given.split("://", 1)
    base = scheme.split("+", 1)[0].lower()
    if scheme.lower() not in _SCHEMES:
        shown = base if base not in ("sqlite", "postgresql") else scheme
        raise PrivwatchError("store.unsupported", url=shown_url(given), scheme=shown)
    if base == "sqlite" and rest.split("?", 1)[0] in ("", "/", "/:memory:"):
        # in memory: every connection would see an empty store, and nothing kept
        raise PrivwatchError("store.no_file", url=shown_url(given))
    return given


#: the URL schemes a store opens (the drivers the package installs)
_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg")


def _engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        # no pool: opening a file costs nothing, and none is left open behind it
        engine = create_engine(url, poolclass=NullPool)
    else:
        # a few kept connections: connecting to a server costs ~5 ms, and a
        # watch cycle makes several calls per document; close() lets them go
        engine = create_engine(url, pool_size=2, max_overflow=4, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    return engine


#: a document of ``Store.add_target``: kind, url, selector, language, render,
#: another (None: as stored)
DocumentItem = tuple[str, str, str | None, str | None, bool | None, bool]


class DocumentFields(TypedDict, total=False):
    """What ``Store.update_document`` may set of a watched document."""

    status: str
    last_error: str | None
    last_checked_at: datetime | None
    etag: str | None
    last_modified: str | None


def upgrade(url: str) -> None:
    """Bring the store at ``url`` to the package's schema (``privwatch db
    upgrade``); a new store is created."""
    url = database_url(url)
    try:
        engine = _engine(url)
    except ValueError as exc:  # not a database URL
        raise PrivwatchError(
            "store.unreachable", url=shown_url(url), reason=str(exc)
        ) from None
    try:
        migrate.upgrade(engine)
    except OperationalError as exc:
        raise _unreachable(url, exc) from None
    finally:
        engine.dispose()


def _unreachable(url: str, exc: OperationalError) -> PrivwatchError:
    reason = " ".join(str(getattr(exc, "orig", exc)).split())[:300]
    return PrivwatchError("store.unreachable", url=shown_url(url), reason=reason)


@dataclass(frozen=True)
class NewVersion:
    """What one fetch produced, to store when its text is new."""

    fetched_at: datetime
    url: str
    http_status: int | None
    headers: Mapping[str, str]
    raw_sha256: str
    text_sha256: str
    text: str
    document_json: dict[str, Any]
    audit: AuditRecord | None = None


class Store:
    """A database of platforms, watched documents and versions."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url or default_url())
        try:
            self.engine = _engine(self.url)
        except ValueError as exc:  # not a database URL
            raise PrivwatchError(
                "store.unreachable", url=shown_url(self.url), reason=str(exc)
            ) from None
        try:
            if migrate.behind(self.engine):
                migrate.upgrade(self.engine)
        except OperationalError as exc:
            self.engine.dispose()
            raise _unreachable(self.url, exc) from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    def add_platform(
        self,
        name: str,
        *,
        country: str | None = None,
        foreign: bool | None = None,
        category: str | None = None,
    ) -> Platform:
        """The platform ``name``, added, or with the fields given set: a field
        left None keeps its stored value (a new platform is domestic, with no
        country). When ``foreign`` or ``country`` changes, the stored audits of
        the platform's documents are evaluated again (``store/reevaluate.py``),
        in the same transaction."""
        with self.session() as session:
            found = _put_platform(session, name, country, foreign, category)
            session.flush()
            return Platform.of(found)

    def add_platforms(
        self, platforms: Iterable[tuple[str, str | None, bool | None, str | None]]
    ) -> None:
        """``add_platform`` for each ``(name, country, foreign, category)``, in
        one transaction (a batch's plan: one commit, not one per platform)."""
        with self.session() as session:
            for name, country, foreign, category in platforms:
                _put_platform(session, name, country, foreign, category)
                session.flush()

    def add_document(
        self,
        platform: str,
        kind: str,
        url: str,
        *,
        selector: str | None = None,
        language: str | None = None,
        render: bool | None = None,
        another: bool = False,
    ) -> WatchedDocument:
        """The platform's ``kind`` document at ``url``: found, or added when the
        platform has no document of that kind (or ``another`` asks for a
        second). A platform has one document per kind unless asked otherwise:
        when it has one at another address, an imported history (a file
        address) takes ``url`` as its address and keeps its versions; a web
        address is refused (``store.document_exists``, naming it). Selector,
        language and render left None keep their stored values."""
        with self.session() as session:
            item = (platform, kind, url, selector, language, render, another)
            return _put_documents(session, [item])[0]

    def add_target(
        self,
        platform: str,
        documents: Sequence[DocumentItem],
        *,
        country: str | None = None,
        foreign: bool | None = None,
        category: str | None = None,
    ) -> list[WatchedDocument]:
        """``add_platform`` and ``add_document`` for each ``(kind, url,
        selector, language, render, another)``, in one transaction: a document
        refused leaves the platform as it was."""
        with self.session() as session:
            _put_platform(session, platform, country, foreign, category)
            session.flush()
            return _put_documents(session, [(platform, *item) for item in documents])

    def add_documents(
        self, documents: Sequence[tuple[str, str, str]]
    ) -> list[WatchedDocument]:
        """``add_document(platform, kind, url, another=True)`` for each item, in
        order, in one transaction (a batch's plan: one commit, not one per
        document; a batch manifest lists each document it means)."""
        with self.session() as session:
            items = [(*document, None, None, None, True) for document in documents]
            return _put_documents(session, items)

    def attach_document(
        self, document_id: int, *, url: str | None = None
    ) -> WatchedDocument:
        """The watched document ``document_id`` (``store.no_document`` when
        there is none), its address set to ``url`` when given."""
        with self.session() as session:
            found = session.get(orm.WatchedDocument, document_id)
            if found is None:
                raise PrivwatchError("store.no_document", id=document_id)
            if url is not None and url != found.url:
                _check_free(session, found.platform_id, found.kind, url, found.id)
                found.url = url
            session.flush()
            return WatchedDocument.of(found)

    def reevaluate(self, platform: str | None = None) -> int:
        """Evaluate every stored audit of ``platform`` (every platform when
        None) again from its facts, with today's packs and the platform's
        record (``store/reevaluate.py``); one transaction per platform.
        Returns the versions whose findings changed."""
        with self.session() as session:
            query = select(orm.Platform.id, orm.Platform.foreign)
            if platform is not None:
                query = query.where(orm.Platform.name == platform)
            found = list(session.execute(query.order_by(orm.Platform.id)))
        if platform is not None and not found:
            raise PrivwatchError("store.no_platform", name=platform)
        changed = 0
        with Tally(len(found), "reevaluated", rerun="all") as tally:
            for platform_id, foreign in found:
                tally.start()
                with self.session() as session:
                    changed += reevaluate_platform(session, platform_id, bool(foreign))
                tally.add("reevaluated")
        return changed

    def duplicate_documents(self) -> list[tuple[str, str, list[WatchedDocument]]]:
        """``(platform, kind, documents)`` for each platform with more than one
        document of a kind (stores from before one document per kind was the
        rule, or seconds asked for): reported, never merged or deleted."""
        groups: dict[tuple[str, str], list[WatchedDocument]] = {}
        for document in self.documents():
            groups.setdefault((document.platform.name, document.kind), []).append(
                document
            )
        return [
            (platform, kind, documents)
            for (platform, kind), documents in groups.items()
            if len(documents) > 1
        ]

    def update_document(
        self, document_id: int, **fields: Unpack[DocumentFields]
    ) -> None:
        """Set a watched document's status, last error, validators (those not
        given are kept)."""
        with self.session() as session:
            found = session.get(orm.WatchedDocument, document_id)
            if found is not None:
                for name, value in fields.items():
                    setattr(found, name, value)

    def platforms(self) -> list[Platform]:
        with self.session() as session:
            rows = session.scalars(select(orm.Platform).order_by(orm.Platform.name))
            return [Platform.of(row) for row in rows]

    def documents(self, platform: str | None = None) -> list[WatchedDocument]:
        query = (
            select(orm.WatchedDocument)
            .join(orm.Platform)
            .options(joinedload(orm.WatchedDocument.platform))
            .order_by(orm.Platform.name, orm.WatchedDocument.id)
        )
        if platform is not None:
            query = query.where(orm.Platform.name == platform)
        with self.session() as session:
            return [WatchedDocument.of(row) for row in session.scalars(query)]

    def remove_platform(self, name: str) -> bool:
        """Remove a platform with its documents, versions, findings, scans and
        evaluations (the database cascades)."""
        with self.session() as session:
            removed = session.execute(
                delete(orm.Platform).where(orm.Platform.name == name)
            )
            return bool(getattr(removed, "rowcount", 0))

    def set_alerts(self, alerts: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Replace the stored alerts with ``(channel, trigger, settings)`` rows."""
        with self.session() as session:
            session.execute(delete(orm.Alert))
            session.add_all(
                orm.Alert(channel=channel, trigger=trigger, settings=settings)
                for channel, trigger, settings in alerts
            )

    def alerts(self) -> list[Alert]:
        with self.session() as session:
            rows = session.scalars(select(orm.Alert).order_by(orm.Alert.id))
            return [Alert.of(row) for row in rows]

    def record_version(self, document_id: int, new: NewVersion) -> tuple[Version, bool]:
        """Store ``new`` as the document's next version unless its text is the
        latest version's, or the version current at ``new.fetched_at`` has it
        (an import run twice). Returns the stored or existing version and whether
        it is new. Of two writers racing for one number, the loser looks again."""
        for _ in range(_RACE_ATTEMPTS):
            with self.session() as session:
                latest = self._latest(session, document_id)
                current = session.scalar(
                    select(orm.Version)
                    .where(
                        orm.Version.document_id == document_id,
                        orm.Version.fetched_at <= new.fetched_at,
                    )
                    .order_by(orm.Version.fetched_at.desc(), orm.Version.number.desc())
                    .limit(1)
                )
                for same in (latest, current):
                    if same is not None and same.text_sha256 == new.text_sha256:
                        return Version.of(same), False
                last = session.scalar(
                    select(func.max(orm.Version.number)).where(
                        orm.Version.document_id == document_id
                    )
                )
            row = orm.Version(
                document_id=document_id,
                number=(last or 0) + 1,
                fetched_at=new.fetched_at,
                url=new.url,
                http_status=new.http_status,
                headers=dict(new.headers),
                raw_sha256=new.raw_sha256,
                text_sha256=new.text_sha256,
                text=new.text,
                document_json=new.document_json,
                audit_json=None if new.audit is None else new.audit.to_dict(),
            )
            try:
                with self.session() as session:
                    session.add(row)
                    session.flush()
                    session.add_all(finding_rows(row.id, new.audit))
                return Version.of(row), True
            except IntegrityError:
                with self.session() as session:
                    if session.get(orm.WatchedDocument, document_id) is None:
                        raise
        raise PrivwatchError("store.contended", document=document_id)

    def findings(self, version_id: int) -> list[StoredFinding]:
        with self.session() as session:
            rows = session.scalars(
                select(orm.StoredFinding)
                .where(orm.StoredFinding.version_id == version_id)
                .order_by(orm.StoredFinding.id)
            )
            return [StoredFinding.of(row) for row in rows]

    def add_scan(
        self, platform: str, source: str, har_sha256: str, result: dict[str, Any]
    ) -> Scan:
        """Keep a traffic scan's JSON (``privwatch.scan/2``) for a platform."""
        with self.session() as session:
            row = orm.Scan(
                platform_id=_platform_id(session, platform),
                scanned_at=_now(),
                source=source,
                har_sha256=har_sha256,
                result=result,
            )
            session.add(row)
            session.flush()
            return Scan.of(row)

    def add_scans(
        self, platform: str, scans: list[tuple[str, str, dict[str, Any]]]
    ) -> None:
        """Keep several scans (source, HAR sha256, JSON) of a platform in one
        transaction: a recording's consent runs are stored all or none."""
        with self.session() as session:
            owner = _platform_id(session, platform)
            when = _now()
            session.add_all(
                orm.Scan(
                    platform_id=owner,
                    scanned_at=when,
                    source=source,
                    har_sha256=digest,
                    result=result,
                )
                for source, digest, result in scans
            )

    def scans(self, platform: str) -> list[Scan]:
        """A platform's scans, oldest first."""
        with self.session() as session:
            rows = session.scalars(
                select(orm.Scan)
                .where(orm.Scan.platform_id == _platform_id(session, platform))
                .order_by(orm.Scan.scanned_at, orm.Scan.id)
            )
            return [Scan.of(row) for row in rows]

    def raw_hashes(self, document_ids: list[int]) -> set[tuple[int, str]]:
        """``(document id, raw sha256)`` of every version of these documents."""
        with self.session() as session:
            rows = session.execute(
                select(orm.Version.document_id, orm.Version.raw_sha256).where(
                    orm.Version.document_id.in_(document_ids)
                )
            )
            return {(row[0], row[1]) for row in rows}

    def record_failure(self, platform: str, item: str, source: str, error: str) -> None:
        """Note that a batch item failed (replacing its earlier failure)."""
        with self.session() as session:
            owner = _platform_id(session, platform)
            session.execute(
                delete(orm.Failure).where(
                    orm.Failure.platform_id == owner, orm.Failure.source == source
                )
            )
            session.add(
                orm.Failure(
                    platform_id=owner,
                    item=item,
                    source=source,
                    error=error,
                    failed_at=_now(),
                )
            )

    def clear_failure(self, platform: str, source: str) -> None:
        """Forget a batch item's failure (a read when there is none, so that
        workers sharing a SQLite file do not queue for its write lock)."""
        with self.session() as session:
            owner = _platform_id(session, platform)
            failed = (orm.Failure.platform_id == owner, orm.Failure.source == source)
            if session.scalar(select(orm.Failure.id).where(*failed).limit(1)):
                session.execute(delete(orm.Failure).where(*failed))

    def failures(self) -> list[Failure]:
        with self.session() as session:
            rows = session.scalars(
                select(orm.Failure)
                .options(joinedload(orm.Failure.platform))
                .order_by(orm.Failure.id)
            )
            return [Failure.of(row) for row in rows]

    def versions(self, document_id: int) -> list[Version]:
        """A document's versions, oldest first."""
        with self.session() as session:
            rows = session.scalars(
                select(orm.Version)
                .where(orm.Version.document_id == document_id)
                .order_by(orm.Version.number)
            )
            return [Version.of(row) for row in rows]

    def latest(self, document_id: int) -> Version | None:
        with self.session() as session:
            found = self._latest(session, document_id)
            return None if found is None else Version.of(found)

    @staticmethod
    def _latest(session: Session, document_id: int) -> orm.Version | None:
        """The document's newest version by fetch time (then number): a
        history imported into a document already watched is numbered after its
        live versions but is not newer than them."""
        return session.scalar(
            select(orm.Version)
            .where(orm.Version.document_id == document_id)
            .order_by(orm.Version.fetched_at.desc(), orm.Version.number.desc())
            .limit(1)
        )


def _put_platform(
    session: Session,
    name: str,
    country: str | None,
    foreign: bool | None,
    category: str | None,
) -> orm.Platform:
    """The platform ``name``, added or with the fields given (not None) set
    (checked by ``privwatch.fields``); its stored audits evaluated again when
    its foreign flag or country changed."""
    found = session.scalar(select(orm.Platform).where(orm.Platform.name == name))
    country, category = valid.country(country), valid.category(category)
    if found is None:
        valid.name(name)  # one stored before names were checked stays usable
        found = orm.Platform(
            name=name,
            country=country,
            foreign=bool(foreign),
            category=category,
            created_at=_now(),
        )
        session.add(found)
        return found
    before = (found.country, bool(found.foreign))
    if country is not None:
        found.country = country
    if foreign is not None:
        found.foreign = foreign
    if category is not None:
        found.category = category
    if (found.country, bool(found.foreign)) != before:
        session.flush()
        reevaluate_platform(session, found.id, bool(found.foreign))
    return found


def _put_documents(
    session: Session,
    items: Sequence[tuple[str, *DocumentItem]],
) -> list[WatchedDocument]:
    """Each ``(platform, kind, url, selector, language, render, another)``
    watched (see ``Store.add_document``), in the order given."""
    names = {item[0] for item in items}
    owners = {
        row.name: row
        for row in session.scalars(
            select(orm.Platform).where(orm.Platform.name.in_(names))
        )
    }
    known: dict[tuple[int, str], list[orm.WatchedDocument]] = {}
    for row in session.scalars(
        select(orm.WatchedDocument)
        .where(orm.WatchedDocument.platform_id.in_([o.id for o in owners.values()]))
        .order_by(orm.WatchedDocument.id)
    ):
        known.setdefault((row.platform_id, row.kind), []).append(row)
    rows = []
    for platform, kind, url, selector, language, render, another in items:
        kind, url = valid.kind(kind), valid.source(url)
        selector, language = valid.selector(selector), valid.language(language)
        owner = owners.get(platform)
        if owner is None:
            raise PrivwatchError("store.no_platform", name=platform)
        same = known.setdefault((owner.id, kind), [])
        found = next((row for row in same if row.url == url), None)
        if found is None and same and not another:
            found = _attached(platform, same, url)
        if found is None:
            found = orm.WatchedDocument(
                platform=owner, kind=kind, url=url, status="new", render=False
            )
            session.add(found)
            same.append(found)
        for name, value in (
            ("selector", selector),
            ("language", language),
            ("render", render),
        ):
            if value is not None:
                setattr(found, name, value)
        rows.append(found)
    session.flush()
    return [WatchedDocument.of(row) for row in rows]


def _attached(
    platform: str, same: list[orm.WatchedDocument], url: str
) -> orm.WatchedDocument:
    """The platform's one document of the kind, given ``url`` when it is an
    imported history; refused when it is watched at another web address."""
    first = same[0]
    if len(same) == 1 and not first.url.startswith(("http://", "https://")):
        first.url = url
        return first
    raise PrivwatchError(
        "store.document_exists",
        platform=platform,
        kind=first.kind,
        id=first.id,
        url=first.url,
    )


def _check_free(
    session: Session, platform_id: int, kind: str, url: str, document_id: int
) -> None:
    """Refuse giving a document the address another of the same platform and
    kind has (the table's unique key)."""
    taken = session.scalar(
        select(orm.WatchedDocument.id).where(
            orm.WatchedDocument.platform_id == platform_id,
            orm.WatchedDocument.kind == kind,
            orm.WatchedDocument.url == url,
            orm.WatchedDocument.id != document_id,
        )
    )
    if taken is not None:
        platform = session.get(orm.Platform, platform_id)
        raise PrivwatchError(
            "store.document_exists",
            platform=platform.name if platform else "",
            kind=kind,
            id=taken,
            url=url,
        )


def _platform_id(session: Session, name: str) -> int:
    found = session.scalar(select(orm.Platform.id).where(orm.Platform.name == name))
    if found is None:
        raise PrivwatchError("store.no_platform", name=name)
    return found


#: a writer that keeps losing the race for the next version number gives up
_RACE_ATTEMPTS = 20


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def shown_url(url: str) -> str:
    """A database URL without its password, for messages."""
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, _, credentials = head.partition("://")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{tail}"
