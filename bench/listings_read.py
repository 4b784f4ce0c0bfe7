"""How long reading 10,000 saved product pages and 10,000 export rows takes.

    python bench/listings_read.py [--pages N] [--rows N]

Pages: the test fixtures of every kind (JSON-LD @graph, ItemList, microdata,
OpenGraph, AliExpress runParams, Temu rawData, SHEIN state, Naver state,
Coupang and Gmarket selectors), each copied with its titles numbered so no
two files are alike, written to a temporary folder and read one file at a
time with ``read_listings`` in one process (files read from disk, decoded,
parsed). Rows: a generic CSV and a JSON export of N rows each.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from privwatch.products.listings import read_listings

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "listings"
KINDS = (
    ("generic_graph_ko.html", "해피웨이브 어린이 물놀이 튜브 80cm"),
    ("search_itemlist.html", "Moonbeam LED Night Light for Kids"),
    ("microdata_zh.html", "儿童磁力积木玩具 64件套"),
    ("opengraph.html", "Aurora Hair Dryer 1800W Foldable"),
    ("aliexpress_item.html", "便携式迷你暖手宝 充电款 5000mAh"),
    ("aliexpress_search.html", "USB 전기 손난로 미니"),
    ("temu_item.html", "Kids Slime Kit 24 Colours with Glitter"),
    ("shein_item.html", "Girls Sequin Detail Knit Cardigan"),
    ("naver_item.html", "다솜키즈 아기 치발기 실리콘 DS-T10"),
    ("coupang_item.html", "포근베베 유아 전기 보온 담요 [무료배송] PB-200"),
    ("coupang_search.html", "말랑 슬라임 키트 12색"),
    ("gmarket_search.html", "고속 충전기 65W GaN 3포트"),
    ("11st_item.html", "새싹 유아 카시트 ISOFIX SS-C300"),
)


def _pages(folder: Path, count: int) -> list[Path]:
    sources = [((PAGES / name).read_text("utf-8"), title) for name, title in KINDS]
    paths = []
    for index in range(count):
        text, title = sources[index % len(sources)]
        path = folder / f"page-{index:05d}.html"
        path.write_text(text.replace(title, f"{title} #{index}"), "utf-8")
        paths.append(path)
    return paths


def _exports(folder: Path, rows: int) -> tuple[Path, Path]:
    records = [
        {
            "title": f"어린이 물놀이 튜브 {i}호" if i % 2 else f"Night light model {i}",
            "brand": "해피웨이브" if i % 2 else "Moonbeam",
            "model": f"HW-{i:05d}",
            "gtin": "8801234567893" if i % 3 else "8801234567894",
            "price": f"{9900 + i}",
            "currency": "KRW",
            "seller": f"seller {i % 97}",
            "url": f"https://market.example.test/p/{i}",
        }
        for i in range(rows)
    ]
    csv_path = folder / "export.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    json_path = folder / "export.json"
    json_path.write_text(json.dumps({"items": records}, ensure_ascii=False), "utf-8")
    return csv_path, json_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    read_listings(str(PAGES / "aliexpress_item.html"))  # load the platform data once
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = _pages(folder, args.pages)
        started, cpu = time.perf_counter(), time.process_time()
        listings = sum(len(read_listings(str(path))) for path in paths)
        pages_s, pages_cpu = time.perf_counter() - started, time.process_time() - cpu
        csv_path, json_path = _exports(folder, args.rows)
        started, cpu = time.perf_counter(), time.process_time()
        from_csv = len(read_listings(str(csv_path)))
        csv_s, csv_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        from_json = len(read_listings(str(json_path)))
        json_s, json_cpu = time.perf_counter() - started, time.process_time() - cpu
    cpus = os.cpu_count()
    print(
        f"machine: {platform.machine()}, {cpus} CPUs, Python {sys.version.split()[0]}"
    )
    print(
        f"{args.pages:,} saved pages ({len(KINDS)} kinds) -> {listings:,} listings: "
        f"{pages_s:.1f} s wall, {pages_cpu:.1f} s CPU "
        f"({args.pages / pages_cpu:,.0f} pages per CPU second, one process)"
    )
    print(
        f"CSV export, {args.rows:,} rows -> {from_csv:,} listings: "
        f"{csv_s:.2f} s wall, {csv_cpu:.2f} s CPU"
    )
    print(
        f"JSON export, {args.rows:,} rows -> {from_json:,} listings: "
        f"{json_s:.2f} s wall, {json_cpu:.2f} s CPU"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
