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
workers' memory. Nothing from ../shared is kept.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from machine import describe
from privwatch.batch import dask_client, load_manifest, run_batch
from privwatch.ingest.source import read_source
from privwatch.pipeline import document_from_raw
from privwatch.store import Store
from privwatch.watch.cycle import store_version

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


def plain_loop(manifest_path: Path, url: str) -> float:
    """The work of every task, in this process, one document after another."""
    from privwatch.batch import plan
    from privwatch.batch.work import warm_up

    warm_up()
    manifest = load_manifest(manifest_path)
    with Store(url) as store:
        started = time.perf_counter()
        tasks, _ = plan(store, manifest)
        documents = {d.id: d for d in store.documents()}
        for task in tasks:
            assert task.document_id is not None
            raw = read_source(task.source)
            when = datetime.now(UTC).replace(tzinfo=None)
            store_version(
                store, documents[task.document_id], raw, document_from_raw(raw), when
            )
        return time.perf_counter() - started


def distributed(manifest_path: Path, url: str, workers: int) -> tuple[float, list[int]]:
    manifest = load_manifest(manifest_path)
    from privwatch.batch import Preload

    with dask_client(workers=workers) as client:
        # the cluster is up and warm (rule packs, Kiwi) before the clock starts,
        # as the loop's process is
        client.register_plugin(Preload(), name="privwatch-preload")
        report = run_batch(manifest, url, client)
        memory = client.run(_rss)
    assert report.counts["done"] == len(manifest.documents), report.counts
    return report.seconds, sorted(memory.values())


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


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
        rows = []
        url = new_database(folder, "loop", args.postgres)
        loop = plain_loop(manifest, url)
        drop_database(url, args.postgres)
        rows.append(("plain loop, in process", loop, None))
        for workers in (1, 2):
            url = new_database(folder, f"w{workers}", args.postgres)
            seconds, memory = distributed(manifest, url, workers)
            drop_database(url, args.postgres)
            rows.append(
                (f"Dask, {workers} worker{'s' if workers > 1 else ''}", seconds, memory)
            )
    n = args.documents
    print()
    print("| run | seconds | documents/s | ms per document | worker RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds, memory in rows:
        rss = ", ".join(f"{m / 2**20:.0f}" for m in memory) if memory else "-"
        print(
            f"| {name} | {seconds:.1f} | {n / seconds:.1f} | {1000 * seconds / n:.1f} | {rss} |"
        )
    one, two = rows[1][1], rows[2][1]
    print()
    print(f"scaling 1 -> 2 workers: {one / two:.2f}x")
    print(
        f"overhead of the distributed path (1 worker) over the loop: "
        f"{1000 * (one - loop) / n:.1f} ms per document"
    )


if __name__ == "__main__":
    main()
