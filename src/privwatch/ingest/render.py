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
from http import HTTPStatus

from privwatch.errors import FetchError, TooLargeError
from privwatch.ingest.source import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    USER_AGENT,
    RawSource,
    is_url,
    now_iso,
)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
#: seconds Chromium may take to start (not counted in the page ``timeout``)
LAUNCH_TIMEOUT = 30.0
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

        try:
            page = browser.new_context(user_agent=USER_AGENT).new_page()
            response = page.goto(url, wait_until="load", timeout=remaining_ms())
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
            reason = _first_line(exc)
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


def _phrase(status: int) -> str:
    """The standard reason phrase (HTTP/2 answers carry none)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
