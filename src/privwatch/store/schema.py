"""The store's tables (SQLAlchemy 2). Changes go through an Alembic migration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
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
    """One document of a platform that is fetched on a schedule."""

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
    """A fetched text that differed from the one before; never changed once stored.

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
