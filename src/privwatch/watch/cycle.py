"""One watch cycle: fetch every watched document, store what changed, alert.

``run_once`` fetches each document (conditional GET with its ETag /
Last-Modified, or a headless browser for pages marked ``render``; retries with
backoff; a politeness delay per host) and stores a version only when the
normalised text changed, with its audit. A failing document is marked failing
with its last error and the cycle goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from privwatch.errors import PrivwatchError, Tally
from privwatch.ingest.source import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Progress,
    RawSource,
    fetch_url,
    http_client,
    is_url,
)
from privwatch.models import Audit, Document
from privwatch.pipeline import audit_document, document_from_raw
from privwatch.rules import load_pack, pack_for
from privwatch.store import (
    Alert,
    DocumentFields,
    NewVersion,
    Store,
    Version,
    WatchedDocument,
)
from privwatch.store.records import AuditRecord
from privwatch.watch.alerts import Change, notify


@dataclass(frozen=True)
class Outcome:
    """What one cycle did with one document: ``new``, ``unchanged`` or ``failed``;
    ``version`` is the version number stored or matched."""

    platform: str
    kind: str
    url: str
    result: str
    version: int | None = None
    error: str | None = None
    alert_failures: tuple[PrivwatchError, ...] = ()


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


def _fetch(
    document: WatchedDocument, client: httpx.Client | None, **limits: Any
) -> RawSource:
    if document.render:
        from privwatch.ingest.render import render_url

        return render_url(document.url, **limits)
    return fetch_url(
        document.url,
        etag=document.etag,
        last_modified=document.last_modified,
        client=client,
        **limits,
    )


def _fetch_with_retries(
    document: WatchedDocument,
    client: httpx.Client | None,
    *,
    retries: int,
    backoff: float,
    **limits: Any,
) -> RawSource:
    for attempt in range(retries + 1):
        try:
            return _fetch(document, client, **limits)
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
    alerts: Sequence[Alert] = (),
    client: httpx.Client | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = 2,
    backoff: float = 0.5,
) -> Outcome:
    """Fetch one document, store a new version if its text changed and send the
    alerts whose trigger the new version fires."""
    platform = document.platform.name
    checked = datetime.now(UTC).replace(tzinfo=None)

    def outcome(result: str, version: Version | None = None, **more: Any) -> Outcome:
        number = version.number if version else None
        return Outcome(platform, document.kind, document.url, result, number, **more)

    try:
        raw = _fetch_with_retries(
            document,
            client,
            retries=retries,
            backoff=backoff,
            max_bytes=max_bytes,
            timeout=timeout,
        )
        headers = raw.headers or {}
        ok: DocumentFields = {
            "status": "ok",
            "last_error": None,
            "last_checked_at": checked,
            "etag": headers.get("etag") or document.etag,
            "last_modified": headers.get("last-modified") or document.last_modified,
        }
        if raw.not_modified:
            store.update_document(document.id, **ok)
            return outcome("unchanged")
        parsed = document_from_raw(raw, selector=document.selector)
        latest = store.latest(document.id)
        if latest is not None and latest.text_sha256 == parsed.sha256:
            store.update_document(document.id, **ok)
            return outcome("unchanged", latest)
        version, created = store_version(store, document, raw, parsed, checked)
        store.update_document(document.id, **ok)
        if not created:  # another watcher stored it first, and alerted
            return outcome("unchanged", version)
        change = Change(platform, document.kind, document.url, version, latest)
        return outcome("new", version, alert_failures=tuple(notify(alerts, change)))
    except Exception as exc:  # one broken document must not stop the cycle
        if isinstance(exc, PrivwatchError):
            message = exc.render("en")
        else:
            message = f"internal error: {type(exc).__name__}: {exc}"
        store.update_document(
            document.id, status="failing", last_error=message, last_checked_at=checked
        )
        return outcome("failed", error=message)


def audit_version(document: WatchedDocument, parsed: Document) -> Audit:
    """The audit a stored version of ``document`` gets: its kind's pack."""
    pack = load_pack(pack_for(document.kind))
    return audit_document(parsed, [pack], foreign=document.platform.foreign)


def store_version(
    store: Store,
    document: WatchedDocument,
    raw: RawSource,
    parsed: Document,
    when: datetime,
    audit: Audit | None = None,
) -> tuple[Version, bool]:
    """Audit ``parsed`` (unless its ``audit`` is given) and store it as the
    next version of ``document``."""
    if audit is None:
        audit = audit_version(document, parsed)
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
            audit=AuditRecord.of(audit),
        ),
    )


def run_once(
    store: Store,
    *,
    politeness: Politeness | None = None,
    platform: str | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> list[Outcome]:
    """One watch cycle over every watched document on the web (imported
    histories and batch files are not fetched), or only ``platform``'s,
    through one HTTP client; ``progress("watch_run", documents done, total)``."""
    polite = politeness or Politeness()
    alerts = store.alerts()
    outcomes: list[Outcome] = []
    documents = [d for d in store.documents(platform) if is_url(d.url)]
    # interrupted: the document being checked may be cut off before its
    # version is stored (its text is fetched again next time)
    with (
        Tally(len(documents), cut="not_stored") as tally,
        http_client(options.get("timeout", DEFAULT_TIMEOUT)) as client,
    ):
        for document in documents:
            if progress:
                progress("watch_run", len(outcomes), len(documents))
            polite.wait(document.url)
            tally.start()
            outcome = check_document(
                store, document, alerts=alerts, client=client, **options
            )
            tally.add(_TALLIED.get(outcome.result, outcome.result))
            outcomes.append(outcome)
    if progress:
        progress("watch_run", len(outcomes), len(documents))
    return outcomes


_TALLIED = {"new": "stored"}
