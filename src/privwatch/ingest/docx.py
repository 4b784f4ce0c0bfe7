"""DOCX reader via python-docx, after checking the archive is not a zip bomb."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree  # type: ignore[import-untyped]

from privwatch.errors import InputError
from privwatch.models import Block, BlockKind

MAX_UNPACKED = 256 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000
_HEADING_STYLE = re.compile(r"^(?:heading|제목)\s*(\d)$", re.I)


def check_archive(
    data: bytes, *, source: str, max_unpacked: int = MAX_UNPACKED
) -> None:
    """Refuse archives whose members would unpack far beyond their size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError(
            "input.bad_file", source=source, kind="DOCX", reason=str(exc)
        ) from None
    total = sum(m.file_size for m in members)
    worst = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if len(members) > MAX_MEMBERS or total > max_unpacked or worst > MAX_RATIO:
        raise InputError("input.zip_bomb", source=source, size=total, ratio=int(worst))


def read_docx(data: bytes, *, source: str) -> tuple[list[Block], str | None]:
    check_archive(data, source=source)
    try:
        document: DocxDocument = docx.Document(io.BytesIO(data))
        blocks: list[Block] = []
        tables = 0
        for part in document.iter_inner_content():
            if isinstance(part, Paragraph):
                blocks.append(_paragraph(part))
            elif isinstance(part, Table):
                blocks.extend(_table(part, tables))
                tables += 1
        title = document.core_properties.title or None
    except (
        KeyError,
        ValueError,
        EOFError,  # a member's compressed data cut off
        NotImplementedError,  # a compression method zipfile lacks
        zipfile.BadZipFile,
        zlib.error,
        etree.LxmlError,
    ) as exc:
        raise InputError(
            "input.bad_file", source=source, kind="DOCX", reason=str(exc)
        ) from None
    return blocks, title


def _paragraph(paragraph: Paragraph) -> Block:
    style = paragraph.style.name if paragraph.style is not None else ""
    if style == "Title":
        return Block(BlockKind.HEADING, paragraph.text, level=1)
    match = _HEADING_STYLE.match(style or "")
    if match:
        return Block(BlockKind.HEADING, paragraph.text, level=int(match.group(1)))
    properties = paragraph._p.pPr
    numbering: Any = properties.numPr if properties is not None else None
    if numbering is not None or (style or "").lower().startswith("list"):
        level = 1
        if numbering is not None and numbering.ilvl is not None:
            level = int(numbering.ilvl.val) + 1
        return Block(BlockKind.ITEM, paragraph.text, level=level)
    return Block(BlockKind.PARAGRAPH, paragraph.text)


def _table(table: Table, index: int) -> list[Block]:
    rows: list[Block] = []
    for number, row in enumerate(table.rows):
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:  # merged cells repeat: keep each once
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text)
        header = number == 0 and _is_header_row(row)
        rows.append(
            Block(BlockKind.ROW, cells=tuple(cells), table=index, header=header)
        )
    return rows


def _is_header_row(row: object) -> bool:
    tr = row._tr  # type: ignore[attr-defined]
    properties = tr.trPr
    return properties is not None and any(
        child.tag.endswith("}tblHeader") for child in properties.iterchildren()
    )
