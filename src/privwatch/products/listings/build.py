"""One product's fields, however read, made into a ``Listing``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

from privwatch.products.listings.values import (
    NUMBER,
    clean,
    gtin_valid,
    resolve_currency,
    shown_price,
    title_language,
)
from privwatch.products.records import Identifiers, Listing

#: one product as a reader found it: field -> text, or a list of texts for
#: gtin, model and other
Raw = dict[str, Any]
_SPLIT = re.compile(r"[,;|/]")
_DIGITAL_LINK = re.compile(r"^https?://[^/]+/(?:.*/)?01/(\d{8,14})(?:[/?#]|$)")


def texts(value: Any) -> list[str]:
    """Each text of ``value`` (a text, a number, a list of them, or mappings
    with a name or value), blanks left out."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or value.get("@id") or ""
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in texts(item)]
    text = clean(value if not isinstance(value, (int, float)) else str(value))
    return [text] if text else []


def merge(primary: Raw, fallback: Raw) -> Raw:
    """``primary`` with its missing fields taken from ``fallback``."""
    merged = dict(fallback)
    merged.update({k: v for k, v in primary.items() if v not in ("", [], None)})
    return merged


def identifiers(raw: Raw) -> Identifiers:
    """GTINs whose check digit holds under ``gtin``; the rest under ``other``,
    as written."""
    gtins: list[str] = []
    other: list[str] = [t for t in texts(raw.get("other")) if t]
    for text in texts(raw.get("gtin")):
        link = _DIGITAL_LINK.search(text)  # a GS1 Digital Link: …/01/<GTIN>
        if link and gtin_valid(link.group(1)):
            gtins.append(link.group(1))
            continue
        parts = [text] if "://" in text else _SPLIT.split(text)
        for part in (p.strip() for p in parts):
            if part:
                (gtins if gtin_valid(part) else other).append(part)
    models = [m for t in texts(raw.get("model")) for m in [t] if m]
    return Identifiers(gtin=_unique(gtins), model=_unique(models), other=_unique(other))


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def absolute(url: str, base: str) -> str:
    url = url.strip()
    if not url:
        return base
    if url.startswith("//"):
        scheme = urlsplit(base).scheme or "https"
        return f"{scheme}:{url}"
    return urljoin(base, url) if base else url


def category_text(value: Any) -> str:
    """A category: a text, or a breadcrumb list joined with " > "."""
    if isinstance(value, (list, tuple)):
        return " > ".join(texts(value))
    return " > ".join(texts(value))


def listing(
    raw: Raw,
    *,
    platform: str,
    page_url: str,
    fetched_at: str,
    declared_lang: str = "",
    default_currency: str = "",
    price_template: str = "",
) -> Listing | None:
    """The ``Listing`` of ``raw``, None when it has no title."""
    title = clean(" ".join(texts(raw.get("title"))))
    if not title:
        return None
    declared = clean(" ".join(texts(raw.get("currency"))))
    price_value = raw.get("price")
    if not isinstance(price_value, (int, float)) or isinstance(price_value, bool):
        found = texts(price_value)
        price_value = found[0] if found else ""
    shown = str(price_value)
    if NUMBER.fullmatch(shown.strip()):  # a bare number: the currency from data
        currency = resolve_currency(declared, "", default_currency) or default_currency
        price = shown_price(price_value, currency, price_template)
    else:
        price = clean(shown)
        currency = resolve_currency(declared, price, default_currency)
    urls = texts(raw.get("url"))
    return Listing(
        platform=clean(raw.get("platform")) or platform,
        url=absolute(urls[0] if urls else "", page_url),
        title=title,
        fetched_at=clean(raw.get("fetched_at")) or fetched_at,
        seller=clean(" ".join(texts(raw.get("seller"))[:1])),
        brand=clean(" ".join(texts(raw.get("brand"))[:1])),
        identifiers=identifiers(raw),
        price=price,
        currency=currency,
        category=category_text(raw.get("category")),
        language=clean(raw.get("language")) or title_language(title, declared_lang),
        description=clean(" ".join(texts(raw.get("description"))[:1]))[:500],
        listing_id=clean(" ".join(texts(raw.get("listing_id"))[:1])),
    )
