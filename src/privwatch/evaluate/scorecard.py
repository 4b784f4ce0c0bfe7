"""A scorecard across platforms: which PIPA requirements each one meets, on one
standard, domestic and foreign side by side (``privwatch report compare``).
Built here from the store; rendered by ``report/scorecard/`` (JSON, CSV, HTML,
terminal).

Requirements are the rules of the rule pack for the document kind (``kr-pipa``
for privacy policies, ``kr-terms`` for terms), grouped by article. For each
platform the latest stored version of that kind is scored
(``evaluate/requirements.py``): every rule is
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

Each platform's latest stored evaluation (``privwatch report evaluate --save``)
is shown with its area scores. For privacy policies, each item of PIPC's
「개인정보 처리방침 작성지침」 is shown too, read from the same results
(``report/guideline.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from privwatch import rules
from privwatch.evaluate.requirements import (
    STATUSES,
    Reason,
    Result,
    assess,
    requirement_title,
)
from privwatch.rules import guideline as pipc
from privwatch.rules.schema import Pack
from privwatch.store import Platform, Store, Version
from privwatch.store.evaluations import latest_evaluations
from privwatch.store.products import Listed, listed_by_platform
from privwatch.store.records import EvaluationRecord, decode_audit
from privwatch.store.reevaluate import evaluation_context


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
    products: tuple[Listed, ...] = ()
    """Each (listing, hazard record) pair ``products watch`` ever matched."""

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


def build_scorecard(store: Store, *, kind: str = "privacy") -> Scorecard:
    """Score every platform of ``store`` on the latest stored version of its
    ``kind`` document against the pack for that kind (see the module docstring)."""
    pack = rules.load_pack(rules.pack_for(kind))
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
        products=tuple(listed_by_platform(store)),
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
    audit = decode_audit(version.audit_json)
    if audit is None:
        unknown = Reason("no_audit")
        return replace(
            card, results=tuple(Result(r.id, "unknown", unknown) for r in pack.rules)
        )
    card = replace(
        card,
        audience=audit.scope.audience if audit.scope else None,
        audience_where=audit.scope.where if audit.scope else None,
    )
    stored_context = dict(audit.context)
    # the one context the store's re-evaluation uses too (store/reevaluate.py)
    context = evaluation_context(audit, platform.foreign)
    assessed = assess(pack, list(audit.facts), context, audit.examined)
    audit_packs = audit.packs
    notes = []
    stored = dict(audit_packs).get(pack.pack)
    if stored is not None and stored != pack.version:
        notes.append(
            Reason("pack_changed", (("stored", stored), ("current", pack.version)))
        )
    stored_foreign = stored_context.get("foreign")
    if stored_foreign is not None and bool(stored_foreign) != platform.foreign:
        notes.append(Reason("context_changed"))
    return replace(
        card,
        results=tuple(assessed[r.id] for r in pack.rules),
        audit_packs=audit_packs,
        notes=tuple(notes),
    )


def _summary(row: Any) -> EvaluationSummary:
    stored = EvaluationRecord.from_dict(row.result or {})
    return EvaluationSummary(
        evaluated_at=row.evaluated_at,
        source=row.source,
        score=stored.score,
        areas={a.area: a.score for a in stored.areas},
        names={a.area: dict(a.name) for a in stored.areas if a.name},
    )
