"""The scorecard in a terminal (rich)."""

from __future__ import annotations

from typing import Any

from privwatch.evaluate.requirements import STATUSES
from privwatch.evaluate.scorecard import Scorecard
from privwatch.fields import shown
from privwatch.i18n import message
from privwatch.report import guideline as pipc
from privwatch.report.scorecard.html import SYMBOL, day, page_title, score_text
from privwatch.report.table import article_label


def render_scorecard_table(card: Scorecard, console: Any, *, lang: str) -> None:
    """The matrix in a terminal (rich): requirements down, platforms across."""
    from rich.padding import Padding
    from rich.table import Table

    columns = [*card.domestic, *card.foreign]
    table = Table(show_lines=False, title=page_title(card.kind, lang))
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
                date=day(platform.fetched_at),
            )
            if platform.version is not None
            else message("scorecard.no_version", lang)
        )
        table.add_column(
            _rich_escape(f"{shown(platform.name)}\n{group}\n{when}"), justify="center"
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
                cells.append(f"[{style[result.status]}]{SYMBOL[result.status]}[/]")
            label = f"{article_label(requirement.article, lang)} {_rich_escape(requirement.title[lang])}"
            # indented as a block: a wrapped title stays under its first line
            table.add_row(Padding(label, (0, 0, 0, 2)), *cells)
    table.add_row(
        message("scorecard.met_share", lang),
        *[
            "–" if p.met_share() is None else f"{100 * (p.met_share() or 0):.0f}%"
            for p in columns
        ],
    )
    table.add_row(
        message("scorecard.evaluation_row", lang),
        *[score_text(p.evaluation.score) if p.evaluation else "–" for p in columns],
    )
    console.print(table)
    console.print(
        "  ".join(
            f"{SYMBOL[s]} {message(f'scorecard.status.{s}', lang)}" for s in STATUSES
        )
    )
    if card.guideline is not None:
        items = [(shown(p.name), p.items) for p in columns]
        console.print(pipc.rich_table(card.guideline, items, lang))
        console.print(pipc.legend(lang))


def _rich_escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)
