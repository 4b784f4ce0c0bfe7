"""Findings across the store: the page (htmx swaps its table) and its JSON API."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from privwatch.models import SEVERITIES
from privwatch.store import findings as stored
from privwatch.web.deps import Board, Viewer, render, wants_partial, whole

router = APIRouter()


def _finding_filter(request: Request) -> tuple[stored.FindingFilter, int]:
    params = request.query_params
    severity = params.get("severity")
    wanted = stored.FindingFilter(
        severity=severity if severity in SEVERITIES else None,
        rule=(params.get("rule") or None),
        platform=whole(params.get("platform")),
        latest=params.get("history") != "1",
    )
    return wanted, whole(params.get("page")) or 1


@router.get("/findings")
def findings(request: Request, auth: Viewer, board: Board) -> Response:
    wanted, page = _finding_filter(request)
    result = stored.finding_page(board.store, wanted, page)
    query = {
        k: v
        for k, v in (
            ("severity", wanted.severity),
            ("rule", wanted.rule),
            ("platform", wanted.platform),
            ("history", None if wanted.latest else "1"),
        )
        if v is not None
    }

    def page_url(number: int) -> str:
        return "/findings?" + urlencode({**query, "page": number})

    context = {
        "result": result,
        "wanted": wanted,
        "page_url": page_url,
        "quote_chars": stored.QUOTE_CHARS,
    }
    if wants_partial(request):
        return render(request, "findings_table.html", context, auth=auth)
    rules, platform_choices = board.choices.get(board.runner.status.finished_at)
    return render(
        request,
        "findings.html",
        {**context, "rules": rules, "platforms": platform_choices},
        auth=auth,
    )


@router.get("/api/findings")
def findings_api(request: Request, auth: Viewer, board: Board) -> Response:
    wanted, page = _finding_filter(request)
    result = stored.finding_page(board.store, wanted, page)
    return JSONResponse(
        {
            "total": result.total,
            "page": result.page,
            "pages": result.pages,
            "findings": [
                {
                    "id": r.id,
                    "severity": r.severity,
                    "rule": r.rule,
                    "law": r.law,
                    "article": r.article,
                    "title": r.title,
                    "quote": r.quote,
                    "platform": r.platform,
                    "kind": r.kind,
                    "version": r.number,
                    "version_id": r.version_id,
                    "fetched_at": r.fetched_at.isoformat(),
                }
                for r in result.rows
            ],
        }
    )
