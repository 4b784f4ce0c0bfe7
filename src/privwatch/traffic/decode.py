"""Open the containers trackers wrap personal data in, one inside another: a
JWT's payload, base64 and URL-safe base64, gzip, zlib and raw deflate streams,
JSON values (and JSON inside a JSON string), Socket.IO frames.

``expand`` returns every text hidden in a value, each with the steps that
opened it ("json d.t", "base64", "zlib", "jwt payload"), so an investigator
can repeat the decoding. Work is bounded twice: at most ``MAX_DEPTH``
containers one inside another, and at most ``Budget``'s bytes of decoded text
per request. A value past either bound is simply not opened further: no
exception, no hang, whatever the input.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

MAX_DEPTH = 4  # containers one inside another (a JWT in a cookie in a base64 body: 3)
MAX_DECODED = 8 * 1024 * 1024  # decoded characters per request, all values together
MIN_TOKEN = 16  # shorter base64 runs decode to text by chance
MAX_JWTS = 16  # JWTs opened per text
MAX_STRINGS = 20_000  # JSON strings looked at per text

BASE64_TOKEN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
# a JWT's header and payload are base64url JSON objects: both start "eyJ" ('{"')
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.(eyJ[A-Za-z0-9_-]{4,})\.[A-Za-z0-9_-]*")
_NOT_TEXT = re.compile(r"[^\x20-\x7e\u00a0-\ufffc\t\r\n]")
_SOCKET_IO = re.compile(r"\d{1,3}(?=[\[{])")  # "42[...]": Engine.IO/Socket.IO prefix
_JSON_START = frozenset("{[0123456789")
SAMPLE = 65_536  # characters checked for readability


class Budget:
    """Decoded characters a request may still produce."""

    __slots__ = ("cut", "left", "spent")

    def __init__(self, limit: int = MAX_DECODED) -> None:
        self.left = limit
        self.cut = False  # a body, part or frame was read only up to MAX_BODY
        self.spent = False  # a value was left unopened: the budget ran out

    def take(self, size: int) -> bool:
        if size > self.left:
            self.left = 0  # past the budget nothing more is opened in this request
            self.spent = True
            return False
        self.left -= size
        return True


@dataclass(frozen=True, slots=True)
class Opened:
    """A text found inside another."""

    text: str
    kinds: tuple[str, ...]  # decodings applied: ("base64", "zlib")
    steps: tuple[str, ...]  # the chain to repeat: ("json d.t", "base64", "zlib")
    path: str = ""  # the JSON key path of the outermost value opened ("" if none)


def readable(text: str) -> bool:
    """Text a person or a program wrote, not bytes read as characters."""
    if not text:
        return False
    sample = text[:SAMPLE]
    return len(_NOT_TEXT.findall(sample)) <= len(sample) * 0.05


def _inflate(
    data: bytes, wbits: int, limit: int, partial: bool = False
) -> tuple[bytes, bool] | None:
    """The stream uncompressed, when it ends within ``limit`` bytes; with
    ``partial``, a longer stream's first ``limit`` bytes too: (bytes, cut)."""
    try:
        decoder = zlib.decompressobj(wbits)
        out = decoder.decompress(data, limit + 1)
    except zlib.error:
        return None
    if len(out) > limit:
        return (out[:limit], True) if partial else None
    return (out, False) if decoder.eof else None


def _zlib_header(data: bytes) -> bool:
    return len(data) > 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


class Text(NamedTuple):
    """Text found in bytes: the decodings that opened it, and whether it was
    cut at the limit (only when the caller allowed a partial stream)."""

    text: str
    kinds: tuple[str, ...]
    cut: bool = False


def bytes_text(data: bytes, limit: int, *, partial: bool = False) -> Text | None:
    """Readable text in ``data``, uncompressing a gzip, zlib or raw deflate
    stream first when there is one. A stream longer than ``limit`` is refused,
    or with ``partial`` read up to the limit."""
    kinds: tuple[str, ...] = ()
    if data[:2] == b"\x1f\x8b":
        inflated, kinds = _inflate(data, 16 + zlib.MAX_WBITS, limit, partial), ("gzip",)
    elif _zlib_header(data):
        inflated, kinds = _inflate(data, zlib.MAX_WBITS, limit, partial), ("zlib",)
    else:
        inflated = None
    if inflated is None and not kinds and _deflate_start(data) and _utf8(data) is None:
        # raw deflate has no header: try it, keep only a stream of text
        inflated, kinds = _inflate(data, -zlib.MAX_WBITS, limit, partial), ("deflate",)
    if inflated is None:
        kinds = ()
    cut = inflated is not None and inflated[1]
    text = _utf8(inflated[0] if inflated else data, cut)
    return Text(text, kinds, cut) if text is not None and readable(text) else None


def _deflate_start(data: bytes) -> bool:
    """Whether ``data`` can begin a deflate block: a valid block type, and a
    stored block's length beside its complement (rules out most random bytes
    before a decompressor is made)."""
    if len(data) < 5:
        return False
    kind = data[0] >> 1 & 3
    if kind == 0:
        return data[1] | data[2] << 8 == (data[3] | data[4] << 8) ^ 0xFFFF
    return kind != 3


def _utf8(data: bytes, cut: bool = False) -> str | None:
    """``data`` as UTF-8; when ``cut``, a character split at the end dropped."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if cut and error.start >= len(data) - 3:
            return _utf8(data[: error.start])
        return None


def base64_bytes(token: str) -> tuple[bytes, str] | None:
    """The bytes of a base64 or URL-safe base64 token, with which it was."""
    token = token.strip()
    if len(token) < MIN_TOKEN or not BASE64_TOKEN.fullmatch(token):
        return None
    urlsafe = "-" in token or "_" in token
    if urlsafe and ("+" in token or "/" in token):
        return None
    try:
        raw = base64.b64decode(
            token + "=" * (-len(token) % 4), altchars=b"-_" if urlsafe else None
        )
    except (binascii.Error, ValueError):
        return None
    # standard base64 is padded; the URL-safe alphabet or no padding is base64url
    unpadded = len(token) % 4 != 0
    return raw, "base64url" if urlsafe or unpadded else "base64"


def expand(text: str, budget: Budget, depth: int = 0) -> Iterator[Opened]:
    """Every text inside ``text``, recursively, within the depth and budget."""
    if depth >= MAX_DEPTH or budget.left <= 0 or len(text) < MIN_TOKEN:
        return
    parsed = json_value(text) if text[0] in _JSON_START else None
    if parsed is not None:
        yield from walk_json(parsed, budget, depth)
        return
    token = base64_bytes(text)
    if token is None and text[:6].lower() in ("basic ", "bearer"):
        token = base64_bytes(text.partition(" ")[2])  # an Authorization value
    if token is not None:
        yield from _open_bytes(token[0], (token[1],), budget, depth)
    elif "eyJ" in text:
        yield from _jwts(text, budget, depth)


def json_value(text: str) -> object | None:
    """The JSON in ``text`` (after a Socket.IO packet number), else None."""
    head = _SOCKET_IO.match(text)
    body = text[head.end() :] if head else text
    if body[:1] not in ("{", "[") or body.rstrip()[-1:] not in ("}", "]"):
        return None
    try:
        value: object = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return value


def _open_bytes(
    raw: bytes, kinds: tuple[str, ...], budget: Budget, depth: int
) -> Iterator[Opened]:
    found = bytes_text(raw, min(budget.left, MAX_DECODED), partial=True)
    if found is not None and found.cut:  # a stream larger than what is left
        budget.left, budget.spent = 0, True
        return
    if found is None or not budget.take(len(found.text)):
        return
    text, more, _ = found
    opened = Opened(text, kinds + more, kinds + more)
    yield opened
    yield from _within(opened, budget, depth + len(opened.kinds))


def _within(outer: Opened, budget: Budget, depth: int) -> Iterator[Opened]:
    for inner in expand(outer.text, budget, depth):
        yield Opened(
            inner.text,
            outer.kinds + inner.kinds,
            outer.steps + inner.steps,
            outer.path or inner.path,
        )


def _jwts(text: str, budget: Budget, depth: int) -> Iterator[Opened]:
    for count, match in enumerate(_JWT.finditer(text)):
        if count >= MAX_JWTS:
            return
        decoded = base64_bytes(match.group(1))
        payload = json_value(_utf8(decoded[0]) or "") if decoded else None
        if payload is None:
            continue
        try:
            text_ = json.dumps(payload, ensure_ascii=False)
        except (ValueError, RecursionError):
            continue
        if not budget.take(len(text_)):
            return
        opened = Opened(text_, ("jwt",), ("jwt payload",))
        yield opened
        yield from _within(opened, budget, depth + 1)


def walk_json(value: object, budget: Budget, depth: int) -> Iterator[Opened]:
    """What the JSON's string values hide, each under its key path."""
    stack: list[tuple[str, object]] = [("", value)]
    seen = 0
    while stack and seen < MAX_STRINGS:
        path, item = stack.pop()
        if isinstance(item, dict):
            stack.extend(
                (f"{path}.{key}" if path else str(key), v)
                for key, v in reversed(item.items())
            )
        elif isinstance(item, list):
            stack.extend(
                (f"{path}[{i}]", v) for i, v in reversed(list(enumerate(item)))
            )
        elif isinstance(item, str) and len(item) >= MIN_TOKEN:
            seen += 1
            nested = json_value(item) if item[0] in _JSON_START else None
            if nested is None:
                for inner in expand(item, budget, depth):
                    yield Opened(
                        inner.text, inner.kinds, (f"json {path}", *inner.steps), path
                    )
            elif depth + 1 < MAX_DEPTH:  # JSON written as a string: one level more
                for inner in walk_json(nested, budget, depth + 1):
                    yield Opened(
                        inner.text,
                        inner.kinds,
                        (f"json {path}", *inner.steps),
                        f"{path}.{inner.path}" if path else inner.path,
                    )
