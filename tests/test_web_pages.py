"""The dashboard's pages over real policy histories, in a real headless
Chromium: findings by version date with the latest version by default, long
pages in collapsible sections, a diff that hides a site's menus, the scorecard
with the saved evaluation, the Korean interface without English, sources as
file names, titles that are no menu item, "Run now" scoped to its platform and
rule ids that do not wrap; with full-page screenshots of the main pages in
Korean and English at 1280 px.

The store holds Naver's privacy policy 2012-2020 (57 versions) and AliExpress's
terms from ``../shared/corpus/history``, imported AliExpress first so that
storage order and version dates disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from privwatch.store import Store
from privwatch.watch.history import import_dir
from tests.conftest import SHARED, LocalServer, Route
from tests.test_web_browser import (
    Site,
    browser_of,
    shoot,
    sign_in,
    site_over,
    tab,
)

HISTORY = SHARED / "corpus" / "history"
NAVER = HISTORY / "naver_privacy_ko"
ALIEXPRESS = HISTORY / "aliexpress_terms_en"

pytestmark = pytest.mark.skipif(
    not NAVER.is_dir() or not ALIEXPRESS.is_dir(),
    reason="../shared/corpus/history is not there",
)


def build_histories(store: Store, folder: Path) -> None:
    from privwatch import evaluate
    from privwatch.report import evaluation as shown

    store.add_platform("AliExpress", country="CN", foreign=True)
    import_dir(store, "AliExpress", "terms", ALIEXPRESS)
    store.add_platform("Naver", country="KR", foreign=False)
    import_dir(store, "Naver", "privacy", NAVER)
    latest = NAVER / "2020-10-05.md"
    result = evaluate.evaluate_policy(str(latest), home=None, foreign=False)
    saved = shown.evaluation_to_dict(result, lang="ko")
    evaluate.save_evaluation(store, "Naver", saved, source=str(latest))


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser_of() as launched:
        yield launched


@pytest.fixture(scope="module")
def histories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with site_over(tmp_path_factory.mktemp("histories"), build_histories) as found:
        yield found


def _rows(page: Any) -> list[tuple[str, str, str]]:
    """The findings table's (severity class, version, date) per row."""
    found: list[tuple[str, str, str]] = page.evaluate(
        """() => [...document.querySelectorAll('table.findings tbody tr')].map(r => [
            r.querySelector('.sev').className.replace('sev ', ''),
            r.querySelector('td:nth-child(3) a').textContent.trim(),
            r.querySelector('td:nth-child(3) small').textContent.trim()])"""
    )
    return [tuple(row) for row in found]  # type: ignore[misc]


RANK = {"sev-high": 0, "sev-medium": 1, "sev-low": 2}


def _in_order(rows: list[tuple[str, str, str]]) -> bool:
    keys = [(r[2], -RANK[r[0]]) for r in rows]
    return keys == sorted(keys, reverse=True)


def test_findings_by_version_date_latest_by_default(
    histories: Site,
    chromium: Any,
) -> None:
    with tab(chromium, "en-GB") as (page, watched):
        sign_in(page, histories.base)
        page.goto(histories.base + "/findings")
        count = page.inner_text("p.count")
        assert "latest versions" in count
        rows = _rows(page)
        # AliExpress's latest version (2026) was stored before Naver's (2020)
        assert rows[0][1:] == ("v2", "2026-06-01")
        assert {(r[1], r[2]) for r in rows} <= {
            ("v2", "2026-06-01"),
            ("v57", "2020-10-05"),
        }
        assert _in_order(rows)
        latest_total = int(count.split()[0].replace(",", ""))

        # the history: every version, still by date then severity
        page.check("input[name=history]")
        page.wait_for_url(re.compile(r".*/findings\?.*history=1.*"))
        page.wait_for_function(
            "() => document.querySelector('p.count').textContent.includes('all')"
        )
        every = int(page.inner_text("p.count").split()[0].replace(",", ""))
        assert every > latest_total
        pages = -(-every // 50)
        dates = []
        for number in (1, 2, pages - 1, pages):
            page.goto(histories.base + f"/findings?history=1&page={number}")
            rows = _rows(page)
            assert _in_order(rows)
            dates += [r[2] for r in rows]
        assert dates == sorted(dates, reverse=True)
        assert dates[0] == "2026-06-01" and dates[-1] == "2012-10-04"
        assert watched.errors == []


def test_version_page_in_collapsible_sections(
    histories: Site,
    chromium: Any,
) -> None:
    with tab(chromium, "ko-KR") as (page, watched):
        sign_in(page, histories.base)
        page.goto(histories.base + f"/versions/{histories.ids['v:Naver:57']}")
        parts = page.locator("details.part")
        assert parts.count() >= 10  # the opening and each top-level section
        assert page.locator("details.part[open]").count() == 0
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 3000  # collapsed: no 20,000 px page
        summaries = page.locator("details.part > summary")
        assert summaries.filter(has_text="수집하는 개인정보").first.is_visible()
        # a section opens and closes with a click, without a script of ours
        section = parts.nth(2)
        section.locator("summary").click()
        assert section.get_attribute("open") is not None
        assert section.locator(".clause").first.is_visible()
        assert page.evaluate("document.documentElement.scrollHeight") > height
        section.locator("summary").click()
        assert section.get_attribute("open") is None

        # the findings by the article they cite, each under its own heading
        groups = page.locator("details.group")
        assert groups.count() >= 3
        for index in range(groups.count()):
            group = groups.nth(index)
            heading = group.locator("summary .part-title").inner_text()
            metas = group.locator("article.finding p.meta").all_text_contents()
            assert metas
            for meta in metas:
                assert meta.strip().startswith(heading), (heading, meta)
        # a marked word leads to its finding, whose section opens
        flagged = page.locator("details.part:has(a.mark)").first
        flagged.locator("summary").click()
        mark = flagged.locator("a.mark").first
        anchor = mark.get_attribute("href")
        mark.click()
        target = page.locator(anchor)
        assert target.is_visible()
        assert watched.errors == []


def test_diff_hides_the_site_menu_and_shows_it_on_request(
    histories: Site,
    chromium: Any,
) -> None:
    with tab(chromium, "ko-KR") as (page, watched):
        sign_in(page, histories.base)
        document = histories.ids["doc:Naver"]
        page.goto(histories.base + f"/documents/{document}/diff?from=56&to=57")
        note = page.inner_text("#repeated-note")
        hidden = int(re.search(r"(\d+)개를 숨겼습니다", note)[1])  # type: ignore[index]
        assert hidden >= 80  # the login menu of 2017-2020
        shown = page.locator(".change").count()
        assert shown < 20
        texts = page.locator(".change p").all_inner_texts()
        assert "로그인" not in texts and "_님로그아웃" not in texts
        page.click("#repeated-note a")
        page.wait_for_url(re.compile(r".*repeated=show.*"))
        assert page.locator(".change").count() == shown + hidden
        assert "로그인" in page.locator(".change p").all_inner_texts()
        assert page.is_checked("input[name=repeated]")
        assert "숨기기" in page.inner_text("#repeated-note")
        assert watched.errors == []


def test_scorecard_shows_the_saved_evaluation(
    histories: Site,
    chromium: Any,
) -> None:
    from privwatch.store.evaluations import evaluations

    (saved,) = evaluations(histories.store, "Naver")
    score = f"{saved.result['score']:.1f}" if saved.result.get("score") else "–"
    with tab(chromium, "ko-KR") as (page, watched):
        sign_in(page, histories.base)
        page.goto(histories.base + "/scorecard")
        cells = page.locator("tr.evaluation td").all_inner_texts()
        assert any(f"평가 {score}점" in c and "2020-10-05.md" in c for c in cells)
        assert any("평가 없음" in c for c in cells)  # AliExpress: none saved
        assert "/work" not in page.content()
        # each rule under the heading of the article it cites, ids on one line
        for row in page.locator("table.score tbody tr").all():
            if "art" in (row.get_attribute("class") or ""):
                heading = row.inner_text().strip()
                continue
            cite = row.locator(".cite").inner_text()
            assert cite.startswith(heading), (heading, cite)
            assert not cite[len(heading) :].startswith("의"), (heading, cite)
        lines = page.evaluate(
            """() => [...document.querySelectorAll('table.score code.rule')]
                .map(c => [getComputedStyle(c).whiteSpace, c.getClientRects().length])"""
        )
        assert lines and all(w == "nowrap" and n == 1 for w, n in lines)
        assert watched.errors == []


ENGLISH = re.compile(r"[A-Za-z]{2,}")
#: data, not interface: names, file names, units and marks shown as they are
KEPT = {
    "Naver",
    "AliExpress",
    "UTC",
    "SHA",
    "KR",
    "CN",
    "md",
    "kr",
    "pipa",
    "privwatch",
}
KEPT |= {"Ver", "worldwide"}  # the policy's title; a rule's quote of AliExpress
KEPT |= {"CSS", "ISO", "HTTP"}  # acronyms Korean writes as they are
DATA = (
    "blockquote, .doc, code, .url, .change, .langs, .brand, .source, "
    "select, .part-title, .who, script, style, [lang=en]"
)


def _english_words(page: Any) -> set[str]:
    text: str = page.evaluate(
        """(skip) => {
            const out = [];
            const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walk.nextNode()) {
                const node = walk.currentNode;
                if (!node.parentElement.closest(skip)) out.push(node.textContent);
            }
            return out.join(' ');
        }""",
        DATA,
    )
    return set(ENGLISH.findall(text)) - KEPT


def test_korean_pages_show_no_english_and_no_server_paths(
    histories: Site,
    chromium: Any,
) -> None:
    naver = histories.ids["Naver"]
    paths = [
        "/platforms",
        f"/platforms/{naver}",
        f"/versions/{histories.ids['v:Naver:57']}",
        f"/documents/{histories.ids['doc:Naver']}/diff",
        "/findings",
        "/scorecard",
        "/watch",
        "/targets/new",
    ]
    with tab(chromium, "ko-KR") as (page, watched):
        sign_in(page, histories.base)
        for path in paths:
            page.goto(histories.base + path)
            assert _english_words(page) == set(), path
            html = page.content()
            assert "file://" not in html and str(HISTORY) not in html, path
        # an imported history is not fetched: no "check now" on its platform
        page.goto(histories.base + f"/platforms/{naver}")
        assert page.locator("form[action='/watch/run']").count() == 0
        page.goto(histories.base + f"/versions/{histories.ids['v:Naver:57']}")
        facts = page.inner_text("dl.facts")
        assert "2020-10-05.md" in facts
        # the title is the policy's own, not the site's skip link
        assert "네이버 개인정보 처리방침 (Ver.10.6)" in facts
        assert "본문바로가기" not in facts
        assert watched.errors == []


def test_run_now_on_a_platform_checks_only_it(
    tmp_path: Path,
    chromium: Any,
    server: LocalServer,
) -> None:
    asked: list[str] = []

    def answer(status: int, body: bytes) -> Route:
        def handler(request: Any) -> None:
            asked.append(request.path)
            request.send_response(status)
            request.send_header("Content-Type", "text/plain; charset=utf-8")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)

        return Route(handler=handler)

    policy = "개인정보 처리방침\n\n제1조(목적) 회사는 회원 관리를 위하여 이메일을 처리합니다.\n"
    first = server.add("/first", answer(200, policy.encode()))
    broken = server.add("/broken", answer(404, b"gone"))
    other = server.add("/other", answer(200, policy.encode()))

    def build(store: Store, folder: Path) -> None:
        store.add_platform("하나몰", country="KR")
        store.add_document("하나몰", "privacy", first)
        store.add_document("하나몰", "terms", broken)
        store.add_platform("다른몰", country="KR")
        store.add_document("다른몰", "privacy", other)

    with site_over(tmp_path, build) as site, tab(chromium, "ko-KR") as (page, _):
        sign_in(page, site.base)
        page.goto(site.base + f"/platforms/{site.ids['하나몰']}")
        page.click("text=하나몰 지금 확인")
        page.wait_for_selector("#run-status.run-finished, #run-status.run-failed")
        panel = page.inner_text("#run-status")
        assert "하나몰만" in panel
        assert page.locator("#run-status tbody tr").count() == 2, panel
        assert "다른몰" not in panel
        assert sorted(asked) == ["/broken", "/first"]
        # the failure in the interface's language, the page's address shown
        assert "응답했습니다" in panel and "answered" not in panel
        page.goto(site.base + f"/platforms/{site.ids['하나몰']}")
        error = page.inner_text("p.error")
        assert "HTTP 404" in error and "응답했습니다" in error
        assert "answered" not in error
        page.goto(site.base + "/platforms?lang=en")
        page.goto(site.base + f"/platforms/{site.ids['하나몰']}")
        assert "answered HTTP 404" in page.inner_text("p.error")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_screenshots_of_the_main_pages_over_real_histories(
    histories: Site,
    chromium: Any,
    lang: str,
) -> None:
    locale = "ko-KR" if lang == "ko" else "en-GB"
    naver = histories.ids["Naver"]
    shots = {
        "1-platforms": "/platforms",
        "2-platform": f"/platforms/{naver}",
        "3-version": f"/versions/{histories.ids['v:Naver:57']}",
        "4-findings": "/findings",
        "5-diff": f"/documents/{histories.ids['doc:Naver']}/diff?from=56&to=57",
        "6-scorecard": "/scorecard",
    }
    with tab(chromium, locale) as (page, watched):
        sign_in(page, histories.base)
        for name, path in shots.items():
            page.goto(histories.base + path)
            assert page.get_attribute("html", "lang") == lang
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
            shoot(page, f"web-pages-{lang}-{name}")
        assert watched.errors == [] and watched.dialogs == []


def test_diff_lists_findings_whose_evidence_changed_apart(
    histories: Site,
    chromium: Any,
) -> None:
    """Two Naver versions whose findings quote reworded clauses: the page lists
    them apart, with the changed quotes struck and inserted, and not as new
    and resolved."""
    from privwatch.diff import finding_delta
    from privwatch.store.records import decode_audit

    document = histories.ids["doc:Naver"]
    versions = histories.store.versions(document)
    for before, after in zip(versions, versions[1:], strict=False):
        delta = finding_delta(
            decode_audit(before.audit_json), decode_audit(after.audit_json)
        )
        if delta.evidence_changed and not delta.new:
            break
    else:
        pytest.fail("no pair of versions with only evidence changed")
    with tab(chromium, "ko-KR") as (page, watched):
        sign_in(page, histories.base)
        page.goto(
            histories.base
            + f"/documents/{document}/diff?from={before.number}&to={after.number}"
        )
        assert "이후 판에서 새로 생김 (0건)" in page.inner_text("body")
        changed = len(delta.evidence_changed)
        assert f"근거 인용만 바뀐 같은 발견 사항: {changed}건" in page.inner_text(
            "body"
        )
        assert page.locator("ul.delta.evidence > li").count() == changed
        assert page.locator("ul.delta.evidence del").count() >= 1
        assert page.locator("ul.delta.evidence ins").count() >= 1
        assert watched.errors == []
