"""Scan a generated traffic-like text with every built-in detector; print MB/s.

    python bench/detectors.py [--mb 20] [--repeat 3] [--seed 1]

The text mixes JSON events, URLs with ids, base64 blobs, Korean sentences, HTML,
user agents and bare digit runs, with a few planted values (an RRN, a card, a
phone, an email, an IDFA after its key, coordinates) that must all be found.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import random
import sys
import time
import uuid

from privwatch.detectors import DetectorRegistry
from privwatch.detectors.checksums import rrn_check_digit

WORDS = [
    "상품",
    "주문",
    "배송",
    "회원",
    "결제",
    "쿠폰",
    "검색",
    "카테고리",
    "리뷰",
    "장바구니",
    "안녕하세요",
]


def _luhn_complete(body: str) -> str:
    for check in "0123456789":
        total = 0
        for i, ch in enumerate(reversed(body + check)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return body + check
    raise AssertionError("unreachable")


def planted() -> dict[str, str]:
    """One synthetic value per entity, keyed by what should find it."""
    head = "900101" + "123456"
    card = _luhn_complete("412345678901234")
    return {
        "rrn": f"{head[:6]}-{head[6:]}{rrn_check_digit(head)}",
        "card": " ".join(card[i : i + 4] for i in range(0, 16, 4)),
        "phone": "010-2345-6789",
        "email": "kim.haneul@example.com",
        "device_id": "6D92078A-8246-4BA4-AE5B-76104861E7DC",
        "location": "37.5665,126.9780",
    }


def chunk(rng: random.Random) -> str:
    """One piece of traffic-like filler without personal data."""
    kind = rng.randrange(8)
    if kind == 0:
        return json.dumps(
            {
                "event": "view",
                "ts": rng.randrange(1_700_000_000_000, 1_800_000_000_000),
                "request_id": str(uuid.UUID(int=rng.getrandbits(128))),
                "price": round(rng.random() * 1000, 2),
                "ver": f"1.2.{rng.randrange(9)}.{rng.randrange(99)}",
            }
        )
    if kind == 1:
        sid = "".join(rng.choices("0123456789abcdef", k=32))
        return f"https://api.example.com/v1/items?page={rng.randrange(100)}&id={rng.getrandbits(60)}&sid={sid}"
    if kind == 2:
        return base64.b64encode(rng.randbytes(120)).decode()
    if kind == 3:
        return " ".join(rng.choices(WORDS, k=12))
    if kind == 4:
        return f"order {rng.getrandbits(40)} at 2025-03-{rng.randrange(1, 29):02d}T12:{rng.randrange(60):02d}:00Z"
    if kind == 5:
        return f'<div class="item-{rng.randrange(999)}"><img src="/img/a@2x.png"></div>'
    if kind == 6:
        return "".join(rng.choices("0123456789", k=rng.randrange(5, 30)))
    return (
        f"Mozilla/5.0 (Linux; Android 14) Chrome/120.0.6099.{rng.randrange(999)} Mobile"
    )


def generate(size: int, seed: int) -> tuple[str, dict[str, str]]:
    """About ``size`` characters of filler with the planted values spread in."""
    rng = random.Random(seed)
    values = planted()
    parts: list[str] = []
    total = 0
    step = size // (len(values) + 1)
    plant = iter(values.items())
    next_plant = step
    while total < size:
        if total >= next_plant:
            entity, value = next(plant, (None, ""))
            if entity is not None:
                key = "idfa" if entity == "device_id" else entity
                parts.append(f'"{key}": "{value}"')
            next_plant += step
        piece = chunk(rng)
        parts.append(piece)
        total += len(piece) + 1
    return "\n".join(parts), values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    text, values = generate(int(args.mb * 1_000_000), args.seed)
    registry = DetectorRegistry.builtin()
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        detections = registry.detect(text)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    size = len(text.encode("utf-8")) / 1e6
    found = {d.value for d in detections}
    missing = [entity for entity, value in values.items() if value not in found]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"text: {len(text) / 1e6:.1f} M characters, {size:.1f} MB UTF-8")
    print(
        f"detections: {len(detections)} ({sum(d.score >= 0.5 for d in detections)} with score >= 0.5)"
    )
    print(
        f"planted values found: {len(values) - len(missing)}/{len(values)}"
        + (f" (missing: {', '.join(missing)})" if missing else "")
    )
    print(f"best of {args.repeat}: {best:.2f} s = {size / best:.1f} MB/s")
    per = []
    for name in registry.names():
        one = registry.select([name])
        start = time.perf_counter()
        one.detect(text)
        per.append(f"{name} {size / (time.perf_counter() - start):.0f}")
    print("per detector, MB/s: " + ", ".join(per))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
