"""Render a page that needs JavaScript in headless Chromium (optional extra).

Needs the ``playwright`` package (``pip install privwatch[render]``) and a
system Chromium: ``PRIVWATCH_CHROMIUM``, else ``chromium``, ``chromium-browser``
or ``google-chrome`` on the PATH. Playwright's own browser download is not used.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from privwatch.errors import FetchError, TooLargeError
from privwatch.ingest import netpolicy
from privwatch.ingest.source import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    MAX_REDIRECTS,
    USER_AGENT,
    RawSource,
    is_url,
    now_iso,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Route, WebSocketRoute

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
#: seconds Chromium may take to start (not counted in the page ``timeout``)
LAUNCH_TIMEOUT = 30.0
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: without the background-networking flags Chromium calls home on start
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """The Chromium to launch: ``PRIVWATCH_CHROMIUM`` if set, else the PATH."""
    configured = os.environ.get("PRIVWATCH_CHROMIUM")
    if configured:
        return configured
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def render_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> RawSource:
    """Load ``url`` in headless Chromium and return the DOM after its scripts ran.

    The page must load (the ``load`` event) within ``timeout`` seconds; what
    is left of them is spent waiting for the network to go idle, after which
    the DOM is taken as it stands.
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise FetchError(
            "fetch.render_unavailable", url=url, reason="install privwatch[render]"
        ) from None
    if not is_url(url):
        raise FetchError("fetch.invalid_url", url=url, reason="not an http(s) URL")
    netpolicy.allowed_networks()  # a bad PRIVWATCH_ALLOW_NETWORKS is told now
    executable = find_chromium()
    if executable is None:
        reason = "no Chromium found (install chromium or set PRIVWATCH_CHROMIUM)"
        raise FetchError("fetch.render_unavailable", url=url, reason=reason)
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        reason = f"{executable} is not an executable file"
        raise FetchError("fetch.render_unavailable", url=url, reason=reason)

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable,
                args=CHROMIUM_ARGS,
                headless=True,
                timeout=LAUNCH_TIMEOUT * 1000,
            )
        except PlaywrightError as exc:
            reason = _first_line(exc)
            raise FetchError(
                "fetch.render_unavailable", url=url, reason=reason
            ) from None
        deadline = time.monotonic() + timeout

        def remaining_ms() -> float:
            return max(1.0, (deadline - time.monotonic()) * 1000)

        police = _Police(remaining_ms)
        try:
            # service workers would fetch beyond page.route's reach
            context = browser.new_context(
                user_agent=USER_AGENT, service_workers="block"
            )
            page = context.new_page()
            police.page = page
            page.route("**/*", police)
            page.route_web_socket("**/*", _police_web_socket)
            target = url
            for _ in range(MAX_REDIRECTS + 1):
                police.redirect = None
                try:
                    response = page.goto(
                        target, wait_until="load", timeout=remaining_ms()
                    )
                    break
                except PlaywrightError:
                    if police.redirect is None or police.refused:
                        raise
                    target = police.redirect  # a checked redirect: go there
            else:
                raise FetchError("fetch.redirects", url=url, limit=MAX_REDIRECTS)
            if response is not None and not response.ok:
                raise FetchError(
                    "fetch.status",
                    url=url,
                    status=response.status,
                    reason=response.status_text or _phrase(response.status),
                )
            headers = (
                {k.lower(): v for k, v in response.all_headers().items()}
                if response is not None
                else None
            )
            declared = (headers or {}).get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise TooLargeError(
                    "input.too_large", source=url, size=int(declared), limit=max_bytes
                )
            # a page that keeps polling never idles: take its DOM as it stands
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_load_state("networkidle", timeout=remaining_ms())
            data = page.content().encode("utf-8")
            final_url = page.url
        except PlaywrightTimeout:
            raise FetchError("fetch.timeout", url=url, seconds=timeout) from None
        except PlaywrightError as exc:
            if police.refused:  # the page, or a redirect of it, was refused
                raise police.refused[0] from None
            if isinstance(police.failure, PlaywrightTimeout):
                raise FetchError("fetch.timeout", url=url, seconds=timeout) from None
            reason = _first_line(police.failure or exc)
            raise FetchError("fetch.unreachable", url=url, reason=reason) from None
        finally:
            browser.close()
    if len(data) > max_bytes:
        raise TooLargeError(
            "input.too_large", source=url, size=len(data), limit=max_bytes
        )
    return RawSource(
        data=data,
        uri=final_url,
        kind="url",
        fetched_at=now_iso(),
        content_type="text/html; charset=utf-8",
        http_status=response.status if response is not None else None,
        headers=headers,
    )


class _Police:
    """page.route's handler: every request (the page, its redirects, frames,
    scripts, images, XHR...) is checked by ``netpolicy`` before it is made.

    Chromium follows redirects without asking page.route again, so requests
    are fetched here (``route.fetch``) without following redirects: a redirect
    of the page itself becomes a new, checked navigation (``redirect``); one
    of a sub-resource is followed here, each hop checked."""

    def __init__(self, remaining_ms: Callable[[], float]) -> None:
        self.page: Page | None = None
        self.remaining_ms = remaining_ms
        self.refused: list[FetchError] = []
        #: where the page redirected to (checked); the caller goes there
        self.redirect: str | None = None
        #: why fetching the page itself failed
        self.failure: Exception | None = None

    def __call__(self, route: Route, request: Request) -> None:
        from playwright.sync_api import Error as PlaywrightError

        main = (
            self.page is not None
            and request.is_navigation_request()
            and request.frame == self.page.main_frame
        )
        try:
            self._handle(route, request.url, main)
        except PlaywrightError as exc:
            if main:
                self.failure = exc
            with contextlib.suppress(PlaywrightError):
                route.abort("failed")

    def _handle(self, route: Route, url: str, main: bool) -> None:
        if not is_url(url):
            route.continue_()  # data:, blob:, about: make no connection
            return
        for _ in range(MAX_REDIRECTS + 1):
            try:
                parts = urlsplit(url)
                secure = parts.scheme == "https"
                netpolicy.resolve_and_check(
                    parts.hostname or "", parts.port or (443 if secure else 80)
                )
            except netpolicy.AddressRefused as exc:
                if main:
                    self.refused.append(netpolicy.refused_error(url, exc))
                route.abort("addressunreachable")
                return
            except (OSError, ValueError):
                route.abort("namenotresolved")
                return
            response = route.fetch(
                url=url, max_redirects=0, timeout=self.remaining_ms()
            )
            location = response.headers.get("location")
            if response.status not in REDIRECT_STATUSES or not location:
                route.fulfill(response=response)
                return
            url = urljoin(url, location)
            if not is_url(url):
                break
            if main:
                self.redirect = url
                route.abort("aborted")
                return
        route.abort("failed")  # too many redirects


def _police_web_socket(socket: WebSocketRoute) -> None:
    """A WebSocket connects only to a host ``netpolicy`` allows."""
    parts = urlsplit(socket.url)
    try:
        secure = parts.scheme == "wss"
        netpolicy.resolve_and_check(
            parts.hostname or "", parts.port or (443 if secure else 80)
        )
    except (netpolicy.AddressRefused, OSError, ValueError):
        socket.close()
        return
    socket.connect_to_server()


def _phrase(status: int) -> str:
    """The standard reason phrase (HTTP/2 answers carry none)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
