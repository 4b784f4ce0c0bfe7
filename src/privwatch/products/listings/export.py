"""A platform's CSV or JSON export into listings, through a column mapping
(``products/data/listing_mappings/*.yaml``): a new platform's export needs a
mapping file, not code."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlsplit

from privwatch.errors import InputError
from privwatch.products.listings.build import listing
from privwatch.products.listings.page import dig
from privwatch.products.listings.platforms import Mapping, mappings
from privwatch.products.records import Listing

_LIST_FIELDS = ("gtin", "model", "other")


def read_csv(
    text: str, *, source: str, fetched_at: str, platform: str | None
) -> list[Listing]:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # the header's separator; "," on a tie
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise InputError(
            "listings.bad_export", source=source, reason=str(exc)
        ) from None
    if not rows:
        raise InputError("listings.empty_export", source=source)
    header = [cell.strip() for cell in rows[0]]
    records = [dict(zip(header, row, strict=False)) for row in rows[1:]]
    return _records(
        records,
        header,
        source=source,
        fetched_at=fetched_at,
        platform=platform,
        first_row=2,
    )


def read_json(
    data: Any, *, source: str, fetched_at: str, platform: str | None
) -> list[Listing]:
    chosen = None
    records: Any = data
    if isinstance(data, dict):
        for mapping in _candidates(platform):
            found = dig(data, mapping.records) if mapping.records else None
            if isinstance(found, list):
                chosen, records = mapping, found
                break
        else:
            found_list = next((v for v in data.values() if isinstance(v, list)), None)
            records = found_list if found_list is not None else [data]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputError(
            "listings.bad_export", source=source, reason="expected a list of objects"
        )
    if not records:
        raise InputError("listings.empty_export", source=source)
    header = list(dict.fromkeys(key for record in records for key in record))
    return _records(
        records,
        header,
        source=source,
        fetched_at=fetched_at,
        platform=platform,
        first_row=1,
        chosen=chosen,
    )


def _candidates(platform: str | None) -> list[Mapping]:
    every = list(mappings())
    if not platform:
        return every
    wanted = platform.strip().casefold()
    named = [m for m in every if wanted in (m.id.casefold(), m.platform.casefold())]
    return named or every


def choose(header: list[str], platform: str | None) -> Mapping | None:
    """The mapping that names the most of ``header``'s columns (one naming the
    title column at least); a platform's own before the generic one."""
    present = {h.strip().casefold() for h in header}
    best: tuple[int, int, Mapping] | None = None
    for mapping in _candidates(platform):
        titles = {c.casefold() for c in mapping.columns.get("title", [])}
        if not titles & present:
            continue
        score = sum(
            1
            for names in mapping.columns.values()
            if {n.casefold() for n in names} & present
        )
        key = (score, 1 if mapping.platform else 0, mapping)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def _records(
    records: list[dict[str, Any]],
    header: list[str],
    *,
    source: str,
    fetched_at: str,
    platform: str | None,
    first_row: int,
    chosen: Mapping | None = None,
) -> list[Listing]:
    mapping = chosen or choose(header, platform)
    if mapping is None:
        raise InputError(
            "listings.no_title_column", source=source, columns=", ".join(header[:12])
        )
    lookup = {h.strip().casefold(): h for h in header}
    columns = {
        field: [lookup[n.casefold()] for n in names if n.casefold() in lookup]
        for field, names in mapping.columns.items()
    }
    out = []
    for number, record in enumerate(records, start=first_row):
        raw: dict[str, Any] = {}
        for field, names in columns.items():
            values = [record.get(name) for name in names]
            values = [v for v in values if v not in (None, "")]
            if field in _LIST_FIELDS:
                raw[field] = values
            elif values:
                raw[field] = values[0]
        url = str(raw.get("url") or "")
        name = mapping.platform or urlsplit(url).hostname or ""
        made = listing(
            raw,
            platform=name,
            page_url="",
            fetched_at=fetched_at,
            default_currency=mapping.currency,
        )
        if made is None:
            raise InputError("listings.row_no_title", source=source, row=number)
        out.append(made)
    return out
