"""What the dashboard's pages say about a text: its title (never a site's
menu), where it came from (a file name, not a server path), which clauses are
the site's menus and footers, and stored English errors in Korean."""

from __future__ import annotations

from privwatch.diff import ClauseChange, is_repeated, repeated_clauses, site_changes
from privwatch.i18n import localize, message
from privwatch.segment.title import is_navigation, title_of
from privwatch.web.present import source_label


def _clauses(
    text: str, kinds: dict[str, str] | None = None
) -> list[tuple[int, int, str]]:
    spans, at = [], 0
    for line in text.split("\n"):
        if line:
            spans.append((at, at + len(line), (kinds or {}).get(line, "paragraph")))
        at += len(line) + 1
    return spans


def test_a_skip_link_and_a_menu_are_no_title() -> None:
    text = (
        "본문바로가기\n이용약관\n개인정보취급방침\n"
        "7.4 이전 개인정보취급방침 보기 네이버 개인정보취급방침\n"
        "네이버 주식회사는 개인정보를 처리합니다."
    )
    items = {"이용약관": "item", "개인정보취급방침": "item"}
    assert is_navigation("본문바로가기") and is_navigation("Skip to content")
    assert is_navigation("NAVER Terms & Privacy 한국어(Korean) 영어(English)")
    found = title_of(text, "본문바로가기", _clauses(text, items), [])
    assert found == "네이버 개인정보취급방침"
    # the page's own <title> stays when it is no menu item
    assert title_of(text, "Privacy Policy", _clauses(text, items), []) == (
        "Privacy Policy"
    )
    # a menu only: no title rather than a menu item
    menu = "본문바로가기\n로그인"
    assert title_of(menu, None, _clauses(menu), [("1. 목적", True)]) is None


def test_sources_are_shown_by_file_name() -> None:
    assert (
        source_label("https://policy.example/p?x=1") == "https://policy.example/p?x=1"
    )
    assert source_label("file:///srv/data/naver/2020-10-05.md") == "2020-10-05.md"
    assert source_label("file:///srv/data/naver_privacy_ko") == "naver_privacy_ko"
    assert source_label("file:///r/policy.md?commit=0123456789abcdef") == (
        "policy.md @ 0123456789"
    )
    assert source_label("/home/me/session.har") == "session.har"
    assert source_label("file:///tmp/%ED%95%9C.md") == "한.md"


def _document(lines: list[str]) -> dict[str, object]:
    text = "\n".join(lines)
    return {
        "text": text,
        "clauses": [{"start": s, "end": e} for s, e, _ in _clauses(text)],
    }


def test_lines_repeated_on_a_site_are_its_menus() -> None:
    menu = ["로그인", "내정보", "Copyright © NAVER Corp. All Rights Reserved."]
    body = "회사는 회원 관리를 위하여 이메일을 처리합니다."
    versions = [_document([*menu, body, f"제{n}조 변경 {n}"]) for n in range(6)]
    versions += [_document([body]) for _ in range(6)]
    repeated = repeated_clauses(versions)
    assert set(menu) <= repeated  # in half the versions
    assert body not in repeated  # a sentence of the document, however often
    assert "제1조 변경 1" not in repeated  # once only
    assert is_repeated(ClauseChange("removed", old="로그인"), repeated)
    assert not is_repeated(ClauseChange("changed", "로그인", "내정보"), repeated)
    # a rarer menu entry between two repeated ones goes with them; a listed
    # line or a "name: value" line is the document's own
    changes = [
        ClauseChange("removed", old="로그인"),
        ClauseChange("removed", old="내인증서"),
        ClauseChange("removed", old="내정보"),
        ClauseChange("removed", old="- 신용카드 결제시 : 카드사명"),
        ClauseChange("changed", "이 름 : 김하늘", "이 름 : 이하늘"),
    ]
    assert site_changes(changes, repeated) == [True, True, True, False, False]


def test_a_stored_english_error_reads_in_korean() -> None:
    english = message(
        "fetch.status", "en", url="https://x.example/p", status=404, reason="Not Found"
    )
    korean = localize(english, "ko")
    assert korean == message(
        "fetch.status", "ko", url="https://x.example/p", status=404, reason="Not Found"
    )
    assert localize(english, "en") == english
    assert localize("internal error: ValueError: x", "ko") == "내부 오류: ValueError: x"
    assert localize("no message of ours", "ko") == "no message of ours"
