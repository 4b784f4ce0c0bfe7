"""Audit latency per policy in ../shared/corpus (warm, in process) and end to end.

    python bench/audit_corpus.py [--repeat N]

Warm: the best of N runs of ingest + audit for each file after one run that
loads Kiwi and the lexicons. End to end: ``privwatch audit FILE -f json`` as a
new process, the best of 3.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from privwatch import ingest_document
from privwatch.pipeline import audit_document
from privwatch.rules import load_pack

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=ROOT.parent / "shared" / "corpus"
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted((args.corpus / "policies").glob("*")) + sorted(
        (args.corpus / "terms").glob("*")
    )
    if not files:
        print(f"no policies under {args.corpus}", file=sys.stderr)
        return 2
    pack = load_pack("kr-pipa")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"{'file':44} {'KB':>6} {'findings':>8} {'ingest ms':>9} {'audit ms':>8} {'total ms':>8}"
    )
    for path in files:
        audit_document(ingest_document(str(path)), [pack])  # warm up
        best = (float("inf"), 0.0, 0.0)
        for _ in range(args.repeat):
            start = time.perf_counter()
            document = ingest_document(str(path))
            middle = time.perf_counter()
            result = audit_document(document, [pack])
            end = time.perf_counter()
            best = min(best, (end - start, middle - start, end - middle))
        total, ingest, audit = best
        print(
            f"{path.name:44} {path.stat().st_size / 1024:6.1f} {len(result.findings):8d} "
            f"{ingest * 1000:9.0f} {audit * 1000:8.0f} {total * 1000:8.0f}"
        )
    target = files[0]
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "privwatch", "audit", str(target), "-f", "json"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        runs.append(time.perf_counter() - start)
    print(
        f"end to end, privwatch audit {target.name} -f json: best of 3 {min(runs):.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
