"""Phrase lists from ``extract/data/*.yaml``, compiled once into matchers.

English phrases match case-insensitively at word boundaries; Korean phrases
match anywhere (Korean attaches particles to words, so there is no boundary).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
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


# The characters an ASCII letter matches case-insensitively (``re.I``): the
# letter in both cases, and for i, k and s the few others Unicode folds with
# them (tests/unit/test_lexicon_match.py checks this against ``re``).
_CASES = {c: c + c.upper() for c in "abcdefghijklmnopqrstuvwxyz"}
_CASES["i"] += "\u0130\u0131"
_CASES["k"] += "\u212a"
_CASES["s"] += "\u017f"
# The word-start test of an English phrase, made after its first letter: the
# character before that letter is not a letter.
_WORD_START = r"(?<![A-Za-z][\s\S])"


def _trie(phrases: Iterable[str]) -> dict[str, Any]:
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = phrase
    return trie


def _emit(node: dict[str, Any], prefix: bool) -> str:
    """The alternation of a trie's branches, longer phrases before their own
    prefixes; an English phrase ends at a word end unless ``prefix``."""
    branches = []
    for char in sorted(k for k in node if k):
        piece = r"\s+" if char == " " else re.escape(char)
        branches.append(piece + _emit(node[char], prefix))
    if "" in node:
        phrase = node[""]
        branches.append(
            "" if prefix or not _LATIN.match(phrase[-1]) else r"(?![A-Za-z])"
        )
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _trie_pattern(phrases: Iterable[str], prefix: bool) -> str:
    """One regex for many phrases, sharing their prefixes, so ``re`` does not
    try every phrase at every position (hundreds of phrases stay fast).

    Longer phrases win over their own prefixes; an English phrase starts at a
    word start and, unless ``prefix``, ends at a word end. This is what the
    phrases mean; ``Phrases`` runs it as the two patterns of ``_split_patterns``,
    which find the same matches faster.
    """
    trie = _trie(phrases)
    latin = {k: v for k, v in trie.items() if _LATIN.match(k)}
    other = {k: v for k, v in trie.items() if not _LATIN.match(k)}
    parts = []
    if latin:
        parts.append(r"(?<![A-Za-z])" + _emit(latin, prefix))
    if other:
        parts.append(_emit(other, prefix))
    return "|".join(parts)


def _split_patterns(phrases: Iterable[str], prefix: bool) -> tuple[str, ...]:
    """Patterns, compiled without flags, whose earliest match is
    ``_trie_pattern``'s (compiled with ``re.I``): its English half and its
    other (Korean...) half apart, or, when a character could start a match of
    both, the whole.

    The English half starts with the class of every character its first letter
    matches, so ``re`` skips to the next such character at C speed instead of
    entering a case-insensitive alternation at every position of a Korean
    sentence; the word-start test and the branch on the first letter follow it
    (``(?<=a)``: the letter just read was an a), then the same rest.
    """
    phrases = list(phrases)
    trie = _trie(phrases)
    latin = {k: v for k, v in trie.items() if _LATIN.match(k)}
    other = {k: v for k, v in trie.items() if not _LATIN.match(k)}
    if "" in trie or any(k.lower() != k or k.upper() != k for k in other):
        # an empty phrase, or a cased first character that might match a letter
        return (f"(?i:{_trie_pattern(phrases, prefix)})",)
    patterns = []
    if latin:
        firsts = "".join(_CASES[k] for k in sorted(latin))
        dispatch = "|".join(
            f"(?<={re.escape(k)})" + _emit(v, prefix) for k, v in sorted(latin.items())
        )
        patterns.append(f"[{firsts}](?i:{_WORD_START}(?:{dispatch}))")
    if other:
        patterns.append(f"(?i:{_emit(other, prefix)})")
    return tuple(patterns)


@dataclass(frozen=True)
class Phrases:
    """A set of phrases, each mapped to a label (a topic, an ISO code...).

    Its patterns (``_split_patterns``) compile when first used, so a run
    compiles only the lists it reads.
    """

    patterns: tuple[str, ...]
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
        return cls(_split_patterns(labels, prefix) if labels else (), labels)

    @cached_property
    def _regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(pattern) for pattern in self.patterns)

    def _first(self, text: str, start: int, end: int) -> re.Match[str] | None:
        """The earliest match in ``text[start:end]`` (the halves never start
        on one character, see ``_split_patterns``)."""
        best = None
        for regex in self._regexes:
            found = regex.search(text, start, end)
            if found is not None and (best is None or found.start() < best.start()):
                best = found
        return best

    def finditer(
        self, text: str, start: int = 0, end: int | None = None
    ) -> Iterator[re.Match[str]]:
        end = len(text) if end is None else end
        if len(self.patterns) == 1:
            yield from self._regexes[0].finditer(text, start, end)
            return
        pending = [regex.search(text, start, end) for regex in self._regexes]
        while True:
            found = [m for m in pending if m is not None]
            if not found:
                return
            best = min(found, key=lambda m: m.start())
            yield best
            pending = [  # a half's next match stays valid unless passed over
                regex.search(text, best.end(), end)
                if m is not None and m.start() < best.end()
                else m
                for regex, m in zip(self._regexes, pending, strict=True)
            ]

    def search(self, text: str) -> re.Match[str] | None:
        return self._first(text, 0, len(text)) if self.patterns else None

    def sub(self, replacement: str, text: str) -> str:
        """``text`` with each match replaced by ``replacement`` (a plain string)."""
        pieces, last = [], 0
        for match in self.finditer(text):
            pieces += [text[last : match.start()], replacement]
            last = match.end()
        return "".join(pieces) + text[last:] if pieces else text

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
