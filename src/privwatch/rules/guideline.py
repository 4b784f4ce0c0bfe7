"""PIPC's 「개인정보 처리방침 작성지침」 as data (``guidelines/pipc-2025.yaml``):
its groups and items, each with the statute it rests on and the kr-pipa rules
that decide it. ``assess_items`` reads a policy's standing on each item from those rules'
results; ``report.guideline`` shows it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from privwatch.errors import InputError
from privwatch.i18n import LANGUAGES, message
from privwatch.rules.schema import Pack, Text
from privwatch.yamlfile import packaged

GUIDELINE = "pipc-2025"
Level = Literal["required", "required_when_applicable", "recommended"]
STATUSES = ("met", "unmet", "not_applicable", "needs_person", "unknown")


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    level: Level
    name: Text


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    group: str
    section: str
    """The item's heading as the guideline names it."""
    name: Text
    provision: str
    provision_ko: str | None = None
    """The provision as Korean statutes are cited (법 제30조제1항제1호)."""
    rules: tuple[str, ...]
    person: Text | None = None
    """Why a person must judge the item: given when no rule decides it."""
    outside: Text | None = None
    """What the text alone cannot settle, so its rules leave it to a person
    (review items) unless the policy says it."""
    note: Text | None = None

    def provision_in(self, lang: str) -> str:
        """The provision in ``lang``: the Korean citation under ``ko`` when
        the guideline file gives one."""
        return (self.provision_ko if lang == "ko" else None) or self.provision

    @model_validator(mode="after")
    def _person(self) -> Item:
        if not self.rules and self.person is None:
            raise ValueError(f"item {self.id}: no rules, so say why in `person`")
        if self.rules and self.person is not None:
            raise ValueError(f"item {self.id}: `person` is for items no rule decides")
        return self


class Guideline(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    guideline: str
    pack: str
    title: Text
    groups: tuple[Group, ...]
    items: tuple[Item, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Guideline:
        groups = [g.id for g in self.groups]
        if len(set(groups)) != len(groups):
            raise ValueError("a group is listed twice")
        ids = [i.id for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("an item id is listed twice")
        for item in self.items:
            if item.group not in groups:
                raise ValueError(f"item {item.id}: unknown group {item.group}")
        return self

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.id == group_id)

    def grouped(self) -> Iterator[tuple[Group, list[Item]]]:
        """Each group, in the file's order, with its items."""
        for group in self.groups:
            yield group, [i for i in self.items if i.group == group.id]

    def rule_ids(self) -> set[str]:
        return {rule for item in self.items for rule in item.rules}


def read_guideline() -> Guideline:
    """The guideline's items as the data file lists them (rules not checked)."""
    return packaged("privwatch.rules", f"guidelines/{GUIDELINE}.yaml", Guideline)


def load_guideline(pack: Pack) -> Guideline:
    """The guideline, each item's rules checked against ``pack``: a rule the pack
    lacks is an error."""
    guideline = read_guideline()
    known = {rule.id for rule in pack.rules}
    unknown = sorted(guideline.rule_ids() - known)
    if unknown:
        raise InputError(
            "guideline.invalid",
            source=f"guidelines/{GUIDELINE}.yaml",
            reason=f"rules not in {pack.pack}: {', '.join(unknown)}",
        )
    return guideline


# --- one item, one policy ------------------------------------------------------------


class RuleResult(Protocol):
    """A rule's result for one policy (``evaluate.requirements.Result``)."""

    @property
    def status(self) -> str: ...

    @property
    def reason(self) -> Any: ...


@dataclass(frozen=True)
class ItemResult:
    """An item for one policy: its status, each of its rules with its status,
    and why (in each language) for needs_person, not_applicable and unknown."""

    item: str
    status: str
    rules: tuple[tuple[str, str], ...] = ()
    reason: Mapping[str, str] | None = None


def _texts(key: str, **params: str) -> dict[str, str]:
    return {lang: message(key, lang, **params) for lang in LANGUAGES}


def _reasons(outcomes: list[RuleResult]) -> dict[str, str] | None:
    """The rules' own reasons, each once, joined."""
    texts: dict[str, dict[str, str]] = {}
    for outcome in outcomes:
        reason = outcome.reason
        if reason is not None:
            text = {lang: reason.text(lang) for lang in LANGUAGES}
            texts.setdefault(text["en"], text)
    if not texts:
        return None
    return {lang: "; ".join(t[lang] for t in texts.values()) for lang in LANGUAGES}


def item_status(item: Item, results: Mapping[str, RuleResult]) -> ItemResult:
    """Where a policy stands on ``item``, from its rules' ``results`` (by rule
    id; every rule of the item must be there)."""
    if not item.rules:
        reason = (
            item.person.model_dump()
            if item.person is not None
            else _texts("guideline.reason.no_rule")
        )
        return ItemResult(item.id, "needs_person", reason=reason)
    outcomes = [results[rule] for rule in item.rules]
    statuses = tuple((rule, results[rule].status) for rule in item.rules)
    found = {status for _, status in statuses}
    if "unmet" in found:
        return ItemResult(item.id, "unmet", statuses)
    if "unknown" in found:
        unknown = [o for o in outcomes if o.status == "unknown"]
        return ItemResult(item.id, "unknown", statuses, _reasons(unknown))
    if "review" in found:
        review = ", ".join(rule for rule, status in statuses if status == "review")
        reason = _texts("guideline.reason.review", rules=review)
        return ItemResult(item.id, "needs_person", statuses, reason)
    if found == {"not_applicable"}:
        return ItemResult(item.id, "not_applicable", statuses, _reasons(outcomes))
    return ItemResult(item.id, "met", statuses)


def assess_items(
    guideline: Guideline, results: Mapping[str, RuleResult]
) -> tuple[ItemResult, ...]:
    """Every item of ``guideline``, in the file's order."""
    return tuple(item_status(item, results) for item in guideline.items)


def counts(items: tuple[ItemResult, ...]) -> dict[str, int]:
    return {s: sum(i.status == s for i in items) for s in STATUSES}
