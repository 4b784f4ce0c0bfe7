"""The page record written beside a HAR by ``privwatch record``
(``<name>.har`` -> ``<name>.record.json``, schema ``privwatch.record/1``):
what the page did while the journey ran (input, submit, consent, API calls,
cookies). Read here, checked, never trusted past its schema."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from privwatch.errors import InputError

SCHEMA = "privwatch.record/1"
#: bytes of a record file read at most (a journey's events are a few thousand)
MAX_RECORD = 64 * 1024 * 1024


class Event(BaseModel):
    """One thing the page did; which fields are set follows ``kind``."""

    model_config = ConfigDict(extra="allow")
    t: datetime
    kind: str
    field: str = ""
    persona_key: str = ""
    step: int | None = None
    selector: str = ""
    banner: bool | None = None
    action: str = ""
    button_text: str = ""
    api: str = ""
    script: str = ""
    count: int = Field(default=1, ge=0)


class Cookie(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str
    domain: str
    path: str = "/"
    third_party: bool = False
    expires: float | None = None


class Step(BaseModel):
    model_config = ConfigDict(extra="allow")
    index: int
    action: str
    target: str = ""
    ok: bool = True
    error: str = ""
    screenshot: str | None = None


class PageRecord(BaseModel):
    """The record; ``path`` and ``sha256`` say which file it was read from."""

    model_config = ConfigDict(extra="allow")
    schema_: Literal["privwatch.record/1"] = Field(alias="schema")
    url: str = ""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    consent_run: Literal["none", "reject", "accept"] | None = None
    har: str = ""
    har_sha256: str = ""
    persona_keys: list[str] = []
    steps: list[Step] = []
    events: list[Event] = []
    cookies: list[Cookie] = []
    path: str = ""
    sha256: str = ""

    def of_kind(self, kind: str) -> list[Event]:
        """Its events of ``kind``, in time order."""
        return sorted((e for e in self.events if e.kind == kind), key=lambda e: e.t)


def record_beside(har: Path) -> Path | None:
    """``X.record.json`` beside ``X.har`` (``X.har.gz`` too), when it exists."""
    name = har.name
    for suffix in (".har.gz", ".har"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    candidate = har.with_name(f"{name}.record.json")
    return candidate if candidate.is_file() else None


def load_record(path: Path) -> PageRecord:
    """The record at ``path``; InputError (one line) when it is not one."""
    import hashlib

    try:
        size = path.stat().st_size
        if size > MAX_RECORD:
            raise InputError(
                "input.too_large", source=path, size=size, limit=MAX_RECORD
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("input.not_found", path=path) from None
    except IsADirectoryError:
        raise InputError("input.is_directory", path=path) from None
    except OSError as exc:
        raise InputError("input.unreadable", path=path, reason=exc.strerror) from None
    try:
        raw: Any = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = " ".join(str(exc).split())[:120]
        raise InputError("behaviour.bad_record", path=path, reason=reason) from None
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        raise InputError(
            "behaviour.bad_record", path=path, reason=f'"schema" is not "{SCHEMA}"'
        )
    try:
        record = PageRecord.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        reason = "".join(c if c.isprintable() else " " for c in where)
        raise InputError(
            "behaviour.bad_record", path=path, reason=f"{reason}: {first['msg']}"
        ) from None
    record.path = str(path)
    record.sha256 = hashlib.sha256(data).hexdigest()
    return record
