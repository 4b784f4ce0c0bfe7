"""Stream the requests of a HAR 1.2 file (Chrome, Firefox, Safari, Playwright,
mitmproxy's hardump) without loading the file: memory follows the largest
entry, not the file. Only what a request sends is kept; response bodies are
parsed past, never stored.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import ijson

from privwatch.errors import InputError

#: JSON nesting refused beyond this depth (a HAR needs about 8 levels)
MAX_DEPTH = 200


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
    index: int, request: Any, server_ip: Any, started: Any, messages: Any = None
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
    )


def _open(path: Path) -> IO[bytes]:
    handle: IO[bytes] = path.open("rb")
    if handle.read(2) == b"\x1f\x8b":
        handle.close()
        return cast(IO[bytes], gzip.open(path, "rb"))  # a .har.gz
    handle.seek(0)
    return handle


def read_entries(
    path: Path, *, warn: Callable[[str, dict[str, Any]], None] | None = None
) -> Iterator[Entry]:
    """Yield each request of the HAR at ``path`` (also a bare entry object, or a
    list of entries, as some tools export).

    A file that is not JSON or not a HAR raises InputError before anything is
    yielded; a HAR cut off mid-way yields what was complete and warns.
    """
    try:
        handle = _open(path)
    except FileNotFoundError:
        raise InputError("input.not_found", path=path) from None
    except OSError as exc:
        raise InputError("input.unreadable", path=path, reason=exc.strerror) from None
    index = -1
    completed = 0
    entry_prefix: str | None = None  # "log.entries.item", "item" or "" (a bare entry)
    parts: dict[str, Any] = {}
    builder: Any = None
    building = ""
    depth = 0
    try:
        with handle:
            # small reads bound the work between two depth checks: ijson keeps
            # every level's prefix, so 64 KiB of "[" would cost gigabytes
            events = ijson.parse(handle, use_float=True, buf_size=4096)
            for prefix, event, value in events:
                if event in ("start_map", "start_array"):
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise InputError("scan.too_deep", path=path, limit=MAX_DEPTH)
                elif event in ("end_map", "end_array"):
                    depth -= 1
                if entry_prefix is None:
                    entry_prefix = _shape(prefix, event, value)
                    if entry_prefix == "":
                        index, parts = 0, {}
                    continue
                if builder is not None:
                    builder.event(event, value)
                    if prefix == building and event in ("end_map", "end_array"):
                        parts[building] = builder.value
                        builder = None
                    continue
                keep = _field(prefix, entry_prefix)
                if prefix == entry_prefix and event == "start_map":
                    index, parts = index + 1, {}
                elif keep is not None:
                    if event in ("start_map", "start_array"):
                        builder, building = ijson.ObjectBuilder(), prefix
                        builder.event(event, value)
                    else:
                        parts[prefix] = value
                elif prefix == entry_prefix and event == "end_map":
                    completed += 1
                    yield from _complete(index, parts, entry_prefix, warn)
    except (ijson.JSONError, UnicodeDecodeError, EOFError, OSError) as exc:
        if completed == 0:
            raise InputError("scan.not_har", path=path, reason=_reason(exc)) from None
        if warn:
            warn("scan.truncated", {"path": path, "count": completed})
        return
    if entry_prefix is None or entry_prefix == "none":
        raise InputError("scan.not_har", path=path, reason="no log.entries")


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


def _field(prefix: str, entry_prefix: str) -> str | None:
    head = f"{entry_prefix}." if entry_prefix else ""
    for name in ("request", "serverIPAddress", "startedDateTime", "_webSocketMessages"):
        if prefix == head + name:
            return name
    return None


def _complete(
    index: int,
    parts: dict[str, Any],
    entry_prefix: str,
    warn: Callable[[str, dict[str, Any]], None] | None,
) -> Iterator[Entry]:
    head = f"{entry_prefix}." if entry_prefix else ""
    entry = _entry(
        index,
        parts.get(head + "request"),
        parts.get(head + "serverIPAddress"),
        parts.get(head + "startedDateTime"),
        parts.get(head + "_webSocketMessages"),
    )
    if entry is not None:
        yield entry
    elif warn:
        warn("scan.entry_skipped", {"index": index})


def _reason(exc: Exception) -> str:
    return " ".join(str(exc).split())[:120] or type(exc).__name__
