"""Agencies' hazard and recall lists read into ``HazardRecord``s.

    hazards = read_hazards(Path("recalls.json"))          # the mapping recognised
    hazards = read_hazards(Path("list.csv"), "kr-kca-overseas")
    for record in hazards: ...                            # one at a time
    hazards.count, hazards.moved_gtins, hazards.unmapped  # once read

Every list is read through a mapping (``mapping.py``, data in
``products/data/mappings``); the container readers are in ``containers.py``.
A file no mapping recognises, a broken file or a value the mapping cannot read
is an ``InputError`` naming the file and the record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from privwatch.errors import InputError
from privwatch.products.hazards import containers
from privwatch.products.hazards.build import BadValue, Builder, gtin_valid
from privwatch.products.hazards.mapping import Mapping, builtin_ids, builtins, load
from privwatch.products.records import HazardRecord

TABLES = frozenset(("csv", "xlsx"))

__all__ = [
    "HazardFile",
    "Mapping",
    "builtin_ids",
    "gtin_valid",
    "read_hazards",
]


class HazardFile:
    """One list file with its mapping, read lazily, once."""

    def __init__(self, path: Path, mapping: Mapping, container: str = "") -> None:
        self.path = path
        self.mapping = mapping
        # the file's own format: a table mapping (csv, xlsx) reads either
        self.container = container or mapping.format
        self.count = 0
        self._builder = Builder(mapping, flat=self.container in TABLES)

    @property
    def moved_gtins(self) -> int:
        """Barcodes that failed the GTIN check, kept under ``other``."""
        return self._builder.moved_gtins

    @property
    def unmapped(self) -> Counter[tuple[str, str]]:
        """(field, value) the mapping has no code for, and how often."""
        return self._builder.unmapped

    def __iter__(self) -> Iterator[HazardRecord]:
        where = 0
        unit = "line" if self.container in TABLES else "record"
        raw_records = _raw(
            self.path, self.mapping, self.container, self._builder.document
        )
        try:
            for position, raw in raw_records:
                where = position
                record = self._builder.build(raw)
                self.count += 1
                yield record
        except containers.ExtraCells as exc:
            raise InputError(
                "hazards.extra_cells",
                path=self.path,
                row=exc.where,
                cells=exc.cells,
                columns=exc.columns,
            ) from None
        except containers.BadRecord as exc:
            if not exc.where:
                raise InputError(
                    "hazards.bad_file", path=self.path, reason=exc.reason
                ) from None
            raise InputError(
                f"hazards.bad_{unit}", path=self.path, row=exc.where, reason=exc.reason
            ) from None
        except BadValue as exc:
            raise InputError(
                f"hazards.{exc.kind}_{unit}", path=self.path, row=where, **exc.params
            ) from None


def _raw(
    path: Path, mapping: Mapping, container: str, document: dict[str, str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    if container == "json":
        return containers.json_records(path, mapping.records or "item")
    if container == "xml":
        return containers.xml_records(path, mapping.records, document)
    if container == "xlsx":  # a CSV mapping's sheet: the first
        sheet = mapping.records if mapping.format == "xlsx" else ""
        return containers.xlsx_records(path, sheet)
    return containers.csv_records(path, mapping.encodings, mapping.delimiter)


def read_hazards(path: Path, mapping: str | Mapping | None = None) -> HazardFile:
    """``path`` read through ``mapping`` (an id, a file, or recognised)."""
    if not path.exists():
        raise InputError("input.not_found", path=path)
    if path.is_dir():
        raise InputError("input.is_directory", path=path)
    if isinstance(mapping, str):
        mapping = load(mapping)
    kind = containers.kind_of(path)
    if mapping is None:
        mapping = recognise(path, kind)
    elif not _fits(mapping, kind):
        raise InputError(
            "hazards.wrong_format",
            path=path,
            kind=kind,
            mapping=mapping.id,
            format=mapping.format,
        )
    return HazardFile(path, mapping, kind)


def _fits(mapping: Mapping, kind: str) -> bool:
    """A mapping reads files of its format; a table's (CSV or XLSX) both."""
    return mapping.format == kind or {mapping.format, kind} <= TABLES


def recognise(path: Path, kind: str) -> Mapping:
    """The built-in mapping of ``kind`` whose ``detect`` paths the file's
    first record (or CSV header) has."""
    for mapping in builtins():
        if not _fits(mapping, kind) or not mapping.detect:
            continue
        if _first_has(path, mapping, kind):
            return mapping
    raise InputError("hazards.unknown_format", path=path, kind=kind)


def _first_has(path: Path, mapping: Mapping, kind: str) -> bool:
    if kind == "csv":
        header = set(containers.csv_header(path, mapping.encodings, mapping.delimiter))
        return set(mapping.detect) <= header
    builder = Builder(mapping, flat=kind in TABLES)
    try:
        for _, raw in _raw(path, mapping, kind, builder.document):
            return all(builder.probe(raw, p) for p in mapping.detect)
    except (containers.BadRecord, InputError):
        return False
    return False
