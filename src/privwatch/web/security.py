"""Headers on every response of the dashboard, and the limit on request bodies.

The Content-Security-Policy allows scripts, styles and requests from the server
itself only, and no inline script or style.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi.responses import Response
from starlette.datastructures import MutableHeaders

#: requests with bigger bodies are refused before they are read
MAX_BODY = 1 << 20
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
