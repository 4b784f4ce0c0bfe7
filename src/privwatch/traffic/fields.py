"""What a request sends, as texts to search: its URL, query, headers, cookies
and body, each decoded the ways senders encode them.

Bodies are decoded by their Content-Encoding (gzip, deflate, br) and the HAR's
base64 marking, within a size limit (a compressed body can expand enormously);
form and URL values are URL-decoded; JSON escapes are undone; values that are
themselves base64 text are decoded too, since trackers often wrap a JSON
payload in base64.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import default as email_policy
from urllib.parse import parse_qsl, unquote_plus, urlsplit

import brotli

from privwatch.traffic.har import Entry

MAX_BODY = 16 * 1024 * 1024  # decoded bytes kept per body
_BASE64_TOKEN = re.compile(r"^[A-Za-z0-9+/_-]{16,}={0,2}$")
_PRINTABLE = re.compile(r"[\x20-\x7e\u00a0-\uffff\t\r\n]")
SKIPPED_HEADERS = {
    "cookie",
    "host",
    "content-length",
    "accept",
    "accept-encoding",
    "connection",
}


@dataclass(frozen=True, slots=True)
class Field:
    location: str  # url, query, header, cookie or body
    name: str  # the parameter, header or cookie name ("" for url and body)
    text: str
    decoding: str = "plain"  # how the text was recovered: plain, url, base64, gzip...


def request_fields(entry: Entry) -> list[Field]:
    split = urlsplit(entry.url)
    fields = [Field("url", "", f"{split.scheme}://{split.netloc}{split.path}")]
    query = (
        parse_qsl(split.query, keep_blank_values=True)
        if split.query
        else list(entry.query)
    )
    for name, value in query:
        fields.extend(_with_decoded("query", name, value))
    for name, value in entry.headers:
        if name.lower() not in SKIPPED_HEADERS and not name.startswith(":"):
            fields.append(Field("header", name, value))
    cookies = list(entry.cookies) or _cookie_header(entry.header("cookie"))
    for name, value in cookies:
        fields.extend(_with_decoded("cookie", name, value))
    fields.extend(_body_fields(entry))
    return [f for f in fields if f.text]


def _cookie_header(value: str | None) -> list[tuple[str, str]]:
    if not value:
        return []
    pairs = (part.strip().partition("=") for part in value.split(";"))
    return [(name, val) for name, _, val in pairs if name]


def _with_decoded(
    location: str, name: str, value: str, decoding: str = "plain"
) -> list[Field]:
    out = [Field(location, name, value, decoding)]
    unquoted = unquote_plus(value) if "%" in value or "+" in value else value
    if unquoted != value:
        out.append(Field(location, name, unquoted, "url"))
    decoded = _base64_text(unquoted)
    if decoded is not None:
        out.append(Field(location, name, decoded, "base64"))
    return out


def _base64_text(value: str) -> str | None:
    """The text inside a base64 token, when it decodes to readable text."""
    token = value.strip()
    if len(token) > MAX_BODY or not _BASE64_TOKEN.match(token):
        return None
    try:
        raw = base64.b64decode(
            token + "=" * (-len(token) % 4),
            altchars=b"-_" if "-" in token or "_" in token else None,
        )
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    printable = len(_PRINTABLE.findall(text))
    return text if text and printable / len(text) > 0.95 else None


def _decompress(data: bytes, coding: str) -> bytes | None:
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
            return result if len(result) <= MAX_BODY else None
        else:
            return None
        inflated: bytes = decoder.decompress(data, MAX_BODY + 1)
        return inflated if len(inflated) <= MAX_BODY else None
    except (zlib.error, brotli.error):
        return None


def _body_fields(entry: Entry) -> list[Field]:
    fields: list[Field] = []
    for name, value in entry.params:
        fields.extend(_with_decoded("body", name, value))
    if not entry.body:
        return fields
    decoding = "plain"
    raw: bytes | None = None
    if entry.body_encoding == "base64":
        try:
            raw = base64.b64decode(entry.body)
            decoding = "base64"
        except (binascii.Error, ValueError):
            raw = None
    coding = (entry.header("content-encoding") or "").strip().lower()
    if coding or (raw is not None and raw[:2] == b"\x1f\x8b"):
        source = raw if raw is not None else entry.body.encode("latin-1", "ignore")
        unpacked = _decompress(source, coding or "gzip")
        if unpacked is not None:
            raw, decoding = unpacked, coding or "gzip"
    text = entry.body if raw is None else raw.decode("utf-8", "replace")
    text = text[:MAX_BODY]
    if "\x00" in text[:1024]:
        return fields  # binary: nothing to read as text
    mime = (entry.mime_type or entry.header("content-type") or "").lower()
    if "multipart/" in mime:
        return fields + _multipart(text, mime, decoding)
    fields.append(Field("body", "", text, decoding))
    if "json" in mime or text.lstrip()[:1] in ("{", "["):
        unescaped = _json_unescaped(text)
        if unescaped is not None and unescaped != text:
            fields.append(Field("body", "", unescaped, "json"))
    elif "x-www-form-urlencoded" in mime or (
        "=" in text and "&" in text and " " not in text[:200]
    ):
        for name, value in parse_qsl(text, keep_blank_values=True):
            fields.extend(_with_decoded("body", name, value, decoding))
    else:
        decoded = _base64_text(text)
        if decoded is not None:
            fields.append(Field("body", "", decoded, "base64"))
    return fields


def _json_unescaped(text: str) -> str | None:
    """The JSON's strings with escapes undone (``\\u0040`` is ``@``)."""
    if "\\" not in text:
        return None
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except (ValueError, RecursionError):
        return None


def _multipart(text: str, mime: str, decoding: str) -> list[Field]:
    head = f"Content-Type: {mime}\r\n\r\n".encode()
    try:
        message = BytesParser(policy=email_policy).parsebytes(
            head + text.encode("utf-8", "replace")
        )
    except (ValueError, TypeError):
        return [Field("body", "", text, decoding)]
    fields = []
    for part in message.iter_parts() if message.is_multipart() else []:
        name = part.get_param("name", header="content-disposition") or ""
        if (
            part.get_content_maintype() == "text"
            or not part.get_content_type().startswith(("image/", "video/", "audio/"))
        ):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                value = payload.decode("utf-8", "replace")
                fields.append(Field("body", str(name), value, decoding))
    return fields or [Field("body", "", text, decoding)]
