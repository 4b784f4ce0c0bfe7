"""Every format of the project's example policies yields the same structure."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from privwatch import Document, ingest_document
from privwatch.models import Clause
from tests.conftest import FIXTURES
from tests.fixtures.policies import EN, KO, Items, Policy, Table
from tests.invariants import assert_invariants


def expected_clauses(
    policy: Policy, *, title_is_heading: bool, bullets: str = ""
) -> list[str]:
    out = [] if title_is_heading else [policy.title]
    out.append(policy.intro)
    for article in policy.articles:
        for part in article.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, Items):
                out += [t if part.numbered else bullets + t for t in part.texts]
            else:
                out += [" | ".join(row) for row in (part.header, *part.rows)]
    return out


def texts(document: Document) -> list[str]:
    return [document.quote(clause) for clause in document.clauses]


def headings(document: Document) -> list[str]:
    return [section.heading for section in document.iter_sections()]


@pytest.mark.parametrize(
    ("name", "policy", "encoding"),
    [
        pytest.param("policy_ko.html", KO, "utf-8", id="ko-html"),
        pytest.param("policy_ko_euckr.html", KO, "cp949", id="ko-html-euc-kr"),
        pytest.param("policy_ko.md", KO, "utf-8", id="ko-markdown"),
        pytest.param("policy_ko.docx", KO, None, id="ko-docx"),
        pytest.param("policy_en.html", EN, "utf-8", id="en-html"),
        pytest.param("policy_en.md", EN, "utf-8", id="en-markdown"),
        pytest.param("policy_en.docx", EN, None, id="en-docx"),
    ],
)
def test_structured_formats_give_title_articles_and_clauses(
    name: str, policy: Policy, encoding: str | None
) -> None:
    document = ingest_document(str(FIXTURES / name))
    assert_invariants(document)
    assert document.source.encoding == encoding
    assert document.title == policy.title
    assert document.language == ("ko" if policy is KO else "en")
    assert headings(document) == [policy.title, *(a.heading for a in policy.articles)]
    assert texts(document) == expected_clauses(policy, title_is_heading=True)


@pytest.mark.parametrize(
    "name",
    ["policy_ko.txt", "policy_ko_utf16.txt", "policy_ko_cp949.txt"],
    ids=["utf-8", "utf-16-bom", "cp949-undeclared"],
)
def test_plain_text_in_any_encoding_gives_the_same_document(name: str) -> None:
    document = ingest_document(str(FIXTURES / name))
    assert_invariants(document)
    assert document.source.encoding in ("utf-8", "utf-16", "cp949")
    assert headings(document) == [a.heading for a in KO.articles]
    assert texts(document) == expected_clauses(KO, title_is_heading=False, bullets="- ")
    assert document.sha256 == ingest_document(str(FIXTURES / "policy_ko.txt")).sha256


def test_english_text_headings_come_from_its_table_of_contents() -> None:
    document = ingest_document(str(FIXTURES / "policy_en.txt"))
    assert_invariants(document)
    assert headings(document) == [a.heading for a in EN.articles]
    contents = [a.heading for a in EN.articles]
    expected = expected_clauses(EN, title_is_heading=False, bullets="- ")
    assert texts(document) == [*expected[:2], "Contents", *contents, *expected[2:]]


@pytest.mark.parametrize("name, policy", [("policy_ko.pdf", KO), ("policy_en.pdf", EN)])
def test_pdf_keeps_articles_and_every_word(name: str, policy: Policy) -> None:
    document = ingest_document(str(FIXTURES / name))
    assert_invariants(document)
    assert document.source.media_type == "application/pdf"
    assert document.title == policy.title
    assert headings(document) == [a.heading for a in policy.articles]
    flat = re.sub(r"\s", "", document.text)
    for piece in expected_clauses(policy, title_is_heading=False):
        for cell in piece.split(" | "):
            assert re.sub(r"\s", "", cell) in flat


def rows(document: Document) -> list[Clause]:
    return [clause for clause in document.clauses if clause.kind == "row"]


@pytest.mark.parametrize("name", ["policy_ko.html", "policy_ko.md", "policy_ko.docx"])
def test_table_rows_are_clauses_with_their_header_cells(name: str) -> None:
    document = ingest_document(str(FIXTURES / name))
    tables = [part for a in KO.articles for part in a.parts if isinstance(part, Table)]
    found = rows(document)
    assert len(found) == sum(1 + len(t.rows) for t in tables)
    data_rows = [c for c in found if not all(cell.header for cell in c.cells)]
    expected = [(t.header, row) for t in tables for row in t.rows]
    assert len(data_rows) == len(expected)
    for clause, (header, row) in zip(data_rows, expected, strict=True):
        assert clause.headers == header
        assert tuple(document.quote(cell) for cell in clause.cells) == row


def test_korean_markers_are_recorded_on_clauses() -> None:
    document = ingest_document(str(FIXTURES / "policy_ko.html"))
    markers = {document.quote(c)[:2]: c.marker for c in document.clauses if c.marker}
    assert {"①", "②", "1.", "가.", "1)"} <= set(markers.values())
    first = next(c for c in document.clauses if c.marker == "①")
    assert first.section == "1.1"  # 제1조 under the title


def test_korean_sentences_are_split_with_kiwi() -> None:
    document = ingest_document(str(FIXTURES / "policy_ko.html"))
    clause = next(
        c for c in document.clauses if document.quote(c).startswith("① 회사는 다음의")
    )
    sentences = [document.quote(s) for s in clause.sentences]
    assert sentences == [
        "① 회사는 다음의 목적을 위하여 개인정보를 처리합니다.",
        "처리한 개인정보는 다음의 목적 이외의 용도로는 이용하지 않으며, 이용 목적이 변경되는 "
        "경우에는 별도의 동의를 받겠습니다.",
    ]


def test_english_sentences_survive_abbreviations() -> None:
    document = ingest_document(str(FIXTURES / "policy_en.html"))
    clause = next(
        c for c in document.clauses if document.quote(c).startswith("We collect")
    )
    sentences = [document.quote(s) for s in clause.sentences]
    assert sentences == [
        "We collect the data you give us, e.g. your name, email address and delivery address.",
        "We also collect data automatically, i.e. your IP address and device identifiers.",
        "See Sec. 4.2 of our Terms for accounts opened by businesses.",
    ]
    intro = document.clauses[0]
    assert [document.quote(s) for s in intro.sentences] == [
        'Example Shop Ltd. ("we") runs an online shop for customers in Korea and the U.S.',
        "This policy explains what personal data we process and why.",
    ]


def test_html_drops_navigation_footer_and_scripts() -> None:
    document = ingest_document(str(FIXTURES / "policy_ko.html"))
    for boilerplate in (
        "Home",
        "Shop",
        "All rights reserved",
        "analytics",
        "console.log",
        "Terms",
    ):
        assert boilerplate not in document.text


@pytest.mark.parametrize(
    ("name", "unused"),
    [
        ("policy_ko.html", {"markdown_it", "charset_normalizer"}),
        ("policy_ko_euckr.html", {"markdown_it", "charset_normalizer"}),
        ("policy_ko.md", {"selectolax", "charset_normalizer"}),
        ("policy_ko.txt", {"markdown_it", "selectolax", "charset_normalizer"}),
    ],
)
def test_a_reader_library_loads_only_for_its_format(
    name: str, unused: set[str]
) -> None:
    """Reading HTML loads no Markdown parser, reading Markdown without HTML in
    it no HTML parser, and text in UTF-8 or a declared charset no charset
    guesser: each costs start-up time in a new process."""
    probe = (
        "import sys\n"
        "from privwatch.ingest import load\n"
        "load(sys.argv[1])\n"
        "print(' '.join(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(FIXTURES / name)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded = {module.split(".")[0] for module in result.stdout.split()}
    assert not unused & loaded
