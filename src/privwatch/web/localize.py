"""A stored finding's words in the reader's language.

A version's audit is stored in the language it was run in (a watch cycle audits
in English). Its titles, explanations and remediations were made from the rule
pack's templates (``{value}``, ``{missing}``...), which exist in English and
Korean; so the values filled in can be read back from the stored words and put
into the other language's template. Words that match no template of the
built-in packs (a house pack, an older pack) are shown as stored.
"""

from __future__ import annotations

import re
import string
from functools import cache

from privwatch.i18n import LANGUAGES, _catalog, message
from privwatch.rules import load_pack

PACKS = ("kr-pipa", "kr-terms")
FIELDS = ("title", "explanation", "remediation")


@cache
def _templates() -> dict[tuple[str, str], dict[str, str]]:
    """(rule id, field) -> {language: template}."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for name in PACKS:
        try:
            pack = load_pack(name)
        except Exception:  # a broken pack is reported where it is used
            continue
        for rule in pack.rules:
            for field in FIELDS:
                text = getattr(rule, field)
                found[(rule.id, field)] = {lang: text.pick(lang) for lang in LANGUAGES}
    return found


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    seen: set[str] = set()
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>.*?)")
    return re.compile("".join(parts), re.S)


@cache
def _field_names() -> dict[str, dict[str, str]]:
    """language -> {a missing field's shown name: its key}."""
    names: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for key in _catalog():
        if key.startswith("field."):
            for lang in LANGUAGES:
                names[lang][message(key, lang)] = key
    return names


def _convert(values: dict[str, str], source: str, target: str) -> dict[str, str]:
    converted = dict(values)
    missing = values.get("missing")
    if missing:
        keys = [_field_names()[source].get(name) for name in missing.split(", ")]
        if all(keys):
            converted["missing"] = ", ".join(message(k or "", target) for k in keys)
    return converted


def localize(rule: str, field: str, stored: str, lang: str) -> str:
    """``stored`` (a finding's title, explanation or remediation) in ``lang``."""
    templates = _templates().get((rule, field))
    if not templates or not stored:
        return stored
    if _pattern(templates[lang]).fullmatch(stored):
        return stored
    for source, template in templates.items():
        if source == lang:
            continue
        matched = _pattern(template).fullmatch(stored)
        if matched:
            values = _convert(matched.groupdict(), source, lang)
            try:
                return templates[lang].format(**values)
            except (KeyError, IndexError, ValueError):
                return stored
    return stored
