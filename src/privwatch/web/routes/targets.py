"""Adding a platform to watch, or a document to a platform (editors): the
form and its checks.

The form for a platform already watched (``/targets/new?platform=ID``) comes
filled with what is stored (country, category, foreign, the web address of
its privacy document); a field left blank keeps the stored value (the store's
``add_platform`` and ``add_document`` leave fields given as None alone), and a
blank address only updates the platform."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from privwatch.errors import PrivwatchError
from privwatch.i18n import message
from privwatch.ingest import netpolicy
from privwatch.store.platforms import PlatformView, platform_rows, platform_view
from privwatch.watch import Targets, add_targets
from privwatch.web.deps import Board, CheckedEditor, Editor, language, render

router = APIRouter()


@router.get("/targets/new")
def target_form(
    request: Request, auth: Editor, board: Board, platform: int | None = None
) -> Response:
    form: dict[str, str] = {}
    if platform is not None and 0 < platform < 2**63:
        view = platform_view(board.store, platform)
        if view is not None:
            form = _prefilled(view)
    return render(request, "target.html", {"form": form, "error": None}, auth=auth)


def _prefilled(view: PlatformView) -> dict[str, str]:
    """The form for adding a document to ``view``: its stored values."""
    urls = [
        d.url
        for d in view.documents
        if d.kind == "privacy" and d.url.startswith(("http://", "https://"))
    ]  # an imported history has no address to fetch: left blank, it is kept
    return {
        "name": view.name,
        "country": view.country or "",
        "category": view.category or "",
        "foreign": "1" if view.foreign else "0",
        "type": "privacy",
        "url": urls[0] if urls else "",
        "existing": "1",
    }


def _target(form: dict[str, str]) -> dict[str, Any]:
    """The form as one platform of a targets file, with its document (none
    when the address is blank); blank fields are left out (kept as stored)."""
    document: dict[str, Any] = {
        "type": form.get("type", "privacy"),
        "url": form.get("url", "").strip(),
    }
    for name in ("render", "another"):
        if form.get(name) == "1":
            document[name] = True
    for name in ("selector", "language"):
        if form.get(name, "").strip():
            document[name] = form[name].strip()
    target: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "documents": [document] if document["url"] else [],
    }
    if form.get("foreign") in ("0", "1"):
        target["foreign"] = form["foreign"] == "1"
    for name in ("country", "category"):
        if form.get(name, "").strip():
            target[name] = form[name].strip()
    return target


def _checked(target: dict[str, Any], lang: str, known: bool) -> Targets | str:
    """The target as ``Targets``, else what is wrong with it, in ``lang``."""
    if not target["name"]:
        return message("web.target.need_name", lang)
    if not target["documents"] and not known:
        return message("web.target.need_url", lang)
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
    if not target["documents"]:
        return targets
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
    rows = await run_in_threadpool(platform_rows, board.store)
    known = any(r.name == target["name"] for r in rows)
    targets = _checked(target, language(request), known)
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
