"""How well and how fast listings are matched against hazard records.

    python bench/products_match.py              # both test sets, then the scale run
    python bench/products_match.py --no-scale   # only the test sets
    python bench/products_match.py --scale-only --listings 10000 --hazards 50000

Quality, on ``bench/products_testset.py``'s development set (seed 1: the one
the thresholds were set on) and its hold-out generator (other variation code,
seed 2):

- precision of ``certain`` matches: certain matches naming the notice the
  listing was made from, over all certain matches (target >= 98%);
- recall: re-listed products with a match (certain or review) to their notice,
  over all re-listed products (target >= 90%).

Speed: 10,000 listings against 50,000 hazard records (the notices' records and
synthetic ones made like them; a tenth of the listings re-list a synthetic
record by model or barcode, the rest are other products), wall-clock including
building the index, with the embedding cache cold and then warm.
"""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from privwatch.products.match import Matcher  # noqa: E402
from privwatch.products.records import (  # noqa: E402
    Certainty,
    HazardRecord,
    Identifiers,
    Listing,
    Match,
)
from products_testset import CATEGORY, OTHER_BRANDS, TestSet, development, holdout  # noqa: E402


def evaluate(name: str, test: TestSet, *, verbose: bool = False) -> dict[str, float]:
    matcher = Matcher(test.hazards)
    matches = matcher.match(test.listings)
    certain = [m for m in matches if m.certainty is Certainty.CERTAIN]
    right = [m for m in certain if test.truth[m.listing.url] == m.hazard.record_id]
    positives = {u for u, t in test.truth.items() if t}
    found = {
        m.listing.url
        for m in matches
        if test.truth[m.listing.url] == m.hazard.record_id
    }
    found_certain = {m.listing.url for m in right}
    review = [m for m in matches if m.certainty is Certainty.REVIEW]
    review_right = [
        m for m in review if test.truth[m.listing.url] == m.hazard.record_id
    ]
    precision = len(right) / len(certain) if certain else 1.0
    recall = len(found & positives) / len(positives)
    print(
        f"{name}: {len(test.hazards)} records, {len(test.listings)} listings "
        f"({len(positives)} re-listed, {len(test.listings) - len(positives)} look-alikes)"
    )
    print(
        f"  certain: {len(certain)} matches, precision {precision:.1%} "
        f"({len(certain) - len(right)} wrong); re-listed found certain {len(found_certain)}/{len(positives)}"
    )
    print(f"  review: {len(review)} matches, {len(review_right)} name the right notice")
    print(
        f"  recall (certain + review): {recall:.1%} ({len(found & positives)}/{len(positives)})"
    )
    missed = Counter(test.kind[u] for u in positives - found)
    if missed:
        print(f"  missed by variation: {dict(missed)}")
    wrong_kinds = Counter(test.kind[m.listing.url] for m in certain if m not in right)
    if wrong_kinds:
        print(f"  wrong certain by variation: {dict(wrong_kinds)}")
    reasons = Counter(m.reason.rsplit(".", 1)[-1] for m in review)
    print(f"  review reasons: {dict(reasons)}")
    if verbose:
        for u in sorted(positives - found):
            listing = next(item for item in test.listings if item.url == u)
            print(f"    missed: {test.kind[u]:<22} {listing.title}")
        for m in certain:
            if m not in right:
                print(f"    wrong certain: {m.listing.title} -> {m.hazard.record_id}")
    return {"precision": precision, "recall": recall}


_SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "zen",
    "lu",
    "tor",
    "va",
    "qi",
    "sun",
    "nex",
    "bo",
    "ly",
    "tek",
    "ora",
    "fi",
    "dex",
]


def _brand(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).title()


def _model(rng: random.Random) -> str:
    letters = "".join(
        rng.choice(string.ascii_uppercase) for _ in range(rng.randint(1, 3))
    )
    return f"{letters}{rng.randint(100, 99999)}{rng.choice(['', 'A', 'B', 'S', 'X'])}"


def _gtin(rng: random.Random) -> str:
    body = "".join(rng.choice(string.digits) for _ in range(12))
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def synthetic(
    n_hazards: int, n_listings: int, seed: int = 7
) -> tuple[list[HazardRecord], list[Listing]]:
    """Hazard records and listings made like the notices: brands from 2,000
    made-up names, categories from the test set's, random model numbers; a
    tenth of the listings re-list a record (model in the title with its brand,
    or its barcode), the rest are other products of the same categories."""
    rng = random.Random(seed)
    brands = [_brand(rng) for _ in range(2000)]
    categories = list(CATEGORY.values())
    base = development()
    hazards = list(base.hazards)
    while len(hazards) < n_hazards:
        en, ko, zh = rng.choice(categories)
        brand = rng.choice(brands)
        names = {
            "en": f"{brand} {rng.choice(['Pro', 'Mini', 'Max', 'Lite', ''])} {en}".replace(
                "  ", " "
            )
        }
        if rng.random() < 0.3:
            names["ko"] = f"{ko} {rng.choice(['신형', '접이식', '휴대용'])}"
        hazards.append(
            HazardRecord(
                source="synthetic",
                record_id=f"syn-{len(hazards)}",
                date="2026-01-01",
                names=names,
                brand=brand,
                identifiers=Identifiers(
                    model=(_model(rng),),
                    gtin=(_gtin(rng),) if rng.random() < 0.2 else (),
                ),
            )
        )
    listings = list(base.listings)
    while len(listings) < n_listings:
        i = len(listings)
        if rng.random() < 0.1:
            h = rng.choice(hazards[len(base.hazards) :])
            if h.identifiers.gtin and rng.random() < 0.5:
                listing = Listing(
                    "Temu",
                    f"https://syn/{i}",
                    f"{h.names['en']} new",
                    "2026-12-01",
                    identifiers=Identifiers(gtin=h.identifiers.gtin),
                )
            else:
                listing = Listing(
                    "AliExpress",
                    f"https://syn/{i}",
                    f"{h.brand} {h.names['en']} {h.identifiers.model[0]}",
                    "2026-12-01",
                )
        else:
            en, ko, zh = rng.choice(categories)
            title = rng.choice(
                [
                    f"{rng.choice(OTHER_BRANDS)} {en} {_model(rng)}",
                    f"{ko} {_model(rng)} 무료배송",
                    f"{zh} {_model(rng)} 包邮",
                    f"{_brand(rng)} {en} {rng.randint(2, 9)}pcs",
                ]
            )
            listing = Listing("Coupang", f"https://syn/{i}", title, "2026-12-01")
        listings.append(listing)
    return hazards, listings


def scale(n_listings: int, n_hazards: int) -> None:
    hazards, listings = synthetic(n_hazards, n_listings)
    print(
        f"scale: {len(listings):,} listings against {len(hazards):,} hazard records "
        f"on {os.cpu_count()} cores (shared with other work while measured)"
    )
    with tempfile.TemporaryDirectory() as cache:
        os.environ["PRIVWATCH_CACHE_DIR"] = cache
        for run in ("cold embedding cache", "warm embedding cache"):
            started, cpu = time.perf_counter(), time.process_time()
            matcher = Matcher(hazards)
            built = time.perf_counter() - started
            matches = matcher.match(listings)
            took = time.perf_counter() - started
            cpu = time.process_time() - cpu
            certain = sum(1 for m in matches if m.certainty is Certainty.CERTAIN)
            print(
                f"  {run}: {took:.1f} s wall, {cpu:.1f} s CPU (all threads; index "
                f"{built:.1f} s), {len(matches):,} matches "
                f"({certain:,} certain), {matcher.embedded:,} texts embedded"
            )
            stages = ", ".join(f"{k} {v:.1f} s" for k, v in matcher.seconds.items())
            print(f"    by stage: {stages}")
        _within(matches)


def _within(matches: list[Match]) -> None:
    """The development set's 400 listings are the first of the scale run's:
    their figures against 50,000 records instead of 50."""
    truth = development().truth
    mine = [m for m in matches if m.listing.url in truth]
    certain = [m for m in mine if m.certainty is Certainty.CERTAIN]
    right = [m for m in certain if truth[m.listing.url] == m.hazard.record_id]
    positives = {u for u, t in truth.items() if t}
    found = {m.listing.url for m in mine if truth[m.listing.url] == m.hazard.record_id}
    synthetic_hits = [m for m in certain if m.hazard.source == "synthetic"]
    print(
        f"  the development set inside it: certain precision "
        f"{len(right) / max(1, len(certain)):.1%} ({len(certain) - len(right)} wrong, "
        f"{len(synthetic_hits)} against synthetic records), "
        f"recall {len(found & positives) / len(positives):.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--scale-only", action="store_true")
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--hazards", type=int, default=50_000)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if not args.scale_only:
        evaluate("development (seed 1)", development(1), verbose=args.verbose)
        evaluate("hold-out (other generator, seed 2)", holdout(2), verbose=args.verbose)
        evaluate("hold-out (other generator, seed 3)", holdout(3), verbose=args.verbose)
    if not args.no_scale:
        scale(args.listings, args.hazards)


if __name__ == "__main__":
    main()
