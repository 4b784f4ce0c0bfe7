"""Phrase lists from ``extract/data/*.yaml``, compiled once into matchers.

English phrases match case-insensitively at word boundaries; Korean phrases
match anywhere (Korean attaches particles to words, so there is no boundary).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, TypedDict, TypeVar

from privwatch.yamlfile import packaged

_LATIN = re.compile(r"[A-Za-z]")
T = TypeVar("T")


class PhraseList(TypedDict, total=False):
    """Phrases of one meaning in each language, as the data files list them."""

    en: list[str]
    ko: list[str]


class Cues(TypedDict):
    """``data/cues.yaml``."""

    topics: dict[str, PhraseList]
    content: dict[str, PhraseList]
    facts: dict[str, PhraseList]
    table_headers: dict[str, PhraseList]


class Countries(TypedDict):
    """``data/countries.yaml``: each ISO code's names, and words for "abroad"."""

    countries: dict[str, PhraseList]
    unspecified: PhraseList
    unspecified_weak: PhraseList


class DataItems(TypedDict):
    """``data/data_items.yaml``."""

    items: dict[str, PhraseList]
    sensitive_categories: list[str]
    unique_identifiers: list[str]


class Vocabulary(TypedDict):
    """``data/vocabulary.yaml``."""

    recipient_categories: PhraseList
    category_roles: dict[str, PhraseList]
    legal_entity_markers: PhraseList
    vague_expressions: dict[str, PhraseList]


def data(name: str, schema: type[T]) -> T:
    """The data file ``extract/data/<name>``, checked against ``schema``."""
    return packaged("privwatch.extract", f"data/{name}", schema)


def country_names() -> dict[str, PhraseList]:
    """Each ISO country code's names in English and Korean."""
    return data("countries.yaml", Countries)["countries"]


def _trie_pattern(phrases: Iterable[str], prefix: bool) -> str:
    """One regex for many phrases, sharing their prefixes, so ``re`` does not
    try every phrase at every position (hundreds of phrases stay fast).

    Longer phrases win over their own prefixes; an English phrase starts at a
    word start and, unless ``prefix``, ends at a word end.
    """
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = phrase

    def emit(node: dict[str, Any]) -> str:
        branches = []
        for char in sorted(k for k in node if k):
            piece = r"\s+" if char == " " else re.escape(char)
            branches.append(piece + emit(node[char]))
        if "" in node:
            phrase = node[""]
            branches.append(
                "" if prefix or not _LATIN.match(phrase[-1]) else r"(?![A-Za-z])"
            )
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    latin = {k: v for k, v in trie.items() if _LATIN.match(k)}
    other = {k: v for k, v in trie.items() if not _LATIN.match(k)}
    parts = []
    if latin:
        parts.append(r"(?<![A-Za-z])" + emit(latin))
    if other:
        parts.append(emit(other))
    return "|".join(parts)


@dataclass(frozen=True)
class Phrases:
    """A set of phrases, each mapped to a label (a topic, an ISO code...)."""

    regex: re.Pattern[str] | None
    labels: dict[str, str]

    @classmethod
    def build(
        cls, pairs: Iterable[tuple[str, str]], *, prefix: bool = False
    ) -> Phrases:
        """``prefix``: an English phrase may continue into a longer word
        (``cookie`` finds ``cookies``, ``outsourc`` finds ``outsourcing``)."""
        labels: dict[str, str] = {}
        for phrase, label in pairs:
            labels.setdefault(_fold(phrase), label)
        if not labels:
            return cls(None, {})
        regex = re.compile(_trie_pattern(labels, prefix), re.I)
        return cls(regex, labels)

    def finditer(
        self, text: str, start: int = 0, end: int | None = None
    ) -> Iterator[re.Match[str]]:
        if self.regex is None:
            return iter(())
        return self.regex.finditer(text, start, len(text) if end is None else end)

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text) if self.regex else None

    def label(self, match: re.Match[str]) -> str:
        return self.labels[_fold(match.group())]

    def labels_in(self, text: str) -> set[str]:
        return {self.label(m) for m in self.finditer(text)}


def _fold(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _both(entry: PhraseList) -> list[str]:
    return [*entry.get("en", []), *entry.get("ko", [])]


def _grouped(groups: dict[str, PhraseList]) -> dict[str, Phrases]:
    """One matcher per name; cue phrases match as word prefixes."""
    return {
        name: Phrases.build(((p, name) for p in _both(entry)), prefix=True)
        for name, entry in groups.items()
    }


@dataclass(frozen=True)
class Lexicon:
    topics: dict[str, Phrases]
    content: dict[str, Phrases]
    cues: dict[str, Phrases]
    headers: Phrases
    countries: Phrases
    unspecified: Phrases
    unspecified_weak: Phrases
    items: Phrases
    sensitive: frozenset[str]
    categories: Phrases
    entity_markers: Phrases
    vague: dict[str, Phrases]

    def has(self, cue: str, text: str) -> bool:
        return self.cues[cue].search(text) is not None


@cache
def lexicon() -> Lexicon:
    cues = data("cues.yaml", Cues)
    countries = data("countries.yaml", Countries)
    items = data("data_items.yaml", DataItems)
    vocabulary = data("vocabulary.yaml", Vocabulary)
    return Lexicon(
        topics=_grouped(cues["topics"]),
        content=_grouped(cues["content"]),
        cues=_grouped(cues["facts"]),
        headers=Phrases.build(
            (
                (p, name)
                for name, entry in cues["table_headers"].items()
                for p in _both(entry)
            ),
            prefix=True,
        ),
        countries=Phrases.build(
            (p, code)
            for code, entry in countries["countries"].items()
            for p in _both(entry)
        ),
        unspecified=Phrases.build(
            (p, "unspecified") for p in _both(countries["unspecified"])
        ),
        unspecified_weak=Phrases.build(
            (p, "unspecified") for p in _both(countries.get("unspecified_weak", {}))
        ),
        items=Phrases.build(
            (p, category)
            for category, entry in items["items"].items()
            for p in _both(entry)
        ),
        sensitive=frozenset(items.get("sensitive_categories", ())),
        categories=Phrases.build(
            [
                (p, role)
                for role, entry in vocabulary["category_roles"].items()
                for p in _both(entry)
            ]
            + [(p, "provision") for p in _both(vocabulary["recipient_categories"])]
        ),
        entity_markers=Phrases.build(
            (p, "entity") for p in _both(vocabulary["legal_entity_markers"])
        ),
        vague={
            topic: Phrases.build((p, p) for p in _both(entry))
            for topic, entry in vocabulary["vague_expressions"].items()
        },
    )
