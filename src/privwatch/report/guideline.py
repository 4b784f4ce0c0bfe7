"""Every item of PIPC's 「개인정보 처리방침 작성지침」 and where a policy stands on
it: **met**, **unmet**, **not applicable** or **needs a person** (``unknown``
when there is no audit).

The items are data (``rules/guidelines/pipc-2025.yaml``: each with its group
as the guideline groups them, the statute it rests on and the kr-pipa rules
that decide it). An item's status is read from those rules' results as the
scorecard assesses them (``evaluate.requirements.assess``):

- **unmet** when one of its rules is unmet (a certain finding);
- **needs a person** when no rule decides the item (the data says why), or when
  its rules found only review items (the text cannot settle it);
- **not applicable** when every one of its rules is not applicable: the
  scorecard reads that from each rule's own condition (``applicability``), so
  an item that applies only in some cases (a transfer, children, CCTV) is not
  applicable when the policy states nothing of the kind;
- **met** otherwise.

One function (``assess_items``) serves the scorecard, ``report evaluate`` and
the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from privwatch.i18n import message
from privwatch.rules.guideline import (
    STATUSES,
    Group,
    Guideline,
    Item,
    ItemResult,
    counts,
    read_guideline,
)

# --- as data, and as the README's table ----------------------------------------------


def guideline_to_dict(guideline: Guideline) -> dict[str, Any]:
    """The guideline's groups and items (the definition, no results)."""
    return {
        "guideline": guideline.guideline,
        "title": guideline.title.model_dump(),
        "groups": [
            {
                "group": group.id,
                "level": group.level,
                "name": group.name.model_dump(),
                "items": [
                    {
                        "item": item.id,
                        "name": item.name.model_dump(),
                        "section": item.section,
                        "provision": item.provision,
                        "rules": list(item.rules),
                    }
                    for item in items
                ],
            }
            for group, items in guideline.grouped()
        ],
    }


def item_result_to_dict(result: ItemResult) -> dict[str, Any]:
    return {
        "item": result.item,
        "status": result.status,
        "rules": [{"rule": rule, "status": status} for rule, status in result.rules],
        "reason": None if result.reason is None else dict(result.reason),
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(guideline: Guideline | None = None) -> str:
    """The README's table of the items, generated from the data file alone."""
    guideline = guideline or read_guideline()
    lines = [
        "| group (level) | item | provision | kr-pipa rules | needs a person |",
        "|---|---|---|---|---|",
    ]
    for group, items in guideline.grouped():
        for item in items:
            rules = "<br>".join(f"`{r}`" for r in item.rules) or "–"
            if item.person:
                person = f"yes: {item.person.en}"
            elif item.outside:
                person = f"when the text is silent on {item.outside.en}"
            else:
                person = "no"
            lines.append(
                f"| {group.name.ko} ({group.level.replace('_', ' ')}) "
                f"| {_cell(item.name.ko)}<br>{_cell(item.name.en)} "
                f"| {_cell(item.provision)} | {rules} | {_cell(person)} |"
            )
    return "\n".join(lines) + "\n"


# --- shown: an HTML table and a terminal table -----------------------------------------

SYMBOL = {
    "met": "✓",
    "unmet": "✗",
    "not_applicable": "–",
    "needs_person": "!",
    "unknown": "?",
}
#: the CSS class of each status on the scorecard's and the evaluation's pages
CSS_CLASS = {
    "met": "met",
    "unmet": "unmet",
    "not_applicable": "not_applicable",
    "needs_person": "review",
    "unknown": "unknown",
}
_RICH_STYLE = {
    "met": "green",
    "unmet": "bold red",
    "not_applicable": "dim",
    "needs_person": "yellow",
    "unknown": "dim",
}

Column = tuple[str, tuple[ItemResult, ...]]
"""A column of results: its heading (a platform, a policy) and one result per
item, in the guideline's order."""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def status_name(status: str, lang: str) -> str:
    return message(f"guideline.status.{status}", lang)


def group_heading(group: Group, lang: str) -> str:
    return (
        f"{group.name.pick(lang)} · {message(f'guideline.level.{group.level}', lang)}"
    )


def _item_heading(item: Item, lang: str) -> str:
    rules = " ".join(item.rules)
    return (
        f"{_e(item.name.pick(lang))} <span class=rule>{_e(item.provision_in(lang))}</span>"
        + (f"<br><span class=rule>{_e(rules)}</span>" if rules else "")
    )


def legend(lang: str) -> str:
    return "  ".join(f"{SYMBOL[s]} {status_name(s, lang)}" for s in STATUSES)


def html_table(
    guideline: Guideline,
    columns: list[Column],
    lang: str,
    *,
    link: Callable[[int, ItemResult], str | None] | None = None,
) -> str:
    """The items down the side by group, one column per platform (or policy):
    a symbol per cell, its reason as the cell's title; ``link`` gives an
    in-page anchor for a cell (column index, result) or None. Every text escaped."""
    parts = [
        f"<h2>{_e(message('guideline.heading', lang))}</h2>",
        f"<p class=meta>{_e(guideline.title.pick(lang))}</p>",
        f"<p class=meta>{_e(message('guideline.explain', lang))}</p>",
        f"<p class='legend meta'>{_e(legend(lang))}</p>",
        "<div class=wide><table class=card><thead><tr>",
        f"<th class=req>{_e(message('guideline.item', lang))}</th>",
        *(f"<th>{_e(name)}</th>" for name, _ in columns),
        "</tr><tr><td></td>",
        *(
            f"<td class=s>{_e(message('guideline.counts', lang, **counts(results)))}</td>"
            for _, results in columns
        ),
        "</tr></thead><tbody>",
    ]
    index = {item.id: n for n, item in enumerate(guideline.items)}
    for group, items in guideline.grouped():
        parts.append(
            f"<tr class=art><th colspan={len(columns) + 1}>"
            f"{_e(group_heading(group, lang))}</th></tr>"
        )
        for item in items:
            row = [f"<tr><th class=req>{_item_heading(item, lang)}</th>"]
            for c, (_, results) in enumerate(columns):
                result = results[index[item.id]]
                tip = (result.reason or {}).get(lang) or status_name(
                    result.status, lang
                )
                symbol = SYMBOL[result.status]
                anchor = link(c, result) if link is not None else None
                if anchor:
                    symbol = f"<a href='#{_e(anchor)}'>{symbol}</a>"
                row.append(
                    f"<td class='s {CSS_CLASS[result.status]}' title='{_e(tip)}'>"
                    f"{symbol}</td>"
                )
            parts.append("".join(row) + "</tr>")
    parts.append("</tbody></table></div>")
    return "\n".join(parts)


def rich_table(
    guideline: Guideline, columns: list[Column], lang: str, *, why: bool = False
) -> Any:
    """The same table for a terminal (rich); with ``why``, a last column gives
    the reason of the first column's results."""
    from rich.markup import escape as rich_escape
    from rich.padding import Padding
    from rich.table import Table

    table = Table(title=message("guideline.heading", lang), show_lines=False)
    table.add_column(message("guideline.item", lang), overflow="fold")
    table.add_column(message("guideline.provision", lang), overflow="fold")
    for name, _ in columns:
        table.add_column(rich_escape(name), justify="center")
    if why:
        table.add_column(message("guideline.why", lang), overflow="fold")
    index = {item.id: n for n, item in enumerate(guideline.items)}
    for group, items in guideline.grouped():
        table.add_row(
            f"[bold]{rich_escape(group_heading(group, lang))}[/bold]",
            "",
            *["" for _ in columns],
            *([""] if why else []),
        )
        for item in items:
            cells = []
            for _, results in columns:
                status = results[index[item.id]].status
                shown = SYMBOL[status] + (
                    f" {status_name(status, lang)}" if len(columns) == 1 else ""
                )
                cells.append(f"[{_RICH_STYLE[status]}]{rich_escape(shown)}[/]")
            extra = []
            if why:
                reason = columns[0][1][index[item.id]].reason
                extra.append(rich_escape((reason or {}).get(lang, "")))
            table.add_row(  # indented as a block: wrapped lines stay under it
                Padding(rich_escape(item.name.pick(lang)), (0, 0, 0, 2)),
                rich_escape(item.provision_in(lang)),
                *cells,
                *extra,
            )
    return table


def html_list(guideline: Guideline, results: tuple[ItemResult, ...], lang: str) -> str:
    """One policy's items as rows by group: item, provision, status and why
    (the evaluation's page); every text escaped."""
    parts = [
        f"<h2>{_e(message('guideline.heading', lang))}</h2>",
        f"<p class=meta>{_e(guideline.title.pick(lang))} · "
        f"{_e(message('guideline.counts', lang, **counts(results)))}</p>",
        f"<p class=note>{_e(message('guideline.explain', lang))}</p>",
        "<table><thead><tr>",
        f"<th>{_e(message('guideline.item', lang))}</th>",
        f"<th>{_e(message('guideline.provision', lang))}</th>",
        f"<th>{_e(message('guideline.status_column', lang))}</th>",
        f"<th>{_e(message('guideline.why', lang))}</th>",
        "</tr></thead><tbody>",
    ]
    by_item = {result.item: result for result in results}
    for group, items in guideline.grouped():
        parts.append(f"<tr><th colspan=4>{_e(group_heading(group, lang))}</th></tr>")
        for item in items:
            result = by_item[item.id]
            rules = ", ".join(
                f"{rule}: {message(f'scorecard.status.{status}', lang)}"
                for rule, status in result.rules
                if status in ("unmet", "review")
            )
            why = "; ".join(
                x for x in ((result.reason or {}).get(lang, ""), rules) if x
            )
            parts.append(
                f"<tr class={CSS_CLASS[result.status]}><td>{_e(item.name.pick(lang))}"
                f"<br><span class=off>{_e(' '.join(r for r, _ in result.rules))}</span></td>"
                f"<td>{_e(item.provision_in(lang))}</td>"
                f"<td>{SYMBOL[result.status]} {_e(status_name(result.status, lang))}</td>"
                f"<td>{_e(why)}</td></tr>"
            )
    parts.append("</tbody></table>")
    return "\n".join(parts)


def items_to_dicts(
    guideline: Guideline, results: tuple[ItemResult, ...]
) -> list[dict[str, Any]]:
    """Each item's definition with its result, in the guideline's order."""
    by_item = {result.item: result for result in results}
    return [
        {
            "item": item.id,
            "group": group.id,
            "level": group.level,
            "name": item.name.model_dump(),
            "section": item.section,
            "provision": item.provision,
            **{
                k: v
                for k, v in item_result_to_dict(by_item[item.id]).items()
                if k != "item"
            },
        }
        for group, items in guideline.grouped()
        for item in items
    ]
