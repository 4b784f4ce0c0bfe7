"""Markdown reader (CommonMark with pipe tables) via markdown-it-py."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from privwatch.ingest.markers import with_marker
from privwatch.models import Block, BlockKind

_PARSER = MarkdownIt("commonmark").enable("table")


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            continue
        elif child.type == "html_inline" and child.content.lower().startswith("<br"):
            parts.append("\n")
    return "".join(parts)


def _all_bold(token: Token) -> bool:
    """A paragraph that is one bold run: ``**Service providers**``."""
    children = [
        c
        for c in token.children or ()
        if not (c.type == "text" and not c.content.strip())
    ]
    return (
        len(children) >= 3
        and children[0].type == "strong_open"
        and children[-1].type == "strong_close"
        and all(c.type not in ("strong_open", "strong_close") for c in children[1:-1])
    )


def _title_like(block: Block) -> bool:
    """One short line that does not end like a sentence."""
    text = block.text.strip()
    return (
        (block.kind is BlockKind.PARAGRAPH or block.kind is BlockKind.HEADING)
        and 0 < len(text) <= 80
        and "\n" not in text
        and not text.endswith((".", ":", ";", ",", "다", "요"))
    )


def read_markdown(text: str) -> tuple[list[Block], str | None]:
    """Return blocks and the first heading as title."""
    tokens = _PARSER.parse(text)
    blocks: list[Block] = []
    depth = 0
    item_open = False  # the next paragraph is the first of a list item
    marker: str | None = None  # that item's number, for ordered lists
    row: list[str] = []
    row_header = False
    tables = -1
    title: str | None = None
    pending: BlockKind | None = None
    level = 0
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif kind == "list_item_open":
            item_open = True
            marker = f"{token.info}{token.markup}" if token.info else None
        elif kind == "heading_open":
            pending, level = BlockKind.HEADING, int(token.tag[1])
        elif kind == "paragraph_open":
            pending = BlockKind.ITEM if item_open else BlockKind.PARAGRAPH
            level = depth
        elif kind == "inline" and pending is not None:
            content = _inline_text(token)
            if pending is BlockKind.PARAGRAPH and depth == 0 and _all_bold(token):
                candidate = Block(BlockKind.HEADING, content, level=6)
                pending = BlockKind.HEADING if _title_like(candidate) else pending
            if item_open and pending is BlockKind.ITEM:
                content = with_marker(marker, content)
            item_open = False
            if pending is BlockKind.HEADING and title is None:
                title = " ".join(content.split())
            blocks.append(Block(pending, content, level=level))
            pending = None
        elif kind == "inline":  # a table cell
            row.append(_inline_text(token))
        elif kind == "table_open":
            tables += 1
        elif kind == "thead_open":
            row_header = True
        elif kind == "tbody_open":
            row_header = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            blocks.append(
                Block(BlockKind.ROW, cells=tuple(row), table=tables, header=row_header)
            )
        elif kind == "hr" and blocks and _title_like(blocks[-1]):
            # "Title\n\n-----": a setext heading a blank line broke into a rule
            blocks[-1] = Block(BlockKind.HEADING, blocks[-1].text, level=2)
        elif kind in ("fence", "code_block"):
            blocks.append(Block(BlockKind.PARAGRAPH, token.content, level=depth))
        elif kind == "html_block":  # selectolax loads only for these
            from privwatch.ingest.html import read_html

            blocks.extend(read_html(token.content)[0])
    return blocks, title
