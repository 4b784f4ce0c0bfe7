"""CPU time of a cold ``privwatch audit --law kr-terms`` of real terms of service.

    python bench/terms_speed.py                  # ../shared/corpus/ko_wild/terms
    python bench/terms_speed.py FILE ... --runs 3

Each audit is a new process (user + system CPU of the child). For each document:
``cold`` with an empty embedding cache, ``cached`` with the vectors the cold run
left (a new version of the same terms mostly repeats its clauses), and beside
them the same process auditing a small policy (``reference``: start-up, Kiwi,
lexicons), measured in the same round so a busy machine moves both. The figure
the issue targets is ``cold``; ``cold - reference`` is what terms add.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from machine import describe

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "ko_wild"
SMALL = CORPUS / "policies"


def cpu_of(args: list[str], cache: Path) -> float:
    """User + system CPU seconds of ``python -m privwatch`` with ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ, "PRIVWATCH_CACHE_DIR": str(cache)}
    env["PYTHONPATH"] = str(ROOT / "src")
    subprocess.run(
        [sys.executable, "-m", "privwatch", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def smallest_policy() -> Path:
    return min(SMALL.iterdir(), key=lambda p: p.stat().st_size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args()
    files = options.files or sorted((CORPUS / "terms").iterdir())
    reference = smallest_policy()
    print(describe())
    print(f"reference: {reference.name} ({len(reference.read_text())} characters)")
    print(f"{'document':40} {'chars':>6} {'cold':>12} {'cached':>12} {'reference':>12}")
    for path in files:
        cold: list[float] = []
        cached: list[float] = []
        small: list[float] = []
        for _ in range(options.runs):
            with tempfile.TemporaryDirectory() as cache:
                args = ["audit", "-f", "json", "--law", "kr-terms", str(path)]
                cold.append(cpu_of(args, Path(cache)))
                cached.append(cpu_of(args, Path(cache)))
                small.append(
                    cpu_of(["audit", "-f", "json", str(reference)], Path(cache))
                )
        print(
            f"{path.name[:40]:40} {len(path.read_text()):6} {_span(cold):>12} "
            f"{_span(cached):>12} {_span(small):>12}"
        )
    return 0


def _span(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{min(values):.1f}-{max(values):.1f} ({statistics.median(values):.1f})"


if __name__ == "__main__":
    sys.exit(main())
