"""The scorecard's product view: recalled or hazardous products that
``products watch`` found listed, by agency list and notice date, domestic and
foreign platforms side by side (the scorecard's HTML and JSON, the dashboard).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from privwatch.i18n import message
from privwatch.report.page import esc
from privwatch.store.products import Listed


@dataclass(frozen=True)
class Cell:
    """One (hazard list, platform) cell: listings matched, still listed."""

    matched: int = 0
    certain: int = 0
    listed_now: int = 0
    relisted: int = 0


@dataclass(frozen=True)
class Matrix:
    """Hazard lists down, platforms across (domestic first, then foreign)."""

    domestic: tuple[str, ...]
    foreign: tuple[str, ...]
    lists: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]

    @property
    def platforms(self) -> tuple[str, ...]:
        return self.domestic + self.foreign


def matrix(listed: Sequence[Listed]) -> Matrix:
    foreign = {r.platform: r.foreign for r in listed}
    counts: dict[tuple[str, str], list[int]] = {}
    for r in listed:
        c = counts.setdefault((r.hazard_source, r.platform), [0, 0, 0, 0])
        c[0] += 1
        c[1] += r.certainty == "certain"
        c[2] += r.listed_now
        c[3] += r.relisted
    return Matrix(
        domestic=tuple(sorted(p for p, f in foreign.items() if not f)),
        foreign=tuple(sorted(p for p, f in foreign.items() if f)),
        lists=tuple(sorted({r.hazard_source for r in listed})),
        cells={k: Cell(*v) for k, v in counts.items()},
    )


def products_to_list(listed: Sequence[Listed]) -> list[dict[str, Any]]:
    """The scorecard JSON's ``products`` (documented in the README)."""
    return [
        {
            "platform": r.platform,
            "foreign": r.foreign,
            "country": r.country,
            "hazard_source": r.hazard_source,
            "hazard_record_id": r.hazard_record_id,
            "hazard_date": r.hazard_date,
            "title": r.title,
            "url": r.url,
            "certainty": r.certainty,
            "first_seen": r.first_seen.isoformat(timespec="seconds"),
            "last_seen": r.last_seen.isoformat(timespec="seconds"),
            "listed_now": r.listed_now,
            "relisted": r.relisted,
        }
        for r in listed
    ]


def cell_text(cell: Cell | None, lang: str) -> str:
    if cell is None or not cell.matched:
        return "–"
    return message(
        "products.view.cell",
        lang,
        matched=cell.matched,
        certain=cell.certain,
        now=cell.listed_now,
        relisted=cell.relisted,
    )


def products_html(listed: Sequence[Listed], lang: str) -> str:
    """The section of the scorecard page (plain markup, every text escaped)."""
    head = f"<h2 id=products>{esc(message('products.view.title', lang))}</h2>"
    if not listed:
        return head + f"<p class=muted>{esc(message('products.view.none', lang))}</p>"
    grid = matrix(listed)
    groups = "".join(
        f"<th colspan={len(names)} class={cls}>{esc(message(f'scorecard.group.{g}', lang))}</th>"
        for g, cls, names in (
            ("domestic", "dom", grid.domestic),
            ("foreign", "for", grid.foreign),
        )
        if names
    )
    names = "".join(f"<th>{esc(p)}</th>" for p in grid.platforms)
    rows = "".join(
        f"<tr><th class=req>{esc(source)}</th>"
        + "".join(
            f"<td class=s>{esc(cell_text(grid.cells.get((source, p)), lang))}</td>"
            for p in grid.platforms
        )
        + "</tr>"
        for source in grid.lists
    )
    table = (
        "<div class=wide><table class=card><thead>"
        f"<tr><th rowspan=2>{esc(message('products.view.list', lang))}</th>{groups}</tr>"
        f"<tr>{names}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
    return (
        head
        + f"<p class=muted>{esc(message('products.view.intro', lang))}</p>"
        + table
        + _details(listed, lang)
    )


def _details(listed: Sequence[Listed], lang: str) -> str:
    heads = ("platform", "notice", "date", "title", "certainty", "seen", "now")
    head = "".join(
        f"<th>{esc(message(f'products.view.col.{h}', lang))}</th>" for h in heads
    )
    rows = []
    for r in sorted(listed, key=lambda x: (x.hazard_source, x.hazard_date, x.platform)):
        seen = f"{r.first_seen:%Y-%m-%d} – {r.last_seen:%Y-%m-%d}"
        now = message(
            "products.watch.now_listed" if r.listed_now else "products.watch.now_gone",
            lang,
        )
        if r.relisted:
            now += " · " + message("products.watch.relisted_flag", lang)
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{esc(v)}</td>"
                for v in (
                    r.platform,
                    f"{r.hazard_source} {r.hazard_record_id}",
                    r.hazard_date,
                    r.title,
                    message(f"products.certainty.{r.certainty}", lang),
                    seen,
                    now,
                )
            )
            + "</tr>"
        )
    return (
        f"<h3>{esc(message('products.view.details', lang))}</h3>"
        f"<div class=wide><table class=card><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
