"""The dashboard in a real headless Chromium (Playwright driving the system
browser): signing in, browsing a platform, a diff and a finding, htmx under the
strict Content-Security-Policy, a stored policy's script that must not run, and
full-page screenshots of the main pages in Korean and English.

Screenshots go to ``PRIVWATCH_ARTIFACTS`` (default ``test-artifacts/`` at the
repository's root). CI installs Chromium and a CJK font (.ci/run).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from privwatch.accounts import add_user
from privwatch.ingest.render import CHROMIUM_ARGS, find_chromium
from privwatch.store import Store
from privwatch.web.app import create_app
from tests.conftest import ROOT, LocalServer, Route
from tests.test_web import (
    EVIL_NAME,
    EVIL_POLICY,
    PASSWORD,
    SCRIPT,
    VIEWER_PASSWORD,
    build_evil,
    build_store,
    live,
)

playwright = pytest.importorskip("playwright.sync_api")

ARTIFACTS = Path(os.environ.get("PRIVWATCH_ARTIFACTS") or ROOT / "test-artifacts")


@dataclass
class Site:
    store: Store
    base: str
    ids: dict[str, int] = field(default_factory=dict)


@contextmanager
def site_over(folder: Path, build: Any) -> Iterator[Site]:
    store = Store(f"sqlite:///{folder / 'store.db'}")
    try:
        add_user(store, "editor", PASSWORD, "editor")
        add_user(store, "viewer", VIEWER_PASSWORD, "viewer")
        build(store, folder)
        app = create_app(store, watch_delay=0, default_lang="en")
        with live(app) as base:
            ids = {p.name: p.id for p in store.platforms()}
            for document in store.documents():
                versions = store.versions(document.id)
                ids[f"doc:{document.platform.name}"] = document.id
                for version in versions:
                    ids[f"v:{document.platform.name}:{version.number}"] = version.id
            yield Site(store, base, ids)
    finally:
        store.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with site_over(tmp_path_factory.mktemp("web"), build_store) as found:
        yield found


@contextmanager
def browser_of() -> Iterator[Any]:
    """Headless Chromium (the system's) through Playwright."""
    executable = find_chromium() or "/usr/bin/chromium"
    if not os.path.exists(executable):
        pytest.fail("no Chromium: apt-get install -y chromium (as .ci/run does)")
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with browser_of() as launched:
        yield launched


@dataclass
class Watched:
    """What a page did that it should not: console errors (a CSP violation is
    one), uncaught exceptions, dialogs (alert)."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextmanager
def tab(browser: Any, locale: str) -> Iterator[tuple[Any, Watched]]:
    context = browser.new_context(
        locale=locale, viewport={"width": 1280, "height": 860}, device_scale_factor=1
    )
    try:
        page = context.new_page()
        watched = Watched()
        page.on(
            "console",
            lambda m: watched.errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: watched.errors.append(str(e)))

        def on_dialog(dialog: Any) -> None:
            watched.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.set_default_timeout(20_000)
        yield page, watched
    finally:
        context.close()


def sign_in(
    page: Any, base: str, name: str = "editor", password: str = PASSWORD
) -> None:
    page.goto(base + "/platforms")
    assert "/login?next=" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/platforms$"))


def shoot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_screenshots_of_the_main_pages(site: Site, browser: Any, lang: str) -> None:
    """The language follows the browser's Accept-Language."""
    locale = "ko-KR" if lang == "ko" else "en-GB"
    with tab(browser, locale) as (page, watched):
        page.goto(site.base + "/login")
        assert page.get_attribute("html", "lang") == lang
        shoot(page, f"web-{lang}-1-login")
        sign_in(page, site.base)
        shots = {
            "2-platforms": "/platforms",
            "3-platform": f"/platforms/{site.ids['누리쇼핑']}",
            "4-version": f"/versions/{site.ids['v:누리쇼핑:2']}",
            "5-diff": f"/documents/{site.ids['doc:누리쇼핑']}/diff?from=1&to=2",
            "6-findings": "/findings",
            "7-scorecard": "/scorecard",
            "8-version-en": f"/versions/{site.ids['v:GlobalBazaar:2']}",
        }
        for name, path in shots.items():
            page.goto(site.base + path)
            assert page.get_attribute("html", "lang") == lang
            shoot(page, f"web-{lang}-{name}")
        heading = page.inner_text("h1")
        assert "GlobalBazaar" in heading
        assert watched.errors == [] and watched.dialogs == []


def test_browse_a_platform_a_diff_and_a_finding(site: Site, browser: Any) -> None:
    with tab(browser, "en-GB") as (page, watched):
        sign_in(page, site.base)
        page.click("text=누리쇼핑")
        page.wait_for_url(re.compile(r".*/platforms/\d+$"))
        assert page.locator("svg rect.hit").count() == 3  # one bar per version
        assert page.locator("table.flows tr.cross").count() > 0  # cross-border flows
        page.click("text=changes since the previous version >> nth=0")
        page.wait_for_url(re.compile(r".*/diff\?from=2&to=3$"))
        assert page.locator(".change").count() > 0
        page.goto(site.base + f"/documents/{site.ids['doc:누리쇼핑']}/diff?from=1&to=2")
        assert page.locator("ins").count() > 0 and page.locator("del").count() > 0
        assert "5일 이내에" in page.inner_text("main")

        # the findings page filters through htmx (a script from /static under the CSP)
        page.click("nav >> text=Findings")
        page.wait_for_url(re.compile(r".*/findings$"))
        total = page.inner_text("p.count")
        page.select_option("select[name=severity]", "high")
        page.wait_for_url(re.compile(r".*/findings\?severity=high.*"))
        page.wait_for_function(
            "() => [...document.querySelectorAll('table.findings tbody tr')]"
            ".every(r => r.querySelector('.sev-high'))"
        )
        assert page.inner_text("p.count") != total
        assert page.evaluate("typeof window.htmx") == "object"

        # a finding opens its version with the finding in view
        link = page.locator("a.finding-link").first
        title = link.inner_text()
        link.click()
        page.wait_for_url(re.compile(r".*/versions/\d+#f-\d+$"))
        anchor = page.url.split("#", 1)[1]
        target = page.locator(f"#{anchor}")
        assert title in target.inner_text()
        assert target.is_visible()
        assert page.locator("a.mark").count() > 0  # quoted words marked in the text
        assert watched.errors == [] and watched.dialogs == []


def test_a_stored_script_does_not_run(
    tmp_path: Path, browser: Any, server: LocalServer
) -> None:
    served = server.add(
        "/evil",
        Route(body=EVIL_POLICY.encode(), headers={"Content-Type": "text/plain"}),
    )

    def build(store: Store, folder: Path) -> None:
        build_evil(store, folder)
        store.add_document(EVIL_NAME, "privacy", served)  # watched on the web

    with (
        site_over(tmp_path, build) as evil,
        tab(browser, "ko-KR") as (page, watched),
    ):
        sign_in(page, evil.base)
        paths = [
            "/platforms",
            f"/platforms/{evil.ids[EVIL_NAME]}",
            f"/versions/{evil.ids[f'v:{EVIL_NAME}:1']}",
            f"/documents/{evil.ids[f'doc:{EVIL_NAME}']}/diff",
            "/findings",
        ]
        for path in paths:
            page.goto(evil.base + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__pwned") is None, path
            assert page.locator("main script, main img, main svg[onload]").count() == 0
        page.goto(evil.base + f"/versions/{evil.ids[f'v:{EVIL_NAME}:1']}")
        assert SCRIPT in page.inner_text("main")  # shown as text
        assert EVIL_NAME in page.inner_text("h1")
        page.goto(evil.base + f"/platforms/{evil.ids[EVIL_NAME]}")
        assert "<svg onload=alert(4)>@example.org" in page.inner_text("table.flows")

        # an editor starts a watch run; the htmx panel polls until it is done
        page.goto(evil.base + "/watch")
        page.click("text=지금 감시 실행")
        page.wait_for_selector("#run-status.run-finished, #run-status.run-failed")
        panel = page.inner_text("#run-status")
        assert page.locator("#run-status tbody tr").count() == 1, panel
        assert "새 판" in panel  # a new version of the served policy
        assert page.evaluate("window.__pwned") is None
        assert watched.dialogs == []
        assert watched.errors == []
