"""Plain-text reader: paragraphs from blank lines, numbering and short lines.

A line that starts with numbering (``제1조``, ``①``, ``1.``, ``가.``, ``-``) opens
a new block; lines of cells separated by `` | `` are table rows, the first of a
run of them its header. With ``wrapped=True`` (PDF pages), a line much shorter than the
text's full lines ends its paragraph, since wrapped text has no blank lines.
Line breaks inside a paragraph are kept as they are: joining wrapped Korean
lines cannot tell a broken word from two words.
"""

from __future__ import annotations

from privwatch.ingest.markers import line_opens_block
from privwatch.models import Block, BlockKind

_SHORT_LINE = 0.6
_CELL_SEPARATOR = " | "


def _is_row(line: str) -> bool:
    return _CELL_SEPARATOR in line


def read_text(text: str, *, wrapped: bool = False) -> list[Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    widths = sorted(len(line.strip()) for line in lines if line.strip())
    usual = widths[int(len(widths) * 0.9)] if widths else 0  # a full line's width
    blocks: list[Block] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(Block(BlockKind.PARAGRAPH, "\n".join(current)))
            current.clear()

    tables = 0
    run = 0  # rows so far in the current table
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _is_row(stripped):
            flush()
            nxt = lines[index + 1].strip() if index + 1 < len(lines) else ""
            header = run == 0 and _is_row(nxt)
            cells = tuple(cell.strip() for cell in stripped.strip("|").split(" | "))
            blocks.append(
                Block(BlockKind.ROW, cells=cells, table=tables, header=header)
            )
            run += 1
            continue
        if run:
            tables, run = tables + 1, 0
        if not stripped:
            flush()
            continue
        if current and line_opens_block(stripped):
            flush()
        current.append(stripped)
        if wrapped and len(stripped) < _SHORT_LINE * usual:
            flush()
    flush()
    return blocks
