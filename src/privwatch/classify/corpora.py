"""Readers for the labelled corpora the classifiers learn from.

OPP-115 (Wilson et al., ACL 2016) and CLAUDETTE (Lippi et al. 2019; Galassi et al.
2024) are read from a ``shared`` folder given at training or evaluation time; none of
their text is shipped. Korean examples of the project's own writing are package data.
"""

from __future__ import annotations

import csv
import html
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from privwatch.i18n import Bilingual
from privwatch.yamlfile import packaged, parse

PRACTICES = (
    "First Party Collection/Use",
    "Third Party Sharing/Collection",
    "User Choice/Control",
    "User Access, Edit and Deletion",
    "Data Retention",
    "Data Security",
    "Policy Change",
    "Do Not Track",
    "International and Specific Audiences",
    "Other",
)
UNFAIR_TERMS = ("a", "ch", "cr", "j", "law", "ltd", "ter", "use", "pinc")

_TAG = re.compile(r"^([a-z]+)([123])$")
_MARKUP = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Example:
    """One labelled clause; ``group`` keeps a document's clauses in one fold."""

    text: str
    labels: frozenset[str]
    group: str


def opp115(shared: Path, min_annotators: int = 2) -> list[Example]:
    """OPP-115 segments with the categories at least ``min_annotators`` gave them.

    Majority of the (usually three) annotators, as Polisis and PrivacyGLUE use.
    """
    root = shared / "datasets" / "opp115"
    examples: list[Example] = []
    for table in sorted((root / "consolidation-0.75").glob("*.csv")):
        votes: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        with table.open(newline="", encoding="utf-8") as stream:
            for row in csv.reader(stream):
                votes[int(row[4])][row[5]].add(row[2])
        page = (root / "sanitized_policies" / f"{table.stem}.html").read_text("utf-8")
        for index, segment in enumerate(page.split("|||")):
            text = " ".join(html.unescape(_MARKUP.sub(" ", segment)).split())
            if not text or index not in votes:
                continue
            labels = {
                c for c, who in votes[index].items() if len(who) >= min_annotators
            }
            examples.append(Example(text, frozenset(labels), table.stem))
    if not examples:
        raise FileNotFoundError(f"no OPP-115 segments under {root}")
    return examples


def claudette(shared: Path, language: str = "en") -> list[Example]:
    """CLAUDETTE sentences; a category counts when tagged potentially or clearly unfair."""
    root = shared / "datasets" / "claudette"
    examples: list[Example] = []
    for sentences in sorted((root / "sentences" / language).glob("*.txt")):
        tags = (
            (root / "tags" / language / sentences.name).read_text("utf-8").split("\n")
        )
        lines = sentences.read_text("utf-8").split("\n")
        for line, tag_line in zip(lines, tags, strict=False):
            if line.strip():
                examples.append(
                    Example(line.strip(), unfair(tag_line.split()), sentences.stem)
                )
    if not examples:
        raise FileNotFoundError(f"no CLAUDETTE sentences under {root}")
    return examples


def unfair(tags: list[str]) -> frozenset[str]:
    """Categories of tags of degree 2 (potentially) or 3 (clearly unfair)."""
    found = set()
    for tag in tags:
        match = _TAG.match(tag)
        if match and match[1] in UNFAIR_TERMS and match[2] in "23":
            found.add(match[1])
    return frozenset(found)


class WrittenExample(TypedDict):
    text: str
    labels: list[str]


class Written(TypedDict):
    """``data/ko_*_train.yaml``: CLAUDETTE tags for unfair terms, OPP-115
    categories for practices."""

    examples: list[WrittenExample]


def written(name: str, task: str) -> list[Example]:
    """The project's own Korean examples for a task, from package data."""
    return _examples(
        packaged("privwatch.classify", f"data/{name}", Written), name, task
    )


def labelled_file(path: Path, task: str) -> list[Example]:
    """A YAML file shaped like ``data/ko_*_train.yaml``, grouped by its name."""
    return _examples(parse(path.read_text("utf-8")), path.name, task)


def _examples(data: Written, group: str, task: str) -> list[Example]:
    return [
        Example(
            e["text"],
            unfair(e["labels"]) if task == "unfair-terms" else frozenset(e["labels"]),
            group,
        )
        for e in data["examples"]
    ]


def label_names() -> dict[str, dict[str, Bilingual]]:
    """``data/labels.yaml``: by task (``practices``, ``unfair-terms``), each
    label's name in English and Korean."""
    return packaged(
        "privwatch.classify", "data/labels.yaml", dict[str, dict[str, Bilingual]]
    )
