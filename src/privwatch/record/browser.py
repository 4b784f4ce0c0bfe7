"""Chromium as ``ingest/render.py`` launches it, every request checked by the
address policy (its ``_Police``), plus what recording needs: host rules for
tests and labs, the address each request was sent to, WebSocket messages.

Host rules (``PRIVWATCH_HOST_RULES``): ``MAP host address:port`` entries,
comma-separated, in the syntax of Chromium's ``--host-resolver-rules``. A
mapped host is not looked up: the mapped address is checked by the address
policy like any resolved one (so ``127.0.0.1`` needs
``PRIVWATCH_ALLOW_NETWORKS=loopback``) and the request is sent there with the
host's name in its Host header. The rules are given to Chromium too (its
WebSockets). They exist so tests can serve a tracker under its real name on
loopback; the HAR keeps the name the page asked for.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from privwatch.errors import FetchError, InputError
from privwatch.ingest import netpolicy
from privwatch.ingest.render import (
    CHROMIUM_ARGS,
    LAUNCH_TIMEOUT,
    REDIRECT_STATUSES,
    _first_line,
    _Police,
    find_chromium,
)
from privwatch.ingest.source import MAX_REDIRECTS, is_url

if TYPE_CHECKING:
    from playwright.sync_api import (
        APIResponse,
        Browser,
        BrowserContext,
        Playwright,
        Route,
        WebSocketRoute,
    )

HOST_RULES_ENV = "PRIVWATCH_HOST_RULES"


@dataclass(frozen=True)
class HostRule:
    host: str
    address: str
    port: int | None


def host_rules(value: str | None = None) -> dict[str, HostRule]:
    """``PRIVWATCH_HOST_RULES`` (or ``value``) by host; a bad entry is an
    InputError."""
    if value is None:
        value = os.environ.get(HOST_RULES_ENV, "")
    rules: dict[str, HostRule] = {}
    for item in value.split(","):
        words = item.split()
        if not words:
            continue
        if len(words) != 3 or words[0] != "MAP":
            raise InputError("record.bad_host_rule", var=HOST_RULES_ENV, entry=item)
        address, _, port = words[2].rpartition(":")
        if not address:
            address, port = words[2], ""
        try:
            netpolicy._address(address.strip("[]"))
        except ValueError:
            raise InputError(
                "record.bad_host_rule", var=HOST_RULES_ENV, entry=item
            ) from None
        if port and not port.isdigit():
            raise InputError("record.bad_host_rule", var=HOST_RULES_ENV, entry=item)
        host = words[1].lower().rstrip(".")
        rules[host] = HostRule(host, address.strip("[]"), int(port) if port else None)
    return rules


def chromium_rules(rules: dict[str, HostRule]) -> list[str]:
    if not rules:
        return []
    text = ", ".join(
        f"MAP {r.host} {r.address}" + (f":{r.port}" if r.port else "")
        for r in rules.values()
    )
    return [f"--host-resolver-rules={text}"]


def launch(playwright: Playwright, url: str, rules: dict[str, HostRule]) -> Browser:
    """The system Chromium, headless, with render's flags."""
    from playwright.sync_api import Error as PlaywrightError

    allowed = netpolicy.allowed_networks()  # a bad setting is told now
    executable = find_chromium()
    if executable is None:
        reason = "no Chromium found (install chromium or set PRIVWATCH_CHROMIUM)"
        raise FetchError("fetch.render_unavailable", url=url, reason=reason)
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        reason = f"{executable} is not an executable file"
        raise FetchError("fetch.render_unavailable", url=url, reason=reason)
    try:
        return playwright.chromium.launch(
            executable_path=executable,
            args=[*CHROMIUM_ARGS, *chromium_rules(rules), *_local_access(allowed)],
            headless=True,
            timeout=LAUNCH_TIMEOUT * 1000,
        )
    except PlaywrightError as exc:
        raise FetchError(
            "fetch.render_unavailable", url=url, reason=_first_line(exc)
        ) from None


def _local_access(allowed: tuple[Any, ...]) -> list[str]:
    """Chromium's Local Network Access checks judge a page by the address it
    came from; the police fulfils every page, so Chromium cannot know it and
    blocks the page's WebSockets to loopback and private addresses. Where
    ``PRIVWATCH_ALLOW_NETWORKS`` allows such networks, the address policy
    decides alone (it checks every WebSocket too)."""
    return ["--disable-features=LocalNetworkAccessChecks"] if allowed else []


class Police(_Police):
    """render's police, with host rules, and the address each host's requests
    were sent to (``addresses``, for the HAR's ``serverIPAddress``: the first
    address the policy checked; Playwright's fetch connects to it unless DNS
    answers differently a moment later)."""

    def __init__(
        self,
        remaining_ms: Any,
        rules: dict[str, HostRule],
        playwright: Playwright | None = None,
        context: BrowserContext | None = None,
    ) -> None:
        super().__init__(remaining_ms)
        self.rules = rules
        self.addresses: dict[str, str] = {}
        self.playwright = playwright
        self.context = context

    def _handle(self, route: Route, url: str, main: bool) -> None:
        if not is_url(url):
            route.continue_()  # data:, blob:, about: make no connection
            return
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            host = (parts.hostname or "").lower().rstrip(".")
            port = parts.port or (443 if parts.scheme == "https" else 80)
            target = url
            try:
                rule = self.rules.get(host)
                if rule is not None:
                    reason = netpolicy.refusal(rule.address)
                    if reason is not None:
                        raise netpolicy.AddressRefused(host, rule.address, reason)
                    address = rule.address
                    shown = f"[{address}]" if ":" in address else address
                    target = urlunsplit(
                        parts._replace(netloc=f"{shown}:{rule.port or port}")
                    )
                else:
                    address = netpolicy.resolve_and_check(host, port)[0]
            except netpolicy.AddressRefused as exc:
                if main:
                    self.refused.append(netpolicy.refused_error(url, exc))
                route.abort("addressunreachable")
                return
            except (OSError, ValueError):
                route.abort("namenotresolved")
                return
            self.addresses.setdefault(host, address)
            response: _Fetched | APIResponse
            if target != url:
                response = self._mapped(route, url, target, parts.netloc)
            else:
                response = route.fetch(
                    url=url, max_redirects=0, timeout=self.remaining_ms()
                )
            location = response.headers.get("location")
            if response.status not in REDIRECT_STATUSES or not location:
                if isinstance(response, _Fetched):
                    route.fulfill(
                        status=response.status,
                        headers=response.headers,
                        body=response.body,
                    )
                else:
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

    def _mapped(self, route: Route, url: str, target: str, netloc: str) -> _Fetched:
        """Fetch ``url`` from its mapped ``target`` with a request context of
        its own (the context's would file the answer's cookies under the
        mapped address); its cookies are given to the browser under the
        host's name, as a real answer from it would be."""
        assert self.playwright is not None and self.context is not None
        request = route.request
        api = self.playwright.request.new_context()
        try:
            answer = api.fetch(
                target,
                method=request.method,
                headers={**request.all_headers(), "host": netloc},
                data=request.post_data_buffer,
                max_redirects=0,
                timeout=self.remaining_ms(),
            )
            fetched = _Fetched(answer.status, {}, answer.body())
            for pair in answer.headers_array:
                name = pair["name"].lower()
                if name == "set-cookie":
                    self._keep_cookie(url, pair["value"])
                elif name in fetched.headers:
                    fetched.headers[name] += ", " + pair["value"]
                else:
                    fetched.headers[name] = pair["value"]
        finally:
            api.dispose()
        return fetched

    def _keep_cookie(self, url: str, header: str) -> None:
        import time
        from email.utils import parsedate_to_datetime
        from http.cookies import CookieError, SimpleCookie

        assert self.context is not None
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            return
        host = urlsplit(url).hostname or ""
        for name, morsel in jar.items():
            cookie: dict[str, Any] = {
                "name": name,
                "value": morsel.value,
                "domain": morsel["domain"] or host,
                "path": morsel["path"] or "/",
                "httpOnly": bool(morsel["httponly"]),
                "secure": bool(morsel["secure"]),
            }
            with contextlib.suppress(ValueError, TypeError):
                if morsel["max-age"]:
                    cookie["expires"] = time.time() + int(morsel["max-age"])
                elif morsel["expires"]:
                    moment = parsedate_to_datetime(morsel["expires"])
                    cookie["expires"] = moment.timestamp()
            self.context.add_cookies([cookie])  # type: ignore[list-item]


@dataclass
class _Fetched:
    status: int
    headers: dict[str, str]
    body: bytes


class SocketLog:
    """The messages of the page's WebSockets, as Chrome writes them in a HAR
    (``_webSocketMessages``: type send/receive, time in seconds, opcode 1 for
    text and 2 for binary in base64, data). Taken from the WebSocket route
    (``police_web_socket``), through which every message passes."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self.sockets: list[tuple[str, list[dict[str, Any]]]] = []

    def open(self, url: str) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        self.sockets.append((url, messages))
        return messages

    def add(
        self, messages: list[dict[str, Any]], kind: str, payload: str | bytes
    ) -> None:
        import base64

        binary = isinstance(payload, bytes)
        messages.append(
            {
                "type": kind,
                "time": self.clock(),
                "opcode": 2 if binary else 1,
                "data": base64.b64encode(payload).decode("ascii")
                if isinstance(payload, bytes)
                else payload,
            }
        )


def police_web_socket(rules: dict[str, HostRule], log: SocketLog) -> Any:
    """render's WebSocket check, with host rules; the messages each way are
    passed on by hand, and logged."""

    def check(socket: WebSocketRoute) -> None:
        parts = urlsplit(socket.url)
        host = (parts.hostname or "").lower().rstrip(".")
        try:
            rule = rules.get(host)
            if rule is not None:
                if netpolicy.refusal(rule.address) is not None:
                    socket.close()
                    return
            else:
                netpolicy.resolve_and_check(
                    host, parts.port or (443 if parts.scheme == "wss" else 80)
                )
        except (netpolicy.AddressRefused, OSError, ValueError):
            socket.close()
            return
        messages = log.open(socket.url)
        server = socket.connect_to_server()

        def sent(payload: str | bytes) -> None:
            log.add(messages, "send", payload)
            server.send(payload)

        def received(payload: str | bytes) -> None:
            log.add(messages, "receive", payload)
            socket.send(payload)

        socket.on_message(sent)
        server.on_message(received)

    return check


def complete_har(
    har: dict[str, Any], sockets: SocketLog, addresses: dict[str, str]
) -> None:
    """Add the WebSocket messages and the checked addresses to Playwright's
    HAR (it records neither when requests are fulfilled by the police)."""
    entries = har.setdefault("log", {}).setdefault("entries", [])
    taken: set[int] = set()
    for url, messages in sockets.sockets:
        if not messages:
            continue
        index = next(
            (
                i
                for i, e in enumerate(entries)
                if i not in taken and e.get("request", {}).get("url") == url
            ),
            None,
        )
        if index is None:  # Playwright left the socket out: Chrome's shape
            entries.append(_socket_entry(url, messages))
            index = len(entries) - 1
        taken.add(index)
        entries[index]["_webSocketMessages"] = messages
        entries[index]["_resourceType"] = "websocket"
    for entry in entries:
        if entry.get("serverIPAddress"):
            continue
        host = (
            urlsplit(entry.get("request", {}).get("url", "")).hostname or ""
        ).lower()
        if host in addresses:
            entry["serverIPAddress"] = addresses[host]


def _socket_entry(url: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    from datetime import UTC

    started = datetime.fromtimestamp(messages[0]["time"], UTC)
    return {
        "startedDateTime": iso_ms(started),
        "time": 0,
        "request": {
            "method": "GET",
            "url": url,
            "httpVersion": "HTTP/1.1",
            "headers": [],
            "queryString": [],
            "cookies": [],
            "headersSize": -1,
            "bodySize": 0,
        },
        "response": {
            "status": 101,
            "statusText": "Switching Protocols",
            "httpVersion": "HTTP/1.1",
            "headers": [],
            "cookies": [],
            "content": {"size": 0, "mimeType": "x-unknown"},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": 0,
        },
        "cache": {},
        "timings": {"send": 0, "wait": 0, "receive": 0},
    }


def iso_ms(moment: datetime) -> str:
    """Wall-clock ISO time with milliseconds and ``Z``, as the HAR writes it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def close_quietly(*things: Any) -> None:
    from playwright.sync_api import Error as PlaywrightError

    for thing in things:
        with contextlib.suppress(PlaywrightError):
            thing.close()
