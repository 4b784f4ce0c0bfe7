"""Re-check evidence: a store's versions and findings, or an audit JSON report.

``verify_store`` re-hashes every stored version's text and checks that its
document JSON, its audit JSON and its finding rows all quote that very text,
and that each document's versions are numbered 1..n with none missing.
``verify_report`` checks that an audit report's evidence spans are exact
quotes of its ``document.text``, that the text hashes to ``document.sha256``,
and, given the source, that the source still reads to the same text.

Problems are returned as data (a message key and its values), never raised:
a tampered store or report is what this module is for.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from privwatch.errors import PrivwatchError
from privwatch.store import Store, StoredFinding, Version
from privwatch.store import versions as stored
from privwatch.store.records import raw_spans

__all__ = ["Problem", "Verification", "verify_report", "verify_store"]

AUDIT_SCHEMA = "privwatch.audit/1"
#: characters of a quote shown in a problem line
SHOWN = 60


@dataclass(frozen=True)
class Problem:
    """One thing that does not check out: where (``location`` key and values)
    and what (``key`` under ``verify.problem.`` and its values)."""

    location: str
    where: dict[str, Any]
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Verification:
    """What was checked and what failed."""

    documents: int = 0
    versions: int = 0
    findings: int = 0
    evidence: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: the recorded session's check that is no problem: ("match" | "missing",
    #: its values); a mismatch is a problem
    traffic: tuple[str, dict[str, Any]] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _shown(text: object) -> str:
    value = str(text)
    value = value if len(value) <= SHOWN else value[: SHOWN - 1] + "…"
    return json.dumps(value, ensure_ascii=False)


def _check_spans(
    audit: dict[str, Any], text: str, problem: Any, result: Verification
) -> None:
    """Every span with offsets must be ``text[start:end]`` exactly."""
    for owner, span in raw_spans(audit):
        if not isinstance(span, dict) or "start" not in span:
            continue  # an observed request, not a quote
        result.evidence += 1
        start, end, quote = span.get("start"), span.get("end"), span.get("text")
        valid = (
            isinstance(start, int)
            and isinstance(end, int)
            and 0 <= start <= end <= len(text)
        )
        if not valid:
            problem(
                "evidence_range", owner=owner, start=start, end=end, length=len(text)
            )
        elif text[start:end] != quote:
            problem(
                "evidence_quote",
                owner=owner,
                start=start,
                end=end,
                quote=_shown(quote),
                actual=_shown(text[start:end]),
            )


def verify_store(store: Store) -> Verification:
    """Re-check every version of every document in ``store``."""
    result = Verification()
    for document in stored.document_records(store):
        result.documents += 1
        numbers = []
        platform, kind = document.platform, document.kind
        for version_id in stored.version_ids(store, document.id):
            # one version's texts in memory at a time
            found = stored.version_with_findings(store, version_id)
            if found is None:  # removed while we were reading
                continue
            version, rows = found
            numbers.append(version.number)
            where = {
                "platform": platform,
                "kind": kind,
                "number": version.number,
                "id": version.id,
            }
            _check_version(version, rows, where, result)
        result.versions += len(numbers)
        last = max(numbers, default=0)
        missing = sorted(set(range(1, last + 1)) - set(numbers))
        duplicated = len(numbers) != len(set(numbers))
        if missing or duplicated or any(n < 1 for n in numbers):
            result.problems.append(
                Problem(
                    "document",
                    {"platform": platform, "kind": kind, "url": document.url},
                    "numbering",
                    {
                        "missing": ", ".join(map(str, missing)) or "-",
                        "count": len(numbers),
                        "last": last,
                    },
                )
            )
    return result


def _check_version(
    version: Version,
    rows: list[StoredFinding],
    where: dict[str, Any],
    result: Verification,
) -> None:
    def problem(key: str, **params: Any) -> None:
        result.problems.append(Problem("version", where, key, params))

    text = version.text or ""
    actual = _sha256(text)
    if actual != version.text_sha256:
        problem("text_sha256", expected=version.text_sha256, actual=actual)
    document = version.document_json
    if not isinstance(document, dict):
        problem("not_object", name="document_json")
    else:
        if document.get("text") != text:
            problem("document_text")
        if document.get("sha256") != version.text_sha256:
            problem(
                "document_sha256",
                found=document.get("sha256"),
                expected=version.text_sha256,
            )
        source = document.get("source")
        found = source.get("bytes_sha256") if isinstance(source, dict) else None
        if found != version.raw_sha256:
            problem("raw_sha256", found=found, expected=version.raw_sha256)
    audit = version.audit_json
    findings: list[Any] = []
    if audit is not None and not isinstance(audit, dict):
        problem("not_object", name="audit_json")
    elif isinstance(audit, dict):
        audited = audit.get("document")
        audited = audited if isinstance(audited, dict) else {}
        if audited.get("sha256") != version.text_sha256:
            problem(
                "audit_sha256",
                found=audited.get("sha256"),
                expected=version.text_sha256,
            )
        if audited.get("text") != text:
            problem("audit_text")
        _check_spans(audit, text, problem, result)
        findings = list(audit.get("findings") or [])
    result.findings += len(rows)
    if len(rows) != len(findings):
        problem("finding_count", rows=len(rows), expected=len(findings))
    for row in rows:
        if row.quote is None:
            continue
        start = row.start
        if (
            start is None
            or start < 0
            or text[start : start + len(row.quote)] != row.quote
        ):
            problem(
                "finding_quote",
                rule=row.rule,
                row=row.id,
                start=start,
                quote=_shown(row.quote),
            )


def verify_report(
    path: Path, source: str | None = None, har: Path | None = None, **limits: Any
) -> Verification:
    """Re-check an audit JSON report; with ``source``, read it again (a file or
    URL, with ``limits`` as for ``ingest_document``) and compare hashes; the
    HAR of an audit with traffic is re-hashed (``har``, else its recorded path)."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise PrivwatchError("input.not_found", path=path) from None
    except IsADirectoryError:
        raise PrivwatchError("input.is_directory", path=path) from None
    except OSError as exc:
        raise PrivwatchError(
            "input.unreadable", path=path, reason=exc.strerror
        ) from None
    except (ValueError, RecursionError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise PrivwatchError("verify.not_report", path=path, reason=reason) from None
    if not isinstance(data, dict) or data.get("schema") != AUDIT_SCHEMA:
        schema = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise PrivwatchError("verify.not_report", path=path, reason=f"schema {schema}")
    document = data.get("document")
    text = document.get("text") if isinstance(document, dict) else None
    if not isinstance(document, dict) or not isinstance(text, str):
        raise PrivwatchError("verify.not_report", path=path, reason="no document.text")
    result = Verification(documents=1)
    where = {"path": str(path)}

    def problem(key: str, **params: Any) -> None:
        result.problems.append(Problem("report", where, key, params))

    expected = document.get("sha256")
    actual = _sha256(text)
    if actual != expected:
        problem("report_sha256", expected=expected, actual=actual)
    _check_spans(data, text, problem, result)
    result.findings = len(data.get("findings") or [])
    _check_traffic(data.get("traffic"), har, result, problem)
    if source is not None:
        from privwatch.pipeline import ingest_document

        again = ingest_document(source, **limits)
        if again.sha256 != expected:
            problem(
                "source_sha256", source=source, expected=expected, actual=again.sha256
            )
        reported = document.get("source")
        recorded = reported.get("bytes_sha256") if isinstance(reported, dict) else None
        if recorded is not None and recorded != again.source.bytes_sha256:
            problem(
                "source_bytes",
                source=source,
                expected=recorded,
                actual=again.source.bytes_sha256,
            )
    return result


def _check_traffic(
    traffic: Any, har: Path | None, result: Verification, problem: Any
) -> None:
    """Re-hash the recorded session the report names, where it was recorded
    or at ``har``: a match or a missing file is told, a mismatch a problem."""
    if not isinstance(traffic, dict) or not traffic.get("sha256"):
        if har is not None:
            raise PrivwatchError("verify.no_traffic", path=har)
        return
    from privwatch.digest import file_sha256

    target = har if har is not None else Path(str(traffic.get("path", "")))
    expected = str(traffic["sha256"])
    if not target.is_file():
        if har is not None:
            raise PrivwatchError("input.not_found", path=har)
        result.traffic = ("missing", {"path": str(target), "expected": expected})
        return
    actual = file_sha256(target)
    if actual != expected:
        problem("har_sha256", har=str(target), expected=expected, actual=actual)
    else:
        result.traffic = ("match", {"path": str(target), "sha256": actual})
