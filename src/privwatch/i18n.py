"""User-facing messages in Korean and English, read from ``data/messages.yaml``."""

from __future__ import annotations

import os
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
