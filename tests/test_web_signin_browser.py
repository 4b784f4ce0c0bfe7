"""The sign-in page under attack in a real headless Chromium: wrong passwords
until the limit, then the throttled message in the browser's language (with a
full-page screenshot), while the account's owner, from another address, still
signs in. The attacks themselves, in parallel, are in test_web_signin.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from privwatch.accounts import add_user
from privwatch.store import Store
from privwatch.web.app import create_app
from privwatch.web.throttle import Limits
from tests.test_web import PASSWORD, live
from tests.test_web_browser import browser, shoot, tab

__all__ = ["browser"]  # the fixture, shared with test_web_browser.py

THROTTLED = {
    "ko": "이 주소에서 이 이름으로 실패한 시도가 너무 많습니다: 15분 뒤 다시 시도하세요.",
    "en": "Too many failed attempts for this name from your address: "
    "wait 15 minutes and try again.",
}
FAILED = {
    "ko": "사용자 이름이나 비밀번호가 틀립니다.",
    "en": "Wrong user name or password.",
}


@pytest.fixture
def base(tmp_path: Path) -> Iterator[str]:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        add_user(store, "editor", PASSWORD, "editor")
        limits = Limits(per_pair=3, per_address=1000, slow_after=1000)
        app = create_app(
            store,
            watch_delay=0,
            default_lang="en",
            limits=limits,
            trusted_proxies=["127.0.0.1"],  # so each tab can be another address
        )
        with live(app) as found:
            yield found
    finally:
        store.close()


def _submit(page: Any, password: str) -> str:
    page.fill("input[name=name]", "editor")
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    return (
        str(page.inner_text("[role=alert]"))
        if page.locator("[role=alert]").count()
        else ""
    )


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_sign_in_page_shows_the_throttled_message(
    base: str, browser: Any, lang: str
) -> None:
    locale = "ko-KR" if lang == "ko" else "en-GB"
    with tab(browser, locale) as (page, watched):
        page.set_extra_http_headers({"X-Forwarded-For": "203.0.113.5"})
        page.goto(base + "/login")
        for _ in range(3):
            assert _submit(page, "not the password") == FAILED[lang]
        assert _submit(page, "not the password") == THROTTLED[lang]
        assert page.get_attribute("html", "lang") == lang
        shoot(page, f"web-{lang}-login-throttled")
        # the right password from the same address is refused as well
        assert _submit(page, PASSWORD) == THROTTLED[lang]
        assert page.url.endswith("/login")
        if lang == "ko":
            shown = page.inner_text("main").replace("privwatch", "")
            assert not re.search(r"[A-Za-z]{3,}", shown), shown
        # nothing but the refused answers' own statuses in the console
        assert all("status of 4" in error for error in watched.errors), watched.errors
        assert watched.dialogs == []
    with tab(browser, locale) as (page, watched):  # the owner, elsewhere
        page.set_extra_http_headers({"X-Forwarded-For": "198.51.100.7"})
        page.goto(base + "/login")
        page.fill("input[name=name]", "editor")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_url(re.compile(r".*/platforms$"))
        assert watched.errors == [] and watched.dialogs == []
