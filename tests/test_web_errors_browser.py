"""Error pages in a real headless Chromium: a page that is not there and a form
the server refuses render the dashboard's styled page, in Korean and English,
with the security headers and nothing the browser reports (a CSP violation is
a console error). Screenshots go where test_web_browser.py puts its own."""

from __future__ import annotations

from typing import Any

import pytest

from privwatch.web.security import CSP, HEADERS
from tests.test_web_browser import (  # noqa: F401 - fixtures used by name
    Site,
    browser,
    shoot,
    sign_in,
    site,
    tab,
)

pytest.importorskip("playwright.sync_api")

WORDS = {
    "ko": {
        "heading": "오류",
        "not_found": "찾는 항목이 없습니다",
        "country": "국가: ISO 3166-1 두 글자 국가 코드가 아닙니다",
        "selector": "CSS 선택자: HTML 판독기가 쓸 수 있는 CSS 선택자가 아닙니다",
    },
    "en": {
        "heading": "Error",
        "not_found": "nothing here",
        "country": "Country: not an ISO 3166-1 two-letter country code",
        "selector": "CSS selector: not a CSS selector the HTML reader can use",
    },
}


def _secured(headers: dict[str, str]) -> None:
    for name, value in HEADERS.items():
        assert headers.get(name) == value, name
    assert headers["content-security-policy"] == CSP


def _styled(page: Any) -> None:
    """The stylesheet applied: the card and the alert have their own look."""
    card = page.eval_on_selector(
        "section.card", "e => getComputedStyle(e).borderTopLeftRadius"
    )
    alert = page.eval_on_selector("p.error", "e => getComputedStyle(e).backgroundColor")
    assert card == "8px"
    assert alert not in ("rgba(0, 0, 0, 0)", "transparent")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_not_found_and_a_refused_form_are_styled_pages(
    site: Site,  # noqa: F811
    browser: Any,  # noqa: F811
    lang: str,
) -> None:
    words = WORDS[lang]
    locale = "ko-KR" if lang == "ko" else "en-GB"
    with tab(browser, locale) as (page, watched):
        sign_in(page, site.base)
        answer = page.goto(site.base + f"/platforms/{2**64}")
        assert answer is not None and answer.status == 404
        _secured(answer.headers)
        assert page.get_attribute("html", "lang") == lang
        assert page.inner_text("h1") == f"{words['heading']} 404"
        assert words["not_found"] in page.inner_text("p.error")
        assert str(2**64) not in page.content()
        _styled(page)
        shoot(page, f"web-{lang}-error-404")
        # the language links keep the address without writing it in the page
        other = "en" if lang == "ko" else "ko"
        page.click(f"header .langs a[hreflang={other}]")
        assert page.inner_text("h1") == f"{WORDS[other]['heading']} 404"
        page.goto(site.base + f"/platforms?lang={lang}")

        page.goto(site.base + "/targets/new")
        page.fill("input[name=name]", "새 쇼핑몰")
        page.fill("input[name=country]", "ZZ")
        page.fill("input[name=url]", "https://shop.example/privacy")
        with page.expect_response(lambda r: r.url.endswith("/targets")) as caught:
            page.click("form.form button[type=submit]")
        refused = caught.value
        assert refused.status == 422
        _secured(refused.headers)
        page.wait_for_selector("p.error")
        assert page.inner_text("p.error") == words["country"] + (
            " (예: KR, US, SG)" if lang == "ko" else " (such as KR, US, SG)"
        )
        page.fill("input[name=country]", "KR")
        page.fill("input[name=selector]", "div >")
        with page.expect_response(lambda r: r.url.endswith("/targets")) as caught:
            page.click("form.form button[type=submit]")
        assert caught.value.status == 422
        page.wait_for_selector("p.error")
        assert page.inner_text("p.error") == words["selector"]
        assert page.input_value("input[name=name]") == "새 쇼핑몰"  # kept to fix
        shoot(page, f"web-{lang}-error-422-form")
        assert "새 쇼핑몰" not in {p.name for p in site.store.platforms()}
        # Chromium reports the error statuses of the pages themselves; nothing
        # else (a stylesheet or script refused by the CSP would show here)
        status = "Failed to load resource: the server responded with a status of"
        others = [e for e in watched.errors if not e.startswith(status)]
        assert len(watched.errors) - len(others) == 4  # 404, 404, 422, 422
        assert others == [] and watched.dialogs == []
