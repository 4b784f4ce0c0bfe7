"""A scorecard across platforms: which PIPA requirements each one meets, on one
standard, domestic and foreign side by side (``privwatch report compare``).

Requirements are the rules of the rule pack for the document kind (``kr-pipa``
for privacy policies, ``kr-terms`` for terms), grouped by article. For each
platform the latest stored version of that kind is scored: every rule is
**unmet** (it has a finding, whose quotes are shown), **met** (no finding), or
**not applicable**; a platform with no stored version (or no audit) is
**unknown** throughout.

One standard. The rules are evaluated again, here, over the facts stored with
the version's audit, with the pack as it is today and the platform's record in
the store (``foreign``) as context. Facts are what the text says; the rules are
what we ask of it. So a platform audited a year ago and one audited today are
measured with the same rules, and a platform whose ``foreign`` flag was set
after its versions were imported is measured as what it is. Where the stored
audit used another pack version or context, the card notes it; with the same
pack and context the findings are the stored audit's findings.

Not applicable is derived from each rule's condition (``rules/schema.py``),
never from a list of rule ids. A condition is read as a question of what it
needs before it could possibly hold. Inside an ``exists``, a ``where`` entry
compared with true or false *tests* a statement (``named: false``, ``basis:
false``); an entry compared with a word *selects* which statements are meant
(``role: provision``, ``value: ltd``).

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

Each platform's latest stored evaluation (``privwatch report evaluate --save``)
is shown with its area scores. For privacy policies, each item of PIPC's
「개인정보 처리방침 작성지침」 is shown too, read from the same results
(``report/guideline.py``).

Exports: JSON (``privwatch.scorecard/1``, documented in the README), CSV (one
row per platform and requirement) and one self-contained HTML page.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html import escape
from typing import Any

from privwatch import __version__, rules
from privwatch.i18n import LANGUAGES, message
from privwatch.models import Evidence, Fact
from privwatch.report import guideline as pipc
from privwatch.report.table import article_label
from privwatch.rules.conditions import to_data
from privwatch.rules.engine import select_facts
from privwatch.rules.schema import Pack, Rule
from privwatch.store import Platform, Store, Version

SCHEMA = "privwatch.scorecard/1"
STATUSES = ("met", "unmet", "review", "not_applicable", "unknown")

#: fact kinds read from evidence other than the policy's text, and that evidence
EXAMINED_BY = {"flow": "traffic"}

_PLACEHOLDER = re.compile(r"\s*[:：]?\s*\{[a-z_]+\}")


def pack_for(kind: str) -> str:
    """The built-in pack a watched document of ``kind`` is audited with."""
    return "kr-terms" if kind == "terms" else "kr-pipa"


# --- one rule, one policy: met, unmet or not applicable ----------------------


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


def _is_test(wanted: Any) -> bool:
    """A ``where`` value that tests a statement (true, false, or a choice of
    them) rather than selecting one (a word)."""
    if isinstance(wanted, dict):
        values = [
            v
            for choice in wanted.values()
            for v in (choice if isinstance(choice, list) else [choice])
        ]
        return bool(values) and all(isinstance(v, bool) for v in values)
    return isinstance(wanted, bool)


def _cannot_hold(
    condition: Mapping[str, Any],
    facts: list[Fact],
    context: Mapping[str, bool],
    examined: frozenset[str],
    *,
    top: bool,
) -> Reason | None:
    """Why ``condition`` cannot hold for this policy and platform, or None when
    it might (see the module's docstring)."""
    ((operator, argument),) = condition.items()
    if operator == "context":
        for key, wanted in argument.items():
            if bool(context.get(key, False)) != bool(wanted):
                return Reason(
                    "context",
                    (("key", str(key)), ("wanted", str(bool(wanted)).lower())),
                )
        return None
    if operator in ("exists", "missing"):
        kind = argument["fact"]
        source = EXAMINED_BY.get(kind)
        if source is not None and source not in examined:
            return Reason("not_examined", (("source", source),))
        if operator == "missing":
            return None
        where = argument.get("where") or {}
        tests = any(_is_test(v) for v in where.values())
        if top and not tests:
            return None  # a defect itself: its absence is compliance
        selectors = {k: v for k, v in where.items() if not _is_test(v)}
        if select_facts(facts, {"fact": kind, "where": selectors}):
            return None
        named = ".".join([kind, *(str(v) for v in selectors.values())])
        return Reason("no_subject", (("fact", named),))
    if operator == "not":
        inner = _cannot_hold(argument, facts, context, examined, top=False)
        return inner if inner is not None and inner.code == "not_examined" else None
    reasons = [
        _cannot_hold(part, facts, context, examined, top=False) for part in argument
    ]
    if operator == "all":
        return next((r for r in reasons if r is not None), None)
    return reasons[0] if all(r is not None for r in reasons) else None


def applicability(
    rule: Rule,
    facts: list[Fact],
    context: Mapping[str, bool],
    examined: frozenset[str] = frozenset(),
) -> Reason | None:
    """None when ``rule`` applies to this policy and platform, else why not."""
    return _cannot_hold(to_data(rule.when), facts, context, examined, top=True)


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
    per_language = {
        lang: rules.evaluate(pack, facts, context=context, lang=lang)
        for lang in LANGUAGES
    }
    results: dict[str, Result] = {}
    for rule in pack.rules:
        found = {
            lang: [f for f in findings if f.rule == rule.id]
            for lang, findings in per_language.items()
        }
        if found["en"]:
            certain = [
                index
                for index, first in enumerate(found["en"])
                if first.certainty != "review"
            ]
            kept = certain or range(len(found["en"]))
            unmet = tuple(
                Unmet(
                    severity=found["en"][index].severity,
                    title={lang: found[lang][index].title for lang in LANGUAGES},
                    evidence=found["en"][index].evidence,
                    reason=None
                    if certain
                    else {lang: found[lang][index].reason or "" for lang in LANGUAGES},
                )
                for index in kept
            )
            status = "unmet" if certain else "review"
            results[rule.id] = Result(rule.id, status, findings=unmet)
            continue
        reason = applicability(rule, facts, context, examined)
        status = "met" if reason is None else "not_applicable"
        results[rule.id] = Result(rule.id, status, reason)
    return results


def facts_from_audit(audit: Mapping[str, Any]) -> list[Fact]:
    """The facts kept in an audit's JSON (``privwatch.audit/1``), as Facts."""
    facts = []
    for item in (audit.get("facts") or {}).get("all", []):
        evidence = tuple(_evidence(e) for e in item.get("evidence", []))
        facts.append(
            Fact(
                kind=item["kind"],
                value=item.get("value"),
                attrs=tuple((item.get("attrs") or {}).items()),
                evidence=evidence,
            )
        )
    return facts


def _evidence(data: Mapping[str, Any]) -> Evidence:
    if data.get("entry_index") is not None:
        return Evidence(-1, -1, "", None, int(data["entry_index"]), data.get("host"))
    return Evidence(
        int(data["start"]), int(data["end"]), str(data["text"]), data.get("clause")
    )


def examined_sources(audit: Mapping[str, Any]) -> frozenset[str]:
    """The evidence besides the text an audit examined: ``traffic`` when it was
    run with a recorded session (its JSON then has consistency records or flow
    facts)."""
    facts = (audit.get("facts") or {}).get("all", [])
    traffic = bool(audit.get("consistency")) or any(
        f.get("kind") == "flow" for f in facts
    )
    return frozenset({"traffic"}) if traffic else frozenset()


# --- the scorecard --------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """A rule of the pack, as a row of the scorecard."""

    rule: str
    law: str
    article: str
    severity: str
    title: Mapping[str, str]

    @property
    def group(self) -> str:
        """The article without its paragraph: ``28-8(2)`` -> ``28-8``."""
        return self.article.split("(")[0]

    def sort_key(self) -> tuple[str, int, int, tuple[int, ...]]:
        """Statute order: law, article, sub-article, then paragraphs."""
        number, _, sub = self.group.partition("-")
        paragraphs = tuple(int(p) for p in re.findall(r"\((\d+)\)", self.article))
        return self.law, int(number), int(sub or 0), paragraphs


@dataclass(frozen=True)
class EvaluationSummary:
    """A platform's latest stored evaluation (``privwatch.evaluation/1``)."""

    evaluated_at: datetime
    source: str
    score: float | None
    areas: Mapping[str, float | None]
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class PlatformCard:
    """One platform's column: its latest version of the kind and each result."""

    name: str
    country: str | None
    foreign: bool
    category: str | None
    results: tuple[Result, ...]
    url: str | None = None
    version: int | None = None
    fetched_at: datetime | None = None
    text_sha256: str | None = None
    audit_packs: tuple[tuple[str, str], ...] = ()
    evaluation: EvaluationSummary | None = None
    notes: tuple[Reason, ...] = ()
    # whom the version's text addresses (korea, general, other) and where
    audience: str | None = None
    audience_where: str | None = None
    # each item of PIPC's guideline (privacy policies only), in the file's order
    items: tuple[pipc.ItemResult, ...] = ()

    def counts(self) -> dict[str, int]:
        return {s: sum(r.status == s for r in self.results) for s in STATUSES}

    def met_share(self) -> float | None:
        """Met among applicable requirements, or None when none was assessed."""
        counts = self.counts()
        assessed = counts["met"] + counts["unmet"]
        return counts["met"] / assessed if assessed else None


@dataclass(frozen=True)
class Scorecard:
    kind: str
    pack: tuple[str, str]
    requirements: tuple[Requirement, ...]
    platforms: tuple[PlatformCard, ...]
    generated_at: datetime
    guideline: pipc.Guideline | None = None

    def articles(self) -> Iterator[tuple[str, str, list[int]]]:
        """``(law, article, indices of its requirements)`` in statute order."""
        order = sorted(
            range(len(self.requirements)),
            key=lambda i: (self.requirements[i].sort_key(), i),
        )
        groups: dict[tuple[str, str], list[int]] = {}
        for index in order:
            requirement = self.requirements[index]
            groups.setdefault((requirement.law, requirement.group), []).append(index)
        for (law, article), indices in groups.items():
            yield law, article, indices

    @property
    def domestic(self) -> list[PlatformCard]:
        return [p for p in self.platforms if not p.foreign]

    @property
    def foreign(self) -> list[PlatformCard]:
        return [p for p in self.platforms if p.foreign]


def requirement_title(rule: Rule) -> dict[str, str]:
    """The rule's title without the ``{value}`` a finding fills in."""
    return {
        lang: _PLACEHOLDER.sub("", rule.title.pick(lang)).strip() or rule.id
        for lang in LANGUAGES
    }


def build_scorecard(store: Store, *, kind: str = "privacy") -> Scorecard:
    """Score every platform of ``store`` on the latest stored version of its
    ``kind`` document against the pack for that kind (see the module docstring)."""
    from privwatch.store.evaluations import latest_evaluations

    pack = rules.load_pack(pack_for(kind))
    guideline = (
        pipc.load_guideline(pack) if pack.pack == pipc.read_guideline().pack else None
    )
    requirements = tuple(
        Requirement(r.id, r.law, r.article, r.severity, requirement_title(r))
        for r in pack.rules
    )
    latest = _latest_versions(store, kind)
    evaluations = latest_evaluations(store)
    cards = []
    for platform in store.platforms():
        found = latest.get(platform.id)
        summary = evaluations.get(platform.id)
        card = _card(
            pack, platform, found, None if summary is None else _summary(summary)
        )
        if guideline is not None:
            by_rule = {result.rule: result for result in card.results}
            card = replace(card, items=pipc.assess_items(guideline, by_rule))
        cards.append(card)
    cards.sort(key=lambda c: (c.foreign, c.name))
    return Scorecard(
        kind=kind,
        pack=(pack.pack, pack.version),
        requirements=requirements,
        platforms=tuple(cards),
        generated_at=datetime.now(UTC).replace(microsecond=0, tzinfo=None),
        guideline=guideline,
    )


def _latest_versions(store: Store, kind: str) -> dict[int, tuple[str, Version]]:
    """Each platform's latest version (by fetch time) among its ``kind``
    documents, with the document's URL."""
    latest: dict[int, tuple[str, Version]] = {}
    for document in store.documents():
        if document.kind != kind:
            continue
        version = store.latest(document.id)
        if version is None:
            continue
        known = latest.get(document.platform_id)
        if known is None or (version.fetched_at, version.id) > (
            known[1].fetched_at,
            known[1].id,
        ):
            latest[document.platform_id] = (document.url, version)
    return latest


def _card(
    pack: Pack,
    platform: Platform,
    found: tuple[str, Version] | None,
    evaluation: EvaluationSummary | None,
) -> PlatformCard:
    card = PlatformCard(
        name=platform.name,
        country=platform.country,
        foreign=platform.foreign,
        category=platform.category,
        results=tuple(
            Result(r.id, "unknown", Reason("no_version")) for r in pack.rules
        ),
        evaluation=evaluation,
    )
    if found is None:
        return card
    url, version = found
    card = replace(
        card,
        url=url,
        version=version.number,
        fetched_at=version.fetched_at,
        text_sha256=version.text_sha256,
    )
    audit = version.audit_json
    if not audit:
        unknown = Reason("no_audit")
        return replace(
            card, results=tuple(Result(r.id, "unknown", unknown) for r in pack.rules)
        )
    scope = (audit.get("document") or {}).get("scope") or {}
    card = replace(
        card, audience=scope.get("audience"), audience_where=scope.get("where")
    )
    stored_context = audit.get("context") or {}
    context = {
        "foreign": bool(platform.foreign),
        # audits stored before scope was read were all taken as Korea-facing
        "korea_facing": bool(stored_context.get("korea_facing", True)),
        "agent_required": bool(stored_context.get("agent_required", False)),
    }
    assessed = assess(pack, facts_from_audit(audit), context, examined_sources(audit))
    audit_packs = tuple(
        (str(p.get("pack")), str(p.get("version"))) for p in audit.get("packs", [])
    )
    notes = []
    stored = dict(audit_packs).get(pack.pack)
    if stored is not None and stored != pack.version:
        notes.append(
            Reason("pack_changed", (("stored", stored), ("current", pack.version)))
        )
    stored_foreign = (audit.get("context") or {}).get("foreign")
    if stored_foreign is not None and bool(stored_foreign) != platform.foreign:
        notes.append(Reason("context_changed"))
    return replace(
        card,
        results=tuple(assessed[r.id] for r in pack.rules),
        audit_packs=audit_packs,
        notes=tuple(notes),
    )


def _summary(row: Any) -> EvaluationSummary:
    result: Mapping[str, Any] = row.result or {}
    areas: dict[str, float | None] = {}
    names: dict[str, Mapping[str, str]] = {}
    for area in result.get("areas", []):
        if isinstance(area, Mapping) and "area" in area:
            areas[str(area["area"])] = _number(area.get("score"))
            if isinstance(area.get("name"), Mapping):
                names[str(area["area"])] = area["name"]
    return EvaluationSummary(
        evaluated_at=row.evaluated_at,
        source=row.source,
        score=_number(result.get("score")),
        areas=areas,
        names=names,
    )


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


# --- JSON ------------------------------------------------------------------------


def _evidence_dict(evidence: Evidence) -> dict[str, Any]:
    if evidence.entry_index is not None:
        return {"entry_index": evidence.entry_index, "host": evidence.host}
    return {
        "start": evidence.start,
        "end": evidence.end,
        "text": evidence.text,
        "clause": evidence.clause,
    }


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def scorecard_to_dict(card: Scorecard) -> dict[str, Any]:
    """The ``privwatch.scorecard/1`` object (documented in the README)."""
    requirements = card.requirements
    return {
        "schema": SCHEMA,
        "privwatch": __version__,
        "generated_at": _time(card.generated_at),
        "kind": card.kind,
        "pack": {"pack": card.pack[0], "version": card.pack[1]},
        "articles": [
            {
                "law": law,
                "article": article,
                "title": {lang: article_label(article, lang) for lang in LANGUAGES},
                "requirements": [
                    {
                        "rule": requirements[i].rule,
                        "article": requirements[i].article,
                        "severity": requirements[i].severity,
                        "title": dict(requirements[i].title),
                    }
                    for i in indices
                ],
            }
            for law, article, indices in card.articles()
        ],
        "platforms": [_platform_dict(p, card.guideline) for p in card.platforms],
        "guideline": None
        if card.guideline is None
        else pipc.guideline_to_dict(card.guideline),
    }


def _platform_dict(
    platform: PlatformCard, guideline: pipc.Guideline | None
) -> dict[str, Any]:
    evaluation = platform.evaluation
    return {
        "name": platform.name,
        "country": platform.country,
        "foreign": platform.foreign,
        "category": platform.category,
        "document": None
        if platform.version is None
        else {
            "url": platform.url,
            "version": platform.version,
            "audience": platform.audience,
            "audience_where": platform.audience_where,
            "fetched_at": _time(platform.fetched_at),
            "text_sha256": platform.text_sha256,
            "audit_packs": [
                {"pack": name, "version": version}
                for name, version in platform.audit_packs
            ],
        },
        "counts": platform.counts(),
        "met_share": platform.met_share(),
        "evaluation": None
        if evaluation is None
        else {
            "evaluated_at": _time(evaluation.evaluated_at),
            "source": evaluation.source,
            "score": evaluation.score,
            "areas": dict(evaluation.areas),
        },
        "notes": [note.to_dict() for note in platform.notes],
        "results": [
            {
                "rule": result.rule,
                "status": result.status,
                "reason": None if result.reason is None else result.reason.to_dict(),
                "findings": [
                    {
                        "severity": finding.severity,
                        "title": dict(finding.title),
                        "evidence": [_evidence_dict(e) for e in finding.evidence],
                        "reason": None
                        if finding.reason is None
                        else dict(finding.reason),
                    }
                    for finding in result.findings
                ],
            }
            for result in platform.results
        ],
        "guideline": None
        if guideline is None
        else {
            "counts": pipc.counts(platform.items),
            "items": [pipc.item_result_to_dict(i) for i in platform.items],
        },
    }


def render_scorecard_json(card: Scorecard) -> str:
    return json.dumps(scorecard_to_dict(card), ensure_ascii=False, indent=2)


# --- CSV -------------------------------------------------------------------------

CSV_COLUMNS = (
    "platform",
    "country",
    "foreign",
    "category",
    "kind",
    "version",
    "audience",
    "fetched_at",
    "law",
    "article",
    "rule",
    "severity",
    "requirement",
    "requirement_ko",
    "status",
    "reason",
    "findings",
    "quote",
    "quote_start",
    "quote_end",
)


_FORMULA = re.compile(r"^(?:[=+@\t\r]|-(?=\S))")


def _cell_text(value: str) -> str:
    """A text a spreadsheet would run as a formula (``=``, ``+``, ``@``, ``-1``)
    starts with an apostrophe; any other text is written as it is."""
    return f"'{value}" if _FORMULA.match(value) else value


def render_scorecard_csv(card: Scorecard) -> str:
    """One row per platform and requirement (RFC 4180, UTF-8): the first quoted
    words of an unmet requirement (``quote_start``/``quote_end`` locate them in
    the version's text), the English reason of a not applicable one. Texts
    from policies or the store that a spreadsheet would run as a formula start
    with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    order = [i for _, _, indices in card.articles() for i in indices]
    for platform in card.platforms:
        for index in order:
            requirement = card.requirements[index]
            result = platform.results[index]
            quoted = next(
                (
                    e
                    for f in result.findings
                    for e in f.evidence
                    if e.entry_index is None
                ),
                None,
            )
            writer.writerow(
                (
                    *_platform_cells(card, platform),
                    requirement.law,
                    requirement.article,
                    requirement.rule,
                    requirement.severity,
                    requirement.title["en"],
                    requirement.title["ko"],
                    result.status,
                    result.reason.text("en") if result.reason else "",
                    len(result.findings),
                    _cell_text(quoted.text) if quoted else "",
                    quoted.start if quoted else "",
                    quoted.end if quoted else "",
                )
            )
        writer.writerows(_item_rows(card, platform))
    return buffer.getvalue()


def _platform_cells(card: Scorecard, platform: PlatformCard) -> tuple[Any, ...]:
    """The columns that say whose row it is, at the start of every CSV row."""
    return (
        _cell_text(platform.name),
        platform.country or "",
        "yes" if platform.foreign else "no",
        _cell_text(platform.category or ""),
        card.kind,
        platform.version or "",
        ":".join(x for x in (platform.audience, platform.audience_where) if x),
        _time(platform.fetched_at) or "",
    )


def _item_rows(card: Scorecard, platform: PlatformCard) -> Iterator[tuple[Any, ...]]:
    """One row per guideline item: law ``PIPC``, article the item's group, rule
    ``pipc-2025.<item>``, severity its level, findings its unmet rules."""
    if card.guideline is None:
        return
    items = {item.id: item for item in card.guideline.items}
    for result in platform.items:
        item = items[result.item]
        unmet = sum(status == "unmet" for _, status in result.rules)
        yield (
            *_platform_cells(card, platform),
            "PIPC",
            item.group,
            f"{card.guideline.guideline}.{item.id}",
            card.guideline.group(item.group).level,
            item.name.en,
            item.name.ko,
            result.status,
            result.reason["en"] if result.reason else "",
            unmet,
            "",
            "",
            "",
        )


# --- HTML ------------------------------------------------------------------------

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
    "form-action 'none'; base-uri 'none'"
)

CSS = """
body{font:14px/1.5 system-ui,"Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic",sans-serif;color:#1d2433;margin:0}
main{max-width:90rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.45rem;margin:.4rem 0}h2{font-size:1.15rem;margin:2rem 0 .6rem;border-bottom:2px solid #1f3a5f;color:#1f3a5f}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
.meta,.muted{color:#5b6475;font-size:.85rem}
.warn{color:#8a4b00;font-size:.8rem;font-weight:600}
.legend span{margin-right:1.2rem}
.wide{overflow-x:auto}
table.card{border-collapse:collapse;font-size:.85rem}
table.card th,table.card td{border:1px solid #d9dee7;padding:.3rem .45rem;vertical-align:top}
table.card thead th{background:#f5f7fa;text-align:center}
table.card th.req{text-align:left;font-weight:400;min-width:18rem;max-width:28rem}
table.card tr.art th{background:#eef2f8;text-align:left;font-weight:700}
table.card td.s{text-align:center;white-space:nowrap;min-width:4.5rem}
td.met{background:#e8f5ee;color:#1e7a46}td.unmet{background:#fdecea;color:#b42318;font-weight:700}
td.not_applicable{background:#f5f7fa;color:#8a93a3}td.unknown{background:#fff;color:#8a93a3}
td.unmet a{color:#b42318}td.review{background:#fef4e6;color:#a15c07}td.review a{color:#a15c07}
.sev{font-size:.7rem;text-transform:uppercase;font-weight:700;margin-left:.3rem}
.sev.high{color:#b42318}.sev.medium{color:#a15c07}.sev.low{color:#175cd3}
.rule{color:#8a93a3;font-size:.75rem;font-family:ui-monospace,monospace}
th.dom{background:#e8f5ee!important}th.for{background:#eaf2ff!important}
.item{border-left:4px solid #b42318;padding:.3rem .8rem;margin:.7rem 0}
.item:target{box-shadow:0 0 0 3px #93c5fd}
blockquote{margin:.3rem 0;padding:.35rem .6rem;background:#f5f7fa;white-space:pre-wrap}
.off{color:#8a93a3;font-size:.75rem;font-family:ui-monospace,monospace}
"""

_SYMBOL = {
    "met": "✓",
    "unmet": "✗",
    "review": "!",
    "not_applicable": "–",
    "unknown": "?",
}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _date(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d")


def _anchor(platform_index: int, requirement_index: int) -> str:
    return f"u{platform_index}-{requirement_index}"


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def render_scorecard_html(card: Scorecard, *, lang: str) -> str:
    """One self-contained page (no script, no fetch; every text escaped): the
    requirements by article down the side, domestic and foreign platforms across,
    then the quoted words behind every unmet requirement."""
    groups = [
        (g, ps)
        for g, ps in (("domestic", card.domestic), ("foreign", card.foreign))
        if ps
    ]
    columns = [p for _, ps in groups for p in ps]
    index_of = {id(p): i for i, p in enumerate(card.platforms)}
    title = _title(card.kind, lang)
    parts = [
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{_e(title)}</h1>",
        "<p class=meta>"
        + _e(
            message(
                "scorecard.meta",
                lang,
                pack=card.pack[0],
                version=card.pack[1],
                generated=card.generated_at.isoformat(),
                privwatch=__version__,
                platforms=len(card.platforms),
            )
        )
        + "</p>",
        "<p class='legend meta'>"
        + "".join(
            f"<span>{_SYMBOL[s]} {_e(message(f'scorecard.status.{s}', lang))}</span>"
            for s in STATUSES
        )
        + "</p>",
        f"<p class=meta>{_e(message('scorecard.explain', lang))}</p>",
        "<div class=wide><table class=card><thead>",
    ]
    # header: group, names, version, evaluation, counts
    label = _e(message("scorecard.requirement", lang))
    parts.append(
        f"<tr><th class=req rowspan=5>{label}</th>"
        + "".join(
            f"<th colspan={len(ps)} class={'dom' if g == 'domestic' else 'for'}>"
            f"{_e(message(f'scorecard.group.{g}', lang))} ({len(ps)})</th>"
            for g, ps in groups
        )
        + "</tr>"
    )
    parts.append(
        "<tr>"
        + "".join(
            f"<th>{_e(p.name)}<br><span class=muted>{_e(p.country or '')}"
            f"{' · ' + _e(p.category) if p.category else ''}</span>"
            + (
                "<br><span class=warn>"
                + _e(
                    message(
                        "scorecard.audience_other", lang, where=p.audience_where or "?"
                    )
                )
                + "</span>"
                if p.audience == "other"
                else ""
            )
            + "</th>"
            for p in columns
        )
        + "</tr>"
    )
    parts.append(
        "<tr>"
        + "".join(
            "<td class=s>"
            + (
                _e(
                    message(
                        "scorecard.version",
                        lang,
                        number=p.version,
                        date=_date(p.fetched_at),
                    )
                )
                if p.version is not None
                else _e(message("scorecard.no_version", lang))
            )
            + "</td>"
            for p in columns
        )
        + "</tr>"
    )
    parts.append("<tr>" + "".join(_evaluation_cell(p, lang) for p in columns) + "</tr>")
    parts.append(
        "<tr>"
        + "".join(
            "<td class=s>"
            + _e(
                message(
                    "scorecard.counts",
                    lang,
                    share="–"
                    if p.met_share() is None
                    else f"{100 * (p.met_share() or 0):.0f}%",
                    **p.counts(),
                )
            )
            + "</td>"
            for p in columns
        )
        + "</tr></thead><tbody>"
    )
    for law, article, indices in card.articles():
        heading = f"{message(f'law.{law}', lang)} {article_label(article, lang)}"
        parts.append(
            f"<tr class=art><th colspan={len(columns) + 1}>{_e(heading)}</th></tr>"
        )
        for index in indices:
            requirement = card.requirements[index]
            row = [
                f"<tr><th class=req>{_e(article_label(requirement.article, lang))} · "
                f"{_e(requirement.title[lang])}"
                f"<span class='sev {_e(requirement.severity)}'>"
                f"{_e(message(f'scorecard.severity.{requirement.severity}', lang))}</span>"
                f"<br><span class=rule>{_e(requirement.rule)}</span></th>"
            ]
            for platform in columns:
                row.append(_cell(platform, index_of[id(platform)], index, lang))
            parts.append("".join(row) + "</tr>")
    parts.append("</tbody></table></div>")
    if card.guideline is not None:
        parts.append(_guideline_html(card, card.guideline, columns, lang))
    parts.append(_details(card, lang))
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def _guideline_html(
    card: Scorecard, guideline: pipc.Guideline, columns: list[PlatformCard], lang: str
) -> str:
    """The guideline's items per platform; an unmet item (or one with only
    review items) links to its first such rule's quotes below."""
    index_of = {id(p): i for i, p in enumerate(card.platforms)}
    rule_index = {r.rule: i for i, r in enumerate(card.requirements)}

    def link(column: int, result: pipc.ItemResult) -> str | None:
        for rule, status in result.rules:
            if status in ("unmet", "review"):
                return _anchor(index_of[id(columns[column])], rule_index[rule])
        return None

    table = [(p.name, p.items) for p in columns]
    return pipc.html_table(guideline, table, lang, link=link)


def _title(kind: str, lang: str) -> str:
    known = kind if kind in ("privacy", "terms", "trackers") else "privacy"
    return message(f"scorecard.title.{known}", lang)


def _evaluation_cell(platform: PlatformCard, lang: str) -> str:
    evaluation = platform.evaluation
    if evaluation is None:
        return (
            f"<td class='s muted'>{_e(message('scorecard.no_evaluation', lang))}</td>"
        )
    areas = "<br>".join(
        f"{_e(evaluation.names.get(area, {}).get(lang) or area)} {_e(_score(score))}"
        for area, score in evaluation.areas.items()
    )
    return (
        f"<td class=s title='{_e(evaluation.source)}'>"
        f"{_e(message('scorecard.evaluation', lang, score=_score(evaluation.score), date=_date(evaluation.evaluated_at)))}"
        f"<br><span class=muted>{areas}</span></td>"
    )


def _cell(platform: PlatformCard, p_index: int, r_index: int, lang: str) -> str:
    result = platform.results[r_index]
    symbol = _SYMBOL[result.status]
    name = message(f"scorecard.status.{result.status}", lang)
    if result.status in ("unmet", "review"):
        tip = "; ".join(f.title[lang] for f in result.findings)
        count = f" {len(result.findings)}" if len(result.findings) > 1 else ""
        return (
            f"<td class='s {result.status}'><a href='#{_anchor(p_index, r_index)}' title='{_e(tip)}'>"
            f"{symbol}{count}</a></td>"
        )
    tip = result.reason.text(lang) if result.reason else name
    return f"<td class='s {result.status}' title='{_e(tip)}'>{symbol}</td>"


def _details(card: Scorecard, lang: str) -> str:
    """Per platform: notes, then each unmet requirement with its quotes."""
    parts = [f"<h2>{_e(message('scorecard.evidence', lang))}</h2>"]
    order = [i for _, _, indices in card.articles() for i in indices]
    for p_index, platform in enumerate(card.platforms):
        unmet = [i for i in order if platform.results[i].status in ("unmet", "review")]
        parts.append(f"<h3>{_e(platform.name)}</h3>")
        if platform.url:
            parts.append(
                f"<p class=meta>{_e(platform.url)} · v{_e(platform.version)} · "
                f"{_e(_time(platform.fetched_at) or '')} · sha256 {_e(platform.text_sha256 or '')}</p>"
            )
        for note in platform.notes:
            parts.append(f"<p class=meta>{_e(note.text(lang))}</p>")
        if not unmet:
            parts.append(
                f"<p class=muted>{_e(message('scorecard.none_unmet', lang))}</p>"
            )
        for r_index in unmet:
            requirement = card.requirements[r_index]
            result = platform.results[r_index]
            parts.append(
                f"<div class=item id='{_anchor(p_index, r_index)}'>"
                f"<strong>{_e(article_label(requirement.article, lang))} · "
                f"{_e(requirement.title[lang])}</strong> <span class=rule>{_e(requirement.rule)}</span>"
            )
            for finding in result.findings:
                parts.append(
                    f"<p>{_e(finding.title[lang])}"
                    f"<span class='sev {_e(finding.severity)}'>"
                    f"{_e(message(f'scorecard.severity.{finding.severity}', lang))}</span></p>"
                )
                if finding.reason is not None:
                    why = message(
                        "audit.review_reason", lang, reason=finding.reason[lang]
                    )
                    parts.append(f"<p class=muted><em>{_e(why)}</em></p>")
                quotes = [e for e in finding.evidence if e.entry_index is None]
                requests = [e for e in finding.evidence if e.entry_index is not None]
                for evidence in quotes:
                    parts.append(
                        f"<blockquote>{_e(evidence.text)} "
                        f"<span class=off>[{evidence.start}:{evidence.end}]</span></blockquote>"
                    )
                for evidence in requests:
                    parts.append(
                        f"<p class=meta>{_e(message('audit.request', lang, index=evidence.entry_index, host=evidence.host))}</p>"
                    )
                if not finding.evidence:
                    parts.append(
                        f"<p class=muted>{_e(message('scorecard.nothing_to_quote', lang))}</p>"
                    )
            parts.append("</div>")
    return "\n".join(parts)


# --- terminal ----------------------------------------------------------------------


def render_scorecard_table(card: Scorecard, console: Any, *, lang: str) -> None:
    """The matrix in a terminal (rich): requirements down, platforms across."""
    from rich.table import Table

    columns = [*card.domestic, *card.foreign]
    table = Table(show_lines=False, title=_title(card.kind, lang))
    table.add_column(message("scorecard.requirement", lang), overflow="fold")
    for platform in columns:
        group = message(
            f"scorecard.group.{'foreign' if platform.foreign else 'domestic'}", lang
        )
        when = (
            message(
                "scorecard.version",
                lang,
                number=platform.version,
                date=_date(platform.fetched_at),
            )
            if platform.version is not None
            else message("scorecard.no_version", lang)
        )
        table.add_column(
            _rich_escape(f"{platform.name}\n{group}\n{when}"), justify="center"
        )
    style = {
        "met": "green",
        "unmet": "bold red",
        "review": "yellow",
        "not_applicable": "dim",
        "unknown": "dim",
    }
    for law, article, indices in card.articles():
        table.add_row(
            f"[bold]{message(f'law.{law}', lang)} {article_label(article, lang)}[/bold]",
            *["" for _ in columns],
        )
        for index in indices:
            requirement = card.requirements[index]
            cells = []
            for platform in columns:
                result = platform.results[index]
                cells.append(f"[{style[result.status]}]{_SYMBOL[result.status]}[/]")
            table.add_row(
                f"  {article_label(requirement.article, lang)} {_rich_escape(requirement.title[lang])}",
                *cells,
            )
    table.add_row(
        message("scorecard.met_share", lang),
        *[
            "–" if p.met_share() is None else f"{100 * (p.met_share() or 0):.0f}%"
            for p in columns
        ],
    )
    table.add_row(
        message("scorecard.evaluation_row", lang),
        *[_score(p.evaluation.score) if p.evaluation else "–" for p in columns],
    )
    console.print(table)
    console.print(
        "  ".join(
            f"{_SYMBOL[s]} {message(f'scorecard.status.{s}', lang)}" for s in STATUSES
        )
    )
    if card.guideline is not None:
        items = [(p.name, p.items) for p in columns]
        console.print(pipc.rich_table(card.guideline, items, lang))
        console.print(pipc.legend(lang))


def _rich_escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)
