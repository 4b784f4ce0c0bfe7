"""The evaluation's weights, thresholds and word lists, as package data
(``data/evaluation.yaml``, ``data/jargon.yaml``), checked when they load."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from privwatch.errors import InputError
from privwatch.rules.schema import Text
from privwatch.yamlfile import packaged, parse

Measure = Literal[
    "korean",
    "sentence_length",
    "latin_share",
    "plain_words",
    "table_of_contents",
    "tables",
    "labels",
    "exact_title",
    "reachable",
    "no_login",
]


class Indicator(BaseModel):
    """One thing scored: from rules (``rules``), from a measure of the text or
    the site (``measure`` with its thresholds), or left to a person
    (``review``)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    weight: float = Field(gt=0)
    name: Text
    rules: list[str] = Field(default_factory=list)
    graded: dict[str, int] = Field(default_factory=dict)
    measure: Measure | None = None
    review: Text | None = None
    # thresholds of the measures (see evaluation.yaml)
    long_sentence: int = 80
    mean_good: float = 40
    mean_bad: float = 90
    long_share_good: float = 0.10
    long_share_bad: float = 0.40
    good: float = 1
    bad: float = 0
    partial_hangul_letters: int = 500
    top_share: float = 0.25
    top_chars: int = 2000
    cues: list[str] = Field(default_factory=list)
    label_names: list[str] = Field(default_factory=list)
    min_label_images: int = 2
    depth_scores: dict[int, float] = Field(default_factory=dict)

    def kind(self) -> str:
        """``rules``, ``measure`` or ``review``."""
        if self.review is not None:
            return "review"
        return "rules" if self.rules else "measure"


class Area(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Literal["appropriateness", "readability", "accessibility"]
    points: float = Field(gt=0)
    name: Text
    indicators: list[Indicator]
    excluded: list[str] = Field(default_factory=list)


class PolicyNames(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accepted: list[str]
    other: list[str]


class Crawl(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_depth: int = Field(ge=1, le=5)
    max_pages: int = Field(ge=1)
    delay_seconds: float = Field(ge=0)
    timeout_seconds: float = Field(gt=0)
    max_page_bytes: int = Field(gt=0)


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    statuses: list[int]
    url_words: list[str]
    min_policy_chars: int


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    severity_weights: dict[str, float]
    areas: list[Area]
    policy_names: PolicyNames
    crawl: Crawl
    login: Login

    def indicators(self) -> list[tuple[Area, Indicator]]:
        return [(area, i) for area in self.areas for i in area.indicators]

    def check(self) -> None:
        """Each indicator is one kind; measures are not repeated."""
        seen: set[str] = set()
        for area, indicator in self.indicators():
            kinds = [
                bool(indicator.rules),
                indicator.measure is not None,
                indicator.review is not None,
            ]
            if sum(kinds) != 1:
                raise ValueError(
                    f"{area.id}.{indicator.id}: give exactly one of rules, measure, review"
                )
            if indicator.id in seen:
                raise ValueError(f"indicator {indicator.id} is given twice")
            seen.add(indicator.id)
            unknown = set(indicator.graded) - set(indicator.rules)
            if unknown:
                raise ValueError(f"{indicator.id}: graded rules not listed: {unknown}")


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: str
    pattern: str
    plain: str
    kind: Literal["jargon", "translationese"]
    source: Literal["moleg", "nikl"]

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value


class Jargon(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: list[Term]


def load_config(path: Path | None = None) -> Config:
    """``evaluation.yaml`` from the package, or another file of the same shape."""
    if path is None:
        return _builtin_config()
    try:
        data = parse(path.read_text("utf-8"))
    except OSError as exc:
        raise InputError("input.unreadable", path=path, reason=exc.strerror) from None
    return _validated(data, str(path))


@cache
def _builtin_config() -> Config:
    return _checked(
        packaged("privwatch.evaluate", "data/evaluation.yaml", Config),
        "evaluation.yaml",
    )


def _validated(data: object, where: str) -> Config:
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        reason = " ".join(str(exc).split())[:300]
        raise InputError("evaluate.bad_config", source=where, reason=reason) from None
    return _checked(config, where)


def _checked(config: Config, where: str) -> Config:
    """``config`` once its cross-references hold (``Config.check``)."""
    try:
        config.check()
    except ValueError as exc:
        reason = " ".join(str(exc).split())[:300]
        raise InputError("evaluate.bad_config", source=where, reason=reason) from None
    return config


@cache
def load_jargon() -> Jargon:
    return packaged("privwatch.evaluate", "data/jargon.yaml", Jargon)


@cache
def compiled_terms() -> tuple[tuple[Term, re.Pattern[str]], ...]:
    return tuple((term, re.compile(term.pattern)) for term in load_jargon().terms)
