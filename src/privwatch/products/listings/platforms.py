"""Platforms' page structures and export column mappings, read from data
(``products/data/platforms/*.yaml``, ``products/data/listing_mappings/*.yaml``).

A platform file says where its pages keep product data: an embedded state
script (a JSON value after a marker such as ``window.runParams = {data:``, or
a whole ``<script>`` picked by a CSS selector such as ``script#__NEXT_DATA__``)
with dotted paths to each field, and CSS selectors over the rendered HTML.
Every file cites where its structure was seen and says what is unconfirmed;
the generic schema.org reader runs behind it on every page.
"""

from __future__ import annotations

import functools
from importlib import resources
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from privwatch.errors import InputError
from privwatch.yamlfile import packaged

FIELDS = (
    "title",
    "price",
    "currency",
    "seller",
    "brand",
    "model",
    "gtin",
    "category",
    "url",
    "listing_id",
    "description",
)
Paths = dict[str, list[str]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class State(_Strict):
    """One embedded state: where its JSON starts and where the fields are."""

    marker: str = ""  # a regular expression; the JSON value starts after it
    selector: str = ""  # or: a <script> whose whole text is the JSON
    items: list[str] = Field(default_factory=list)  # dotted paths to product lists
    fields: Paths = Field(default_factory=dict)  # field -> dotted paths, first wins
    #: an item's address when the state has none: "https://…/item/{listing_id}.html"
    url_template: str = ""
    confirmed: bool = False  # seen in a real page's copy (see ``sources``)


class Selectors(_Strict):
    item: str = ""  # each product card of a search or store page; "" = the page
    fields: Paths = Field(default_factory=dict)  # field -> CSS selectors, first wins
    confirmed: bool = False


class Platform(_Strict):
    id: str
    name: str  # as listings name it ("AliExpress", "쿠팡 Coupang")
    hosts: list[str]  # a host matches when it is one of these or ends in .<it>
    currency: str = ""  # ISO 4217 for prices shown with "$", "¥" or no sign
    price_template: str = ""  # how a number from data is shown: "{amount}원"
    #: the platform's product id in a listing's address (one group), for
    #: listings whose page states none
    id_pattern: str = ""
    state: list[State] = Field(default_factory=list)
    selectors: list[Selectors] = Field(default_factory=list)  # tried in order
    sources: list[str]  # where the structure was seen (addresses)
    notes: str = ""  # what could not be confirmed


class Mapping(_Strict):
    id: str
    platform: str = ""  # "" = take it from a column, else the file's host
    records: str = ""  # JSON: dotted path to the list of records ("" = top)
    columns: Paths  # field (FIELDS, fetched_at, seller...) -> column names, first wins
    currency: str = ""
    sources: list[str] = Field(default_factory=list)
    notes: str = ""


@functools.cache
def platforms() -> tuple[Platform, ...]:
    return tuple(
        packaged("privwatch.products", f"data/platforms/{name}", Platform)
        for name in _names("data/platforms")
    )


@functools.cache
def mappings() -> tuple[Mapping, ...]:
    return tuple(
        packaged("privwatch.products", f"data/listing_mappings/{name}", Mapping)
        for name in _names("data/listing_mappings")
    )


def _names(folder: str) -> list[str]:
    where = resources.files("privwatch.products").joinpath(folder)
    return sorted(p.name for p in where.iterdir() if p.name.endswith(".yaml"))


def platform_named(name: str) -> Platform:
    """The platform whose id or name is ``name`` (any case)."""
    wanted = name.strip().casefold()
    for platform in platforms():
        if wanted in (platform.id.casefold(), platform.name.casefold()):
            return platform
    known = ", ".join(p.id for p in platforms())
    raise InputError("listings.unknown_platform", name=name, known=known)


def known_name(name: str) -> None:
    """Raise unless ``name`` is a platform's or an export mapping's id or name."""
    wanted = name.strip().casefold()
    for mapping in mappings():
        if wanted in (mapping.id.casefold(), mapping.platform.casefold()):
            return
    platform_named(name)


def platform_for(url: str) -> Platform | None:
    """The platform serving ``url``, by its host."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return None
    for platform in platforms():
        for pattern in platform.hosts:
            if host == pattern or host.endswith("." + pattern):
                return platform
    return None
