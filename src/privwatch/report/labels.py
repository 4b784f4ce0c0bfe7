"""Output of ``privwatch classify``: a table, or the JSON list of labelled clauses."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from privwatch.classify.corpora import label_names
from privwatch.i18n import message
from privwatch.models import Labelled


def label_name(task: str, label: str, lang: str) -> str:
    names = label_names()[task].get(label)
    return str(names.get(lang, label)) if names else label


def labels_json(item: Labelled) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "text": item.text,
        "labels": list(item.labels),
        "scores": item.scores,
    }
    if item.clause is not None:
        entry["clause"] = item.clause
    return entry


def render_labels_json(labelled: list[Labelled]) -> str:
    return json.dumps([labels_json(i) for i in labelled], ensure_ascii=False, indent=2)


def render_labels_table(
    labelled: list[Labelled], console: Console, *, task: str, lang: str = "en"
) -> None:
    table = Table(show_lines=False)
    table.add_column(message("classify.column.clause", lang), no_wrap=True)
    table.add_column(message("classify.column.labels", lang))
    table.add_column(message("classify.column.text", lang))
    for number, item in enumerate(labelled, 1):
        labels = ", ".join(
            f"{label_name(task, name, lang)} {item.scores[name]:.2f}"
            for name in item.labels
        )
        text = " ".join(item.text.split())
        table.add_row(
            item.clause or str(number),
            labels or message("classify.none", lang),
            text if len(text) <= 160 else text[:159] + "…",
        )
    console.print(table)
