"""The watch panel: a cycle's status, and starting one (editors)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from privwatch.web.deps import (
    Board,
    CheckedEditor,
    Refused,
    Viewer,
    is_api,
    is_htmx,
    render,
    whole,
)

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
                "platform": run.platform,
            }
        )
    return render(request, "watch_status.html", {"run": run, "busy": False}, auth=auth)


@router.post("/watch/run")
async def watch_run(request: Request, auth: CheckedEditor, board: Board) -> Response:
    """Start a cycle: of one platform's documents when the form names it
    (``platform``: its id), else of every platform's."""
    form = await request.form()
    asked = form.get("platform")
    platform = None
    if isinstance(asked, str) and asked.strip():
        pid = whole(asked)
        names = {p.id: p.name for p in board.store.platforms()}
        if pid not in names:
            raise Refused(404, "web.error.not_found")
        platform = names[pid]
    started = board.runner.start(auth.name, platform)
    if is_htmx(request):
        return render(
            request,
            "watch_status.html",
            {"run": board.runner.status, "busy": not started},
            auth=auth,
        )
    return RedirectResponse("/watch", status_code=303)
