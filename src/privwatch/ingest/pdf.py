"""PDF reader via pypdf: text per page, wrapped lines grouped into paragraphs."""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from privwatch.errors import InputError, NoTextError
from privwatch.ingest.text import read_text
from privwatch.models import Block

# pypdf logs its repairs ("EOF marker not found"); with no handler Python
# prints them on stderr, around the one-line error the CLI promises
logging.getLogger("pypdf").addHandler(logging.NullHandler())

_PAGE_NUMBER = re.compile(
    r"^\s*(?:-\s*\d+\s*-|\d+\s*/\s*\d+|\d+|page \d+( of \d+)?)\s*$", re.I
)


def read_pdf(data: bytes, *, source: str) -> tuple[list[Block], str | None]:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("input.pdf_encrypted", source=source)
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata
        title = metadata.title if metadata and metadata.title else None
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        RecursionError,  # pypdf reads nested arrays and dictionaries recursively
        NotImplementedError,  # a stream filter pypdf lacks (or a corrupt name)
    ) as exc:
        raise InputError(
            "input.bad_file", source=source, kind="PDF", reason=str(exc)
        ) from None
    blocks: list[Block] = []
    for page in pages:
        lines = [line for line in page.split("\n") if not _PAGE_NUMBER.match(line)]
        blocks.extend(read_text("\n".join(lines), wrapped=True))
    if not blocks:
        raise NoTextError("input.no_text", source=source)
    return blocks, (title or "").strip() or None
