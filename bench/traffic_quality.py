"""Held-out traffic benchmark (issue 19's targets): a generated "hard session" of a
Korean shop, with planted leaks and decoys, scanned by ``privwatch scan`` and scored.

    python bench/traffic_quality.py                   # seed 1, summary tables
    python bench/traffic_quality.py --seed 7 --details  # + every miss and false positive
    python bench/traffic_quality.py --seed 7 --json     # the figures as JSON
    python bench/traffic_quality.py --seed 7 --keep DIR # keep the HAR, persona and truth
    python bench/traffic_quality.py --seed 1 --seed 2 --seed 3   # + a summary line per seed
    python bench/traffic_quality.py --site-contacts     # the persona lists the shop's contacts

privwatch runs as ``python -m privwatch`` with the caller's PYTHONPATH (this
checkout's src/ when unset), so another checkout is measured with
``PYTHONPATH=/path/to/other/src python bench/traffic_quality.py``.

The generator was written from how real trackers and Korean shops send data (GA4
and Universal Analytics collect, Google Ads enhanced conversions, Meta pixel and
Conversions API, Kakao pixel and the Daum postcode search, Naver wcs, Adobe's
/b/ss/ behind a first-party ``smetrics.`` CNAME, Hotjar/Clarity/Contentsquare
session replay, Braze/Amplitude/Segment/Mixpanel batches, Sentry envelopes,
Datadog RUM, Channel.io chat, Airbridge and AppsFlyer app events, KG Inicis,
AceCounter, WiderPlanet, Mobon, Beusable; Korean forms with hp1/hp2/hp3,
email1/email2, jumin1/jumin2, EUC-KR percent-encoding, '경기' for '경기도',
romanised addresses, the customs code), NOT from privwatch's detectors: it only
uses the public interface (``privwatch scan HAR --site --persona -f json``).
``random.Random(seed)`` drives every choice, so each seed is a session nobody
tuned for.

Scoring (documented rule):
  * the unit is a flow = (entry index, data type, value). Flows privwatch reports
    for the same entry and data type through several fields or encodings are one.
  * a planted leak (entry, data type) is FOUND when privwatch reports a flow with
    that entry index and data type whose masked value is consistent with the
    persona's value (a masked value that fits a decoy of that entry and not the
    persona's is the decoy's flow).
  * every other reported flow is a FALSE POSITIVE, except a flow the planted data
    implies (a birth date in an entry where the resident number is planted: the
    number begins with it): those are counted apart as "implied", in neither.
  * a flow on an SDK's own generated device id (Braze device_id, Amplitude
    device_id, Mixpanel $device_id, the shop's log deviceId) is counted apart as
    "arguable" too: a pseudonymous identifier, not the persona's advertising id,
    but not plainly wrong either. Request and event ids (x-request-id, eid,
    requestId) are plain decoys.
  * precision = found flows / (found flows + false positives); recall = found
    planted leaks / planted leaks.
  * attribution is right for a found leak when the flow's organisation is the
    truth's (name matched on the organisation's own name or brand, e.g. "google",
    "kakao", "ab180"/"airbridge"), its party is the truth's and its country is the
    truth's where the truth knows it (the first party, a Korean shop on AWS Seoul:
    no organisation, party first, country KR). "unknown" (no organisation) is
    counted wrong and shown apart.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import uuid
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import yaml

# --------------------------------------------------------------------------- truth

# Organisations as the ground truth knows them: display name, name tokens any
# correct attribution contains (the company's name or its brand), HQ country
# (None where a registry could defensibly name the parent instead).
ORGS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "google": ("Google LLC", ("google",), "US"),
    "meta": ("Meta Platforms, Inc.", ("meta platforms", "facebook"), "US"),
    "adobe": ("Adobe Inc.", ("adobe",), "US"),
    "hotjar": ("Hotjar Ltd", ("hotjar", "contentsquare"), None),
    "microsoft": ("Microsoft Corporation", ("microsoft",), "US"),
    "contentsquare": ("Contentsquare SAS", ("contentsquare",), "FR"),
    "braze": ("Braze, Inc.", ("braze",), "US"),
    "amplitude": ("Amplitude, Inc.", ("amplitude",), "US"),
    "segment": ("Twilio Inc. (Segment)", ("twilio", "segment"), "US"),
    "mixpanel": ("Mixpanel, Inc.", ("mixpanel",), "US"),
    "sentry": (
        "Functional Software, Inc. (Sentry)",
        ("functional software", "sentry"),
        "US",
    ),
    "datadog": ("Datadog, Inc.", ("datadog",), "US"),
    "appsflyer": ("AppsFlyer Ltd.", ("appsflyer",), "IL"),
    "kakao": ("Kakao Corp.", ("kakao", "카카오", "daum", "다음"), "KR"),
    "naver": ("NAVER Corp.", ("naver", "네이버"), "KR"),
    "channel": (
        "Channel Corp. (Channel.io)",
        ("channel corp", "채널코퍼레이션", "channel.io", "channeltalk", "channel talk"),
        "KR",
    ),
    "airbridge": (
        "AB180 Inc. (Airbridge)",
        ("ab180", "airbridge", "에이비일팔공"),
        "KR",
    ),
    "widerplanet": (
        "WiderPlanet Inc.",
        ("widerplanet", "wider planet", "와이더플래닛"),
        "KR",
    ),
    # Mobon (mediacategory.com): Enliple's, as the trade knows it; not checked in a
    # primary source, so either name is accepted (both Korean)
    "enliple": ("Enliple (Mobon)", ("enliple", "엔라이플", "mobon", "모비온"), "KR"),
    # AceCounter is NHN ACE's (an NHN company: nhnace.co.kr newsroom, digitaltoday.co.kr
    # 2019-12-02), so NHN, its group, is right too
    "acecounter": (
        "NHN ACE Corp. (AceCounter)",
        ("acecounter", "에이스카운터", "nhn"),
        "KR",
    ),
    # Beusable is 4GRIT's (its git server: git.beusable.net/4grit)
    "beusable": (
        "4GRIT Inc. (Beusable)",
        ("4grit", "포그리트", "beusable", "뷰저블"),
        "KR",
    ),
    "inicis": ("KG Inicis Co., Ltd.", ("inicis", "이니시스"), "KR"),
    "criteo": ("Criteo S.A.", ("criteo",), "FR"),
    "tiktok": ("TikTok Pte. Ltd. (ByteDance)", ("tiktok", "bytedance"), None),
}

DATA_TYPES = (
    "email", "phone", "rrn", "name", "address", "birth_date", "user_id",
    "card", "customs_code", "device_id",
)  # fmt: skip


@dataclass
class Leak:
    entry: int
    data_type: str
    technique: str
    org: str | None  # key of ORGS; None = the shop itself (first party)
    party: str
    country: str | None
    host: str
    evidence: list[dict[str, Any]]  # every item must hold (see tests)


@dataclass
class Decoy:
    entry: int
    kind: str
    risk: str  # the data type it could be mistaken for
    value: str


# ------------------------------------------------------------------ persona values

SURNAMES = [("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung"),
            ("강", "Kang"), ("조", "Cho"), ("윤", "Yoon"), ("장", "Jang"), ("한", "Han")]  # fmt: skip
GIVEN = [("하늘", "haneul"), ("서연", "seoyeon"), ("민준", "minjun"), ("지우", "jiwoo"),
         ("예린", "yerin"), ("도윤", "doyun"), ("수아", "sua"), ("현우", "hyeonu"),
         ("유진", "yujin"), ("태윤", "taeyun"), ("다은", "daeun"), ("시우", "siu")]  # fmt: skip
# (시/도 full, short, rest in Korean, road, English road, district/city in English)
ADDRESSES = [
    ("서울특별시", "서울", "강남구", "테헤란로", "Teheran-ro", "Gangnam-gu, Seoul"),
    ("서울특별시", "서울", "송파구", "올림픽로", "Olympic-ro", "Songpa-gu, Seoul"),
    (
        "경기도",
        "경기",
        "성남시 분당구",
        "판교역로",
        "Pangyoyeok-ro",
        "Bundang-gu, Seongnam-si, Gyeonggi-do",
    ),
    (
        "경기도",
        "경기",
        "수원시 영통구",
        "광교중앙로",
        "Gwanggyojungang-ro",
        "Yeongtong-gu, Suwon-si, Gyeonggi-do",
    ),
    (
        "경기도",
        "경기",
        "고양시 일산동구",
        "중앙로",
        "Jungang-ro",
        "Ilsandong-gu, Goyang-si, Gyeonggi-do",
    ),
    ("부산광역시", "부산", "해운대구", "해운대로", "Haeundae-ro", "Haeundae-gu, Busan"),
    ("대전광역시", "대전", "유성구", "대학로", "Daehak-ro", "Yuseong-gu, Daejeon"),
    (
        "인천광역시",
        "인천",
        "연수구",
        "컨벤시아대로",
        "Convensia-daero",
        "Yeonsu-gu, Incheon",
    ),
]
WORDS = ["blue", "moon", "star", "river", "cloud", "pine", "maple", "coral", "amber"]
SHOPS = ["dalbitmall", "sopungmarket", "onnuristore", "hanbitshop", "saebyeokmall",
         "gureummarket", "noeulshop", "baramstore"]  # fmt: skip
PRODUCTS = ["하늘색 린넨 셔츠", "무선 블루투스 이어폰", "유기농 제주 녹차 100g",
            "캠핑용 접이식 의자", "겨울 패딩 점퍼", "아동용 우비 세트", "스테인리스 텀블러 500ml"]  # fmt: skip


def rrn_check(first12: str) -> str:
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    total = sum(int(d) * w for d, w in zip(first12, weights, strict=True))
    return str((11 - total % 11) % 10)


def luhn_complete(prefix: str) -> str:
    digits = [int(d) for d in prefix + "0"]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return prefix + str((10 - total % 10) % 10)


def brn_complete(first9: str) -> str:
    w = [1, 3, 7, 1, 3, 7, 1, 3, 5]
    total = sum(int(d) * k for d, k in zip(first9, w, strict=True))
    total += int(first9[8]) * 5 // 10
    return first9 + str((10 - total % 10) % 10)


def digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def make_persona(rng: random.Random) -> dict[str, Any]:
    sur, sur_en = rng.choice(SURNAMES)
    given, given_en = rng.choice(GIVEN)
    year = rng.randint(1975, 1999)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    sex = rng.choice("12")
    front = f"{year % 100:02d}{month:02d}{day:02d}"
    body12 = front + sex + digits(rng, 5)
    rrn = f"{front}-{body12[6:]}{rrn_check(body12)}"
    mail_domain = rng.choice(["gmail.com", "gmail.com", "naver.com", "daum.net"])
    email = f"{given_en}.{sur_en.lower()}{rng.randint(10, 99)}@{mail_domain}"
    phone = f"010-{rng.randint(2, 9)}{digits(rng, 3)}-{digits(rng, 4)}"
    sido, short, rest, road, road_en, area_en = rng.choice(ADDRESSES)
    number = str(rng.randint(11, 480))
    user_id = f"{rng.choice(WORDS)}_{rng.choice(WORDS)}{rng.randint(100, 999)}"
    card = luhn_complete(rng.choice(["540926", "457973", "949013"]) + digits(rng, 9))
    return {
        "persona": {
            "name": sur + given,
            "email": email,
            "phone": phone,
            "rrn": rrn,
            "address": f"{sido} {rest} {road} {number}",
            "birth_date": f"{year}-{month:02d}-{day:02d}",
            "user_id": user_id,
            "card": "-".join(card[i : i + 4] for i in range(0, 16, 4)),
            "customs_code": "P" + rng.choice("12") + digits(rng, 11),
            "device_ids": [
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper(),
            ],
        },  # fmt: skip
        "extra": {
            "given": given,
            "family": sur,
            "address_short": f"{short} {rest} {road} {number}",
            "address_road": f"{road} {number}",
            "address_roman": f"{number}{rng.choice([',', ''])} {road_en}, {area_en}",
            "address_detail": f"{rng.randint(101, 120)}동 {rng.randint(1, 25)}0{rng.randint(1, 4)}호",
            "zip": digits(rng, 5),
        },
    }


# ---------------------------------------------------------------------- transforms


def derive(values: dict[str, Any], fieldname: str, transforms: Iterable[str]) -> str:
    """A persona value in the form a tracker sends it (the test re-derives it
    on its own)."""
    persona, extra = values["persona"], values["extra"]
    if fieldname == "device_id":
        text = persona["device_ids"][0]
    elif fieldname == "idfv":
        text = persona["device_ids"][1]
    elif fieldname in persona:
        text = str(persona[fieldname])
    else:
        text = str(extra[fieldname])
    for step in transforms:
        text = TRANSFORMS[step.split(":")[0]](text, *step.split(":")[1:])
    return text


def _gmail(text: str) -> str:
    local, _, domain = text.lower().partition("@")
    if domain in ("gmail.com", "googlemail.com"):
        local = local.split("+")[0].replace(".", "")
    return f"{local}@{domain}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


TRANSFORMS: dict[str, Callable[..., str]] = {
    "lower": lambda t: t.strip().lower(),
    "upper": lambda t: t.upper(),
    "digits": lambda t: re.sub(r"\D", "", t),
    "e164": lambda t: "+82" + re.sub(r"\D", "", t)[1:],
    "e164-noplus": lambda t: "82" + re.sub(r"\D", "", t)[1:],
    "no-leading-0": lambda t: re.sub(r"\D", "", t)[1:],
    "gmail": _gmail,
    "sha256": lambda t: hashlib.sha256(t.encode()).hexdigest(),
    "sha256-b64url": lambda t: _b64url(hashlib.sha256(t.encode()).digest()),
    "sha256-b64": lambda t: base64.b64encode(
        hashlib.sha256(t.encode()).digest()
    ).decode(),
    "md5": lambda t: hashlib.md5(t.encode()).hexdigest(),
    "slice": lambda t, a, b: t[int(a) : int(b)],
    "local": lambda t: t.partition("@")[0],
    "domain": lambda t: t.partition("@")[2],
    "ymd": lambda t: t.replace("-", ""),
    "year": lambda t: t[:4],
    "month": lambda t: str(int(t[5:7])),
    "day": lambda t: str(int(t[8:10])),
    "capitalize": lambda t: t[:1].upper() + t[1:],
    "spaced": lambda t: t.replace("-", " "),
    "intl": lambda t: "+82 " + t[1:],
}


# ------------------------------------------------------------------- HAR building

IP_BLOCKS = {
    "aws-seoul": ["13.124", "13.125", "13.209", "3.34", "3.35", "3.36", "52.78", "52.79",
                  "54.180", "15.164", "15.165", "43.200", "43.201", "43.202"],
    "cloudfront": ["13.35", "18.65", "54.230"],
    "google": ["142.250", "172.217", "216.58", "142.251"],
    "meta": ["157.240", "31.13"],
    "adobe": ["63.140", "66.235"],
    "kakao": ["211.249", "203.133", "121.53", "211.231"],
    "naver": ["223.130", "125.209", "110.93"],
    "kr-idc": ["211.115", "119.205", "211.43", "183.111"],
    "aws-us-east-1": ["3.80", "54.152", "52.20", "3.233"],
    "aws-us-west-2": ["44.224", "52.24", "34.208"],
    "aws-eu-west-1": ["52.16", "34.240", "54.72"],
    "gcp": ["34.120", "35.186", "34.149"],
    "azure": ["20.42", "13.89", "20.189"],
}  # fmt: skip

UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/131.0.0.0 Safari/537.36")  # fmt: skip
APP_UA = "okhttp/4.12.0"


def _split_query(url: str) -> list[dict[str, str]]:
    query = url.partition("?")[2].partition("#")[0]
    out = []
    for pair in filter(None, query.split("&")):
        name, _, value = pair.partition("=")
        out.append({"name": name, "value": value})
    return out


class Session:
    """One generated session: entries, planted leaks, decoys."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.values = make_persona(self.rng)
        rng = self.rng
        self.site = f"{rng.choice(SHOPS)}{rng.choice(['', '24', 'kr', '365'])}.co.kr"
        self.www = f"www.{self.site}"
        self.api = f"api.{self.site}"
        self.entries: list[dict[str, Any]] = []
        self.leaks: list[Leak] = []
        self.decoys: list[Decoy] = []
        self.clock = 1764979200.0 + rng.randint(0, 86400 * 30)  # December 2025/26
        self.cookies: dict[str, str] = {"PHPSESSID": digits(rng, 26)}
        self.ips: dict[str, str] = {}
        self.contacts = self._contacts()
        self.page = f"https://{self.www}/"
        self.ga_cid = f"{rng.randint(10**8, 10**9)}.{int(self.clock)}"
        self.ga_tid = "G-" + "".join(
            rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(10)
        )
        self.sku, self.barcode_value, self.product, self.ordno = "", "", "", ""
        self.page_decoys: list[tuple[str, str, str]] = []  # what the page URL carries

    # ---- values
    def v(self, fieldname: str, *transforms: str) -> str:
        return derive(self.values, fieldname, transforms)

    def _contacts(self) -> dict[str, str]:
        rng = self.rng
        return {
            "cs_phone": f"{rng.choice(['1588', '1544', '1661', '1877'])}-{digits(rng, 4)}",
            "fax": f"02-{rng.randint(500, 899)}-{digits(rng, 4)}",
            "tel": f"02-{rng.randint(2000, 6999)}-{digits(rng, 4)}",
            "email": f"{rng.choice(['help', 'cs', 'support'])}@{self.site}",
            "brn": (lambda b: f"{b[:3]}-{b[3:5]}-{b[5:]}")(
                brn_complete(
                    f"{rng.randint(101, 899)}{rng.randint(81, 88)}" + digits(rng, 4)
                )
            ),
            "address": f"서울특별시 금천구 가산디지털1로 {rng.randint(100, 200)}",
        }

    def ip(self, host: str, block: str) -> str:
        if host not in self.ips:
            a = self.rng.choice(IP_BLOCKS[block])
            self.ips[host] = (
                f"{a}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
            )
        return self.ips[host]

    def order_no(self) -> str:
        """13 digits beginning with a date, passing the resident number's check."""
        d = self.rng.randint(1, 28)
        head = f"2512{d:02d}" + self.rng.choice("1234") + digits(self.rng, 5)
        return head + rrn_check(head)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def barcode(self) -> str:
        """A Korean EAN-13 (880...) that also reads as a resident number with a
        valid check digit (880912-1234567)."""
        head = (
            f"8809{self.rng.randint(1, 28):02d}"
            + self.rng.choice("1234")
            + digits(self.rng, 5)
        )
        return head + rrn_check(head)

    def multipart(self, parts: list[tuple[str, str, bytes]]) -> tuple[str, str]:
        """A multipart/form-data body kept as a recorder keeps bytes (latin-1 text)."""
        boundary = "----WebKitFormBoundary" + "".join(
            self.rng.choice(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            )
            for _ in range(16)
        )
        out = b""
        for name, kind, content in parts:
            disp = f'Content-Disposition: form-data; name="{name}"'
            if kind.startswith("image/"):
                disp += f'; filename="IMG_{digits(self.rng, 4)}.jpg"'
            head = disp + "\r\n" + (f"Content-Type: {kind}\r\n" if kind else "")
            out += f"--{boundary}\r\n{head}\r\n".encode() + content + b"\r\n"
        out += f"--{boundary}--\r\n".encode()
        return out.decode("latin-1"), f"multipart/form-data; boundary={boundary}"

    def plant(self, index: int, leaks: Iterable[tuple[Any, ...]]) -> None:
        seen = {(lk.entry, lk.data_type) for lk in self.leaks}
        host = self.entries[index]["request"]["url"].split("/")[2].split(":")[0]
        for data_type, technique, org, evidence in leaks:
            assert (index, data_type) not in seen, (index, data_type)
            seen.add((index, data_type))
            party = "first" if org is None else "third"
            country = "KR" if org is None else ORGS[org][2]
            self.leaks.append(
                Leak(index, data_type, technique, org, party, country, host, evidence)
            )

    # ---- entries
    def add(
        self,
        method: str,
        url: str,
        *,
        block: str,
        headers: list[tuple[str, str]] | None = None,
        cookies: dict[str, str] | None = None,
        body: str | None = None,
        mime: str | None = None,
        har_b64: bool = False,
        rtype: str = "fetch",
        resp: tuple[str, str] = ("application/json", '{"ok":true}'),
        status: int = 200,
        ws: list[tuple[str, int, str]] | None = None,
        app: bool = False,
        leaks: Iterable[tuple[Any, ...]] = (),
        decoys: Iterable[tuple[str, str, str]] = (),
    ) -> int:
        host = url.split("/")[2].split(":")[0]
        self.clock += self.rng.uniform(0.01, 2.5)
        hdrs: list[tuple[str, str]] = [
            (":authority", host), (":method", method),
            (":path", "/" + url.split("/", 3)[3] if url.count("/") > 2 else "/"),
            (":scheme", "https"), ("accept", "*/*"),
            ("accept-language", "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7"),
            ("user-agent", APP_UA if app else UA),
        ]  # fmt: skip
        if (
            not app
        ):  # strict-origin-when-cross-origin: the full URL to the same origin only
            same = host == self.page.split("/")[2]
            hdrs.append(("referer", self.page if same else f"https://{self.www}/"))
            if method == "POST":
                hdrs.append(("origin", f"https://{self.www}"))
        if mime:
            hdrs.append(("content-type", mime))
        hdrs += headers or []
        cookie_list = [{"name": k, "value": v} for k, v in (cookies or {}).items()]
        if cookie_list:
            hdrs.append(
                ("cookie", "; ".join(f"{c['name']}={c['value']}" for c in cookie_list))
            )
        request: dict[str, Any] = {
            "method": method,
            "url": url,
            "httpVersion": "http/2.0",
            "headers": [{"name": k, "value": v} for k, v in hdrs],
            "queryString": _split_query(url),
            "cookies": cookie_list,
            "headersSize": -1,
            "bodySize": len(body or ""),
        }
        if body is not None:
            post: dict[str, Any] = {"mimeType": mime or "text/plain", "text": body}
            if har_b64:
                post["encoding"] = "base64"
            elif mime and mime.startswith("application/x-www-form-urlencoded"):
                post["params"] = [
                    {"name": p.partition("=")[0], "value": p.partition("=")[2]}
                    for p in body.split("&")
                ]
            request["postData"] = post
        started = self.clock
        item: dict[str, Any] = {
            "_initiator": {"type": "script" if rtype != "document" else "other"},
            "_priority": "High" if rtype == "document" else "Low",
            "_resourceType": rtype,
            "cache": {},
            "connection": str(self.rng.randint(1000, 99999)),
            "pageref": "page_1",
            "request": request,
            "response": {
                "status": status,
                "statusText": "OK" if status == 200 else "",
                "httpVersion": "http/2.0",
                "headers": [{"name": "content-type", "value": resp[0]}],
                "cookies": [],
                "content": {"size": len(resp[1]), "mimeType": resp[0], "text": resp[1]},
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": len(resp[1]),
                "_transferSize": len(resp[1]) + 300,
            },
            "serverIPAddress": self.ip(host, block),
            "startedDateTime": _iso(started),
            "time": round(self.rng.uniform(8, 300), 3),
            "timings": {"blocked": 1.2, "dns": -1, "ssl": -1, "connect": -1,
                        "send": 0.2, "wait": 40.1, "receive": 1.3},
        }  # fmt: skip
        if ws is not None:
            item["response"]["status"] = 101
            item["response"]["statusText"] = "Switching Protocols"
            item["_webSocketMessages"] = [
                {"type": kind, "time": started + 0.4 * i, "opcode": op, "data": data}
                for i, (kind, op, data) in enumerate(ws)
            ]
        index = len(self.entries)
        self.entries.append(item)
        self.plant(index, leaks)
        if not app and host == self.page.split("/")[2] and self.page != url:
            decoys = [
                *decoys,
                *((k + " (in the Referer)", r, val) for k, r, val in self.page_decoys),
            ]
        for kind, risk, value in decoys:
            self.decoys.append(Decoy(index, kind, risk, value))
        return index

    def har(self) -> dict[str, Any]:
        return {
            "log": {
                "version": "1.2",
                "creator": {"name": "WebInspector", "version": "537.36"},
                "pages": [{"startedDateTime": _iso(self.clock - 3600), "id": "page_1",
                           "title": f"https://{self.www}/", "pageTimings": {}}],
                "entries": self.entries,
            }
        }  # fmt: skip


def _iso(t: float) -> str:
    import datetime as dt

    return (
        dt.datetime.fromtimestamp(t, dt.UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def ev(
    where: str, chain: list[str], fieldname: str, *transforms: str
) -> dict[str, Any]:
    """Evidence: the value ``fieldname`` transformed by ``transforms`` occurs in the
    request's ``where`` once ``chain`` has decoded it."""
    return {
        "where": where,
        "chain": chain,
        "field": fieldname,
        "derive": list(transforms),
    }


def form(pairs: list[tuple[str, str]], *, plus: bool = True) -> str:
    enc = quote_plus if plus else quote
    return "&".join(
        f"{k}={enc(v, safe='') if not _is_encoded(v) else v}" for k, v in pairs
    )


class Raw(str):
    """A form value already percent-encoded (EUC-KR), kept as it is."""


def _is_encoded(value: str) -> bool:
    return isinstance(value, Raw)


def cp949(text: str) -> Raw:
    return Raw(quote(text.encode("cp949"), safe=""))


def dumps(obj: Any, ascii_only: bool = False) -> str:
    return json.dumps(obj, ensure_ascii=ascii_only, separators=(",", ":"))


def jwt(claims: dict[str, Any], rng: random.Random) -> str:
    head = _b64url(
        dumps({"alg": "RS256", "typ": "JWT", "kid": digits(rng, 8)}).encode()
    )
    body = _b64url(dumps(claims).encode())
    sig = _b64url(bytes(rng.randrange(256) for _ in range(64)))
    return f"{head}.{body}.{sig}"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


# ----------------------------------------------------------------------- scenarios
# Each writes one step of the session: the shop's requests and the trackers' that a
# real page would fire, with the leaks it plants and the decoys it carries.

Q = ["url"]  # a query value: percent-decoded once


def qs(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs)


def qs_raw(pairs: list[tuple[str, str]]) -> str:
    """A query whose values are written as given (already encoded, or brackets)."""
    return "&".join(f"{k}={v}" for k, v in pairs)


def sc_home(s: Session) -> None:
    c, rng = s.contacts, s.rng
    footer = (
        f"<footer><p>(주){s.site.split('.')[0]} | 대표이사 홍길동 | 사업자등록번호 {c['brn']} "
        f"| 통신판매업신고 제2024-서울금천-{rng.randint(1000, 9999)}호</p><p>주소 {c['address']} "
        f"| 고객센터 {c['cs_phone']} (평일 10:00~17:00) | 대표전화 {c['tel']} | 팩스 {c['fax']} "
        f'| 이메일 <a href="mailto:{c["email"]}">{c["email"]}</a></p></footer>'
    )
    html = f"<!doctype html><html lang=ko><head><title>{s.site}</title></head><body>"
    html += "".join(f"<li>{p} <b>{rng.randint(9, 99)},900원</b></li>" for p in PRODUCTS)
    s.add("GET", s.page, block="aws-seoul", rtype="document",
          resp=("text/html; charset=utf-8", html + footer + "</body></html>"))  # fmt: skip
    for path, kind in [("css/common.css", "stylesheet"), ("js/jquery.min.js", "script"),
                       ("js/app.bundle.js", "script")]:  # fmt: skip
        s.add("GET", f"https://{s.www}/{path}?v={digits(rng, 10)}", block="aws-seoul",
              rtype=kind, resp=("text/css" if kind == "stylesheet" else "text/javascript", ""))  # fmt: skip
    for _ in range(rng.randint(3, 6)):
        s.add("GET", f"https://img.{s.site}/goods/{digits(rng, 6)}/main_{digits(rng, 3)}.jpg",
              block="cloudfront", rtype="image", resp=("image/jpeg", ""))  # fmt: skip
    for url, block in [
        ("https://www.googletagmanager.com/gtag/js?id=G-" + _code(rng, 10), "google"),
        ("https://connect.facebook.net/en_US/fbevents.js", "meta"),
        ("https://t1.daumcdn.net/kas/static/kp.js", "kakao"),
        ("https://wcs.naver.net/wcslog.js", "naver"),
    ]:
        s.add("GET", url, block=block, rtype="script", resp=("text/javascript", ""))
    s.add("GET", f"https://{s.www}/company/info.php", block="aws-seoul", rtype="document",
          resp=("text/html; charset=utf-8", f"<h1>회사소개</h1><p>문의 {c['email']} / {c['cs_phone']}</p>{footer}"))  # fmt: skip


def _code(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(n))


def ga4(s: Session, en: str, extra: list[tuple[str, str]], *, dl: str | None = None,
        leaks: Iterable[tuple[Any, ...]] = (), decoys: Iterable[tuple[str, str, str]] = (),
        post_body: str | None = None) -> int:  # fmt: skip
    rng = s.rng
    base = [
        ("v", "2"), ("tid", s.ga_tid), ("gtm", "45je5c10v9" + _code(rng, 4).lower()),
        ("_p", digits(rng, 13)), ("gcd", "13l3l3l3l1l1"), ("npa", "0"), ("dma", "0"),
        ("cid", s.ga_cid), ("ul", "ko-kr"), ("sr", "1920x1080"), ("uaa", "x86"),
        ("uab", "64"), ("uamb", "0"), ("uap", "Windows"), ("_s", str(rng.randint(2, 9))),
        ("sid", str(int(s.clock))), ("sct", "3"), ("seg", "1"),
        ("dl", quote(dl or s.page, safe="")), ("dt", quote(f"{s.site} 쇼핑몰", safe="")),
        ("en", en),
    ]  # fmt: skip
    tail = [("_et", str(rng.randint(5, 9000))), ("tfd", str(rng.randint(500, 20000)))]
    url = "https://region1.google-analytics.com/g/collect?" + qs_raw(
        base + extra + tail
    )
    if post_body is not None:
        return s.add("POST", url, block="google", mime="text/plain;charset=UTF-8", body=post_body,
                     rtype="ping", resp=("text/plain", ""), status=204, leaks=leaks, decoys=decoys)  # fmt: skip
    return s.add("GET", url, block="google", rtype="ping", resp=("text/plain", ""),
                 status=204, leaks=leaks, decoys=decoys)  # fmt: skip


def sc_browse(s: Session) -> None:
    rng = s.rng
    sku = f"010{rng.randint(2, 9)}{digits(rng, 7)}"  # a product code shaped like a mobile number
    barcode = s.barcode()
    product = rng.choice(PRODUCTS)
    s.page = f"https://{s.www}/goods/view.php?goodsNo={sku}"
    s.page_decoys = [("product code shaped like a phone", "phone", sku)]
    s.add("GET", s.page, block="aws-seoul", rtype="document",
          resp=("text/html; charset=utf-8", f"<h1>{product}</h1><p>바코드 {barcode}</p>"),
          decoys=[("product code shaped like a phone", "phone", sku)])  # fmt: skip
    item = f"id{sku}~nm{quote(product, safe='')}~pr{rng.randint(9, 99)}900~qt1~ca{quote('의류', safe='')}"
    ga4(s, "view_item", [("_ee", "1"), ("pr1", quote(item, safe="")), ("ep.barcode", barcode),
                         ("epn.value", f"{rng.randint(9, 99)}900"), ("ep.currency", "KRW")],
        decoys=[("product code shaped like a phone", "phone", sku),
                ("EAN barcode passing the resident-number check", "rrn", barcode)])  # fmt: skip
    s.add("GET", f"https://{s.api}/v1/goods/{sku}/stock?barcode={barcode}&_={int(s.clock * 1000)}",
          block="aws-seoul", headers=[("x-request-id", s.uuid())],
          resp=("application/json", dumps({"goodsNo": sku, "stock": rng.randint(0, 80)})),
          decoys=[("product code shaped like a phone", "phone", sku),
                  ("EAN barcode passing the resident-number check", "rrn", barcode),
                  ("request id UUID", "device_id", "x-request-id")])  # fmt: skip
    keyword = (
        rng.choice(PRODUCTS).split()[0]
        + " "
        + rng.choice(["추천", "할인", "후기", "세일"])
    )
    s.add("GET", f"https://{s.www}/goods/search.php?{qs([('keyword', keyword), ('page', '1')])}",
          block="aws-seoul", rtype="document", resp=("text/html; charset=utf-8", "<ul></ul>"),
          decoys=[("Korean search text", "name", keyword)])  # fmt: skip
    s.add("POST", f"https://{s.api}/v1/reviews", block="aws-seoul", mime="application/json",
          body=dumps({"goodsNo": sku, "rating": 5, "content": "배송이 빨라요. 색상도 사진이랑 똑같아요! 하늘색 추천합니다.",
                      "ts": int(s.clock * 1000)}),
          decoys=[("product code shaped like a phone", "phone", sku),
                  ("Korean review text", "name", "하늘색")])  # fmt: skip
    s.sku, s.barcode_value, s.product = sku, barcode, product


def sc_signup_checks(s: Session) -> None:
    """The sign-up page's duplicate checks (AJAX), values in the query and the path."""
    v, rng = s.v, s.rng
    s.add("GET", f"https://{s.www}/member/check_id.php?{qs([('mem_id', v('user_id')), ('_', str(int(s.clock * 1000)))])}",
          block="aws-seoul", resp=("text/plain", "OK"),
          leaks=[("user_id", "query-plain", None, [ev("query:mem_id", Q, "user_id")])])  # fmt: skip
    s.add("GET", f"https://{s.api}/v1/members/email/{quote(v('email'), safe='')}/exists", block="aws-seoul",
          resp=("application/json", '{"exists":false}'),
          leaks=[("email", "value-in-url-path", None, [ev("url", Q, "email")])])  # fmt: skip
    form_ = rng.choice(["", "digits", "spaced"])
    tr = [form_] if form_ else []
    s.add("GET", f"https://{s.api}/v1/members/phone/{quote(v('phone', *tr), safe='')}/duplicate",
          block="aws-seoul", resp=("application/json", '{"duplicate":false}'),
          leaks=[("phone", "value-in-url-path" + (f"-{form_}" if form_ else ""), None,
                  [ev("url", Q, "phone", *tr)])])  # fmt: skip


def sc_signup(s: Session) -> None:
    rng, v = s.rng, s.v
    euc = rng.random() < 0.5
    mail_select = rng.random() < 0.4
    name_val = cp949(v("name")) if euc else Raw(quote_plus(v("name")))
    addr_val = cp949(v("address")) if euc else Raw(quote_plus(v("address")))
    pairs = [
        ("mode", "join"), ("mem_id", v("user_id")), ("passwd", _code(rng, 12)),
        ("passwd2", "") , ("name", name_val), ("birth_y", v("birth_date", "year")),
        ("birth_m", v("birth_date", "month")), ("birth_d", v("birth_date", "day")),
        ("hp1", v("phone", "digits", "slice:0:3")), ("hp2", v("phone", "digits", "slice:3:7")),
        ("hp3", v("phone", "digits", "slice:7:11")), ("email1", v("email", "local")),
        ("email2", "" if mail_select else v("email", "domain")),
        ("email3", v("email", "domain") if mail_select else ""),
        ("zipcode", v("zip")), ("addr1", addr_val),
        ("addr2", cp949(v("address_detail")) if euc else Raw(quote_plus(v("address_detail")))),
        ("sms", "Y"), ("mailling", "Y"),
    ]  # fmt: skip
    body = form(pairs)
    fb = ["form:"]
    dec = "url-cp949" if euc else "url"
    s.add("POST", f"https://{s.www}/member/join_ok.php", block="aws-seoul", rtype="document",
          mime="application/x-www-form-urlencoded", body=body,
          leaks=[
              ("user_id", "korean-form", None, [ev("body", [fb[0] + "mem_id", "url"], "user_id")]),
              ("name", "euc-kr-percent" if euc else "korean-form", None,
               [ev("body", [fb[0] + "name", dec], "name")]),
              ("birth_date", "split-birth", None,
               [ev("body", [fb[0] + f"birth_{p}", "url"], "birth_date", t)
                for p, t in (("y", "year"), ("m", "month"), ("d", "day"))]),
              ("phone", "split-hp123", None,
               [ev("body", [fb[0] + f"hp{i + 1}", "url"], "phone", "digits", sl)
                for i, sl in enumerate(("slice:0:3", "slice:3:7", "slice:7:11"))]),
              ("email", "split-email12", None,
               [ev("body", [fb[0] + "email1", "url"], "email", "local"),
                ev("body", [fb[0] + ("email3" if mail_select else "email2"), "url"], "email", "domain")]),
              ("address", "euc-kr-percent" if euc else "korean-form", None,
               [ev("body", [fb[0] + "addr1", dec], "address")]),
          ])  # fmt: skip


def sc_realname(s: Session) -> None:
    v = s.v
    multipart = s.rng.random() < 0.5
    if multipart:
        body, mime = s.multipart([("name", "text/plain; charset=utf-8", v("name").encode()),
                                  ("jumin1", "", v("rrn", "digits", "slice:0:6").encode()),
                                  ("jumin2", "", v("rrn", "digits", "slice:6:13").encode())])  # fmt: skip
        body = body.encode("latin-1").decode(
            "utf-8"
        )  # text parts only: Chrome keeps UTF-8 text
        chain_of: Callable[[str], list[str]] = lambda n: ["part:" + n]  # noqa: E731
    else:
        body = form([("name", v("name")), ("jumin1", v("rrn", "digits", "slice:0:6")),
                     ("jumin2", v("rrn", "digits", "slice:6:13")), ("auth_type", "M")])  # fmt: skip
        mime = "application/x-www-form-urlencoded"
        chain_of = lambda n: ["form:" + n, "url"]  # noqa: E731
    s.add("POST", f"https://{s.www}/member/realname_check.php", block="aws-seoul", mime=mime,
          body=body,
          leaks=[("rrn", "split-jumin12" + ("-multipart" if multipart else ""), None,
                  [ev("body", chain_of("jumin1"), "rrn", "digits", "slice:0:6"),
                   ev("body", chain_of("jumin2"), "rrn", "digits", "slice:6:13")]),
                 ("name", "multipart-text" if multipart else "form-body", None,
                  [ev("body", chain_of("name"), "name")])])  # fmt: skip


def sc_login(s: Session) -> None:
    v, rng = s.v, s.rng
    s.add("POST", f"https://{s.www}/member/login_ok.php", block="aws-seoul", rtype="document",
          mime="application/x-www-form-urlencoded",
          body=form([("returnUrl", "/mypage/"), ("mem_id", v("user_id")), ("passwd", _code(rng, 10))]),
          leaks=[("user_id", "form-body", None, [ev("body", ["form:mem_id", "url"], "user_id")])])  # fmt: skip
    # OIDC callback of a Kakao login: an id_token (JWT) in the query
    token = jwt({"iss": "https://kauth.kakao.com", "aud": _code(rng, 32).lower(),
                 "sub": digits(rng, 10), "iat": int(s.clock), "exp": int(s.clock) + 21599,
                 "auth_time": int(s.clock), "nickname": v("given"), "email": v("email")}, rng)  # fmt: skip
    s.add("GET", f"https://{s.www}/oauth/kakao/callback?{qs([('code', _code(rng, 40)), ('state', s.uuid())])}&id_token={token}",
          block="aws-seoul", rtype="document", resp=("text/html", ""),
          leaks=[("email", "jwt-query", None, [ev("query:id_token", ["jwt"], "email")])])  # fmt: skip


def sc_account(s: Session) -> None:
    v, rng = s.v, s.rng
    token = jwt({"sub": s.uuid(), "email": v("email"), "name": v("name"), "roles": ["member"],
                 "iat": int(s.clock), "exp": int(s.clock) + 3600}, rng)  # fmt: skip
    me = {
        "name": v("name"),
        "mobile": v("phone"),
        "address": v("address"),
        "email": v("email"),
    }
    s.add("GET", f"https://{s.api}/v1/members/me", block="aws-seoul",
          headers=[("authorization", "Bearer " + token), ("x-request-id", s.uuid())],
          resp=("application/json", dumps(me)),
          leaks=[("email", "jwt-authorization", None, [ev("header:authorization", ["bearer", "jwt"], "email")]),
                 ("name", "jwt-authorization", None, [ev("header:authorization", ["bearer", "jwt"], "name")])],
          decoys=[("request id UUID", "device_id", "x-request-id")])  # fmt: skip
    cookie_jwt = jwt({"sub": s.uuid(), "phone_number": v("phone", "e164"),
                      "preferred_username": v("user_id"), "exp": int(s.clock) + 1800}, rng)  # fmt: skip
    s.add("GET", f"https://{s.api}/v1/cart?_={int(s.clock * 1000)}", block="aws-seoul",
          cookies={"PHPSESSID": s.cookies["PHPSESSID"], "access_token": cookie_jwt},
          resp=("application/json", dumps({"items": [{"goodsNo": s.sku, "qty": 1}]})),
          leaks=[("phone", "jwt-cookie", None, [ev("cookie:access_token", ["jwt"], "phone", "e164")]),
                 ("user_id", "jwt-cookie", None, [ev("cookie:access_token", ["jwt"], "user_id")])])  # fmt: skip
    # decoys only: the persona's own data coming back (responses are not sent data)
    quiet = jwt(
        {
            "sub": s.uuid(),
            "scope": "address:read",
            "iat": int(s.clock),
            "exp": int(s.clock) + 600,
        },
        rng,
    )
    s.add("GET", f"https://{s.api}/v1/members/me/addresses", block="aws-seoul",
          headers=[("authorization", "Bearer " + quiet)],
          resp=("application/json", dumps({"addresses": [{"base": v("address"), "tel": v("phone")}]})),
          decoys=[("persona data in a response only", "address", v("address")),
                  ("persona data in a response only", "phone", v("phone"))])  # fmt: skip


def sc_order(s: Session) -> None:
    v, rng, c = s.v, s.rng, s.contacts
    ordno = s.order_no()
    s.ordno = ordno
    # legacy checkout, EUC-KR form; the 시/도 written short ('경기' for '경기도') or in full
    short = rng.random() < 0.6
    addr_field = "address_short" if short else "address"
    ts = str(int(s.clock * 1000))
    body = form([
        ("ordno", ordno), ("goodsno", s.sku), ("ea", "1"), ("settleprice", f"{rng.randint(9, 99)}900"),
        ("rname", cp949(v("name"))), ("rhp", v("phone")), ("rzipcode", v("zip")),
        ("raddr1", cp949(v(addr_field))), ("raddr2", cp949(v("address_detail"))),
        ("memo", cp949("부재시 경비실에 맡겨주세요")), ("shop_tel", c["cs_phone"]),
        ("settlekind", "c"), ("ts", ts),
    ])  # fmt: skip
    s.add("POST", f"https://{s.www}/order/order_ok.php", block="aws-seoul", rtype="document",
          mime="application/x-www-form-urlencoded", body=body,
          leaks=[("name", "euc-kr-percent", None, [ev("body", ["form:rname", "url-cp949"], "name")]),
                 ("phone", "form-body", None, [ev("body", ["form:rhp", "url"], "phone")]),
                 ("address", "address-short+euc-kr" if short else "euc-kr-percent", None,
                  [ev("body", ["form:raddr1", "url-cp949"], addr_field)])],
          decoys=[("order number passing the resident-number check", "rrn", ordno),
                  ("product code shaped like a phone", "phone", s.sku),
                  ("the shop's customer-centre phone", "phone", c["cs_phone"]),
                  ("timestamp", "phone", ts)])  # fmt: skip
    # modern order API (JSON): split mobile, the shop's own contacts beside the buyer's
    order = {
        "orderId": ordno, "requestId": s.uuid(),
        "orderer": {"name": v("name"), "email": v("email")},
        "receiver": {"name": v("name"), "mobile1": v("phone", "digits", "slice:0:3"),
                     "mobile2": v("phone", "digits", "slice:3:7"),
                     "mobile3": v("phone", "digits", "slice:7:11"),
                     "address": {"zipcode": v("zip"), "base": v("address_short"),
                                 "detail": v("address_detail")}},
        "items": [{"sku": f"{s.sku[:3]}-{s.sku[3:7]}-{s.sku[7:]}", "barcode": s.barcode_value,
                   "price": rng.randint(9, 99) * 1000 + 900, "qty": 1}],
        "seller": {"tel": c["tel"], "fax": c["fax"], "email": c["email"], "bizNo": c["brn"]},
        "createdAt": int(s.clock * 1000),
    }  # fmt: skip
    escaped = rng.random() < 0.5  # a server-side JSON writer escapes Hangul (\uXXXX)
    s.add("POST", f"https://{s.api}/v2/orders", block="aws-seoul", mime="application/json",
          body=dumps(order, ascii_only=escaped), headers=[("x-request-id", s.uuid())],
          leaks=[("name", "json-unicode-escapes" if escaped else "json-body", None,
                  [ev("body", ["json:orderer.name"], "name")]),
                 ("email", "json-body", None, [ev("body", ["json:orderer.email"], "email")]),
                 ("phone", "split-mobile-json", None,
                  [ev("body", [f"json:receiver.mobile{i + 1}"], "phone", "digits", sl)
                   for i, sl in enumerate(("slice:0:3", "slice:3:7", "slice:7:11"))]),
                 ("address", "address-short" + ("+json-unicode-escapes" if escaped else ""), None,
                  [ev("body", ["json:receiver.address.base"], "address_short")])],
          decoys=[("order number passing the resident-number check", "rrn", ordno),
                  ("SKU shaped like a phone", "phone", order["items"][0]["sku"]),
                  ("EAN barcode passing the resident-number check", "rrn", s.barcode_value),
                  ("the shop's phone", "phone", c["tel"]), ("the shop's fax", "phone", c["fax"]),
                  ("the shop's e-mail", "email", c["email"]),
                  ("the shop's business registration number", "brn", c["brn"]),
                  ("request id UUID", "device_id", order["requestId"])])  # fmt: skip
    # card keyed in on the shop's payment API; a Luhn-valid transaction id beside it
    tid = luhn_complete("9" + digits(rng, 14))
    card_plain = rng.random() < 0.5
    s.add("POST", f"https://{s.api}/v2/payments/card", block="aws-seoul", mime="application/json",
          body=dumps({"orderId": ordno, "cardNo": v("card") if card_plain else v("card", "digits"),
                      "expiry": f"{rng.randint(1, 12):02d}/{rng.randint(27, 31)}", "installment": 0,
                      "tid": tid, "amount": rng.randint(9, 99) * 1000 + 900}),
          leaks=[("card", "json-body", None,
                  [ev("body", ["json:cardNo"], "card", *([] if card_plain else ["digits"]))])],
          decoys=[("Luhn-valid transaction id", "card", tid),
                  ("order number passing the resident-number check", "rrn", ordno)])  # fmt: skip
    # KG Inicis standard payment window: the buyer's name, phone and e-mail
    s.add("POST", "https://stdpay.inicis.com/payMain/pay", block="kr-idc", rtype="document",
          mime="application/x-www-form-urlencoded",
          body=form([("version", "1.0"), ("mid", "INIpay" + _code(rng, 4)), ("oid", ordno),
                     ("price", f"{rng.randint(9, 99)}900"), ("timestamp", ts),
                     ("signature", hashlib.sha256(_code(rng, 20).encode()).hexdigest()),
                     ("goodname", s.product), ("buyername", v("name")), ("buyertel", v("phone")),
                     ("buyeremail", v("email")), ("gopaymethod", "Card"), ("currency", "WON"),
                     ("returnUrl", f"https://{s.www}/order/inicis_return.php"), ("charset", "UTF-8")]),
          leaks=[("name", "payment-gateway-form", "inicis", [ev("body", ["form:buyername", "url"], "name")]),
                 ("phone", "payment-gateway-form", "inicis", [ev("body", ["form:buyertel", "url"], "phone")]),
                 ("email", "payment-gateway-form", "inicis", [ev("body", ["form:buyeremail", "url"], "email")])],
          decoys=[("order number passing the resident-number check", "rrn", ordno),
                  ("timestamp", "phone", ts)])  # fmt: skip
    s.add("GET", f"https://{s.www}/order/pay_result.php?{qs([('tid', tid), ('ordno', ordno), ('amt', '39900'), ('resultCode', '0000')])}",
          block="aws-seoul", rtype="document", resp=("text/html", "<p>결제완료</p>"),
          decoys=[("Luhn-valid transaction id", "card", tid),
                  ("order number passing the resident-number check", "rrn", ordno)])  # fmt: skip


def sc_overseas(s: Session) -> None:
    v, rng = s.v, s.rng
    coupon = "P" + digits(rng, 12)
    s.add("POST", f"https://{s.api}/v1/overseas/customs-code", block="aws-seoul",
          mime="application/json",
          body=dumps({"pccc": v("customs_code"), "couponNo": coupon, "agree": True}),
          leaks=[("customs_code", "json-body", None, [ev("body", ["json:pccc"], "customs_code")])],
          decoys=[("coupon number shaped like a customs code", "customs_code", coupon)])  # fmt: skip
    s.add("POST", f"https://{s.api}/v1/global/shipping-quote", block="aws-seoul",
          mime="application/json",
          body=dumps({"country": "KR", "recipient": {"line1": v("address_roman"), "postal": v("zip")},
                      "weightKg": round(rng.uniform(0.2, 3), 2)}),
          leaks=[("address", "address-romanised", None, [ev("body", ["json:recipient.line1"], "address_roman")])])  # fmt: skip
    # the Daum (Kakao) postcode search the address form opens: the typed road and number
    s.add("GET", "https://postcode.map.daum.net/search?" + qs([
        ("region_name", ""), ("cq", v("address_road")), ("cpage", "1"), ("origin", f"https://{s.www}"),
        ("isp", "N"), ("isgr", "N"), ("isgj", "N"), ("ongr", ""), ("ongj", ""),
        ("regionid", ""), ("regionname", ""), ("roadcode", ""), ("roadname", ""),
        ("banner", "on"), ("ubl", "on"), ("indaum", "off"), ("vt", "popup"), ("am", "on"),
        ("ani", "off"), ("mode", "transmit"), ("sd", "on"), ("hmb", "off"), ("heb", "off"),
        ("asea", "off"), ("smh", "off"), ("zn", "Y"), ("sm", "on"), ("CWinWidth", "500"),
        ("sptype", ""), ("sporgq", ""), ("fullpath", "/guide"), ("a51", "off"),
    ]), block="kakao", rtype="document", resp=("text/html", ""),
        leaks=[("address", "address-road-search", "kakao", [ev("query:cq", Q, "address_road")])])  # fmt: skip


def sc_complete(s: Session) -> None:
    """The order-complete page: its URL carries the e-mail (a common leak) and every
    tracker on it fires."""
    v, rng = s.v, s.rng
    ordno = s.ordno
    page = f"https://{s.www}/order/complete.php?ordno={ordno}&oemail={quote(v('email'), safe='')}"
    s.add("GET", page, block="aws-seoul", rtype="document",
          resp=("text/html; charset=utf-8", f"<p>{v('name')}님 주문이 완료되었습니다.</p>"),
          leaks=[("email", "pii-in-page-url", None, [ev("query:oemail", Q, "email")])],
          decoys=[("order number passing the resident-number check", "rrn", ordno)])  # fmt: skip
    s.page = page
    s.page_decoys = [("order number passing the resident-number check", "rrn", ordno)]
    s.add("GET", f"https://{s.www}/goods/recommend_after_order.php?n=4", block="aws-seoul",
          resp=("text/html", "<ul></ul>"),
          leaks=[("email", "referer-header", None, [ev("header:referer", ["qparam:oemail", "url"], "email")])])  # fmt: skip
    steps: list[Callable[[], None]] = []
    dl_chain = ["url", "url"]  # the page URL, percent-encoded inside a query value

    def ga4_purchase() -> None:
        gmail = v("email").endswith("@gmail.com")
        em = v("email", "lower", *(["gmail"] if gmail else []), "sha256")
        ga4(s, "purchase", [("_ee", "1"), ("ep.transaction_id", ordno), ("epn.value", "39900"),
                            ("ep.currency", "KRW"), ("uid", v("user_id")),
                            ("em", quote("tv.1~em." + em, safe=""))],
            leaks=[("email", "ga4-user-data-sha256-hex", "google",
                    [ev("query:em", Q, "email", "lower", *(["gmail"] if gmail else []), "sha256")]),
                   ("user_id", "ga4-uid", "google", [ev("query:uid", Q, "user_id")])],
            decoys=[("order number passing the resident-number check", "rrn", ordno)])  # fmt: skip

    def ga4_pageview() -> None:
        ga4(s, "page_view", [("_ee", "1")], dl=page,
            leaks=[("email", "pii-in-page-url", "google", [ev("query:dl", dl_chain, "email")])],
            decoys=[("order number passing the resident-number check", "rrn", ordno)])  # fmt: skip

    def gads() -> None:
        gmail = v("email").endswith("@gmail.com")
        ph_form = rng.choice(["e164", "e164", "no-leading-0"])
        ecd = "~".join([
            "tv.1",
            "em." + v("email", "lower", *(["gmail"] if gmail else []), "sha256-b64url"),
            "ph." + v("phone", ph_form, "sha256-b64url"),
            "fn." + v("given", "sha256-b64url"),
            "ln." + v("family", "sha256-b64url"),
        ])  # fmt: skip
        conv = str(rng.randint(10**9, 10**10))
        url = f"https://www.google.com/pagead/1p-conversion/{conv}/?" + qs([
            ("random", digits(rng, 10)), ("cv", "11"), ("fst", str(int(s.clock * 1000))),
            ("bg", "ffffff"), ("guid", "ON"), ("async", "1"), ("gtm", "45be5c10v9"),
            ("u_w", "1920"), ("u_h", "1080"), ("url", f"https://{s.www}/"), ("label", _code(rng, 20)),
            ("value", "39900"), ("currency_code", "KRW"), ("oid", ordno), ("em", ecd),
        ])  # fmt: skip
        s.add("GET", url, block="google", rtype="image", resp=("image/gif", ""),
              leaks=[("email", "google-ec-gmail-sha256-b64url" if gmail else "google-ec-sha256-b64url", "google",
                      [ev("query:em", Q, "email", "lower", *(["gmail"] if gmail else []), "sha256-b64url")]),
                     ("phone", f"google-ec-{ph_form}-sha256-b64url", "google",
                      [ev("query:em", Q, "phone", ph_form, "sha256-b64url")]),
                     ("name", "google-ec-first-last-hashed", "google",
                      [ev("query:em", Q, "given", "sha256-b64url"), ev("query:em", Q, "family", "sha256-b64url")])],
              decoys=[("order number passing the resident-number check", "rrn", ordno)])  # fmt: skip

    def meta_pixel() -> None:
        pixel = str(rng.randint(10**14, 10**15))
        eid = s.uuid()
        pairs = [
            ("id", pixel), ("ev", "Purchase"), ("dl", quote(f"https://{s.www}/", safe="")),
            ("rl", ""), ("if", "false"), ("ts", str(int(s.clock * 1000))),
            ("cd[value]", "39900"), ("cd[currency]", "KRW"), ("cd[order_id]", ordno),
            ("cd[content_ids]", quote(dumps([s.sku]), safe="")),
            ("sw", "1920"), ("sh", "1080"), ("v", "2.9.176"), ("r", "stable"), ("ec", "4"),
            ("o", "4126"), ("fbp", f"fb.2.{int(s.clock * 1000)}.{digits(rng, 9)}"),
            ("ud[em]", v("email", "lower", "sha256")), ("ud[ph]", v("phone", "e164-noplus", "sha256")),
            ("ud[fn]", v("given", "sha256")), ("ud[ln]", v("family", "sha256")),
            ("ud[db]", v("birth_date", "ymd", "sha256")),
            ("ud[external_id]", v("user_id", "sha256")),
            ("eid", eid), ("it", str(int(s.clock * 1000))), ("coo", "false"), ("rqm", "GET"),
        ]  # fmt: skip
        s.add("GET", "https://www.facebook.com/tr/?" + qs_raw(pairs), block="meta", rtype="image",
              resp=("image/gif", ""),
              leaks=[("email", "meta-pixel-sha256", "meta", [ev("query:ud[em]", Q, "email", "lower", "sha256")]),
                     ("phone", "meta-pixel-sha256", "meta", [ev("query:ud[ph]", Q, "phone", "e164-noplus", "sha256")]),
                     ("name", "meta-pixel-first-last-hashed", "meta",
                      [ev("query:ud[fn]", Q, "given", "sha256"), ev("query:ud[ln]", Q, "family", "sha256")]),
                     ("birth_date", "meta-pixel-sha256", "meta", [ev("query:ud[db]", Q, "birth_date", "ymd", "sha256")]),
                     ("user_id", "meta-pixel-sha256", "meta", [ev("query:ud[external_id]", Q, "user_id", "sha256")])],
              decoys=[("order number passing the resident-number check", "rrn", ordno),
                      ("event id UUID", "device_id", eid),
                      ("product code shaped like a phone", "phone", s.sku)])  # fmt: skip

    def kakao_pixel() -> None:
        products = b64(dumps({"total_quantity": "1", "total_price": "39900", "currency": "KRW",
                              "products": [{"id": s.sku, "name": s.product, "quantity": "1"}]}).encode())  # fmt: skip
        s.add("GET", "https://bc.ad.daum.net/bc?" + qs([
            ("t", str(int(s.clock * 1000))), ("tid", str(rng.randint(10**18, 10**19))),
            ("ev", "purchase"), ("u", page), ("r", f"https://{s.www}/order/order.php"),
            ("p", products), ("cb", digits(rng, 8)),
        ]), block="kakao", rtype="image", resp=("image/gif", ""),
            leaks=[("email", "pii-in-page-url", "kakao", [ev("query:u", dl_chain, "email")])],
            decoys=[("order number passing the resident-number check", "rrn", ordno),
                    ("base64 product list with a phone-shaped id", "phone", s.sku)])  # fmt: skip

    def naver_wcs() -> None:
        s.add("GET", "https://wcs.naver.com/b?" + qs([
            ("u", page), ("e", f"https://{s.www}/order/order.php"), ("bt", "-1"),
            ("wa", "s_" + _code(rng, 12).lower()), ("nt", str(int(s.clock * 1000))),
            ("os", "Win32"), ("ln", "ko-KR"), ("sr", "1920x1080"), ("bw", "1903"), ("bh", "947"),
            ("c", "24"), ("j", "N"), ("jv", "1.8"), ("k", "1"), ("ct", "ethernet"),
            ("cnv", f"1_39900_{ordno}"),
        ]), block="naver", rtype="image", resp=("image/gif", ""),
            leaks=[("email", "pii-in-page-url", "naver", [ev("query:u", dl_chain, "email")])],
            decoys=[("order number passing the resident-number check", "rrn", ordno)])  # fmt: skip

    def adobe_cloaked() -> None:
        rsid = s.site.split(".")[0] + "prod"
        mid = digits(rng, 38)
        pairs = [
            ("AQB", "1"), ("ndh", "1"), ("pf", "1"), ("t", quote(f"6/11/2025 10:{rng.randint(10, 59)}:0 6 -540", safe="")),
            ("mid", mid), ("aamlh", "11"), ("ce", "UTF-8"), ("pageName", quote("order:complete", safe="")),
            ("g", quote(f"https://{s.www}/order/complete.php", safe="")), ("cc", "KRW"), ("events", "purchase"),
            ("purchaseID", ordno), ("v1", quote(v("email", "lower"), safe="")), ("c5", quote(v("phone"), safe="")),
            ("s", "1920x1080"), ("c", "24"), ("j", "1.6"), ("v", "N"), ("k", "Y"), ("AQE", "1"),
        ]  # fmt: skip
        s.add("GET", f"https://smetrics.{s.site}/b/ss/{rsid}/1/JS-2.22.4/s{digits(rng, 14)}?" + qs_raw(pairs),
              block="adobe", rtype="image", resp=("image/gif", ""),
              cookies={"s_ecid": f"MCMID%7C{mid}", "s_cc": "true", "mem_id": v("user_id")},
              leaks=[("email", "adobe-cloaked-first-party", "adobe", [ev("query:v1", Q, "email", "lower")]),
                     ("phone", "adobe-cloaked-first-party", "adobe", [ev("query:c5", Q, "phone")]),
                     ("user_id", "adobe-cloaked-cookie", "adobe", [ev("cookie:mem_id", [], "user_id")])],
              decoys=[("order number passing the resident-number check", "rrn", ordno)])  # fmt: skip
        body = qs([("AQB", "1"), ("ndh", "1"), ("pe", "lnk_o"), ("pev2", "checkout:buyer"),
                   ("v20", v("name")), ("mid", mid), ("AQE", "1")])  # fmt: skip
        s.add("POST", f"https://smetrics.{s.site}/b/ss/{rsid}/1/JS-2.22.4/s{digits(rng, 14)}",
              block="adobe", mime="text/plain;charset=UTF-8", body=body, rtype="ping",
              resp=("image/gif", ""),
              leaks=[("name", "adobe-cloaked-link-post", "adobe", [ev("body", ["form:v20", "url"], "name")])])  # fmt: skip

    def mobon() -> None:
        s.add("GET", "https://tk.mediacategory.com/servlet/conv?" + qs([
            ("userid", _code(rng, 8).lower()), ("ordcode", ordno), ("price", "39900"),
            ("pcode", s.sku), ("qty", "1"), ("url", page), ("ref", f"https://{s.www}/"),
        ]), block="kr-idc", rtype="script", resp=("text/javascript", ""),
            leaks=[("email", "pii-in-page-url", "enliple", [ev("query:url", dl_chain, "email")])],
            decoys=[("order number passing the resident-number check", "rrn", ordno),
                    ("product code shaped like a phone", "phone", s.sku)])  # fmt: skip

    def widerplanet() -> None:
        items = dumps([{"i": s.sku, "t": s.product, "p": "39900", "q": "1"}])
        s.add("GET", "https://astg.widerplanet.com/delivery/wpc.php?" + qs([
            ("v", "1"), ("ver", "4.0"), ("r", "1"), ("md", "bs"), ("ga", s.ga_cid),
            ("eid", digits(rng, 8)), ("ti", str(rng.randint(10000, 99999))), ("ty", "PurchaseComplete"),
            ("device", "web"), ("hcuid", v("user_id", "md5")), ("items", items),
        ]), block="kr-idc", rtype="script", resp=("text/javascript", ""),
            leaks=[("user_id", "md5-hashed-id", "widerplanet", [ev("query:hcuid", Q, "user_id", "md5")])],
            decoys=[("product code shaped like a phone", "phone", s.sku)])  # fmt: skip

    def acecounter() -> None:
        host = f"gtc{rng.randint(1, 18)}.acecounter.com"
        s.add("GET", f"https://{host}:8080/?" + qs([
            ("cookie_id", digits(rng, 16)), ("dt", str(int(s.clock))), ("url", f"https://{s.www}/order/complete.php"),
            ("ref", f"https://{s.www}/order/order.php"), ("mid", v("user_id")), ("amt", "39900"),
            ("ono", ordno), ("rd", digits(rng, 13)),
        ]), block="kr-idc", rtype="image", resp=("image/gif", ""),
            leaks=[("user_id", "query-plain", "acecounter", [ev("query:mid", Q, "user_id")])],
            decoys=[("order number passing the resident-number check", "rrn", ordno)])  # fmt: skip

    def criteo() -> None:
        hashed = v("email", "lower", "md5")
        p2 = "e=ce&m=" + quote(f"[{hashed}]", safe="") + "&h=md5"
        s.add("GET", "https://sslwidget.criteo.com/event?" + qs([
            ("a", str(rng.randint(10**4, 10**6))), ("v", "5.29.0"), ("otl", "1"),
            ("p0", "e=exd&site_type=d"), ("p1", f"e=trans&p=%5Bi%3D{s.sku}%26pr%3D39900%26q%3D1%5D&id={ordno}"),
            ("p2", p2), ("adce", "1"), ("bundle", _code(rng, 40)), ("tld", s.site), ("dy", "1"),
        ]), block="aws-eu-west-1", rtype="script", resp=("text/javascript", ""),
            leaks=[("email", "criteo-md5", "criteo", [ev("query:p2", ["url"], "email", "lower", "md5")])],
            decoys=[("order number passing the resident-number check", "rrn", ordno),
                    ("product code shaped like a phone", "phone", s.sku)])  # fmt: skip

    def tiktok() -> None:
        body = {"event": "CompletePayment", "message_id": "messageId-" + digits(rng, 13),
                "event_id": s.uuid(), "is_onsite": False, "timestamp": _iso(s.clock),
                "context": {"pixel": {"code": _code(rng, 20)}, "page": {"url": f"https://{s.www}/order/complete.php"},
                            "user": {"sha256_email": v("email", "lower", "sha256"),
                                     "sha256_phone_number": v("phone", "e164", "sha256")},
                            "library": {"name": "pixel.js", "version": "2.2.1"}},
                "properties": {"currency": "KRW", "value": 39900, "order_id": ordno}}  # fmt: skip
        s.add("POST", "https://analytics.tiktok.com/api/v2/pixel", block="aws-us-east-1",
              mime="application/json", body=dumps(body),
              leaks=[("email", "tiktok-pixel-sha256", "tiktok",
                      [ev("body", ["json:context.user.sha256_email"], "email", "lower", "sha256")]),
                     ("phone", "tiktok-pixel-sha256", "tiktok",
                      [ev("body", ["json:context.user.sha256_phone_number"], "phone", "e164", "sha256")])],
              decoys=[("order number passing the resident-number check", "rrn", ordno),
                      ("event id UUID", "device_id", body["event_id"])])  # fmt: skip

    steps = [ga4_purchase, ga4_pageview, gads, meta_pixel, kakao_pixel, naver_wcs,
             adobe_cloaked, mobon, widerplanet, acecounter, criteo, tiktok]  # fmt: skip
    rng.shuffle(steps)
    for step in steps:
        step()
    s.page, s.page_decoys = f"https://{s.www}/", []


def sc_replay(s: Session) -> None:
    v, rng = s.v, s.rng
    site_id = str(rng.randint(10**6, 10**7))
    # Hotjar: identify over the WebSocket, a keystroke batch zlib-compressed in a binary frame
    identify = dumps({"type": "identify_user", "site_id": int(site_id), "user_id": v("user_id"),
                      "attributes": {"email": v("email"), "signed_up": "2025-03-02T10:00:00Z", "tier": "gold"}})  # fmt: skip
    inputs = dumps({"type": "recording", "page_view_id": s.uuid(), "events": [
        {"t": 1200 + i * 90, "k": "input", "sel": "#rhp", "v": v("phone")[: i + 1]} for i in range(4)
    ] + [{"t": 2100, "k": "change", "sel": "#rhp", "v": v("phone")}]})  # fmt: skip
    ws_index = s.add("GET", f"wss://ws.hotjar.com/api/v2/client/ws?v=6&site_id={site_id}",
                     block="aws-eu-west-1", rtype="websocket", resp=("", ""),
                     ws=[("receive", 1, dumps({"type": "connected", "ws_id": s.uuid()})),
                         ("send", 1, identify),
                         ("send", 2, b64(zlib.compress(inputs.encode()))),
                         ("receive", 1, dumps({"type": "ack", "user": {"email": v("email")}}))])  # fmt: skip
    s.plant(ws_index, [("user_id", "websocket-text", "hotjar", [ev("ws:1", ["json:user_id"], "user_id")]),
                       ("email", "websocket-text", "hotjar", [ev("ws:1", ["json:attributes.email"], "email")]),
                       ("phone", "websocket-binary-zlib", "hotjar", [ev("ws:2", ["b64", "zlib"], "phone")])])  # fmt: skip
    # Clarity: a gzip body without any Content-Encoding, the DOM text of the checkout page
    dom = dumps({"e": [[rng.randint(100, 900), 5, [f"<span>{v('name')}</span>",
                                                     f"<td>{v('address')} {v('address_detail')}</td>"]]],
                 "a": [[1, "#order-form"]]})  # fmt: skip
    s.add("POST", f"https://{rng.choice('abcdijklmnoz')}.clarity.ms/collect", block="azure",
          mime="application/x-clarity-gzip", body=b64(gzip.compress(dom.encode(), mtime=0)), har_b64=True,
          resp=("text/plain", ""), status=204,
          leaks=[("name", "gzip-body-no-header", "microsoft", [ev("body", ["har-b64", "gzip"], "name")]),
                 ("address", "gzip-body-no-header", "microsoft", [ev("body", ["har-b64", "gzip"], "address")])])  # fmt: skip
    # Contentsquare: a zlib (or raw deflate) recording payload
    rec = dumps(
        {"pid": site_id, "evts": [{"t": 3, "tgt": "input#email", "val": v("email")}]}
    ).encode()
    raw = rng.random() < 0.4
    s.add("POST", "https://k-aeu1.contentsquare.net/v2/recording?" + qs([
        ("rt", "7"), ("pid", site_id), ("uu", s.uuid()), ("sn", "1"), ("pn", "3"), ("v", "15.103.1")]),
        block="aws-eu-west-1", mime="text/plain", body=b64(raw_deflate(rec) if raw else zlib.compress(rec)),
        har_b64=True, resp=("text/plain", ""),
        leaks=[("email", "raw-deflate-body" if raw else "zlib-body", "contentsquare",
                [ev("body", ["har-b64", "deflate" if raw else "zlib"], "email")])])  # fmt: skip


def sc_cdp(s: Session) -> None:
    """Customer-data and product-analytics SDKs: batches of identify calls."""
    v, rng = s.v, s.rng
    device = s.uuid()
    braze = {
        "api_key": s.uuid(), "time": int(s.clock), "sdk_version": "5.6.1", "device_id": device,
        "attributes": [{"user_id": v("user_id"), "email": v("email"), "phone": v("phone", "e164"),
                        "first_name": v("given"), "last_name": v("family"), "dob": v("birth_date")}],
        "events": [{"name": "p", "data": {"pid": s.sku, "c": "KRW", "p": 39900}, "time": s.clock,
                    "session_id": s.uuid(), "user_id": v("user_id")}],
        "respond_with": {"config": {"config_time": 0}},
    }  # fmt: skip
    s.add("POST", f"https://sdk.iad-0{rng.randint(1, 7)}.braze.com/api/v3/data/", block="aws-us-east-1",
          mime="application/json", body=dumps(braze), headers=[("x-braze-api-key", braze["api_key"])],
          leaks=[("user_id", "sdk-batch-json", "braze", [ev("body", ["json:attributes.0.user_id"], "user_id")]),
                 ("email", "sdk-batch-json", "braze", [ev("body", ["json:attributes.0.email"], "email")]),
                 ("phone", "sdk-batch-json", "braze", [ev("body", ["json:attributes.0.phone"], "phone", "e164")]),
                 ("name", "split-name-plain", "braze",
                  [ev("body", ["json:attributes.0.first_name"], "given"),
                   ev("body", ["json:attributes.0.last_name"], "family")]),
                 ("birth_date", "sdk-batch-json", "braze", [ev("body", ["json:attributes.0.dob"], "birth_date")])],
          decoys=[("SDK device id UUID", "device_id", device),
                  ("product code shaped like a phone", "phone", s.sku)])  # fmt: skip
    event = {"user_id": v("user_id"), "device_id": s.uuid(), "event_type": "Order Completed",
             "time": int(s.clock * 1000), "insert_id": s.uuid(),
             "user_properties": {"$set": {"email": v("email"), "membership": "GOLD"}},
             "event_properties": {"orderId": s.ordno, "revenue": 39900}}  # fmt: skip
    old = rng.random() < 0.5
    if old:  # amplitude-js v8: a form with the events JSON in e=
        e = dumps([event])
        body = form([("checksum", hashlib.md5(e.encode()).hexdigest()), ("client", _code(rng, 32).lower()),
                     ("e", e), ("upload_time", str(int(s.clock * 1000))), ("v", "2")])  # fmt: skip
        url, mime, chain = (
            "https://api.amplitude.com/",
            "application/x-www-form-urlencoded",
            ["form:e", "url"],
        )
    else:
        body = dumps(
            {"api_key": _code(rng, 32).lower(), "events": [event], "options": {}}
        )
        url, mime, chain = (
            "https://api2.amplitude.com/2/httpapi",
            "application/json",
            ["json:events.0"],
        )
    s.add("POST", url, block="aws-us-west-2", mime=mime, body=body,
          leaks=[("user_id", "sdk-batch-form" if old else "sdk-batch-json", "amplitude", [ev("body", chain, "user_id")]),
                 ("email", "sdk-batch-form" if old else "sdk-batch-json", "amplitude", [ev("body", chain, "email")])],
          decoys=[("order number passing the resident-number check", "rrn", s.ordno),
                  ("SDK device id UUID", "device_id", event["device_id"])])  # fmt: skip
    write_key = _code(rng, 32)
    seg = {"batch": [{"type": "identify", "userId": v("user_id"), "anonymousId": s.uuid(),
                      "traits": {"email": v("email"), "phone": v("phone"), "name": v("name"),
                                 "birthday": v("birth_date")},
                      "messageId": "ajs-next-" + hashlib.md5(_code(rng, 8).encode()).hexdigest(),
                      "timestamp": _iso(s.clock)}], "sentAt": _iso(s.clock), "writeKey": write_key}  # fmt: skip
    s.add("POST", "https://api.segment.io/v1/batch", block="aws-us-west-2", mime="application/json",
          body=dumps(seg), headers=[("authorization", "Basic " + b64((write_key + ":").encode()))],
          leaks=[(t, "sdk-batch-json", "segment", [ev("body", ["json:batch.0"], f)])
                 for t, f in (("user_id", "user_id"), ("email", "email"), ("phone", "phone"),
                              ("name", "name"), ("birth_date", "birth_date"))])  # fmt: skip
    mp = {"$set": {"$email": v("email"), "$phone": v("phone", "digits"), "$name": v("name")},
          "$token": _code(rng, 32).lower(), "$distinct_id": v("user_id"), "$device_id": s.uuid()}  # fmt: skip
    s.add("POST", f"https://api-js.mixpanel.com/engage/?verbose=1&ip=1&_={int(s.clock * 1000)}",
          block="gcp", mime="application/x-www-form-urlencoded",
          body=form([("data", b64(dumps(mp).encode()))]),
          leaks=[(t, "base64-in-form", "mixpanel", [ev("body", ["form:data", "url", "b64"], f, *tr)])
                 for t, f, tr in (("email", "email", ()), ("phone", "phone", ("digits",)),
                                  ("name", "name", ()), ("user_id", "user_id", ()))],
          decoys=[("SDK device id UUID", "device_id", mp["$device_id"])])  # fmt: skip


def sc_monitoring(s: Session) -> None:
    v, rng = s.v, s.rng
    event_id = uuid.UUID(int=rng.getrandbits(128)).hex
    envelope = "\n".join([
        dumps({"event_id": event_id, "sent_at": _iso(s.clock), "sdk": {"name": "sentry.javascript.react", "version": "8.42.0"}}),
        dumps({"type": "event"}),
        dumps({"event_id": event_id, "level": "error", "platform": "javascript",
               "exception": {"values": [{"type": "TypeError", "value": "Cannot read properties of undefined (reading 'zip')"}]},
               "user": {"id": v("user_id"), "email": v("email"), "ip_address": "{{auto}}"},
               "request": {"url": f"https://{s.www}/mypage/delivery.php?hp={v('phone', 'digits')}"}}),
    ])  # fmt: skip
    org_n, proj = rng.randint(10**5, 10**7), rng.randint(10**5, 10**7)
    s.add("POST", f"https://o{org_n}.ingest.us.sentry.io/api/{proj}/envelope/?" + qs([
        ("sentry_key", uuid.UUID(int=rng.getrandbits(128)).hex), ("sentry_version", "7"),
        ("sentry_client", "sentry.javascript.react/8.42.0")]),
        block="gcp", mime="text/plain;charset=UTF-8", body=envelope,
        leaks=[("user_id", "sentry-envelope", "sentry", [ev("body", [], "user_id")]),
               ("email", "sentry-envelope", "sentry", [ev("body", [], "email")]),
               ("phone", "pii-in-url-in-json", "sentry", [ev("body", [], "phone", "digits")])])  # fmt: skip
    rum_lines = "\n".join(dumps({
        "type": "view", "date": int(s.clock * 1000) + i, "application": {"id": s.uuid()},
        "session": {"id": s.uuid(), "type": "user"}, "view": {"id": s.uuid(), "url": f"https://{s.www}/mypage/"},
        "usr": {"id": v("user_id"), "name": v("name"), "email": v("email")},
        "_dd": {"format_version": 2}}) for i in range(2))  # fmt: skip
    deflated = rng.random() < 0.5
    s.add("POST", "https://browser-intake-datadoghq.com/api/v2/rum?" + qs([
        ("ddsource", "browser"), ("ddtags", "sdk_version:5.35.0,api:fetch,env:prod,service:shop-web"),
        ("dd-api-key", "pub" + uuid.UUID(int=rng.getrandbits(128)).hex), ("dd-evp-origin-version", "5.35.0"),
        ("dd-evp-origin", "browser"), ("dd-request-id", s.uuid())]),
        block="aws-us-east-1", mime="text/plain;charset=UTF-8",
        headers=[("content-encoding", "deflate")] if deflated else [],
        body=b64(zlib.compress(rum_lines.encode())) if deflated else rum_lines, har_b64=deflated,
        leaks=[(t, "deflate-content-encoding" if deflated else "ndjson-body", "datadog",
                [ev("body", ["har-b64", "zlib"] if deflated else [], f)])
               for t, f in (("user_id", "user_id"), ("name", "name"), ("email", "email"))])  # fmt: skip


def sc_chat(s: Session) -> None:
    v, rng = s.v, s.rng
    plugin = s.uuid()
    member_hash = hashlib.sha256(_code(rng, 16).encode()).hexdigest()
    phone_form = rng.choice(["e164", "intl", "as-typed"])
    phone_tr = [] if phone_form == "as-typed" else [phone_form]
    boot = {"pluginKey": plugin, "memberId": v("user_id"), "memberHash": member_hash,
            "profile": {"name": v("name"), "mobileNumber": v("phone", *phone_tr), "email": v("email"),
                        "grade": "GOLD", "lastOrderId": s.ordno},
            "language": "ko", "unsubscribeEmail": False, "url": f"https://{s.www}/mypage/"}  # fmt: skip
    s.add("POST", f"https://api.channel.io/front/v6/elastic/plugins/{plugin}/boot", block="aws-seoul",
          mime="application/json", body=dumps(boot),
          leaks=[("user_id", "chat-boot-json", "channel", [ev("body", ["json:memberId"], "user_id")]),
                 ("name", "chat-boot-json", "channel", [ev("body", ["json:profile.name"], "name")]),
                 ("phone", f"chat-boot-json-phone-{phone_form}", "channel",
                  [ev("body", ["json:profile.mobileNumber"], "phone", *phone_tr)]),
                 ("email", "chat-boot-json", "channel", [ev("body", ["json:profile.email"], "email")])],
          decoys=[("plugin key UUID", "device_id", plugin),
                  ("order number passing the resident-number check", "rrn", s.ordno)])  # fmt: skip
    text = (f"안녕하세요. 배송지 변경하고 싶어요. 연락처 {v('phone')}이고 "
            f"개인통관고유부호는 {v('customs_code')}입니다.")  # fmt: skip
    auth = jwt({"key": plugin, "type": "veil", "iat": int(s.clock)}, rng)
    frames = [("receive", 1, '0{"sid":"' + _code(rng, 20) + '","upgrades":[],"pingInterval":25000}'),
              ("send", 1, "40"), ("send", 1, "42" + dumps(["authentication", {"jwt": auth}])),
              ("receive", 1, '42["authenticated",true]'),
              ("send", 1, "42" + dumps(["message.create", {"chatId": str(rng.randint(10**7, 10**8)),
                                                           "plainText": text, "requestId": s.uuid()}])),
              ("receive", 1, "42" + dumps(["message.create", {"plainText": f"{v('name')} 고객님, 연락처 {v('phone')} 확인했습니다."}]))]  # fmt: skip
    s.add("GET", "wss://ws.channel.io/socket.io/?EIO=3&transport=websocket", block="aws-seoul",
          rtype="websocket", resp=("", ""), ws=frames,
          leaks=[("phone", "websocket-socketio", "channel", [ev("ws:4", ["sio", "json:1.plainText"], "phone")]),
                 ("customs_code", "websocket-socketio", "channel", [ev("ws:4", ["sio", "json:1.plainText"], "customs_code")])],
          decoys=[("the persona's name in a received frame", "name", v("name"))])  # fmt: skip


def sc_app(s: Session) -> None:
    """App traffic recorded through a proxy: advertising ids, attribution SDKs."""
    v, rng = s.v, s.rng
    request_id = s.uuid()
    s.add("GET", f"https://{s.api}/app/v1/home?os=android&ver=5.12.0", block="aws-seoul", app=True,
          headers=[("x-adid", v("device_id")), ("x-request-id", request_id), ("x-app-version", "5.12.0")],
          leaks=[("device_id", "header-advertising-id", None, [ev("header:x-adid", [], "device_id")])],
          decoys=[("request id UUID", "device_id", request_id)])  # fmt: skip
    ab = {"eventUUID": s.uuid(), "eventTimestamp": int(s.clock * 1000),
          "device": {"deviceUUID": s.uuid(), "gaid": v("device_id"), "limitAdTracking": False,
                     "osName": "Android", "osVersion": "14", "deviceModel": "SM-S921N", "locale": "ko-KR"},
          "user": {"externalUserID": v("user_id"), "externalUserEmail": v("email"),
                   "externalUserPhone": v("phone", "digits")},
          "eventData": {"goal": {"category": "airbridge.ecommerce.order.completed",
                                 "semanticAttributes": {"transactionID": s.ordno, "totalValue": 39900}}}}  # fmt: skip
    app = s.site.split(".")[0]
    s.add("POST", f"https://core.airbridge.io/api/v4/apps/{app}/events/mobile-app/9161", block="aws-seoul",
          app=True, mime="application/json", body=dumps(ab),
          leaks=[("device_id", "app-attribution-json", "airbridge", [ev("body", ["json:device.gaid"], "device_id")]),
                 ("user_id", "app-attribution-json", "airbridge", [ev("body", ["json:user.externalUserID"], "user_id")]),
                 ("email", "app-attribution-json", "airbridge", [ev("body", ["json:user.externalUserEmail"], "email")]),
                 ("phone", "app-attribution-json", "airbridge", [ev("body", ["json:user.externalUserPhone"], "phone", "digits")])],
          decoys=[("SDK device UUID", "device_id", ab["device"]["deviceUUID"]),
                  ("order number passing the resident-number check", "rrn", s.ordno)])  # fmt: skip
    af = {"advertiserId": v("device_id"), "af_timestamp": str(int(s.clock * 1000)),
          "uid": f"{int(s.clock * 1000)}-{digits(rng, 19)}", "customer_user_id": v("user_id"),
          "eventName": "af_purchase", "app_id": f"com.{app}.app",
          "eventValue": dumps({"af_revenue": 39900, "af_currency": "KRW", "af_order_id": s.ordno})}  # fmt: skip
    s.add("POST", f"https://launches.appsflyersdk.com/api/v6.14/androidevent?app_id=com.{app}.app&buildnumber=6.14.0",
          block="aws-us-east-1", app=True, mime="application/json", body=dumps(af),
          leaks=[("device_id", "app-attribution-json", "appsflyer", [ev("body", ["json:advertiserId"], "device_id")]),
                 ("user_id", "app-attribution-json", "appsflyer", [ev("body", ["json:customer_user_id"], "user_id")])],
          decoys=[("order number passing the resident-number check", "rrn", s.ordno)])  # fmt: skip


def sc_misc(s: Session) -> None:
    """Beusable, the Q&A board (multipart with a photo first), the shop's event log
    (base64url in JSON), legacy Universal Analytics, the Meta Conversions API."""
    v, rng, c = s.v, s.rng, s.contacts
    payload = _b64url(
        dumps({"ev": "input", "sel": "#email", "val": v("email")}).encode()
    )
    s.add("POST", "https://rum.beusable.net/rum/collect", block="kr-idc", mime="application/json",
          body=dumps({"p": "b" + digits(rng, 6) + "e" + digits(rng, 6) + "u" + digits(rng, 3),
                      "t": int(s.clock * 1000), "d": payload}),
          leaks=[("email", "base64url-in-json", "beusable", [ev("body", ["json:d", "b64url"], "email")])])  # fmt: skip
    jpeg = (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + bytes(rng.randrange(256) for _ in range(700))
    )
    euc = rng.random() < 0.5
    typed = rng.random() < 0.5  # the e-mail as the user typed it, capital first
    mail_tr = ["capitalize"] if typed else []
    writer = v("name").encode("cp949" if euc else "utf-8")
    body, mime = s.multipart([
        ("upfile", "image/jpeg", jpeg), ("writer", "text/plain; charset=euc-kr" if euc else "", writer),
        ("email", "", v("email", *mail_tr).encode()), ("phone", "", v("phone").encode()),
        ("subject", "", "배송 문의".encode()), ("cs_tel", "", c["cs_phone"].encode()),
    ])  # fmt: skip
    as_b64 = rng.random() < 0.5
    if as_b64:
        body = b64(body.encode("latin-1"))
    head = ["har-b64"] if as_b64 else ["latin1"]
    s.add("POST", f"https://{s.www}/board/qna_write_ok.php", block="aws-seoul", rtype="document",
          mime=mime, body=body, har_b64=as_b64,
          leaks=[("name", "multipart-binary-first" + ("+euc-kr" if euc else ""), None,
                  [ev("body", [*head, "part:writer"] + (["cp949"] if euc else []), "name")]),
                 ("email", "multipart-binary-first" + ("+typed-case" if typed else ""), None,
                  [ev("body", [*head, "part:email"], "email", *mail_tr)]),
                 ("phone", "multipart-binary-first", None, [ev("body", [*head, "part:phone"], "phone")])],
          decoys=[("the shop's customer-centre phone", "phone", c["cs_phone"])])  # fmt: skip
    log = {"events": [{"type": "form_submit", "ts": int(s.clock * 1000),
                       "payload": _b64url(dumps({"field": "mobile", "value": v("phone", "digits")}).encode())}],
           "deviceId": s.uuid(), "session": b64(bytes(rng.randrange(256) for _ in range(48)))}  # fmt: skip
    s.add("POST", f"https://{s.api}/v1/log/events", block="aws-seoul", mime="application/json", body=dumps(log),
          leaks=[("phone", "base64url-in-json", None, [ev("body", ["json:events.0.payload", "b64url"], "phone", "digits")])],
          decoys=[("device UUID of the shop's log", "device_id", log["deviceId"]),
                  ("random base64 blob", "name", log["session"])])  # fmt: skip
    ua_body = form([("v", "1"), ("_v", "j101"), ("a", digits(rng, 9)), ("t", "event"), ("ni", "0"),
                    ("_s", "2"), ("dl", f"https://{s.www}/member/login.php"), ("ul", "ko-kr"), ("de", "UTF-8"),
                    ("dt", "로그인"), ("ec", "member"), ("ea", "login"), ("el", v("email")),
                    ("cid", s.ga_cid), ("uid", v("user_id")), ("tid", f"UA-{rng.randint(10**7, 10**8)}-1"),
                    ("cd1", v("phone", "digits")), ("z", digits(rng, 10))])  # fmt: skip
    s.add("POST", "https://www.google-analytics.com/j/collect", block="google", mime="text/plain;charset=UTF-8",
          body=ua_body, rtype="ping",
          leaks=[("email", "ua-collect-plain", "google", [ev("body", ["form:el", "url"], "email")]),
                 ("user_id", "ua-collect-plain", "google", [ev("body", ["form:uid", "url"], "user_id")]),
                 ("phone", "ua-collect-plain", "google", [ev("body", ["form:cd1", "url"], "phone", "digits")])])  # fmt: skip
    capi = {"data": [{"event_name": "Purchase", "event_time": int(s.clock), "action_source": "website",
                      "event_id": s.uuid(), "event_source_url": f"https://{s.www}/order/complete.php",
                      "user_data": {"em": [v("email", "lower", "sha256")], "ph": [v("phone", "e164-noplus", "sha256")],
                                    "external_id": [v("user_id", "sha256")], "client_user_agent": UA,
                                    "fbp": f"fb.2.{int(s.clock * 1000)}.{digits(rng, 9)}"},
                      "custom_data": {"currency": "KRW", "value": 39900, "order_id": s.ordno}}],
            "access_token": "EAA" + _code(rng, 60)}  # fmt: skip
    s.add("POST", f"https://graph.facebook.com/v19.0/{rng.randint(10**14, 10**15)}/events", block="meta",
          mime="application/json", body=dumps(capi), app=True,
          leaks=[("email", "meta-capi-sha256", "meta", [ev("body", ["json:data.0.user_data.em.0"], "email", "lower", "sha256")]),
                 ("phone", "meta-capi-sha256", "meta", [ev("body", ["json:data.0.user_data.ph.0"], "phone", "e164-noplus", "sha256")]),
                 ("user_id", "meta-capi-sha256", "meta", [ev("body", ["json:data.0.user_data.external_id.0"], "user_id", "sha256")])],
          decoys=[("order number passing the resident-number check", "rrn", s.ordno)])  # fmt: skip


def sc_decoys(s: Session) -> None:
    """Requests that carry nothing of the persona's and must report nothing."""
    rng, c = s.rng, s.contacts
    others = [f"{w}{rng.randint(1, 99)}@{d}" for w, d in
              zip(rng.sample(WORDS, 3), ["naver.com", "gmail.com", "daum.net"], strict=True)]  # fmt: skip
    s.add("POST", f"https://{s.api}/v1/gift/send", block="aws-seoul", mime="application/json",
          body=dumps({"recipients": [{"emailHash": hashlib.sha256(o.encode()).hexdigest()} for o in others],
                      "message": "생일 축하해! 맛있는 거 사 먹어", "goodsNo": s.sku}),
          decoys=[("hashes of other people's e-mails", "email", ""),
                  ("product code shaped like a phone", "phone", s.sku)])  # fmt: skip
    # the shop's offline store: its address for pick-up, its coordinates to the map API
    lat, lng = f"37.4{digits(rng, 5)}", f"126.8{digits(rng, 5)}"
    s.add("POST", f"https://{s.api}/v1/pickup/stores", block="aws-seoul", mime="application/json",
          body=dumps({"storeId": rng.randint(100, 999), "address": c["address"], "tel": c["tel"],
                      "open": "10:00", "close": "20:00"}),
          decoys=[("the shop's own store address", "address", c["address"]),
                  ("the shop's phone", "phone", c["tel"])])  # fmt: skip
    s.add("GET", f"https://dapi.kakao.com/v2/local/geo/coord2address.json?x={lng}&y={lat}&input_coord=WGS84",
          block="kakao", headers=[("authorization", "KakaoAK " + _code(rng, 32).lower())],
          decoys=[("the store's coordinates (not the user's location)", "location", lat),
                  ("the store's coordinates (not the user's location)", "location", lng)])  # fmt: skip
    blob = b64(bytes(rng.randrange(256) for _ in range(120)))
    s.add("GET", f"https://{s.www}/api/recommend?ctx={_b64url(bytes(rng.randrange(256) for _ in range(60)))}&n=8",
          block="aws-seoul", cookies={"bm_sv": blob, "_ga": f"GA1.3.{s.ga_cid}", "PHPSESSID": s.cookies["PHPSESSID"]},
          decoys=[("random base64 blobs", "name", blob)])  # fmt: skip
    ga4(s, "click", [("ep.link_text", quote("고객센터 전화하기", safe="")), ("ep.tel", c["cs_phone"]),
                     ("ep.mail", quote(c["email"], safe=""))],
        decoys=[("the shop's customer-centre phone", "phone", c["cs_phone"]),
                ("the shop's e-mail", "email", c["email"])])  # fmt: skip
    s.add("GET", f"https://{s.api}/v1/store/info?{qs([('bizNo', c['brn']), ('tel', c['tel'])])}", block="aws-seoul",
          resp=("application/json", dumps({"name": s.site, "address": c["address"]})),
          decoys=[("the shop's business registration number", "brn", c["brn"]),
                  ("the shop's phone", "phone", c["tel"])])  # fmt: skip
    s.add("POST", f"https://{s.www}/cs/callback_request.php", block="aws-seoul", mime="application/x-www-form-urlencoded",
          body=form([("center_tel", c["cs_phone"]), ("fax", c["fax"]), ("reply_to", c["email"]),
                     ("topic", cp949("교환/반품 문의")), ("courier_tel", "1588-1255")]),
          decoys=[("the shop's customer-centre phone", "phone", c["cs_phone"]),
                  ("the shop's fax", "phone", c["fax"]), ("the shop's e-mail", "email", c["email"]),
                  ("the courier's call centre", "phone", "1588-1255")])  # fmt: skip
    txn = luhn_complete("4" + digits(rng, 14))
    orders = [s.order_no(), s.order_no()]
    s.add("POST", f"https://{s.api}/v1/points/history", block="aws-seoul", mime="application/json",
          body=dumps({"from": "2025-11-01", "to": "2025-12-06", "txnIds": [txn], "orderNos": orders,
                      "amounts": [39900, 12000], "ts": int(s.clock * 1000)}),
          decoys=[("Luhn-valid transaction id", "card", txn),
                  *(("order number passing the resident-number check", "rrn", o) for o in orders)])  # fmt: skip
    coupon = "P" + digits(rng, 12)
    s.add("GET", f"https://{s.api}/v1/coupons/{coupon}?{qs([('couponNo', coupon)])}", block="aws-seoul",
          decoys=[("coupon number shaped like a customs code", "customs_code", coupon)])  # fmt: skip


SCENARIOS = [sc_home, sc_browse, sc_signup, sc_realname, sc_login, sc_account, sc_order,
             sc_overseas, sc_complete, sc_replay, sc_cdp, sc_monitoring, sc_chat, sc_app,
             sc_misc, sc_decoys]  # fmt: skip


def v_quote(text: str) -> str:
    return quote(text, safe="")


def sc_pageviews(s: Session) -> None:
    """Ordinary page views on the my-page, some carrying the user id to GA4."""
    rng = s.rng
    for i in range(rng.randint(2, 7)):
        s.page = f"https://{s.www}/mypage/{rng.choice(['order_list', 'coupon', 'wish', 'point', 'review'])}.php"
        s.page_decoys = []
        if i == 0:  # the login form's "save my id" (아이디 저장) cookie
            s.add("GET", s.page, block="aws-seoul", rtype="document", resp=("text/html", "<div></div>"),
                  cookies={"PHPSESSID": s.cookies["PHPSESSID"], "save_id": v_quote(s.v("user_id"))},
                  leaks=[("user_id", "first-party-cookie", None, [ev("cookie:save_id", Q, "user_id")])])  # fmt: skip
        else:
            s.add(
                "GET",
                s.page,
                block="aws-seoul",
                rtype="document",
                resp=("text/html", "<div></div>"),
            )
        s.add("GET", f"https://img.{s.site}/banner/{digits(rng, 8)}.png", block="cloudfront",
              rtype="image", resp=("image/png", ""))  # fmt: skip
        if rng.random() < 0.7:
            ga4(s, "page_view", [("uid", s.v("user_id"))],
                leaks=[("user_id", "ga4-uid", "google", [ev("query:uid", Q, "user_id")])])  # fmt: skip
        else:
            ga4(s, "scroll", [("epn.percent_scrolled", "90")])
    s.page, s.page_decoys = f"https://{s.www}/", []


def generate(seed: int) -> Session:
    s = Session(seed)
    ordered = [sc_home, sc_browse, sc_signup_checks, sc_signup, sc_realname, sc_login, sc_account, sc_order,
               sc_overseas, sc_complete]  # fmt: skip
    rest = [
        sc_replay,
        sc_cdp,
        sc_monitoring,
        sc_chat,
        sc_app,
        sc_misc,
        sc_decoys,
        sc_pageviews,
    ]
    s.rng.shuffle(rest)
    for scenario in ordered + rest:
        scenario(s)
    assert 100 <= len(s.leaks) <= 150, len(s.leaks)
    return s


def write_session(
    s: Session, folder: Path, *, site_contacts: bool = False
) -> tuple[Path, Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    har = folder / f"heldout-{s.seed}.har"
    persona = folder / f"heldout-{s.seed}.persona.yaml"
    truth = folder / f"heldout-{s.seed}.truth.json"
    har.write_text(json.dumps(s.har(), ensure_ascii=False, indent=1), "utf-8")
    data = dict(s.values["persona"])
    if site_contacts:  # the persona key of issue 19's false-positive controls
        keys = ("cs_phone", "tel", "fax", "email", "brn", "address")
        data["site_contacts"] = [s.contacts[k] for k in keys]
    persona.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8"
    )
    truth.write_text(json.dumps(truth_of(s), ensure_ascii=False, indent=1), "utf-8")
    return har, persona, truth


def truth_of(s: Session) -> dict[str, Any]:
    return {
        "seed": s.seed, "site": s.site, "values": s.values, "contacts": s.contacts,
        "leaks": [asdict(lk) for lk in s.leaks], "decoys": [asdict(d) for d in s.decoys],
    }  # fmt: skip


# ------------------------------------------------------------------------- scoring

ROOT = Path(__file__).resolve().parent.parent


def run_scan(har: Path, persona: Path, site: str) -> dict[str, Any]:
    env = dict(os.environ)
    env.setdefault("PYTHONPATH", str(ROOT / "src"))
    cmd = [sys.executable, "-m", "privwatch", "scan", str(har), "--site", site,
           "--persona", str(persona), "-f", "json"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(
            f"privwatch scan failed ({done.returncode}): {done.stderr.strip()[-800:]}"
        )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z가-힣.]+", " ", text.lower()).strip()


def fits(masked: str | None, value: str) -> bool:
    """Whether a masked value shown by privwatch can be ``value``: its visible runs
    (separators aside) occur in order in the value (or its digits, national form)."""
    if not masked:
        return True
    runs = [r for r in re.split(r"\*+", re.sub(r"[\s\-.+()]", "", masked.lower())) if r]
    plain = re.sub(r"[\s\-.+()]", "", value.lower())
    digit = re.sub(r"\D", "", value)
    candidates = {plain, digit}
    if digit.startswith("82"):
        candidates.add("0" + digit[2:])
    for cand in candidates:
        at = 0
        for run in runs:
            found = cand.find(run, at)
            if found < 0:
                break
            at = found + len(run)
        else:
            return True
    return False


def persona_values(values: dict[str, Any], data_type: str) -> list[str]:
    p = values["persona"]
    if data_type == "device_id":
        return list(p["device_ids"])
    return [str(p[data_type])] if data_type in p else []


@dataclass
class Score:
    seed: int
    site: str
    entries: int
    planted: int
    found: int
    tp_flows: int
    fp_flows: int
    implied: int
    attribution_right: int
    by_technique: dict[str, dict[str, int]] = field(default_factory=dict)
    by_type: dict[str, dict[str, int]] = field(default_factory=dict)
    by_org: dict[str, dict[str, int]] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    attribution_errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        total = self.tp_flows + self.fp_flows
        return self.tp_flows / total if total else 1.0

    @property
    def attribution(self) -> float:
        return self.attribution_right / self.found if self.found else 1.0


def attribution_check(leak: dict[str, Any], flow: dict[str, Any], site: str) -> str:
    """'' when right, else what is wrong."""
    problems = []
    org = flow.get("organization")
    if leak["org"] is None:
        if org and _norm(site.split(".")[0]) not in _norm(org):
            problems.append(f"organisation {org!r} for the shop")
    elif not org:
        problems.append("unknown organisation")
    elif not any(_norm(a) in _norm(org) for a in ORGS[leak["org"]][1]):
        problems.append(f"organisation {org!r} (truth {ORGS[leak['org']][0]})")
    if flow.get("party") != leak["party"]:
        problems.append(f"party {flow.get('party')} (truth {leak['party']})")
    if leak["country"] and flow.get("country") != leak["country"]:
        problems.append(f"country {flow.get('country')} (truth {leak['country']})")
    return "; ".join(problems)


ARGUABLE = {"SDK device id UUID", "SDK device UUID", "device UUID of the shop's log"}


def score(truth: dict[str, Any], scan: dict[str, Any]) -> Score:
    site, values = truth["site"], truth["values"]
    leaks = {(lk["entry"], lk["data_type"]): lk for lk in truth["leaks"]}
    decoys = defaultdict(list)
    for d in truth["decoys"]:
        decoys[(d["entry"], d["risk"])].append(d)
    rrn_entries = {e for (e, t) in leaks if t == "rrn"}
    matched: dict[tuple[int, str], dict[str, Any]] = {}
    fp_units: dict[tuple[int, str, str], dict[str, Any]] = {}
    implied: set[tuple[int, str]] = set()
    for flow in scan["flows"]:
        key = (flow["entry_index"], flow["data_type"])
        masked = flow.get("masked") or ""
        own = persona_values(values, flow["data_type"])
        fits_own = any(fits(masked, val) for val in own) if own else False
        decoy = next(
            (d for d in decoys.get(key, []) if d["value"] and fits(masked, d["value"])),
            None,
        )
        if key in leaks and (fits_own or decoy is None):
            matched.setdefault(key, flow)
        elif (
            flow["data_type"] == "birth_date"
            and key[0] in rrn_entries
            and key not in leaks
            or decoy is not None
            and decoy["kind"] in ARGUABLE
        ):
            implied.add(key)
        else:
            reason = (
                ("decoy: " + decoy["kind"])
                if decoy
                else (
                    "the persona's value where none is planted"
                    if fits_own
                    else "no planted leak"
                )
            )
            fp_units.setdefault((*key, masked), {
                "entry": key[0], "data_type": key[1], "host": flow["host"], "masked": masked,
                "via": flow.get("via"), "source": flow.get("source"), "reason": reason})  # fmt: skip
    out = Score(truth["seed"], site, scan["har"]["entries"], len(leaks), len(matched),
                len(matched), len(fp_units), len(implied), 0)  # fmt: skip
    for key, lk in leaks.items():
        row_t = out.by_technique.setdefault(lk["technique"], Counter())
        row_d = out.by_type.setdefault(lk["data_type"], Counter())
        row_o = out.by_org.setdefault(lk["org"] or "(first party)", Counter())
        for row in (row_t, row_d, row_o):
            row["planted"] += 1
        flow = matched.get(key)
        if flow is None:
            out.misses.append({"entry": lk["entry"], "data_type": lk["data_type"], "host": lk["host"],
                               "technique": lk["technique"],
                               "where": ", ".join(f"{e['where']} {'+'.join(e['chain'])}".strip()
                                                  for e in lk["evidence"])})  # fmt: skip
            continue
        for row in (row_t, row_d, row_o):
            row["found"] += 1
        problem = attribution_check(lk, flow, site)
        if problem:
            out.attribution_errors.append({"entry": lk["entry"], "data_type": lk["data_type"],
                                           "host": lk["host"], "problem": problem})  # fmt: skip
        else:
            out.attribution_right += 1
            for row in (row_t, row_d, row_o):
                row["attributed"] += 1
    for fp in fp_units.values():
        out.by_type.setdefault(fp["data_type"], Counter())["false_pos"] += 1
    out.false_positives = sorted(
        fp_units.values(), key=lambda f: (f["entry"], f["data_type"])
    )
    return out


# ---------------------------------------------------------------------------- report


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "    -"


def table(title: str, rows: dict[str, Any], *, fps: bool = False) -> list[str]:
    lines = [
        f"\n{title:<34} planted found recall attributed" + ("  false+" if fps else "")
    ]
    for name, r in sorted(rows.items(), key=lambda kv: (-kv[1]["planted"], kv[0])):
        line = (f"  {name:<32} {r['planted']:>7} {r['found']:>5} {_pct(r['found'], r['planted'])}"
                f" {_pct(r['attributed'], r['found']):>10}")  # fmt: skip
        if fps:
            line += f" {r['false_pos']:>7}"
        lines.append(line)
    return lines


def render(sc: Score, details: bool) -> str:
    lines = [
        f"held-out session seed {sc.seed}: site {sc.site}, {sc.entries} requests, "
        f"{sc.planted} planted leaks",
        f"  recall       {100 * sc.recall:5.1f}%  ({sc.found}/{sc.planted})          target >= 97%",
        f"  precision    {100 * sc.precision:5.1f}%  ({sc.tp_flows} right flows, {sc.fp_flows} false)"
        f"   target >= 98%",
        f"  attribution  {100 * sc.attribution:5.1f}%  ({sc.attribution_right}/{sc.found} found flows)"
        f"   target >= 98%",
        f"  implied or arguable flows (a birth date inside a planted resident number, an SDK's"
        f" own device id), in neither: {sc.implied}",
    ]
    lines += table("by technique", sc.by_technique)
    lines += table("by data type", sc.by_type, fps=True)
    lines += table("by organisation (truth)", sc.by_org)
    causes = Counter(f["reason"] for f in sc.false_positives)
    lines.append("\nfalse positives by cause")
    lines += [f"  {n:>3}  {cause}" for cause, n in causes.most_common()]
    problems = Counter(
        re.sub(r"'[^']*'", "'…'", e["problem"]) for e in sc.attribution_errors
    )
    lines.append("\nattribution errors by kind")
    lines += [f"  {n:>3}  {p}" for p, n in problems.most_common()]
    if details:
        lines.append("\nmisses")
        lines += [f"  #{m['entry']:<4} {m['data_type']:<12} {m['host']:<40} {m['technique']:<30} {m['where']}"
                  for m in sc.misses]  # fmt: skip
        lines.append("\nfalse positives")
        lines += [f"  #{f['entry']:<4} {f['data_type']:<12} {f['host']:<40} {f['masked']:<22} {f['reason']}  [{f['via']}]"
                  for f in sc.false_positives]  # fmt: skip
        lines.append("\nattribution errors")
        lines += [f"  #{e['entry']:<4} {e['data_type']:<12} {e['host']:<40} {e['problem']}"
                  for e in sc.attribution_errors]  # fmt: skip
    return "\n".join(lines)


def as_json(sc: Score) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in vars(sc).items():
        if name.startswith("by_"):
            value = {k: dict(v) for k, v in value.items()}
        out[name] = value
    out.update(
        recall=round(sc.recall, 4),
        precision=round(sc.precision, 4),
        attribution=round(sc.attribution, 4),
    )
    return out


def summary(results: list[Score]) -> str:
    lines = ["seed  planted  recall  precision  attribution   (targets 97 / 98 / 98)"]
    for r in results:
        lines.append(
            f"{r.seed:>4} {r.planted:>8} {100 * r.recall:6.1f}% {100 * r.precision:9.1f}%"
            f" {100 * r.attribution:11.1f}%"
        )
    planted = sum(r.planted for r in results)
    found = sum(r.found for r in results)
    tp = sum(r.tp_flows for r in results)
    fp = sum(r.fp_flows for r in results)
    right = sum(r.attribution_right for r in results)
    lines.append(
        f" all {planted:>8} {100 * found / planted:6.1f}% {100 * tp / max(tp + fp, 1):9.1f}%"
        f" {100 * right / max(found, 1):11.1f}%"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, action="append",
                        help="session seed (repeat for several; default 1)")  # fmt: skip
    parser.add_argument(
        "--details", action="store_true", help="list misses and false positives"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--keep", type=Path, help="write the HAR, persona and truth here"
    )
    parser.add_argument("--site-contacts", action="store_true",
                        help="list the shop's own contacts in the persona (site_contacts); by "
                        "default privwatch must tell them from the shop's pages")  # fmt: skip
    args = parser.parse_args(argv)
    results = []
    for seed in args.seed or [1]:
        session = generate(seed)
        with tempfile.TemporaryDirectory() as tmp:
            folder = args.keep or Path(tmp)
            har, persona, truth_path = write_session(
                session, folder, site_contacts=args.site_contacts
            )
            scan = run_scan(har, persona, session.site)
            sc = score(json.loads(truth_path.read_text("utf-8")), scan)
        results.append(sc)
        if not args.json:
            print(render(sc, args.details), end="\n\n")
    if args.json:
        out = [as_json(r) for r in results]
        print(json.dumps(out if len(out) > 1 else out[0], ensure_ascii=False, indent=1))
    elif len(results) > 1:
        print(summary(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
