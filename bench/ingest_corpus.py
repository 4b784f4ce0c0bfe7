"""Ingest every document in ../shared/corpus and print documents/s and MB/s.

    python bench/ingest_corpus.py [--repeat N] [--corpus DIR]

The first pass (which loads Kiwi's model, about 1.5 s) is reported apart from
the timed passes.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from privwatch import ingest_document

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=ROOT.parent / "shared" / "corpus"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file())
    if not files:
        print(f"no documents under {args.corpus}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in files)
    start = time.perf_counter()
    for path in files:
        ingest_document(str(path))
    cold = time.perf_counter() - start
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        clauses = sum(len(ingest_document(str(path)).clauses) for path in files)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"corpus: {len(files)} documents, {size / 1e6:.2f} MB, {clauses} clauses")
    print(f"first pass (loads Kiwi): {cold:.2f} s")
    print(
        f"best of {args.repeat}: {best:.2f} s = {len(files) / best:.1f} documents/s, "
        f"{size / 1e6 / best:.2f} MB/s, {clauses / best:.0f} clauses/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
