"""What a page did while a journey ran, read from its HAR and the page record
beside it: keylogging, session replay, fingerprinting, third-party cookies,
advertising requests after "reject all" and before consent (``checks``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from privwatch.errors import InputError
from privwatch.traffic.behaviour.checks import CHECKS, SCHEMA, Behaviour, run_checks
from privwatch.traffic.behaviour.record import PageRecord, load_record, record_beside

if TYPE_CHECKING:
    from privwatch.attribution import Registry
    from privwatch.traffic.scan import ScanResult

__all__ = [
    "CHECKS",
    "SCHEMA",
    "Behaviour",
    "PageRecord",
    "attach",
    "load_record",
    "record_beside",
    "run_checks",
]


def attach(
    result: ScanResult, har: Path, record_file: Path | None, registry: Registry
) -> Behaviour | None:
    """Run the checks with ``record_file``, else the record beside ``har``
    (none: no checks), and keep them on ``result``. A record naming another
    HAR (its ``har_sha256``) is refused: its times would not be this HAR's."""
    path = record_file or record_beside(har)
    if path is None:
        return None
    record = load_record(path)
    if record.har_sha256 and record.har_sha256.lower() != result.sha256:
        raise InputError("behaviour.har_mismatch", path=path, har=har)
    behaviour = run_checks(result, record, har, registry)
    result.behaviour = behaviour
    return behaviour
