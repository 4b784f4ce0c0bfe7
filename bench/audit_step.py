"""CPU of the audit step (``pipeline.audit_document`` after ingest) and of the
regular expressions it compiles, for one document.

    PYTHONPATH=src python bench/audit_step.py FILE [--repeat N]

Warm: CPU seconds (user+sys of this process) of N audits of a document already
ingested, after one audit that loads and compiles everything; min and max.
Cold: in a new process, the CPU of the first audit after ingest, and how much
of it ``re`` spent compiling patterns (the lexicons' phrase lists compile when
first used).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from privwatch import ingest_document
from privwatch.pipeline import audit_document
from privwatch.rules import load_pack

COLD = """
import re, sys, time
compiler = re._compiler
spent = [0.0, 0]
original = compiler.compile
def timed(pattern, flags=0):
    start = time.process_time()
    try:
        return original(pattern, flags)
    finally:
        spent[0] += time.process_time() - start
        spent[1] += 1
compiler.compile = timed
from privwatch import ingest_document
from privwatch.pipeline import audit_document
from privwatch.rules import load_pack
pack = load_pack("kr-pipa")
document = ingest_document(sys.argv[1])
before = tuple(spent)
start = time.process_time()
audit_document(document, [pack])
print(time.process_time() - start, spent[0] - before[0], spent[1] - before[1])
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--repeat", type=int, default=8)
    args = parser.parse_args()
    pack = load_pack("kr-pipa")
    document = ingest_document(args.file)
    audit_document(document, [pack])  # loads and compiles
    runs = []
    for _ in range(args.repeat):
        start = time.process_time()
        audit_document(document, [pack])
        runs.append(time.process_time() - start)
    print(
        f"warm audit step: {min(runs):.3f}-{max(runs):.3f} s CPU over {args.repeat} runs"
    )
    out = subprocess.run(
        [sys.executable, "-c", COLD, args.file],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    print(
        f"cold audit step: {float(out[0]):.3f} s CPU, of which compiling {out[2]} "
        f"regular expressions {float(out[1]):.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
