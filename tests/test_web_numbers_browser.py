"""The add-document form of a platform already watched, in a real headless
Chromium: it comes filled with what is stored, and fields left blank keep the
stored values (issue 20: a document added from the form had set the platform's
country to empty and foreign to false)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.test_web import build_store
from tests.test_web_browser import Site, browser, shoot, sign_in, site_over, tab

__all__ = ["browser"]  # the module's Chromium, shared with its tests


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with site_over(tmp_path_factory.mktemp("numbers"), build_store) as found:
        yield found


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_add_document_form_is_prefilled_and_blanks_keep_the_platform(
    site: Site, browser: Any, lang: str
) -> None:
    pid = site.ids["GlobalBazaar"]
    (document,) = site.store.documents("GlobalBazaar")
    locale = "ko-KR" if lang == "ko" else "en-GB"
    with tab(browser, locale) as (page, watched):
        sign_in(page, site.base)
        page.goto(f"{site.base}/platforms/{pid}")
        page.click(f"a[href='/targets/new?platform={pid}']")
        page.wait_for_url(re.compile(rf".*/targets/new\?platform={pid}$"))
        # what is stored, shown
        assert page.input_value("input[name=name]") == "GlobalBazaar"
        assert page.input_value("input[name=country]") == "SG"
        assert page.input_value("input[name=category]") == "marketplace"
        assert page.input_value("select[name=foreign]") == "1"
        # an imported history has no web address to show
        assert document.url.startswith("file:")
        assert page.input_value("input[name=url]") == ""
        heading = page.inner_text("h1")
        assert heading == ("문서 추가" if lang == "ko" else "Add a document")
        shoot(page, f"web-{lang}-9-add-document")
        # everything but the name left blank, the operator "as stored"
        for field in ("country", "category", "url", "selector"):
            page.fill(f"input[name={field}]", "")
        page.select_option("select[name=foreign]", "")
        page.click("form[action='/targets'] button[type=submit]")
        page.wait_for_url(re.compile(rf".*/platforms/{pid}$"))
        facts = page.inner_text("p.facts")
        assert "SG" in facts and "marketplace" in facts
        assert page.locator("p.facts .tag.foreign").count() == 1
        assert watched.errors == [] and watched.dialogs == []
    (platform,) = [p for p in site.store.platforms() if p.id == pid]
    assert (platform.country, platform.foreign, platform.category) == (
        "SG",
        True,
        "marketplace",
    )
    assert [d.id for d in site.store.documents("GlobalBazaar")] == [document.id]


def test_the_form_attaches_a_history_and_refuses_a_second_address(
    site: Site, browser: Any
) -> None:
    pid = site.ids["GlobalBazaar"]
    (imported,) = site.store.documents("GlobalBazaar")
    versions = len(site.store.versions(imported.id))
    with tab(browser, "ko-KR") as (page, watched):
        sign_in(page, site.base)
        # the imported history becomes the document watched at this address
        page.goto(f"{site.base}/targets/new?platform={pid}")
        page.fill("input[name=url]", "https://bazaar.example/privacy")
        page.click("form[action='/targets'] button[type=submit]")
        page.wait_for_url(re.compile(rf".*/platforms/{pid}$"))
        (document,) = site.store.documents("GlobalBazaar")
        assert (document.id, document.url) == (
            imported.id,
            "https://bazaar.example/privacy",
        )
        assert len(site.store.versions(document.id)) == versions
        # another address for the same kind is refused, naming the one there
        page.goto(f"{site.base}/targets/new?platform={pid}")
        assert page.input_value("input[name=url]") == document.url
        page.fill("input[name=url]", "https://bazaar.example/other")
        page.select_option("select[name=foreign]", "0")
        page.click("form[action='/targets'] button[type=submit]")
        alert = page.inner_text("p.error[role=alert]")
        assert "이미 privacy 문서가 있습니다" in alert and document.url in alert
        # the refusal is a 422 page; nothing else went wrong in the page
        assert all("status of 422" in error for error in watched.errors)
        assert watched.dialogs == []
    (platform,) = [p for p in site.store.platforms() if p.id == pid]
    assert platform.foreign is True  # refused as a whole: the flag stays
    assert len(site.store.documents("GlobalBazaar")) == 1
