"""What a worker does with one batch item: read, audit or scan, store.

Runs in Dask worker processes. Each process keeps one Store per database URL,
and the rule packs, Kiwi's model, the detectors and the organisation registry
are loaded once per process (``warm_up``, run by ``privwatch.batch.Preload``
when a worker starts), not per task.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from privwatch.attribution import Registry
from privwatch.detectors import DetectorRegistry
from privwatch.digest import file_sha256
from privwatch.errors import PrivwatchError
from privwatch.ingest.source import RawSource, now_iso, read_source
from privwatch.pipeline import document_from_raw
from privwatch.rules import load_pack
from privwatch.store import Store, WatchedDocument
from privwatch.store.records import encode_scan
from privwatch.traffic.persona import load_persona
from privwatch.traffic.scan import scan_har
from privwatch.watch.cycle import audit_version, store_version

_stores: dict[str, Store] = {}


@dataclass(frozen=True)
class Task:
    """One manifest item: a ``document`` (with its store id), ``traffic``
    or ``record`` (``source`` is then the URL)."""

    item: str
    platform: str
    source: str
    document_id: int | None = None
    site: str | None = None
    persona: str | None = None
    sha256: str | None = None
    """The content hash, when known before the task runs (files)."""
    document: WatchedDocument | None = None
    """The document ``document_id`` names, as the plan put it in the store (the
    worker then need not look it up: about 4 ms of a task's CPU)."""
    hazards: tuple[str, ...] = ()
    """A ``products`` item's hazard lists (its listing sources are stored)."""
    mapping: str | None = None
    journey: str | None = None
    """A ``record`` item's journey file (None: the default journey)."""
    time_limit: float | None = None
    """A ``record`` item's seconds for all its consent runs."""
    consent_runs: bool = True
    folder: str | None = None
    """Where a ``record`` item's attempts are kept, one folder each."""
    survey: str | None = None
    """The manifest's name for its round of recordings."""


#: A task's steps: read the source (a HAR: hash it unless the client did);
#: parse a document (ingest, segment: Kiwi) and audit it, or scan a HAR; store
#: (every store call: the checks, the version and its findings, the failure
#: cleared or recorded); record a site (``privwatch record`` in a child process).
PHASES = ("read", "parse", "audit", "scan", "store", "record")


class Timings:
    """Wall (``perf_counter``) and CPU (``process_time``: the worker process,
    any threads included) seconds per phase, summed over a phase's blocks."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextmanager
    def __call__(self, phase: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.wall[phase] = self.wall.get(phase, 0.0) + time.perf_counter() - wall
            self.cpu[phase] = self.cpu.get(phase, 0.0) + time.process_time() - cpu


@dataclass(frozen=True)
class TaskResult:
    task: Task
    status: str  # done, skipped (already stored) or failed
    seconds: float
    worker: int
    error: str | None = None
    wall: dict[str, float] = field(default_factory=dict)
    """Wall seconds per phase (``PHASES``) the task went through."""
    cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds of the worker process per phase."""
    warnings: tuple[tuple[str, dict[str, Any]], ...] = ()
    """A HAR's scan warnings (key, values), also kept in the stored scan."""


def _store(url: str) -> Store:
    if url not in _stores:
        _stores[url] = Store(url)
    return _stores[url]


@functools.cache
def _scanners() -> tuple[DetectorRegistry, Registry]:
    return DetectorRegistry.builtin(), Registry.builtin()


def warm_up() -> None:
    """Load what every task needs, once per process."""
    load_pack("kr-pipa")
    load_pack("kr-terms")
    _scanners()
    text = "# 개인정보 처리방침\n\n회사는 회원 관리를 위하여 개인정보를 처리합니다.\n"
    document_from_raw(RawSource(text.encode(), "warm-up.md", "file", now_iso()))


def run_task(task: Task, db_url: str) -> TaskResult:
    """Do ``task`` and store its result; a failure is recorded, never raised."""
    started = time.perf_counter()
    timed = Timings()
    with timed("store"):
        store = _store(db_url)
    warnings: list[tuple[str, dict[str, Any]]] = []
    try:
        if task.item == "document":
            done = _document(store, task, timed)
        elif task.item == "products":
            done = _products(store, task, timed)
        elif task.item == "record":
            from privwatch.batch.recording import record_task

            done = record_task(store, task, timed, warnings)
        else:
            done = _traffic(store, task, timed, warnings)
        with timed("store"):
            store.clear_failure(task.platform, task.source)
        status, error = ("done" if done else "skipped"), None
    except Exception as exc:  # one broken item must not stop the batch
        if isinstance(exc, PrivwatchError):
            error = exc.render("en")
        else:
            error = f"internal error: {type(exc).__name__}: {exc}"
        with timed("store"):
            store.record_failure(task.platform, task.item, task.source, error)
        status = "failed"
    seconds = time.perf_counter() - started
    return TaskResult(
        task,
        status,
        seconds,
        os.getpid(),
        error,
        timed.wall,
        timed.cpu,
        tuple((key, {k: str(v) for k, v in p.items()}) for key, p in warnings),
    )


def _document(store: Store, task: Task, timed: Timings) -> bool:
    assert task.document_id is not None
    with timed("read"):
        raw = read_source(task.source)
    with timed("store"):
        if (task.document_id, raw.sha256) in store.raw_hashes([task.document_id]):
            return False
        document = task.document
        if document is None or document.id != task.document_id:
            (document,) = [
                d for d in store.documents(task.platform) if d.id == task.document_id
            ]
    with timed("parse"):
        parsed = document_from_raw(raw)
    with timed("audit"):
        audit = audit_version(document, parsed)
    with timed("store"):
        when = datetime.now(UTC).replace(tzinfo=None)
        _, created = store_version(store, document, raw, parsed, when, audit)
    return created


def _traffic(
    store: Store, task: Task, timed: Timings, warnings: list[tuple[str, Any]]
) -> bool:
    assert task.site is not None
    with timed("read"):
        digest = task.sha256 or file_sha256(Path(task.source))
    with timed("store"):
        if digest in {s.har_sha256 for s in store.scans(task.platform)}:
            return False
    detectors, registry = _scanners()
    with timed("scan"):
        result = scan_har(
            Path(task.source),
            site=task.site,
            detectors=detectors,
            registry=registry,
            persona=load_persona(Path(task.persona)) if task.persona else None,
        )
        # what the page did, when `privwatch record` left its record beside
        from privwatch.traffic.behaviour import attach

        attach(result, Path(task.source), None, registry)
        scan = encode_scan(result)
        warnings.extend(result.warnings)
    with timed("store"):
        store.add_scan(task.platform, task.source, result.sha256, scan)
    return True


def _products(store: Store, task: Task, timed: Timings) -> bool:
    """One ``products watch`` run of the platform's sources (fetches, match,
    store); its relisted products are in the stored run."""
    from privwatch.watch.products import run_watch

    with timed("scan"):
        outcome = run_watch(
            store,
            [Path(h) for h in task.hazards],
            mapping=task.mapping,
            platform=task.platform,
        )
    if outcome.run.counts["failed"]:
        raise PrivwatchError(
            "batch.products_failed",
            failed=outcome.run.counts["failed"],
            total=outcome.run.counts["sources"],
            run=outcome.run.id,
        )
    return True
