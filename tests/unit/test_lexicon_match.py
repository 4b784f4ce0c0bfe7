"""The lexicon's phrase matchers find what one case-insensitive regex of all
their phrases finds (``_trie_pattern`` under ``re.I``), match for match."""

from __future__ import annotations

import re
import sys

import pytest

from privwatch.extract.lexicon import _CASES, Phrases, _trie_pattern

PHRASES = [
    "cookie",
    "do not sell",
    "kakao",
    "skin",
    "ip",
    "e-mail",
    "ios 앱",
    "개인정보",
    "개인정보 보호책임자",
    "개인",
    "1:1 문의",
    "제3자",
    "cctv",
    "로컬 ios 앱",
]
TEXTS = [
    "",
    "Cookies and COOKIE, a cookiejar; scookie is not one.",
    "We DO  NOT\nSELL data. Do not sellers.",
    "\u212aakao and \u017fkin and \u0130P, K\u0130P, xip; ip.",
    "개인정보 보호책임자에게 1:1  문의 하세요. 제3자 제공, 개인의 CCTV 설치.",
    "로컬 iOS 앱에만 저장하며 ios 앱과 IOS앱 E-mail e-mails.",
    "aCookie 개인정보cookie개인 kakao개인정보",
]


def reference(phrases: list[str], prefix: bool) -> re.Pattern[str]:
    return re.compile(_trie_pattern(phrases, prefix), re.I)


def spans(matches: object) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group()) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize("prefix", [False, True])
@pytest.mark.parametrize("text", TEXTS)
def test_same_matches_as_one_case_insensitive_regex(prefix: bool, text: str) -> None:
    words = Phrases.build(((p, p) for p in PHRASES), prefix=prefix)
    regex = reference(PHRASES, prefix)
    assert len(words.patterns) == 2  # English and Korean halves apart
    assert spans(words.finditer(text)) == spans(regex.finditer(text))
    found, expected = words.search(text), regex.search(text)
    assert (found and found.span()) == (expected and expected.span())
    assert words.sub("#", text) == regex.sub("#", text)
    for start in range(0, len(text), 3):
        for end in range(start, len(text) + 1, 5):
            assert spans(words.finditer(text, start, end)) == spans(
                regex.finditer(text, start, end)
            )


def test_halves_that_could_start_on_one_character_run_as_one() -> None:
    phrases = ["kelvin", "\u212a scale", "\u00e9t\u00e9", "ete"]
    words = Phrases.build((p, p) for p in phrases)
    assert len(words.patterns) == 1
    text = "\u212a scale, Kelvin, \u00c9T\u00c9, \u00e9t\u00e9s, ete."
    assert spans(words.finditer(text)) == spans(
        reference(phrases, False).finditer(text)
    )


def test_letter_cases_are_what_re_matches_case_insensitively() -> None:
    every = "".join(
        chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF
    )
    for letter, cases in _CASES.items():
        assert sorted(re.findall(letter, every, re.I)) == sorted(cases)
    assert sorted(re.findall("[A-Za-z]", every, re.I)) == sorted(
        "".join(_CASES.values())
    )


def test_an_empty_list_matches_nothing() -> None:
    words = Phrases.build([])
    assert words.search("anything") is None
    assert list(words.finditer("anything")) == []
    assert words.sub("#", "anything") == "anything"
