"""Every speed figure of issue 18 in one run, each beside a reference measured
in the same round, so a busy or slower machine moves both.

    python bench/perf.py [--rounds 3] [--batch-documents 400] [--skip batch,dir]

The reference is a fixed piece of pure-Python work in a new process (about
0.3 s of CPU here); ``x ref`` is a figure divided by the reference of its own
round, which stays put when the machine is busy or slower, where seconds do
not. CPU is user + system of the child process (and its children); "wall" is
elapsed time. Figures and their targets:

- ``privwatch --help``, a new process: <= 0.3 s CPU
- ``privwatch audit`` of a 3 KB Korean policy, a new process: <= 1.5 s CPU
- ingest + audit of a 60 KB Korean policy in a warm process: <= 0.15 s CPU
- ``privwatch audit --law kr-terms`` of 29,242 characters of Korean terms, a
  new process and an empty embedding cache: <= 4 s CPU (and with the cache)
- ``privwatch audit DIR`` over ../shared/corpus/ko_wild: <= 30 s wall
- ``privwatch batch``: 2 workers / 1 worker >= 1.8 (``bench/batch_throughput.py``)
- bounded: the audit of a policy repeated to 2 MB against 0.25 MB, time per MB
  (linear when near 1), and a one-line 42 MB text refused
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from machine import child_cpu, describe

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "ko_wild"
SMALL = ROOT / "examples" / "hanbit-market-privacy-ko.html"
TERMS = CORPUS / "terms" / "03_kakaofriends_store_terms.md"
SIXTY = (
    CORPUS / "policies" / "34_innisfree_privacy.md",
    CORPUS / "policies" / "17_keiti_relief_privacy.md",
)
REFERENCE = "sum(i * i % 7 for i in range(3_000_000))"


@dataclass
class Figure:
    """One measured figure: its samples and the references of their rounds."""

    name: str
    unit: str
    target: str
    passes: Callable[[float], bool] | None = None
    samples: list[float] = field(default_factory=list)
    references: list[float] = field(default_factory=list)

    def row(self) -> str:
        if not self.samples:
            return f"| {self.name} | not measured | | {self.target} | |"
        low, high = min(self.samples), max(self.samples)
        spread = f"{low:.2f}" if low == high else f"{low:.2f}-{high:.2f}"
        ratios = [s / r for s, r in zip(self.samples, self.references, strict=False)]
        ratio = f"{statistics.median(ratios):.2f}" if ratios else ""
        median = statistics.median(self.samples)
        verdict = (
            "" if self.passes is None else ("met" if self.passes(median) else "not met")
        )
        return (
            f"| {self.name} | {spread} {self.unit} | {ratio}"
            f" | {self.target} | {verdict} |"
        )


def privwatch(*args: str) -> list[str]:
    return [sys.executable, "-m", "privwatch", *args]


def reference() -> float:
    return child_cpu([sys.executable, "-c", REFERENCE])


def warm_sixty(folder: Path) -> float:
    """CPU of ingest + audit of the 60 KB policy in this process (median of 5
    after a warm-up run)."""
    from privwatch.pipeline import audit_document, audit_packs, ingest_document

    path = folder / "sixty.md"
    if not path.exists():
        text = "\n\n".join(p.read_text(encoding="utf-8") for p in SIXTY)
        path.write_text(text, encoding="utf-8")
    times = []
    for _ in range(6):
        started = time.process_time()
        document = ingest_document(str(path))
        audit_document(document, audit_packs(document, [], auto=True))
        times.append(time.process_time() - started)
    return statistics.median(times[1:])


def terms(folder: Path, cached: bool) -> float:
    cache = folder / ("cache" if cached else f"empty-{time.monotonic_ns()}")
    args = privwatch("audit", "--law", "kr-terms", "-f", "json", str(TERMS))
    if cached and not cache.exists():
        child_cpu(args, {"PRIVWATCH_CACHE_DIR": str(cache)})
    return child_cpu(args, {"PRIVWATCH_CACHE_DIR": str(cache)})


def audit_dir(folder: Path, jobs: int) -> float:
    """Wall seconds of ``audit DIR -f json -o OUT`` over ko_wild, empty cache."""
    out = folder / f"dir-out-{jobs}-{time.monotonic_ns()}"
    cache = folder / f"dir-cache-{time.monotonic_ns()}"
    started = time.perf_counter()
    child_cpu(
        privwatch(
            "audit", "-f", "json", "-o", str(out), "--jobs", str(jobs), str(CORPUS)
        ),
        {"PRIVWATCH_CACHE_DIR": str(cache)},
    )
    return time.perf_counter() - started


def batch_scaling(documents: int) -> float:
    found = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "batch_throughput.py"),
            "--documents",
            str(documents),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"scaling 1 -> 2 workers: ([0-9.]+)x", found)
    if match is None:
        raise SystemExit(
            f"bench: no scaling line in batch_throughput.py's output:\n{found}"
        )
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-documents", type=int, default=400)
    parser.add_argument(
        "--skip", default="", help="comma-separated: batch, dir, bounded, terms"
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    if not CORPUS.is_dir():
        sys.exit(f"bench: {CORPUS} is missing (../shared beside the checkout)")
    os.environ["PYTHONPATH"] = str(ROOT / "src")
    print(f"machine: {describe()}; load average {os.getloadavg()[0]:.2f} at start")
    print(f"reference: a new process running `{REFERENCE}`")
    help_, small, sixty = (
        Figure("`privwatch --help`", "s CPU", "<= 0.3 s", lambda v: v <= 0.3),
        Figure(
            "audit, 3 KB Korean policy, cold", "s CPU", "<= 1.5 s", lambda v: v <= 1.5
        ),
        Figure(
            "ingest + audit, 60 KB Korean policy, warm",
            "s CPU",
            "<= 0.15 s",
            lambda v: v <= 0.15,
        ),
    )
    terms_cold = Figure(
        "audit --law kr-terms, 29,242 characters, cold, empty cache",
        "s CPU",
        "<= 4 s",
        lambda v: v <= 4,
    )
    terms_cached = Figure("the same with the embedding cache", "s CPU", "")
    figures = [help_, small, sixty, terms_cold, terms_cached]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for _ in range(args.rounds):
            for figure, measure in (
                (help_, lambda: child_cpu(privwatch("--help"))),
                (
                    small,
                    lambda: child_cpu(
                        privwatch("audit", str(SMALL)),
                        {"PRIVWATCH_CACHE_DIR": str(folder / "small")},
                    ),
                ),
                (sixty, lambda: warm_sixty(folder)),
                (terms_cold, lambda: terms(folder, cached=False)),
                (terms_cached, lambda: terms(folder, cached=True)),
            ):
                if "terms" in skip and figure in (terms_cold, terms_cached):
                    continue
                figure.references.append(reference())
                figure.samples.append(measure())
        if "dir" not in skip:
            for jobs in (1, 2):
                figure = Figure(
                    f"`audit DIR` over ko_wild (46 files), --jobs {jobs}",
                    "s wall",
                    "<= 30 s",
                    lambda v: v <= 30,
                )
                figure.references.append(reference())
                figure.samples.append(audit_dir(folder, jobs))
                figures.append(figure)
    if "bounded" not in skip:
        from bounded import DEFAULT, hostile, scaling

        rows = scaling(DEFAULT, (0.25, 2.0))
        (small_mb, _, small_read, small_audit), (big_mb, _, big_read, big_audit) = rows
        per_mb = ((big_read + big_audit) / big_mb) / (
            (small_read + small_audit) / small_mb
        )
        linear = Figure(
            "time per MB, 2 MB / 0.25 MB of a Korean policy",
            "",
            "near 1 (linear)",
            lambda v: v <= 1.3,
        )
        linear.samples.append(per_mb)
        size, outcome, seconds = hostile()
        refused = Figure(
            f"one line of {size:.0f} MB: {outcome}",
            "s wall",
            "refused",
            lambda _: outcome != "audited",
        )
        refused.references.append(reference())
        refused.samples.append(seconds)
        figures += [linear, refused]
    if "batch" not in skip:
        scaling_figure = Figure(
            f"batch, 2 workers / 1 worker, {args.batch_documents} documents",
            "x",
            ">= 1.8x",
            lambda v: v >= 1.8,
        )
        scaling_figure.samples.append(batch_scaling(args.batch_documents))
        figures.append(scaling_figure)
    ref = statistics.median(r for f in figures for r in f.references)
    print(f"reference median: {ref:.2f} s CPU; {args.rounds} rounds\n")
    print("| figure | measured | x ref | target | |")
    print("|---|---|---:|---|---|")
    for figure in figures:
        print(figure.row())


if __name__ == "__main__":
    main()
