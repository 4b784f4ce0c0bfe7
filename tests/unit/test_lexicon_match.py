"""The lexicon's phrase matchers find what one case-insensitive regex of all
their phrases finds (``_trie_pattern`` under ``re.I``), match for match."""

from __future__ import annotations

import re
import string
import sys

import pytest

from privwatch.extract.lexicon import _FOLDS_TO_LETTERS, Phrases, _trie_pattern

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
    "sKIN, \u017fkin: s\u212aIN and ki\u017fkin",
    "\u0130p \u0131p Ip iP 개인정보\u212a 로컬 IOS\u0130",
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
    assert len(words.fast) == 2  # English and Korean halves apart
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
    assert words.fast == ()
    text = "\u212a scale, Kelvin, \u00c9T\u00c9, \u00e9t\u00e9s, ete."
    assert spans(words.finditer(text)) == spans(
        reference(phrases, False).finditer(text)
    )


def test_the_characters_re_folds_to_english_letters() -> None:
    every = "".join(
        chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF
    )
    found = re.findall("[A-Za-z]", every, re.I)
    assert sorted(found) == sorted(string.ascii_letters + _FOLDS_TO_LETTERS)


def test_a_cased_last_letter_other_than_english_keeps_the_one_pattern() -> None:
    phrases = ["caf\u00e9", "na\u00efve user"]
    words = Phrases.build((p, p) for p in phrases)
    assert words.fast == ()
    text = "CAF\u00c9s, caf\u00e9, na\u00efve users, Caf\u00e9x"
    assert spans(words.finditer(text)) == spans(
        reference(phrases, False).finditer(text)
    )


def test_an_empty_list_matches_nothing() -> None:
    words = Phrases.build([])
    assert words.search("anything") is None
    assert list(words.finditer("anything")) == []
    assert words.sub("#", "anything") == "anything"


POLICY = """# 개인정보 처리방침

## 제1조 (수집하는 개인정보의 항목)
회사는 이름, 휴대전화번호, 이메일 주소를 수집합니다. 주민등록번호는 수집하지 않습니다.

## 제2조 (보유기간)
회사는 회원 탈퇴 시까지 개인정보를 보유하며, 보유기간이 끝나면 지체 없이 파기합니다.

## 제3조 (수집하는 개인정보의 항목)
회사는 이름, 휴대전화번호, 이메일 주소를 수집합니다. 주민등록번호는 수집하지 않습니다.
"""


def _facts(text: str) -> list[object]:
    from privwatch import extract
    from privwatch.pipeline import document_from_bytes

    document = document_from_bytes(text.encode(), "policy.md")
    return list(extract.find_facts(document))


def test_remembered_searches_answer_as_fresh_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A clause that appears twice, and a second document read after the
    first: the facts are those found without remembering anything."""
    from contextlib import nullcontext

    from privwatch import extract

    remembered = [_facts(POLICY), _facts(POLICY.replace("이메일", "주소"))]
    monkeypatch.setattr(extract, "remembering", nullcontext)
    assert remembered == [_facts(POLICY), _facts(POLICY.replace("이메일", "주소"))]


def test_remembering_ends_with_its_block() -> None:
    from privwatch.extract import lexicon as module

    words = Phrases.build(((p, p) for p in PHRASES), prefix=False)
    text = TEXTS[4]
    assert module._MEMO.get() is None
    with module.remembering():
        first = words.search(text)
        with module.remembering():  # a nested block shares the outer one
            assert words.search(text) is first
        memo = module._MEMO.get()
        assert memo is not None and len(memo) == 1
    assert module._MEMO.get() is None
    again = words.search(text)
    assert again is not None and first is not None
    assert again is not first and again.span() == first.span()


def test_a_list_compiles_its_english_half_when_a_text_has_letters() -> None:
    words = Phrases.build(((p, p) for p in PHRASES), prefix=False)
    assert words.search("개인정보 보호책임자에게 문의") is not None
    assert "_english" not in vars(words) and "_regex" not in vars(words)
    assert words.search("CCTV 설치") is not None
    assert "_english" in vars(words) and "_regex" not in vars(words)
    assert words.search("\u212aakao") is not None  # folds to k: the one pattern
    assert "_regex" in vars(words)
