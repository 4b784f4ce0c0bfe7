"""Platforms' listings: product pages (a URL, a saved HTML file) and
platforms' CSV/JSON exports read into ``Listing`` records.

    read_listings("https://…/item/1.html")             # fetched through ingest's client
    read_listings("saved/page.html", platform="coupang")
    read_listings("export.csv")                          # a column mapping as data

A page or export that yields no product raises ``InputError`` (one line for
the user), never an empty record. ``privwatch products listings`` prints
``to_json`` (``privwatch.listings/1``), which ``read_listings`` reads back.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from privwatch.errors import InputError
from privwatch.products.records import Identifiers, Listing

if TYPE_CHECKING:
    from privwatch.ingest.source import RawSource

SCHEMA = "privwatch.listings/1"
__all__ = [
    "SCHEMA",
    "from_json",
    "read_listings",
    "read_listings_and_source",
    "read_text",
    "to_json",
]


def read_listings(
    source: str, *, platform: str | None = None, render: bool = False
) -> list[Listing]:
    """The listings in ``source``: a path or an http(s) URL (fetched through
    ``ingest.source``, so the address policy and size limits hold; with
    ``render``, loaded in headless Chromium by ``ingest.render`` so a page
    that builds its product with scripts is read as a person sees it)."""
    return read_listings_and_source(source, platform=platform, render=render)[0]


def read_listings_and_source(
    source: str, *, platform: str | None = None, render: bool = False
) -> tuple[list[Listing], RawSource]:
    """``read_listings`` with the bytes it read (the page fetched, rendered or
    saved, the export), for a report that gives their SHA-256."""
    from privwatch.ingest.decode import (
        charset_from_content_type,
        charset_from_meta,
        decode,
    )
    from privwatch.ingest.source import is_url, read_source

    if render and is_url(source):
        from privwatch.ingest.render import render_url

        raw = render_url(source)
    else:
        raw = read_source(source)
    declared = charset_from_content_type(raw.content_type) or charset_from_meta(
        raw.data
    )
    text, _ = decode(raw.data, declared=declared, source=source)
    found = read_text(
        text,
        source=source,
        url=raw.uri if raw.kind == "url" else "",
        fetched_at=raw.fetched_at,
        platform=platform,
        content_type=raw.content_type or "",
    )
    return found, raw


def read_text(
    text: str,
    *,
    source: str,
    url: str = "",
    fetched_at: str,
    platform: str | None = None,
    content_type: str = "",
) -> list[Listing]:
    """The listings in a page's or an export's decoded ``text``."""
    try:
        found = _read(text, source, url, fetched_at, platform, content_type)
    except RecursionError:  # JSON nested past what Python walks
        raise InputError("input.too_deep", path=source) from None
    if not found:
        raise InputError("listings.no_product", source=source)
    return found


def _read(
    text: str,
    source: str,
    url: str,
    fetched_at: str,
    platform: str | None,
    content_type: str,
) -> list[Listing]:
    from privwatch.products.listings import export, page
    from privwatch.products.listings.platforms import known_name, platform_named

    kind = _kind(text, source, url, content_type)
    if kind == "html":
        chosen = platform_named(platform) if platform else None
        return page.read_page(text, url=url, fetched_at=fetched_at, platform=chosen)
    if platform:
        known_name(platform)  # a platform's or a mapping's name, else an error
    if kind == "csv":
        return export.read_csv(
            text, source=source, fetched_at=fetched_at, platform=platform
        )
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(
            "listings.bad_export", source=source, reason=f"JSON: {exc}"
        ) from None
    if isinstance(data, dict) and data.get("schema") == SCHEMA:
        return from_json(data, source=source)
    return export.read_json(
        data, source=source, fetched_at=fetched_at, platform=platform
    )


def _kind(text: str, source: str, url: str, content_type: str) -> str:
    media = content_type.split(";")[0].strip().lower()
    if media in ("application/json", "text/json") or media.endswith("+json"):
        return "json"
    if media in ("text/csv", "text/tab-separated-values"):
        return "csv"
    if media in ("text/html", "application/xhtml+xml"):
        return "html"
    suffix = PurePosixPath(urlsplit(url).path if url else source).suffix.lower()
    if suffix in (".json",):
        return "json"
    if suffix in (".csv", ".tsv"):
        return "csv"
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start in ("{", "["):
        return "json"
    return "html"


def to_json(listings: list[Listing]) -> dict[str, Any]:
    return {"schema": SCHEMA, "listings": [item.to_dict() for item in listings]}


def from_json(data: dict[str, Any], *, source: str) -> list[Listing]:
    """Listings written by ``to_json``."""
    out = []
    try:
        for item in data["listings"]:
            ids = item.get("identifiers") or {}
            out.append(
                Listing(
                    **{
                        **{k: v for k, v in item.items() if k != "identifiers"},
                        "identifiers": Identifiers(
                            **{k: tuple(v) for k, v in ids.items()}
                        ),
                    }
                )
            )
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(
            "listings.bad_export", source=source, reason=f"{SCHEMA}: {exc}"
        ) from None
    return out
