"""A manifest's ``record:`` item on a worker: ``privwatch record`` in a child
process (its own Chromium, started and closed for the item), killed with its
browser when the item's time limit passes; then each run's HAR is scanned
with its page record (the behaviour checks) and stored.

One browser per task, in a child process, rather than one kept by the worker:
starting Python, Playwright and Chromium costs 1.5 to 5 s (by the machine's
load) against about 20 s for a journey on a loopback site (measured:
bench/record_batch.py, README, Performance), and in
exchange a site that hangs the browser (a script that never yields, a page
that never answers) is stopped by killing a process tree, which leaves the
worker and the next item a clean browser, and Chromium's memory goes back to
the system after every site.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from privwatch.errors import PrivwatchError

if TYPE_CHECKING:
    from privwatch.batch.work import Task, Timings
    from privwatch.store import Store

#: seconds one journey (one consent run) may take inside the item's limit
JOURNEY_TIMEOUT = 60.0
#: seconds between asking the recording to stop and killing what is left
GRACE = 3.0
#: the key of a stored scan's JSON that says it came from a record item
KEY = "record"


#: the child's start: on Linux it asks to be killed when the worker that
#: started it dies (PR_SET_PDEATHSIG), so a recording cannot outlive a worker
#: killed mid-task (Playwright's driver then sees its pipe close and closes
#: Chromium); then ``privwatch`` with the arguments that follow
BOOT = """import os, signal, sys
if sys.platform == "linux":
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != int(sys.argv[1]):
        sys.exit(3)  # the worker died before the request took effect
sys.argv = ["privwatch", *sys.argv[2:]]
from privwatch.cli import main
main()
"""


class RecordFailed(PrivwatchError):
    """A record item that left nothing to store (its reason, in English, is
    what the store keeps)."""

    def __init__(self, reason: str) -> None:
        super().__init__("batch.record_failed", reason=reason)
        self.reason = reason


def folder_for(
    recordings: str,
    platform: str,
    url: str,
    journey: str | None,
    survey: str | None = None,
) -> Path:
    """Where an item's recordings go: one folder per platform, URL, journey
    and survey, a new folder inside it per attempt (nothing is overwritten)."""
    host = urlsplit(url).hostname or "site"
    key = f"{platform}\n{url}\n{journey or ''}\n{survey or ''}"
    digest = hashlib.sha256(key.encode()).hexdigest()
    name = re.sub(r"[^A-Za-z0-9.-]+", "_", host)[:60]
    return Path(recordings) / f"{name}-{digest[:10]}"


def is_stored(
    scans: list[Any], url: str, journey: str | None, survey: str | None = None
) -> bool:
    """Whether a stored scan of the platform came from recording ``url`` with
    ``journey`` in ``survey``."""
    for scan in scans:
        made = scan.result.get(KEY) if isinstance(scan.result, dict) else None
        if (
            isinstance(made, dict)
            and made.get("url") == url
            and made.get("journey") == journey
            and made.get("survey") == survey
        ):
            return True
    return False


def record(task: Task, attempt: Path) -> list[Path]:
    """Run ``privwatch record`` for ``task`` into ``attempt``; the HARs it
    wrote. A non-zero exit or the time limit is a RecordFailed."""
    assert task.persona is not None and task.time_limit is not None
    attempt.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-c",
        BOOT,
        str(os.getpid()),
        "--lang",
        "en",  # the store keeps reasons in English, as for the other items
        "record",
        task.source,
        "--persona",
        task.persona,
        "--output",
        str(attempt / "session.har"),
        "--timeout",
        f"{min(JOURNEY_TIMEOUT, task.time_limit):g}",
        "--consent-runs" if task.consent_runs else "--no-consent-runs",
    ]
    if task.journey:
        command += ["--journey", task.journey]
    child = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, err = child.communicate(timeout=task.time_limit)
    except subprocess.TimeoutExpired:
        stop_tree(child)
        raise RecordFailed(
            f"time limit of {task.time_limit:g} s passed: the recording "
            "and its browser were stopped"
        ) from None
    if child.returncode != 0:
        raise RecordFailed(_reason(err.decode("utf-8", "replace"), child.returncode))
    return sorted(attempt.glob("*.har"))


def stop_tree(child: subprocess.Popen[bytes]) -> None:
    """Stop ``child`` and every process under it (Playwright starts Chromium
    in a process group of its own, so the child's group is not enough):
    SIGTERM, then SIGKILL to what is left after ``GRACE`` seconds."""
    import psutil  # type: ignore[import-untyped]  # installed with distributed

    try:
        tree = [psutil.Process(child.pid)]
        tree += tree[0].children(recursive=True)
    except psutil.NoSuchProcess:
        tree = []
    for process in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGTERM)
    _, alive = psutil.wait_procs(tree, timeout=GRACE)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    psutil.wait_procs(alive, timeout=GRACE)
    child.communicate()  # reaps it and closes its pipes


def _reason(stderr: str, code: int) -> str:
    """The child's error: its last line on stderr, without the prefix."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return f"privwatch record exited with status {code}"
    last = lines[-1]
    return last.removeprefix("privwatch: ")


def record_task(
    store: Store, task: Task, timed: Timings, warnings: list[tuple[str, Any]]
) -> bool:
    """Record, scan each run with its page record, store one scan per run."""
    from privwatch.batch.work import _scanners
    from privwatch.store.records import encode_scan
    from privwatch.traffic.behaviour import attach
    from privwatch.traffic.persona import load_persona
    from privwatch.traffic.scan import scan_har

    assert task.folder is not None and task.persona is not None
    with timed("store"):
        if is_stored(
            store.scans(task.platform), task.source, task.journey, task.survey
        ):
            return False
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    attempt = Path(task.folder) / f"{stamp}-{os.getpid()}"
    started = time.perf_counter()
    with timed("record"):
        hars = record(task, attempt)
    seconds = time.perf_counter() - started
    if not hars:
        raise RecordFailed(f"privwatch record wrote no HAR in {attempt}")
    persona = load_persona(Path(task.persona))
    detectors, registry = _scanners()
    site = task.site or urlsplit(task.source).hostname or ""
    scans = []
    with timed("scan"):
        for har in hars:
            result = scan_har(
                har, site=site, detectors=detectors, registry=registry, persona=persona
            )
            behaviour = attach(result, har, None, registry)
            data = encode_scan(result)
            data["behaviour"] = None if behaviour is None else behaviour.to_dict()
            data[KEY] = _made(task, har, seconds, len(hars))
            scans.append((str(har), result.sha256, data))
            warnings.extend(result.warnings)
    with timed("store"):  # all the runs or none: a rerun would skip the item
        store.add_scans(task.platform, scans)
    return True


def _made(task: Task, har: Path, seconds: float, runs: int) -> dict[str, Any]:
    """What the stored scan says of its recording."""
    page = har.with_name(har.name[:-4] + ".record.json")
    record: dict[str, Any] = {}
    if page.is_file():
        record = json.loads(page.read_text("utf-8"))
    steps = record.get("steps") or []
    return {
        "url": task.source,
        "journey": task.journey,
        "survey": task.survey,
        "consent_run": record.get("consent_run"),
        "record_file": str(page) if page.is_file() else None,
        "steps": len(steps),
        "steps_failed": sum(1 for s in steps if not s.get("ok")),
        "screenshots": sum(1 for s in steps if s.get("screenshot")),
        "runs": runs,
        "seconds": round(seconds, 2),
        "time_limit": task.time_limit,
    }
