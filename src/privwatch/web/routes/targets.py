"""Adding a platform to watch (editors): the form and its checks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from privwatch.errors import PrivwatchError
from privwatch.i18n import message
from privwatch.ingest import netpolicy
from privwatch.store.platforms import platform_rows
from privwatch.watch import Targets, add_targets
from privwatch.web.deps import Board, CheckedEditor, Editor, language, render

router = APIRouter()


@router.get("/targets/new")
def target_form(request: Request, auth: Editor) -> Response:
    return render(request, "target.html", {"form": {}, "error": None}, auth=auth)


def _target(form: dict[str, str]) -> dict[str, Any]:
    """The form as one platform of a targets file, with its one document."""
    document: dict[str, Any] = {
        "type": form.get("type", "privacy"),
        "url": form.get("url", "").strip(),
        "render": form.get("render") == "1",
    }
    for name in ("selector", "language"):
        if form.get(name, "").strip():
            document[name] = form[name].strip()
    target: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "foreign": form.get("foreign") == "1",
        "documents": [document],
    }
    for name in ("country", "category"):
        if form.get(name, "").strip():
            target[name] = form[name].strip()
    return target


def _checked(target: dict[str, Any], lang: str) -> Targets | str:
    """The target as ``Targets``, else what is wrong with it, in ``lang``."""
    if not target["name"]:
        return message("web.target.need_name", lang)
    try:
        targets = Targets.model_validate({"platforms": [target]})
    except PrivwatchError as exc:  # a field privwatch.fields refused
        return exc.render(lang)
    except ValidationError as exc:
        first = exc.errors()[0]
        return message(
            "web.target.invalid",
            lang,
            field=str(first["loc"][-1]) if first["loc"] else "",
            reason=first["msg"],
        )
    url = target["documents"][0]["url"]
    try:  # an address the fetch would refuse is told now
        netpolicy.check_url(url)
    except netpolicy.AddressRefused as exc:
        return netpolicy.refused_error(url, exc).render(lang)
    except PrivwatchError as exc:
        return exc.render(lang)
    return targets


@router.post("/targets")
async def add_target(request: Request, auth: CheckedEditor, board: Board) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    target = _target(form)
    targets = _checked(target, language(request))
    if isinstance(targets, Targets):
        try:
            await run_in_threadpool(add_targets, board.store, targets)
        except PrivwatchError as exc:
            targets = exc.render(language(request))
    if not isinstance(targets, Targets):
        return render(
            request,
            "target.html",
            {"form": form, "error": targets},
            auth=auth,
            status=422,
        )
    board.choices.forget()
    rows = await run_in_threadpool(platform_rows, board.store)
    pid = next(r.id for r in rows if r.name == target["name"])
    return RedirectResponse(f"/platforms/{pid}", status_code=303)
