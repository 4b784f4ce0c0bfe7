"""Korean and English structure: headings, numbered clauses, tables, offsets."""

from __future__ import annotations

from difflib import SequenceMatcher

import pytest

from privwatch import Document, document_from_bytes
from privwatch.ingest.markers import line_opens_block, opens_block_at
from privwatch.segment.headings import (
    _TOC_MARKER,
    _TRAILING_NOTE,
    MATCH_RATIO,
    NUMBERED_LEVEL,
    Heading,
    _match_title,
    _numbered_runs,
    _toc_headings,
)
from tests.invariants import assert_invariants


def doc(text: str, name: str = "policy.txt") -> Document:
    document = document_from_bytes(text.encode("utf-8"), name)
    assert_invariants(document)
    return document


def headings(document: Document) -> list[tuple[str, str | None]]:
    return [(s.heading, s.numbering) for s in document.iter_sections()]


def clauses(document: Document) -> list[tuple[str, str | None]]:
    return [(document.quote(c), c.marker) for c in document.clauses]


STATUTE_STYLE = """제1장 총칙
제1조(목적) 이 방침은 회원의 개인정보 처리 기준을 정한다.
제2조(수집 항목)
① 회사는 다음 각 호의 개인정보를 수집한다.
1. 이름
2. 휴대전화번호
② 회사는 다음 각 목의 정보를 자동으로 수집한다.
가. 접속 기록
나. 쿠키
제2장 보유
제28조의8(개인정보의 국외 이전) ① 회사는 개인정보를 국외로 이전하지 않는다.
"""


def test_statute_style_chapters_articles_and_items() -> None:
    document = doc(STATUTE_STYLE)
    assert headings(document) == [
        ("제1장 총칙", "제1장"),
        ("제1조(목적)", "제1조"),
        ("제2조(수집 항목)", "제2조"),
        ("제2장 보유", "제2장"),
        ("제28조의8(개인정보의 국외 이전)", "제28조의8"),
    ]
    assert clauses(document) == [
        ("이 방침은 회원의 개인정보 처리 기준을 정한다.", None),
        ("① 회사는 다음 각 호의 개인정보를 수집한다.", "①"),
        ("1. 이름", "1."),
        ("2. 휴대전화번호", "2."),
        ("② 회사는 다음 각 목의 정보를 자동으로 수집한다.", "②"),
        ("가. 접속 기록", "가."),
        ("나. 쿠키", "나."),
        ("① 회사는 개인정보를 국외로 이전하지 않는다.", "①"),
    ]
    chapter_one, chapter_two = document.sections
    assert [s.numbering for s in chapter_one.children] == ["제1조", "제2조"]
    assert [s.numbering for s in chapter_two.children] == ["제28조의8"]
    last = document.clauses[-1]
    assert last.section == "2.1"


def test_references_to_articles_are_not_headings() -> None:
    document = doc(
        "제15조에 따라 동의를 받습니다.\n제15조 제1항 제1호에 따른 경우에는 예외로 합니다.\n"
    )
    assert headings(document) == []
    assert len(document.clauses) == 2


@pytest.mark.parametrize(
    ("line", "marker"),
    [
        ("(1) 필수항목과 선택항목의 차이", "(1)"),
        ("1) 회원 정보: 회원 탈퇴 시까지", "1)"),
        ("(가) 민감정보", "(가)"),
        ("가) 여권번호", "가)"),
        ("- 성명: 김하늘", "-"),
        ("※ 법령에 따라 보관합니다.", "※"),
        ("• Account data", "•"),
        ("(a) the data you give us", "(a)"),
    ],
)
def test_clause_markers(line: str, marker: str) -> None:
    document = doc(f"첫 문장입니다.\n{line}\n")
    assert clauses(document)[-1] == (line, marker)


def test_roman_numeral_headings() -> None:
    document = doc(
        "Ⅰ. 총칙\n이 방침은 모든 서비스에 적용됩니다.\nⅡ. 수집 항목\n이름과 연락처를 수집합니다.\n"
    )
    assert headings(document) == [("Ⅰ. 총칙", "Ⅰ."), ("Ⅱ. 수집 항목", "Ⅱ.")]


def test_numbered_list_of_short_lines_is_not_headings() -> None:
    document = doc("수집 항목은 다음과 같습니다.\n1. 이름\n2. 이메일\n3. 주소\n")
    assert headings(document) == []
    assert [c.marker for c in document.clauses] == [None, "1.", "2.", "3."]


def test_contents_find_headings_in_collapsed_text() -> None:
    text = (
        "본 방침은 다음 내용을 담고 있습니다. 1. 수집하는 개인정보의 항목 2. 개인정보의 이용목적 "
        "3. 개인정보의 보유기간 1. 수집하는 개인정보의 항목 회사는 이름을 수집합니다. "
        "2. 개인정보의 수집 및 이용목적 회사는 배송을 위해 이용합니다. 3. 개인정보의 보유기간 "
        "회사는 탈퇴 시까지 보유합니다."
    )
    document = doc(text)
    assert headings(document) == [
        ("1. 수집하는 개인정보의 항목", "1."),
        ("2. 개인정보의 수집 및 이용목적", "2."),
        ("3. 개인정보의 보유기간", "3."),
    ]
    bodies = [document.quote(c) for c in document.clauses]
    assert bodies[1:] == [
        "회사는 이름을 수집합니다.",
        "회사는 배송을 위해 이용합니다.",
        "회사는 탈퇴 시까지 보유합니다.",
    ]
    assert bodies[0].endswith("3. 개인정보의 보유기간")  # the contents stay text


def test_html_structure(tmp_path) -> None:
    html = """<html><head><title>T</title></head><body>
    <header>Site menu</header>
    <article><h1>Privacy</h1>
    <p>We collect data.<br>We keep it safe.</p>
    <ol start="3"><li>Third item</li><li>Fourth <b>item</b><ul><li>nested</li></ul></li></ol>
    <ol><li>1. already numbered</li></ol>
    <table>
      <tr><th>Recipient</th><th>Country</th></tr>
      <tr><th scope="row">Cloudnine</th><td>US<table><tr><td>inner</td></tr></table></td></tr>
      <tr><td></td><td>KR</td></tr>
    </table>
    <div hidden>secret</div><p style="x">Visible</p>
    </article><footer>Footer text</footer></body></html>"""
    document = doc(html, "page.html")
    assert document.title == "T"
    assert clauses(document) == [
        ("We collect data.\nWe keep it safe.", None),
        ("3. Third item", "3."),
        ("4. Fourth item", "4."),
        ("nested", None),
        ("1. already numbered", "1."),
        ("Recipient | Country", None),
        ("Cloudnine | US inner", None),
        ("KR", None),
        ("Visible", None),
    ]
    header, data, partial = (c for c in document.clauses if c.kind == "row")
    assert [cell.header for cell in data.cells] == [True, False]
    assert data.headers == ("Recipient", "Country")
    assert partial.cells[0].start == partial.cells[0].end == partial.start
    assert document.quote(partial.cells[1]) == "KR"
    assert [c.depth for c in document.clauses[1:4]] == [1, 1, 2]
    assert "secret" not in document.text and "Site menu" not in document.text


def test_decomposed_hangul_is_normalised() -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "개인정보 처리방침을 안내합니다.")
    document = doc(nfd)
    assert document.text == "개인정보 처리방침을 안내합니다."


def test_language_detection() -> None:
    assert (
        doc("회사는 개인정보를 수집합니다. Google Analytics를 사용합니다.").language
        == "ko"
    )
    assert (
        doc("We collect your personal information to provide the service.").language
        == "en"
    )
    assert doc("Wir verarbeiten Ihre Daten nach der Verordnung.").language == "other"


def _match_title_by_ratio(text: str, start: int, wanted: str) -> int | None:
    """The contents-title matcher as first written: ``ratio`` at every word end."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    limit = min(line_end, start + int(len(wanted) * 1.5) + 2)
    best, best_end = 0.0, None
    for end in range(start + 1, limit + 1):
        if end < line_end and not text[end].isspace():
            continue
        ratio = SequenceMatcher(None, wanted, text[start:end], autojunk=False).ratio()
        if ratio > best:
            best, best_end = ratio, end
    return best_end if best >= MATCH_RATIO else None


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        ("개인정보의 공유 회사는 공유하지 않습니다.", "개인정보 공유"),
        (
            "수집하는 개인정보의 항목 회사는 이름을 수집합니다.",
            "수집하는 개인정보의 항목",
        ),
        (
            "개인정보 보유기간 보유기간 기간 회사는",
            "개인정보 보유기간",
        ),  # ties: the first
        ("전혀 다른 문장이 여기에 있습니다.", "개인정보의 파기"),  # below the threshold
        ("Changes to this policy We may update it.", "Changes to This Policy"),
        ("공유", "개인정보의 공유에 관한 사항"),
        ("aaaa aaaa aaaa", "aaaa"),
        ("", "개인정보"),
    ],
)
def test_title_matching_skips_only_candidates_that_cannot_win(
    body: str, wanted: str
) -> None:
    """Only ``ratio`` calls whose upper bound rules them out are skipped: the
    heading end found is the one the plain best-ratio search finds."""
    for text, start in ((body, 0), ("1. " + body + "\n다음 줄", 3)):
        assert _match_title(text, start, wanted) == _match_title_by_ratio(
            text, start, wanted
        )


def _toc_headings_by_search(
    text: str, toc: list[tuple[int, str, int]]
) -> list[Heading]:
    """The contents' headings as first found: a new marker search from each heading."""
    found: list[Heading] = []
    cursor = toc[-1][2]
    for number, (_, title, _) in enumerate(toc, start=1):
        wanted = _TRAILING_NOTE.sub("", title) or title
        for marker in _TOC_MARKER.finditer(text, cursor):
            if int(marker.group(1)) != number:
                continue
            end = _match_title(text, marker.end(), wanted)
            if end is not None:
                found.append(Heading(marker.start(), end, NUMBERED_LEVEL, f"{number}."))
                cursor = end
                break
    return found


@pytest.mark.parametrize(
    "text",
    [
        "목차 1. 수집 항목 2. 이용 목적 3. 보유 기간 "
        "1. 수집 항목 이름 1. 1. 2. 2.  _2._ 이용 목적 배송 3 . 3.5 *3.* 보유 기간 1년",
        "1. 수집 항목\n2. 이용 목적\n3. 보유 기간\n\n1. 수집 항목\n본문 2. 이용\n"
        "2. 이용 목적\n본문\n3. 보유기간\n본문",
        "1. 가입 절차 2. 나이 제한 3. 다른 사항 3. 다른 사항 2. 나이 제한 1. 가입 절차 2. 나이",
    ],
)
def test_contents_headings_found_in_one_marker_pass(text: str) -> None:
    runs = list(_numbered_runs(text))
    assert runs
    for run in runs:
        assert _toc_headings(text, run) == _toc_headings_by_search(text, run)


def test_a_numbered_line_is_found_in_place_as_in_its_slice() -> None:
    """The segmenter asks whether each line opens a clause without copying the
    rest of the block: the answer is the one the copied line gives."""
    text = (
        "회사는 다음을 수집합니다.\n① 이름\n  (2) 연락처\n제3조 (보유)\n제 2 장 총칙\n"
        "Ⅱ. 보유\nII. Retention\n가. 항목\n- 주소\n3.5%의 수수료\n12. 끝\n제\n1장\n(1\n)\n"
    )
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert opens_block_at(text, start, end) == line_opens_block(
                text[start:end]
            ), (start, end)
