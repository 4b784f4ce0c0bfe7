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
    """Format message ``key`` in ``lang`` (falls back to English)."""
    entry = _catalog()[key]
    template = (entry["ko"] if lang == "ko" else "") or entry["en"]
    return template.format(**params)


_FIELD = re.compile(r"\{(\w+)\}")


@functools.cache
def _english_patterns() -> list[tuple[int, re.Pattern[str], str]]:
    """Every message's English text as a pattern (its ``{fields}`` matching any
    words), longest literal text first."""
    patterns = []
    for key, entry in _catalog().items():
        template = entry["en"]
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
