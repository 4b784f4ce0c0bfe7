"""Auditing many documents in one run: the packs and models loaded once per
process, the documents in one process or spread over ``jobs`` processes, the
results back in the order the documents were given."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from privwatch import ingest
from privwatch.errors import PrivwatchError, children_spared
from privwatch.models import Audit

# The error keys of a document whose audit stopped for a reason other than its
# input (a bug, or its worker process killed): the run exits 1, not 2.
STOPPED = ("internal_error", "audit_many.stopped")

# What ``audit DIR`` reads: the formats privwatch audits, by file name.
DOCUMENT_SUFFIXES = (".html", ".htm", ".xhtml", ".pdf", ".docx", ".md", ".txt")


@dataclass(frozen=True)
class Settings:
    """What every document is audited with (the options of ``privwatch audit``)."""

    laws: tuple[str, ...] = ("auto",)
    extra: tuple[str, ...] = ()
    foreign: bool | None = None
    agent_required: bool | None = None
    practices: bool = False
    max_bytes: int = ingest.DEFAULT_MAX_BYTES
    timeout: float = ingest.DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Outcome:
    """One document's audit, or the error that stopped it (a message key and
    its values), and the seconds it took."""

    source: str
    audit: Audit | None = None
    error: tuple[str, tuple[tuple[str, Any], ...]] | None = None
    seconds: float = 0.0
    kind: str = ""

    def failure(self) -> PrivwatchError | None:
        """The error as privwatch's own, to render in the reader's language."""
        if self.error is None:
            return None
        key, params = self.error
        return PrivwatchError(key, **dict(params))


def expand(sources: Sequence[str]) -> list[str]:
    """``sources`` with each directory replaced by the documents under it
    (by suffix, hidden files and folders skipped, in name order)."""
    out: list[str] = []
    for source in sources:
        path = Path(source)
        if not path.is_dir():
            out.append(source)
            continue
        found = [
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in DOCUMENT_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        ]
        out.extend(str(p) for p in sorted(found))
    return out


def output_names(sources: Sequence[str], suffix: str) -> list[str]:
    """A distinct file name for each source's output: its name with ``suffix``,
    numbered where two sources share a name."""
    names: list[str] = []
    taken: set[str] = set()
    for source in sources:
        stem = Path(source.rstrip("/")).name or "document"
        stem = "".join(c if c.isalnum() or c in "._-" else "_" for c in stem)
        name, number = f"{stem}{suffix}", 1
        while name.lower() in taken:
            number += 1
            name = f"{stem}.{number}{suffix}"
        taken.add(name.lower())
        names.append(name)
    return names


_SETTINGS: Settings | None = None


def _prepare(settings: Settings) -> None:
    """Load the packs once for this process (the initializer of a worker)."""
    global _SETTINGS
    from privwatch.rules import load_pack

    _SETTINGS = settings
    for name in (*settings.laws, *settings.extra):
        if name != "auto":
            load_pack(name)


def _audit_one(source: str) -> Outcome:
    """Audit ``source`` with the settings of this process."""
    from privwatch.classify import document_kind
    from privwatch.pipeline import audit_document, audit_packs, ingest_document
    from privwatch.rules import load_pack

    settings = _SETTINGS or Settings()
    started = time.perf_counter()
    try:
        named = [
            load_pack(name)
            for name in (*settings.laws, *settings.extra)
            if name != "auto"
        ]
        document = ingest_document(
            source, max_bytes=settings.max_bytes, timeout=settings.timeout
        )
        packs = audit_packs(document, named, auto="auto" in settings.laws)
        result = audit_document(
            document,
            packs,
            foreign=settings.foreign,
            practices=settings.practices,
            agent_required=settings.agent_required,
        )
    except PrivwatchError as exc:
        error = (exc.key, tuple(exc.params.items()))
        return Outcome(source, error=error, seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug stops this document, not the run
        if os.environ.get("PRIVWATCH_DEBUG"):
            raise
        reason = (("reason", f"{source}: {type(exc).__name__}: {exc}"),)
        return Outcome(source, error=("internal_error", reason))
    return Outcome(
        source,
        audit=result,
        seconds=time.perf_counter() - started,
        kind=document_kind(document),
    )


def audit_many(
    sources: Sequence[str],
    settings: Settings,
    *,
    jobs: int = 1,
    done: Callable[[Outcome], None] | None = None,
) -> Iterator[Outcome]:
    """Audit each of ``sources``, yielding the outcomes in their order;
    ``done`` is called as each document finishes (in any order with ``jobs`` > 1).
    An error of one document (privwatch's own) is its outcome, not the run's."""
    if jobs <= 1 or len(sources) <= 1:
        _prepare(settings)
        for source in sources:
            outcome = _audit_one(source)
            if done:
                done(outcome)
            yield outcome
        return
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(sources)),
        mp_context=multiprocessing.get_context("spawn"),  # forking threads hangs
        initializer=_prepare,
        initargs=(settings,),
    )
    try:
        with children_spared():  # the processes start at the first submit
            futures = {pool.submit(_audit_one, source): source for source in sources}
        if done:
            for future, source in futures.items():
                future.add_done_callback(_reporting(done, source))
        for future, source in futures.items():
            yield outcome_of(future, source)
    except BaseException:  # interrupted, or the caller stopped reading
        _halt(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _halt(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's processes now, not after the documents they audit
    (an audit writes nothing: there is nothing to roll back)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def _reporting(
    done: Callable[[Outcome], None], source: str
) -> Callable[[Future[Outcome]], None]:
    return lambda future: done(outcome_of(future, source))


def outcome_of(future: Future[Outcome], source: str) -> Outcome:
    """The outcome a worker returned, or, when its process died (killed, out
    of memory), a failure naming the document."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        reason = str(exc) or type(exc).__name__
        return Outcome(
            source,
            error=("audit_many.stopped", (("source", source), ("reason", reason))),
        )


def severity_counts(outcome: Outcome) -> dict[str, int]:
    """Findings by severity and by certainty (``certain``, ``review``)."""
    from privwatch.models import SEVERITIES

    counts = dict.fromkeys((*SEVERITIES, "certain", "review"), 0)
    for finding in outcome.audit.findings if outcome.audit else ():
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
        counts[finding.certainty] = counts.get(finding.certainty, 0) + 1
    return counts
