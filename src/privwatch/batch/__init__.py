"""Audit, scan and record a whole market in parallel on Dask (``privwatch[batch]``).

``run_batch`` puts the manifest's platforms and documents in the store, skips
what is stored already (a document version with the same raw sha256, a scan of
a HAR with the same sha256, a recording of the same URL and journey), and
sends one task per remaining item to the workers, which read, audit, scan or
record (``batch.recording``), and write to the store themselves. A
rerun after an interruption does only what is missing; an item that fails is
recorded with its error (``store.failures()``) and the batch goes on. Dask
runs a task again elsewhere when its worker dies.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dask
from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from privwatch.batch.manifest import Manifest, load_manifest
from privwatch.batch.work import Task, TaskResult, run_task, warm_up
from privwatch.digest import file_sha256
from privwatch.errors import Interrupted, PrivwatchError, Tally, children_spared
from privwatch.ingest.source import is_url
from privwatch.store import Store

__all__ = [
    "BatchReport",
    "Manifest",
    "dask_client",
    "load_manifest",
    "plan",
    "run_batch",
]

#: progress(done, total, counts by status)
BatchProgress = Callable[[int, int, Counter[str]], None]


class Preload(WorkerPlugin):
    """Load rule packs, models and registries once when each worker starts."""

    def setup(self, worker: Any) -> None:
        # a worker runs one task at a time on its own core: Kiwi's thread pool
        # (min(4, cores) threads) would only take the other workers' cores
        os.environ.setdefault("PRIVWATCH_KIWI_WORKERS", "1")
        with contextlib.suppress(ValueError):  # Ctrl-C stops the client, not us
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        warm_up()


@dataclass
class BatchReport:
    results: list[TaskResult]
    stored_before: int
    """Items found in the store before the batch ran: not sent to a worker."""
    seconds: float
    planned: float = 0.0
    """Of ``seconds``, those spent planning (platforms, documents and hashes
    put in the store, in this process) before the first task was sent."""

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.status for r in self.results)


def _hash(path: str) -> str | None:
    try:
        return file_sha256(Path(path))
    except PrivwatchError:
        return None  # the worker will record why


def plan(store: Store, manifest: Manifest) -> tuple[list[Task], int]:
    """The tasks still to do, and how many items the store has already."""
    known = {p.name for p in store.platforms()} | {p.name for p in manifest.platforms}
    referenced = {d.platform for d in manifest.documents}
    referenced |= {t.platform for t in manifest.traffic}
    referenced |= {p.platform for p in manifest.products}
    referenced |= {r.platform for r in manifest.record}
    # one transaction for the platforms and one for the documents: a commit
    # per item (an fsync each on SQLite) made planning 2,000 documents take
    # longer than auditing them, in this process, before any task was sent
    store.add_platforms(
        [(p.name, p.country, p.foreign, p.category) for p in manifest.platforms]
        + [(name, None, None, None) for name in sorted(referenced - known)]
    )
    added = store.add_documents(
        [(item.platform, item.kind, item.source) for item in manifest.documents]
    )
    tasks, stored = [], 0
    hashes = store.raw_hashes([document.id for document in added])
    for item, document in zip(manifest.documents, added, strict=True):
        digest = None if is_url(item.source) else _hash(item.source)
        if digest is not None and (document.id, digest) in hashes:
            stored += 1
            continue
        tasks.append(
            Task(
                "document",
                item.platform,
                item.source,
                document.id,
                sha256=digest,
                document=document,
            )
        )
    scanned: dict[str, set[str]] = {}
    for traffic in manifest.traffic:
        if traffic.platform not in scanned:
            scanned[traffic.platform] = {
                s.har_sha256 for s in store.scans(traffic.platform)
            }
        digest = _hash(traffic.har)
        if digest is not None and digest in scanned[traffic.platform]:
            stored += 1
            continue
        tasks.append(
            Task(
                "traffic",
                traffic.platform,
                traffic.har,
                site=traffic.site,
                persona=traffic.persona,
                sha256=digest,
            )
        )
    tasks.extend(_products_tasks(store, manifest))
    records, recorded = _record_tasks(store, manifest)
    # recordings first: a site takes about 20 s where a document takes 0.1 s,
    # and Dask starts tasks about in the order given, so long ones sent last
    # would leave a worker idle at the end while the other records
    return records + tasks, stored + recorded


def _record_tasks(store: Store, manifest: Manifest) -> tuple[list[Task], int]:
    """The ``record:`` items whose recording is not stored yet (a stored scan
    of the platform made by recording the same URL with the same journey in
    the same survey)."""
    from privwatch.batch.recording import folder_for, is_stored

    tasks, stored = [], 0
    scans: dict[str, list[Any]] = {}
    for item in manifest.record:
        if item.platform not in scans:
            scans[item.platform] = store.scans(item.platform)
        survey = manifest.survey
        if is_stored(scans[item.platform], item.url, item.journey, survey):
            stored += 1
            continue
        folder = folder_for(
            manifest.recordings, item.platform, item.url, item.journey, survey
        )
        tasks.append(
            Task(
                "record",
                item.platform,
                item.url,
                site=item.site,
                persona=item.persona,
                journey=item.journey,
                time_limit=item.time_limit,
                consent_runs=item.consent_runs,
                folder=str(folder),
                survey=survey,
            )
        )
    return tasks, stored


def _products_tasks(store: Store, manifest: Manifest) -> list[Task]:
    """A ``products`` item: its listing sources watched for the platform, and
    one task (a watch run of that platform) each: never skipped, a run is an
    observation of that day's listings."""
    from privwatch.store.products import add_source

    tasks = []
    for item in manifest.products:
        for source in item.listings:
            add_source(store, item.platform, source, render=item.render)
        tasks.append(
            Task(
                "products",
                item.platform,
                f"products:{item.platform}",
                hazards=tuple(item.hazards),
                mapping=item.mapping,
            )
        )
    return tasks


def run_batch(
    manifest: Manifest,
    db_url: str,
    client: Client,
    *,
    progress: BatchProgress | None = None,
) -> BatchReport:
    """Run every item of ``manifest`` not yet in the store on ``client``'s workers."""
    started = time.perf_counter()
    results: list[TaskResult] = []
    counts: Counter[str] = Counter()
    tasks: list[Task] = []
    futures: list[Any] = []
    stored = 0
    with Store(db_url) as store:  # migrates once, before any worker opens it
        try:
            tasks, stored = plan(store, manifest)
            planned = time.perf_counter() - started
            client.register_plugin(Preload(), name="privwatch-preload")
            futures = client.map(run_task, tasks, db_url=db_url, pure=False)
            by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
            if progress is not None:  # the total shows before the first item ends
                progress(0, len(tasks), counts)
            for future in as_completed(futures):
                try:
                    result = future.result()
                except Exception as exc:  # e.g. its workers kept dying
                    task = by_key[future.key]
                    error = f"worker lost: {type(exc).__name__}: {exc}"
                    store.record_failure(task.platform, task.item, task.source, error)
                    result = TaskResult(task, "failed", 0.0, 0, error)
                results.append(result)
                counts[result.status] += 1
                if progress is not None:
                    progress(len(results), len(tasks), counts)
        except KeyboardInterrupt:
            _halt(client, futures)
            total = (
                len(manifest.documents)
                + len(manifest.traffic)
                + len(manifest.products)
                + len(manifest.record)
            )
            raise _interrupted(store, total, tasks, stored, results) from None
    return BatchReport(results, stored, time.perf_counter() - started, planned)


def _halt(client: Client, futures: list[Any]) -> None:
    """Stop the work at once: a local cluster's worker processes killed (a
    task cut off while writing is rolled back by the database), a remote
    cluster's tasks cancelled (one already running may still finish)."""
    logging.disable(logging.CRITICAL)  # the cluster's complaints as it goes
    cluster = getattr(client, "cluster", None)
    nannies = (
        list(cluster.workers.values()) if isinstance(cluster, LocalCluster) else []
    )
    for nanny in nannies:
        pid = getattr(nanny, "pid", None)
        if hasattr(nanny, "close_gracefully"):
            nanny.close_gracefully()  # not restarted when its process dies
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    if not nannies:
        with contextlib.suppress(Exception):
            client.cancel(futures, force=True)


def _interrupted(
    store: Store,
    total: int,
    tasks: list[Task],
    before: int,
    results: list[TaskResult],
) -> Interrupted:
    """What the store holds of the batch now, its workers stopped: the items
    stored (those before the run among them), failed, not stored, and not
    started (all, when interrupted while planning)."""
    tally = Tally(total, cut="not_stored")
    tally.add("stored", before)
    tally.add("earlier", before)

    def key(task: Task) -> tuple[str, str, str]:  # results hold copies
        return (task.item, task.platform, task.source)

    reported = {key(r.task) for r in results}
    for result in results:
        tally.add("failed" if result.status == "failed" else "stored")
        if result.status == "skipped":
            tally.add("earlier")
    rest = [task for task in tasks if key(task) not in reported]
    kept = store.raw_hashes([t.document_id for t in rest if t.document_id])
    scans: dict[str, set[str]] = {}
    for task in rest:
        if task.item == "traffic" and task.platform not in scans:
            scans[task.platform] = {s.har_sha256 for s in store.scans(task.platform)}
        done = (task.document_id, task.sha256) in kept or (
            task.item == "traffic" and task.sha256 in scans[task.platform]
        )
        if task.item == "record":  # its runs stored just before the stop
            from privwatch.batch.recording import is_stored

            done = is_stored(
                store.scans(task.platform), task.source, task.journey, task.survey
            )
        tally.add(
            "stored"
            if done and (task.sha256 or task.item == "record")
            else "not_stored"
        )
    return tally.interrupted()


@contextmanager
def dask_client(
    workers: int | None = None, scheduler: str | None = None
) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a LocalCluster of
    ``workers`` processes (one thread each; default: one per core)."""
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=10)
        except (OSError, TimeoutError) as exc:
            raise PrivwatchError(
                "batch.no_scheduler", address=scheduler, reason=str(exc)
            ) from None
        with client:
            yield client
        return
    # no statistical profiler in the workers: it samples the task's thread
    # every 10 ms, taking the GIL and about 1% of a core per worker, for a
    # dashboard privwatch does not show
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        with children_spared():  # Ctrl-C: _halt stops them
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: no clash, no warning
                silence_logs=logging.ERROR,
            )
        with cluster, Client(cluster) as client:
            yield client
