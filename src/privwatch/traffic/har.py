"""Stream the requests of a HAR 1.2 file (Chrome, Firefox, Safari, Playwright,
mitmproxy's hardump) without loading the file: memory follows the largest
entry, not the file. Only what a request sends is kept, and of the response
an HTML page's text (up to ``MAX_PAGE``: the site's own contacts are read
from its pages); other response bodies are parsed past, never stored.

Time is linear in the file's size whatever its longest string: yajl (ijson's
C backend) re-reads a token that spans two reads from its start at every
read, so a 60 MB body read 4 KiB at a time cost hours. ``_Reads`` hands the
parser every string whole, in one read, and at most ``MAX_STRING`` bytes of it
(the rest is skipped, the entry marked ``cut``; of a string no request
needs, such as a response body, ``MAX_UNUSED``), so memory stays bounded too.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import ijson

from privwatch.errors import InputError

if TYPE_CHECKING:
    from privwatch.ingest.source import Progress

#: JSON nesting refused beyond this depth (a HAR needs about 8 levels)
MAX_DEPTH = 200
#: bytes of one JSON string kept (as written, escapes included); past it the
#: string is skipped to its end. Twice the 16 MB of a body that are scanned:
#: the scanned part is kept whole in ASCII, base64 and 2-byte UTF-8 (Korean
#: text, 3 bytes a character, keeps 11 of its 16 million characters). The
#: parser holds a string about four times while it reads it (the read, its
#: copy, the text), so this bounds a 200 MB body's memory.
MAX_STRING = 32 * 1024 * 1024
#: bytes kept of a string no request needs (a response body, a page title)
MAX_UNUSED = 64 * 1024
KEPT = ("request", "serverIPAddress", "startedDateTime", "_webSocketMessages")
#: bytes kept of a response body (only an HTML page's is used: its footer,
#: where a shop prints its contacts, comes last)
MAX_PAGE = 1024 * 1024
#: the response's headers: of them only Set-Cookie is kept (``Entry.set_cookies``)
RESPONSE_HEADERS = "response.headers"
#: Chrome's record of what started the request (a script's URL, its stack)
INITIATOR = "_initiator"
#: the parts of a response kept, under the entry
PAGE = (
    "response.content.text",
    "response.content.mimeType",
    "response.content.encoding",
)
#: bytes handed to the parser between two strings: small reads bound the work
#: between two depth checks (ijson keeps every level's prefix, so 64 KiB of
#: "[" would cost gigabytes)
STEP = 4096
BLOCK = 1024 * 1024  # bytes read from the file at a time

# a quote escaped by an odd run of backslashes (outside strings JSON has none)
_ESCAPED_QUOTE = re.compile(rb'(?<!\\)(?:\\\\)*+\\"')
_HIGH_SURROGATE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}\Z")


@dataclass(frozen=True, slots=True)
class Frame:
    """A WebSocket message the page sent (Chrome's ``_webSocketMessages``)."""

    index: int  # position among the entry's messages, both directions counted
    opcode: int  # 1 text, 2 binary (data in base64)
    data: str
    time: float | None


@dataclass(frozen=True, slots=True)
class Entry:
    """One request of the session, as the HAR recorded it."""

    index: int  # position in log.entries
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    cookies: tuple[tuple[str, str], ...]
    query: tuple[tuple[str, str], ...]
    body: str  # postData.text ("" when none)
    body_encoding: str | None  # "base64" when the recorder encoded it
    mime_type: str
    params: tuple[tuple[str, str], ...]  # postData.params (form fields)
    server_ip: str | None
    started: str | None
    frames: tuple[Frame, ...] = ()  # WebSocket messages sent, never those received
    #: the response's text when it is an HTML page (up to MAX_PAGE), else ""
    page: str = ""
    #: a string of the request was longer than MAX_STRING: only its start kept
    cut: bool = False
    #: the response's Set-Cookie header values (the cookies the server set)
    set_cookies: tuple[str, ...] = ()
    #: the script that started the request (Chrome's ``_initiator``), else ""
    initiator: str = ""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


def _pairs(items: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(items, list):
        return ()
    out = []
    for item in items:
        if isinstance(item, dict) and "name" in item:
            out.append((str(item.get("name", "")), str(item.get("value", "") or "")))
    return tuple(out)


def _frames(messages: Any) -> tuple[Frame, ...]:
    """The frames the page sent: what a server sent the page is not data
    leaving the device, so received frames are dropped here."""
    if not isinstance(messages, list):
        return ()
    out = []
    for index, item in enumerate(messages):
        if not isinstance(item, dict) or item.get("type") != "send":
            continue
        opcode = item.get("opcode")
        moment = item.get("time")
        out.append(
            Frame(
                index=index,
                opcode=opcode if isinstance(opcode, int) else 1,
                data=str(item.get("data") or ""),
                time=float(moment) if isinstance(moment, (int, float)) else None,
            )
        )
    return tuple(out)


def _entry(
    index: int,
    request: Any,
    server_ip: Any,
    started: Any,
    messages: Any = None,
    cut: bool = False,
    page: str = "",
    response_headers: Any = None,
    initiator: Any = None,
) -> Entry | None:
    if not isinstance(request, dict) or not isinstance(request.get("url"), str):
        return None
    post: dict[str, Any] = (
        request["postData"] if isinstance(request.get("postData"), dict) else {}
    )
    encoding = post.get("encoding") or post.get("_encoding")
    return Entry(
        index=index,
        method=str(request.get("method") or "GET"),
        url=request["url"],
        headers=_pairs(request.get("headers")),
        cookies=_pairs(request.get("cookies")),
        query=_pairs(request.get("queryString")),
        body=str(post.get("text") or ""),
        body_encoding=str(encoding) if encoding else None,
        mime_type=str(post.get("mimeType") or ""),
        params=_pairs(post.get("params")),
        server_ip=server_ip if isinstance(server_ip, str) and server_ip else None,
        started=started if isinstance(started, str) else None,
        frames=_frames(messages),
        cut=cut,
        page=page,
        set_cookies=tuple(
            value
            for name, value in _pairs(response_headers)
            if name.lower() == "set-cookie"
        ),
        initiator=_initiator(initiator),
    )


def _initiator(value: Any) -> str:
    """The script URL of Chrome's ``_initiator``: its ``url``, else the top
    call frame's with a URL (the stack's parents are not followed)."""
    if not isinstance(value, dict):
        return ""
    if value.get("type") == "script" or isinstance(value.get("stack"), dict):
        stack = value.get("stack")
        frames = stack.get("callFrames") if isinstance(stack, dict) else None
        for frame in frames if isinstance(frames, list) else ():
            if (
                isinstance(frame, dict)
                and isinstance(frame.get("url"), str)
                and frame["url"]
            ):
                return str(frame["url"])
    url = value.get("url")
    return url if isinstance(url, str) else ""


def _page(text: Any, mime: Any, encoding: Any) -> str:
    """A response body's text when it is an HTML page, else ""."""
    if not isinstance(text, str) or not isinstance(mime, str):
        return ""
    if "html" not in mime.lower():
        return ""
    if encoding == "base64":
        import base64
        import binascii

        try:
            return base64.b64decode(text[: MAX_PAGE * 4 // 3 + 4]).decode(
                "utf-8", "replace"
            )
        except (binascii.Error, ValueError):
            return ""
    return text


def _open(path: Path) -> IO[bytes]:
    handle: IO[bytes] = path.open("rb")
    if handle.read(2) == b"\x1f\x8b":
        handle.close()
        return cast(IO[bytes], gzip.open(path, "rb"))  # a .har.gz
    handle.seek(0)
    return handle


def _position(handle: IO[bytes]) -> int:
    """Bytes of the file read so far (of the compressed file, for a .har.gz)."""
    try:
        return int(getattr(handle, "fileobj", handle).tell())
    except (OSError, ValueError):
        return 0


class _Reads:
    """The file as the parser reads it: ``STEP`` bytes at a time, except that
    a string is always handed over whole (from its opening quote to its
    closing one) in a single read, so the parser never re-reads it; past
    ``MAX_STRING`` bytes its rest is skipped and ``cut`` set. Between two
    strings no read holds more than ``STEP`` bytes of structure.

    ``read`` never returns b"" before the end of the file. There is no
    ``readinto``: ijson would then read into a buffer of its own size.
    """

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.data = b""
        self.pos = 0
        self.eof = False
        self.string = False  # data[pos] opens a string still to hand over
        self.cut = False  # a string was cut since the flag was last cleared
        self.limit = MAX_STRING  # bytes kept of the next string

    def _fill(self, carry: bytes = b"") -> bool:
        """Next block of the file after ``carry``; False at the end."""
        block = b"" if self.eof else self.handle.read(BLOCK)
        if not block:
            self.eof = True
        self.data, self.pos = carry + block, 0
        return bool(block)

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson's probe of the type read returns
        out: list[bytes] = []
        while not out:
            if self.pos >= len(self.data) and not self._fill():
                return b""
            if self.string:  # joined once with what follows: no copy of copies
                out.extend(self._whole_string())
                self.string = False
            if self.pos >= len(self.data) and not self._fill():
                break
            chunk = self.data[self.pos : self.pos + STEP]
            opened = _open_string(chunk)
            if opened is None:
                self.pos += len(chunk)
            else:  # an unfinished string: it goes whole in the next read
                chunk = chunk[:opened]
                self.pos += opened
                self.string = True
            if chunk:
                out.append(chunk)
        return b"".join(out)

    def _whole_string(self) -> list[bytes]:
        """The string at ``pos`` with its quotes, in pieces, its rest past
        MAX_STRING skipped (no closing quote if the file ends inside it)."""
        kept: list[bytes] = [b'"']
        size = 0
        start = self.pos + 1  # past the opening quote
        while True:
            end = _closing_quote(self.data, start)
            stop = len(self.data) if end < 0 else end
            if end < 0 and _odd_backslashes(self.data, start):
                stop -= 1  # the backslash escapes what the next block starts with
            if size < self.limit:
                kept.append(self.data[start : min(stop, start + self.limit - size)])
            size += stop - start
            if end >= 0:
                self.pos = end + 1
                break
            if not self._fill(self.data[stop:]):
                self.pos = len(self.data)
                return kept  # the file ends inside it
            start = 0
        if size > self.limit:
            self.cut = True
            while len(kept) > 2 and len(kept[-1]) < 32:  # the end to clean
                kept[-2:] = [kept[-2] + kept[-1]]
            kept[-1] = _clean_end(kept[-1])
        kept.append(b'"')
        return kept


def _odd_backslashes(data: bytes, start: int) -> bool:
    """Whether ``data`` ends with an odd run of backslashes (after ``start``)."""
    run = 0
    while run < 64 and len(data) - run > start and data[-run - 1] == 0x5C:
        run += 1
    if run == 64:  # a long run: counted in C
        run = len(data) - max(start, len(data[start:].rstrip(b"\\")) + start)
    return run % 2 == 1


def _closing_quote(data: bytes, start: int) -> int:
    """Where the string going on at ``start`` (not inside an escape) ends in
    ``data``, else -1: the first quote after an even run of backslashes."""
    at = start
    while True:
        at = data.find(b'"', at)
        if at < 0:
            return -1
        run = at
        while run > start and data[run - 1] == 0x5C:
            run -= 1
        if (at - run) % 2 == 0:
            return at
        at += 1


def _open_string(chunk: bytes) -> int | None:
    """Where the string that ``chunk`` ends inside starts (the chunk starts
    outside any string), else None."""
    quotes = chunk.count(b'"')
    if not quotes:
        return None
    if b"\\" in chunk:
        quotes -= len(_ESCAPED_QUOTE.findall(chunk))
    if quotes % 2 == 0:
        return None
    at = len(chunk)
    while True:  # the last quote not escaped opened it
        at = chunk.rfind(b'"', 0, at)
        run = at
        while run > 0 and chunk[run - 1] == 0x5C:
            run -= 1
        if (at - run) % 2 == 0:
            return at


def _clean_end(text: bytes) -> bytes:
    """A string's start cut anywhere, shortened to end on a whole character:
    no escape, surrogate pair or UTF-8 sequence split."""
    slash = text.rfind(b"\\", max(0, len(text) - 12))
    if slash >= 0:  # cut before the last run of backslashes: an escape's start
        while slash > 0 and text[slash - 1] == 0x5C:
            slash -= 1
        text = text[:slash]
        high = _HIGH_SURROGATE.search(text)
        if high is not None:
            run = high.start()
            while run > 0 and text[run - 1] == 0x5C:
                run -= 1
            if (high.start() - run) % 2 == 0:  # an escape, not "\\" then "u"
                text = text[: high.start()]
    end = len(text)
    back = 0
    while back < 3 and back < end and text[end - back - 1] & 0xC0 == 0x80:
        back += 1  # continuation bytes
    if back < end and text[end - back - 1] >= 0xC0:
        end -= back + 1  # a character maybe split, with its lead byte
    return text[:end]


def read_entries(
    path: Path,
    *,
    warn: Callable[[str, dict[str, Any]], None] | None = None,
    progress: Progress | None = None,
) -> Iterator[Entry]:
    """Yield each request of the HAR at ``path`` (also a bare entry object, or a
    list of entries, as some tools export); ``progress("scan", bytes read,
    file size)`` after each.

    A file that is not JSON or not a HAR raises InputError before anything is
    yielded; a HAR cut off mid-way yields what was complete and warns.
    """
    try:
        handle = _open(path)
    except FileNotFoundError:
        raise InputError("input.not_found", path=path) from None
    except OSError as exc:
        raise InputError("input.unreadable", path=path, reason=exc.strerror) from None
    size = path.stat().st_size if progress else 0
    index = -1
    completed = 0
    entry_prefix: str | None = None  # "log.entries.item", "item" or "" (a bare entry)
    parts: dict[str, Any] = {}
    builder: Any = None
    building = ""
    depth = 0
    reads = _Reads(handle)
    cut = False  # a string of this entry's request was cut
    wanted: frozenset[str] = frozenset()  # prefixes of what an entry sends
    content: str | None = None  # the prefix of a response's content
    try:
        with handle:
            events = ijson.parse(reads, use_float=True, buf_size=STEP)
            for prefix, event, value in events:
                if reads.cut:  # this event is the string cut
                    reads.cut = False
                    # a page cut at MAX_PAGE is no request's string cut
                    cut |= builder is not None or (
                        prefix in wanted and not prefix.startswith(str(content))
                    )
                if event in ("start_map", "start_array"):
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise InputError("scan.too_deep", path=path, limit=MAX_DEPTH)
                elif event in ("end_map", "end_array"):
                    depth -= 1
                elif event == "map_key" and prefix == entry_prefix:
                    # what follows an entry's key is kept whole only if read
                    reads.limit = MAX_STRING if value in KEPT else MAX_UNUSED
                elif event == "map_key" and prefix == content:
                    reads.limit = MAX_PAGE if value == "text" else MAX_UNUSED
                if entry_prefix is None:
                    entry_prefix = _shape(prefix, event, value)
                    if entry_prefix == "":
                        index, parts = 0, {}
                    if entry_prefix is not None and entry_prefix != "none":
                        wanted = _wanted(entry_prefix)
                        content = _under(entry_prefix, "response.content")
                    continue
                if builder is not None:
                    builder.event(event, value)
                    if prefix == building and event in ("end_map", "end_array"):
                        parts[building] = builder.value
                        builder = None
                    continue
                if prefix == entry_prefix and event == "start_map":
                    index, parts, cut = index + 1, {}, False
                elif prefix in wanted:
                    if event in ("start_map", "start_array"):
                        builder, building = ijson.ObjectBuilder(), prefix
                        builder.event(event, value)
                    else:
                        parts[prefix] = value
                elif prefix == entry_prefix and event == "end_map":
                    completed += 1
                    yield from _complete(index, parts, entry_prefix, warn, cut)
                    if progress:
                        progress("scan", _position(handle), size)
    except (
        ijson.JSONError,
        UnicodeDecodeError,
        EOFError,
        OSError,
        zlib.error,
    ) as exc:
        if completed == 0:
            raise _not_har(path, exc) from None
        if warn:
            warn("scan.truncated", {"path": path, "count": completed})
        return
    if entry_prefix is None or entry_prefix == "none":
        raise InputError("scan.not_har", path=path, reason="no log.entries")
    if progress:
        progress("scan", size, size)


def _shape(prefix: str, event: str, value: Any) -> str | None:
    """From the first events, where the entries are: a HAR, a list, an entry."""
    if prefix == "" and event == "start_array":
        return "item"
    if prefix == "" and event == "map_key":
        if value == "log":
            return "log.entries.item"
        return "" if value in ENTRY_KEYS else "none"
    if prefix == "" and event == "start_map":
        return None  # wait for the first key
    return "none"


ENTRY_KEYS = {
    "request",
    "response",
    "startedDateTime",
    "serverIPAddress",
    "timings",
    "cache",
    "time",
    "pageref",
    "connection",
}


def _under(entry_prefix: str, name: str) -> str:
    return f"{entry_prefix}.{name}" if entry_prefix else name


def _wanted(entry_prefix: str) -> frozenset[str]:
    """The prefixes of an entry's parts that are kept (its request...)."""
    return frozenset(
        _under(entry_prefix, name)
        for name in (*KEPT, *PAGE, RESPONSE_HEADERS, INITIATOR)
    )


def _complete(
    index: int,
    parts: dict[str, Any],
    entry_prefix: str,
    warn: Callable[[str, dict[str, Any]], None] | None,
    cut: bool = False,
) -> Iterator[Entry]:
    head = f"{entry_prefix}." if entry_prefix else ""
    entry = _entry(
        index,
        parts.get(head + "request"),
        parts.get(head + "serverIPAddress"),
        parts.get(head + "startedDateTime"),
        parts.get(head + "_webSocketMessages"),
        cut,
        _page(*(parts.get(head + name) for name in PAGE)),
        parts.get(head + RESPONSE_HEADERS),
        parts.get(head + INITIATOR),
    )
    if entry is not None:
        yield entry
    elif warn:
        warn("scan.entry_skipped", {"index": index})


def _not_har(path: Path, exc: Exception) -> InputError:
    """The one line saying why ``path`` is no HAR: not JSON text (the
    parser's own words quote the file's bytes), a damaged gzip file, or the
    system's reason it could not be read."""
    cut = "premature EOF" in str(exc) and path.stat().st_size > 0
    if isinstance(exc, ijson.IncompleteJSONError) and cut:
        return InputError("scan.cut_before_entries", path=path)
    if isinstance(exc, ijson.JSONError | UnicodeDecodeError):
        return InputError("scan.not_json", path=path)
    if isinstance(exc, zlib.error | gzip.BadGzipFile | EOFError):
        return InputError("scan.bad_gzip", path=path)
    return InputError("scan.not_har", path=path, reason=_reason(exc))


def _reason(exc: Exception) -> str:
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return " ".join(text.split())[:120] or type(exc).__name__
