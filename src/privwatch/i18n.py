"""User-facing messages in Korean and English, read from ``data/messages.yaml``."""

from __future__ import annotations

import functools
import os
import re
from typing import Any, TypedDict

from privwatch.yamlfile import packaged

LANGUAGES = ("en", "ko")


class Bilingual(TypedDict):
    """A text in English and Korean, as plain data files hold it (pydantic
    schemas use ``rules.schema.Text``)."""

    en: str
    ko: str


def _catalog() -> dict[str, Bilingual]:
    return packaged("privwatch", "data/messages.yaml", dict[str, Bilingual])


def default_language() -> str:
    """Pick the interface language: PRIVWATCH_LANG, then the locale, then English."""
    for var in ("PRIVWATCH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def message(key: str, lang: str = "en", **params: Any) -> str:
    """Format message ``key`` in ``lang`` (falls back to English); in Korean a
    particle after a field fits the value put there (``{path}은(는)``)."""
    entry = _catalog()[key]
    template = (entry["ko"] if lang == "ko" else "") or entry["en"]
    if lang == "ko" and entry["ko"]:
        template = with_particles(template, params)
    else:
        template = singulars(template, params)
    return template.format(**params)


#: the English nouns messages count ("{count} findings"), said in the singular
#: after a 1 ("1 finding", not "1 findings")
PLURALS = frozenset(
    [
        "bytes",
        "cells",
        "changes",
        "characters",
        "clauses",
        "documents",
        "elements",
        "entries",
        "evaluations",
        "events",
        "findings",
        "flows",
        "hosts",
        "items",
        "levels",
        "links",
        "listings",
        "minutes",
        "mutations",
        "pages",
        "parts",
        "platforms",
        "points",
        "problems",
        "quotes",
        "records",
        "requests",
        "rows",
        "scans",
        "screenshots",
        "seconds",
        "sections",
        "sentences",
        "sources",
        "steps",
        "tables",
        "times",
        "versions",
    ]
)
_COUNTED = re.compile(r"\{(\w+)\} ([a-z]+)\b")


def singulars(template: str, params: Any) -> str:
    """An English ``template`` with each counted noun after a field that is 1
    in the singular (``{count} findings`` -> ``{count} finding``)."""

    def pick(found: re.Match[str]) -> str:
        field, noun = found.groups()
        value = params.get(field)
        if noun not in PLURALS or isinstance(value, bool) or str(value) != "1":
            return found.group(0)
        singular = noun[:-3] + "y" if noun.endswith("ies") else noun[:-1]
        return "{" + field + "} " + singular

    return _COUNTED.sub(pick, template)


#: a paired particle as messages write it: (after a final consonant, after none)
PAIRS = {
    "은(는)": ("은", "는"),
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "과(와)": ("과", "와"),
    "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"),
    "(이)라": ("이라", "라"),
}
_PARTICLE = re.compile(
    r"(\{\w+(?:![rsa])?\})(" + "|".join(re.escape(p) for p in PAIRS) + ")"
)
RIEUL = 8  # ㄹ: 서울로, 1로 (not 으로)
#: the final consonant of each digit as read in Korean (영 일 이 삼 사 오 육 칠 팔 구)
_DIGITS = {
    "0": 21,
    "1": 8,
    "2": 0,
    "3": 16,
    "4": 0,
    "5": 0,
    "6": 1,
    "7": 8,
    "8": 8,
    "9": 0,
}
#: letters whose Korean names end in a consonant (엘 엠 엔 알); the rest (에이,
#: 비, 씨 ... 제트) end in a vowel
_LETTERS = {"L": 8, "M": 16, "N": 4, "R": 8}


def final_consonant(word: str) -> int | None:
    """The final consonant (jongseong: 0 none, 8 ㄹ, other numbers the rest) of
    ``word`` as read aloud in Korean: its last Hangul syllable, a number, an
    acronym in capitals (URL, HTTP); None where the reading is not obvious (a
    Latin word, a closing quote or bracket)."""
    word = word.rstrip()
    if not word:
        return None
    last = word[-1]
    if "가" <= last <= "힣":
        return (ord(last) - ord("가")) % 28
    if last in _DIGITS:
        zeros = len(word) - len(word.rstrip("0"))
        number = word[: len(word) - zeros]
        if zeros and number[-1:].isdigit():  # 10 십, 100 백, 1000 천, 10000 만
            return (17, 1, 4, 4)[min(zeros, 4) - 1]
        return _DIGITS[last]
    tail = re.search(r"[A-Za-z]+$", word)
    if tail and tail[0].isupper() and (len(tail[0]) <= 5 or tail[0] == word):
        return _LETTERS.get(last, 0)
    return None


def particle(word: str, paired: str) -> str:
    """The particle of ``paired`` (``은(는)``) that fits after ``word``; the
    paired form itself where the word's reading is not obvious."""
    consonant = final_consonant(word)
    if consonant is None:
        return paired
    with_final, without = PAIRS[paired]
    if paired == "(으)로" and consonant == RIEUL:
        return without
    return with_final if consonant else without


def with_particles(template: str, params: Any) -> str:
    """``template`` with each paired particle right after a field replaced by
    the one that fits the field's value in ``params`` (a mapping)."""

    def pick(found: re.Match[str]) -> str:
        try:
            word = found[1].format_map(params)
        except (KeyError, IndexError, ValueError):
            return found[0]
        return found[1] + particle(word, found[2])

    return _PARTICLE.sub(pick, template)


_FIELD = re.compile(r"\{(\w+)\}")


@functools.cache
def _english_patterns() -> list[tuple[int, re.Pattern[str], str]]:
    """Every message's English text as a pattern (its ``{fields}`` matching any
    words), longest literal text first."""
    patterns = []
    for key, entry in _catalog().items():
        template = entry["en"]
        if key.startswith("click."):  # said again from click's errors, not stored
            continue
        if "{" in template and not _FIELD.search(template):
            continue
        parts, seen, at = [], set(), 0
        for found in _FIELD.finditer(template):
            parts.append(re.escape(template[at : found.start()]))
            name = found[1]
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
            seen.add(name)
            at = found.end()
        parts.append(re.escape(template[at:]))
        literal = len(_FIELD.sub("", template))
        if literal >= 8:
            patterns.append((literal, re.compile("".join(parts), re.DOTALL), key))
    patterns.sort(key=lambda p: -p[0])
    return patterns


def localize(text: str, lang: str) -> str:
    """An English message stored as text (a watch error kept in the store) in
    ``lang``: the message it was made from, worded in ``lang`` with the same
    values; text that is no message of ours stays as it is."""
    if lang == "en" or not text:
        return text
    for _, pattern, key in _english_patterns():
        found = pattern.fullmatch(text)
        if found:
            return message(key, lang, **found.groupdict())
    prefix = "internal error: "
    if text.startswith(prefix):
        return message("web.watch.internal_error", lang, detail=text[len(prefix) :])
    return text
