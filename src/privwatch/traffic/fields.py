"""What a request sends, as texts to search: its URL, query, headers, cookies,
body and the WebSocket frames it sent, each decoded the ways senders encode them.

Bodies are decoded by their Content-Encoding (gzip, deflate, br) and the HAR's
base64 marking, within a size limit (a compressed body can expand enormously);
a body that is a gzip, zlib or raw deflate stream without saying so is opened
too, as session-replay SDKs send them. Form and URL values are URL-decoded;
JSON escapes are undone; multipart bodies are read part by part, each text part
under its name, a binary part (a file) skipped alone. Then every value is
opened recursively (``decode.expand``): base64 and URL-safe base64 text, a
JWT's payload, compressed streams, JSON string values under their key path,
within a depth and a per-request budget. Each field says how it was reached
(``via``: "cookie session → jwt payload") so an investigator can repeat it.

WebSocket frames (Chrome's ``_webSocketMessages``): the frames the browser sent
are read like a body (location ``websocket``, "sent frame N" in ``via``).
Frames it received are what a server told the page, not data leaving the
device, so they are not searched (``har.read_entries`` does not keep them).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import brotli

from privwatch.traffic.decode import (
    MAX_DECODED,
    MIN_TOKEN,
    SAMPLE,
    Budget,
    Opened,
    Text,
    base64_bytes,
    bytes_text,
    expand,
    json_value,
    readable,
    walk_json,
)
from privwatch.traffic.har import Entry
from privwatch.traffic.korean import (
    CP949_NAMES,
    cp949_text,
    form_pairs,
    joined,
    name_field,
    url_text,
)
from privwatch.traffic.splits import container_pairs, json_objects

MAX_BODY = 16 * 1024 * 1024  # decoded bytes kept per body
SKIPPED_HEADERS = {
    "cookie",
    "host",
    "content-length",
    "accept",
    "accept-encoding",
    "connection",
}
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)
_PART_NAME = re.compile(rb'\bname="([^"]*)"|\bname=([^;\s]+)', re.IGNORECASE)
_PART_TYPE = re.compile(rb"^content-type:\s*([^;\r\n]+)", re.IGNORECASE | re.MULTILINE)
_CHARSET = re.compile(rb"charset=\"?([\w.:-]+)", re.IGNORECASE)
MEDIA = (b"image/", b"video/", b"audio/", b"font/")


@dataclass(frozen=True, slots=True)
class Field:
    location: str  # url, query, header, cookie, body or websocket
    name: str  # the parameter, header, cookie, part name or JSON key path
    text: str
    decoding: str = "plain"  # how the text was recovered: plain, url, base64, gzip...
    via: str = ""  # the chain that reached it: "cookie session → jwt payload"


def request_fields(
    entry: Entry, warn: Callable[[str, dict[str, Any]], None] | None = None
) -> list[Field]:
    """Every text the request sends; ``warn`` hears of a body read only up to
    the size limit (``scan.body_cut``) and of values left unopened when the
    decoding budget ran out (``scan.decode_budget``), naming the entry."""
    budget = Budget()  # decoded text per request, all its values together
    budget.cut = entry.cut  # a string too long for the HAR reader to keep whole
    split = urlsplit(entry.url)
    fields = [
        Field("url", "", f"{split.scheme}://{split.netloc}{split.path}", via="url")
    ]
    query = (
        form_pairs(split.query)
        if split.query
        else [(name, value, False) for name, value in entry.query]
    )
    fields.extend(_pairs_fields("query", query, budget, "plain", "query"))
    for name, value in entry.headers:
        if name.lower() not in SKIPPED_HEADERS and not name.startswith(":"):
            via = f"header {name}"
            fields.append(Field("header", name, value, via=via))
            fields.extend(_opened("header", name, value, budget, "plain", via))
    cookies = list(entry.cookies) or _cookie_header(entry.header("cookie"))
    for name, value in cookies:
        fields.extend(_with_decoded("cookie", name, value, budget))
    fields.extend(_body_fields(entry, budget))
    fields.extend(_frame_fields(entry, budget))
    if budget.cut and warn is not None:
        warn("scan.body_cut", {"index": entry.index, "limit": MAX_BODY >> 20})
    if budget.spent and warn is not None:
        warn("scan.decode_budget", {"index": entry.index, "limit": MAX_DECODED >> 20})
    return [f for f in fields if f.text]


def _cookie_header(value: str | None) -> list[tuple[str, str]]:
    if not value:
        return []
    pairs = (part.strip().partition("=") for part in value.split(";"))
    return [(name, val) for name, _, val in pairs if name]


def _pairs_fields(
    location: str,
    pairs: list[tuple[str, str, bool]],
    budget: Budget,
    decoding: str,
    via: str,
) -> list[Field]:
    """Form or query (name, value, read as CP949) pairs as fields, then each
    value split over several inputs (hp1/hp2/hp3) joined."""
    fields: list[Field] = []
    for name, value, korean in pairs:
        step = f"{via} {name}"
        if korean:  # percent-encoded EUC-KR / CP949
            fields.extend(
                _with_decoded(location, name, value, budget, "cp949", f"{step} → cp949")
            )
        else:
            fields.extend(_with_decoded(location, name, value, budget, decoding, step))
    found = [(name, value) for name, value, _ in pairs]
    return fields + _joined_fields(location, found, via)


def _joined_fields(
    location: str, pairs: Iterable[tuple[str, str]], via: str, decoding: str = ""
) -> list[Field]:
    """A value Korean forms split (hp1/hp2/hp3, email1/email2, jumin1/jumin2)
    joined, named by its parts: "body hp1+hp2+hp3"; ``decoding``: how the
    container holding them was opened ("base64")."""
    how = f"{decoding}+joined" if decoding not in ("", "plain", "url") else "joined"
    return [
        Field(location, label, text, how, f"{via} {label}")
        for label, text in joined(pairs)
    ]


def _container_fields(location: str, text: str, decoding: str, via: str) -> list[Field]:
    """Inside a text opened from a value (base64, a JWT payload, JSON in a
    string): split values joined and a name's parts apart, as in a body."""
    fields: list[Field] = []
    for pairs in container_pairs(text):
        fields += _joined_fields(location, pairs, via, decoding)
        fields += _name_fields(location, pairs, decoding, via)
    return fields


def _with_decoded(
    location: str,
    name: str,
    value: str,
    budget: Budget,
    decoding: str = "plain",
    via: str = "",
) -> list[Field]:
    via = via or f"{location} {name}".strip()
    out = [Field(location, name, value, decoding, via)]
    unquoted, korean = (
        url_text(value) if "%" in value or "+" in value else (value, False)
    )
    if unquoted != value:
        step = "cp949" if korean else "url"  # percent-encoded EUC-KR / CP949
        out.append(Field(location, name, unquoted, step, f"{via} → {step}"))
    out.extend(_opened(location, name, unquoted, budget, decoding, via))
    return out


def _opened(
    location: str, name: str, text: str, budget: Budget, decoding: str, via: str
) -> list[Field]:
    if len(text) < MIN_TOKEN:
        return []  # too short to hold anything (most values)
    return _as_fields(location, name, expand(text, budget), decoding, via)


def _as_fields(
    location: str, name: str, found: Iterable[Opened], decoding: str, via: str
) -> list[Field]:
    """Texts opened inside a field, each with its decodings and chain."""
    out = []
    for item in found:
        kinds = "+".join(item.kinds)
        if decoding not in ("plain", "url") and kinds:
            kinds = f"{decoding}+{kinds}"
        chain = " → ".join((via, *item.steps))
        out.append(
            Field(location, name or item.path, item.text, kinds or decoding, chain)
        )
        out += _container_fields(location, item.text, kinds or decoding, chain)
    return out


def _decompress(data: bytes, coding: str) -> tuple[bytes, bool] | None:
    """The body under its Content-Encoding, cut at MAX_BODY: (bytes, cut)."""
    try:
        if coding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            decoder = zlib.decompressobj()
        elif coding == "br":
            # the output buffer stops growing past the limit: a bomb is cut off
            result: bytes = brotli.Decompressor().process(
                data, output_buffer_limit=MAX_BODY + 1
            )
            return result[:MAX_BODY], len(result) > MAX_BODY
        else:
            return None
        inflated: bytes = decoder.decompress(data, MAX_BODY + 1)
        return inflated[:MAX_BODY], len(inflated) > MAX_BODY
    except (zlib.error, brotli.error):
        return None


def _body_bytes(entry: Entry, budget: Budget) -> tuple[bytes | None, str]:
    """The body's bytes when the HAR or Content-Encoding wrapped them, and how."""
    decoding = "plain"
    raw: bytes | None = None
    if entry.body_encoding == "base64":
        try:
            raw = base64.b64decode(entry.body)
            decoding = "base64"
        except (binascii.Error, ValueError):
            raw = None
    coding = (entry.header("content-encoding") or "").strip().lower()
    if coding:
        source = raw if raw is not None else entry.body.encode("latin-1", "ignore")
        unpacked = _decompress(source, coding)
        if unpacked is not None:
            (raw, cut), decoding = unpacked, coding
            budget.cut |= cut
    return raw, decoding


def _body_text(
    entry: Entry, raw: bytes | None, decoding: str, budget: Budget
) -> tuple[str, str] | None:
    """The body as text, opening a gzip, zlib or raw deflate stream that no
    header announced; None when it is binary. Past MAX_BODY the body is read
    up to the limit and the budget notes it was cut."""
    if (
        raw is None
        and "\x00" not in entry.body[:1024]
        and readable(entry.body[:SAMPLE])
    ):
        budget.cut |= len(entry.body) > MAX_BODY
        return entry.body[:MAX_BODY], decoding
    if raw is None:
        try:
            raw = entry.body.encode("latin-1")  # bytes a recorder kept as characters
        except UnicodeEncodeError:
            raw = None
    found = bytes_text(raw, MAX_BODY, partial=True) if raw is not None else None
    if found is not None and found.kinds:
        budget.cut |= found.cut
        return found.text, "+".join(found.kinds)
    text = entry.body if raw is None else raw.decode("utf-8", "replace")
    budget.cut |= len(text) > MAX_BODY
    text = text[:MAX_BODY]
    return None if "\x00" in text[:1024] else (text, decoding)


def _body_fields(entry: Entry, budget: Budget) -> list[Field]:
    params = [(name, value, False) for name, value in entry.params]
    fields = _pairs_fields("body", params, budget, "plain", "body")
    if not entry.body:
        return fields
    raw, decoding = _body_bytes(entry, budget)
    content_type = entry.mime_type or entry.header("content-type") or ""
    mime = content_type.lower()
    if "multipart/" in mime:
        data = raw if raw is not None else entry.body.encode("utf-8", "replace")
        # the boundary keeps its case (Chrome's ----WebKitFormBoundaryAbC...)
        parts = _multipart(data, content_type, decoding, budget)
        if parts:
            return fields + parts
    found = _body_text(entry, raw, decoding, budget)
    if found is None:
        return fields  # binary: nothing to read as text
    text, decoding = found
    return fields + _content_fields("body", "", text, decoding, "body", budget, mime)


def _content_fields(
    location: str,
    name: str,
    text: str,
    decoding: str,
    via: str,
    budget: Budget,
    mime: str = "",
) -> list[Field]:
    """A body, a part or a frame: the text, then what it holds (JSON values,
    form fields, a base64 or JWT payload)."""
    if decoding not in ("plain", "url", "base64"):
        via = f"{via} → {decoding}"
    fields = [Field(location, name, text, decoding, via)]
    parsed = (
        json_value(text.strip())
        if text.lstrip()[:1] in ("{", "[") or text[:1].isdigit()
        else None
    )
    if parsed is not None:
        unescaped = _json_unescaped(text, parsed)
        if unescaped is not None:
            fields.append(Field(location, name, unescaped, "json", f"{via} → json"))
        found = walk_json(parsed, budget, 0)
        fields += _as_fields(location, name, found, decoding, via)
        for item in json_objects(parsed):
            fields += _joined_fields(location, item, via)
            fields += _name_fields(location, item, decoding, via)
        return fields
    if "x-www-form-urlencoded" in mime or (
        "=" in text and "&" in text and " " not in text[:200]
    ):
        return fields + _pairs_fields(location, form_pairs(text), budget, decoding, via)
    return fields + _opened(location, name, text, budget, decoding, via)


def _name_fields(
    location: str, pairs: Iterable[tuple[str, str]], decoding: str, via: str
) -> list[Field]:
    """A JSON object's values in fields named for a part of a name
    (``first_name``, ``family_name``, 성): each its own field, so that the
    persona's given or family name is matched alone there and nowhere else."""
    return [
        Field(location, key, value, decoding, f"{via} json {key}")
        for key, value in pairs
        if name_field(key)
    ]


def _json_unescaped(text: str, parsed: object) -> str | None:
    """The JSON's strings with escapes undone (``\\u0040`` is ``@``)."""
    if "\\" not in text:
        return None
    try:
        unescaped = json.dumps(parsed, ensure_ascii=False)
    except (ValueError, RecursionError):
        return None
    return unescaped if unescaped != text else None


def _multipart(data: bytes, mime: str, decoding: str, budget: Budget) -> list[Field]:
    """Each part of a multipart body: text parts under their names, a binary
    part (a file) opened only if it is a compressed text stream."""
    match = _BOUNDARY.search(mime)
    if match is None:
        return []
    fields: list[Field] = []
    texts: list[tuple[str, str]] = []
    for part in data.split(b"--" + match.group(1).strip().encode("latin-1"))[1:]:
        head, sep, content = part.partition(b"\r\n\r\n")
        if not sep:
            head, sep, content = part.partition(b"\n\n")
        if not sep:
            continue  # the closing "--" or a part without headers
        content = content.removesuffix(b"\r\n").removesuffix(b"\n")
        named = _PART_NAME.search(head)
        name = (
            (named.group(1) or named.group(2)).decode("utf-8", "replace")
            if named
            else ""
        )
        kind = _PART_TYPE.search(head)
        media = kind.group(1).strip().lower() if kind else b""
        via = f"body multipart {name}".rstrip()
        if media.startswith(MEDIA):
            continue
        found = _part_text(head, content)
        if found is None:
            continue  # binary: this part only
        coding = "+".join(found.kinds) if found.kinds else decoding
        text = _limited(found, budget)
        texts.append((name, text))
        fields.extend(_content_fields("body", name, text, coding, via, budget))
    return fields + _joined_fields("body", texts, "body multipart")


def _part_text(head: bytes, content: bytes) -> Text | None:
    """A multipart part as text: in the charset its header names (EUC-KR and
    CP949 read as CP949), else UTF-8 (opening a compressed stream), else CP949
    when that holds Hangul; None when it is binary. A recorder that kept the
    body's bytes as characters (one per byte) has them read as bytes."""
    charset = _CHARSET.search(head)
    raw = _recorded(content)
    if charset and charset.group(1).decode("latin-1").lower() in CP949_NAMES:
        return Text(raw[:MAX_BODY].decode("cp949", "replace"), ("cp949",))
    found = bytes_text(content, MAX_BODY, partial=True)
    if (found is not None and found.kinds) or b"\x00" in raw[:1024]:
        return found  # a compressed stream, or binary (a file)
    korean = cp949_text(raw[:MAX_BODY])
    if korean is not None and readable(korean[:SAMPLE]):
        return Text(korean, ("cp949",))
    if raw is not content:
        try:
            return Text(raw[:MAX_BODY].decode("utf-8"), ())
        except UnicodeDecodeError:
            pass
    if found is None and b"\x00" not in content[:1024]:
        found = Text(content.decode("utf-8", "replace"), ())
    return found


def _recorded(content: bytes) -> bytes:
    """The bytes a part's characters stand for when every character is one
    byte (U+0000-U+00FF) and some are past ASCII; else ``content``."""
    if content.isascii():
        return content
    try:
        text = content.decode("utf-8")
        return text.encode("latin-1")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return content


def _limited(found: Text, budget: Budget) -> str:
    """The text up to MAX_BODY; the budget notes a cut."""
    budget.cut |= found.cut or len(found.text) > MAX_BODY
    return found.text[:MAX_BODY]


def _frame_fields(entry: Entry, budget: Budget) -> list[Field]:
    """The WebSocket frames the page sent, each read like a body."""
    fields: list[Field] = []
    for frame in entry.frames:
        via = f"websocket sent frame {frame.index}"
        if frame.opcode == 2:  # binary: the HAR holds it in base64
            raw = base64_bytes(frame.data)
            found = bytes_text(raw[0], MAX_BODY, partial=True) if raw else None
            if found is None:
                continue
            decoding = "+".join(found.kinds) or "binary"
        else:
            found, decoding = Text(frame.data, ()), "plain"
        text = _limited(found, budget)
        fields.extend(_content_fields("websocket", "", text, decoding, via, budget))
    return fields
