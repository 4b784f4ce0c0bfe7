"""Watch platforms' documents: load targets, fetch on a schedule, store new versions.

One cycle (``run_once``) fetches every watched document (conditional GET with its
ETag / Last-Modified, retries with backoff, a politeness delay per host), and
stores a version only when the normalised text changed, with its audit. A failing
document is marked failing with its last error and the cycle goes on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from privwatch.errors import InputError, PrivwatchError
from privwatch.ingest.source import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    RawSource,
    fetch_url,
    read_source,
)
from privwatch.models import Document
from privwatch.pipeline import audit_document, document_from_raw
from privwatch.report.json import audit_to_dict
from privwatch.rules import load_pack
from privwatch.store import NewVersion, Store, Version, WatchedDocument


class TargetDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(pattern="^(privacy|terms|trackers)$")
    url: str = Field(pattern="^https?://")
    selector: str | None = None
    language: str | None = None


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    country: str | None = Field(default=None, pattern="^[A-Z]{2}$")
    foreign: bool = False
    category: str | None = None
    documents: list[TargetDocument]


class Targets(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platforms: list[Target]


def load_targets(path: Path) -> Targets:
    """A targets YAML file, checked; a broken one is one line naming the field."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
        return Targets.model_validate(data)
    except FileNotFoundError:
        raise InputError("input.not_found", path=path) from None
    except yaml.YAMLError as exc:
        raise InputError(
            "watch.bad_targets", path=path, reason=" ".join(str(exc).split())
        ) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise InputError(
            "watch.bad_targets", path=path, reason=f"{place}: {first['msg']}"
        ) from None


def add_targets(store: Store, targets: Targets) -> int:
    """Put the targets in the store (updating platforms already there)."""
    count = 0
    for target in targets.platforms:
        store.add_platform(
            target.name,
            country=target.country,
            foreign=target.foreign,
            category=target.category,
        )
        for document in target.documents:
            store.add_document(
                target.name,
                document.type,
                document.url,
                selector=document.selector,
                language=document.language,
            )
            count += 1
    return count


@dataclass(frozen=True)
class Outcome:
    """What one cycle did with one document: ``new``, ``unchanged`` or ``failed``."""

    platform: str
    kind: str
    url: str
    result: str
    version: int | None = None
    error: str | None = None


@dataclass
class Politeness:
    """At most one request per ``delay`` seconds to each host."""

    delay: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    last: dict[str, float] | None = None

    def wait(self, url: str) -> None:
        self.last = self.last if self.last is not None else {}
        host = urlsplit(url).hostname or ""
        ready = self.last.get(host, 0.0) + self.delay
        now = time.monotonic()
        if now < ready:
            self.sleep(ready - now)
        self.last[host] = time.monotonic()


RETRYABLE = {"fetch.timeout", "fetch.unreachable"}


def _fetch_with_retries(
    document: WatchedDocument, *, retries: int, backoff: float, **limits: Any
) -> Any:
    for attempt in range(retries + 1):
        try:
            return fetch_url(
                document.url,
                etag=document.etag,
                last_modified=document.last_modified,
                **limits,
            )
        except PrivwatchError as exc:
            retry = exc.key in RETRYABLE or (
                exc.key == "fetch.status" and int(exc.params.get("status", 0)) >= 500
            )
            if not retry or attempt == retries:
                raise
            time.sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")


def check_document(
    store: Store,
    document: WatchedDocument,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = 2,
    backoff: float = 0.5,
) -> Outcome:
    """Fetch one document and store a new version if its text changed."""
    platform = document.platform.name
    checked = datetime.now(UTC).replace(tzinfo=None)
    try:
        raw = _fetch_with_retries(
            document,
            retries=retries,
            backoff=backoff,
            max_bytes=max_bytes,
            timeout=timeout,
        )
        validators = {
            "etag": (raw.headers or {}).get("etag") or document.etag,
            "last_modified": (raw.headers or {}).get("last-modified")
            or document.last_modified,
        }
        ok = {"status": "ok", "last_error": None, "last_checked_at": checked}
        ok |= validators
        if raw.not_modified:
            store.update_document(document.id, **ok)
            return Outcome(platform, document.kind, document.url, "unchanged")
        parsed = document_from_raw(raw)
        latest = store.latest(document.id)
        if latest is not None and latest.text_sha256 == parsed.sha256:
            store.update_document(document.id, **ok)
            return Outcome(
                platform, document.kind, document.url, "unchanged", latest.id
            )
        version, created = store_version(store, document, raw, parsed, checked)
        store.update_document(document.id, **ok)
        return Outcome(
            platform,
            document.kind,
            document.url,
            "new" if created else "unchanged",
            version.id,
        )
    except Exception as exc:  # one broken document must not stop the cycle
        if isinstance(exc, PrivwatchError):
            message = exc.render("en")
        else:
            message = f"internal error: {type(exc).__name__}: {exc}"
        store.update_document(
            document.id, status="failing", last_error=message, last_checked_at=checked
        )
        return Outcome(platform, document.kind, document.url, "failed", error=message)


def store_version(
    store: Store,
    document: WatchedDocument,
    raw: RawSource,
    parsed: Document,
    when: datetime,
) -> tuple[Version, bool]:
    """Audit ``parsed`` and store it as a version of ``document`` (once per text)."""
    pack = load_pack("kr-terms" if document.kind == "terms" else "kr-pipa")
    audit = audit_document(parsed, [pack], foreign=document.platform.foreign)
    return store.record_version(
        document.id,
        NewVersion(
            fetched_at=when,
            url=raw.uri,
            http_status=raw.http_status,
            headers=raw.headers or {},
            raw_sha256=raw.sha256,
            text_sha256=parsed.sha256,
            text=parsed.text,
            document_json=parsed.to_dict(),
            audit_json=audit_to_dict(audit),
        ),
    )


_DATED = re.compile(r"(\d{4}-\d{2}-\d{2})")


def import_dir(store: Store, platform: str, kind: str, folder: Path) -> list[Outcome]:
    """Each file of ``folder`` named by its date (``2014-07-01.md``) becomes a
    version of the platform's ``kind`` document, oldest first; a text already
    stored is skipped."""
    dated = sorted(
        (datetime.strptime(m[1], "%Y-%m-%d"), path)
        for path in folder.iterdir()
        if path.is_file() and (m := _DATED.search(path.name))
    )
    if not dated:
        raise InputError("watch.no_dated_files", path=folder)
    if platform not in {p.name for p in store.platforms()}:
        store.add_platform(platform)
    store.add_document(platform, kind, folder.resolve().as_uri())
    (document,) = [
        d
        for d in store.documents(platform)
        if d.kind == kind and d.url == folder.resolve().as_uri()
    ]
    outcomes = []
    for when, path in dated:
        raw = read_source(str(path))
        version, created = store_version(
            store, document, raw, document_from_raw(raw), when
        )
        result = "new" if created else "unchanged"
        outcomes.append(Outcome(platform, kind, str(path), result, version.id))
    return outcomes


def run_once(
    store: Store, *, politeness: Politeness | None = None, **options: Any
) -> list[Outcome]:
    """One watch cycle over every watched document."""
    polite = politeness or Politeness()
    outcomes = []
    for document in store.documents():
        polite.wait(document.url)
        outcomes.append(check_document(store, document, **options))
    return outcomes
