"""The dashboard: FastAPI routes over the store, Jinja2 pages, htmx from /static.

``create_app`` assembles the routers of ``privwatch.web.routes`` (one per area)
behind the security headers of ``privwatch.web.security``; what the routes
share (signing in, the page's language, rendering) is ``privwatch.web.deps``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from privwatch.i18n import default_language
from privwatch.store import Store
from privwatch.web.auth import PreLogin
from privwatch.web.deps import (
    HERE,
    Dashboard,
    NotSignedIn,
    Refused,
    not_signed_in,
    templates,
)
from privwatch.web.errors import error_page, http_error, invalid_request, refused
from privwatch.web.jobs import WatchRunner
from privwatch.web.queries import CachedChoices, RepeatedClauses
from privwatch.web.routes import (
    documents,
    findings,
    products,
    scorecard,
    signin,
    targets,
    watch,
)
from privwatch.web.security import SecurityHeaders, TrustedProxies, networks
from privwatch.web.throttle import Limits, PasswordChecks, Throttle

#: seconds the findings page's lists of rules and platforms are reused
CHOICES_TTL = 10.0


def create_app(
    store: Store,
    *,
    session_hours: float = 12.0,
    watch_delay: float = 1.0,
    default_lang: str | None = None,
    close_store: bool = False,
    limits: Limits | None = None,
    trusted_proxies: Iterable[str] = (),
    token_seconds: float = 600.0,
) -> FastAPI:
    """The dashboard over ``store``; ``close_store`` closes it on shutdown.
    ``limits`` bound signing in (``privwatch.web.throttle``); forwarded
    headers are believed from ``trusted_proxies`` only; a sign-in form's
    token lasts ``token_seconds``."""
    limits = limits or Limits()
    trusted = networks(trusted_proxies)
    runner = WatchRunner(store, delay=watch_delay)
    checks = PasswordChecks(limits.checks, limits.spare)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await run_in_threadpool(runner.join, 30.0)
        checks.close()
        if close_store:
            store.close()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.dashboard = Dashboard(
        store=store,
        runner=runner,
        templates=templates(),
        fallback=default_lang or default_language(),
        lifetime=timedelta(hours=session_hours),
        prelogin=PreLogin(ttl=token_seconds),
        throttle=Throttle(limits),
        choices=CachedChoices(store, CHOICES_TTL),
        checks=checks,
        repeated=RepeatedClauses(store),
    )
    app.add_middleware(SecurityHeaders, error_page=error_page)
    app.add_middleware(TrustedProxies, trusted=trusted)  # outermost: runs first
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(Refused, refused)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    for area in (signin, documents, findings, scorecard, targets, watch, products):
        app.include_router(area.router)
    return app
