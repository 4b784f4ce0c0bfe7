"""Unfair terms read from a clause's own words, and the consumer-protective guard.

``rule_facts`` reads each sentence of a document against the checks of
``data/terms.yaml`` and gives one ``unfair_term`` fact per check that fires,
quoting the sentence (or the part of a long sentence between semicolons) that
says it. ``unfair_terms`` joins them with the classifier's facts: a classifier
judgement is quoted at the sentence that names its subject, dropped when that
sentence protects the customer or a rule already read the clause, and kept as a
review item (``review: classifier``): only a rule that read the words is
certain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal, NotRequired, TypedDict

from privwatch.extract.lexicon import data
from privwatch.models import Clause, Document, Evidence, Fact, Span

LONG = 300  # characters: a longer sentence is read in parts cut at semicolons
PARTIES = ("customer", "business")  # word lists naming a party, maybe quoted
_OPEN = "[\"“‘']?"
_CLOSE = "[\"”’']?"
_PART = re.compile(r"[;；]\s*")
_WORD = re.compile(r"<<(\w+)>>")


class CheckEntry(TypedDict):
    id: str
    category: str
    fire: list[str | list[str]]  # alternatives; a list: every pattern must match
    unless: NotRequired[list[str] | None]
    holder: NotRequired[str | None]
    protective: NotRequired[bool]
    review_when: NotRequired[list[str] | None]


class GuardEntry(TypedDict):
    id: str
    categories: list[str]
    patterns: list[str]
    holder: NotRequired[str | None]
    scope: NotRequired[Literal["clause"]]


class TermsData(TypedDict):
    """``data/terms.yaml``."""

    words: dict[str, list[str]]
    checks: list[CheckEntry]
    protective: list[GuardEntry]
    cues: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class Check:
    """One way a sentence shows an unfair term of ``category``."""

    id: str
    category: str
    fire: tuple[tuple[re.Pattern[str], ...], ...]
    unless: tuple[re.Pattern[str], ...]
    holder: str | None
    protective: bool
    review_when: tuple[re.Pattern[str], ...]  # the sentence alone cannot settle it


@dataclass(frozen=True, slots=True)
class Guard:
    """Sentences that protect the customer in ``categories``."""

    id: str
    categories: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    holder: str | None
    clause: bool  # read over the whole clause, not the sentence


@dataclass(frozen=True, slots=True)
class Terms:
    checks: tuple[Check, ...]
    guards: tuple[Guard, ...]
    cues: dict[str, tuple[str, ...]]
    customer: re.Pattern[str]
    business: re.Pattern[str]


def _compile(pattern: str, words: dict[str, list[str]]) -> re.Pattern[str]:
    """``pattern`` with each <<name>> expanded; a party may stand in quotes."""

    def expand(match: re.Match[str]) -> str:
        alternatives = "|".join(words[match.group(1)])
        if match.group(1) in PARTIES:
            return f"{_OPEN}(?:{alternatives}){_CLOSE}"
        return alternatives

    return re.compile(_WORD.sub(expand, pattern), re.I)


def _party(names: list[str]) -> re.Pattern[str]:
    """A party named as the subject: Korean 은/는/이/가, English before a modal."""
    alternatives = "|".join(
        sorted((re.escape(n) for n in names), key=len, reverse=True)
    )
    return re.compile(
        rf"(?:^|[\s\"“‘'(])(?:{alternatives})[\"”’']?\s*(?:(?P<topic>은|는|께서는)|(?P<subject>이|가|께서))(?=\s)"
        rf"|\b(?:{alternatives})\s+(?P<modal>may|can|shall|will|must|reserves?|agrees?|has|have)\b",
        re.I,
    )


@cache
def terms() -> Terms:
    """The checks, guards and cues of ``data/terms.yaml``, compiled once."""
    listed = data("terms.yaml", TermsData)
    words = listed["words"]
    checks = tuple(
        Check(
            id=item["id"],
            category=item["category"],
            fire=tuple(
                tuple(
                    _compile(p, words) for p in ([alt] if isinstance(alt, str) else alt)
                )
                for alt in item["fire"]
            ),
            unless=tuple(_compile(p, words) for p in item.get("unless") or []),
            holder=item.get("holder"),
            protective=bool(item.get("protective", True)),
            review_when=tuple(
                _compile(p, words) for p in item.get("review_when") or []
            ),
        )
        for item in listed["checks"]
    )
    guards = tuple(
        Guard(
            id=item["id"],
            categories=frozenset(item["categories"]),
            patterns=tuple(_compile(p, words) for p in item["patterns"]),
            holder=item.get("holder"),
            clause=item.get("scope") == "clause",
        )
        for item in listed["protective"]
    )
    cues = {k: tuple(v) for k, v in listed["cues"].items()}
    return Terms(
        checks, guards, cues, _party(words["customer"]), _party(words["business"])
    )


def holder(text: str) -> str:
    """Who holds the right a sentence gives: ``customer`` when the customer is
    its main subject (the first topic-marked party, else the first subject),
    else ``business``."""
    data = terms()
    found: list[tuple[int, int, str]] = []
    for who, pattern in (("customer", data.customer), ("business", data.business)):
        for match in pattern.finditer(text):
            rank = 0 if match.group("topic") or match.group("modal") else 1
            found.append((rank, match.start(), who))
    return min(found)[2] if found else "business"


def protects(text: str, category: str, clause: str | None = None) -> str | None:
    """The guard by which ``text`` (a sentence of ``clause``) protects the
    customer in ``category``, or None."""
    for guard in terms().guards:
        if category not in guard.categories:
            continue
        read = (clause or text) if guard.clause else text
        if guard.holder and holder(read) != guard.holder:
            continue
        if any(p.search(read) for p in guard.patterns):
            return guard.id
    return None


def fires(check: Check, text: str, clause: str | None = None) -> bool:
    """Whether ``check`` reads an unfair term in ``text`` (one sentence of ``clause``)."""
    if not any(all(p.search(text) for p in alt) for alt in check.fire):
        return False
    if any(p.search(text) for p in check.unless):
        return False
    if check.holder and holder(text) != check.holder:
        return False
    return not (check.protective and protects(text, check.category, clause))


def units(document: Document, clause: Clause) -> Iterator[Span]:
    """The sentences of ``clause``, a long one cut at semicolons."""
    spans: Iterable[Span] = clause.sentences or (Span(clause.start, clause.end),)
    for span in spans:
        text = document.text[span.start : span.end]
        if len(text) <= LONG:
            yield span
            continue
        start = 0
        for match in _PART.finditer(text):
            yield Span(span.start + start, span.start + match.start())
            start = match.end()
        if start < len(text):
            yield Span(span.start + start, span.end)


def _evidence(document: Document, span: Span, clause: Clause) -> Evidence:
    return Evidence(
        span.start, span.end, document.text[span.start : span.end], clause.id
    )


def rule_facts(document: Document) -> list[Fact]:
    """One ``unfair_term`` fact per check and sentence that the check reads as unfair."""
    facts: list[Fact] = []
    checks = terms().checks
    for clause in document.clauses:
        whole = document.quote(clause)
        for span in units(document, clause):
            text = document.text[span.start : span.end]
            for check in checks:
                if fires(check, text, whole):
                    review = any(p.search(text) for p in check.review_when)
                    facts.append(
                        Fact(
                            kind="unfair_term",
                            value=check.category,
                            attrs=(
                                ("source", "rule"),
                                ("check", check.id),
                                ("score", None),
                                ("review", "reading" if review else None),
                            ),
                            evidence=(_evidence(document, span, clause),),
                        )
                    )
    return facts


def _cue_span(document: Document, clause: Clause, category: str) -> Span | None:
    """The first sentence of ``clause`` naming the subject of ``category`` that
    does not protect the customer; None when no sentence names it or every one
    that does protects the customer."""
    cues = terms().cues.get(category, ())
    whole = document.quote(clause)
    for span in units(document, clause):
        text = document.text[span.start : span.end]
        if any(c in text.lower() for c in cues) and not protects(text, category, whole):
            return span
    return None


def quotable(
    document: Document, read: list[Fact] | None = None
) -> Callable[[Clause, str], bool]:
    """Whether ``unfair_terms`` would keep a classifier judgement of ``category``
    on ``clause``: the clause is in ``document``, no rule read that category in
    it, and a sentence names its subject without protecting the customer.
    ``read``: ``rule_facts(document)``, if already known."""
    by_id = {c.id: c for c in document.clauses}
    read = rule_facts(document) if read is None else read
    covered = {(f.value, f.evidence[0].clause) for f in read}

    def keeps(clause: Clause, category: str) -> bool:
        own = by_id.get(clause.id)
        return (
            own is not None
            and (category, own.id) not in covered
            and _cue_span(document, own, category) is not None
        )

    return keeps


def unfair_terms(
    document: Document, classified: list[Fact], read: list[Fact] | None = None
) -> list[Fact]:
    """The rule-read facts, and the classifier's ``classified`` facts that no
    rule read and no protective sentence answers, each a review item quoting
    its sentence. ``read``: ``rule_facts(document)``, if already known."""
    read = rule_facts(document) if read is None else read
    by_id = {c.id: c for c in document.clauses}
    covered = {(f.value, f.evidence[0].clause) for f in read}
    facts = list(read)
    for fact in classified:
        clause = by_id.get(fact.evidence[0].clause or "") if fact.evidence else None
        if clause is None or (fact.value, clause.id) in covered:
            continue
        span = _cue_span(document, clause, fact.value or "")
        if span is None:
            continue
        facts.append(
            Fact(
                kind="unfair_term",
                value=fact.value,
                attrs=(
                    ("source", "classifier"),
                    ("check", None),
                    ("score", fact.get("score")),
                    ("review", "classifier"),
                ),
                evidence=(_evidence(document, span, clause),),
            )
        )
    return facts
