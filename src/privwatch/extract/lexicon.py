"""Phrase lists from ``extract/data/*.yaml``, compiled once into matchers.

English phrases match case-insensitively at word boundaries; Korean phrases
match anywhere (Korean attaches particles to words, so there is no boundary).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


# The characters other than A-Z and a-z that ``re.I`` matches to an English
# letter (K, ſ, İ, ı; tests/unit/test_lexicon_match.py checks this against
# ``re``). A text without them can run the faster patterns of ``_fast``.
_FOLDS_TO_LETTERS = "\u0130\u0131\u017f\u212a"
# A-Z, a-z and nothing else, as ``re.I`` matches it in a text without the above.
_LETTER = "[A-Za-z]"


_FOLDS_TO_LETTER = re.compile(f"[{_FOLDS_TO_LETTERS}]")
_LETTER_OR_FOLD = re.compile(f"[A-Za-z{_FOLDS_TO_LETTERS}]")


def _trie(phrases: Iterable[str]) -> dict[str, Any]:
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = phrase
    return trie


def _emit(node: dict[str, Any], word_end: str) -> str:
    """The alternation of a trie's branches, longer phrases before their own
    prefixes; ``word_end`` follows each phrase ending in an English letter."""
    branches = []
    for char in sorted(k for k in node if k):
        piece = r"\s+" if char == " " else re.escape(char)
        branches.append(piece + _emit(node[char], word_end))
    if "" in node:
        branches.append(word_end if _LATIN.match(node[""][-1]) else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _halves(trie: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The trie's English branches (first letter A-Z or a-z) and the others."""
    latin = {k: v for k, v in trie.items() if _LATIN.match(k)}
    return latin, {k: v for k, v in trie.items() if not _LATIN.match(k)}


def _trie_pattern(phrases: Iterable[str], prefix: bool) -> str:
    """One regex for many phrases, to compile with ``re.I``, sharing their
    prefixes so ``re`` does not try every phrase at every position.

    Longer phrases win over their own prefixes; an English phrase starts at a
    word start and, unless ``prefix``, ends at a word end. This is what the
    phrases mean; ``Phrases`` runs the faster ``_fast`` where it finds the same.
    """
    latin, other = _halves(_trie(phrases))
    word_end = "" if prefix else r"(?![A-Za-z])"
    parts = []
    if latin:
        parts.append(r"(?<![A-Za-z])" + _emit(latin, word_end))
    if other:
        parts.append(_emit(other, word_end))
    return "|".join(parts)


def _fast(phrases: list[str], prefix: bool) -> tuple[str, ...]:
    """Patterns, compiled without flags, whose earliest match in a text without
    ``_FOLDS_TO_LETTERS`` is ``_trie_pattern``'s: its English half and its
    other (Korean...) half apart. None (empty) where that does not hold: an
    empty phrase, a cased first character outside the English half (it might
    start a match of both halves), or a cased last character other than an
    English letter (the word-end test below would read it).

    The English half starts with the class of its first letters in both cases,
    so ``re`` skips to the next such letter at C speed instead of entering a
    case-insensitive alternation at every position of a Korean sentence; the
    word-start test and the branch on the first letter follow (``(?<=a)``: the
    letter just read was an a), then the same rest. The word-end test is made
    once after the whole alternation, and only after a letter (the same order
    of trials as after each phrase), so the lists compile several times faster.
    """
    trie = _trie(phrases)
    latin, other = _halves(trie)
    if (
        "" in trie
        or any(_cased(k) for k in other)
        or any(_cased(p[-1]) and not _LATIN.match(p[-1]) for p in phrases)
    ):
        return ()
    end = "" if prefix else f"(?:(?<!{_LETTER})|(?!{_LETTER}))"
    patterns = []
    if latin:
        firsts = "".join(k + k.upper() for k in sorted(latin))
        dispatch = "|".join(
            f"(?<={re.escape(k)})" + _emit(v, "") for k, v in sorted(latin.items())
        )
        patterns.append(f"[{firsts}](?<!{_LETTER}.)(?i:{dispatch}){end}")
    if other:
        patterns.append(f"(?i:{_emit(other, '')}){end}")
    return tuple(patterns)


def _cased(char: str) -> bool:
    return char.lower() != char or char.upper() != char


_Memo = dict[tuple[int, str], tuple["Phrases", "re.Match[str] | None"]]
_MEMO: ContextVar[_Memo | None] = ContextVar("privwatch_phrase_memo", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    """Within it, a list's search of a text runs once: reading one document
    asks the same sentence the same question many times. The answer depends
    on the list and the text alone; it is forgotten at the end of the block
    (and each thread or task remembers its own)."""
    if _MEMO.get() is not None:
        yield  # already inside one
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


@dataclass(frozen=True)
class Phrases:
    """A set of phrases, each mapped to a label (a topic, an ISO code...).

    ``pattern`` (``_trie_pattern``) finds them; most texts run ``fast``
    instead, which finds the same. Each compiles when first used, so a run
    compiles only what it reads.
    """

    pattern: str
    fast: tuple[str, ...]
    labels: dict[str, str]
    english: bool = False  # ``fast`` starts with the English half

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
            return cls("", (), {})
        phrases = list(labels)
        fast = _fast(phrases, prefix)
        english = bool(fast) and any(_LATIN.match(p) for p in phrases)
        return cls(_trie_pattern(phrases, prefix), fast, labels, english)

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.I)

    @cached_property
    def _english(self) -> re.Pattern[str] | None:
        return re.compile(self.fast[0]) if self.english else None

    @cached_property
    def _other(self) -> re.Pattern[str] | None:
        rest = self.fast[1:] if self.english else self.fast
        return re.compile(rest[0]) if rest else None

    def _running(
        self, text: str, start: int, end: int
    ) -> tuple[re.Pattern[str], ...] | None:
        """The patterns that find the matches in ``text[start:end]``, None for
        ``pattern``: the English half only if it holds an English letter (the
        patterns read one character before ``start``: is it a letter?)."""
        if not self.fast:
            return None
        letter = _LETTER_OR_FOLD.search(text, start - 1 if start else 0, end)
        if letter is None:
            return () if self._other is None else (self._other,)
        if _FOLDS_TO_LETTER.search(text, letter.start(), end) is not None:
            return None
        return tuple(r for r in (self._english, self._other) if r is not None)

    def finditer(
        self, text: str, start: int = 0, end: int | None = None
    ) -> Iterator[re.Match[str]]:
        end = len(text) if end is None else end
        if not self.labels:
            return
        running = self._running(text, start, end)
        if running is None or len(running) < 2:
            for regex in (self._regex,) if running is None else running:
                yield from regex.finditer(text, start, end)
            return
        pending = [regex.search(text, start, end) for regex in running]
        while True:  # the earlier of the halves' next matches (never a tie)
            found = [m for m in pending if m is not None]
            if not found:
                return
            best = min(found, key=lambda m: m.start())
            yield best
            pending = [  # a half's next match stays valid unless passed over
                regex.search(text, best.end(), end)
                if m is not None and m.start() < best.end()
                else m
                for regex, m in zip(running, pending, strict=True)
            ]

    def search(self, text: str) -> re.Match[str] | None:
        memo = _MEMO.get()
        if memo is None:
            return self._search(text)
        key = (id(self), text)
        known = memo.get(key)
        if known is None:  # kept with its list, so the id stays this list's
            known = memo[key] = (self, self._search(text))
        return known[1]

    def _search(self, text: str) -> re.Match[str] | None:
        if not self.labels:
            return None
        running = self._running(text, 0, len(text))
        if running is None:
            return self._regex.search(text)
        best = None
        for regex in running:
            found = regex.search(text)
            if found is not None and (best is None or found.start() < best.start()):
                best = found
        return best

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
