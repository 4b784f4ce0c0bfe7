"""A hazard list's mapping: how one agency's export becomes ``HazardRecord``s.

A mapping is data (``products/data/mappings/<id>.yaml``, or a user's own file):
the container format, where the records are, and for each record field the
path or column it comes from, how a multi-valued cell splits, which date
formats the list uses, which language each name column is in, and the list's
source and terms of use. A new agency's export needs a new mapping file, not
code. The README ("Hazard and recall lists") explains how to write one.
"""

from __future__ import annotations

import re
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from privwatch.errors import InputError

PACKAGE = "privwatch.products"
FOLDER = "data/mappings"
LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


class Spec(BaseModel):
    """Where one record field comes from.

    ``path``: a JSON or XML path (``Products.Model``: each key in turn, lists
    walked through; ``/report_date``: an XML element outside the records), or
    a CSV/XLSX column header as written. Several paths: their values in order.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str | list[str]
    split: str | None = None  # a regular expression splitting one cell into values
    join: str = "; "  # how several values become one text field
    first: bool = False  # keep only the first value found
    values: dict[str, str] = Field(default_factory=dict)  # value -> replacement

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path,) if isinstance(self.path, str) else tuple(self.path)

    @field_validator("path")
    @classmethod
    def _not_empty(cls, value: str | list[str]) -> str | list[str]:
        paths = [value] if isinstance(value, str) else value
        if not paths or any(not p.strip() for p in paths):
            raise ValueError("a path is empty")
        return value

    @field_validator("split")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                if re.compile(value).match(""):
                    raise ValueError(f"split pattern {value!r} matches empty text")
            except re.error as exc:
                raise ValueError(f"split pattern {value!r}: {exc}") from None
        return value


class Fields(BaseModel):
    """The record's fields (``HazardRecord``) and where each comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    record_id: Spec
    names: dict[str, Spec]  # language tag -> where the name in it is
    date: Spec | None = None
    brand: Spec | None = None
    category: Spec | None = None
    hazard: Spec | None = None
    measure: Spec | None = None
    country: Spec | None = None
    url: Spec | None = None
    images: Spec | None = None
    gtin: Spec | None = None  # barcodes: checked, a failing one goes to ``other``
    model: Spec | None = None
    batch: Spec | None = None
    other: Spec | None = None

    @field_validator("names")
    @classmethod
    def _tags(cls, value: dict[str, Spec]) -> dict[str, Spec]:
        for tag in value:
            if not re.match(LANGUAGE_TAG, tag):
                raise ValueError(f"{tag!r} is not a language tag (ko, en, zh, ...)")
        return value


class Source(BaseModel):
    """Where the list is published and on what terms (cited, with how sure)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    publisher: str
    url: str
    terms: str
    terms_url: str = ""
    checked: str  # what of this mapping was checked against what, and when


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    format: Literal["json", "csv", "xml", "xlsx"]
    # json: the ijson prefix of each record ("item": a top-level array);
    # xml: the tag of each record element; xlsx: the sheet's name ("" = first)
    records: str = ""
    detect: list[str] = Field(default_factory=list)  # paths every record has
    encodings: list[str] = Field(default_factory=lambda: ["utf-8-sig"])
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    date_formats: list[str] = Field(default_factory=lambda: ["%Y-%m-%d"])
    country: str = Field(default="", pattern=r"^([A-Z]{2})?$")  # every record's
    source: Source
    fields: Fields

    @field_validator("date_formats")
    @classmethod
    def _formats(cls, value: list[str]) -> list[str]:
        for fmt in value:
            if "%" not in fmt:
                raise ValueError(f"date format {fmt!r} has no % directive")
            try:
                datetime(2024, 1, 31, 12, 0, 0).strftime(fmt)
            except ValueError as exc:
                raise ValueError(f"date format {fmt!r}: {exc}") from None
        return value

    @model_validator(mode="after")
    def _country_codes(self) -> Mapping:
        from privwatch.fields import countries

        if self.format == "xml" and not self.records:
            raise ValueError("records: an XML mapping names its records' element")
        if self.country and self.country not in countries():
            raise ValueError(f"country {self.country!r} is not an ISO 3166-1 code")
        spec = self.fields.country
        for value in spec.values.values() if spec else ():
            if value and value not in countries():
                raise ValueError(
                    f"fields.country.values: {value!r} is not an ISO 3166-1 code"
                )
        return self

    @field_validator("encodings")
    @classmethod
    def _encodings(cls, value: list[str]) -> list[str]:
        import codecs

        for name in value:
            try:
                codecs.lookup(name)
            except LookupError:
                raise ValueError(f"unknown encoding {name!r}") from None
        return value or ["utf-8-sig"]


def builtin_ids() -> list[str]:
    folder = resources.files(PACKAGE).joinpath(FOLDER)
    return sorted(
        p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def builtin(mapping_id: str) -> Mapping:
    from privwatch.yamlfile import packaged

    return packaged(PACKAGE, f"{FOLDER}/{mapping_id}.yaml", Mapping)


def builtins() -> list[Mapping]:
    return [builtin(i) for i in builtin_ids()]


def load(name: str) -> Mapping:
    """A built-in mapping by id, or a user's mapping file by path."""
    if name in builtin_ids():
        return builtin(name)
    path = Path(name)
    if not path.suffix and not path.exists():
        raise InputError(
            "hazards.no_mapping", name=name, known=", ".join(builtin_ids())
        )
    from privwatch.yamlfile import load_model

    return load_model(path, Mapping, "hazards.bad_mapping")
