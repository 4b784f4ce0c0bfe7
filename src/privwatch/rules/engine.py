"""Evaluate a rule pack over facts: a closed set of operators, no eval.

A top-level ``exists`` gives one finding per matching fact; every other
condition gives one finding, with the evidence of the facts that made it true.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from privwatch.i18n import message
from privwatch.models import Evidence, Fact, Finding
from privwatch.rules.conditions import (
    All,
    Any_,
    Condition,
    Context,
    Exists,
    Missing,
    Not,
    Query,
    parse,
)
from privwatch.rules.schema import Pack, Rule

ORDER = {"high": 0, "medium": 1, "low": 2}


def select_facts(facts: list[Fact], argument: Mapping[str, Any] | Query) -> list[Fact]:
    """The facts of kind ``argument["fact"]`` matching its ``where`` (as rules do)."""
    if not isinstance(argument, Query):
        parsed = parse({"exists": dict(argument)})
        assert isinstance(parsed, Exists)
        argument = parsed.exists
    return argument.select(facts)


def holds(
    condition: Condition, facts: list[Fact], context: Mapping[str, bool]
) -> tuple[bool, list[Fact]]:
    """Whether ``condition`` holds, and the facts that are its evidence."""
    if isinstance(condition, Exists):
        found = condition.exists.select(facts)
        return bool(found), found
    if isinstance(condition, Missing):
        return not condition.missing.select(facts), []
    if isinstance(condition, Context):
        return condition.holds(context), []
    if isinstance(condition, Not):
        inner, _ = holds(condition.negated, facts, context)
        return not inner, []
    parts = condition.all if isinstance(condition, All) else condition.any
    results = [holds(part, facts, context) for part in parts]
    evidence = [f for ok, found in results if ok for f in found]
    if isinstance(condition, All):
        return all(ok for ok, _ in results), evidence
    assert isinstance(condition, Any_)
    return any(ok for ok, _ in results), evidence


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _finding(rule: Rule, lang: str, facts: list[Fact]) -> Finding:
    fields = _Fields()
    if facts:
        fields.update({k: str(v) for k, v in facts[0].attrs if v is not None})
        fields["value"] = facts[0].value or ""
        missing = facts[0].get("missing")
        if isinstance(missing, str) and missing:
            names = [message(f"field.{name}", lang) for name in missing.split(", ")]
            fields["missing"] = ", ".join(names)
    evidence: list[Evidence] = []
    for fact in facts:
        for item in fact.evidence:
            if item not in evidence:
                evidence.append(item)
    return Finding(
        rule=rule.id,
        law=rule.law,
        article=rule.article,
        severity=rule.severity,
        title=rule.title.pick(lang).format_map(fields),
        explanation=rule.explanation.pick(lang).format_map(fields),
        remediation=rule.remediation.pick(lang).format_map(fields),
        evidence=tuple(sorted(evidence, key=lambda e: (e.start, e.end))),
    )


def evaluate(
    pack: Pack,
    facts: list[Fact],
    *,
    context: Mapping[str, bool] | None = None,
    lang: str = "en",
) -> list[Finding]:
    """Findings of ``pack`` over ``facts``, most severe first, then by position."""
    context = context or {}
    findings: list[Finding] = []
    for rule in pack.rules:
        if isinstance(rule.when, Exists):
            findings.extend(
                _finding(rule, lang, [f]) for f in rule.when.exists.select(facts)
            )
            continue
        ok, found = holds(rule.when, facts, context)
        if ok:
            findings.append(_finding(rule, lang, found))
    return sorted(
        findings,
        key=lambda f: (ORDER[f.severity], f.evidence[0].start if f.evidence else -1),
    )
