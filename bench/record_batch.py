"""``privwatch batch`` recording many loopback sites on a local Dask cluster.

    python bench/record_batch.py [--sites 50] [--workers 2] [--launches 3]

Serves ``--sites`` small Korean shops (tests/batch_sites.py: a search box, a
product page, a sign-up form; no consent banner, so one run each) on one
loopback server under host names of their own (``shop-N.example.kr``, mapped
by PRIVWATCH_HOST_RULES), writes a manifest of ``record:`` items with the
default journey, and runs it on a LocalCluster of ``--workers`` processes.
Prints sites per minute, the seconds per journey (the record phase of each
task: a child ``privwatch record``, its browser's start included), and the
peak memory, sampled every 0.5 s with psutil (installed with distributed):
per worker (the worker process's RSS; with everything under it), per browser
(the RSS summed over a recording's Chromium processes, and their PSS, which
counts a shared page once) and of the recording's own Python process.
Then, ``--launches`` times, what a worker-level browser would save per task:
a new Python process starting Playwright and the system Chromium and closing
them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.machine import describe  # noqa: E402
from tests import batch_sites  # noqa: E402

MIB = 1024 * 1024
PERSONA = "name: 김하늘\nemail: haneul.kim@example.com\nphone: 010-2345-6789\n"
LAUNCH = """
from playwright.sync_api import sync_playwright
from privwatch.record import browser as chrome
with sync_playwright() as p:
    chrome.launch(p, "http://x/", {}).close()
"""


class Peaks(threading.Thread):
    """Peak RSS of each worker process, of each worker with all under it,
    of one recording's Chromium processes (RSS and PSS summed), and of one
    recording's Python process."""

    def __init__(self, workers: list[int]) -> None:
        super().__init__(daemon=True)
        self.workers = workers
        self.stop = threading.Event()
        self.worker: dict[int, int] = dict.fromkeys(workers, 0)
        self.tree: dict[int, int] = dict.fromkeys(workers, 0)
        self.browser_rss = self.browser_pss = self.recorder = self.processes = 0
        self.samples = 0

    def run(self) -> None:
        while not self.stop.is_set():
            for pid in self.workers:
                try:
                    self._sample(pid)
                except psutil.NoSuchProcess:
                    continue
            self.samples += 1
            self.stop.wait(0.5)

    def _sample(self, pid: int) -> None:
        worker = psutil.Process(pid)
        own = worker.memory_info().rss
        total = own
        for recorder in worker.children():  # privwatch record, one per task
            rss = pss = count = 0
            try:
                if "--output" not in recorder.cmdline():
                    continue  # forked, not yet the recording (its RSS is the worker's)
                mine = recorder.memory_info().rss
                under = recorder.children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            self.recorder = max(self.recorder, mine)
            total += mine
            for child in under:
                try:
                    info = child.memory_full_info()
                    name = child.name().lower()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                total += info.rss
                if "chrom" in name:
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
                    count += 1
            self.browser_rss = max(self.browser_rss, rss)
            self.browser_pss = max(self.browser_pss, pss)
            self.processes = max(self.processes, count)
        self.worker[pid] = max(self.worker[pid], own)
        self.tree[pid] = max(self.tree[pid], total)


def manifest(folder: Path, sites: int) -> Path:
    (folder / "persona.yaml").write_text(PERSONA, "utf-8")
    lines = ["record:"]
    for n in range(sites):
        lines.append(
            f"  - {{platform: 가게{n}, url: 'http://shop-{n}.example.kr/',"
            " persona: persona.yaml}"
        )
    path = folder / "manifest.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def launches(count: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", LAUNCH], check=True, env=env)
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--launches", type=int, default=3)
    args = parser.parse_args()
    server = batch_sites.start()
    port = server.server_address[1]
    hosts = [f"shop-{n}.example.kr" for n in range(args.sites)]
    os.environ["PRIVWATCH_ALLOW_NETWORKS"] = "loopback"
    os.environ["PRIVWATCH_HOST_RULES"] = batch_sites.host_rules(port, hosts)
    os.environ["PYTHONPATH"] = str(ROOT / "src")  # the recordings' privwatch
    from privwatch.batch import dask_client, load_manifest, run_batch

    print(describe())
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        loaded = load_manifest(manifest(Path(folder), args.sites))
        db_url = f"sqlite:///{Path(folder) / 'store.db'}"
        with dask_client(workers=args.workers) as client:
            workers = sorted(client.run(os.getpid).values())
            peaks = Peaks(workers)
            peaks.start()
            report = run_batch(loaded, db_url, client)
            peaks.stop.set()
            peaks.join()
            load = os.getloadavg()[0]
    server.shutdown()
    counts = Counter(r.status for r in report.results)
    journeys = [r.wall.get("record", 0.0) for r in report.results if r.status == "done"]
    tasks = [r.seconds for r in report.results if r.status == "done"]
    print(
        f"{args.sites} sites, {args.workers} workers: {dict(counts)} in"
        f" {report.seconds:.1f} s: {60 * len(journeys) / report.seconds:.1f}"
        f" sites/minute (load average after: {load:.2f})"
    )
    for result in report.results:
        if result.status == "failed":
            print(f"  failed: {result.task.source}: {result.error}")
    if journeys:
        print(
            f"time per journey (record phase): median {statistics.median(journeys):.1f} s,"
            f" min {min(journeys):.1f}, max {max(journeys):.1f};"
            f" per task with scan and store: median {statistics.median(tasks):.1f} s"
        )
    for pid in workers:
        print(
            f"worker {pid}: peak {peaks.worker[pid] / MIB:.0f} MiB RSS (the worker);"
            f" {peaks.tree[pid] / MIB:.0f} MiB with its recording and browser"
        )
    print(
        f"per browser: peak {peaks.browser_rss / MIB:.0f} MiB RSS summed over"
        f" {peaks.processes} Chromium processes, {peaks.browser_pss / MIB:.0f} MiB PSS;"
        f" the recording's Python process {peaks.recorder / MIB:.0f} MiB RSS"
        f" ({peaks.samples} samples)"
    )
    if args.launches:
        seconds = launches(args.launches)
        print(
            "a new process starting Playwright and Chromium and closing them:"
            f" median {statistics.median(seconds):.2f} s"
            f" ({', '.join(f'{s:.2f}' for s in seconds)})"
        )


if __name__ == "__main__":
    main()
