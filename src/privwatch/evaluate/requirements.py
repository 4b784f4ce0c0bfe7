"""Each rule of a pack for one policy: met, unmet (with its findings), review
or not applicable (with the reason). The scorecard (``evaluate/scorecard.py``)
and a policy's evaluation (``evaluate/core.py``) both read requirements so.

Not applicable is derived from each rule's condition (``rules/schema.py``),
never from a list of rule ids: a condition is read (``rules.conditions.walk``,
the walker the engine uses too) as a question of what it needs before it could
possibly hold. Inside an ``exists``, a ``where`` entry compared with true or
false *tests* a statement (``named: false``, ``basis: false``); an entry
compared with a word *selects* which statements are meant (``role:
provision``, ``value: ltd``).

- ``context: {foreign: true}``: the platform must be foreign. For a domestic
  platform the rule cannot apply (the 31-2 domestic-agent and 38(4) rules).
- An ``exists`` that tests (a top-level rule such as "a transfer with no legal
  basis"), or any ``exists`` inside ``all`` (a premise such as "items are
  listed" before "required and optional are not told apart"), needs the
  policy to make a statement of that kind, as selected: a policy that
  describes no overseas transfer has no ``transfer`` fact, so none of the 28-8
  text rules can apply; one that names recipients of outsourcing only cannot
  name recipients of provision by category; one with no domestic agent cannot
  have incomplete agent details (whether one is required is its own rule).
- A top-level ``exists`` that only selects names a defect itself (deemed
  consent, vague wording, an unfair term of a category, a flow the policy
  denies): its absence is compliance, so such a rule always applies.
- Facts that come from evidence other than the text (``flow`` facts come from a
  recorded session, ``privwatch audit --traffic``) make a rule not applicable
  when that evidence was not examined with the version: traffic-only rules
  without traffic.
- ``all`` cannot hold if one part cannot; ``any`` only if none can; ``not`` and
  ``missing`` never make a rule inapplicable (except for unexamined evidence).

Each not-applicable cell carries its reason (the context it needs, the kind of
statement the policy lacks, or the evidence not examined), so a reader can
disagree with it. Whether a foreign business really meets the 31-2 thresholds,
or whether a policy that describes no transfer really makes none, stays a
person's question (or traffic's).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from privwatch import rules
from privwatch.i18n import LANGUAGES, message
from privwatch.models import Evidence, Fact
from privwatch.rules.conditions import Context, Query, Scalar, Test, Walker, walk
from privwatch.rules.schema import Pack, Rule
from privwatch.rules.words import finding_words
from privwatch.store.records import AuditRecord

STATUSES = ("met", "unmet", "review", "not_applicable", "unknown")

#: fact kinds read from evidence other than the policy's text, and that evidence
EXAMINED_BY = {"flow": "traffic"}

_PLACEHOLDER = re.compile(r"\s*[:：]?\s*\{[a-z_]+\}")


@dataclass(frozen=True)
class Reason:
    """Why a requirement is not applicable or unknown, or a note on a platform:
    a message key under ``scorecard.reason.`` / ``scorecard.note.`` and its
    values."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str) -> str:
        params = dict(self.params)
        if self.code == "context":
            return _context_text(params, lang)
        if self.code == "no_subject":
            params["fact"] = fact_name(params.get("fact", ""), lang)
        if self.code == "not_examined":
            params["source"] = message(
                f"scorecard.source.{params.get('source', 'traffic')}", lang
            )
        return message(f"scorecard.reason.{self.code}", lang, **params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "params": dict(self.params),
            **{lang: self.text(lang) for lang in LANGUAGES},
        }


def _context_text(params: Mapping[str, str], lang: str) -> str:
    key, wanted = params.get("key", ""), params.get("wanted", "")
    if key == "foreign":
        return message(f"scorecard.reason.context_foreign_{wanted}", lang)
    return message("scorecard.reason.context", lang, attribute=key, wanted=wanted)


def fact_name(kind: str, lang: str) -> str:
    """A fact kind, with the words that select among its facts
    (``recipient.provision``), as a reader names it; the kind alone when the
    selection has no name of its own."""
    for key in (kind, kind.split(".")[0]):
        try:
            return message(f"scorecard.fact.{key}", lang)
        except KeyError:
            continue
    return kind


def _is_test(wanted: Scalar | Test) -> bool:
    """A ``where`` value that tests a statement (true, false, or a choice of
    them) rather than selecting one (a word)."""
    if isinstance(wanted, Test):
        values = [
            *(wanted.choices or ()),
            *([wanted.exclude] if wanted.has_exclude else []),
        ]
        return bool(values) and all(isinstance(v, bool) for v in values)
    return isinstance(wanted, bool)


def _shown(wanted: Scalar | Test) -> str:
    """A selecting ``where`` value as the pack writes it."""
    return str(wanted.to_data() if isinstance(wanted, Test) else wanted)


class _CannotHold(Walker["Reason | None"]):
    """Why a condition cannot hold for this policy and platform, or None when
    it might (see the module's docstring)."""

    def __init__(
        self, facts: list[Fact], context: Mapping[str, bool], examined: frozenset[str]
    ) -> None:
        self.facts = facts
        self.known = context
        self.examined = examined

    def context(self, condition: Context) -> Reason | None:
        for key, wanted in condition.context:
            if bool(self.known.get(key, False)) != bool(wanted):
                return Reason(
                    "context",
                    (("key", str(key)), ("wanted", str(bool(wanted)).lower())),
                )
        return None

    def _unexamined(self, query: Query) -> Reason | None:
        source = EXAMINED_BY.get(query.fact)
        if source is not None and source not in self.examined:
            return Reason("not_examined", (("source", source),))
        return None

    def missing(self, query: Query, *, top: bool) -> Reason | None:
        return self._unexamined(query)

    def exists(self, query: Query, *, top: bool) -> Reason | None:
        unexamined = self._unexamined(query)
        if unexamined is not None:
            return unexamined
        tests = any(_is_test(wanted) for _, wanted in query.where)
        if top and not tests:
            return None  # a defect itself: its absence is compliance
        selectors = tuple((k, v) for k, v in query.where if not _is_test(v))
        if Query(fact=query.fact, where=selectors).select(self.facts):
            return None
        named = ".".join([query.fact, *(_shown(v) for _, v in selectors)])
        return Reason("no_subject", (("fact", named),))

    def negate(self, inner: Reason | None) -> Reason | None:
        return inner if inner is not None and inner.code == "not_examined" else None

    def all(self, parts: list[Reason | None]) -> Reason | None:
        return next((r for r in parts if r is not None), None)

    def any(self, parts: list[Reason | None]) -> Reason | None:
        return parts[0] if all(r is not None for r in parts) else None


def applicability(
    rule: Rule,
    facts: list[Fact],
    context: Mapping[str, bool],
    examined: frozenset[str] = frozenset(),
) -> Reason | None:
    """None when ``rule`` applies to this policy and platform, else why not."""
    return walk(rule.when, _CannotHold(facts, context, examined))


@dataclass(frozen=True)
class Unmet:
    """One finding of an unmet requirement: its title in each language and the
    quoted words (or observed requests) it rests on."""

    severity: str
    title: Mapping[str, str]
    evidence: tuple[Evidence, ...] = ()
    reason: Mapping[str, str] | None = None  # why it is a review item


@dataclass(frozen=True)
class Result:
    """A requirement for one platform: ``status`` is met, unmet, review (only
    review items were found: the text cannot settle it, a person must judge;
    never counted as unmet), not_applicable or unknown; ``reason`` says why for
    the last two."""

    rule: str
    status: str
    reason: Reason | None = None
    findings: tuple[Unmet, ...] = ()


def assess(
    pack: Pack,
    facts: list[Fact],
    context: Mapping[str, bool],
    examined: frozenset[str] = frozenset(),
) -> dict[str, Result]:
    """Each rule of ``pack`` over ``facts``: met, unmet (with its findings, in
    English and Korean) or not applicable (with the reason), by rule id."""
    findings = rules.evaluate(pack, facts, context=context)
    results: dict[str, Result] = {}
    for rule in pack.rules:
        found = [f for f in findings if f.rule == rule.id]
        if found:
            certain = [f for f in found if f.certainty != "review"]
            words = [
                {lang: finding_words(f, lang) for lang in LANGUAGES}
                for f in certain or found
            ]
            unmet = tuple(
                Unmet(
                    severity=f.severity,
                    title={lang: w[lang].title for lang in LANGUAGES},
                    evidence=f.evidence,
                    reason=None
                    if certain
                    else {lang: w[lang].reason or "" for lang in LANGUAGES},
                )
                for f, w in zip(certain or found, words, strict=True)
            )
            status = "unmet" if certain else "review"
            results[rule.id] = Result(rule.id, status, findings=unmet)
            continue
        reason = applicability(rule, facts, context, examined)
        status = "met" if reason is None else "not_applicable"
        results[rule.id] = Result(rule.id, status, reason)
    return results


def facts_from_audit(audit: Mapping[str, Any]) -> list[Fact]:
    """The facts kept in a stored audit (or an audit report), as Facts."""
    return list(AuditRecord.from_dict(audit).facts)


def examined_sources(audit: Mapping[str, Any]) -> frozenset[str]:
    """The evidence besides the text an audit examined (``traffic``)."""
    return AuditRecord.from_dict(audit).examined


def requirement_title(rule: Rule) -> dict[str, str]:
    """The rule's title without the ``{value}`` a finding fills in."""
    return {
        lang: _PLACEHOLDER.sub("", rule.title.pick(lang)).strip() or rule.id
        for lang in LANGUAGES
    }
