"""The watch panel: a cycle's status, and starting one (editors)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from privwatch.web.deps import Board, CheckedEditor, Viewer, is_api, is_htmx, render

router = APIRouter()


@router.get("/watch")
def watch_page(request: Request, auth: Viewer, board: Board) -> Response:
    return render(request, "watch.html", {"run": board.runner.status}, auth=auth)


@router.get("/watch/status")
def watch_status(request: Request, auth: Viewer, board: Board) -> Response:
    run = board.runner.status
    if is_api(request):
        return JSONResponse(
            {
                "state": run.state,
                "started_by": run.started_by,
                "started_at": run.started_at.isoformat() if run.started_at else None,
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "counts": run.counts,
                "error": run.error,
            }
        )
    return render(request, "watch_status.html", {"run": run, "busy": False}, auth=auth)


@router.post("/watch/run")
async def watch_run(request: Request, auth: CheckedEditor, board: Board) -> Response:
    started = board.runner.start(auth.name)
    if is_htmx(request):
        return render(
            request,
            "watch_status.html",
            {"run": board.runner.status, "busy": not started},
            auth=auth,
        )
    return RedirectResponse("/watch", status_code=303)
