"""The address policy, for real: loopback servers, redirects to refused
addresses, a name that resolves to loopback, webhooks and Chromium."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from privwatch.errors import FetchError
from privwatch.i18n import message
from privwatch.ingest import netpolicy
from privwatch.ingest.render import find_chromium, render_url
from privwatch.ingest.source import fetch_url, read_source
from privwatch.watch.alerts import send_webhook
from tests.conftest import LocalServer, Route

ENV = netpolicy.ENV


@pytest.fixture
def default_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)


@pytest.mark.usefixtures("default_policy")
@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("::ffff:169.254.169.254", "metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("100.64.0.1", "private"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("192.0.2.1", "reserved"),
    ],
)
def test_the_default_policy_refuses(address: str, reason: str) -> None:
    assert netpolicy.refusal(address) == reason
    with pytest.raises(netpolicy.AddressRefused) as caught:
        netpolicy.check_address(address)
    assert caught.value.reason == reason


@pytest.mark.usefixtures("default_policy")
@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_a_public_address_passes(address: str) -> None:
    netpolicy.check_address(address)
    assert netpolicy.refusal(address) is None


@pytest.mark.parametrize(
    ("allow", "address"),
    [
        ("loopback", "127.0.0.1"),
        ("loopback", "::1"),
        ("private", "10.2.3.4"),
        ("private", "fd12::1"),
        ("loopback, 10.9.0.0/16", "10.9.1.1"),
        ("169.254.10.0/24", "169.254.10.1"),
    ],
)
def test_configured_networks_are_allowed(
    monkeypatch: pytest.MonkeyPatch, allow: str, address: str
) -> None:
    monkeypatch.setenv(ENV, allow)
    netpolicy.check_address(address)


@pytest.mark.parametrize("allow", ["169.254.0.0/16", "0.0.0.0/0", "private,loopback"])
def test_metadata_addresses_stay_refused_whatever_is_allowed(
    monkeypatch: pytest.MonkeyPatch, allow: str
) -> None:
    monkeypatch.setenv(ENV, allow)
    assert netpolicy.refusal("169.254.169.254") == "metadata"
    assert netpolicy.refusal("100.100.100.200") == "metadata"
    with pytest.raises(netpolicy.AddressRefused):
        netpolicy.resolve_and_check("metadata.google.internal", 80)


def test_only_the_configured_networks_are_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV, "10.9.0.0/16")
    assert netpolicy.refusal("10.9.0.1") is None
    assert netpolicy.refusal("10.8.0.1") == "private"
    assert netpolicy.refusal("127.0.0.1") == "loopback"


def test_a_bad_allow_list_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "loopback,intranet")
    with pytest.raises(FetchError) as caught:
        netpolicy.check_address("127.0.0.1")
    assert caught.value.key == "fetch.bad_allow_networks"
    assert "intranet" in caught.value.render("en")
    assert "intranet" in caught.value.render("ko")


@pytest.mark.usefixtures("default_policy")
def test_a_name_resolving_to_loopback_is_refused_by_default() -> None:
    with pytest.raises(netpolicy.AddressRefused) as caught:
        netpolicy.resolve_and_check("localhost", 80)
    assert caught.value.reason == "loopback"
    with pytest.raises(FetchError) as fetched:
        read_source("http://localhost:1/privacy")
    assert fetched.value.key == "fetch.refused_address"


@pytest.mark.usefixtures("default_policy")
def test_a_loopback_server_is_refused_by_default(server: LocalServer) -> None:
    url = server.add("/privacy", Route(body=b"<p>hello</p>"))
    with pytest.raises(FetchError) as caught:
        fetch_url(url)
    error = caught.value
    assert error.key == "fetch.refused_address"
    assert error.params["address"] == "127.0.0.1"
    for lang in ("en", "ko"):
        line = error.render(lang)
        assert "\n" not in line and url in line and "127.0.0.1" in line
    assert "PRIVWATCH_ALLOW_NETWORKS=loopback" in error.render("en")
    assert "루프백" in error.render("ko")


def test_a_loopback_server_is_fetched_when_allowed(server: LocalServer) -> None:
    url = server.add("/privacy", Route(body=b"<p>hello</p>"))
    assert fetch_url(url).data == b"<p>hello</p>"


class _Counting:
    """Counts the connections made through the policy backend."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.hosts: list[str] = []
        original = netpolicy.httpcore.SyncBackend.connect_tcp

        def connect(backend: Any, host: str, port: int, *args: Any) -> Any:
            self.hosts.append(host)
            return original(backend, host, port, *args)

        monkeypatch.setattr(netpolicy.httpcore.SyncBackend, "connect_tcp", connect)


@pytest.mark.parametrize(
    "target",
    ["http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/"],
)
def test_a_redirect_to_the_metadata_service_is_refused(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    counting = _Counting(monkeypatch)
    url = server.add("/moved", Route(status=302, headers={"Location": target}))
    with pytest.raises(FetchError) as caught:
        read_source(url)
    assert caught.value.key == "fetch.refused_address"
    assert caught.value.params["reason"] == "metadata"
    # the loopback server was connected to, the metadata address never
    assert counting.hosts == ["127.0.0.1"]
    assert "클라우드 메타데이터" in caught.value.render("ko")


def test_a_redirect_to_loopback_is_refused_when_only_the_start_is_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Allow just 127.0.0.2: a redirect from there to ::1 is refused."""
    monkeypatch.setenv(ENV, "127.0.0.2/32")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(301)
            self.send_header("Location", "http://[::1]:9/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(FetchError) as caught:
            fetch_url(f"http://127.0.0.2:{httpd.server_address[1]}/")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert caught.value.key == "fetch.refused_address"
    assert caught.value.params["address"] == "::1"
    assert caught.value.params["reason"] == "loopback"


def test_the_connection_goes_to_the_checked_address(
    monkeypatch: pytest.MonkeyPatch, server: LocalServer
) -> None:
    """A name is resolved once, by the policy; the socket is opened to the
    address that was checked, not to the name (no second lookup to rebind)."""
    counting = _Counting(monkeypatch)
    port = server.httpd.server_address[1]
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]])
    lookups: list[str] = []
    real = socket.getaddrinfo

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        lookups.append(host)
        if host != "policy.test":
            return real(host, *args, **kwargs)  # numeric: no DNS
        return next(answers)  # a second lookup of the name would fail loudly

    monkeypatch.setattr(netpolicy.socket, "getaddrinfo", resolve)
    server.add("/p", Route(body=b"ok"))
    assert fetch_url(f"http://policy.test:{port}/p").data == b"ok"
    assert lookups.count("policy.test") == 1
    assert set(lookups) <= {"policy.test", "127.0.0.1"}
    assert counting.hosts == ["127.0.0.1"]


@pytest.mark.usefixtures("default_policy")
def test_a_webhook_to_a_refused_address_is_not_sent() -> None:
    with pytest.raises(httpx.HTTPError) as caught:
        send_webhook("http://169.254.169.254/hook", {"x": 1})
    assert isinstance(caught.value, netpolicy.AddressRefused)


def test_every_reason_has_a_message() -> None:
    for reason in netpolicy.REASONS:
        error = netpolicy.RefusedAddressError(
            "fetch.refused_address",
            url="http://x.test/",
            host="x.test",
            address="10.0.0.1",
            reason=reason,
        )
        for lang in ("en", "ko"):
            told = message(f"netpolicy.{reason}", lang)
            assert told in error.render(lang)
            assert "\n" not in error.render(lang)


@pytest.fixture
def chromium() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip("no Chromium found")
    return path


@pytest.mark.usefixtures("chromium")
def test_chromium_is_refused_a_redirect_to_the_metadata_service(
    server: LocalServer,
) -> None:
    url = server.add(
        "/moved",
        Route(status=302, headers={"Location": "http://169.254.169.254/latest/"}),
    )
    with pytest.raises(FetchError) as caught:
        render_url(url, timeout=20)
    assert caught.value.key == "fetch.refused_address"
    assert caught.value.params["reason"] == "metadata"


@pytest.mark.usefixtures("chromium")
def test_chromium_blocks_subresources_at_refused_addresses(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page loads; its script's request to a private address never leaves."""
    seen: list[str] = []
    server.add(
        "/page",
        Route(
            body=b"<html><body><p id=r>waiting</p><script>"
            b"fetch('http://10.255.255.1/steal').then(() => r.textContent = 'sent',"
            b" () => r.textContent = 'blocked');</script></body></html>",
            headers={"Content-Type": "text/html"},
        ),
    )
    original = netpolicy.resolve_and_check

    def spy(host: str, port: int) -> list[str]:
        seen.append(host)
        return original(host, port)

    monkeypatch.setattr(netpolicy, "resolve_and_check", spy)
    raw = render_url(server.url("/page"), timeout=20)
    assert b"blocked" in raw.data
    assert "10.255.255.1" in seen


@pytest.mark.usefixtures("chromium")
def test_chromium_still_follows_allowed_redirects(server: LocalServer) -> None:
    final = server.add(
        "/b",
        Route(
            body=b"<html><body><p>arrived</p></body></html>",
            headers={"Content-Type": "text/html"},
        ),
    )
    server.add("/a", Route(status=301, headers={"Location": "/b"}))
    raw = render_url(server.url("/a"), timeout=20)
    assert raw.uri == final
    assert b"arrived" in raw.data


@pytest.mark.usefixtures("chromium")
def test_chromium_stops_a_redirect_loop(server: LocalServer) -> None:
    server.add("/loop", Route(status=302, headers={"Location": "/loop"}))
    with pytest.raises(FetchError) as caught:
        render_url(server.url("/loop"), timeout=20)
    assert caught.value.key == "fetch.redirects"


@pytest.mark.usefixtures("default_policy")
def test_check_url_refuses_literal_addresses_and_metadata_names_without_dns() -> None:
    for url, reason in [
        ("http://169.254.169.254/latest/", "metadata"),
        ("http://metadata.google.internal./computeMetadata/v1/", "metadata"),
        ("http://[::1]:8080/", "loopback"),
        ("https://10.0.0.5/privacy", "private"),
    ]:
        with pytest.raises(netpolicy.AddressRefused) as caught:
            netpolicy.check_url(url)
        assert caught.value.reason == reason
    netpolicy.check_url("https://example.com/privacy")  # names wait for the fetch
    netpolicy.check_url("https://93.184.216.34/privacy")


def test_an_editor_cannot_add_a_target_at_the_metadata_address(
    tmp_path: Path,
) -> None:
    from tests.test_web import csrf_of, dashboard, signed_in_client

    with (
        dashboard(f"sqlite:///{tmp_path / 'store.db'}") as (_, base, _app),
        signed_in_client(base) as client,
    ):
        token = csrf_of(client.get("/targets/new").text)
        answer = client.post(
            "/targets",
            data={
                "csrf_token": token,
                "name": "메타",
                "type": "privacy",
                "url": "http://169.254.169.254/latest/meta-data/",
            },
        )
    assert answer.status_code == 422
    assert "cloud metadata address" in answer.text


@pytest.mark.usefixtures("chromium")
def test_chromium_still_reports_an_unreachable_page() -> None:
    with pytest.raises(FetchError) as caught:
        render_url("http://127.0.0.1:1/", timeout=20)
    assert caught.value.key == "fetch.unreachable"
    assert "\n" not in caught.value.render("ko")


def test_a_bad_allow_list_stops_a_fetch_before_any_lookup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV, "everything")
    for fetch in (read_source, render_url):
        with pytest.raises(FetchError) as caught:
            fetch("http://name.invalid/")
        assert caught.value.key == "fetch.bad_allow_networks"


@pytest.mark.usefixtures("chromium")
def test_chromium_blocks_a_web_socket_to_a_refused_address(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    server.add(
        "/ws",
        Route(
            body=b"<html><body><p id=r>waiting</p><script>"
            b"const s = new WebSocket('ws://169.254.169.254/x');"
            b"s.onopen = () => r.textContent = 'open';"
            b"s.onclose = () => r.textContent = 'closed';"
            b"</script></body></html>",
            headers={"Content-Type": "text/html"},
        ),
    )
    original = netpolicy.resolve_and_check

    def spy(host: str, port: int) -> list[str]:
        seen.append(host)
        return original(host, port)

    monkeypatch.setattr(netpolicy, "resolve_and_check", spy)
    raw = render_url(server.url("/ws"), timeout=10)
    assert "169.254.169.254" in seen
    assert b">open<" not in raw.data
