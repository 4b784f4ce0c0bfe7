"""The store's tables (SQLAlchemy 2). Changes go through an Alembic migration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON}


class Platform(Base):
    """An audited platform: who runs it and whether it is foreign to Korea."""

    __tablename__ = "platforms"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str | None] = mapped_column(String(2))
    foreign: Mapped[bool] = mapped_column(default=False)
    category: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    documents: Mapped[list[WatchedDocument]] = relationship(back_populates="platform")


class WatchedDocument(Base):
    """One document of a platform that is fetched on a schedule. One per
    (platform, kind) unless a second is asked for: ``Store.add_document``
    enforces it (no unique key: stores from before keep their duplicates)."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("platform_id", "kind", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(20))  # privacy, terms, trackers
    url: Mapped[str] = mapped_column(String(2000))
    selector: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="new")  # new, ok, failing
    last_error: Mapped[str | None] = mapped_column(Text)
    last_checked_at: Mapped[datetime | None]
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    render: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Fetch through a headless browser (pages that need JavaScript)."""
    platform: Mapped[Platform] = relationship(back_populates="documents")
    versions: Mapped[list[Version]] = relationship(
        back_populates="document", order_by="Version.number"
    )


class Version(Base):
    """A fetched text that differed from the one before; its text never changes
    once stored (its audit's findings are evaluated again, from its stored
    facts, when the platform's record changes: ``store/reevaluate.py``).

    ``number`` counts a document's versions from 1 and ``(document_id, number)``
    is unique: two watchers storing the next version at once cannot both succeed,
    and a text that comes back after a change (A, B, A) is a version again."""

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number"),
        Index("versions_by_time", "document_id", "fetched_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    fetched_at: Mapped[datetime]
    url: Mapped[str] = mapped_column(String(2000))
    http_status: Mapped[int | None]
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    raw_sha256: Mapped[str] = mapped_column(String(64))
    text_sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    document_json: Mapped[dict[str, Any]]
    audit_json: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    document: Mapped[WatchedDocument] = relationship(back_populates="versions")


class Alert(Base):
    """Where to send word of a change: ``channel`` webhook or mail, ``trigger``
    change, findings or high; ``settings`` holds the URL or the mail settings
    (never a password: only the name of the variable that holds it)."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    trigger: Mapped[str] = mapped_column(String(20))
    settings: Mapped[dict[str, Any]]


class User(Base):
    """A dashboard user: ``role`` viewer or editor; only a password hash is kept."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]


class LoginSession(Base):
    """A signed-in browser: the cookie holds a random token, the store only its
    sha256, with the session's CSRF token and expiry."""

    __tablename__ = "sessions"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    user: Mapped[User] = relationship()


class Evaluation(Base):
    """A platform's policy scored after PIPC's evaluation (appropriateness,
    readability, accessibility); ``result`` is the evaluation's JSON."""

    __tablename__ = "evaluations"
    __table_args__ = (Index("evaluations_by_platform", "platform_id", "evaluated_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE")
    )
    evaluated_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(2000))
    result: Mapped[dict[str, Any]]


class StoredFinding(Base):
    """One finding of a version's audit, as a row (the audit JSON holds it in
    full): for listing and counting findings across the store."""

    __tablename__ = "findings"
    __table_args__ = (
        Index("findings_by_version", "version_id"),
        Index("findings_by_severity", "severity", "rule"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE")
    )
    rule: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(10))
    law: Mapped[str] = mapped_column(String(50))
    article: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    """Empty since revision 0005: the English title of an older row."""
    params: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    """The finding's template parameters (None in rows older than 0005)."""
    quote: Mapped[str | None] = mapped_column(Text)
    """The first quoted words, if the finding quotes the text."""
    start: Mapped[int | None]
    certainty: Mapped[str] = mapped_column(
        String(10), default="certain", server_default="certain"
    )
    """``certain``, or ``review`` when the text cannot settle the finding."""
    version: Mapped[Version] = relationship()


class Scan(Base):
    """A traffic scan of a platform (``privwatch.scan/2`` JSON in ``result``)."""

    __tablename__ = "scans"
    __table_args__ = (Index("scans_by_platform", "platform_id", "scanned_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE")
    )
    scanned_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(2000))
    har_sha256: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]]


class Failure(Base):
    """A batch item (``document`` or ``traffic``) that failed, with its error;
    removed when the item succeeds."""

    __tablename__ = "failures"
    __table_args__ = (Index("failures_by_source", "platform_id", "source"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE")
    )
    item: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(2000))
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime]
    platform: Mapped[Platform] = relationship()


class ProductSource(Base):
    """A listing source watched for a platform (``products watch add``): a
    product page's address, a search page, an export file."""

    __tablename__ = "product_sources"
    __table_args__ = (UniqueConstraint("platform_id", "source"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE")
    )
    source: Mapped[str] = mapped_column(String(2000))
    render: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime]
    platform: Mapped[Platform] = relationship()


class ProductRun(Base):
    """One ``products watch run``: the hazard lists it matched against
    (``inputs``: path, SHA-256, mapping, records) and its counts."""

    __tablename__ = "product_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    inputs: Mapped[dict[str, Any]]
    counts: Mapped[dict[str, Any]]


class ProductFetch(Base):
    """What one run read from one source: ``read`` (its listings are in
    ``product_listings``), ``gone`` (the page answered 404/410 or shows no
    product: taken down) or ``failed`` (anything else: nothing concluded)."""

    __tablename__ = "product_fetches"
    __table_args__ = (Index("product_fetches_by_source", "source_id", "run_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("product_runs.id", ondelete="CASCADE")
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("product_sources.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(10))
    sha256: Mapped[str] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)


class ProductListing(Base):
    """A listing seen by a run (``data``: the listing as read, in full)."""

    __tablename__ = "product_listings"
    __table_args__ = (Index("product_listings_by_key", "source_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("product_runs.id", ondelete="CASCADE")
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("product_sources.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]]


class ProductMatch(Base):
    """A match a run found (``data``: the match as ``privwatch.products/1``
    gives it); ``relisted``: matched before, then gone, and listed again."""

    __tablename__ = "product_matches"
    __table_args__ = (
        Index(
            "product_matches_by_pair",
            "source_id",
            "listing_key",
            "hazard_source",
            "hazard_record_id",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("product_runs.id", ondelete="CASCADE")
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("product_sources.id", ondelete="CASCADE")
    )
    listing_key: Mapped[str] = mapped_column(String(2000))
    hazard_source: Mapped[str] = mapped_column(String(100))
    hazard_record_id: Mapped[str] = mapped_column(String(200))
    hazard_date: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float)
    certainty: Mapped[str] = mapped_column(String(10))
    relisted: Mapped[bool] = mapped_column(default=False, server_default=false())
    data: Mapped[dict[str, Any]]
