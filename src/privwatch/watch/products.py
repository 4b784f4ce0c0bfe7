"""One ``products watch run``: every watched listing source read, matched
against the hazard lists, stored (``store.products``); a match that is
**relisted** (matched before, then gone, listed again) is an alert, sent to
webhooks as ``privwatch.products-alert/1`` through watch's webhook sender
(the same address policy and timeout).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from privwatch.errors import PrivwatchError
from privwatch.products.check import match_json, read_hazard_files, read_listing_source
from privwatch.products.records import Listing
from privwatch.store import Store
from privwatch.store.products import (
    FetchOutcome,
    NewMatch,
    RunRecord,
    SourceRecord,
    record_run,
    sources,
)

ALERT_SCHEMA = "privwatch.products-alert/1"
#: HTTP statuses that say a product page was taken down
GONE_STATUSES = frozenset({404, 410})


@dataclass(frozen=True)
class WatchOutcome:
    run: RunRecord
    fetches: tuple[FetchOutcome, ...]
    alert_failures: tuple[PrivwatchError, ...] = ()


def listing_key(listing: Listing) -> str:
    """What names one listing across runs: the platform's id, else its address,
    else its title."""
    return listing.listing_id or listing.url or listing.title


def _gone(exc: PrivwatchError) -> bool:
    """The source answered, and said there is no product (any other error
    concludes nothing)."""
    if exc.key == "listings.no_product":
        return True
    return exc.key == "fetch.status" and exc.params.get("status") in GONE_STATUSES


def _read(source: SourceRecord, listings: list[tuple[int, Listing]]) -> FetchOutcome:
    try:
        found, digest = read_listing_source(
            source.source, platform=None, render=source.render
        )
    except PrivwatchError as exc:
        status = "gone" if _gone(exc) else "failed"
        return FetchOutcome(source.id, status, error=exc.render("en"))
    listings.extend((source.id, item) for item in found)
    return FetchOutcome(
        source.id,
        "read",
        digest,
        listings=tuple(
            (listing_key(item), item.title, item.to_dict()) for item in found
        ),
    )


def run_watch(
    store: Store,
    hazard_paths: Sequence[Path],
    *,
    mapping: str | None = None,
    platform: str | None = None,
    webhooks: Sequence[str] = (),
    names: bool = True,
    on_fetch: Callable[[SourceRecord, FetchOutcome], None] | None = None,
) -> WatchOutcome:
    """Read every watched source (of ``platform``), match, store one run."""
    from privwatch.products.match import Matcher

    started = datetime.now(UTC)
    records, hazard_inputs = read_hazard_files(hazard_paths, mapping)
    watched = sources(store, platform)
    listings: list[tuple[int, Listing]] = []
    fetches = []
    for source in watched:
        outcome = _read(source, listings)
        fetches.append(outcome)
        if on_fetch:
            on_fetch(source, outcome)
    owner = {id(item): source_id for source_id, item in listings}
    found = (
        Matcher(records, names=names).match([item for _, item in listings])
        if listings and records
        else []
    )
    new = [
        NewMatch(
            source_id=owner[id(m.listing)],
            listing_key=listing_key(m.listing),
            hazard_source=m.hazard.source,
            hazard_record_id=m.hazard.record_id,
            hazard_date=m.hazard.date,
            method=m.method.value,
            score=round(m.score, 4),
            certainty=m.certainty.value,
            data=match_json(m),
        )
        for m in found
    ]
    counts = {
        "sources": len(watched),
        **{
            s: sum(1 for f in fetches if f.status == s)
            for s in ("read", "gone", "failed")
        },
        "listings": len(listings),
        "hazard_records": len(records),
        "matches": len(new),
        "certain": sum(1 for m in new if m.certainty == "certain"),
    }
    run = record_run(
        store,
        started_at=started,
        finished_at=datetime.now(UTC),
        inputs={"hazards": [i.to_dict() for i in hazard_inputs]},
        counts=counts,
        fetches=fetches,
        matches=new,
    )
    failures = _alert(run, webhooks) if run.relisted else ()
    return WatchOutcome(run, tuple(fetches), failures)


def alert_payload(run: RunRecord) -> dict[str, Any]:
    """``privwatch.products-alert/1``: the relisted matches of one run."""
    return {
        "schema": ALERT_SCHEMA,
        "run": run.id,
        "started_at": run.started_at.isoformat(timespec="seconds"),
        "relisted": [
            {
                "platform": m.platform,
                "foreign": m.foreign,
                "listing_key": m.listing_key,
                "title": m.title,
                "url": m.url,
                "hazard_source": m.hazard_source,
                "hazard_record_id": m.hazard_record_id,
                "hazard_date": m.hazard_date,
                "certainty": m.certainty,
                "match": m.data,
            }
            for m in run.relisted
        ],
    }


def _alert(run: RunRecord, webhooks: Sequence[str]) -> tuple[PrivwatchError, ...]:
    from privwatch.watch.alerts import send_webhook

    failures = []
    body = alert_payload(run)
    for url in webhooks:
        try:
            send_webhook(url, body)
        except (httpx.HTTPError, OSError) as exc:
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())
            failures.append(
                PrivwatchError(
                    "watch.alert_failed", channel="webhook", target=url, reason=reason
                )
            )
    return tuple(failures)
