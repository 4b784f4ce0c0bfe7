"""Korean form conventions (``data/korean_forms.yaml``): values split over
several inputs (hp1/hp2/hp3, email1/email2, jumin1/jumin2), the short and
romanised forms of an address, a name's surname and given name, and
percent-encoded EUC-KR / CP949 text.

Romanisation follows the Revised Romanization of Korean (문화체육관광부 고시
제2014-42호, 국어의 로마자 표기법) as road-name addresses use it: the suffix
of a road (로, 길, 대로) or an administrative unit (구, 시, 군, 동...) is
written apart after a hyphen, and no sound change is carried across that
hyphen (종로 is Jong-ro, 테헤란로 Teheran-ro).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TypedDict
from urllib.parse import unquote_plus, unquote_to_bytes

from privwatch.yamlfile import packaged


class _Split(TypedDict):
    kind: str
    joiner: str
    parts: list[list[str]]


class _Sido(TypedDict):
    name: str
    short: list[str]
    roman: str


class _NameFields(TypedDict):
    family: list[str]
    given: list[str]


class _Forms(TypedDict):
    split_fields: list[_Split]
    name_fields: _NameFields
    sido: list[_Sido]
    double_surnames: list[str]


def _data() -> _Forms:
    return packaged("privwatch", "data/korean_forms.yaml", _Forms)


def field_key(name: str) -> str:
    """A form field's name as the vocabulary compares it: ``HP_1`` is ``hp1``."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


@cache
def _groups() -> tuple[tuple[str, str, tuple[tuple[str, ...], ...]], ...]:
    return tuple(
        (
            group["kind"],
            group["joiner"],
            tuple(tuple(field_key(n) for n in part) for part in group["parts"]),
        )
        for group in _data()["split_fields"]
    )


def joined(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(``hp1+hp2+hp3``, joined value) for each split value whose parts are
    all among ``pairs`` (name, value) and not empty."""
    values: dict[str, tuple[str, str]] = {}
    for name, value in pairs:
        value = value.strip()
        if value and len(value) <= 200:
            values.setdefault(field_key(name), (name, value))
    if len(values) < 2:
        return []
    out = []
    for kind, joiner, parts in _groups():
        chosen = []
        for names in parts:
            found = next((values[n] for n in names if n in values), None)
            if found is None:
                break
            chosen.append(found)
        else:
            label = "+".join(name for name, _ in chosen)
            texts = [value for _, value in chosen]
            if kind == "birth_date":  # birth_m=1 is January: 19900101
                texts = [text.zfill(2) for text in texts]
            out.append((label, joiner.join(texts)))
    return out


# --- EUC-KR / CP949 percent-encoding -----------------------------------------

_HANGUL = re.compile(r"[가-힣]")
CP949_NAMES = {"euc-kr", "euckr", "cp949", "ms949", "x-windows-949", "ks_c_5601-1987"}


def cp949_text(data: bytes) -> str | None:
    """``data`` read as CP949 when it is not UTF-8 but is valid CP949 holding
    Hangul (what older Korean shops send); None otherwise."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return None  # UTF-8 is read as UTF-8, whatever else it could be
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        return None
    return text if _HANGUL.search(text) else None


def url_text(value: str) -> tuple[str, bool]:
    """``value`` percent-decoded (``+`` a space), and whether it was CP949:
    UTF-8 first, as ``unquote_plus``; CP949 only when UTF-8 fails."""
    text = unquote_plus(value)
    if "\ufffd" in text and "%" in value:
        korean = cp949_text(unquote_to_bytes(value.replace("+", " ")))
        if korean is not None:
            return korean, True
    return text, False


def form_pairs(query: str) -> list[tuple[str, str, bool]]:
    """A query string or form body as ``parse_qsl(keep_blank_values=True)``
    reads it, each value with whether it was CP949."""
    out = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        text, korean = url_text(value)
        out.append((url_text(name)[0], text, korean))
    return out


# --- romanisation -------------------------------------------------------------

_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj",
            "ch", "k", "t", "p", "h"]  # fmt: skip
_MEDIAL = [
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
]
#: a final consonant before a consonant or at the end (its representative sound)
_FINAL = [
    "",
    *[
        "k",
        "k",
        "k",
        "n",
        "n",
        "n",
        "t",
        "l",
        "k",
        "m",
        "l",
        "l",
        "l",
        "p",
        "l",
        "m",
        "p",
        "p",
        "t",
        "t",
        "ng",
        "t",
        "t",
        "k",
        "t",
        "p",
        "t",
    ],
]
#: a final consonant before a vowel: (what stays, what becomes the next initial)
_LINKED = [("", ""), ("", "g"), ("", "kk"), ("g", "s"), ("", "n"), ("n", "j"),
           ("", "n"), ("", "d"), ("", "r"), ("l", "g"), ("l", "m"), ("l", "b"),
           ("l", "s"), ("l", "t"), ("l", "p"), ("", "r"), ("", "m"), ("", "b"),
           ("b", "s"), ("", "s"), ("", "ss"), ("ng", ""), ("", "j"), ("", "ch"),
           ("", "k"), ("", "t"), ("", "p"), ("", "")]  # fmt: skip
_K, _T, _P = {1, 2, 3, 9, 24}, {7, 19, 20, 22, 23, 25, 27}, {14, 17, 18, 26}
_ASPIRATED = {0: "k", 3: "t", 12: "ch"}  # ㅎ + ㄱ, ㄷ, ㅈ


def _jamo(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - 0xAC00
    return code // 588, code // 28 % 21, code % 28


def romanise(word: str) -> str:
    """A Hangul word in the Revised Romanization, with the sound changes inside
    a word (linking, ㄹ and nasal assimilation); other characters kept."""
    items: list[list[str] | str] = []
    codes: list[tuple[int, int, int] | None] = []
    for ch in word:
        if "가" <= ch <= "힣":
            initial, medial, final = _jamo(ch)
            items.append([_INITIAL[initial], _MEDIAL[medial], _FINAL[final]])
            codes.append((initial, medial, final))
        else:
            items.append(ch)
            codes.append(None)
    for k in range(len(items) - 1):
        here, there = codes[k], codes[k + 1]
        if here is None or there is None or not here[2]:
            continue
        syllable, following = items[k], items[k + 1]
        assert isinstance(syllable, list) and isinstance(following, list)
        final, initial = here[2], there[0]
        if initial == 11:  # ㅇ: the final is said as the next initial
            syllable[2], head = _LINKED[final]
            following[0] = head
        elif final == 27 and initial in _ASPIRATED:
            syllable[2], following[0] = "", _ASPIRATED[initial]
        else:
            syllable[2], head = _assimilate(final, initial, syllable[2])
            following[0] = head or following[0]
    text = "".join(item if isinstance(item, str) else "".join(item) for item in items)
    return text[:1].upper() + text[1:]


def _assimilate(final: int, initial: int, tail: str) -> tuple[str, str]:
    """(final, next initial) after ㄹ and nasal assimilation; "" keeps the
    next initial as written."""
    if initial == 5:  # ㄹ
        if tail in ("n", "l"):
            return "l", "l"
        if final in (16, 21):  # ㅁ, ㅇ
            return tail, "n"
        if final in _K:
            return "ng", "n"
        if final in _P:
            return "m", "n"
        return tail, ""
    if initial in (2, 6):  # ㄴ, ㅁ
        if tail == "l" and initial == 2:
            return "l", "l"
        if final in _K:
            return "ng", ""
        if final in _T:
            return "n", ""
        if final in _P:
            return "m", ""
    return tail, ""


_SUFFIX = {"대로": "daero", "로": "ro", "길": "gil", "번길": "beon-gil"}
_ROAD = re.compile(
    r"(?P<stem>[가-힣0-9]+?)(?P<suffix>대로|로|길)"
    r"(?:\s*(?P<sub>\d+)(?P<subsuffix>번길|길))?"
    r"\s*(?P<number>\d{1,5}(?:-\d{1,4})?)(?![0-9])"
)


def address_forms(address: str) -> dict[str, str]:
    """The forms of a road-name address that name it alone: the road and the
    building number (in Korean and romanised, either order), and the whole
    address with each short form of its 시/도. Never a city or district alone:
    each form holds the road name and the building number."""
    forms: dict[str, str] = {}
    road = _ROAD.search(address)
    if road is None:
        return forms
    road_k = road["stem"] + road["suffix"]
    sub_k = f"{road['sub']}{road['subsuffix']}" if road["sub"] else ""
    number = road["number"]
    for text in (
        " ".join(filter(None, (road_k, sub_k, number))),
        f"{road_k}{sub_k} {number}",
        f"{road_k}{sub_k}{number}",
    ):
        forms.setdefault(text, "address-road")
    names = [(road["stem"], road["suffix"])]
    if road["suffix"] == "대로":  # 강남대로 is Gangnam-daero, 해운대로 Haeundae-ro
        names.append((road["stem"] + "대", "로"))
    for stem, suffix in names:
        roman = f"{romanise(stem)}-{_SUFFIX[suffix]}"
        if road["sub"]:
            roman += f" {road['sub']}{_SUFFIX[road['subsuffix']]}"
            if road["subsuffix"] == "길":
                roman = roman[: -len("gil")] + "-gil"
        for text in (
            f"{roman} {number}",
            f"{roman}, {number}",
            f"{number} {roman}",
            f"{number}, {roman}",
            f"{roman.replace('-', ' ')} {number}",
            f"{number} {roman.replace('-', ' ')}",
            f"{roman.replace('-', '')} {number}",
        ):
            forms.setdefault(text, "address-roman")
    for sido in _data()["sido"]:
        if sido["name"] in address:
            for short in sido["short"]:
                shorter = address.replace(sido["name"], short, 1)
                forms.setdefault(shorter, "address-short")
    return forms


def name_parts(name: str) -> tuple[str, str] | None:
    """(last name, first name) of a Korean name written together (김하늘), or
    of a name written in words (first ... last); None when it is one word."""
    name = name.strip()
    words = name.split()
    if len(words) >= 2:
        return words[-1], words[0]
    if len(name) >= 2 and all("가" <= ch <= "힣" for ch in name):
        size = 2 if name[:2] in _data()["double_surnames"] and len(name) > 2 else 1
        return name[:size], name[size:]
    return None


_KEY_PARTS = re.compile(r"[.\[\]/]+")
#: a name of this many letters or more also names the end of a longer one
_NAME_SUFFIX = 7


@cache
def _name_fields() -> tuple[tuple[str, frozenset[str]], ...]:
    fields = _data()["name_fields"]
    return (
        ("family", frozenset(_name_key(n) for n in fields["family"])),
        ("given", frozenset(_name_key(n) for n in fields["given"])),
    )


def _name_key(name: str) -> str:
    return re.sub(r"[^0-9a-z가-힣]", "", name.lower())


@cache
def name_field(name: str) -> str | None:
    """ "family" or "given" when the field ``name`` (or its key path's last
    part: ``attributes[0].first_name``) holds that part of a name
    (``data/korean_forms.yaml`` name_fields); else None."""
    parts = [p for p in _KEY_PARTS.split(name) if p and not p.isdigit()]
    key = _name_key(parts[-1]) if parts else ""
    if not key:
        return None
    for part, names in _name_fields():
        if key in names or any(
            len(n) >= _NAME_SUFFIX and key.endswith(n) for n in names
        ):
            return part
    return None


def sido_names() -> Sequence[str]:
    """The 17 시/도 as written in full."""
    return [sido["name"] for sido in _data()["sido"]]
