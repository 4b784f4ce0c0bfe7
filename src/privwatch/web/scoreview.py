"""The scorecard's shapes for its template: a ``privwatch.scorecard/1`` object
as columns (platforms, each with its saved evaluation) and rows (requirements
by the article they cite), every value a string to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from privwatch.web.present import source_label

STATUS_SYMBOL = {
    "met": "✓",
    "unmet": "✗",
    "review": "!",
    "not_applicable": "–",
    "unknown": "?",
}


@dataclass(frozen=True)
class EvaluationView:
    """A platform's latest saved evaluation (``report evaluate --save``), as
    ``report compare`` shows it: the score, its date, each area's score."""

    score: str
    date: str
    areas: tuple[tuple[str, str], ...]
    source: str


def evaluation_view(found: Any, lang: str) -> EvaluationView | None:
    """``found``: an ``evaluate.scorecard.EvaluationSummary`` or None."""
    if found is None:
        return None

    def score(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}"

    names = found.names or {}
    return EvaluationView(
        score(found.score),
        f"{found.evaluated_at:%Y-%m-%d}",
        tuple(
            (str((names.get(area) or {}).get(lang) or area), score(value))
            for area, value in found.areas.items()
        ),
        source_label(found.source),
    )


@dataclass(frozen=True)
class ScoreColumn:
    name: str
    platform_id: int | None
    foreign: bool
    country: str
    version: int | None
    fetched_at: str
    met_share: str
    counts: dict[str, int]
    evaluation: EvaluationView | None = None


@dataclass(frozen=True)
class ScoreCell:
    status: str
    symbol: str
    tip: str
    findings: int
    link: str | None


@dataclass(frozen=True)
class ScoreRow:
    rule: str
    article: str
    title: str
    severity: str
    cells: tuple[ScoreCell, ...]


@dataclass(frozen=True)
class ScoreGroup:
    law: str
    article: str
    rows: tuple[ScoreRow, ...]


def _score_cell(
    column: ScoreColumn, result: dict[str, Any], rule: str, lang: str
) -> ScoreCell:
    """One platform's standing on one requirement, with a link to its findings."""
    status = str(result.get("status", "unknown"))
    findings = result.get("findings") or []
    reason = result.get("reason") or {}
    if status in ("unmet", "review"):
        tip = "; ".join(str((f.get("title") or {}).get(lang, "")) for f in findings)
    else:
        tip = str(reason.get(lang) or "")
    link = None
    if status in ("unmet", "review") and column.platform_id is not None:
        query = {"platform": column.platform_id, "rule": rule}
        link = "/findings?" + urlencode(query)
    return ScoreCell(
        status if status in STATUS_SYMBOL else "unknown",
        STATUS_SYMBOL.get(status, "?"),
        tip,
        len(findings),
        link,
    )


def scorecard_view(
    card: dict[str, Any],
    lang: str,
    platform_ids: dict[str, int],
    evaluations: dict[str, EvaluationView | None] | None = None,
) -> tuple[list[ScoreColumn], list[ScoreGroup]]:
    """A ``privwatch.scorecard/1`` object as columns (platforms, domestic first,
    each with its saved evaluation) and rows (requirements by article) of
    strings to show."""
    platforms = [p for p in card.get("platforms") or [] if isinstance(p, dict)]
    platforms.sort(key=lambda p: (bool(p.get("foreign")), str(p.get("name", ""))))
    columns = []
    results: list[dict[str, dict[str, Any]]] = []
    for platform in platforms:
        document = platform.get("document") or {}
        share = platform.get("met_share")
        name = str(platform.get("name", ""))
        columns.append(
            ScoreColumn(
                name=name,
                platform_id=platform_ids.get(name),
                foreign=bool(platform.get("foreign")),
                country=str(platform.get("country") or ""),
                version=document.get("version"),
                fetched_at=str(document.get("fetched_at") or "")[:10],
                met_share="–" if share is None else f"{100 * float(share):.0f}%",
                counts={k: int(v) for k, v in (platform.get("counts") or {}).items()},
                evaluation=(evaluations or {}).get(name),
            )
        )
        results.append(
            {
                str(r.get("rule")): r
                for r in platform.get("results") or []
                if isinstance(r, dict)
            }
        )
    groups = []
    for article in card.get("articles") or []:
        rows = []
        for requirement in article.get("requirements") or []:
            rule = str(requirement.get("rule", ""))
            cells = [
                _score_cell(column, found.get(rule) or {}, rule, lang)
                for column, found in zip(columns, results, strict=True)
            ]
            title = requirement.get("title") or {}
            rows.append(
                ScoreRow(
                    rule,
                    str(requirement.get("article", "")),
                    str(title.get(lang) or title.get("en") or rule),
                    str(requirement.get("severity", "low")),
                    tuple(cells),
                )
            )
        title = article.get("title") or {}
        groups.append(
            ScoreGroup(
                str(article.get("law", "")),
                str(title.get(lang) or article.get("article", "")),
                tuple(rows),
            )
        )
    return columns, groups
