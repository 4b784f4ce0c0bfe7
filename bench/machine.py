"""The line each bench prints about the machine its figures come from."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
from pathlib import Path


def describe() -> str:
    """CPU model, cores, memory and Python, e.g. ``x86_64 AMD EPYC, 2 cores,
    24 GiB, Python 3.11.7``."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024**2:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.machine()} {model}, {os.cpu_count()} cores{memory}, "
        f"Python {platform.python_version()}"
    )


def child_cpu(args: list[str], env: dict[str, str] | None = None) -> float:
    """User + system CPU seconds of a new process running ``args`` (and its
    children), with ``env`` added to this process's environment."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        args,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
