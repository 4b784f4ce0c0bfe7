"""Show a Document: as JSON, or as a readable outline of sections and clauses."""

from __future__ import annotations

import json

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from privwatch.i18n import message
from privwatch.models import Clause, Document, Section

PREVIEW = 100


def render_json(document: Document) -> str:
    return json.dumps(document.to_dict(), ensure_ascii=False, indent=2)


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"


def render_outline(
    document: Document, console: Console, *, lang: str = "en", clauses: bool = False
) -> None:
    """Title, source, counts, then the section tree with clause counts."""
    source = document.source
    encoding = f", {source.encoding}" if source.encoding else ""
    title = document.title or message("outline.untitled", lang)
    console.print(Text(title, style="bold"))
    console.print(
        Text(
            message(
                "outline.source",
                lang,
                uri=source.uri,
                media_type=source.media_type,
                encoding=encoding,
                fetched_at=document.fetched_at,
            ),
            style="dim",
        )
    )
    console.print(Text(f"sha256 {document.sha256}", style="dim"))
    summary = message(
        "outline.summary",
        lang,
        sections=sum(1 for _ in document.iter_sections()),
        clauses=len(document.clauses),
        chars=len(document.text),
        language=document.language,
    )
    by_section: dict[str | None, list[Clause]] = {}
    for clause in document.clauses:
        by_section.setdefault(clause.section, []).append(clause)
    tree = Tree(Text(summary))
    preamble = by_section.get(None, [])
    if preamble:
        node = tree.add(Text(message("outline.preamble", lang), style="italic"))
        _add_clauses(node, document, preamble, lang, clauses)
    for section in document.sections:
        _add_section(tree, document, section, by_section, lang, clauses)
    console.print(tree)


def _add_section(
    parent: Tree,
    document: Document,
    section: Section,
    by_section: dict[str | None, list[Clause]],
    lang: str,
    clauses: bool,
) -> None:
    label = Text(_preview(section.heading), style="bold")
    label.append(f"  [{section.id}]", style="dim")
    node = parent.add(label)
    _add_clauses(node, document, by_section.get(section.id, []), lang, clauses)
    for child in section.children:
        _add_section(node, document, child, by_section, lang, clauses)


def _add_clauses(
    node: Tree, document: Document, items: list[Clause], lang: str, clauses: bool
) -> None:
    if not items:
        return
    if not clauses:
        node.add(Text(message("outline.clauses", lang, count=len(items)), style="dim"))
        return
    for clause in items:
        line = Text(f"{clause.id} ", style="dim")
        line.append(_preview(document.quote(clause)))
        node.add(line)
