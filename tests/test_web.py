"""The dashboard (privwatch serve) against a live uvicorn server on 127.0.0.1,
with real HTTP (httpx), on SQLite and PostgreSQL: sign-in, sessions, CSRF,
roles, escaping of untrusted text, TLS cookie flags, the CLI's serve and user
commands. The browser tests (Chromium) are in test_web_browser.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select, update

import privwatch.web
from privwatch.accounts import add_user, list_users, remove_user
from privwatch.i18n import _catalog
from privwatch.store import Store
from privwatch.store.schema import LoginSession, StoredFinding
from privwatch.watch import import_dir
from privwatch.web.app import create_app
from privwatch.web.security import CSP
from tests.conftest import ROOT, LocalServer, Route

PASSWORD = "correct horse battery"
VIEWER_PASSWORD = "viewer password 123"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

# --- policies written for these tests (invented companies) ------------------

KO_V1 = """# 누리쇼핑 개인정보 처리방침

누리쇼핑 주식회사(이하 '회사')는 「개인정보 보호법」 제30조에 따라 이용자의 개인정보를 보호하기 위하여 다음과 같이 개인정보 처리방침을 공개합니다.

## 제1조(개인정보의 처리 목적)

① 회사는 회원 가입 및 관리, 상품 배송, 대금 결제, 고객 상담 등을 위하여 개인정보를 처리합니다.

## 제2조(처리하는 개인정보의 항목)

1. 필수항목: 이름, 휴대전화번호, 이메일 주소, 배송지 주소
2. 선택항목: 생년월일, 성별
3. 자동 수집 항목: 접속 IP 주소, 쿠키, 광고 식별자

## 제3조(개인정보의 처리 및 보유 기간)

① 회사는 회원 탈퇴 시까지 개인정보를 보유하며, 관계 법령에 따라 필요한 기간 동안 보관할 수 있습니다.

## 제4조(개인정보의 제3자 제공)

① 회사는 상품 배송을 위하여 판매자 및 제휴사에 이름, 휴대전화번호, 배송지 주소를 제공합니다.

## 제5조(개인정보 보호책임자)

① 개인정보 보호책임자: 김누리 (privacy@nuri-shop.example, 02-1234-5678)
"""

KO_V2 = """# 누리쇼핑 개인정보 처리방침

누리쇼핑 주식회사(이하 '회사')는 「개인정보 보호법」 제30조에 따라 이용자의 개인정보를 보호하기 위하여 다음과 같이 개인정보 처리방침을 공개합니다.

## 제1조(개인정보의 처리 목적)

① 회사는 회원 가입 및 관리, 상품 배송, 대금 결제, 고객 상담을 위하여 개인정보를 처리합니다.

## 제2조(처리하는 개인정보의 항목)

1. 필수항목: 이름, 휴대전화번호, 이메일 주소, 배송지 주소
2. 선택항목: 생년월일, 성별
3. 자동 수집 항목: 접속 IP 주소, 쿠키, 광고 식별자

## 제3조(개인정보의 처리 및 보유 기간)

① 회사는 회원 탈퇴 후 5일 이내에 개인정보를 파기합니다. 다만 「전자상거래 등에서의 소비자보호에 관한 법률」에 따라 계약 또는 청약철회 기록은 5년간 보관합니다.

## 제4조(개인정보의 제3자 제공)

① 회사는 상품 배송을 위하여 판매자 및 제휴사에 이름, 휴대전화번호, 배송지 주소를 제공합니다.
② 회사는 이용자의 생명, 신체, 재산의 이익을 위하여 필요하다고 인정되는 경우 동의 없이 개인정보를 제3자에게 제공할 수 있습니다.

## 제5조(개인정보의 국외 이전)

① 회사는 서비스 운영을 위하여 이용자의 개인정보를 전 세계의 협력업체에 이전할 수 있습니다.

## 제6조(개인정보 보호책임자)

① 개인정보 보호책임자: 김누리 (privacy@nuri-shop.example, 02-1234-5678)
"""

EN_V1 = """# GlobalBazaar Privacy Policy

GlobalBazaar Pte. Ltd. ("we") explains here how we process the personal information of our users in Korea.

## 1. What we collect

1. Account data: name, email address, phone number, delivery address.
2. Device data: IP address, cookies, advertising identifier.

## 2. Why we use it

We use your information to provide the service, including but not limited to order fulfilment, payments and marketing.

## 3. Sharing

We may share your information with business partners, sellers and other third parties.

## 4. International transfers

Your information may be transferred to servers worldwide, including in China and Singapore.

## 5. Retention

We keep your information for as long as necessary to fulfil the purposes described in this policy.
"""

EN_V2 = """# GlobalBazaar Privacy Policy

GlobalBazaar Pte. Ltd. ("we") explains here how we process the personal information of our users in Korea.

## 1. What we collect

1. Account data: name, email address, phone number, delivery address.
2. Device data: IP address, cookies, advertising identifier.
3. Identity data: resident registration number, for identity verification.

## 2. Why we use it

We use your information to provide the service, including but not limited to order fulfilment, payments and marketing.

## 3. Sharing

We may share your information with sellers and other third parties.
We may provide your information to third parties without your consent where necessary to protect the rights or property of GlobalBazaar.

## 4. International transfers

Your information may be transferred to servers worldwide, including in China and Singapore. By agreeing to this policy you consent to these transfers.

## 5. Retention

We keep your information for as long as necessary to fulfil the purposes described in this policy.

## 6. Contact

Privacy officer: privacy@globalbazaar.example
"""

#: a stored policy carrying markup: it must show as text and never run
SCRIPT = "<script>window.__pwned=1;alert('pwned')</script>"
IMG = "<img src=x onerror=\"window.__pwned=2;alert('img')\">"
EVIL_NAME = "<b>Evil</b> Mall<script>alert(3)</script>"
EVIL_POLICY = f"""악성마켓 개인정보 처리방침 {SCRIPT}

제1조(개인정보의 국외 이전)
회사는 이용자의 개인정보를 전 세계의 협력업체에 이전할 수 있습니다 {SCRIPT} {IMG}.

제2조(보유 기간)
회사는 필요한 기간 동안 개인정보를 보관합니다 {IMG}.
"""
EVIL_HOST = '"><script>window.__pwned=3</script>.tracker.example'
EVIL_VALUE = "<svg onload=alert(4)>@example.org"


def _dated(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    return folder


def build_store(store: Store, folder: Path) -> None:
    """Two platforms with real audits of dated versions, and a traffic scan."""
    store.add_platform("누리쇼핑", country="KR", foreign=False, category="marketplace")
    store.add_platform(
        "GlobalBazaar", country="SG", foreign=True, category="marketplace"
    )
    import_dir(
        store,
        "누리쇼핑",
        "privacy",
        _dated(
            folder / "nuri",
            {"2024-01-15.md": KO_V1, "2024-09-01.md": KO_V2, "2025-03-01.md": KO_V1},
        ),
    )
    import_dir(
        store,
        "GlobalBazaar",
        "privacy",
        _dated(folder / "bazaar", {"2024-03-10.md": EN_V1, "2025-02-20.md": EN_V2}),
    )
    store.add_scan("누리쇼핑", "session.har", "0" * 64, nuri_scan())


def nuri_scan() -> dict[str, Any]:
    """A real scan of the worked example's recorded session."""
    from privwatch.attribution import Registry
    from privwatch.detectors import DetectorRegistry
    from privwatch.report.flows import scan_to_dict
    from privwatch.traffic.persona import load_persona
    from privwatch.traffic.scan import scan_har

    example = ROOT / "examples" / "nuri-market"
    result = scan_har(
        example / "session.har",
        site="nurimarket.example",
        detectors=DetectorRegistry.builtin(),
        registry=Registry.builtin(),
        persona=load_persona(example / "persona.yaml"),
    )
    return scan_to_dict(result)


def build_evil(store: Store, folder: Path) -> None:
    """A platform whose name, policy text, findings and scan carry markup."""
    store.add_platform(EVIL_NAME, country="CN", foreign=True)
    import_dir(
        store,
        EVIL_NAME,
        "privacy",
        _dated(
            folder / "evil",
            {
                "2025-01-01.txt": EVIL_POLICY,
                "2025-02-01.txt": EVIL_POLICY + "\n" + SCRIPT,
            },
        ),
    )
    from privwatch.store.records import ScanRecord
    from privwatch.traffic.scan import Flow

    flow = Flow(
        entry_index=0,
        host=EVIL_HOST,
        organization=EVIL_NAME,
        org_country="CN",
        ip_country=None,
        party="third",
        data_type="email<script>alert(5)</script>",
        encoding="plain",
        location="query",
        name="e",
        source="detector",
        confidence=1.0,
        masked=EVIL_VALUE,
    )
    scan = ScanRecord(EVIL_HOST, "KR", "evil.har", "1" * 64, 1, (flow,), 1).to_dict()
    store.add_scan(EVIL_NAME, "evil.har", "1" * 64, scan)


# --- a live server ----------------------------------------------------------


@contextmanager
def live(
    app: Any, *, certfile: Path | None = None, keyfile: Path | None = None
) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 (a free port) in a thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="warning",
        proxy_headers=False,  # as privwatch serve: the app's TrustedProxies decides
        # a watch run's first audit loads Kiwi's model, holding the GIL for a
        # second or two: a short keep-alive could close a connection in use
        timeout_keep_alive=60,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "no start"
            time.sleep(0.01)
        yield f"{'https' if certfile else 'http'}://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


@contextmanager
def dashboard(url: str, **options: Any) -> Iterator[tuple[Store, str, Any]]:
    """A store with an editor and a viewer, and the dashboard over it."""
    store = Store(url)
    try:
        add_user(store, "editor", PASSWORD, "editor")
        add_user(store, "viewer", VIEWER_PASSWORD, "viewer")
        tls = _tls(options)
        app = create_app(store, watch_delay=0, default_lang="en", **options)
        with live(app, **tls) as base:
            yield store, base, app
    finally:
        store.close()


def _tls(options: dict[str, Any]) -> dict[str, Any]:
    return {k: options.pop(k) for k in ("certfile", "keyfile") if k in options}


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def sign_in(
    client: httpx.Client, name: str = "editor", password: str = PASSWORD
) -> httpx.Response:
    page = client.get("/login")
    assert page.status_code == 200
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(page.text)},
    )


@contextmanager
def signed_in_client(
    base: str, name: str = "editor", password: str = PASSWORD
) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30, verify=False) as client:
        answer = sign_in(client, name, password)
        assert answer.status_code == 303, answer.text
        yield client


def session_csrf(client: httpx.Client) -> str:
    return csrf_of(client.get("/platforms").text)


# --- access -----------------------------------------------------------------


def _routes(app: Any) -> list[tuple[str, str]]:
    found = []
    for route in _flat(app.routes):
        methods = getattr(route, "methods", None)
        path = getattr(route, "path", "")
        if not methods or path in ("/login",):
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        found += [(method, concrete) for method in sorted(methods) if method != "HEAD"]
    return found


def _flat(routes: list[Any]) -> Iterator[Any]:
    """Every route, those of the included routers too."""
    for route in routes:
        included = getattr(route, "original_router", None)
        yield from _flat(included.routes) if included is not None else [route]


def test_every_route_but_login_and_static_needs_sign_in(db_url: str) -> None:
    with dashboard(db_url) as (_, base, app), httpx.Client(base_url=base) as client:
        routes = _routes(app)
        assert ("GET", "/platforms") in routes and ("POST", "/watch/run") in routes
        assert len(routes) >= 14
        for method, path in routes:
            answer = client.request(method, path)
            if method == "GET" and not path.startswith("/api/"):
                assert answer.status_code == 303, (method, path)
                assert answer.headers["location"].startswith("/login?next="), path
                htmx = client.get(path, headers={"HX-Request": "true"})
                assert htmx.status_code == 401, path
                assert htmx.headers["hx-redirect"] == "/login"
            else:
                assert answer.status_code == 401, (method, path)
        assert client.get("/login").status_code == 200
        for name in ("htmx.min.js", "app.css", "favicon.svg"):
            assert client.get(f"/static/{name}").status_code == 200
        assert client.get("/api/findings").json()["error"] == "sign in first"
        assert client.get("/nowhere").status_code == 404


def test_sign_in_wrong_password_csrf_and_cookie_flags(db_url: str) -> None:
    with dashboard(db_url) as (store, base, _), httpx.Client(base_url=base) as client:
        page = client.get("/login")
        token = csrf_of(page.text)
        pre = page.headers["set-cookie"]
        assert "privwatch_login=" in pre and "HttpOnly" in pre
        assert "SameSite=strict" in pre or "SameSite=Strict" in pre

        def post(**data: str) -> httpx.Response:
            return client.post("/login", data=data)

        wrong = post(name="editor", password="not the password", csrf_token=token)
        assert wrong.status_code == 401
        assert "Wrong user name or password." in wrong.text
        assert "privwatch_session" not in wrong.headers.get("set-cookie", "")
        unknown = post(name="nobody", password=PASSWORD, csrf_token=csrf_of(wrong.text))
        assert unknown.status_code == 401
        assert "Wrong user name or password." in unknown.text

        # the sign-in form needs its pre-session token: none, or a wrong one
        assert post(name="editor", password=PASSWORD).status_code == 403
        assert (
            post(name="editor", password=PASSWORD, csrf_token="x" * 64).status_code
            == 403
        )
        with httpx.Client(base_url=base) as stranger:  # a token without its cookie
            answer = stranger.post(
                "/login",
                data={"name": "editor", "password": PASSWORD, "csrf_token": token},
            )
            assert answer.status_code == 403

        good = sign_in(client)
        assert good.status_code == 303
        assert good.headers["location"] == "/platforms"
        cookie = next(
            c
            for c in good.headers.get_list("set-cookie")
            if c.startswith("privwatch_session=")
        )
        flags = [part.strip().lower() for part in cookie.split(";")]
        assert "httponly" in flags and "samesite=strict" in flags and "path=/" in flags
        assert "secure" not in flags  # plain HTTP here; see the TLS test
        token_value = cookie.split(";")[0].split("=", 1)[1]
        with store.session() as session:
            kept = session.scalars(select(LoginSession.token_sha256)).all()
        import hashlib

        assert kept == [hashlib.sha256(token_value.encode()).hexdigest()]
        assert token_value not in kept
        assert client.get("/platforms").status_code == 200
        assert sign_in(client).status_code == 303  # again, in the same browser
        assert _count_sessions(store) == 1
        big = client.post("/login", content=b"x" * (1 << 21))
        assert big.status_code == 413

        def chunks() -> Iterator[bytes]:
            yield b"name=editor"

        assert client.post("/login", content=chunks()).status_code == 411


def test_next_parameter_stays_on_the_site(db_url: str) -> None:
    with dashboard(db_url) as (_, base, _app), httpx.Client(base_url=base) as client:
        first = client.get("/findings?severity=high")
        assert first.headers["location"] == "/login?next=%2Ffindings%3Fseverity%3Dhigh"
        for target, expected in (
            ("/findings?severity=high", "/findings?severity=high"),
            ("//evil.example/", "/platforms"),
            ("https://evil.example/", "/platforms"),
            ("/\\evil.example", "/platforms"),
        ):
            page = client.get("/login", params={"next": target})
            answer = client.post(
                "/login",
                data={
                    "name": "viewer",
                    "password": VIEWER_PASSWORD,
                    "csrf_token": csrf_of(page.text),
                    "next": target,
                },
            )
            assert answer.headers["location"] == expected, target


def test_every_post_needs_the_session_csrf_token(db_url: str) -> None:
    with dashboard(db_url) as (store, base, _), signed_in_client(base) as client:
        token = session_csrf(client)
        for path in ("/watch/run", "/targets", "/logout"):
            assert client.post(path).status_code == 403, path
            assert client.post(path, data={"csrf_token": ""}).status_code == 403
            answer = client.post(path, data={"csrf_token": token[:-2] + "xx"})
            assert answer.status_code == 403, path
            assert "security token" in answer.text
        # a token of another session is wrong too
        with signed_in_client(base, "viewer", VIEWER_PASSWORD) as other:
            theirs = session_csrf(other)
        assert theirs != token
        assert client.post("/logout", data={"csrf_token": theirs}).status_code == 403
        assert client.get("/platforms").status_code == 200  # still signed in
        # the right token, as a field or as htmx's header
        answer = client.post(
            "/watch/run", headers={"X-CSRF-Token": token, "HX-Request": "true"}
        )
        assert answer.status_code == 200
        _wait_run(client)  # the run finishes before the server stops
        store_sessions = _count_sessions(store)
        assert client.post("/logout", data={"csrf_token": token}).status_code == 303
        assert _count_sessions(store) == store_sessions - 1
        assert client.get("/platforms").status_code == 303  # signed out


def _count_sessions(store: Store) -> int:
    with store.session() as session:
        return len(session.scalars(select(LoginSession.token_sha256)).all())


def test_logout_deletes_the_session_and_expired_sessions_are_refused(
    db_url: str,
) -> None:
    with dashboard(db_url) as (store, base, _):
        with signed_in_client(base) as client:
            stolen = dict(client.cookies)
            assert (
                client.post(
                    "/logout", data={"csrf_token": session_csrf(client)}
                ).status_code
                == 303
            )
        assert _count_sessions(store) == 0
        with httpx.Client(base_url=base, cookies=stolen) as replay:
            assert replay.get("/platforms").status_code == 303
        with signed_in_client(base) as client:
            with store.session() as session:
                session.execute(
                    update(LoginSession).values(expires_at=dt.datetime(2000, 1, 1))
                )
            assert client.get("/platforms").status_code == 303
            assert (
                client.get("/platforms", headers={"HX-Request": "true"}).status_code
                == 401
            )


def test_viewer_reads_but_cannot_edit(db_url: str) -> None:
    with dashboard(db_url) as (store, base, _):
        with signed_in_client(base, "viewer", VIEWER_PASSWORD) as client:
            token = session_csrf(client)
            for path in ("/platforms", "/findings", "/scorecard", "/watch"):
                assert client.get(path).status_code == 200, path
            assert client.get("/targets/new").status_code == 403
            answer = client.post(
                "/targets",
                data={"csrf_token": token, "name": "X", "url": "http://127.0.0.1/"},
            )
            assert answer.status_code == 403
            assert "only editors" in answer.text
            assert (
                client.post("/watch/run", data={"csrf_token": token}).status_code == 403
            )
            assert "Add a target" not in client.get("/platforms").text
            # removing a user ends their sessions at once
            remove_user(store, "viewer")
            assert client.get("/platforms").status_code == 303
        assert store.platforms() == []


def _wait_run(client: httpx.Client, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        status: dict[str, Any] = client.get(
            "/watch/status", headers={"Accept": "application/json"}
        ).json()
        if status["state"] != "running":
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.1)


def test_editor_adds_a_target_and_runs_the_watch(
    db_url: str, server: LocalServer
) -> None:
    url = server.add(
        "/privacy",
        Route(
            body=KO_V2.encode(),
            headers={"Content-Type": "text/markdown; charset=utf-8"},
        ),
    )
    with dashboard(db_url) as (store, base, _), signed_in_client(base) as client:
        form = client.get("/targets/new")
        assert form.status_code == 200
        token = csrf_of(form.text)
        bad = client.post(
            "/targets",
            data={"csrf_token": token, "name": "누리쇼핑", "url": "ftp://x"},
        )
        assert bad.status_code == 422
        assert "Address: give an address starting with http://" in bad.text
        added = client.post(
            "/targets",
            data={
                "csrf_token": token,
                "name": "누리쇼핑",
                "country": "KR",
                "category": "marketplace",
                "type": "privacy",
                "url": url,
                "language": "ko",
            },
        )
        assert added.status_code == 303
        page = added.headers["location"]
        assert re.fullmatch(r"/platforms/\d+", page)
        assert "not fetched yet" in client.get(page).text

        started = client.post(
            "/watch/run", data={"csrf_token": token}, headers={"HX-Request": "true"}
        )
        assert started.status_code == 200
        assert 'id="run-status"' in started.text
        status = _wait_run(client)
        assert status["state"] == "finished", status
        assert status["counts"] == {"new": 1}
        assert status["started_by"] == "editor"
        panel = client.get("/watch/status", headers={"HX-Request": "true"}).text
        assert "new version" in panel and "hx-trigger" not in panel

        shown = client.get(page).text
        assert "v1" in shown and "<svg" in shown
        (document,) = store.documents("누리쇼핑")
        assert document.status == "ok"
        (version,) = store.versions(document.id)
        assert version.audit_json and version.audit_json["findings"]
        text = client.get(f"/versions/{version.id}").text
        assert "제3자에게 제공할 수 있습니다" in text
        listed = client.get("/findings", params={"platform": page.split("/")[-1]})
        count = len(store.findings(version.id))
        assert f"{count} findings" in listed.text


# --- untrusted text ----------------------------------------------------------


def _no_raw_markup(html: str) -> None:
    for raw in (
        SCRIPT,
        IMG,
        "<b>Evil</b>",
        "<svg onload",
        '"><script>',
        "<script>alert",
    ):
        assert raw not in html, raw


def test_untrusted_text_is_escaped_everywhere(db_url: str, tmp_path: Path) -> None:
    with dashboard(db_url) as (store, base, _):
        build_evil(store, tmp_path)
        (document,) = store.documents(EVIL_NAME)
        first, second = store.versions(document.id)
        quotes = [f.quote or "" for f in store.findings(first.id)]
        assert any("<script>" in q for q in quotes), quotes  # a finding quotes it
        with signed_in_client(base) as client:
            platform_id = next(p.id for p in store.platforms() if p.name == EVIL_NAME)
            pages = {
                "/platforms": client.get("/platforms").text,
                "platform": client.get(f"/platforms/{platform_id}").text,
                "version": client.get(f"/versions/{first.id}").text,
                "diff": client.get(f"/documents/{document.id}/diff").text,
                "findings": client.get("/findings").text,
                "partial": client.get("/findings", headers={"HX-Request": "true"}).text,
                "scorecard": client.get("/scorecard").text,
            }
            for name, html in pages.items():
                _no_raw_markup(html)
                assert "&lt;script&gt;" in html or name == "scorecard", name
            assert "&lt;b&gt;Evil&lt;/b&gt; Mall" in pages["/platforms"]
            assert "&lt;svg onload=alert(4)&gt;@example.org" in pages["platform"]
            assert "&#34;&gt;&lt;script&gt;window.__pwned=3" in pages["platform"]
            assert "window.__pwned=1;alert(&#39;pwned&#39;)" in pages["version"]
            assert 'class="change added"' in pages["diff"]
            api = client.get("/api/findings").json()
            assert any("<script>" in (f["quote"] or "") for f in api["findings"])
            assert (
                client.get("/api/findings")
                .headers["content-type"]
                .startswith("application/json")
            )


def test_security_headers_and_no_inline_script_or_style(
    db_url: str, tmp_path: Path
) -> None:
    with dashboard(db_url) as (store, base, _):
        build_store(store, tmp_path)
        (document,) = store.documents("누리쇼핑")
        version = store.versions(document.id)[-1]
        with signed_in_client(base) as client:
            paths = [
                "/login",
                "/platforms",
                f"/platforms/{store.platforms()[0].id}",
                f"/versions/{version.id}",
                f"/documents/{document.id}/diff",
                "/findings",
                "/scorecard",
                "/watch",
                "/targets/new",
            ]
            for path in paths:
                answer = client.get(path)
                assert answer.status_code == 200, path
                headers = answer.headers
                assert headers["content-security-policy"] == CSP
                assert "default-src 'self'" in CSP and "script-src 'self'" in CSP
                assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
                assert headers["x-frame-options"] == "DENY"
                assert headers["x-content-type-options"] == "nosniff"
                assert headers["cache-control"] == "no-store"
                assert "strict-transport-security" not in headers
                html = answer.text
                scripts = re.findall(r"<script\b[^>]*>", html)
                assert scripts == ['<script src="/static/htmx.min.js" defer>'], path
                assert not re.search(r"\sstyle\s*=", html), path
                assert not re.search(r"\son[a-z]+\s*=", html), path
                assert "<style" not in html, path
                assert "http://" not in html.replace(base, "") or path != "/login"
            assert (
                client.get("/static/htmx.min.js")
                .headers["content-type"]
                .startswith(("application/javascript", "text/javascript"))
            )


# --- pages over real audits ---------------------------------------------------


def test_pages_show_the_store(db_url: str, tmp_path: Path) -> None:
    with dashboard(db_url) as (store, base, _):
        build_store(store, tmp_path)
        platforms = {p.name: p.id for p in store.platforms()}
        (nuri,) = store.documents("누리쇼핑")
        versions = store.versions(nuri.id)
        assert [v.number for v in versions] == [1, 2, 3]
        with signed_in_client(base) as client:
            listing = client.get("/platforms").text
            assert listing.index("Domestic") < listing.index("누리쇼핑")
            assert listing.index("Foreign") < listing.index("GlobalBazaar")
            assert "2025-03-01" in listing and "2025-02-20" in listing

            page = client.get(f"/platforms/{platforms['누리쇼핑']}").text
            assert page.count('class="hit"') == 3  # one bar per version
            assert "Alibaba" in page or "Meta" in page  # the scan's organisations
            assert "cross-border" in page

            # the version page marks each quoted clause and lists the findings
            version = versions[1]
            html = client.get(f"/versions/{version.id}").text
            stored = store.findings(version.id)
            for finding in stored:
                assert f'id="f-{finding.id}"' in html
            quoted = [f for f in stored if f.quote]
            assert quoted
            assert html.count('class="mark sev-') >= len({f.quote for f in quoted})

            diff = client.get(
                f"/documents/{nuri.id}/diff", params={"from": 1, "to": 2}
            ).text
            assert "<ins>" in diff and "<del>" in diff
            assert "5일 이내에" in diff
            assert "New in the later version" in diff
            assert "v1 · 2024-01-15" in diff and "v2 · 2024-09-01" in diff
            korean = client.get(
                f"/documents/{nuri.id}/diff", params={"from": 2, "to": 3, "lang": "ko"}
            )
            assert "이후 판에서 새로 생김" in korean.text
            assert "privwatch_lang=ko" in korean.headers["set-cookie"]
            assert '<html lang="ko">' in client.get("/platforms").text  # remembered
            # findings stored in English read in Korean in a Korean page
            (bazaar,) = store.documents("GlobalBazaar")
            english = store.versions(bazaar.id)[-1]
            in_korean = client.get(f"/versions/{english.id}").text
            assert "이전 국가를 특정하지 않음" in in_korean
            assert "Destination country not specified" not in in_korean
            assert (
                "제공받는 자를 범주로만 밝힘: sellers, other third parties" in in_korean
            )
            listed = client.get(
                "/findings", params={"platform": platforms["GlobalBazaar"]}
            )
            assert "이전 국가를 특정하지 않음" in listed.text
            client.get("/platforms", params={"lang": "en"})
            assert (
                "Destination country not specified"
                in client.get(f"/versions/{english.id}").text
            )

            total = 0
            with store.session() as session:
                total = len(session.scalars(select(StoredFinding.id)).all())
            first = client.get("/findings", params={"history": "1"}).text
            assert f"{total} findings · page 1 of {-(-total // 50)}" in first
            high = client.get("/findings", params={"severity": "high"})
            assert "Medium" not in re.sub(
                r"<select.*?</select>", "", high.text, flags=re.S
            )
            partial = client.get(
                "/findings", params={"severity": "high"}, headers={"HX-Request": "true"}
            ).text
            assert "<html" not in partial and "findings · page" in partial
            only_latest = client.get("/api/findings").json()  # the default
            everything = client.get("/api/findings", params={"history": "1"}).json()
            assert 0 < only_latest["total"] < everything["total"] == total

            for missing in (
                "/platforms/999999",
                "/versions/999999",
                "/documents/999999/diff",
            ):
                gone = client.get(missing)
                assert gone.status_code == 404 and "nothing here" in gone.text, missing
            solo = _dated(tmp_path / "solo", {"2025-01-01.md": KO_V1})
            import_dir(store, "Solo", "privacy", solo)
            (single,) = store.documents("Solo")
            assert (
                "Comparing needs two" in client.get(f"/documents/{single.id}/diff").text
            )

            card = client.get("/scorecard")
            assert card.status_code == 200
            assert "누리쇼핑" in card.text and "GlobalBazaar" in card.text


def test_findings_page_is_paginated_over_stored_rows(
    db_url: str, tmp_path: Path
) -> None:
    with dashboard(db_url) as (store, base, _):
        build_store(store, tmp_path)
        (nuri,) = store.documents("누리쇼핑")
        version = store.versions(nuri.id)[0]
        with store.session() as session:  # many rows like the audit's own
            rows = store.findings(version.id)
            session.add_all(
                StoredFinding(
                    version_id=version.id,
                    rule=row.rule,
                    severity=row.severity,
                    law=row.law,
                    article=row.article,
                    title=row.title,
                    params=row.params,
                    quote=row.quote,
                    start=row.start,
                )
                for _ in range(12)
                for row in rows
            )
        with signed_in_client(base) as client:
            every = {"history": "1"}
            api = client.get("/api/findings", params=every).json()
            assert api["pages"] == -(-api["total"] // 50) and api["pages"] > 1
            last = client.get(
                "/api/findings", params={**every, "page": api["pages"]}
            ).json()
            assert last["page"] == api["pages"]
            assert len(last["findings"]) == api["total"] - 50 * (api["pages"] - 1)
            beyond = client.get("/api/findings", params={**every, "page": 10_000})
            assert beyond.json()["page"] == api["pages"]
            rank = {"high": 0, "medium": 1, "low": 2}
            order = [
                (f["fetched_at"], -f["version_id"], -rank[f["severity"]], -f["id"])
                for f in api["findings"] + last["findings"]
            ]
            assert order == sorted(order, reverse=True) and len(order) > 50
            html = client.get("/findings", params={**every, "page": 2}).text
            assert f"page 2 of {api['pages']}" in html
            assert 'rel="next"' in html and 'rel="prev"' in html


# --- TLS ------------------------------------------------------------------------


def _certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certfile, keyfile


def test_cookies_are_secure_under_tls(tmp_path: Path) -> None:
    certfile, keyfile = _certificate(tmp_path)
    url = f"sqlite:///{tmp_path / 'tls.db'}"
    with dashboard(url, certfile=certfile, keyfile=keyfile) as (_, base, _app):
        assert base.startswith("https://")
        with httpx.Client(
            base_url=base, verify=ssl.create_default_context(cafile=str(certfile))
        ) as client:
            page = client.get("/login")
            assert page.headers["strict-transport-security"] == "max-age=31536000"
            assert "__Host-privwatch_login=" in page.headers["set-cookie"]
            answer = sign_in(client)
            assert answer.status_code == 303
            cookie = next(
                c
                for c in answer.headers.get_list("set-cookie")
                if c.startswith("__Host-privwatch_session=")
            )
            flags = [part.strip().lower() for part in cookie.split(";")]
            assert {"secure", "httponly", "samesite=strict", "path=/"} <= set(flags)
            assert not any(f.startswith("domain=") for f in flags)
            assert client.get("/platforms").status_code == 200
        with httpx.Client(base_url=base, verify=False) as plain_cookie:
            # the plain-HTTP cookie name is not accepted over TLS
            plain_cookie.cookies.set("privwatch_session", "whatever")
            assert plain_cookie.get("/platforms").status_code == 303


# --- the CLI ------------------------------------------------------------------


def _privwatch(
    *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRIVWATCH_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "privwatch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_cli_user_add_list_remove(db_url: str) -> None:
    db = ["--db", db_url]
    done = _privwatch(
        "user",
        "add",
        "alice",
        "--role",
        "editor",
        "--password-stdin",
        *db,
        stdin=PASSWORD + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "added alice (editor)"
    for password, expected in (
        ("\n", "privwatch: the password is empty: give one of at least 10 characters"),
        ("short\n", "privwatch: the password is too short: use at least 10 characters"),
        ("", "privwatch: no password on stdin"),
    ):
        refused = _privwatch(
            "user", "add", "bob", "--password-stdin", *db, stdin=password
        )
        assert refused.returncode == 2
        assert refused.stderr.strip() == expected
        assert refused.stderr.count("\n") == 1
    again = _privwatch("user", "add", "alice", "--password-stdin", *db, stdin=PASSWORD)
    assert again.returncode == 2 and "already exists" in again.stderr
    # a refused name is echoed inert: an escape code never reaches the terminal
    escaped = _privwatch("user", "remove", "\x1b[2Jeve", *db)
    assert escaped.returncode == 2 and "\x1b" not in escaped.stderr
    assert "\\x1b[2Jeve" in escaped.stderr
    korean = _privwatch(
        "--lang", "ko", "user", "add", "bob", "--password-stdin", *db, stdin="짧음\n"
    )
    assert korean.returncode == 2
    assert (
        korean.stderr.strip()
        == "privwatch: 비밀번호가 너무 짧습니다: 10자 이상으로 정하세요"
    )
    assert (
        _privwatch(
            "user", "add", "carol", "--password-stdin", *db, stdin="viewer password 9\n"
        ).returncode
        == 0
    )
    listed = _privwatch("user", "list", *db)
    assert [line.split("\t")[:2] for line in listed.stdout.splitlines()] == [
        ["alice", "editor"],
        ["carol", "viewer"],
    ]
    with Store(db_url) as store:
        from privwatch.store.schema import User

        with store.session() as session:
            hashes = session.scalars(select(User.password_hash)).all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert _privwatch("user", "remove", "carol", *db).returncode == 0
    gone = _privwatch("user", "remove", "carol", *db)
    assert gone.returncode == 2 and gone.stderr.strip() == "privwatch: no user carol"
    assert "carol" not in _privwatch("user", "list", *db).stdout


def _terminal(args: list[str], answers: list[str]) -> tuple[int, str]:
    """Run privwatch on a pseudo-terminal (its controlling terminal, as getpass
    needs), typing each answer after the next prompt ending in ': '."""
    import pty
    import select

    env = {**os.environ, "PRIVWATCH_LANG": "en"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: nothing but exec
        os.execve(sys.executable, [sys.executable, "-m", "privwatch", *args], env)
    shown = b""
    pending = list(answers)
    answered = 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
            # a new prompt (getpass writes it once echo is off): answer it
            if pending and shown[answered:].rstrip().endswith(b":"):
                os.write(fd, pending.pop(0).encode() + b"\n")
                answered = len(shown)
    finally:
        os.close(fd)
        if time.monotonic() >= deadline:  # stuck: do not wait for ever
            os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


def test_cli_user_add_asks_for_the_password_without_showing_it(db_url: str) -> None:
    code, shown = _terminal(
        ["user", "add", "dana", "--role", "editor", "--db", db_url],
        [PASSWORD, PASSWORD],
    )
    assert code == 0, shown
    assert "Password for dana:" in shown and "Repeat the password:" in shown
    assert PASSWORD not in shown  # not echoed
    assert "added dana (editor)" in shown
    code, shown = _terminal(
        ["user", "add", "erin", "--db", db_url], [PASSWORD, PASSWORD + "x"]
    )
    assert code == 2
    assert "the two passwords differ: nothing was saved" in shown
    code, shown = _terminal(["user", "add", "erin", "--db", db_url], ["short"])
    assert code == 2 and "too short" in shown
    with Store(db_url) as store:
        assert [u.name for u in list_users(store)] == ["dana"]


def test_cli_serve_answers_and_refuses_half_a_tls_pair(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    half = _privwatch("serve", "--db", db, "--ssl-certfile", str(tmp_path / "c.pem"))
    assert half.returncode == 2
    assert (
        half.stderr.strip()
        == "privwatch: give both --ssl-certfile and --ssl-keyfile, or neither"
    )
    env = {**os.environ, "PRIVWATCH_LANG": "en"}
    process = subprocess.Popen(
        [sys.executable, "-m", "privwatch", "serve", "--port", "0", "--db", db],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stderr is not None
        lines = []
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            assert line, "".join(lines)
            lines.append(line)
            found = re.search(r"dashboard on (http://127\.0\.0\.1:\d+/)", line)
            url = found.group(1) if found else None
        assert url, lines
        assert any("no user can sign in yet" in line for line in lines)
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(url + "login", timeout=5)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert answer.status_code == 200 and "Sign in" in answer.text
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) in (0, 130)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


# --- messages -------------------------------------------------------------------

#: keys the templates build from a prefix and a value
DYNAMIC = {
    "web.severity.": ("high", "medium", "low"),
    "web.kind.": ("privacy", "terms", "trackers"),
    "web.role.": ("viewer", "editor"),
    "web.status.": ("new", "ok", "failing", "imported"),
    "web.platforms.": ("domestic", "foreign"),
    "web.scans.party_": ("first", "third"),
    "web.diff.": ("added", "removed", "changed", "moved"),
    "web.diff.kind_": ("added", "removed", "changed", "moved"),
    "web.diff.findings_": ("new", "resolved"),
    "web.watch.state_": ("idle", "running", "finished", "failed"),
    "web.watch.result_": ("new", "unchanged", "failed"),
    "web.scorecard.": ("met", "unmet", "not_applicable", "unknown"),
}


def test_every_message_key_of_the_templates_exists() -> None:
    folder = Path(privwatch.web.__file__).parent / "templates"
    used: set[str] = set()
    for path in folder.glob("*.html"):
        text = path.read_text("utf-8")
        used |= set(re.findall(r"""'((?:web|law)\.[a-z_.]*[a-z])'(?!\s*\+)""", text))
        for prefix in re.findall(r"""t\(\s*'([a-z_.]+[._])'\s*\+""", text):
            assert prefix in DYNAMIC, (path.name, prefix)
    for prefix, names in DYNAMIC.items():
        used |= {prefix + name for name in names}
    assert len(used) > 150
    assert used <= set(_catalog()), sorted(used - set(_catalog()))
    assert json.dumps(sorted(used))  # plain strings
