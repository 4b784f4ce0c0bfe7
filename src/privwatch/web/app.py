"""The dashboard: FastAPI routes over the store, Jinja2 pages, htmx from /static.

Every page but /login and /static needs a signed-in user (pages redirect to
/login, htmx and API requests get 401); editors may also add targets and start
a watch cycle (viewers get 403); every POST carries the CSRF token of its form.
Responses carry a Content-Security-Policy that allows scripts, styles and
requests from the server itself only, and no inline script or style.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders

from privwatch.diff import clause_texts, diff_clauses, finding_delta, summary
from privwatch.errors import PrivwatchError
from privwatch.i18n import LANGUAGES, default_language, message
from privwatch.ingest import netpolicy
from privwatch.models import Finding
from privwatch.report.table import article_label
from privwatch.rules.words import finding_words
from privwatch.store import Store
from privwatch.store.records import decode_audit
from privwatch.watch import Comparison, Targets, add_targets
from privwatch.web import queries
from privwatch.web.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    PRELOGIN_COOKIE,
    SESSION_COOKIE,
    PreLogin,
    SignedIn,
    Throttle,
    close_session,
    cookie_name,
    find_session,
    open_session,
    same,
)
from privwatch.web.jobs import WatchRunner
from privwatch.web.present import (
    STATUS_SYMBOL,
    ScoreColumn,
    ScoreGroup,
    blocks_of,
    findings_of,
    scorecard_view,
    timeline,
)
from privwatch.web.users import MAX_PASSWORD, authenticate

HERE = Path(__file__).parent
LANG_COOKIE = "privwatch_lang"
#: requests with bigger bodies are refused before they are read
MAX_BODY = 1 << 20
#: seconds the findings page's lists of rules and platforms are reused
CHOICES_TTL = 10.0

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}

ASGIApp = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[MutableMapping[str, Any]]],
        Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ],
    Awaitable[None],
]


class SecurityHeaders:
    """Headers on every response; pages are never cached; bodies over MAX_BODY,
    or of no stated size, are refused (413, 411) before anything reads them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        status = None
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            status = 413
        elif length is None and b"transfer-encoding" in headers:
            status = 411  # a body of unknown size: forms always say theirs
        if status is not None:
            response = Response(status_code=status)
            await response(scope, receive, self._sending(scope, send))
            return
        await self.app(scope, receive, self._sending(scope, send))

    @staticmethod
    def _sending(
        scope: MutableMapping[str, Any],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> Callable[[MutableMapping[str, Any]], Awaitable[None]]:
        static = str(scope.get("path", "")).startswith("/static/")

        async def sending(event: MutableMapping[str, Any]) -> None:
            if event["type"] == "http.response.start":
                headers = MutableHeaders(scope=event)
                for name, value in HEADERS.items():
                    headers[name] = value
                headers["cache-control"] = "no-cache" if static else "no-store"
                if scope.get("scheme") == "https":
                    headers["strict-transport-security"] = "max-age=31536000"
            await send(event)

        return sending


class NotSignedIn(Exception):
    pass


class Refused(Exception):
    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status, self.key = status, key


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _wants_partial(request: Request) -> bool:
    return _is_htmx(request) and "hx-history-restore-request" not in request.headers


def _is_api(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


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


def _day(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d}"


def _stamp(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


def _web_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _int(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit() or len(value) > 12:
        return None
    return int(value)


def _scorecard(store: Store) -> dict[str, Any] | None:
    """The scorecard (``privwatch.scorecard/1``), or None where this build has
    no ``privwatch.report.scorecard``."""
    try:
        module = importlib.import_module("privwatch.report.scorecard")
        build = importlib.import_module("privwatch.evaluate.scorecard")
        card = build.build_scorecard(store, kind="privacy")
    except ImportError:
        return None
    result: dict[str, Any] = module.scorecard_to_dict(card)
    return result


def signed_in(request: Request) -> SignedIn:
    """The user whose session cookie came with the request, else NotSignedIn."""
    store: Store = request.app.state.store
    token = request.cookies.get(cookie_name(SESSION_COOKIE, _secure(request)))
    found = find_session(store, token)
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


def create_app(
    store: Store,
    *,
    session_hours: float = 12.0,
    watch_delay: float = 1.0,
    default_lang: str | None = None,
    close_store: bool = False,
) -> FastAPI:
    """The dashboard over ``store``; ``close_store`` closes it on shutdown."""
    fallback = default_lang or default_language()
    lifetime = timedelta(hours=session_hours)
    runner = WatchRunner(store, delay=watch_delay)
    prelogin = PreLogin()
    throttle = Throttle()
    templates = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates.filters.update(day=_day, stamp=_stamp)
    templates.tests["web_url"] = _web_url
    choices = queries.CachedChoices(store, CHOICES_TTL)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await run_in_threadpool(runner.join, 30.0)
        if close_store:
            store.close()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.runner = runner
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def language(request: Request) -> str:
        asked = request.query_params.get("lang")
        if asked in LANGUAGES:
            return str(asked)
        kept = request.cookies.get(LANG_COOKIE)
        if kept in LANGUAGES:
            return str(kept)
        return _accepted(request.headers.get("accept-language", "")) or fallback

    def render(
        request: Request,
        name: str,
        context: dict[str, Any],
        *,
        auth: SignedIn | None = None,
        status: int = 200,
    ) -> HTMLResponse:
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

        body = templates.get_template(name).render(
            t=t,
            cite=cite,
            finding_title=finding_title,
            lang=lang,
            auth=auth,
            path=request.url.path,
            switch=switch,
            severities=queries.SEVERITIES,
            csrf_field=CSRF_FIELD,
            **context,
        )
        response = HTMLResponse(body, status_code=status)
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie(
                LANG_COOKIE,
                language(request),
                max_age=365 * 86400,
                httponly=True,
                samesite="strict",
                secure=_secure(request),
            )
        response.headers["vary"] = "HX-Request, Cookie, Accept-Language"
        return response

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _: Exception) -> Response:
        if request.method == "GET" and not _is_htmx(request) and not _is_api(request):
            target = request.url.path
            if request.url.query:
                target += "?" + request.url.query
            return RedirectResponse(
                "/login?" + urlencode({"next": target}), status_code=303
            )
        text = message("web.error.unauthorized", language(request))
        if _is_api(request):
            return JSONResponse({"error": text}, status_code=401)
        return Response(
            text,
            status_code=401,
            media_type="text/plain",
            headers={"hx-redirect": "/login", "www-authenticate": "Cookie"},
        )

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        text = message(exc.key, language(request))
        if _is_api(request):
            return JSONResponse({"error": text}, status_code=exc.status)
        if _is_htmx(request):
            return Response(text, status_code=exc.status, media_type="text/plain")
        auth = getattr(request.state, "auth", None)
        return render(
            request,
            "error.html",
            {"status": exc.status, "text": text},
            auth=auth,
            status=exc.status,
        )

    # --- signing in and out -------------------------------------------------

    def login_page(
        request: Request, *, error: str | None = None, status: int = 200
    ) -> HTMLResponse:
        nonce, token = prelogin.issue()
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
            cookie_name(PRELOGIN_COOKIE, _secure(request)),
            nonce,
            max_age=3600,
            path="/",
            httponly=True,
            samesite="strict",
            secure=_secure(request),
        )
        return response

    @app.get("/login")
    def login_form(request: Request) -> Response:
        return login_page(request)

    @app.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        nonce = request.cookies.get(cookie_name(PRELOGIN_COOKIE, _secure(request)))
        token = form.get(CSRF_FIELD)
        if not prelogin.check(nonce, token if isinstance(token, str) else None):
            return login_page(
                request,
                error=message("web.login.expired", language(request)),
                status=403,
            )
        name, password = form.get("name"), form.get("password")
        if not isinstance(name, str) or not isinstance(password, str):
            name, password = "", ""
        name = name.strip()[:200]
        if throttle.blocked(name):
            return login_page(
                request,
                error=message("web.login.throttled", language(request)),
                status=429,
            )
        user = await run_in_threadpool(
            authenticate, store, name, password[: MAX_PASSWORD + 1]
        )
        if user is None:
            throttle.failed(name)
            return login_page(
                request,
                error=message("web.login.failed", language(request)),
                status=401,
            )
        throttle.succeeded(name)
        secure = _secure(request)
        previous = request.cookies.get(cookie_name(SESSION_COOKIE, secure))
        if previous:  # signing in again replaces the browser's old session
            found = await run_in_threadpool(find_session, store, previous)
            if found is not None:
                await run_in_threadpool(close_session, store, found.token_sha256)
        session_token = await run_in_threadpool(open_session, store, user.id, lifetime)
        target = form.get("next")
        response = RedirectResponse(
            _local(target if isinstance(target, str) else None), status_code=303
        )
        response.set_cookie(
            cookie_name(SESSION_COOKIE, secure),
            session_token,
            max_age=int(lifetime.total_seconds()),
            path="/",
            httponly=True,
            samesite="strict",
            secure=secure,
        )
        response.delete_cookie(
            cookie_name(PRELOGIN_COOKIE, secure),
            path="/",
            httponly=True,
            samesite="strict",
            secure=secure,
        )
        return response

    @app.post("/logout")
    async def logout(request: Request, auth: Checked) -> Response:
        await run_in_threadpool(close_session, store, auth.token_sha256)
        response = RedirectResponse("/login", status_code=303)
        secure = _secure(request)
        response.delete_cookie(
            cookie_name(SESSION_COOKIE, secure),
            path="/",
            httponly=True,
            samesite="strict",
            secure=secure,
        )
        return response

    # --- pages --------------------------------------------------------------

    @app.get("/")
    def home(auth: Viewer) -> Response:
        return RedirectResponse("/platforms", status_code=303)

    @app.get("/platforms")
    def platforms(request: Request, auth: Viewer) -> Response:
        rows = queries.platform_rows(store)
        return render(
            request,
            "platforms.html",
            {
                "domestic": [r for r in rows if not r.foreign],
                "foreign": [r for r in rows if r.foreign],
            },
            auth=auth,
        )

    @app.get("/platforms/{platform_id}")
    def platform(request: Request, platform_id: int, auth: Viewer) -> Response:
        view = queries.platform_view(store, platform_id)
        if view is None:
            raise Refused(404, "web.error.not_found")
        charts = {d.id: timeline(d.versions) for d in view.documents}
        return render(
            request,
            "platform.html",
            {
                "platform": view,
                "charts": charts,
                "scans": queries.scan_views(store, platform_id),
                "run": runner.status,
            },
            auth=auth,
        )

    @app.get("/versions/{version_id}")
    def version(request: Request, version_id: int, auth: Viewer) -> Response:
        view = queries.version_view(store, version_id)
        if view is None:
            raise Refused(404, "web.error.not_found")
        findings = findings_of(
            decode_audit(view.audit_json),
            view.text,
            view.finding_ids,
            language(request),
        )
        blocks = blocks_of(view.text, view.document_json or {}, findings)
        counts = dict.fromkeys(queries.SEVERITIES, 0)
        for finding in findings:
            counts[finding.severity] += 1
        earlier = [n for n in view.numbers if n < view.number]
        return render(
            request,
            "version.html",
            {
                "version": view,
                "findings": findings,
                "blocks": blocks,
                "counts": counts,
                "previous": earlier[-1] if earlier else None,
                "title": (view.document_json or {}).get("title") or "",
            },
            auth=auth,
        )

    @app.get("/documents/{document_id}/diff")
    def diff(request: Request, document_id: int, auth: Viewer) -> Response:
        old = _int(request.query_params.get("from"))
        new = _int(request.query_params.get("to"))
        found = queries.document_versions(store, document_id, (old or 0, new or 0))
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
                found = queries.document_versions(store, document_id, (old, new))
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
            },
            auth=auth,
        )

    def finding_filter(request: Request) -> tuple[queries.FindingFilter, int]:
        params = request.query_params
        severity = params.get("severity")
        wanted = queries.FindingFilter(
            severity=severity if severity in queries.SEVERITIES else None,
            rule=(params.get("rule") or None),
            platform=_int(params.get("platform")),
            latest=params.get("latest") == "1",
        )
        return wanted, _int(params.get("page")) or 1

    @app.get("/findings")
    def findings(request: Request, auth: Viewer) -> Response:
        wanted, page = finding_filter(request)
        result = queries.finding_page(store, wanted, page)
        query = {
            k: v
            for k, v in (
                ("severity", wanted.severity),
                ("rule", wanted.rule),
                ("platform", wanted.platform),
                ("latest", "1" if wanted.latest else None),
            )
            if v is not None
        }

        def page_url(number: int) -> str:
            return "/findings?" + urlencode({**query, "page": number})

        context = {
            "result": result,
            "wanted": wanted,
            "page_url": page_url,
            "quote_chars": queries.QUOTE_CHARS,
        }
        if _wants_partial(request):
            return render(request, "findings_table.html", context, auth=auth)
        rules, platform_choices = choices.get(runner.status.finished_at)
        return render(
            request,
            "findings.html",
            {**context, "rules": rules, "platforms": platform_choices},
            auth=auth,
        )

    @app.get("/api/findings")
    def findings_api(request: Request, auth: Viewer) -> Response:
        wanted, page = finding_filter(request)
        result = queries.finding_page(store, wanted, page)
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

    @app.get("/scorecard")
    def scorecard(request: Request, auth: Viewer) -> Response:
        card = _scorecard(store)
        columns: list[ScoreColumn] = []
        groups: list[ScoreGroup] = []
        if card is not None:
            ids = {row.name: row.id for row in queries.platform_rows(store)}
            columns, groups = scorecard_view(card, language(request), ids)
        return render(
            request,
            "scorecard.html",
            {
                "card": card,
                "columns": columns,
                "groups": groups,
                "symbols": STATUS_SYMBOL,
            },
            auth=auth,
        )

    # --- editors ------------------------------------------------------------

    @app.get("/targets/new")
    def target_form(request: Request, auth: Editor) -> Response:
        return render(request, "target.html", {"form": {}, "error": None}, auth=auth)

    @app.post("/targets")
    async def add_target(request: Request, auth: CheckedEditor) -> Response:
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
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
        error = None
        if not target["name"]:
            error = message("web.target.need_name", language(request))
        else:
            try:
                targets = Targets.model_validate({"platforms": [target]})
            except ValidationError as exc:
                first = exc.errors()[0]
                error = message(
                    "web.target.invalid",
                    language(request),
                    field=str(first["loc"][-1]) if first["loc"] else "",
                    reason=first["msg"],
                )
        if error is None:
            try:  # an address the fetch would refuse is told now
                netpolicy.check_url(document["url"])
            except netpolicy.AddressRefused as exc:
                refused = netpolicy.refused_error(document["url"], exc)
                error = refused.render(language(request))
            except PrivwatchError as exc:
                error = exc.render(language(request))
        if error is not None:
            return render(
                request,
                "target.html",
                {"form": form, "error": error},
                auth=auth,
                status=422,
            )
        try:
            await run_in_threadpool(add_targets, store, targets)
        except PrivwatchError as exc:
            return render(
                request,
                "target.html",
                {"form": form, "error": exc.render(language(request))},
                auth=auth,
                status=422,
            )
        choices.forget()
        rows = await run_in_threadpool(queries.platform_rows, store)
        pid = next(r.id for r in rows if r.name == target["name"])
        return RedirectResponse(f"/platforms/{pid}", status_code=303)

    @app.get("/watch")
    def watch_page(request: Request, auth: Viewer) -> Response:
        return render(request, "watch.html", {"run": runner.status}, auth=auth)

    @app.get("/watch/status")
    def watch_status(request: Request, auth: Viewer) -> Response:
        run = runner.status
        if _is_api(request):
            return JSONResponse(
                {
                    "state": run.state,
                    "started_by": run.started_by,
                    "started_at": run.started_at.isoformat()
                    if run.started_at
                    else None,
                    "finished_at": run.finished_at.isoformat()
                    if run.finished_at
                    else None,
                    "counts": run.counts,
                    "error": run.error,
                }
            )
        return render(
            request, "watch_status.html", {"run": run, "busy": False}, auth=auth
        )

    @app.post("/watch/run")
    async def watch_run(request: Request, auth: CheckedEditor) -> Response:
        started = runner.start(auth.name)
        if _is_htmx(request):
            return render(
                request,
                "watch_status.html",
                {"run": runner.status, "busy": not started},
                auth=auth,
            )
        return RedirectResponse("/watch", status_code=303)

    return app
