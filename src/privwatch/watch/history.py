"""A platform's past: import earlier versions at once, and compare any two.

``import_dir`` reads a folder of dated files; ``import_git`` reads every commit
of one document file in a git repository, such as an Open Terms Archive
versions repository (one file per service and document type, one commit per
recorded change, dated by the commit). Each text becomes a version, audited as
a fetched one would be; importing twice stores nothing new.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict, Unpack

from privwatch.diff import (
    ClauseChange,
    FindingDelta,
    clause_texts,
    diff_clauses,
    finding_delta,
)
from privwatch.errors import InputError, PrivwatchError, Tally
from privwatch.ingest.source import Progress, RawSource, now_iso, read_source
from privwatch.pipeline import document_from_raw
from privwatch.store import Store, Version, WatchedDocument
from privwatch.store.records import decode_audit
from privwatch.watch.cycle import Outcome, store_version

_DATED = re.compile(r"(\d{4}-\d{2}-\d{2})")


class ImportOptions(TypedDict, total=False):
    """What an import may say besides the platform and kind (``ImportInto``)."""

    document: int | None
    url: str | None
    foreign: bool | None
    country: str | None


@dataclass(frozen=True)
class ImportInto:
    """Where imported versions go: the platform's document of ``kind`` (the
    one already watched, else a new one at ``url`` or the source's address),
    or the watched document ``document``; ``foreign`` and ``country``, when
    given, set on the platform's record (its stored audits evaluated again)."""

    platform: str
    kind: str = "privacy"
    document: int | None = None
    url: str | None = None
    foreign: bool | None = None
    country: str | None = None


def _target(store: Store, into: ImportInto, source: str) -> WatchedDocument:
    """The document the versions go into (see ``ImportInto``), its platform's
    record set first, so that the versions are audited as what it is."""
    if into.document is not None:
        chosen = store.attach_document(into.document)
        if chosen.platform.name != into.platform:
            raise PrivwatchError(
                "watch.document_elsewhere",
                id=into.document,
                platform=into.platform,
                owner=chosen.platform.name,
            )
        same = [chosen]
    else:
        same = []
    store.add_platform(into.platform, country=into.country, foreign=into.foreign)
    if not same:
        same = [d for d in store.documents(into.platform) if d.kind == into.kind]
    if len(same) > 1:
        raise PrivwatchError(
            "watch.several_documents",
            platform=into.platform,
            kind=into.kind,
            ids=", ".join(f"{d.id} ({d.url})" for d in same),
        )
    if same:
        return store.attach_document(same[0].id, url=into.url)
    return store.add_document(into.platform, into.kind, into.url or source)


def _import(
    store: Store,
    into: ImportInto,
    source: str,
    dated: list[tuple[datetime, RawSource]],
    progress: Progress | None = None,
) -> list[Outcome]:
    """Store ``dated`` texts, oldest first, as versions of one document;
    ``progress("import", versions done, total)``."""
    outcomes: list[Outcome] = []
    if progress:
        progress("import", 0, len(dated))
    with Tally(len(dated)) as tally:  # interrupted: what was stored, what not
        document = _target(store, into, source)
        for when, raw in sorted(dated, key=lambda pair: pair[0]):
            tally.start()
            version, created = store_version(
                store, document, raw, document_from_raw(raw), when
            )
            tally.add("stored" if created else "unchanged")
            result = "new" if created else "unchanged"
            outcomes.append(
                Outcome(into.platform, document.kind, raw.uri, result, version.number)
            )
            if progress:
                progress("import", len(outcomes), len(dated))
    return outcomes


def import_dir(
    store: Store,
    platform: str,
    kind: str,
    folder: Path,
    progress: Progress | None = None,
    **where: Unpack[ImportOptions],
) -> list[Outcome]:
    """Each file of ``folder`` named by its date (``2014-07-01.md``) becomes a
    version of the platform's ``kind`` document (see ``ImportInto`` for
    ``document``, ``url``, ``foreign`` and ``country``); ``progress`` hears
    of the versions stored."""
    dated = [
        (datetime.strptime(m[1], "%Y-%m-%d"), read_source(str(path)))
        for path in folder.iterdir()
        if path.is_file() and (m := _DATED.search(path.name))
    ]
    if not dated:
        raise InputError("watch.no_dated_files", path=folder)
    into = ImportInto(platform, kind, **where)
    return _import(store, into, folder.resolve().as_uri(), dated, progress)


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, check=True
        )
    except FileNotFoundError:
        raise InputError("watch.git_missing") from None
    except subprocess.CalledProcessError as exc:
        reason = " ".join(exc.stderr.decode("utf-8", "replace").split())[:300]
        raise InputError("watch.git_failed", path=repo, reason=reason) from None
    return done.stdout


def import_git(
    store: Store,
    platform: str,
    kind: str,
    repo: Path,
    path: str,
    progress: Progress | None = None,
    **where: Unpack[ImportOptions],
) -> list[Outcome]:
    """Each commit that changed ``path`` in the git repository ``repo`` (renames
    followed) becomes a version dated by the commit's author date. The commits
    are listed first, so ``progress`` hears of each read (``git_read``) and
    each version stored (``import``) out of a known total."""
    log = _git(
        repo,
        "log",
        "--follow",
        "--diff-filter=d",
        "--name-only",
        "--format=%x00%H %aI",
        "--",
        path,
    ).decode("utf-8", "replace")
    dated: list[tuple[datetime, RawSource]] = []
    records = list(filter(None, log.split("\x00")))
    for record in records:
        if progress:
            progress("git_read", len(dated), len(records))
        head, *names = [line for line in record.splitlines() if line]
        commit, stamp = head.split(" ", 1)
        when = datetime.fromisoformat(stamp).astimezone(UTC).replace(tzinfo=None)
        name = names[-1] if names else path
        data = _git(repo, "show", f"{commit}:{name}")
        uri = f"{(repo / name).resolve().as_uri()}?commit={commit}"
        dated.append((when, RawSource(data, uri, kind="file", fetched_at=now_iso())))
    if progress:
        progress("git_read", len(dated), len(records))
    if not dated:
        raise InputError("watch.no_commits", path=path, repo=repo)
    into = ImportInto(platform, kind, **where)
    return _import(store, into, (repo / path).resolve().as_uri(), dated, progress)


@dataclass(frozen=True)
class Comparison:
    """Two versions of one document and what changed between them."""

    platform: str
    kind: str
    old: Version
    new: Version
    changes: list[ClauseChange]
    delta: FindingDelta

    @property
    def title(self) -> str:
        return (
            f"{self.platform} {self.kind}: v{self.old.number} "
            f"{self.old.fetched_at:%Y-%m-%d} → v{self.new.number} "
            f"{self.new.fetched_at:%Y-%m-%d}"
        )


def watched(store: Store, platform: str, kind: str) -> WatchedDocument:
    """The platform's document of ``kind`` (the first, when several are watched)."""
    documents = store.documents(platform)
    if not documents:
        raise PrivwatchError("store.no_platform", name=platform)
    for document in documents:
        if document.kind == kind:
            return document
    raise PrivwatchError("watch.no_document", platform=platform, kind=kind)


def compare(
    store: Store,
    platform: str,
    kind: str,
    old: int | None = None,
    new: int | None = None,
) -> Comparison:
    """Compare versions ``old`` and ``new`` (version numbers; by default the last
    two) of the platform's ``kind`` document."""
    document = watched(store, platform, kind)
    versions = {v.number: v for v in store.versions(document.id)}
    last = max(versions, default=0)
    picked = []
    for wanted, fallback in ((old, last - 1), (new, last)):
        number = fallback if wanted is None else wanted
        if wanted is not None and number not in versions:
            raise PrivwatchError(
                "diff.no_version", platform=platform, kind=kind, version=number
            )
        if number not in versions:
            raise PrivwatchError("diff.need_two", platform=platform, kind=kind)
        picked.append(versions[number])
    before, after = picked
    return Comparison(
        platform,
        kind,
        before,
        after,
        diff_clauses(
            clause_texts(before.document_json), clause_texts(after.document_json)
        ),
        finding_delta(decode_audit(before.audit_json), decode_audit(after.audit_json)),
    )
