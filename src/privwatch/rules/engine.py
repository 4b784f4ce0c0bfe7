"""Evaluate a rule pack over facts: a closed set of operators, no eval.

One finding per defect: a top-level ``exists`` gives one finding per clause
(the matching facts whose first evidence is in the same clause merge, their
distinct values listed in ``{value}``); every other condition gives one
finding, with the evidence of the facts that made it true. A finding quotes at
most ``MAX_SPANS`` spans; the clauses of the rest are named in ``more``.

A finding is ``review`` rather than ``certain`` when one of the rule's
``review`` conditions holds (over all facts and the context), or when a fact
behind it carries a ``review`` reason code (``messages: review.<code>``).
Findings carry no words: ``rules.words`` renders them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping

from privwatch.models import Evidence, Fact, Finding, Severity
from privwatch.rules.conditions import Condition, Context, Exists, Query, Walker, walk
from privwatch.rules.schema import Pack, Rule

MAX_SPANS = 3  # evidence spans quoted in a finding; the rest by clause id
REVIEW_REF = "rule.review."  # a reason reference to the rule's n-th review condition


class _Holds(Walker[tuple[bool, list[Fact]]]):
    """Whether a condition holds over ``facts`` in ``context``, and the facts
    that are its evidence."""

    def __init__(self, facts: list[Fact], context: Mapping[str, bool]) -> None:
        self.facts = facts
        self.known = context

    def exists(self, query: Query, *, top: bool) -> tuple[bool, list[Fact]]:
        found = query.select(self.facts)
        return bool(found), found

    def missing(self, query: Query, *, top: bool) -> tuple[bool, list[Fact]]:
        return not query.select(self.facts), []

    def context(self, condition: Context) -> tuple[bool, list[Fact]]:
        return condition.holds(self.known), []

    def negate(self, inner: tuple[bool, list[Fact]]) -> tuple[bool, list[Fact]]:
        return not inner[0], []

    def all(self, parts: list[tuple[bool, list[Fact]]]) -> tuple[bool, list[Fact]]:
        return all(ok for ok, _ in parts), _evidence(parts)

    def any(self, parts: list[tuple[bool, list[Fact]]]) -> tuple[bool, list[Fact]]:
        return any(ok for ok, _ in parts), _evidence(parts)


def _evidence(parts: list[tuple[bool, list[Fact]]]) -> list[Fact]:
    return [f for ok, found in parts if ok for f in found]


def holds(
    condition: Condition, facts: list[Fact], context: Mapping[str, bool]
) -> tuple[bool, list[Fact]]:
    """Whether ``condition`` holds, and the facts that are its evidence."""
    return walk(condition, _Holds(facts, context))


def _finding(
    rule: Rule,
    facts: list[Fact],
    all_facts: list[Fact],
    context: Mapping[str, bool],
) -> Finding:
    fields: dict[str, str] = {}
    if facts:
        fields.update({k: str(v) for k, v in facts[0].attrs if v is not None})
        values = list(dict.fromkeys(f.value for f in facts if f.value))
        fields["value"] = ", ".join(values)
    evidence: list[Evidence] = []
    for fact in facts:
        for item in fact.evidence:
            if item not in evidence:
                evidence.append(item)
    evidence.sort(key=lambda e: (e.start, e.end))
    shown, more = _limit(evidence)
    certainty, reason = _certainty(rule, facts, all_facts, context)
    return Finding(
        rule=rule.id,
        law=rule.law,
        article=rule.article,
        severity=rule.severity,
        params=tuple(sorted(fields.items())),
        evidence=shown,
        certainty=certainty,
        reason=reason,
        more=more,
    )


def _limit(evidence: list[Evidence]) -> tuple[tuple[Evidence, ...], tuple[str, ...]]:
    """The first ``MAX_SPANS`` text spans (observed requests are kept: they
    are capped where they are made), and the other clauses the rest are in."""
    spans = [e for e in evidence if e.entry_index is None]
    if len(spans) <= MAX_SPANS:
        return tuple(evidence), ()
    kept = spans[:MAX_SPANS]
    quoted = {e.clause for e in kept}
    more = dict.fromkeys(
        e.clause for e in spans[MAX_SPANS:] if e.clause and e.clause not in quoted
    )
    requests = [e for e in evidence if e.entry_index is not None]
    return (*kept, *requests), tuple(more)


def _certainty(
    rule: Rule,
    facts: list[Fact],
    all_facts: list[Fact],
    context: Mapping[str, bool],
) -> tuple[str, str | None]:
    """``review`` with a reference to its reason (``rule.review.<n>`` or the
    message key ``review.<code>``) when the rule's review conditions or a fact
    behind the finding say the text cannot settle it; else ``certain``."""
    for index, review in enumerate(rule.review):
        ok, _ = holds(review.when, all_facts, context)
        if ok:
            return "review", f"{REVIEW_REF}{index}"
    for fact in facts:
        code = fact.get("review")
        if isinstance(code, str) and code:
            return "review", f"review.{code}"
    return "certain", None


def _by_clause(facts: list[Fact]) -> list[list[Fact]]:
    """The facts grouped by the clause of their first evidence, in order of
    first appearance; facts without a quoted clause stay alone."""
    groups: dict[object, list[Fact]] = {}
    for index, fact in enumerate(facts):
        first = fact.evidence[0] if fact.evidence else None
        key: object = first.clause if first and first.clause else ("alone", index)
        groups.setdefault(key, []).append(fact)
    return list(groups.values())


def _position(finding: Finding) -> int:
    return finding.evidence[0].start if finding.evidence else -1


def evaluate(
    pack: Pack,
    facts: list[Fact],
    *,
    context: Mapping[str, bool] | None = None,
) -> list[Finding]:
    """Findings of ``pack`` over ``facts``, most severe first, then by position
    (then by rule, value and the other parameters, as the titles put them, so
    the order never depends on the facts' order alone, nor on the reader's
    language)."""
    context = context or {}
    findings: list[Finding] = []
    for rule in pack.rules:
        if isinstance(rule.when, Exists):
            findings.extend(
                _finding(rule, group, facts, context)
                for group in _by_clause(rule.when.exists.select(facts))
            )
            continue
        ok, found = holds(rule.when, facts, context)
        if ok:
            findings.append(_finding(rule, found, facts, context))
    return sorted(
        findings,
        key=lambda f: (
            Severity(f.severity).rank,
            _position(f),
            f.rule,
            f.param("value") or "",
            f.params,
        ),
    )
