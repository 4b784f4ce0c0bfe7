"""Product pages (HTML) into listings.

Three readers, in order: the platform's own structure when the page's host (or
``--platform``) names one (embedded state, then CSS selectors); the generic
schema.org reader (JSON-LD with ``@graph``, arrays and ``ItemList``, then
microdata ``itemprop``); OpenGraph product tags last. A single product found by
the platform reader takes the fields it lacks from the generic reader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from privwatch.products.listings.build import Raw, absolute, listing, merge, texts
from privwatch.products.listings.platforms import Platform, Selectors, State
from privwatch.products.records import Listing

PRODUCT_TYPES = frozenset(
    {"Product", "IndividualProduct", "ProductModel", "ProductGroup"}
)
_GTIN_KEYS = ("gtin", "gtin8", "gtin12", "gtin13", "gtin14", "isbn")
_DECODER = json.JSONDecoder()


def read_page(
    html: str,
    *,
    url: str,
    fetched_at: str,
    platform: Platform | None,
) -> list[Listing]:
    """Every product ``html`` shows; [] when it shows none."""
    tree = LexborHTMLParser(html)
    page_url = url if url.startswith(("http://", "https://")) else ""
    if not page_url:  # a saved page: the address and time its saver wrote
        saved_url, saved_at = _single_file(html)
        fetched_at = saved_at or fetched_at
        page_url = saved_url or _canonical(tree) or _saved_from(html)
    if platform is None and page_url:
        from privwatch.products.listings.platforms import platform_for

        platform = platform_for(page_url)
    declared = _declared_language(tree)
    own = _platform_records(tree, platform) if platform else []
    generic = list(_json_ld(tree)) or list(_microdata(tree))
    if not generic:
        generic = _open_graph(tree)
    if len(own) == 1 and len(generic) == 1 and _same_page(generic[0], page_url):
        records = [merge(own[0], generic[0])]  # its gaps filled, never overwritten
    else:
        records = own or generic
    name = platform.name if platform else (urlsplit(page_url).hostname or "")
    made = (
        listing(
            raw,
            platform=name,
            page_url=page_url,
            fetched_at=fetched_at,
            declared_lang=declared,
            default_currency=platform.currency if platform else "",
            price_template=platform.price_template if platform else "",
        )
        for raw in records
    )
    found = [item for item in made if item is not None]
    if platform and platform.id_pattern:
        found = [_with_id(item, platform.id_pattern) for item in found]
    return found


def _with_id(item: Listing, pattern: str) -> Listing:
    """``item`` with the product id its address carries, when it has none."""
    if item.listing_id:
        return item
    match = re.search(pattern, item.url)
    return replace(item, listing_id=match.group(1)) if match else item


def _same_page(raw: Raw, page_url: str) -> bool:
    """The generic reader's one product is the page's own (it names no other
    address): only then may it fill the platform reader's gaps, so a GTIN of
    a recommended product never lands on the listing."""
    urls = texts(raw.get("url"))
    if not urls:
        return True
    own = urlsplit(page_url)
    other = urlsplit(absolute(urls[0], page_url))
    return (other.hostname, other.path.rstrip("/")) == (
        own.hostname,
        own.path.rstrip("/"),
    )


def _canonical(tree: LexborHTMLParser) -> str:
    for css, attr in (
        ('link[rel="canonical"]', "href"),
        ('meta[property="og:url"]', "content"),
    ):
        node = tree.css_first(css)
        value = (node.attributes.get(attr) or "").strip() if node else ""
        if value.startswith("//"):
            value = "https:" + value
        if value.startswith(("http://", "https://")):
            return value
    return ""


_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->")


def _saved_from(html: str) -> str:
    """The address a browser wrote when saving the page
    (``<!-- saved from url=(0042)https://... -->``)."""
    found = _SAVED_FROM.search(html[:4096])
    return found.group(1) if found else ""


_SINGLE_FILE = re.compile(r"<!--\s*Page saved with SingleFile\s.*?-->", re.DOTALL)
_JS_DATE = re.compile(
    r"saved date: \w{3} (\w{3}) (\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT([+-]\d{4})"
)
_MONTHS = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]


def _single_file(html: str) -> tuple[str, str]:
    """The address and the time (ISO, in UTC) in the header SingleFile writes
    into a page it saves (``url: …``, ``saved date: Sun Dec 06 2026 19:33:22
    GMT+0900 (…)``); "" for what is missing."""
    header = _SINGLE_FILE.search(html[:8192])
    if header is None:
        return "", ""
    text = header.group(0)
    url = re.search(r"^\s*url: (https?://\S+)", text, re.MULTILINE)
    when = _JS_DATE.search(text)
    saved_at = ""
    if when and when.group(1) in _MONTHS:
        from datetime import UTC, datetime

        month = _MONTHS.index(when.group(1)) + 1
        offset = when.group(7)
        stamp = (
            f"{when.group(3)}-{month:02d}-{int(when.group(2)):02d}T"
            f"{when.group(4)}:{when.group(5)}:{when.group(6)}{offset[:3]}:{offset[3:]}"
        )
        try:
            moment = datetime.fromisoformat(stamp).astimezone(UTC)
            saved_at = moment.isoformat(timespec="seconds")
        except ValueError:
            saved_at = ""
    return (url.group(1) if url else ""), saved_at


def _declared_language(tree: LexborHTMLParser) -> str:
    node = tree.css_first("html")
    return (node.attributes.get("lang") or "").strip() if node else ""


# --- the platform's own structure -------------------------------------------


def _platform_records(tree: LexborHTMLParser, platform: Platform) -> list[Raw]:
    for state in platform.state:
        records = _state_records(tree, state)
        if records:
            return records
    for selectors in platform.selectors:
        records = _selector_records(tree, selectors)
        if records:
            return records
    return []


def _state_records(tree: LexborHTMLParser, state: State) -> list[Raw]:
    data = _state_json(tree, state)
    if data is None:
        return []
    roots: list[Any] = []
    for path in state.items:
        found = dig(data, path)
        if isinstance(found, list) and found:
            roots = found
            break
    if not state.items:
        roots = [data]
    records = []
    for root in roots:
        raw = {name: _first(root, paths) for name, paths in state.fields.items()}
        ids = texts(raw.get("listing_id"))
        if state.url_template and ids and not texts(raw.get("url")):
            raw["url"] = state.url_template.format(listing_id=ids[0])
        if texts(raw.get("title")):
            records.append(raw)
    return records


def _state_json(tree: LexborHTMLParser, state: State) -> Any:
    if state.selector:
        node = _css_first(tree, state.selector)
        if node is None:
            return None
        try:
            return json.loads(node.text(deep=True))
        except ValueError:
            return None
    pattern = re.compile(state.marker)
    for script in tree.css("script"):
        text = script.text(deep=True)
        found = pattern.search(text)
        if not found:
            continue
        start = found.end()
        while start < len(text) and text[start].isspace():
            start += 1
        try:
            return _DECODER.raw_decode(text, start)[0]
        except ValueError:
            continue
    return None


def dig(data: Any, path: str) -> Any:
    """The value at the dotted ``path`` ("a.b.0.c": keys and list indexes)."""
    node = data
    for part in path.split(".") if path else []:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _first(root: Any, paths: list[str]) -> Any:
    for path in paths:
        value = dig(root, path)
        if value not in (None, "", [], {}):
            return value
    return None


def _selector_records(tree: LexborHTMLParser, selectors: Selectors) -> list[Raw]:
    scopes: list[LexborNode] = (
        list(_css(tree, selectors.item)) if selectors.item else [tree.root]  # type: ignore[list-item]
    )
    records = []
    for scope in scopes:
        if scope is None:
            continue
        raw: Raw = {}
        for name, options in selectors.fields.items():
            for option in options:
                value = _select(scope, option)
                if value:
                    raw[name] = value
                    break
        if raw.get("title"):
            records.append(raw)
    return records


def _select(scope: LexborNode, option: str) -> str:
    """The text of the first match of ``option`` ("css" or "css@attribute")."""
    css, _, attr = option.partition("@")
    node = _css_first(scope, css)
    if node is None:
        return ""
    if attr:
        return (node.attributes.get(attr) or "").strip()
    if node.tag == "meta":
        return (node.attributes.get("content") or "").strip()
    return " ".join(node.text(deep=True, separator=" ").split())


def _css(node: Any, css: str) -> list[LexborNode]:
    try:
        return list(node.css(css))
    except (SelectolaxError, ValueError):
        return []


def _css_first(node: Any, css: str) -> LexborNode | None:
    found = _css(node, css)
    return found[0] if found else None


# --- schema.org: JSON-LD ------------------------------------------------------


def _json_ld(tree: LexborHTMLParser) -> Iterator[Raw]:
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text(deep=True), strict=False)
        except ValueError:
            continue
        for node in _nodes(data, 0):
            yield _from_ld(node)


def _nodes(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Product nodes in JSON-LD: top level, arrays, ``@graph``, ``ItemList``."""
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1)
        return
    if not isinstance(data, dict):
        return
    if _types(data) & PRODUCT_TYPES:
        yield data
        return
    for key in ("@graph", "itemListElement", "item", "mainEntity"):
        if key in data:
            yield from _nodes(data[key], depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds if k}


def _from_ld(node: dict[str, Any]) -> Raw:
    offers = node.get("offers")
    offer = (offers[0] if offers else {}) if isinstance(offers, list) else offers
    offer = offer if isinstance(offer, dict) else {}
    if "offers" in offer:  # an AggregateOffer listing its offers
        inner = offer["offers"]
        inner = inner[0] if isinstance(inner, list) and inner else inner
        offer = {**(inner if isinstance(inner, dict) else {}), **offer}
    price = offer.get("price", offer.get("lowPrice"))
    spec = offer.get("priceSpecification")
    if price is None and isinstance(spec, dict):
        price = spec.get("price")
    other = texts(node.get("sku")) + texts(node.get("productID"))
    return {
        "title": node.get("name"),
        "brand": node.get("brand") or node.get("manufacturer"),
        "model": texts(node.get("model")) + texts(node.get("mpn")),
        "gtin": [t for key in _GTIN_KEYS for t in texts(node.get(key))],
        "other": other,
        "price": price,
        "currency": offer.get("priceCurrency")
        or (spec.get("priceCurrency") if isinstance(spec, dict) else None),
        "seller": offer.get("seller") or node.get("seller"),
        "category": node.get("category"),
        "url": node.get("url") or offer.get("url"),
        "description": node.get("description"),
    }


# --- schema.org: microdata ----------------------------------------------------


def _microdata(tree: LexborHTMLParser) -> Iterator[Raw]:
    for product in tree.css("[itemscope][itemtype]"):
        kind = (product.attributes.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1]
        if kind not in PRODUCT_TYPES or _is_product(_owner(product)):
            continue  # not a product, or a product inside another one
        props: dict[str, list[str]] = {}
        nested: dict[str, dict[str, str]] = {}
        for node in product.css("[itemprop]"):
            owner = _owner(node)
            name = node.attributes.get("itemprop") or ""
            if owner is None:
                continue
            if owner.mem_id == product.mem_id:
                props.setdefault(name, []).append(_prop_value(node))
            elif getattr(_owner(owner), "mem_id", None) == product.mem_id:
                parent = owner.attributes.get("itemprop") or ""
                nested.setdefault(parent, {}).setdefault(name, _prop_value(node))
        offer = nested.get("offers", {})

        def one(key: str, props: dict[str, list[str]] = props) -> str:
            return next((v for v in props.get(key, []) if v), "")

        yield {
            "title": one("name"),
            "brand": nested.get("brand", {}).get("name") or one("brand"),
            "model": props.get("model", []) + props.get("mpn", []),
            "gtin": [v for key in _GTIN_KEYS for v in props.get(key, [])],
            "other": props.get("sku", []) + props.get("productID", []),
            "price": offer.get("price") or one("price"),
            "currency": offer.get("priceCurrency") or one("priceCurrency"),
            "seller": nested.get("seller", {}).get("name") or offer.get("seller", ""),
            "category": one("category"),
            "url": one("url"),
            "description": one("description"),
        }


def _is_product(node: LexborNode | None) -> bool:
    if node is None:
        return False
    kind = (node.attributes.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1]
    return kind in PRODUCT_TYPES


def _owner(node: LexborNode) -> LexborNode | None:
    """The nearest ancestor that opens an item (``itemscope``)."""
    parent = node.parent
    while parent is not None:
        if "itemscope" in parent.attributes:
            return parent
        parent = parent.parent
    return None


def _prop_value(node: LexborNode) -> str:
    attrs = node.attributes
    for attr in ("content", "href", "src", "value"):
        if attrs.get(attr):
            return (attrs.get(attr) or "").strip()
    return " ".join(node.text(deep=True, separator=" ").split())


# --- OpenGraph product tags ---------------------------------------------------


def _open_graph(tree: LexborHTMLParser) -> list[Raw]:
    meta: dict[str, str] = {}
    for node in tree.css("meta[property]"):
        key = (node.attributes.get("property") or "").strip().lower()
        if key and key not in meta:
            meta[key] = (node.attributes.get("content") or "").strip()
    is_product = meta.get("og:type", "").lower() in ("product", "og:product") or any(
        key in meta for key in ("product:price:amount", "og:price:amount")
    )
    if not is_product or not meta.get("og:title"):
        return []
    return [
        {
            "title": meta.get("og:title"),
            "price": meta.get("product:price:amount") or meta.get("og:price:amount"),
            "currency": meta.get("product:price:currency")
            or meta.get("og:price:currency"),
            "brand": meta.get("product:brand"),
            "gtin": [
                meta[k]
                for k in ("product:ean", "product:upc", "product:gtin")
                if k in meta
            ],
            "other": [meta["product:retailer_item_id"]]
            if "product:retailer_item_id" in meta
            else [],
            "category": meta.get("product:category"),
            "url": meta.get("og:url"),
            "description": meta.get("og:description"),
            "seller": meta.get("product:retailer_title"),
        }
    ]
