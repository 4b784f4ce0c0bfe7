"""One check: listings read, hazard lists read, matched, with where each input
came from (``privwatch products check``, ``products watch``, batch items).

    check = run_check(["saved/page.html", "export.csv"], [Path("recalls.json")])
    check.matches, check.inputs, to_json(check)   # privwatch.products/1

Every input keeps its path (or address) and the SHA-256 of the bytes read, so
a report can be traced back to the files it was made from. A hazard list that
cannot be read stops the check (``InputError``): matching against part of the
lists would report "nothing found" it cannot defend. A listing source that
cannot be read is kept in ``inputs`` with its error and the others are checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from privwatch.errors import PrivwatchError
from privwatch.products.records import Certainty, HazardRecord, Listing, Match

SCHEMA = "privwatch.products/1"

__all__ = [
    "SCHEMA",
    "Check",
    "Input",
    "fails",
    "read_hazard_files",
    "read_listing_source",
    "run_check",
    "to_json",
]


@dataclass(frozen=True)
class Input:
    """One file or address read: ``kind`` is ``listings`` or ``hazards``."""

    kind: str
    source: str
    sha256: str  # of the bytes read; "" when it could not be read
    records: int  # listings or hazard records read from it
    mapping: str = ""  # the hazard list's mapping id
    error: str = ""  # the one-line error (English) when it could not be read

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "source": self.source,
            "sha256": self.sha256,
            "records": self.records,
        }
        if self.mapping:
            out["mapping"] = self.mapping
        if self.error:
            out["error"] = self.error
        return out


@dataclass(frozen=True)
class Check:
    started_at: str
    finished_at: str
    inputs: tuple[Input, ...]
    listings: tuple[Listing, ...]
    hazards: tuple[HazardRecord, ...]
    matches: tuple[Match, ...]

    @property
    def failed(self) -> tuple[Input, ...]:
        return tuple(i for i in self.inputs if i.error)

    def counts(self) -> dict[str, int]:
        certain = sum(1 for m in self.matches if m.certainty is Certainty.CERTAIN)
        return {
            "listings": len(self.listings),
            "hazard_records": len(self.hazards),
            "matches": len(self.matches),
            "certain": certain,
            "review": len(self.matches) - certain,
            "listing_sources_failed": len(self.failed),
        }


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def read_listing_source(
    source: str, *, platform: str | None = None, render: bool = False
) -> tuple[list[Listing], str]:
    """``listings.read_listings`` that also gives the SHA-256 of the bytes read
    (the page fetched, rendered or saved, the export)."""
    from privwatch.products.listings import read_listings_and_source

    found, raw = read_listings_and_source(source, platform=platform, render=render)
    return found, hashlib.sha256(raw.data).hexdigest()


def read_hazard_files(
    paths: Sequence[Path], mapping: str | None = None
) -> tuple[list[HazardRecord], list[Input]]:
    """Every record of every list (an ``InputError`` for one that cannot be
    read), and each list as an ``Input``."""
    from privwatch.digest import file_sha256
    from privwatch.products.hazards import read_hazards

    records: list[HazardRecord] = []
    inputs: list[Input] = []
    for path in paths:
        hazard_file = read_hazards(path, mapping)
        digest = file_sha256(path)
        read = list(hazard_file)
        records.extend(read)
        inputs.append(
            Input(
                "hazards", str(path), digest, len(read), mapping=hazard_file.mapping.id
            )
        )
    return records, inputs


def run_check(
    sources: Sequence[str],
    hazard_paths: Sequence[Path],
    *,
    mapping: str | None = None,
    platform: str | None = None,
    render: bool = False,
    names: bool = True,
    on_error: Callable[[PrivwatchError], None] | None = None,
    hazards: tuple[list[HazardRecord], list[Input]] | None = None,
) -> Check:
    """Read, match, account. ``on_error`` hears each listing source that could
    not be read (the check goes on); ``hazards`` may be given already read."""
    from privwatch.products.match import match

    started = _now()
    records, hazard_inputs = hazards or read_hazard_files(hazard_paths, mapping)
    listings: list[Listing] = []
    listing_inputs: list[Input] = []
    for source in sources:
        try:
            found, digest = read_listing_source(
                source, platform=platform, render=render
            )
        except PrivwatchError as exc:
            if on_error:
                on_error(exc)
            listing_inputs.append(
                Input("listings", source, "", 0, error=exc.render("en"))
            )
            continue
        listings.extend(found)
        listing_inputs.append(Input("listings", source, digest, len(found)))
    matches = match(listings, records, names=names) if listings and records else []
    return Check(
        started_at=started,
        finished_at=_now(),
        inputs=(*listing_inputs, *hazard_inputs),
        listings=tuple(listings),
        hazards=tuple(records),
        matches=tuple(matches),
    )


def fails(check: Check, fail_on: str | None) -> bool:
    """``--fail-on certain``: a certain match exists; ``review``: any match."""
    if fail_on == "certain":
        return any(m.certainty is Certainty.CERTAIN for m in check.matches)
    if fail_on == "review":
        return bool(check.matches)
    return False


def match_json(m: Match) -> dict[str, Any]:
    """One match as the contract gives it: both sides and the quoted fields."""
    return {
        "listing": m.listing.to_dict(),
        "hazard": m.hazard.to_dict(),
        "method": m.method.value,
        "score": round(m.score, 4),
        "certainty": m.certainty.value,
        "reason": m.reason,
        "fields": [
            {"field": f.field, "listing": f.listing_text, "hazard": f.hazard_text}
            for f in m.fields
        ],
    }


def to_json(check: Check) -> dict[str, Any]:
    """``privwatch.products/1`` (the README documents each key)."""
    from privwatch import __version__

    return {
        "schema": SCHEMA,
        "generator": f"privwatch {__version__}",
        "started_at": check.started_at,
        "finished_at": check.finished_at,
        "inputs": [i.to_dict() for i in check.inputs],
        "counts": check.counts(),
        "matches": [match_json(m) for m in check.matches],
    }
