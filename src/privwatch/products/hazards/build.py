"""One exported record, through its mapping, into a ``HazardRecord``."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from typing import Any

from privwatch.fields import countries
from privwatch.products.hazards.mapping import Mapping, Spec
from privwatch.products.records import HazardRecord, Identifiers

GTIN_LENGTHS = (8, 12, 13, 14)
_SEPARATORS = re.compile(r"[\s\-.]")


class BadValue(Exception):
    """A record the mapping cannot read: ``kind`` "date" (a date in none of
    its formats) or "no_id" (no record id); ``params`` for the message."""

    def __init__(self, kind: str, **params: str) -> None:
        self.kind = kind
        self.params = params
        super().__init__(kind)


def gtin_valid(text: str) -> bool:
    """``text`` is a GTIN-8/12/13/14 whose check digit is right (spaces,
    dashes and dots between the digits allowed)."""
    digits = _SEPARATORS.sub("", text)
    if not digits.isdigit() or len(digits) not in GTIN_LENGTHS:
        return False
    body = digits[:-1]
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == int(digits[-1])


def _leaves(node: Any) -> Iterator[str]:
    if node is None or isinstance(node, bool):
        return
    if isinstance(node, list):
        for item in node:
            yield from _leaves(item)
    elif isinstance(node, dict):
        if "#text" in node:
            yield from _leaves(node["#text"])
    elif isinstance(node, float) and node.is_integer():
        yield str(int(node))
    else:
        yield str(node)


def _walk(record: Any, path: str) -> Iterator[str]:
    nodes = [record]
    for key in path.replace("[]", "").split("."):
        found: list[Any] = []
        for node in nodes:
            for item in node if isinstance(node, list) else [node]:
                if isinstance(item, dict) and key in item:
                    found.append(item[key])
        nodes = found
    for node in nodes:
        yield from _leaves(node)


@cache
def _splitter(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class Builder:
    """Builds records for one mapping; counts what it moved or could not map."""

    def __init__(self, mapping: Mapping, flat: bool) -> None:
        self.mapping = mapping
        self.flat = flat  # CSV/XLSX: a path is a column header as written
        self.document: dict[str, str] = {}
        self.moved_gtins = 0  # barcodes failing their check, kept under other
        self.unmapped: Counter[tuple[str, str]] = Counter()  # (field, value)

    def values(self, record: dict[str, Any], spec: Spec | None) -> list[str]:
        if spec is None:
            return []
        found: list[str] = []
        for path in spec.paths:
            if path.startswith("/"):
                raw = [self.document.get(path[1:], "")]
            elif self.flat:
                raw = [str(record.get(path) or "")]
            else:
                raw = list(_walk(record, path))
            for text in raw:
                parts = _splitter(spec.split).split(text) if spec.split else [text]
                for part in parts:
                    part = spec.values.get(part.strip(), part.strip())
                    if part:  # a value mapped to "" is a placeholder: none
                        found.append(part)
        unique = list(dict.fromkeys(found))
        return unique[:1] if spec.first else unique

    def text(self, record: dict[str, Any], spec: Spec | None) -> str:
        return (spec.join if spec else "; ").join(self.values(record, spec))

    def date(self, record: dict[str, Any]) -> str:
        spec = self.mapping.fields.date
        for value in self.values(record, spec)[:1]:
            for fmt in self.mapping.date_formats:
                try:
                    return datetime.strptime(value, fmt).date().isoformat()
                except ValueError:
                    continue
            formats = ", ".join(self.mapping.date_formats)
            raise BadValue("bad_date", value=value, formats=formats)
        return ""

    def country(self, record: dict[str, Any]) -> str:
        if self.mapping.country:
            return self.mapping.country
        spec = self.mapping.fields.country
        for value in self.values(record, spec)[:1]:
            if value in countries():
                return value
            self.unmapped[("country", value)] += 1
        return ""

    def build(self, record: dict[str, Any]) -> HazardRecord:
        fields = self.mapping.fields
        record_id = self.text(record, fields.record_id)
        if not record_id:
            where = ", ".join(fields.record_id.paths)
            raise BadValue("no_id", where=where)
        gtins, other = [], self.values(record, fields.other)
        for value in self.values(record, fields.gtin):
            if gtin_valid(value):
                gtins.append(value)
            else:
                self.moved_gtins += 1
                other.append(value)
        names = {}
        for tag, spec in fields.names.items():
            name = self.text(record, spec)
            if name:
                names[tag] = name
        return HazardRecord(
            source=self.mapping.id,
            record_id=record_id,
            date=self.date(record),
            names=names,
            brand=self.text(record, fields.brand),
            identifiers=Identifiers(
                gtin=tuple(gtins),
                model=tuple(self.values(record, fields.model)),
                batch=tuple(self.values(record, fields.batch)),
                other=tuple(dict.fromkeys(other)),
            ),
            category=self.text(record, fields.category),
            hazard=self.text(record, fields.hazard),
            measure=self.text(record, fields.measure),
            country=self.country(record),
            url=self.text(record, fields.url),
            images=tuple(self.values(record, fields.images)),
        )
