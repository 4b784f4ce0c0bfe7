"""The product matching test set, built from recall notices' facts.

``bench/data/recall_notices.yaml`` holds facts of real notices (identifiers,
brands, names, each with its URL). Each notice becomes one ``HazardRecord``;
each is then re-listed in made-up listing pages with the variations real
listings use, and an equal number of look-alike safe products is made beside
them. Everything is deterministic by seed.

Two generators with different variation code: ``development`` (the one the
thresholds in ``products/data/matching.yaml`` were set on) and ``holdout``
(other templates, other separators, other padding, other look-alikes), so a
figure is not tuned to one way of writing.

    python bench/products_testset.py [--seed N] [--holdout]   # prints a sample
"""

from __future__ import annotations

import argparse
import random
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from privwatch.products.records import HazardRecord, Identifiers, Listing

NOTICES = Path(__file__).parent / "data" / "recall_notices.yaml"

# Category words in three languages (made for this test set: how listings say
# the kind of product).
CATEGORY = {
    "power bank": ("power bank", "보조배터리", "充电宝"),
    "space heater": ("space heater", "전기 히터", "电暖器"),
    "e-bike": ("electric bike", "전기자전거", "电动自行车"),
    "e-bike battery": ("e-bike battery", "전기자전거 배터리", "电动车电池"),
    "bassinet": ("bassinet", "아기 요람", "婴儿摇篮"),
    "chest of drawers": ("3-drawer chest", "3단 서랍장", "三斗柜"),
    "pressure cooker": ("pressure cooker", "전기 압력솥", "电压力锅"),
    "hair dryer": ("hair dryer", "헤어드라이어", "吹风机"),
    "leaf blower": ("electric blower", "전기 송풍기", "电动吹风机"),
    "ac adapter": ("AC adapter", "노트북 어댑터", "电源适配器"),
    "toy": ("kids toy", "어린이 장난감", "儿童玩具"),
    "kitchen appliance": ("electric samovar", "전기 주전자", "电热水壶"),
    "usb charger": ("USB wall charger", "USB 충전기", "USB充电器"),
    "high chair": ("baby high chair", "유아 식탁의자", "儿童餐椅"),
    "baby walker": ("baby walker", "아기 보행기", "婴儿学步车"),
    "crib": ("wooden crib", "원목 아기침대", "实木婴儿床"),
    "kitchen utensil": ("french fry cutter", "감자 커터", "薯条切割器"),
    "baby carrier": ("baby carrier", "아기띠", "婴儿背带"),
    "stroller": ("baby stroller", "유모차", "婴儿推车"),
    "laptop battery": ("laptop battery", "노트북 배터리", "笔记本电池"),
    "bicycle part": ("bike stem", "자전거 스템", "自行车把立"),
    "helmet": ("bike helmet", "자전거 헬멧", "自行车头盔"),
    "baby bath": ("baby bath tub", "아기 욕조", "婴儿浴盆"),
    "pacifier": ("pacifier", "공갈젖꼭지", "安抚奶嘴"),
    "swim vest": ("kids swim vest", "어린이 구명조끼", "儿童游泳背心"),
}
BRAND_KO = {
    "Anker": "앤커",
    "IKEA": "이케아",
    "Graco": "그라코",
    "Skip Hop": "스킵합",
    "Eddie Bauer": "에디바우어",
    "Pierre Cardin": "피에르가르뎅",
    "Toro": "토로",
    "iWalk": "아이워크",
    "Govee": "고비",
    "AmazonBasics": "아마존베이직",
}
BRAND_ZH = {
    "Anker": "安克",
    "IKEA": "宜家",
    "Graco": "葛莱",
    "Pierre Cardin": "皮尔卡丹",
    "Ancheer": "安奇尔",
}
OTHER_BRANDS = [
    "Voltra",
    "Kimsun",
    "Hovio",
    "Lumetta",
    "Baby Joy",
    "Nordvik",
    "Sunmate",
    "Zentek",
    "Aurelia",
    "Petit Nid",
    "Qiyuan",
    "Hanbit",
    "Coolmax",
    "Oriel",
]


@dataclass
class TestSet:
    hazards: list[HazardRecord]
    listings: list[Listing]
    truth: dict[str, str] = field(
        default_factory=dict
    )  # listing url -> record_id, "" safe
    kind: dict[str, str] = field(default_factory=dict)  # listing url -> variation name


def notices() -> list[dict[str, Any]]:
    data: dict[str, Any] = yaml.safe_load(NOTICES.read_text("utf-8"))
    return list(data["notices"])


def hazards(facts: list[dict[str, Any]] | None = None) -> list[HazardRecord]:
    return [
        HazardRecord(
            source=n["source"],
            record_id=n["id"],
            date=str(n.get("date", "")),
            names={k: str(v) for k, v in n["names"].items()},
            brand=n.get("brand", ""),
            identifiers=Identifiers(
                gtin=tuple(n.get("gtins", [])),
                model=tuple(str(m) for m in n.get("models", [])),
            ),
            category=n.get("category", ""),
            hazard=n.get("hazard", ""),
            measure=n.get("measure", ""),
            url=n["url"],
        )
        for n in (facts or notices())
    ]


def _all_models(facts: list[dict[str, Any]]) -> set[str]:
    from privwatch.products.match import model_key

    return {model_key(str(m)) for n in facts for m in n.get("models", [])}


def _near_miss(model: str, taken: set[str], rng: random.Random) -> str:
    """Another model number one edit away that no notice has."""
    from privwatch.products.match import model_key

    for _ in range(50):
        chars = list(model)
        digits = [i for i, c in enumerate(chars) if c.isdigit()]
        choice = rng.randrange(3)
        if choice == 0 and digits:
            i = rng.choice(digits)
            chars[i] = str((int(chars[i]) + rng.randrange(1, 9)) % 10)
        elif choice == 1 and len(digits) >= 2:
            i, j = rng.sample(digits, 2)
            chars[i], chars[j] = chars[j], chars[i]
        else:
            chars.append(rng.choice(string.digits))
        candidate = "".join(chars)
        if model_key(candidate) not in taken:
            return candidate
    return model + "7Z"


def _spaced(model: str, rng: random.Random, seps: tuple[str, ...]) -> str:
    """The model with a separator put in (or its dashes changed)."""
    plain = model.replace("-", "")
    cut = rng.randrange(1, max(2, len(plain)))
    return plain[:cut] + rng.choice(seps) + plain[cut:]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


class _Maker:
    def __init__(self, seed: int, prefix: str) -> None:
        self.rng = random.Random(seed)
        self.prefix = prefix
        self.count = 0
        self.set = TestSet([], [])

    def add(self, title: str, truth: str, kind: str, **extra: Any) -> None:
        self.count += 1
        url = f"https://shop.example/{self.prefix}/{self.count}"
        platform = self.rng.choice(["AliExpress", "Temu", "Coupang", "11st", "Gmarket"])
        self.set.listings.append(
            Listing(
                platform=platform,
                url=url,
                title=title,
                fetched_at="2026-12-01T00:00:00Z",
                **extra,
            )
        )
        self.set.truth[url] = truth
        self.set.kind[url] = kind


def development(seed: int = 1) -> TestSet:
    """Four re-listings and four look-alikes per notice."""
    facts = notices()
    make = _Maker(seed, f"dev{seed}")
    make.set.hazards = hazards(facts)
    taken = _all_models(facts)
    rng = make.rng
    pads = [
        "Hot Sale",
        "2024 New",
        "Free Shipping",
        "Original",
        "Best Seller",
        "Fast Delivery",
    ]
    for n in facts:
        rid, brand = n["id"], n.get("brand", "")
        en, ko, zh = CATEGORY.get(
            n["category"], (n["category"], n["category"], n["category"])
        )
        models = [str(m) for m in n.get("models", [])]
        name = n["names"].get("en") or next(iter(n["names"].values()))
        if models:
            m = rng.choice(models)
            make.add(
                f"{rng.choice(pads)} {brand} {name} {m} {rng.choice(pads)}".strip(),
                rid,
                "reworded",
            )
            make.add(
                f"{BRAND_KO.get(brand, brand)} {ko} {_spaced(m, rng, (' ', '-'))} 정품 무료배송".strip(),
                rid,
                "korean+spaced",
            )
            if n.get("gtins"):
                make.add(
                    f"{zh} {rng.choice(['新款', '热卖'])}",
                    rid,
                    "gtin",
                    identifiers=Identifiers(gtin=(n["gtins"][0],)),
                )
            else:
                make.add(
                    f"{BRAND_ZH.get(brand, brand)}{zh} 型号{m}".strip(), rid, "chinese"
                )
            make.add(f"{en} {m} set of 2", rid, "bundle+no-brand")
            # look-alikes
            other = _near_miss(m, taken, rng)
            make.add(f"{brand} {en} {other}".strip(), "", "same-brand-other-model")
            make.add(
                f"{rng.choice(['Case for', 'Replacement cable for'])} {brand} {m}".strip(),
                "",
                "accessory",
            )
            make.add(f"{m} 호환 {ko} 파우치", "", "accessory-ko")
            make.add(
                f"{rng.choice(OTHER_BRANDS)} {en} {_near_miss(m, taken, rng)}",
                "",
                "same-category",
            )
        else:
            make.add(f"{brand} {name}".strip(), rid, "name")
            make.add(
                f"{BRAND_KO.get(brand, brand)} {n['names'].get('ko', ko)} {rng.choice(['정품', '해외직구'])}".strip(),
                rid,
                "name-ko",
            )
            make.add(f"{rng.choice(pads)} {name} {en}", rid, "name-padded")
            make.add(f"{BRAND_ZH.get(brand, brand)} {zh}".strip(), rid, "name-zh")
            make.add(
                f"{rng.choice(OTHER_BRANDS)} {en} {rng.choice(['Deluxe', 'Mini', 'Plus'])}",
                "",
                "same-category",
            )
            make.add(
                f"{brand} {rng.choice(['gift card', 'sticker pack', 'T-shirt'])}".strip(),
                "",
                "same-brand-other",
            )
            make.add(
                f"{rng.choice(OTHER_BRANDS)} {ko} {rng.choice(['신상', '특가'])}",
                "",
                "same-category-ko",
            )
            make.add(f"{en} cover for {brand}".strip(), "", "accessory")
    return make.set


def holdout(seed: int = 2) -> TestSet:
    """Other templates, separators, padding and look-alikes than ``development``."""
    facts = notices()
    make = _Maker(seed, f"hold{seed}")
    make.set.hazards = hazards(facts)
    taken = _all_models(facts)
    rng = make.rng
    for n in facts:
        rid, brand = n["id"], n.get("brand", "")
        en, ko, zh = CATEGORY.get(
            n["category"], (n["category"], n["category"], n["category"])
        )
        models = [str(m) for m in n.get("models", [])]
        name = n["names"].get("en") or next(iter(n["names"].values()))
        if models:
            m = rng.choice(models)
            make.add(
                f"【{brand}】{en.title()} / Model: {m.lower()}", rid, "bracket+lower"
            )
            make.add(f"[{ko}] {brand} {_fullwidth(m)}", rid, "fullwidth", brand=brand)
            make.add(
                f"{en} | {_spaced(m, rng, ('.', '/', ' - '))} | {rng.randint(2, 5)}PCS",
                rid,
                "pcs+separators",
            )
            make.add(
                f"{zh} {en}",
                rid,
                "model-field",
                brand=BRAND_ZH.get(brand, brand),
                identifiers=Identifiers(model=(f"Model No. {m}",)),
            )
            make.add(
                f"{brand} {en} {_near_miss(m, taken, rng)} upgraded version",
                "",
                "near-miss",
            )
            make.add(f"适用于{brand} {m} 保护套", "", "accessory-zh")
            make.add(f"{brand} {m} compatible charger", "", "accessory-compatible")
            make.add(
                f"{rng.choice(OTHER_BRANDS)} {ko} {rng.choice(['X', 'Q', 'S'])}{rng.randint(100, 999)}",
                "",
                "other-brand-ko",
            )
        else:
            make.add(f"{name} ({brand})", rid, "name-paren")
            make.add(f"{n['names'].get('ko', ko)} {brand} 국내배송", rid, "name-ko2")
            make.add(f"{zh} {brand} {name}", rid, "name-mixed")
            make.add(f"{en} - {brand}", rid, "name-dash")
            make.add(
                f"{rng.choice(OTHER_BRANDS)} {name.split()[-1]} {en}",
                "",
                "other-brand-same-words",
            )
            make.add(f"{ko} {rng.choice(OTHER_BRANDS)} 신제품", "", "other-brand-ko")
            make.add(f"{brand} store voucher", "", "same-brand-other")
            make.add(f"{zh} {rng.choice(OTHER_BRANDS)}", "", "other-brand-zh")
    return make.set


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--holdout", action="store_true")
    args = parser.parse_args()
    built = holdout(args.seed or 2) if args.holdout else development(args.seed or 1)
    positives = sum(1 for t in built.truth.values() if t)
    print(
        f"{len(built.hazards)} hazard records, {len(built.listings)} listings, {positives} re-listed"
    )
    for listing in built.listings[:24]:
        print(
            f"  {built.kind[listing.url]:<24} {built.truth[listing.url] or '(safe)':<34} {listing.title}"
        )


if __name__ == "__main__":
    main()
