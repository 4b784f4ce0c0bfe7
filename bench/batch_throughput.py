"""Throughput of ``privwatch batch``: 1 and 2 Dask workers against a plain loop.

    python bench/batch_throughput.py [--documents 2000] [--postgres URL]

Writes N varied copies of the policies in ../shared/corpus/policies into a
temporary folder (a window of 6-14 KB of each policy, starting at a paragraph
that depends on the copy's number, with a line naming the copy, so every text
differs and nothing is skipped as stored already), then audits and stores all
of them three times, each into a new database, timed from the manifest to the
last stored version with the models already loaded: in this process with a
plain loop (the same read, parse, audit and store per document as a worker does),
and with ``run_batch`` on a LocalCluster of 1 and of 2 worker processes.
Prints documents per second, the scaling from 1 to 2 workers, the
per-document overhead of the distributed path against the loop, and the
workers' memory; then each task's time by phase (read, parse, audit, store:
mean and median wall ms, mean CPU ms of the worker process), and where the
time outside the tasks goes: planning (in this process, before the first task
is sent), the CPU of this process's main thread (the client: planning, results)
and of its other threads (the scheduler, the nannies, communication), the
workers' CPU, and how busy the workers were. Nothing from ../shared is kept.

On a busy machine the wall figures stretch; the CPU figures and the shares
hold: with c ms of client and scheduler CPU per task beside t ms of task CPU,
2 workers on 2 cores reach at most 2t / (t + c) times 1 worker.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil
from sqlalchemy import create_engine, text

from machine import describe
from privwatch.batch import dask_client, load_manifest, run_batch
from privwatch.batch.work import PHASES, TaskResult
from privwatch.ingest.source import read_source
from privwatch.pipeline import document_from_raw
from privwatch.store import Store
from privwatch.watch.cycle import audit_version, store_version

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "policies"


def generate(folder: Path, count: int) -> Path:
    """``count`` varied copies of the shared policies and their manifest."""
    sources = sorted(p for p in SHARED.iterdir() if p.suffix in (".md", ".txt"))
    texts = [p.read_text("utf-8", errors="replace") for p in sources]
    lines = ["documents:"]
    for index in range(count):
        body = texts[index % len(texts)]
        paragraphs = [p for p in body.split("\n\n") if p.strip()]
        start = (index * 7) % max(1, len(paragraphs) - 5)
        size = 6000 + (index * 997) % 8000
        window, length = [], 0
        for paragraph in paragraphs[start:]:
            window.append(paragraph)
            length += len(paragraph)
            if length >= size:
                break
        copy = f"# copy {index} of {sources[index % len(sources)].name}\n\n"
        (folder / f"doc{index:05}.md").write_text(
            copy + "\n\n".join(window) + "\n", encoding="utf-8"
        )
        lines.append(f"  - {{platform: P{index % 50:02}, source: doc{index:05}.md}}")
    manifest = folder / "manifest.yaml"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def new_database(folder: Path, name: str, postgres: str | None) -> str:
    if postgres is None:
        return f"sqlite:///{folder / (name + '.db')}"
    database = f"privwatch_bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        postgres.replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return postgres.rpartition("/")[0] + "/" + database


def drop_database(url: str, postgres: str | None) -> None:
    if postgres is None:
        return
    admin = create_engine(
        postgres.replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.execute(
            text(f'DROP DATABASE "{url.rpartition("/")[2]}" WITH (FORCE)')
        )
    admin.dispose()


@dataclass
class Run:
    name: str
    seconds: float
    tasks: list[TaskResult]
    planned: float = 0.0
    main_cpu: float = 0.0
    """CPU seconds of this process's main thread (the client: plan, results)."""
    loop_cpu: float = 0.0
    """CPU seconds of this process's other threads (the scheduler, comms)."""
    worker_cpu: float = 0.0
    """CPU seconds of the worker processes (and any nanny) during the run."""
    memory: list[int] = field(default_factory=list)


def plain_loop(manifest_path: Path, url: str) -> Run:
    """The work of every task, in this process, one document after another."""
    from privwatch.batch import plan
    from privwatch.batch.work import Timings, warm_up

    warm_up()
    manifest = load_manifest(manifest_path)
    results = []
    with Store(url) as store:
        started = time.perf_counter()
        tasks, _ = plan(store, manifest)
        planned = time.perf_counter() - started
        documents = {d.id: d for d in store.documents()}
        for task in tasks:
            assert task.document_id is not None
            begun, timed = time.perf_counter(), Timings()
            with timed("read"):
                raw = read_source(task.source)
            with timed("parse"):
                parsed = document_from_raw(raw)
            document = documents[task.document_id]
            with timed("audit"):
                audit = audit_version(document, parsed)
            with timed("store"):
                when = datetime.now(UTC).replace(tzinfo=None)
                store_version(store, document, raw, parsed, when, audit)
            seconds = time.perf_counter() - begun
            results.append(
                TaskResult(task, "done", seconds, 0, None, timed.wall, timed.cpu)
            )
        return Run(
            "plain loop, in process", time.perf_counter() - started, results, planned
        )


def _threads_cpu() -> tuple[float, float]:
    """CPU seconds of this process's main thread and of its other threads."""
    main = threading.main_thread().native_id
    found = [0.0, 0.0]
    for thread in psutil.Process().threads():
        found[thread.id != main] += thread.user_time + thread.system_time
    return found[0], found[1]


def _children_cpu() -> float:
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            times = child.cpu_times()
            total += times.user + times.system
    return total


def distributed(manifest_path: Path, url: str, workers: int) -> Run:
    manifest = load_manifest(manifest_path)
    from privwatch.batch import Preload

    with dask_client(workers=workers) as client:
        # the cluster is up and warm (rule packs, Kiwi) before the clock starts,
        # as the loop's process is
        client.register_plugin(Preload(), name="privwatch-preload")
        main, loop = _threads_cpu()
        children = _children_cpu()
        report = run_batch(manifest, url, client)
        main_after, loop_after = _threads_cpu()
        children_after = _children_cpu()
        memory = client.run(_rss)
    assert report.counts["done"] == len(manifest.documents), report.counts
    return Run(
        f"Dask, {workers} worker{'s' if workers > 1 else ''}",
        report.seconds,
        report.results,
        report.planned,
        main_after - main,
        loop_after - loop,
        children_after - children,
        sorted(memory.values()),
    )


def _rss() -> int:
    return int(psutil.Process().memory_info().rss)


def _phase_table(runs: list[Run]) -> None:
    """Mean and median wall ms per task phase, and mean CPU ms, per run."""
    print()
    print("| run | phase | mean ms | median ms | mean CPU ms |")
    print("|---|---|---:|---:|---:|")
    for run in runs:
        phases = [p for p in PHASES if any(p in r.wall for r in run.tasks)]
        for phase in [*phases, "task"]:
            if phase == "task":
                wall = [r.seconds for r in run.tasks]
                cpu = [sum(r.cpu.values()) for r in run.tasks]
            else:
                wall = [r.wall.get(phase, 0.0) for r in run.tasks]
                cpu = [r.cpu.get(phase, 0.0) for r in run.tasks]
            print(
                f"| {run.name} | {phase} | {1000 * statistics.mean(wall):.1f} "
                f"| {1000 * statistics.median(wall):.1f} "
                f"| {1000 * statistics.mean(cpu):.1f} |"
            )


def _overhead_table(runs: list[Run], n: int) -> None:
    """Where the time outside the tasks goes: planning, the client and the
    scheduler (this process), and how busy the workers were."""
    print()
    print(
        "| run | plan s | client CPU s | scheduler CPU s | worker CPU s "
        "| tasks' wall s | workers busy |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for workers, run in enumerate(runs[1:], start=1):
        busy = sum(r.seconds for r in run.tasks)
        print(
            f"| {run.name} | {run.planned:.2f} | {run.main_cpu:.2f} "
            f"| {run.loop_cpu:.2f} | {run.worker_cpu:.1f} | {busy:.1f} "
            f"| {100 * busy / (workers * (run.seconds - run.planned)):.0f}% |"
        )
    one, two = runs[1], runs[2]
    client = (two.main_cpu + two.loop_cpu) / n
    print(
        f"per task, 2 workers: {1000 * client:.1f} ms of client (planning "
        f"included) and scheduler CPU, {1000 * two.worker_cpu / n:.1f} ms of "
        f"the workers' CPU (the tasks: "
        f"{1000 * statistics.mean(sum(r.cpu.values()) for r in two.tasks):.1f} ms)"
    )
    # What this run's CPU figures allow on 2 idle cores: 1 worker runs its CPU
    # one after another while the client and the scheduler use the other core;
    # 2 workers share both cores with them. Other work on the machine makes it
    # pessimistic: the scheduler's CPU grows with the wall time (about 30 ms a
    # second with no task), and a busy machine's CPU second does less work.
    alone = one.planned + one.worker_cpu
    shared = two.planned + (two.worker_cpu + two.main_cpu + two.loop_cpu) / 2
    print(
        f"bound by CPU on 2 idle cores: 1 worker {alone:.1f} s, 2 workers "
        f"{shared:.1f} s: {alone / shared:.2f}x (planning {one.planned:.1f} s "
        f"and {two.planned:.1f} s, serial)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--postgres", default=os.environ.get("PRIVWATCH_TEST_POSTGRES"))
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"bench: {SHARED} is missing (../shared beside the checkout)")
    args.postgres = args.postgres or None
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = generate(folder, args.documents)
        sizes = [p.stat().st_size for p in folder.glob("doc*.md")]
        print(
            f"{len(sizes)} documents from {SHARED}, "
            f"{min(sizes) / 1024:.1f}-{max(sizes) / 1024:.1f} KB, "
            f"mean {sum(sizes) / len(sizes) / 1024:.1f} KB; store: {backend}"
        )
        url = new_database(folder, "loop", args.postgres)
        runs = [plain_loop(manifest, url)]
        drop_database(url, args.postgres)
        for workers in (1, 2):
            url = new_database(folder, f"w{workers}", args.postgres)
            runs.append(distributed(manifest, url, workers))
            drop_database(url, args.postgres)
    n = args.documents
    print()
    print("| run | seconds | documents/s | ms per document | worker RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for run in runs:
        rss = ", ".join(f"{m / 2**20:.0f}" for m in run.memory) or "-"
        print(
            f"| {run.name} | {run.seconds:.1f} | {n / run.seconds:.1f} "
            f"| {1000 * run.seconds / n:.1f} | {rss} |"
        )
    _phase_table(runs)
    _overhead_table(runs, n)
    loop, one, two = (run.seconds for run in runs)
    print()
    print(f"scaling 1 -> 2 workers: {one / two:.2f}x")
    print(
        f"overhead of the distributed path (1 worker) over the loop: "
        f"{1000 * (one - loop) / n:.1f} ms per document"
    )


if __name__ == "__main__":
    main()
