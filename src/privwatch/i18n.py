"""User-facing messages in Korean and English, read from ``data/messages.yaml``."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("en", "ko")


@cache
def _catalog() -> dict[str, dict[str, str]]:
    text = (
        resources.files("privwatch").joinpath("data/messages.yaml").read_text("utf-8")
    )
    # libyaml's loader when present: the pure-Python one takes ~0.17 s, on every run
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, dict[str, str]] = yaml.load(text, Loader=loader)
    return data


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
    template = entry.get(lang) or entry["en"]
    return template.format(**params)
