"""Turn bytes into text: BOM, then a declared charset, then detection.

Korean sites still serve EUC-KR; it is decoded as CP949, its superset, so the
extra Hangul syllables Windows added (e.g. 똠, 햏) do not break decoding.
"""

from __future__ import annotations

import codecs
import re

from privwatch.errors import UnsupportedTypeError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SUPERSETS = {
    "euc-kr": "cp949",
    "euckr": "cp949",
    "euc_kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "x-windows-949": "cp949",
    "windows-949": "cp949",
    "uhc": "cp949",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", re.I)


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def charset_from_meta(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _codec(name: str) -> str | None:
    name = _SUPERSETS.get(name.strip().lower(), name.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(
    data: bytes, *, declared: str | None = None, source: str = ""
) -> tuple[str, str]:
    """Return ``(text, encoding)``; refuse bytes that are not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, source), encoding
    candidates = [c for c in (_codec(declared or ""), "utf-8") if c]
    for encoding in dict.fromkeys(candidates):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    if b"\x00" in data:
        raise UnsupportedTypeError("input.not_text", source=source)
    from charset_normalizer import from_bytes  # loads only for a guess

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UnsupportedTypeError("input.not_text", source=source)
    encoding = _codec(best.encoding) or best.encoding
    if encoding in ("euc_kr", "johab"):
        encoding = "cp949"
    return _strict(data, encoding, source), encoding


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise UnsupportedTypeError(
            "input.bad_encoding", source=source, encoding=encoding
        ) from None
