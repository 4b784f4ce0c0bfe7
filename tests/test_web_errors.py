"""The dashboard's error answers against a live server on 127.0.0.1 (SQLite and
PostgreSQL): every status a styled page in the interface language with the
security headers, a small JSON error for an API client, never the request's
own values; ids past 64 bits; the target form's field checks."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from privwatch.web.deps import MAX_ID, record_id
from privwatch.web.security import CSP, HEADERS
from tests.test_web import (
    PASSWORD,
    VIEWER_PASSWORD,
    build_store,
    dashboard,
    session_csrf,
    signed_in_client,
)

#: a value that must never come back in an error's answer
MARK = "zq7Echo"
PAGE = {"accept": "text/html,application/xhtml+xml"}
JSON = {"accept": "application/json"}
TOO_BIG = str(2**64)
ENGLISH = re.compile(r"\b(error|nothing|request|server|the)\b", re.IGNORECASE)


def _secured(answer: httpx.Response) -> None:
    for name, value in HEADERS.items():
        assert answer.headers.get(name) == value, (name, answer.request.url)
    assert answer.headers["content-security-policy"] == CSP
    static = answer.request.url.path.startswith("/static/")
    assert answer.headers["cache-control"] == ("no-cache" if static else "no-store")


def _styled(answer: httpx.Response, status: int, lang: str) -> str:
    """The error page's message, after checking the page."""
    assert answer.status_code == status, answer.text[:300]
    _secured(answer)
    assert answer.headers["content-type"].startswith("text/html")
    page = answer.text
    assert f'<html lang="{lang}">' in page
    assert '<link rel="stylesheet" href="/static/app.css">' in page
    heading = "오류" if lang == "ko" else "Error"
    assert f"<h1>{heading} {status}</h1>" in page
    assert MARK.lower() not in page.lower()
    found = re.search(r'<p class="error" role="alert">([^<]+)</p>', page)
    assert found, page
    if lang == "ko":
        assert not ENGLISH.search(found.group(1)), found.group(1)
    return found.group(1)


def test_every_status_is_a_styled_page_with_the_headers(db_url: str) -> None:
    with (
        dashboard(db_url) as (_, base, _app),
        signed_in_client(base) as client,
    ):
        for lang in ("en", "ko"):
            client.cookies.set("privwatch_lang", lang)
            cases = {
                f"/nowhere-{MARK}": 404,
                f"/platforms/{MARK}": 404,  # not an id
                f"/platforms/{TOO_BIG}": 404,  # past 64 bits: was a 500
                f"/versions/-{TOO_BIG}": 404,
                f"/documents/{TOO_BIG}/diff": 404,
                f"/platforms/{MAX_ID}": 404,  # the largest id, absent
                f"/platforms/{MAX_ID + 1}": 404,  # past PostgreSQL's INTEGER
                f"/versions/{2**63}": 404,  # past SQLite's
                "/versions/0": 404,
                f"/static/{MARK}.css": 404,
            }
            texts = set()
            for path, status in cases.items():
                texts.add(_styled(client.get(path, headers=PAGE), status, lang))
            assert len(texts) == 1  # not found, whatever was asked
            method = client.post("/platforms", headers=PAGE, data={"q": MARK})
            assert _styled(method, 405, lang) not in texts
            assert method.headers["allow"] == "GET"
            # a body too big, or of no stated size, refused before it is read
            big = client.post("/targets", headers=PAGE, content=b"x" * (1 << 21))
            _styled(big, 413, lang)
            chunked = client.post(
                "/targets", headers=PAGE, content=iter([b"csrf_token=" + MARK.encode()])
            )
            _styled(chunked, 411, lang)
        client.cookies.set("privwatch_lang", "en")
        # an API client gets a small JSON error, without what it sent
        for path in (f"/nowhere-{MARK}", f"/platforms/{TOO_BIG}", f"/api/{MARK}"):
            answer = client.get(path, headers=JSON)
            assert answer.status_code == 404
            _secured(answer)
            assert answer.json() == {"error": "nothing here: it may have been removed"}
        answer = client.post(f"/api/findings?{MARK}=1", headers=JSON)
        assert answer.status_code == 405 and MARK not in answer.text
        assert set(answer.json()) == {"error"}
        # htmx swaps a line of text
        answer = client.get(f"/versions/{TOO_BIG}", headers={"hx-request": "true"})
        assert answer.status_code == 404 and answer.text == (
            "nothing here: it may have been removed"
        )
        _secured(answer)


def test_a_signed_out_visitor_gets_the_page_in_the_browsers_language(
    db_url: str,
) -> None:
    with (
        dashboard(db_url) as (_, base, _app),
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        answer = client.get(
            f"/nowhere/{MARK}", headers={**PAGE, "accept-language": "ko-KR,ko;q=0.9"}
        )
        assert (
            _styled(answer, 404, "ko") == "찾는 항목이 없습니다: 삭제되었을 수 있습니다"
        )
        assert "/logout" not in answer.text  # no navigation for a visitor
        # an id past 64 bits asks for sign-in first, as any page does
        answer = client.get(f"/platforms/{TOO_BIG}", headers=PAGE)
        assert answer.status_code == 303


def test_a_failing_route_answers_500_with_the_headers(
    db_url: str, tmp_path: Path
) -> None:
    """A real failure: the store lost a table under the running server."""
    with (
        dashboard(db_url) as (store, base, _app),
        signed_in_client(base) as client,
    ):
        build_store(store, tmp_path)
        assert client.get("/scorecard", headers=PAGE).status_code == 200
        with store.engine.begin() as connection:
            connection.execute(text("DROP TABLE evaluations"))
            connection.execute(text("DROP TABLE scans"))
        for lang in ("en", "ko"):
            client.cookies.set("privwatch_lang", lang)
            answer = client.get(f"/platforms/{_first_id(client)}", headers=PAGE)
            message = _styled(answer, 500, lang)
            assert "scans" not in answer.text and "Traceback" not in answer.text
            assert message in (
                "something went wrong on the server; it has been logged."
                " Try again later.",
                "서버에서 문제가 생겼습니다. 기록해 두었으니 나중에 다시 시도하세요.",
            )
            assert "/logout" in answer.text  # still signed in: the navigation
        answer = client.get(f"/platforms/{_first_id(client)}", headers=JSON)
        assert answer.status_code == 500 and set(answer.json()) == {"error"}
        _secured(answer)


def _first_id(client: httpx.Client) -> str:
    found = re.search(r'href="/platforms/(\d+)"', client.get("/platforms").text)
    assert found
    return found.group(1)


def _form(csrf: str, **fields: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "name": "Shop",
        "country": "KR",
        "category": "",
        "type": "privacy",
        "url": "https://shop.example/privacy",
        "selector": "",
        "language": "",
        **fields,
    }


BAD_FIELDS = {
    "name": (
        "n" * 5000,
        "Platform name: at most 200 characters",
        "플랫폼 이름: 200자 이하로 입력하세요",
    ),
    "country": (
        "ZZ",
        "Country: not an ISO 3166-1",
        "국가: ISO 3166-1 두 글자 국가 코드가 아닙니다",
    ),
    "url": (
        "https://shop.example/" + "u" * 3000,
        "Address: at most 2000 characters",
        "주소: 2000자 이하로 입력하세요",
    ),
    "selector": ("div >", "CSS selector: not", "CSS 선택자: HTML 판독기가"),
    "category": ("\x1b[31mbold", "Category: control characters", "분류: 제어 문자"),
}


def test_the_target_form_checks_each_field_in_the_interface_language(
    db_url: str,
) -> None:
    with (
        dashboard(db_url) as (store, base, _app),
        signed_in_client(base, "editor", PASSWORD) as client,
    ):
        csrf = session_csrf(client)
        for field, (value, english, korean) in BAD_FIELDS.items():
            for lang, expected in (("en", english), ("ko", korean)):
                client.cookies.set("privwatch_lang", lang)
                answer = client.post(
                    "/targets", data=_form(csrf, **{field: value}), headers=PAGE
                )
                assert answer.status_code == 422, field
                _secured(answer)
                found = re.search(
                    r'<p class="error" role="alert">([^<]+)</p>', answer.text
                )
                assert found and found.group(1).startswith(expected), found
                assert value not in found.group(1)
        ansi = client.post(
            "/targets", data=_form(csrf, name="\x1b[2JShop"), headers=PAGE
        )
        assert ansi.status_code == 422 and "제어 문자" in ansi.text
        assert store.platforms() == []
        answer = client.post("/targets", data=_form(csrf, country="sg"))
        assert answer.status_code == 303
        assert [(p.name, p.country) for p in store.platforms()] == [("Shop", "SG")]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_pages_with_ids_in_range_still_answer(
    db_url: str, lang: str, tmp_path: Path
) -> None:
    """The bound on ids is not a bound on pages: a real id still opens; ids
    and numbers in a query past the columns' range find nothing."""
    with (
        dashboard(db_url) as (store, base, _app),
        signed_in_client(base) as client,
    ):
        build_store(store, tmp_path)
        document = store.documents("누리쇼핑")[0].id
        for query in (
            f"/findings?platform={MAX_ID + 1}",
            f"/findings?platform={10**12 - 1}&page={10**12 - 1}",
            f"/api/findings?platform={TOO_BIG}&page={TOO_BIG}",
            f"/documents/{document}/diff?from={10**12 - 1}&to={MAX_ID + 1}",
        ):
            answer = client.get(query, headers=PAGE)
            assert answer.status_code == 200, (query, answer.text[-300:])
        client.cookies.set("privwatch_lang", lang)
        answer = client.get(f"/platforms/{_first_id(client)}", headers=PAGE)
        assert answer.status_code == 200 and "누리쇼핑" in answer.text
        _secured(answer)


def test_a_form_or_query_id_is_checked_the_same_way() -> None:
    assert record_id("42") == 42 and record_id(" 7 ") == 7
    assert record_id(str(MAX_ID)) == MAX_ID
    for value in (None, "", "0", "-1", str(MAX_ID + 1), TOO_BIG, "１２", "1e3", "0x10"):
        assert record_id(value) is None, value


def test_a_refused_action_is_the_same_page(db_url: str) -> None:
    """403s (a viewer at an editor's page, a form without its token)."""
    with (
        dashboard(db_url) as (_, base, _app),
        signed_in_client(base, "viewer", VIEWER_PASSWORD) as client,
    ):
        client.cookies.set("privwatch_lang", "ko")
        answer = client.get(f"/targets/new?{MARK}=1", headers=PAGE)
        assert _styled(answer, 403, "ko") == "편집자만 할 수 있는 작업입니다"
        answer = client.post("/watch/run", data={"csrf_token": MARK}, headers=PAGE)
        assert _styled(answer, 403, "ko").startswith("양식의 보안 토큰이")
        answer = client.post("/watch/run", data={"csrf_token": MARK}, headers=JSON)
        assert answer.status_code == 403 and set(answer.json()) == {"error"}
