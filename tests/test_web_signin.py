"""Signing in under attack, against a live server on 127.0.0.1 with parallel
requests from threads: attempts are reserved before the password check (exactly
the limit is checked), checks beyond the bound are refused at once, an
attacker's failures from other addresses leave the owner's password working,
the tables evict their oldest entries one by one, the sign-in form's token is
good once and for a while, and forwarded headers count only from a trusted
proxy."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from typing import Any

import httpx
import pytest

from privwatch.web.throttle import (
    Attempt,
    Busy,
    Limits,
    PasswordChecks,
    Refusal,
    Throttle,
    address_key,
)
from tests.test_web import PASSWORD, _privwatch, csrf_of, dashboard

WRONG = "not the password at all"
#: no slow-down and no address limit unless a test asks for them
PLAIN = {"per_address": 10_000, "slow_after": 10_000}


def _attempt(
    base: str, name: str, password: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    """One sign-in from a fresh client (its own form token); a 503 (every check
    busy) is tried again, as a person would."""
    with httpx.Client(base_url=base, timeout=60, headers=headers or {}) as client:
        while True:
            token = csrf_of(client.get("/login").text)
            answer = client.post(
                "/login", data={"name": name, "password": password, "csrf_token": token}
            )
            if answer.status_code != 503:
                return answer
            time.sleep(0.05)


def _parallel(count: int, attempt: Any) -> list[httpx.Response]:
    """``attempt(i)`` from ``count`` threads released together."""
    barrier = threading.Barrier(count)
    answers: list[httpx.Response | None] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        answers[i] = attempt(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(answer is not None for answer in answers)
    return [a for a in answers if a is not None]


def _statuses(answers: list[httpx.Response]) -> Counter[int]:
    return Counter(answer.status_code for answer in answers)


def test_parallel_wrong_passwords_check_exactly_the_limit(db_url: str) -> None:
    limits = Limits(per_pair=10, **PLAIN)
    with dashboard(db_url, limits=limits) as (_, base, _app):
        answers = _parallel(24, lambda _: _attempt(base, "editor", WRONG))
        assert _statuses(answers) == {401: 10, 429: 14}
        refused = next(a for a in answers if a.status_code == 429)
        assert "Too many failed attempts for this name from your address" in (
            refused.text
        )
        assert 840 < int(refused.headers["retry-after"]) <= 900  # the oldest's time
        # the guesser's address stays refused, the right password included
        assert _attempt(base, "editor", PASSWORD).status_code == 429


def test_password_checks_beyond_the_bound_are_refused_at_once(db_url: str) -> None:
    limits = Limits(checks=1, **PLAIN)

    def once(i: int) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=60) as client:
            token = csrf_of(client.get("/login", params={"lang": "ko"}).text)
            return client.post(
                "/login",
                data={"name": f"nobody{i}", "password": WRONG, "csrf_token": token},
            )

    with dashboard(db_url, limits=limits) as (_, base, app):
        answers = _parallel(20, once)
        statuses = _statuses(answers)
        assert set(statuses) <= {401, 503} and statuses[503] >= 1, statuses
        busy = next(a for a in answers if a.status_code == 503)
        assert "서버가 지금 로그인 확인을 너무 많이 처리하고 있습니다" in busy.text
        assert busy.headers["retry-after"] == "2"
        assert app.state.dashboard.checks.running == 0
        # a refused attempt was not counted: the owner's first try works
        assert _attempt(base, "editor", PASSWORD).status_code == 303


def test_ipv6_clients_count_by_their_64_network() -> None:
    throttle = Throttle(Limits(per_pair=2, **PLAIN))
    for host in ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9"):
        assert isinstance(throttle.reserve("editor", host), Attempt)
    refused = throttle.reserve("editor", "2001:db8:1:2:abcd::5")
    assert isinstance(refused, Refusal) and refused.reason == "pair"
    assert isinstance(throttle.reserve("editor", "2001:db8:1:3::1"), Attempt)
    assert address_key("::ffff:192.0.2.7") == "192.0.2.7"


def test_a_check_is_kept_for_an_address_the_name_signed_in_from() -> None:
    """A flood that fills the checks leaves one for the owner at a known
    address (the threads run real functions; one waits until released)."""
    throttle = Throttle(Limits(**PLAIN))
    first = throttle.reserve("editor", "198.51.100.20")
    assert isinstance(first, Attempt) and not first.known
    throttle.succeeded(first)
    again = throttle.reserve("editor", "198.51.100.20")
    elsewhere = throttle.reserve("editor", "203.0.113.9")
    assert isinstance(again, Attempt) and again.known
    assert isinstance(elsewhere, Attempt) and not elsewhere.known

    checks = PasswordChecks(1, spare=1)
    started, release = threading.Event(), threading.Event()

    def held() -> str:
        started.set()
        release.wait(30)
        return "held"

    async def flood_then_owner() -> list[str]:
        busy = asyncio.ensure_future(checks.run(held))
        await asyncio.to_thread(started.wait, 30)
        with pytest.raises(Busy):
            await checks.run(lambda: "a stranger")
        owner = await checks.run(lambda: "the owner", known=True)
        release.set()
        return [owner, await busy]

    try:
        assert asyncio.run(flood_then_owner()) == ["the owner", "held"]
        assert checks.running == 0
    finally:
        release.set()
        checks.close()


def test_the_owner_signs_in_after_an_attackers_failures_elsewhere(
    db_url: str,
) -> None:
    limits = Limits(
        per_pair=5, per_address=8, slow_after=3, first_delay=0.01, max_delay=0.05
    )
    options: dict[str, Any] = {"limits": limits, "trusted_proxies": ["127.0.0.1"]}
    with dashboard(db_url, **options) as (_, base, _app):

        def attacker(i: int) -> httpx.Response:
            where = {"X-Forwarded-For": f"203.0.113.{i % 4}"}
            return _attempt(base, "editor", WRONG, where)

        statuses = _statuses(_parallel(32, attacker))
        assert statuses == {401: 20, 429: 12}  # 5 checked from each of 4 addresses
        # an address that sprays names is stopped by the address limit
        sprayer = {"X-Forwarded-For": "203.0.113.99"}
        sprayed = [_attempt(base, f"user{i}", WRONG, sprayer) for i in range(10)]
        assert [a.status_code for a in sprayed] == [401] * 8 + [429] * 2
        assert "Too many failed sign-ins from your address" in sprayed[-1].text
        # the owner, elsewhere: only slowed, never refused
        owner = {"X-Forwarded-For": "198.51.100.20"}
        assert _attempt(base, "editor", WRONG, owner).status_code == 401
        good = _attempt(base, "editor", PASSWORD, owner)
        assert good.status_code == 303 and good.headers["location"] == "/platforms"
        # the attacker's addresses are still refused
        attacker_again = {"X-Forwarded-For": "203.0.113.1"}
        assert _attempt(base, "editor", PASSWORD, attacker_again).status_code == 429


def test_the_tables_evict_their_oldest_entries_one_by_one(db_url: str) -> None:
    limits = Limits(per_pair=2, capacity=8, **PLAIN)
    options: dict[str, Any] = {"limits": limits, "trusted_proxies": ["127.0.0.1"]}
    with dashboard(db_url, **options) as (_, base, app):
        throttle = app.state.dashboard.throttle
        blocked = {"X-Forwarded-For": "203.0.113.1"}
        for _ in range(2):
            assert _attempt(base, "editor", WRONG, blocked).status_code == 401
        for i in range(20):  # more names and addresses than the tables hold
            where = {"X-Forwarded-For": f"198.51.100.{i}"}
            assert _attempt(base, f"user{i}", WRONG, where).status_code == 401
            # the blocked pair is used again (refused) and so stays recent
            assert _attempt(base, "editor", WRONG, blocked).status_code == 429
        # the blocked pair, used again and again, stays; of the others only
        # the newest are left, one evicted for each new one
        assert throttle.tracked("editor", "203.0.113.1")["pair"]
        users = [throttle.tracked(f"user{i}", f"198.51.100.{i}") for i in range(20)]
        assert [user["pair"] for user in users] == [False] * 13 + [True] * 7
        assert [user["name"] for user in users] == [False] * 12 + [True] * 8
        assert [user["address"] for user in users] == [False] * 12 + [True] * 8


def test_a_sign_in_form_token_is_good_once(db_url: str) -> None:
    with dashboard(db_url) as (_, base, _app), httpx.Client(base_url=base) as client:
        page = client.get("/login")
        nonce, token = client.cookies["privwatch_login"], csrf_of(page.text)

        def post(password: str) -> httpx.Response:
            client.cookies.set("privwatch_login", nonce)
            return client.post(
                "/login",
                data={"name": "editor", "password": password, "csrf_token": token},
            )

        assert post(WRONG).status_code == 401
        again = post(PASSWORD)
        assert again.status_code == 403
        assert "The sign-in form expired" in again.text
        assert "privwatch_session" not in again.headers.get("set-cookie", "")
        for _ in range(3):
            assert post(WRONG).status_code == 403
        fresh = _attempt(base, "editor", PASSWORD)
        assert fresh.status_code == 303


def test_an_expired_sign_in_form_token_is_refused(db_url: str) -> None:
    with dashboard(db_url, token_seconds=1.0) as (_, base, _app):
        with httpx.Client(base_url=base) as client:
            page = client.get("/login", params={"lang": "ko"})
            assert "Max-Age=1" in page.headers["set-cookie"]
            token = csrf_of(page.text)
            time.sleep(1.5)
            answer = client.post(
                "/login",
                data={"name": "editor", "password": PASSWORD, "csrf_token": token},
            )
            assert answer.status_code == 403
            assert "로그인 양식이 만료되었거나" in answer.text
        assert _attempt(base, "editor", PASSWORD).status_code == 303


def _forwarded(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address, "X-Forwarded-Proto": "https"}


def test_forwarded_headers_are_ignored_from_an_untrusted_peer(db_url: str) -> None:
    limits = Limits(per_pair=1, **PLAIN)
    with dashboard(db_url, limits=limits) as (_, base, _app):
        page = httpx.get(base + "/login", headers=_forwarded("192.0.2.1"))
        assert page.headers["set-cookie"].startswith("privwatch_login=")
        assert "secure" not in page.headers["set-cookie"].lower()
        assert "strict-transport-security" not in page.headers
        first = _attempt(base, "editor", WRONG, _forwarded("192.0.2.1"))
        assert first.status_code == 401
        # another claimed address, the same peer: the same pair, refused
        second = _attempt(base, "editor", WRONG, _forwarded("192.0.2.2"))
        assert second.status_code == 429


def test_forwarded_headers_count_from_a_trusted_proxy(db_url: str) -> None:
    limits = Limits(per_pair=1, **PLAIN)
    trusted: dict[str, Any] = {"limits": limits, "trusted_proxies": ["127.0.0.0/8"]}
    with dashboard(db_url, **trusted) as (_, base, _app):
        page = httpx.get(base + "/login", headers=_forwarded("192.0.2.1"))
        cookie = page.headers["set-cookie"]
        assert (
            cookie.startswith("__Host-privwatch_login=") and "secure" in cookie.lower()
        )
        assert page.headers["strict-transport-security"] == "max-age=31536000"
        for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3, 127.0.0.1"):
            headers = {"X-Forwarded-For": address}
            assert _attempt(base, "editor", WRONG, headers).status_code == 401
        # the client behind the chain is 192.0.2.3, now refused
        refused = _attempt(base, "editor", WRONG, {"X-Forwarded-For": "192.0.2.3"})
        assert refused.status_code == 429


@pytest.mark.parametrize("value", ["nonsense", "10.0.0.0/40"])
def test_cli_serve_refuses_a_bad_trusted_proxy(tmp_path: Any, value: str) -> None:
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    answer = _privwatch("serve", "--db", db, "--port", "0", "--trusted-proxy", value)
    assert answer.returncode == 2
    assert answer.stderr.strip() == (
        f"privwatch: not an IP address or network for --trusted-proxy: {value}"
    )
