"""Segmentation invariants over every real document in ../shared/corpus."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from privwatch import Document, ingest_document
from tests.conftest import SHARED
from tests.invariants import assert_invariants

pytestmark = pytest.mark.corpus

CORPUS = SHARED / "corpus"
# every document of the corpus (ko_wild's MANIFEST.tsv and README.md describe it)
FILES = (
    sorted(
        p
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name not in ("MANIFEST.tsv", "README.md")
    )
    if CORPUS.is_dir()
    else []
)
NAVER_HISTORY = [p for p in FILES if p.parent.name == "naver_privacy_ko"]
# Read by hand: this crawl collapsed all white space into one line; its table of
# contents lists 12 numbered sections, each found again in the body.
COLLAPSED = {"2012-10-04.md": 12}


@cache
def _ingested(path: Path) -> Document:
    return ingest_document(str(path))


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(CORPUS)) for p in paths] or ["absent"]


@pytest.mark.parametrize("path", FILES or [None], ids=_ids(FILES))
def test_every_corpus_file_segments_with_exact_offsets(
    shared: Path, path: Path
) -> None:
    document = _ingested(path)
    assert_invariants(document)
    korean = ("_ko", "/law/", "/ko_wild/")
    expected_language = "ko" if any(k in str(path) for k in korean) else "en"
    assert document.language == expected_language
    assert len(document.clauses) >= (10 if len(document.text) > 3000 else 5)
    # nothing is lost: the source's words (link targets and tags aside) are in the text
    raw = re.sub(r"\]\([^)]*\)|<[^>]+>", " ", path.read_text("utf-8"))
    raw_words = set(re.findall(r"[^\W_]{4,}", raw))
    missing = sorted(word for word in raw_words if word not in document.text)
    assert len(missing) <= 0.005 * len(raw_words), missing[:20]


@pytest.mark.parametrize("path", NAVER_HISTORY or [None], ids=_ids(NAVER_HISTORY))
def test_naver_numbered_section_headings_are_all_found(
    shared: Path, path: Path
) -> None:
    raw = path.read_text("utf-8")
    # body headings stand at a line start as "N\. title" in these crawls
    lines = dict(re.findall(r"^(\d+)\\\. (.+)$", raw, re.M))
    count = COLLAPSED.get(path.name) or max(map(int, lines))
    document = _ingested(path)
    numbered = [
        s for s in document.iter_sections() if s.numbering and s.numbering[0].isdigit()
    ]
    assert [s.numbering for s in numbered] == [f"{n}." for n in range(1, count + 1)]
    for section in numbered:
        number = section.numbering[:-1]
        title = section.heading.split(".", 1)[1].strip()
        assert len(title) >= 2
        if number in lines:  # a heading the crawl kept on its own line
            assert lines[number].startswith(title), (section.heading, lines[number])


def test_naver_current_policy_markup_headings(shared: Path) -> None:
    path = shared / "corpus" / "policies" / "naver_privacy_ko_v11.10.txt"
    raw = path.read_text("utf-8")
    expected = [
        f"{n}. {t}" for n, t in re.findall(r"^#{2,6} (\d+)\\\. (.+)$", raw, re.M)
    ]
    assert len(expected) == 11
    document = _ingested(path)
    found = [s.heading for s in document.iter_sections() if s.numbering]
    assert found == expected


def test_law_articles_are_sections(shared: Path) -> None:
    path = shared / "corpus" / "law" / "pipa_key_articles_ko.md"
    raw = path.read_text("utf-8")
    expected = [
        re.sub(r"\s", "", a) for a in re.findall(r"^#+ (제\d+조(?:의\d+)?)", raw, re.M)
    ]
    document = _ingested(path)
    articles = [s.numbering for s in document.iter_sections() if s.numbering]
    assert articles == expected
    assert "제28조의8" in articles
