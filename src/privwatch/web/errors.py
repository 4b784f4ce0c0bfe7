"""Error answers of the dashboard, one way for every status: a page in the
interface language (``error.html``) for a browser, a line of text for htmx, a
small JSON object for an API client; never the request's own values.

``app.py`` registers ``refused`` (what a route refuses: 403, 404),
``http_error`` (unknown addresses, 405 and other HTTP errors) and
``invalid_request`` (a path id that is not one: 404; a form or query value
FastAPI refused: 422), and hands ``error_page`` to the security middleware,
which answers with it when a route fails (500) or a body is refused (411,
413), with the same headers as every other page.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from html import escape
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from privwatch.i18n import message
from privwatch.web.deps import Refused, is_api, is_htmx, language, render

#: the message of each status; others get ``web.error.other``
MESSAGES = {
    401: "web.error.unauthorized",
    403: "web.error.editors_only",
    404: "web.error.not_found",
    405: "web.error.method",
    411: "web.error.length_required",
    413: "web.error.too_large",
    422: "web.error.invalid",
    429: "web.error.too_many",
    500: "web.error.server",
}
#: headers of an HTTP error passed on to its answer
_KEPT = ("allow", "retry-after", "www-authenticate")


def error_response(
    request: Request,
    status: int,
    key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The answer for ``status`` with message ``key`` (the status's own by
    default) in the request's language."""
    text = message(key or MESSAGES.get(status, "web.error.other"), language(request))
    kept = {k: v for k, v in (headers or {}).items() if k.lower() in _KEPT}
    if is_api(request):
        return JSONResponse({"error": text}, status_code=status, headers=kept)
    if is_htmx(request):
        return Response(text, status_code=status, media_type="text/plain", headers=kept)
    auth = getattr(request.state, "auth", None)
    context = {"status": status, "text": text, "switch": _switch}
    response = render(request, "error.html", context, auth=auth, status=status)
    response.headers.update(kept)
    return response


def _switch(code: str) -> str:
    """The language links of an error page: this address again, not written
    into the page (it is what the request asked for)."""
    return f"?lang={code}"


def error_page(scope: MutableMapping[str, Any], status: int) -> Response:
    """``error_response`` for the security middleware; if even that fails (the
    server is in trouble), a plain page that needs nothing."""
    try:
        return error_response(Request(scope), status)
    except Exception:  # noqa: BLE001 - the last answer must not fail
        title = escape(str(status))
        return HTMLResponse(
            f"<!doctype html><title>{title}</title><h1>{title}</h1>",
            status_code=status,
        )


async def refused(request: Request, exc: Exception) -> Response:
    """A ``Refused`` request (a CSRF token, a viewer editing, a missing
    record): its own message with its status."""
    assert isinstance(exc, Refused)
    return error_response(request, exc.status, exc.key)


async def http_error(request: Request, exc: Exception) -> Response:
    """An HTTP error Starlette raised (no such route: 404, 405, ...)."""
    assert isinstance(exc, HTTPException)
    return error_response(request, exc.status_code, headers=exc.headers)


async def invalid_request(request: Request, exc: Exception) -> Response:
    """A request FastAPI refused: an id in the path that is none (letters, past
    64 bits) names nothing (404); a bad query or form value is 422."""
    assert isinstance(exc, RequestValidationError)
    places = {str(error.get("loc", ("",))[0]) for error in exc.errors()}
    return error_response(request, 404 if places == {"path"} else 422)
