"""Output of ``privwatch classify``: a table, or the JSON list of labelled clauses."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from privwatch.classify.corpora import label_names
from privwatch.i18n import message
from privwatch.models import Labelled
from privwatch.store.records import labelled_dict


def label_name(task: str, label: str, lang: str) -> str:
    names = label_names()[task].get(label)
    return str(names.get(lang, label)) if names else label


def render_labels_json(labelled: list[Labelled]) -> str:
    return json.dumps(
        [labelled_dict(i) for i in labelled], ensure_ascii=False, indent=2
    )


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
