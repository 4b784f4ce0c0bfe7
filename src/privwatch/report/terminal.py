"""Lines of text in the terminal: wrapped at word boundaries to the console's
width (a run with no space in it, a URL or a long Korean word, broken between
characters), each continuation line indented under its block."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

#: the narrowest a wrapped line's text gets, however deep its indent
NARROWEST = 20


def hanging(console: Console, text: Text | str, *, hang: int = 0) -> None:
    """Print ``text`` (which starts with its own indent) wrapped to the
    console's width, every continuation line indented as the first plus
    ``hang`` columns; as one line on a console that does not wrap."""
    if isinstance(text, str):
        text = Text(text)
    if console.soft_wrap:
        console.print(text)
        return
    plain = text.plain
    lead = len(plain) - len(plain.lstrip(" "))
    body = text[lead:]
    width = max(console.width - lead - hang, NARROWEST)
    for index, line in enumerate(body.wrap(console, width, overflow="fold")):
        line.rstrip()
        indent = " " * (lead + (hang if index else 0))
        console.print(Text.assemble(indent, line), no_wrap=True, crop=False)


def plain(console: Console) -> bool:
    """Whether styles cannot mark text on ``console`` (not a terminal, or
    colour off by NO_COLOR): marks in the text itself must then show what
    is inserted, deleted or quoted."""
    return not console.is_terminal or console.no_color or console.color_system is None
