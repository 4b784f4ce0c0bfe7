"""What every route of the dashboard shares: the dashboard's state, the page's
language, rendering a template, and the dependencies that sign a request in.

Every page but /login and /static needs a signed-in user (``Viewer``: pages
redirect to /login, htmx and API requests get 401); editors may also add
targets and start a watch cycle (``Editor``: viewers get 403); every POST
carries the CSRF token of its form (``Checked``, ``CheckedEditor``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from privwatch.i18n import LANGUAGES, localize, message
from privwatch.models import SEVERITIES, Finding
from privwatch.report.table import article_label
from privwatch.rules.words import finding_words
from privwatch.store import Store
from privwatch.web.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    PreLogin,
    SignedIn,
    cookie_name,
    find_session,
    same,
)
from privwatch.web.jobs import WatchRunner
from privwatch.web.present import source_label
from privwatch.web.queries import CachedChoices, RepeatedClauses
from privwatch.web.throttle import PasswordChecks, Throttle

HERE = Path(__file__).parent
LANG_COOKIE = "privwatch_lang"


@dataclass(frozen=True)
class Dashboard:
    """One dashboard's store, watch runner, templates and sign-in state
    (``app.state.dashboard``)."""

    store: Store
    runner: WatchRunner
    templates: jinja2.Environment
    fallback: str
    """The language of a request that asks for none of ours."""
    lifetime: timedelta
    """How long a sign-in lasts."""
    prelogin: PreLogin
    throttle: Throttle
    choices: CachedChoices
    checks: PasswordChecks
    """How many password checks run at once."""
    repeated: RepeatedClauses | None = None
    """The clauses repeated on a site's versions (menus, footers), for diffs."""


def dashboard(request: Request) -> Dashboard:
    found: Dashboard = request.app.state.dashboard
    return found


Board = Annotated[Dashboard, Depends(dashboard)]


def templates() -> jinja2.Environment:
    """The Jinja2 environment of the dashboard's pages."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(day=_day, stamp=_stamp)
    environment.filters["source"] = source_label
    environment.tests["web_url"] = _web_url
    return environment


def _day(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d}"


def _stamp(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


def _web_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


class NotSignedIn(Exception):
    pass


class Refused(Exception):
    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status, self.key = status, key


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def wants_partial(request: Request) -> bool:
    return is_htmx(request) and "hx-history-restore-request" not in request.headers


def is_api(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


#: the largest id a store holds: ids are INTEGER columns, signed 32-bit in
#: PostgreSQL (SQLite's go to 2**63 - 1, but count up from 1 as well); a
#: larger number reached the database and failed there (a 500)
MAX_ID = 2**31 - 1
#: an id in a route's path: 1 to MAX_ID, else the page is not found (404)
RecordId = Annotated[int, PathParam(ge=1, le=MAX_ID)]


def whole(value: str | None) -> int | None:
    """A query parameter as a whole number up to MAX_ID (ids, version and
    page numbers: a larger one failed in PostgreSQL), else None."""
    if value is None or not value.strip().isdigit() or len(value) > 12:
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def record_id(value: str | None) -> int | None:
    """A form or query value as a stored id (1 to MAX_ID), else None."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def _accepted(header: str) -> str | None:
    """The first of our languages in an Accept-Language header, by weight."""
    best: tuple[float, str] | None = None
    for part in header.split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        code = tag.strip().lower()[:2]
        if code in LANGUAGES and weight > 0 and (best is None or weight > best[0]):
            best = (weight, code)
    return best[1] if best else None


def language(request: Request) -> str:
    """The page's language: asked in ``?lang=``, else kept in the cookie, else
    the browser's Accept-Language, else the dashboard's default."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return str(asked)
    kept = request.cookies.get(LANG_COOKIE)
    if kept in LANGUAGES:
        return str(kept)
    fallback = dashboard(request).fallback
    return _accepted(request.headers.get("accept-language", "")) or fallback


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    auth: SignedIn | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The template ``name`` in the page's language (kept in a cookie when the
    request asked for it)."""
    lang = language(request)

    def t(key: str, **params: Any) -> str:
        return message(key, lang, **params)

    def cite(law: str, article: str) -> str:
        """``개인정보 보호법 제28조의8제2항`` / ``PIPA Art. 28-8(2)``."""
        try:
            name = message(f"law.{law}", lang)
        except KeyError:
            name = law
        return f"{name} {article_label(article, lang)}" if article else name

    def finding_title(finding: Finding) -> str:
        """A finding's title in the page's language."""
        return finding_words(finding, lang).title

    def switch(code: str) -> str:
        query = dict(request.query_params)
        query["lang"] = code
        return f"{request.url.path}?{urlencode(query)}"

    body = (
        dashboard(request)
        .templates.get_template(name)
        .render(
            {
                "t": t,
                "cite": cite,
                "finding_title": finding_title,
                "lang": lang,
                "auth": auth,
                "path": request.url.path,
                "switch": switch,
                "severities": SEVERITIES,
                "csrf_field": CSRF_FIELD,
                "said": lambda text: localize(text, lang),
                **context,  # may replace the above (error pages: ``switch``)
            }
        )
    )
    response = HTMLResponse(body, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 86400,
            httponly=True,
            samesite="strict",
            secure=secure(request),
        )
    response.headers["vary"] = "HX-Request, Cookie, Accept-Language"
    return response


async def not_signed_in(request: Request, _: Exception) -> Response:
    """Pages go to /login (and back after it); htmx and API requests get 401."""
    if request.method == "GET" and not is_htmx(request) and not is_api(request):
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(
            "/login?" + urlencode({"next": target}), status_code=303
        )
    text = message("web.error.unauthorized", language(request))
    if is_api(request):
        return JSONResponse({"error": text}, status_code=401)
    return Response(
        text,
        status_code=401,
        media_type="text/plain",
        headers={"hx-redirect": "/login", "www-authenticate": "Cookie"},
    )


def signed_in(request: Request) -> SignedIn:
    """The user whose session cookie came with the request, else NotSignedIn."""
    token = request.cookies.get(cookie_name(SESSION_COOKIE, secure(request)))
    found = find_session(dashboard(request).store, token)
    if found is None:
        raise NotSignedIn()
    request.state.auth = found
    return found


Viewer = Annotated[SignedIn, Depends(signed_in)]


async def checked(request: Request, auth: Viewer) -> SignedIn:
    """The signed-in user of a POST whose CSRF token is the session's."""
    form = await request.form()
    token = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not isinstance(token, str) or not same(token, auth.csrf_token):
        raise Refused(403, "web.error.csrf")
    return auth


Checked = Annotated[SignedIn, Depends(checked)]


def editor(auth: Viewer) -> SignedIn:
    if not auth.editor:
        raise Refused(403, "web.error.editors_only")
    return auth


def checked_editor(auth: Checked) -> SignedIn:
    return editor(auth)


Editor = Annotated[SignedIn, Depends(editor)]
CheckedEditor = Annotated[SignedIn, Depends(checked_editor)]
