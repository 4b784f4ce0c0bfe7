"""Evaluate a rule pack over facts: a closed set of operators, no eval.

A top-level ``exists`` gives one finding per matching fact; every other
condition gives one finding, with the evidence of the facts that made it true.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from privwatch.i18n import message
from privwatch.models import Evidence, Fact, Finding
from privwatch.rules.schema import Pack, Rule

ORDER = {"high": 0, "medium": 1, "low": 2}


def _matches(fact: Fact, where: Mapping[str, Any]) -> bool:
    for name, wanted in where.items():
        actual = fact.value if name == "value" else fact.get(name)
        if isinstance(wanted, dict):
            if "in" in wanted and actual not in wanted["in"]:
                return False
            if "not" in wanted and actual == wanted["not"]:
                return False
        elif actual != wanted:
            return False
    return True


def select_facts(facts: list[Fact], argument: Mapping[str, Any]) -> list[Fact]:
    """The facts of kind ``argument["fact"]`` matching its ``where`` (as rules do)."""
    where = argument.get("where") or {}
    return [f for f in facts if f.kind == argument["fact"] and _matches(f, where)]


def _holds(
    condition: Mapping[str, Any], facts: list[Fact], context: Mapping[str, bool]
) -> tuple[bool, list[Fact]]:
    """Whether ``condition`` holds, and the facts that are its evidence."""
    ((operator, argument),) = condition.items()
    if operator == "exists":
        found = select_facts(facts, argument)
        return bool(found), found
    if operator == "missing":
        return not select_facts(facts, argument), []
    if operator == "context":
        return all(context.get(k, False) == v for k, v in argument.items()), []
    if operator == "not":
        holds, _ = _holds(argument, facts, context)
        return not holds, []
    results = [_holds(part, facts, context) for part in argument]
    evidence = [f for holds, found in results if holds for f in found]
    if operator == "all":
        return all(h for h, _ in results), evidence
    return any(h for h, _ in results), evidence


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
        if "exists" in rule.when:
            findings.extend(
                _finding(rule, lang, [f])
                for f in select_facts(facts, rule.when["exists"])
            )
            continue
        holds, found = _holds(rule.when, facts, context)
        if holds:
            findings.append(_finding(rule, lang, found))
    return sorted(
        findings,
        key=lambda f: (ORDER[f.severity], f.evidence[0].start if f.evidence else -1),
    )
