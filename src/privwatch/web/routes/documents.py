"""Platforms, their documents' versions, and the diff of two versions."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from privwatch.diff import (
    clause_texts,
    diff_clauses,
    finding_delta,
    site_changes,
    summary,
)
from privwatch.models import SEVERITIES
from privwatch.report.diff import changed_quotes
from privwatch.store import platforms as stored
from privwatch.store.records import decode_audit
from privwatch.watch import Comparison
from privwatch.web.deps import (
    Board,
    RecordId,
    Refused,
    Viewer,
    language,
    render,
    whole,
)
from privwatch.web.present import (
    blocks_of,
    finding_groups,
    findings_of,
    parts_of,
    shown_title,
    timeline,
)
from privwatch.web.queries import scan_views

router = APIRouter()


@router.get("/")
def home(auth: Viewer) -> Response:
    return RedirectResponse("/platforms", status_code=303)


@router.get("/platforms")
def platforms(request: Request, auth: Viewer, board: Board) -> Response:
    rows = stored.platform_rows(board.store)
    return render(
        request,
        "platforms.html",
        {
            "domestic": [r for r in rows if not r.foreign],
            "foreign": [r for r in rows if r.foreign],
        },
        auth=auth,
    )


@router.get("/platforms/{platform_id}")
def platform(
    request: Request, platform_id: RecordId, auth: Viewer, board: Board
) -> Response:
    view = stored.platform_view(board.store, platform_id)
    if view is None:
        raise Refused(404, "web.error.not_found")
    charts = {d.id: timeline(d.versions) for d in view.documents}
    return render(
        request,
        "platform.html",
        {
            "platform": view,
            "charts": charts,
            "scans": scan_views(board.store, platform_id),
            "run": board.runner.status,
        },
        auth=auth,
    )


@router.get("/versions/{version_id}")
def version(
    request: Request, version_id: RecordId, auth: Viewer, board: Board
) -> Response:
    view = stored.version_view(board.store, version_id)
    if view is None:
        raise Refused(404, "web.error.not_found")
    findings = findings_of(
        decode_audit(view.audit_json), view.text, view.finding_ids, language(request)
    )
    document = view.document_json or {}
    blocks = blocks_of(view.text, document, findings)
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    earlier = [n for n in view.numbers if n < view.number]
    return render(
        request,
        "version.html",
        {
            "version": view,
            "findings": findings,
            "parts": parts_of(blocks, document, findings),
            "groups": finding_groups(findings),
            "counts": counts,
            "previous": earlier[-1] if earlier else None,
            "title": shown_title(document, view.text),
        },
        auth=auth,
    )


@router.get("/documents/{document_id}/diff")
def diff(
    request: Request, document_id: RecordId, auth: Viewer, board: Board
) -> Response:
    old = whole(request.query_params.get("from"))
    new = whole(request.query_params.get("to"))
    found = stored.document_versions(board.store, document_id, (old or 0, new or 0))
    if found is None:
        raise Refused(404, "web.error.not_found")
    name, kind, pid, numbers, picked = found
    comparison = None
    if len(numbers) >= 2:
        if new not in numbers:
            new = numbers[-1]
        if old not in numbers or old == new:
            earlier = [n for n in numbers if n < new]
            old = earlier[-1] if earlier else next(n for n in numbers if n != new)
        if old not in picked or new not in picked:
            found = stored.document_versions(board.store, document_id, (old, new))
            picked = found[4] if found else {}
        before, after = picked[old], picked[new]
        comparison = Comparison(
            name,
            kind,
            before,
            after,
            diff_clauses(
                clause_texts(before.document_json),
                clause_texts(after.document_json),
            ),
            finding_delta(
                decode_audit(before.audit_json), decode_audit(after.audit_json)
            ),
        )
    show_repeated = request.query_params.get("repeated") == "show"
    hidden = 0
    if comparison is not None and board.repeated is not None:
        repeated = board.repeated.get(pid)
        marked = site_changes(comparison.changes, repeated)
        kept = [
            c for c, site in zip(comparison.changes, marked, strict=True) if not site
        ]
        hidden = len(comparison.changes) - len(kept)
        if not show_repeated:
            comparison = replace(comparison, changes=kept)
    return render(
        request,
        "diff.html",
        {
            "platform_name": name,
            "platform_id": pid,
            "document_id": document_id,
            "kind": kind,
            "numbers": numbers,
            "old": old,
            "new": new,
            "comparison": comparison,
            "summary": summary(comparison.changes) if comparison else None,
            "hidden": hidden,
            "show_repeated": show_repeated,
            "changed_quotes": changed_quotes,
        },
        auth=auth,
    )
