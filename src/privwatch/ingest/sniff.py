"""Decide a source's format from its bytes, its name and its Content-Type."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from privwatch.errors import UnsupportedTypeError

HTML = "text/html"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN = "text/markdown"
TEXT = "text/plain"

_BY_SUFFIX = {
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".pdf": PDF,
    ".docx": DOCX,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".txt": TEXT,
    ".text": TEXT,
}
_BY_CONTENT_TYPE = {
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/pdf": PDF,
    DOCX: DOCX,
    "text/markdown": MARKDOWN,
    "text/x-markdown": MARKDOWN,
    "text/plain": TEXT,
}
# Formats recognised by their first bytes but not read by privwatch.
_FOREIGN_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"RIFF",
    b"\x7fELF",
    b"MZ",
    b"\x1f\x8b",
    b"BZh",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\xd0\xcf\x11\xe0",
    b"%!PS",
)
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S
)
_MARKDOWN_HINT = re.compile(r"^(#{1,6} \S|\s*\|.*\|\s*$|[=-]{3,}\s*$)", re.M)


def media_type(data: bytes, *, name: str, content_type: str | None = None) -> str:
    """Return one of the five media types privwatch reads, or raise."""
    head = data[:1024]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return DOCX
        raise UnsupportedTypeError("input.unsupported", source=name, kind="zip")
    if head.startswith(_FOREIGN_MAGIC):
        raise UnsupportedTypeError("input.not_text", source=name)
    declared = (content_type or "").split(";")[0].strip().lower()
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return HTML
    suffix = PurePosixPath(
        urlsplit(name).path if "://" in name else name
    ).suffix.lower()
    kind = _BY_CONTENT_TYPE.get(declared) or _BY_SUFFIX.get(suffix)
    if kind is None:
        if declared and not declared.startswith("text/"):
            raise UnsupportedTypeError("input.unsupported", source=name, kind=declared)
        if suffix and suffix not in _BY_SUFFIX:
            raise UnsupportedTypeError("input.unsupported", source=name, kind=suffix)
        kind = TEXT
    return kind


def looks_like_markdown(text: str) -> bool:
    """Plain text that is really Markdown (ATX headings, pipe tables, setext rules)."""
    return len(_MARKDOWN_HINT.findall(text[:200_000])) >= 3


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
