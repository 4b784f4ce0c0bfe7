"""What an evaluation produces: indicators scored (or left to a person) in
three areas, and the whole."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from privwatch.i18n import message
from privwatch.models import Evidence
from privwatch.rules.guideline import ItemResult

#: an indicator scored from the text or the site; left to a person; not
#: applicable to this policy; or not measurable with what was given
STATUSES = ("scored", "needs_review", "not_applicable", "not_measured")


@dataclass(frozen=True)
class Note:
    """An explanation: a message key (``evaluate.explain.*``) and its values, or
    a text in each language from the evaluation data."""

    key: str = ""
    params: tuple[tuple[str, Any], ...] = ()
    text: Mapping[str, str] | None = None
    parts: tuple[Note, ...] = ()
    """Several notes read as one, joined by '; '."""

    def render(self, lang: str) -> str:
        if self.parts:
            return "; ".join(part.render(lang) for part in self.parts)
        if self.text is not None:
            return self.text.get(lang) or self.text["en"]
        params = {
            k: (v.render(lang) if isinstance(v, Note) else v) for k, v in self.params
        }
        return message(self.key, lang, **params)


def note(key: str, **params: Any) -> Note:
    return Note(key, tuple(params.items()))


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator: ``score`` from 0 to 1 when ``status`` is scored."""

    id: str
    name: Mapping[str, str]
    weight: float
    status: str
    score: float | None
    note: Note
    measures: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class AreaResult:
    """An area: its score (0-100) over the indicators scored, and the share of
    its weight they carry (``coverage``)."""

    id: str
    name: Mapping[str, str]
    points: float
    indicators: tuple[IndicatorResult, ...]

    @property
    def score(self) -> float | None:
        scored = [i for i in self.indicators if i.status == "scored"]
        weight = sum(i.weight for i in scored)
        if not weight:
            return None
        return round(100 * sum(i.weight * (i.score or 0) for i in scored) / weight, 1)

    @property
    def coverage(self) -> float:
        total = sum(i.weight for i in self.indicators)
        scored = sum(i.weight for i in self.indicators if i.status == "scored")
        return round(scored / total, 3) if total else 0.0

    @property
    def earned(self) -> float | None:
        """The area's score in its points (60, 20, 20), like the press figures."""
        score = self.score
        return None if score is None else round(score * self.points / 100, 1)


@dataclass(frozen=True)
class SiteCheck:
    """The bounded crawl from the home page: whether and how deep the policy
    was found, and the links followed to it (``trail``: url, link text)."""

    home: str
    found: bool
    depth: int | None
    url: str | None
    trail: tuple[tuple[str, str], ...]
    pages: int
    capped: bool
    skipped_by_robots: int = 0


@dataclass(frozen=True)
class PageCheck:
    """The policy page fetched as a visitor without an account."""

    url: str
    final_url: str
    status: int | None
    redirects: tuple[str, ...]
    title: str | None
    password_form: bool
    viewport: bool
    wall: Note | None
    """Why the page is behind a login, or None."""


@dataclass(frozen=True)
class PolicyEvaluation:
    source: str
    evaluated_at: str
    areas: tuple[AreaResult, ...]
    config_version: str
    title: str | None = None
    language: str | None = None
    sha256: str | None = None
    home: str | None = None
    foreign: bool | None = None
    site: SiteCheck | None = None
    page: PageCheck | None = None
    findings: Mapping[str, int] = field(default_factory=dict)
    guideline: tuple[ItemResult, ...] = ()
    """Each item of PIPC's guideline (``report.guideline``); none without a text."""

    @property
    def score(self) -> float | None:
        """Areas weighted by their points, over those with a score."""
        scored = [a for a in self.areas if a.score is not None]
        points = sum(a.points for a in scored)
        if not points:
            return None
        return round(sum(a.points * (a.score or 0) for a in scored) / points, 1)

    @property
    def coverage(self) -> float:
        total = sum(a.points for a in self.areas)
        return round(sum(a.points * a.coverage for a in self.areas) / total, 3)

    def area(self, area_id: str) -> AreaResult:
        return next(a for a in self.areas if a.id == area_id)

    def indicator(self, indicator_id: str) -> IndicatorResult:
        return next(i for a in self.areas for i in a.indicators if i.id == indicator_id)
