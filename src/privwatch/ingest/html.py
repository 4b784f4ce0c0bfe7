"""HTML reader: main content only, with headings, lists and tables as blocks.

Navigation, headers, footers, asides, forms, scripts and hidden elements are
dropped; the main content is the ``<main>`` element (or ``role=main``, or a
single ``<article>``) when there is one, otherwise the body; a watched document
may name its own element with a CSS selector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from privwatch.errors import InputError
from privwatch.ingest.markers import ordinal, with_marker
from privwatch.models import Block, BlockKind

_DROP = (
    "script, style, noscript, template, svg, canvas, iframe, object, embed, "
    "nav, header, footer, aside, form, button, select, dialog, "
    "[role=navigation], [role=banner], [role=contentinfo], [role=search], "
    "[hidden], [aria-hidden=true]"
)
_MAIN = ("main", "[role=main]")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LISTS = {"ul", "ol", "dl", "menu"}
_ITEMS = {"li", "dt", "dd"}
_BLOCKS = (
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "address",
        "figure",
        "figcaption",
        "center",
        "details",
        "summary",
        "hr",
        "body",
        "html",
        "fieldset",
        "legend",
        "caption",
    }
    | _LISTS
    | _ITEMS
    | set(_HEADINGS)
)


#: elements nested deeper than this are read as plain text (the walk recurses)
MAX_NESTING = 150
#: open elements at once beyond which a page is refused before parsing: lexbor's
#: time grows with the square of the depth (5 s at 40,000 levels)
MAX_DEPTH = 10_000
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
#: elements with no end tag, or whose end tag may be left out
_UNCLOSED = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "option",
        "optgroup",
        "rt",
        "rp",
        "colgroup",
        "caption",
        "html",
        "head",
        "body",
    ]
)


def too_deep(text: str) -> bool:
    """Whether more than ``MAX_DEPTH`` elements are open at once, counting only
    elements that must be closed (a cheap scan before parsing)."""
    depth = 0
    for match in _TAG.finditer(text):
        if match[3] or match[2].lower() in _UNCLOSED:
            continue
        depth = max(0, depth - 1) if match[1] else depth + 1
        if depth > MAX_DEPTH:
            return True
    return False


@dataclass
class _Walker:
    blocks: list[Block] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)
    depth: int = 0
    in_item: bool = False
    marker: str | None = None  # an ordered list item's number, shown as text
    tables: int = 0
    nesting: int = 0  # elements walked into, bounded by MAX_NESTING

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer.clear()
        if text.strip():
            kind = BlockKind.ITEM if self.in_item else BlockKind.PARAGRAPH
            if self.in_item:
                text = with_marker(self.marker, text)
            self.blocks.append(Block(kind, text, level=self.depth))
            self.in_item = False

    def walk(self, node: LexborNode, *, pre: bool = False) -> None:
        if self.nesting >= MAX_NESTING:  # deeper elements read as their text
            self.buffer.append(_spaced(node.text(separator=" ") or ""))
            return
        self.nesting += 1
        try:
            self._walk(node, pre=pre)
        finally:
            self.nesting -= 1

    def _walk(self, node: LexborNode, *, pre: bool = False) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                text = child.text(deep=False) or ""
                self.buffer.append(text if pre else _spaced(text))
            elif tag == "br":
                self.buffer.append("\n")
            elif tag in _HEADINGS:
                self.flush()
                text = child.text(separator=" ")
                self.blocks.append(Block(BlockKind.HEADING, text, level=_HEADINGS[tag]))
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag in _LISTS:
                self.flush()
                self.depth += 1
                self.walk_list(child)
                self.flush()
                self.depth -= 1
            elif tag in _ITEMS:
                self.item(child, None, pre=pre)
            elif tag in _BLOCKS:
                self.flush()
                self.walk(child, pre=pre or tag == "pre")
                self.flush()
            elif tag not in ("-comment", "img", "input"):
                self.walk(child, pre=pre)

    def item(self, node: LexborNode, marker: str | None, *, pre: bool = False) -> None:
        self.flush()
        self.in_item, self.marker = True, marker
        self.walk(node, pre=pre)
        self.flush()
        self.marker = None

    def walk_list(self, node: LexborNode) -> None:
        """Walk a list; an ``<ol>``'s numbers become text, as a reader sees them."""
        numbered = node.tag == "ol" and "none" not in (
            node.attributes.get("style") or ""
        )
        kind = node.attributes.get("type") or "1"
        number = _int(node.attributes.get("start"), 1)
        for child in node.iter():
            if child.tag == "li":
                number = _int(child.attributes.get("value"), number)
                self.item(child, ordinal(number, kind) if numbered else None)
                number += 1
            else:
                self.walk(child)

    def table(self, node: LexborNode) -> None:
        table = self.tables
        self.tables += 1
        for row in node.css("tr"):
            if _nearest_table(row) != node:
                continue  # a nested table's row: its text stays in the outer cell
            cells = [c for c in row.iter() if c.tag in ("td", "th")]
            if not cells:
                continue
            parent = row.parent
            header = (parent is not None and parent.tag == "thead") or all(
                c.tag == "th" for c in cells
            )
            texts = tuple(c.text(separator=" ") for c in cells)
            flags = tuple(header or c.tag == "th" for c in cells)
            self.blocks.append(
                Block(
                    BlockKind.ROW,
                    cells=texts,
                    table=table,
                    header=header,
                    cell_headers=flags,
                )
            )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _spaced(text: str) -> str:
    """Fold HTML white space but keep a single leading/trailing space."""
    core = " ".join(text.split())
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}{core}{trail}"


def _nearest_table(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    while parent is not None and parent.tag != "table":
        parent = parent.parent
    return parent


def read_html(text: str, selector: str | None = None) -> tuple[list[Block], str | None]:
    """Return the main content's blocks (or those of the first element matching
    the CSS ``selector``) and the page title."""
    tree = LexborHTMLParser(text)
    title_node = tree.css_first("title")
    title = " ".join(title_node.text().split()) if title_node else None
    root = _main_content(tree) if selector is None else _selected(tree, selector)
    if root is None:
        return [], title
    for node in root.css(_DROP):
        node.decompose()
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return walker.blocks, title or None


def _selected(tree: LexborHTMLParser, selector: str) -> LexborNode:
    try:
        node = tree.css_first(selector)
    except SelectolaxError:
        raise InputError("input.bad_selector", selector=selector) from None
    if node is None:
        raise InputError("input.no_selector_match", selector=selector)
    return node


def _main_content(tree: LexborHTMLParser) -> LexborNode | None:
    for selector in _MAIN:
        node = tree.css_first(selector)
        if node is not None:
            return node
    articles = tree.css("article")
    if len(articles) == 1:
        return articles[0]
    return tree.body
