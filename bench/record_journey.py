"""Time and memory of ``privwatch record`` on the loopback shop of the tests
(tests/record_shop.py): a Korean shop with a consent banner, a tracker under
its real name mapped to loopback, a canvas script, a sign-up form.

    python bench/record_journey.py [--runs N]

Prints the seconds per journey (one run without consent runs, then the three
consent runs) and the peak memory of the browser: Chromium's processes (the
browser, its renderers, GPU and network services), summed as PSS, the
proportional set size, which counts a shared page once across them; RSS
summed is shown too (it counts shared pages once per process). Sampled every
0.2 s with psutil (installed with dask.distributed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests import record_shop  # noqa: E402

from privwatch.record import record_site  # noqa: E402
from privwatch.traffic.persona import Persona  # noqa: E402

PERSONA = Persona(name="김하늘", email="haneul.kim@example.com", phone="010-2345-6789")


class Peak(threading.Thread):
    """The largest sum of PSS and of RSS over this process's Chromium
    descendants while it runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.pss = 0
        self.rss = 0
        self.processes = 0

    def run(self) -> None:
        me = psutil.Process()
        while not self.stop.is_set():
            pss = rss = count = 0
            for child in me.children(recursive=True):
                try:
                    if "chrom" not in child.name().lower():
                        continue
                    info = child.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                pss += getattr(info, "pss", info.rss)
                rss += info.rss
                count += 1
            self.pss, self.rss = max(self.pss, pss), max(self.rss, rss)
            self.processes = max(self.processes, count)
            self.stop.wait(0.2)


def measure(url: str, consent_runs: bool, folder: Path) -> tuple[float, int, Peak]:
    peak = Peak()
    peak.start()
    started = time.monotonic()
    runs = record_site(url, PERSONA, folder / "s.har", consent_runs=consent_runs)
    seconds = time.monotonic() - started
    peak.stop.set()
    peak.join()
    return seconds, len(runs), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = record_shop.start()
    port = server.server_address[1]
    os.environ["PRIVWATCH_ALLOW_NETWORKS"] = "loopback"
    os.environ["PRIVWATCH_HOST_RULES"] = (
        f"MAP www.google-analytics.com 127.0.0.1:{port}"
    )
    url = f"http://127.0.0.1:{port}/"
    mib = 1024 * 1024
    print(f"privwatch record on {url} (loopback shop), {os.cpu_count()} CPUs")
    for consent_runs in (False, True):
        for attempt in range(1, args.runs + 1):
            with tempfile.TemporaryDirectory() as folder:
                seconds, journeys, peak = measure(url, consent_runs, Path(folder))
            label = "consent runs" if consent_runs else "one run     "
            print(
                f"{label} #{attempt}: {seconds:5.1f} s for {journeys} journey(s),"
                f" {seconds / journeys:5.1f} s each; browser peak"
                f" {peak.pss / mib:6.0f} MiB PSS ({peak.rss / mib:6.0f} MiB RSS summed,"
                f" {peak.processes} processes)"
            )
    server.shutdown()


if __name__ == "__main__":
    main()
