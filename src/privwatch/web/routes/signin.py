"""Signing in (``/login``) and out (``/logout``).

A sign-in form's token is used up by its first attempt; the attempt is then
reserved under the limits of ``privwatch.web.throttle`` (429 when refused),
waits out the name's slow-down, and has its password checked if one of the
few checks is free (else 503 at once).
"""

from __future__ import annotations

import asyncio
import math
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from privwatch.accounts import MAX_PASSWORD, authenticate
from privwatch.i18n import message
from privwatch.web.auth import (
    CSRF_FIELD,
    PRELOGIN_COOKIE,
    SESSION_COOKIE,
    close_session,
    cookie_name,
    find_session,
    open_session,
)
from privwatch.web.deps import Board, Checked, Dashboard, language, render, secure
from privwatch.web.throttle import Busy, Refusal

router = APIRouter()


def _local(target: str | None) -> str:
    """A redirect target inside this site, else the platforms page."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return "/platforms"
    return target


def _login_page(
    request: Request,
    board: Dashboard,
    *,
    error: str | None = None,
    status: int = 200,
    retry_after: int | None = None,
) -> HTMLResponse:
    nonce, token = board.prelogin.issue()
    response = render(
        request,
        "login.html",
        {
            "token": token,
            "error": error,
            "next": _local(request.query_params.get("next")),
        },
        status=status,
    )
    response.set_cookie(
        cookie_name(PRELOGIN_COOKIE, secure(request)),
        nonce,
        max_age=int(board.prelogin.ttl),
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure(request),
    )
    if retry_after is not None:
        response.headers["retry-after"] = str(retry_after)
    return response


@router.get("/login")
def login_form(request: Request, board: Board) -> Response:
    return _login_page(request, board)


def _address(request: Request) -> str:
    """The client's address (a trusted proxy's X-Forwarded-For applied)."""
    return request.client.host if request.client else "unknown"


@router.post("/login")
async def login(request: Request, board: Board) -> Response:
    """Check the form's token (one use), reserve the attempt, wait out the
    name's slow-down, check the password if a check is free."""
    form = await request.form()
    lang = language(request)
    nonce = request.cookies.get(cookie_name(PRELOGIN_COOKIE, secure(request)))
    token = form.get(CSRF_FIELD)
    if not board.prelogin.check(nonce, token if isinstance(token, str) else None):
        error = message("web.login.expired", lang)
        return _login_page(request, board, error=error, status=403)
    name, password = form.get("name"), form.get("password")
    if not isinstance(name, str) or not isinstance(password, str):
        name, password = "", ""
    name = name.strip()[:200]
    attempt = board.throttle.reserve(name, _address(request))
    if isinstance(attempt, Refusal):
        minutes = math.ceil(attempt.retry_after / 60)
        error = message(f"web.login.throttled_{attempt.reason}", lang, minutes=minutes)
        return _login_page(
            request, board, error=error, status=429, retry_after=attempt.retry_after
        )
    if attempt.delay:
        await asyncio.sleep(attempt.delay)
    try:
        user = await board.checks.run(
            partial(authenticate, board.store, name, password[: MAX_PASSWORD + 1]),
            known=attempt.known,
        )
    except Busy:
        board.throttle.cancel(attempt)
        error = message("web.login.busy", lang)
        return _login_page(request, board, error=error, status=503, retry_after=2)
    if user is None:
        error = message("web.login.failed", lang)
        return _login_page(request, board, error=error, status=401)
    board.throttle.succeeded(attempt)
    return await _signed_in(request, board, form, user.id)


async def _signed_in(
    request: Request, board: Board, form: FormData, user_id: int
) -> Response:
    """A new session for the user (replacing the browser's old one), and the
    way back to the page that asked for signing in."""
    store, is_secure = board.store, secure(request)
    previous = request.cookies.get(cookie_name(SESSION_COOKIE, is_secure))
    if previous:
        found = await run_in_threadpool(find_session, store, previous)
        if found is not None:
            await run_in_threadpool(close_session, store, found.token_sha256)
    session_token = await run_in_threadpool(
        open_session, store, user_id, board.lifetime
    )
    target = form.get("next")
    response = RedirectResponse(
        _local(target if isinstance(target, str) else None), status_code=303
    )
    response.set_cookie(
        cookie_name(SESSION_COOKIE, is_secure),
        session_token,
        max_age=int(board.lifetime.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=is_secure,
    )
    _forget(response, PRELOGIN_COOKIE, is_secure)
    return response


@router.post("/logout")
async def logout(request: Request, auth: Checked, board: Board) -> Response:
    await run_in_threadpool(close_session, board.store, auth.token_sha256)
    response = RedirectResponse("/login", status_code=303)
    _forget(response, SESSION_COOKIE, secure(request))
    return response


def _forget(response: Response, cookie: str, is_secure: bool) -> None:
    response.delete_cookie(
        cookie_name(cookie, is_secure),
        path="/",
        httponly=True,
        samesite="strict",
        secure=is_secure,
    )
