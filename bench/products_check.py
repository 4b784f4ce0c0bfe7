"""``privwatch products check`` end to end at market scale: the synthetic
listings and hazard records of ``bench/products_match.py`` written as files
(a ``privwatch.listings/1`` JSON, a list in the kr-kca-overseas CSV format),
then the command timed in a subprocess (start-up, reading both, matching,
the JSON or HTML written).

    PYTHONPATH=src python bench/products_check.py --listings 10000 --hazards 50000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from privwatch.products.listings import to_json  # noqa: E402
from products_match import synthetic  # noqa: E402

HEADER = [
    "관리번호", "등록일", "제품명(국문)", "제품명(영문)", "제품명(중문)", "브랜드",
    "모델명", "바코드", "품목", "리콜국가", "위해내용", "조치내용", "URL",
]  # fmt: skip


def _day(date: str) -> str:
    """The notice's date in the list's format (a month alone: its first day)."""
    if len(date) == 7:
        return date + "-01"
    return date if len(date) == 10 else "2026-01-01"


def write(folder: Path, n_listings: int, n_hazards: int) -> tuple[Path, Path]:
    hazards, listings = synthetic(n_hazards, n_listings)
    listing_file = folder / "listings.json"
    listing_file.write_text(json.dumps(to_json(listings), ensure_ascii=False), "utf-8")
    hazard_file = folder / "hazards.csv"
    with hazard_file.open("w", encoding="utf-8-sig", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(HEADER)
        for i, h in enumerate(hazards):
            out.writerow(
                [
                    f"B-{i}",
                    _day(h.date),
                    h.names.get("ko", ""),
                    h.names.get("en", ""),
                    h.names.get("zh", ""),
                    h.brand,
                    "; ".join(h.identifiers.model),
                    "; ".join(h.identifiers.gtin),
                    "",
                    "미국",
                    "",
                    "판매차단",
                    "",
                ]
            )
    return listing_file, hazard_file


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--hazards", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        listing_file, hazard_file = write(folder, args.listings, args.hazards)
        for output_format in ("json", "html"):
            out = folder / f"check.{output_format}"
            command = [
                sys.executable, "-m", "privwatch", "products", "check",
                str(listing_file), "--hazards", str(hazard_file),
                "--mapping", "kr-kca-overseas", "-f", output_format, "-o", str(out),
            ]  # fmt: skip
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, env=os.environ)
            wall = time.perf_counter() - started
            if done.returncode not in (0, 1):
                sys.exit(done.stderr.decode())
            size = out.stat().st_size / 1e6
            extra = ""
            if output_format == "json":
                counts = json.loads(out.read_text("utf-8"))["counts"]
                extra = f" {counts}"
            print(
                f"{output_format}: {args.listings:,} listings x {args.hazards:,} records: "
                f"{wall:.1f} s wall, {size:.1f} MB written{extra}"
            )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
