"""Ingestion: a file path or URL becomes normalised text with placed blocks.

``load()`` reads the bytes (``source``), decides the format (``sniff``), turns
the bytes into blocks with the format's reader and lays the blocks out as one
normalised text (``layout``).
"""

from __future__ import annotations

from dataclasses import dataclass

from privwatch.errors import InputError, NoTextError
from privwatch.ingest import sniff
from privwatch.ingest.decode import charset_from_content_type, charset_from_meta, decode
from privwatch.ingest.layout import lay_out
from privwatch.ingest.source import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Progress,
    RawSource,
    read_source,
)
from privwatch.ingest.text import read_text
from privwatch.models import Block, PlacedBlock, SourceInfo

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "Loaded", "load", "parse"]


@dataclass(frozen=True, slots=True)
class Loaded:
    source: SourceInfo
    fetched_at: str
    title: str | None
    text: str
    blocks: tuple[PlacedBlock, ...]


def load(
    source: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> Loaded:
    """Read ``source`` (path or http(s) URL) into normalised text and blocks."""
    raw = read_source(source, max_bytes=max_bytes, timeout=timeout, progress=progress)
    return parse(raw)


def parse(raw: RawSource, *, selector: str | None = None) -> Loaded:
    """Turn fetched bytes into normalised text and blocks; ``selector`` picks the
    element of an HTML page that holds the document."""
    media_type = sniff.media_type(raw.data, name=raw.uri, content_type=raw.content_type)
    encoding: str | None = None
    blocks: list[Block]
    title: str | None
    # each reader's library (pypdf, python-docx, selectolax, markdown-it) loads
    # only for its format
    if media_type == sniff.PDF:
        from privwatch.ingest.pdf import read_pdf

        blocks, title = read_pdf(raw.data, source=raw.uri)
    elif media_type == sniff.DOCX:
        from privwatch.ingest.docx import read_docx

        blocks, title = read_docx(raw.data, source=raw.uri)
    else:
        declared = charset_from_content_type(raw.content_type)
        if media_type == sniff.HTML:
            declared = declared or charset_from_meta(raw.data)
        text, encoding = decode(raw.data, declared=declared, source=raw.uri)
        if media_type == sniff.TEXT and sniff.looks_like_markdown(text):
            media_type = sniff.MARKDOWN
        if media_type == sniff.HTML:
            from privwatch.ingest.html import read_html, too_deep

            if too_deep(text):
                raise InputError("input.too_deep", path=raw.uri)
            blocks, title = read_html(text, selector)
        elif media_type == sniff.MARKDOWN:
            from privwatch.ingest.markdown import read_markdown

            blocks, title = read_markdown(text)
        else:
            blocks, title = read_text(text), None
    normalised, placed = lay_out(blocks)
    if not normalised:
        raise NoTextError("input.no_text", source=raw.uri)
    info = SourceInfo(
        uri=raw.uri,
        kind=raw.kind,
        media_type=media_type,
        encoding=encoding,
        size=len(raw.data),
        bytes_sha256=raw.sha256,
        http_status=raw.http_status,
    )
    return Loaded(info, raw.fetched_at, title, normalised, placed)
