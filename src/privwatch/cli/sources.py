"""Reading what a command is given (a document, a HAR, a file of lines), with
progress and warnings on stderr."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from privwatch.cli.progress import progress_reporter
from privwatch.errors import PrivwatchError
from privwatch.i18n import message

if TYPE_CHECKING:
    from privwatch.models import Document
    from privwatch.store import Store
    from privwatch.traffic.scan import ScanResult


def read_document(source: str, max_bytes: int, timeout: float, lang: str) -> Document:
    """The segmented document at ``source`` (a path or an http(s) URL)."""
    from privwatch.pipeline import ingest_document

    with progress_reporter(lang) as progress:
        return ingest_document(
            source, max_bytes=max_bytes, timeout=timeout, progress=progress
        )


def scan_traffic(
    har: Path,
    site: str,
    persona: Path | None,
    registry: Path | None,
    lang: str,
    ranges: list[Path] | None = None,
    record_file: Path | None = None,
) -> ScanResult:
    """Scan a HAR, warnings on stderr; ``ranges``: users' copies of the
    providers' published address ranges, read before the bundled ones. The
    page record (``record_file``, else ``X.record.json`` beside ``X.har``)
    adds the behaviour checks (``result.behaviour``)."""
    from privwatch.attribution import Registry
    from privwatch.attribution.ranges import Ranges
    from privwatch.detectors import DetectorRegistry
    from privwatch.traffic.persona import load_persona
    from privwatch.traffic.scan import scan_har

    account = load_persona(persona) if persona else None
    owners = Registry.from_file(registry) if registry else Registry.builtin()
    networks = Ranges.with_files(ranges) if ranges else Ranges.builtin()
    with progress_reporter(lang) as progress:
        result = scan_har(
            har,
            site=site,
            detectors=DetectorRegistry.builtin(),
            registry=owners,
            persona=account,
            progress=progress,
            ranges=networks,
        )
    for key, params in result.warnings:
        print(f"privwatch: {message(key, lang, **params)}", file=sys.stderr)
    from privwatch.traffic.behaviour import attach

    attach(result, har, record_file, owners)
    return result


def open_store(db: str | None) -> Store:
    """The store at ``db`` (a URL or a file), else the default one."""
    from privwatch.store import Store

    return Store(db)


def read_lines(path: Path, limit: int) -> list[str]:
    """A UTF-8 text file's lines, each one clause as it stands."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise PrivwatchError("input.too_large", source=path, size=size, limit=limit)
        data = path.read_bytes()
    except FileNotFoundError:
        raise PrivwatchError("input.not_found", path=path) from None
    except IsADirectoryError:
        raise PrivwatchError("input.is_directory", path=path) from None
    except OSError as exc:
        raise PrivwatchError(
            "input.unreadable", path=path, reason=exc.strerror
        ) from None
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise PrivwatchError("input.lines_not_utf8", path=path) from None
