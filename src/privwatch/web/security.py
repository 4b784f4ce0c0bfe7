"""Headers on every response of the dashboard, the limit on request bodies,
and the proxies whose forwarded headers are believed.

The Content-Security-Policy allows scripts, styles and requests from the server
itself only, and no inline script or style.

``X-Forwarded-For`` and ``X-Forwarded-Proto`` are honoured only when the peer
is one of the trusted proxies (``privwatch serve --trusted-proxy``; none by
default, loopback included): anyone else could name any address or scheme.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from fastapi.responses import Response
from starlette.datastructures import MutableHeaders

from privwatch.errors import PrivwatchError

_LOG = logging.getLogger("uvicorn.error")
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


Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
#: the answer for a status the middleware gives itself (411, 413, 500)
ErrorPage = Callable[[MutableMapping[str, Any], int], Response]


def _bare(_: MutableMapping[str, Any], status: int) -> Response:
    return Response(status_code=status)


class SecurityHeaders:
    """Headers on every response; pages are never cached; bodies over MAX_BODY,
    or of no stated size, are refused (413, 411) before anything reads them;
    a request that fails before answering gets ``error_page``'s 500 (with
    these headers too) and its traceback goes to the server's log."""

    def __init__(self, app: ASGIApp, error_page: ErrorPage = _bare) -> None:
        self.app = app
        self.error_page = error_page

    async def __call__(
        self, scope: MutableMapping[str, Any], receive: Receive, send: Send
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
            await self._answer(scope, receive, send, status)
            return
        sending = _Sending(scope, send)
        try:
            await self.app(scope, receive, sending)
        except Exception:
            if sending.started:
                raise  # the server closes the connection: nothing else to do
            # logged with the server's own errors; the connection stays open
            _LOG.exception("Exception in ASGI application")
            await self._answer(scope, receive, send, 500)

    async def _answer(
        self, scope: MutableMapping[str, Any], receive: Receive, send: Send, status: int
    ) -> None:
        response = self.error_page(scope, status)
        await response(scope, receive, _Sending(scope, send))


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or networks (``10.0.0.5``, ``10.0.0.0/8``, ``::1``) of trusted
    proxies; anything else is refused."""
    found = []
    for value in values:
        try:
            found.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise PrivwatchError("web.bad_proxy", value=value[:100]) from None
    return tuple(found)


class TrustedProxies:
    """The client's address and scheme from ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` when the peer is a trusted proxy; otherwise the
    headers are ignored. The client is the nearest address in
    ``X-Forwarded-For`` that is not itself a trusted proxy."""

    def __init__(self, app: ASGIApp, trusted: tuple[Network, ...] = ()) -> None:
        self.app, self.trusted = app, trusted

    def is_trusted(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.trusted)

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        peer = scope.get("client")
        if scope["type"] == "http" and peer and self.is_trusted(str(peer[0])):
            scope = dict(scope)
            headers = dict(scope.get("headers", []))
            forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
            client = self._client(forwarded)
            if client is not None:
                scope["client"] = (client, 0)
            proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1")
            proto = proto.split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto
        await self.app(scope, receive, send)

    def _client(self, forwarded: str) -> str | None:
        client = None
        for part in reversed(forwarded.split(",")[-20:]):
            try:
                address = str(ipaddress.ip_address(part.strip()))
            except ValueError:
                break
            client = address
            if not self.is_trusted(address):
                break
        return client


class _Sending:
    """``send`` with the headers added to the response's start."""

    def __init__(self, scope: MutableMapping[str, Any], send: Send) -> None:
        self.static = str(scope.get("path", "")).startswith("/static/")
        self.https = scope.get("scheme") == "https"
        self.send = send
        self.started = False

    async def __call__(self, event: MutableMapping[str, Any]) -> None:
        if event["type"] == "http.response.start":
            self.started = True
            headers = MutableHeaders(scope=event)
            for name, value in HEADERS.items():
                headers[name] = value
            headers["cache-control"] = "no-cache" if self.static else "no-store"
            if self.https:
                headers["strict-transport-security"] = "max-age=31536000"
        await self.send(event)
