"""``privwatch serve``: the dashboard under uvicorn, over HTTP or HTTPS."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import sys
from pathlib import Path

from privwatch.errors import PrivwatchError
from privwatch.i18n import message
from privwatch.store import Store
from privwatch.web.security import networks


def safe_url(url: str) -> str:
    """A database URL without its password, for messages."""
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, _, credentials = head.partition("://")
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{tail}"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_tls(certfile: Path | None, keyfile: Path | None) -> bool:
    """Whether to serve over TLS; a lone file or an unusable pair is refused."""
    if (certfile is None) != (keyfile is None):
        raise PrivwatchError("web.tls_pair")
    if certfile is None or keyfile is None:
        return False
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(certfile, keyfile)
    except (OSError, ssl.SSLError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise PrivwatchError(
            "web.tls_unreadable", path=certfile, reason=reason
        ) from None
    return True


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: any free port)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise PrivwatchError(
            "web.port_busy", host=host, port=port, reason=exc.strerror or exc
        ) from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise PrivwatchError(
            "web.port_busy", host=host, port=port, reason=exc.strerror or exc
        ) from None
    return sock


def serve(
    *,
    db: str | None,
    host: str,
    port: int,
    certfile: Path | None,
    keyfile: Path | None,
    session_hours: float,
    delay: float,
    lang: str,
    trusted_proxies: tuple[str, ...] = (),
) -> None:
    """Serve until interrupted (uvicorn stops gracefully on Ctrl+C or SIGTERM).
    Forwarded headers are believed from ``trusted_proxies`` only (the app's
    ``TrustedProxies``; uvicorn's own handling, which trusts loopback, is off)."""
    import uvicorn

    from privwatch.accounts import list_users
    from privwatch.web.app import create_app

    tls = check_tls(certfile, keyfile)
    networks(trusted_proxies)  # refused before anything starts
    store = Store(db)
    try:
        if not list_users(store):
            print(f"privwatch: {message('web.no_users', lang)}", file=sys.stderr)
        if not tls and not _loopback(host):
            print(
                f"privwatch: {message('web.plain_http', lang, host=host)}",
                file=sys.stderr,
            )
        app = create_app(
            store,
            session_hours=session_hours,
            watch_delay=delay,
            default_lang=lang,
            close_store=True,
            trusted_proxies=trusted_proxies,
        )
        sock = bind(host, port)
        with sock:
            bound_host, bound_port = sock.getsockname()[:2]
            shown = f"[{bound_host}]" if ":" in bound_host else bound_host
            url = f"{'https' if tls else 'http'}://{shown}:{bound_port}/"
            print(
                f"privwatch: {message('web.serving', lang, url=url, store=safe_url(store.url))}",
                file=sys.stderr,
                flush=True,
            )
            config = uvicorn.Config(
                app,
                ssl_certfile=str(certfile) if tls else None,
                ssl_keyfile=str(keyfile) if tls else None,
                server_header=False,
                proxy_headers=False,
                # a watch run's first audit loads Kiwi's model and holds the
                # GIL meanwhile; idle connections should outlive that
                timeout_keep_alive=30,
                timeout_graceful_shutdown=5,
                log_level="info",
            )
            uvicorn.Server(config).run(sockets=[sock])
    finally:
        store.close()
