"""Published address ranges: load and lookup cost, and the cold start they
must not touch.

    python bench/ranges_speed.py [--lookups 200000]

Each figure in a fresh process: importing the scan's data types (what an audit
without traffic reads) must not load the ranges module; the first lookup
(reading the bundled snapshots into the prefix table); then lookups of a
mix of addresses (in a Korean region, at a CDN edge, in no published range,
IPv6) per second. Prints the snapshot sizes too.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COLD = """
import sys, time
t = time.perf_counter()
import privwatch.traffic.scan
print(f"{(time.perf_counter() - t) * 1000:.1f}", "privwatch.attribution.ranges" in sys.modules)
"""

LOAD = """
import time
import privwatch.attribution.ranges as r
t = time.perf_counter()
ranges = r.Ranges.builtin()
ranges.network("13.124.1.1")
print(f"{(time.perf_counter() - t) * 1000:.1f}")
for s in ranges.snapshots():
    print(s["provider"], s["date"], s["prefixes"], ",".join(s["regions"]))
"""

LOOKUP = """
import time
import privwatch.attribution.ranges as r
ranges = r.Ranges.builtin()
mix = ["13.124.1.1", "104.16.1.1", "192.0.2.1", "34.64.33.1", "20.194.1.1",
       "2406:da12::1", "8.8.8.8", "151.101.1.1", "146.56.130.1", "2001:db8::1"]
n = {n}
t = time.perf_counter()
for i in range(n):
    ranges.network(mix[i % len(mix)])
dt = time.perf_counter() - t
print(f"{{n / dt:,.0f}} {{dt / n * 1e6:.2f}}")
"""


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""},
    )
    return done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=200_000)
    args = parser.parse_args()
    ms, loaded = _run(COLD).split()
    print(f"import privwatch.traffic.scan: {ms} ms; ranges loaded: {loaded}")
    load, *snapshots = _run(LOAD).splitlines()
    print(f"first lookup (the snapshots into the table): {load} ms")
    for line in snapshots:
        provider, date, count, regions = line.split(" ", 3)
        print(f"  {provider:<10} {date:<10} {count:>5} prefixes  {regions}")
    rate, each = _run(LOOKUP.format(n=args.lookups)).split()
    print(f"lookups: {rate} a second ({each} µs each, {args.lookups:,} mixed)")


if __name__ == "__main__":
    main()
