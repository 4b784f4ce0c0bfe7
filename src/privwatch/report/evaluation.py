"""An evaluation as JSON (``privwatch.evaluation/1``, documented in the README),
a terminal table, or one self-contained HTML page."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.markup import escape as rich_escape
from rich.table import Table

from privwatch import __version__
from privwatch.evaluate.model import IndicatorResult, PolicyEvaluation
from privwatch.i18n import message
from privwatch.models import Evidence
from privwatch.report import guideline as pipc
from privwatch.report.page import document, esc
from privwatch.rules.guideline import counts, read_guideline

SCHEMA = "privwatch.evaluation/1"


def _evidence(evidence: Evidence) -> dict[str, Any]:
    return {
        "start": evidence.start,
        "end": evidence.end,
        "text": evidence.text,
        "clause": evidence.clause,
    }


def _indicator(item: IndicatorResult, lang: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": dict(item.name),
        "weight": item.weight,
        "status": item.status,
        "score": item.score,
        "explanation": item.note.render(lang),
        "measures": dict(item.measures),
        "evidence": [_evidence(e) for e in item.evidence],
    }


def evaluation_to_dict(result: PolicyEvaluation, *, lang: str = "en") -> dict[str, Any]:
    """The ``privwatch.evaluation/1`` object; explanations in ``lang``."""
    page = result.page
    return {
        "schema": SCHEMA,
        "privwatch": __version__,
        "evaluated_at": result.evaluated_at,
        "weights": {
            "file": "evaluate/data/evaluation.yaml",
            "version": result.config_version,
        },
        "notice": message("evaluate.notice", lang),
        "source": {
            "uri": result.source,
            "title": result.title,
            "language": result.language,
            "sha256": result.sha256,
        },
        "foreign": result.foreign,
        "score": result.score,
        "coverage": result.coverage,
        "areas": [
            {
                "area": area.id,
                "name": dict(area.name),
                "points": area.points,
                "score": area.score,
                "earned": area.earned,
                "coverage": area.coverage,
                "indicators": [_indicator(i, lang) for i in area.indicators],
            }
            for area in result.areas
        ],
        "findings": dict(result.findings),
        "guideline": _guideline(result),
        "site": None if result.site is None else asdict(result.site),
        "page": None
        if page is None
        else {
            "url": page.url,
            "final_url": page.final_url,
            "status": page.status,
            "redirects": list(page.redirects),
            "title": page.title,
            "password_form": page.password_form,
            "viewport": page.viewport,
            "behind_login": None if page.wall is None else page.wall.render(lang),
        },
    }


def _guideline(result: PolicyEvaluation) -> dict[str, Any] | None:
    """PIPC's guideline items with their status (null without a text)."""
    if not result.guideline:
        return None
    guideline = read_guideline()
    return {
        "guideline": guideline.guideline,
        "title": guideline.title.model_dump(),
        "counts": counts(result.guideline),
        "items": pipc.items_to_dicts(guideline, result.guideline),
    }


def render_evaluation_json(result: PolicyEvaluation, *, lang: str = "en") -> str:
    return json.dumps(
        evaluation_to_dict(result, lang=lang), ensure_ascii=False, indent=2
    )


def _score(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


_STATUS_STYLE = {
    "scored": "",
    "needs_review": "yellow",
    "not_applicable": "dim",
    "not_measured": "dim",
}


def render_evaluation_table(
    result: PolicyEvaluation, console: Console, *, lang: str = "en"
) -> None:
    console.print(f"[bold]{rich_escape(result.title or result.source)}[/bold]")
    console.print(rich_escape(result.source), style="dim")
    console.print(
        message(
            "evaluate.total",
            lang,
            score=_score(result.score),
            coverage=f"{100 * result.coverage:.0f}",
        )
    )
    for area in result.areas:
        table = Table(
            title=message(
                "evaluate.area_line",
                lang,
                name=area.name[lang],
                score=_score(area.score),
                earned=_score(area.earned),
                points=f"{area.points:g}",
                coverage=f"{100 * area.coverage:.0f}",
            ),
            title_justify="left",
            show_lines=False,
        )
        table.add_column(message("evaluate.column.indicator", lang), overflow="fold")
        table.add_column(message("evaluate.column.weight", lang), justify="right")
        table.add_column(message("evaluate.column.score", lang), justify="right")
        table.add_column(message("evaluate.column.explanation", lang), overflow="fold")
        for item in area.indicators:
            shown = (
                _score(100 * item.score, 0)
                if item.score is not None
                else message(f"evaluate.status.{item.status}", lang)
            )
            table.add_row(
                rich_escape(item.name[lang]),
                f"{item.weight:g}",
                shown,
                rich_escape(item.note.render(lang)),
                style=_STATUS_STYLE[item.status],
            )
        console.print(table)
    if result.guideline:
        column = [(result.title or result.source, result.guideline)]
        console.print(pipc.rich_table(read_guideline(), column, lang, why=True))
    console.print(message("evaluate.notice", lang), style="dim")


CSS = """
body{font:15px/1.55 system-ui,"Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic",sans-serif;color:#1d2433;margin:0}
main{max-width:66rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.4rem;margin:.4rem 0}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:2px solid #1f3a5f;color:#1f3a5f}
.meta{color:#5b6475;font-size:.85rem;word-break:break-all}
.stats{display:flex;flex-wrap:wrap;gap:.8rem;margin:.8rem 0}
.stat{border:1px solid #d9dee7;border-radius:8px;padding:.5rem .9rem;min-width:9rem}
.stat b{display:block;font-size:1.5rem}.stat span{font-size:.8rem;color:#5b6475}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border:1px solid #d9dee7;padding:.35rem .55rem;vertical-align:top;text-align:left}
thead th{background:#f5f7fa}.n{text-align:right;white-space:nowrap}
tr.needs_review td,tr.review td{background:#fef4e6}tr.unmet td{background:#fdecea}tr.not_applicable td,tr.not_measured td{color:#8a93a3}
blockquote{margin:.3rem 0;padding:.3rem .6rem;background:#f5f7fa;white-space:pre-wrap;font-size:.85rem}
.off{color:#8a93a3;font-size:.75rem;font-family:ui-monospace,monospace}
.note{background:#f5f7fa;border:1px solid #d9dee7;border-radius:6px;padding:.5rem .8rem;font-size:.85rem;color:#5b6475}
"""


def render_evaluation_html(result: PolicyEvaluation, *, lang: str = "en") -> str:
    """One page, no script and no fetch; every text from the policy escaped."""
    title = message("evaluate.html_title", lang, title=result.title or result.source)
    parts = [
        f"<h1>{esc(title)}</h1>",
        f"<p class=meta>{esc(result.source)} · sha256 {esc(result.sha256 or '-')} · "
        f"{esc(result.evaluated_at)} · privwatch {esc(__version__)} · "
        f"evaluation.yaml {esc(result.config_version)}</p>",
        "<div class=stats>",
        f"<div class=stat><b>{esc(_score(result.score))}</b><span>"
        f"{esc(message('evaluate.overall', lang, coverage=f'{100 * result.coverage:.0f}'))}</span></div>",
    ]
    for area in result.areas:
        parts.append(
            f"<div class=stat><b>{esc(_score(area.score))}</b><span>{esc(area.name[lang])} · "
            f"{esc(_score(area.earned))}/{esc(f'{area.points:g}')}</span></div>"
        )
    parts.append("</div>")
    parts.append(f"<p class=note>{esc(message('evaluate.notice', lang))}</p>")
    for area in result.areas:
        parts.append(
            f"<h2>{esc(area.name[lang])} · {esc(_score(area.score))}</h2>"
            f"<p class=meta>{esc(message('evaluate.coverage', lang, coverage=f'{100 * area.coverage:.0f}'))}</p>"
            "<table><thead><tr>"
            f"<th>{esc(message('evaluate.column.indicator', lang))}</th>"
            f"<th class=n>{esc(message('evaluate.column.weight', lang))}</th>"
            f"<th class=n>{esc(message('evaluate.column.score', lang))}</th>"
            f"<th>{esc(message('evaluate.column.explanation', lang))}</th></tr></thead><tbody>"
        )
        for item in area.indicators:
            shown = (
                _score(100 * item.score, 0)
                if item.score is not None
                else message(f"evaluate.status.{item.status}", lang)
            )
            quotes = "".join(
                f"<blockquote>{esc(e.text)} <span class=off>[{e.start}:{e.end}]</span></blockquote>"
                for e in item.evidence
            )
            parts.append(
                f"<tr class={esc(item.status)}><td>{esc(item.name[lang])}</td>"
                f"<td class=n>{esc(f'{item.weight:g}')}</td><td class=n>{esc(shown)}</td>"
                f"<td>{esc(item.note.render(lang))}{quotes}</td></tr>"
            )
        parts.append("</tbody></table>")
    if result.guideline:
        parts.append(pipc.html_list(read_guideline(), result.guideline, lang))
    body = "<main>\n" + "\n".join(parts) + "\n</main>\n"
    return document(lang=lang, title=title, style=CSS, body=body)
