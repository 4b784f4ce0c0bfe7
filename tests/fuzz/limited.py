"""Run one parse in a child process under a memory ceiling (RLIMIT_AS) and a
time limit, and report how it ended: ``ok``, ``error <key>`` or a crash.

    python -m tests.fuzz.limited KIND PATH
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

LIMIT_BYTES = 1536 * 1024 * 1024  # 1.5 GB of address space
ROOT = Path(__file__).resolve().parents[2]


def run_limited(kind: str, path: Path, timeout: float = 60) -> dict[str, object]:
    """The child's report; fails the test on a crash, a hang or a kill."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.limited", kind, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, f"{kind} {path.name}: {proc.stderr[-2000:]}"
    report: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return report


def _call(kind: str, path: Path) -> None:
    if kind == "har":
        from privwatch.attribution import Registry
        from privwatch.detectors import DetectorRegistry
        from privwatch.traffic.scan import scan_har

        scan_har(
            path,
            site="shop.example.kr",
            detectors=DetectorRegistry.builtin(),
            registry=Registry.builtin(),
        )
    elif kind == "document":
        from privwatch.ingest import load

        load(str(path))
    else:
        raise SystemExit(f"unknown kind {kind}")


def main() -> None:
    kind, path = sys.argv[1], Path(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))
    from privwatch.errors import PrivwatchError

    try:
        _call(kind, path)
        outcome = {"outcome": "ok"}
    except PrivwatchError as exc:
        outcome = {"outcome": "error", "key": exc.key}
    # VmHWM, not ru_maxrss: Linux carries the parent's peak over fork and exec
    status = Path("/proc/self/status").read_text()
    peak = next(
        int(line.split()[1]) * 1024
        for line in status.splitlines()
        if line.startswith("VmHWM:")
    )
    print(json.dumps({**outcome, "peak_rss": peak}))


if __name__ == "__main__":
    main()
