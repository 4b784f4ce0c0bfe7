"""The dashboard: FastAPI routes over the store, Jinja2 pages, htmx from /static.

``create_app`` assembles the routers of ``privwatch.web.routes`` (one per area)
behind the security headers of ``privwatch.web.security``; what the routes
share (signing in, the page's language, rendering) is ``privwatch.web.deps``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from privwatch.i18n import default_language
from privwatch.store import Store
from privwatch.web.auth import PreLogin, Throttle
from privwatch.web.deps import (
    HERE,
    Dashboard,
    NotSignedIn,
    Refused,
    not_signed_in,
    refused,
    templates,
)
from privwatch.web.jobs import WatchRunner
from privwatch.web.queries import CachedChoices, RepeatedClauses
from privwatch.web.routes import documents, findings, scorecard, signin, targets, watch
from privwatch.web.security import SecurityHeaders

#: seconds the findings page's lists of rules and platforms are reused
CHOICES_TTL = 10.0


def create_app(
    store: Store,
    *,
    session_hours: float = 12.0,
    watch_delay: float = 1.0,
    default_lang: str | None = None,
    close_store: bool = False,
) -> FastAPI:
    """The dashboard over ``store``; ``close_store`` closes it on shutdown."""
    runner = WatchRunner(store, delay=watch_delay)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await run_in_threadpool(runner.join, 30.0)
        if close_store:
            store.close()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.dashboard = Dashboard(
        store=store,
        runner=runner,
        templates=templates(),
        fallback=default_lang or default_language(),
        lifetime=timedelta(hours=session_hours),
        prelogin=PreLogin(),
        throttle=Throttle(),
        choices=CachedChoices(store, CHOICES_TTL),
        repeated=RepeatedClauses(store),
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(Refused, refused)
    for area in (signin, documents, findings, scorecard, targets, watch):
        app.include_router(area.router)
    return app
