"""Build HAR files for tests: a persona's values planted in every encoding and
location, decoys that must not match, bodies compressed and base64-encoded.
The persona and its values are invented."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import random
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

import brotli

PERSONA = {
    "name": "김하늘",
    "email": "Ha.Neul@Example.org",
    "phone": "010-2345-6789",
    "device_ids": ["38400000-8cf0-11bd-b23e-10b96e4ef00d"],
}
EMAIL = "ha.neul@example.org"


def entry(
    url: str,
    *,
    method: str = "GET",
    headers: list[tuple[str, str]] | None = None,
    cookies: list[tuple[str, str]] | None = None,
    body: str | None = None,
    mime: str = "application/json",
    ip: str | None = "47.246.1.1",
    encoding: str | None = None,
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "headers": [{"name": k, "value": v} for k, v in headers or []],
        "cookies": [{"name": k, "value": v} for k, v in cookies or []],
        "queryString": [],
        "headersSize": -1,
        "bodySize": len(body or ""),
    }
    if body is not None:
        request["postData"] = {"mimeType": mime, "text": body}
        if encoding:
            request["postData"]["encoding"] = encoding
    item: dict[str, Any] = {
        "startedDateTime": "2026-11-29T09:00:00.000+09:00",
        "time": 10,
        "request": request,
        "response": {
            "status": 200,
            "statusText": "OK",
            "httpVersion": "HTTP/1.1",
            "headers": [],
            "cookies": [],
            "content": {"size": 5, "mimeType": "text/plain", "text": "ok " + EMAIL},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": 5,
        },
        "cache": {},
        "timings": {"send": 0, "wait": 1, "receive": 1},
    }
    if ip:
        item["serverIPAddress"] = ip
    return item


def planted_entries() -> list[dict[str, Any]]:
    sha = hashlib.sha256(EMAIL.encode()).hexdigest()
    phone_sha = hashlib.sha256(b"821023456789").hexdigest()
    gz = base64.b64encode(gzip.compress(json.dumps({"em": EMAIL}).encode())).decode()
    br_body = brotli.compress(json.dumps({"u": {"mobile": "01023456789"}}).encode())
    wrapped = base64.b64encode(
        json.dumps({"user": {"name": "김하늘"}}, ensure_ascii=False).encode()
    ).decode()
    return [
        # 0 first party: email in a form body
        entry(
            "https://www.shop.example.kr/signup",
            method="POST",
            body=f"email={quote(EMAIL)}&agree=1",
            mime="application/x-www-form-urlencoded",
            ip="223.130.195.95",
        ),
        # 1 Meta pixel style: sha256 of the normalised email in the query
        entry(
            f"https://www.facebook.com/tr?id=1&ev=Purchase&ud[em]={sha}",
            ip="157.240.1.35",
        ),
        # 2 Google: sha256 of the E.164 digits in a JSON body
        entry(
            "https://www.google-analytics.com/g/collect",
            method="POST",
            body=json.dumps({"ph": phone_sha}),
            ip="142.250.1.1",
        ),
        # 3 Alibaba logging: base64 of the email in a cookie, IDFA in a header
        entry(
            "https://log.mmstat.com/v.gif",
            headers=[("x-idfa", PERSONA["device_ids"][0].upper())],
            cookies=[("uid", base64.b64encode(EMAIL.encode()).decode())],
        ),
        # 4 gzip body, base64-encoded by the recorder, with the gzip header in Content-Encoding
        entry(
            "https://collect.tiktok.com/v1",
            method="POST",
            headers=[("Content-Encoding", "gzip")],
            body=gz,
            encoding="base64",
            ip="23.1.1.1",
        ),
        # 5 brotli body (bytes kept as base64 in the HAR)
        entry(
            "https://api.temu.com/track",
            method="POST",
            headers=[("Content-Encoding", "br")],
            body=base64.b64encode(br_body).decode(),
            encoding="base64",
            ip="47.246.1.1",
        ),
        # 6 a base64-wrapped JSON payload in a query value; phone URL-encoded in E.164
        entry(
            f"https://unknown-tracker.example/p?d={quote(wrapped)}&m=%2B821023456789",
            ip=None,
        ),
        # 7 decoys: a longer digit run containing the phone, a hash of something else, a near-miss email
        entry(
            "https://www.google-analytics.com/collect?cid=9901023456789123&x="
            + hashlib.sha256(b"other@example.org").hexdigest()
            + "&e=xha.neul@example.orgx.invalid"
        ),
        # 8 detectors only: an RRN with a valid check digit, a card number, a Korean landline
        entry(
            "https://api.temu.com/kyc",
            method="POST",
            body=json.dumps(
                {
                    "rrn": "900101-1234568",
                    "card": "4111 1111 1111 1111",
                    "tel": "02-2345-6789",
                }
            ),
        ),
        # 9 multipart form with the name
        entry(
            "https://www.shop.example.kr/profile",
            method="POST",
            ip="223.130.195.95",
            mime="multipart/form-data; boundary=XyZ",
            body='--XyZ\r\nContent-Disposition: form-data; name="nick"\r\n\r\n김하늘\r\n--XyZ--\r\n',
        ),
    ]


def scan_with(
    path: Path, persona: dict[str, Any], *, site: str = "shop.example.kr"
) -> Any:
    """A scan of ``path`` with ``persona`` and the built-in detectors and registry."""
    from privwatch.attribution import Registry
    from privwatch.detectors import DetectorRegistry
    from privwatch.traffic.persona import Persona
    from privwatch.traffic.scan import scan_har

    return scan_har(
        path,
        site=site,
        detectors=DetectorRegistry.builtin(),
        registry=Registry.builtin(),
        persona=Persona.model_validate(persona),
    )


def write_har(path: Path, entries: list[dict[str, Any]], *, pages: bool = True) -> Path:
    log: dict[str, Any] = {
        "version": "1.2",
        "creator": {"name": "privwatch-tests", "version": "1"},
        "entries": entries,
    }
    if pages:
        log["pages"] = [
            {
                "id": "page_1",
                "title": "shop",
                "startedDateTime": "2026-11-29T09:00:00.000+09:00",
                "pageTimings": {},
            }
        ]
    path.write_text(json.dumps({"log": log}, ensure_ascii=False), "utf-8")
    return path


def write_persona(path: Path) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(PERSONA, allow_unicode=True), "utf-8")
    return path


# --- containers (issue 19): one leak planted in each, and decoys ------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(claims: dict[str, Any]) -> str:
    """An unsigned-looking JWT (the signature is never checked)."""
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims, ensure_ascii=False).encode())
    return f"{header}.{payload}.{b64url(hashlib.sha256(payload.encode()).digest())}"


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def websocket(url: str, messages: list[tuple[str, int, str]]) -> dict[str, Any]:
    """A WebSocket entry as Chrome exports it: (type, opcode, data) messages."""
    item = entry(url, headers=[("Upgrade", "websocket")])
    item["_webSocketMessages"] = [
        {"type": kind, "time": 1764374400.5 + i, "opcode": opcode, "data": data}
        for i, (kind, opcode, data) in enumerate(messages)
    ]
    return item


def multipart(parts: list[tuple[str, str, bytes]], boundary: str = "pw19") -> str:
    """A multipart/form-data body of (name, content type, content) parts, as
    text the way a recorder keeps bytes (latin-1: one character per byte)."""
    out = b""
    for name, kind, content in parts:
        out += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{name}.bin"\r\nContent-Type: {kind}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    return (out + f"--{boundary}--\r\n".encode()).decode("latin-1")


NOISE = bytes(random.Random(19).randrange(256) for _ in range(96))  # decoys: binary


def container_entries() -> list[dict[str, Any]]:
    """One leak in each container a tracker uses (0-10) and decoys (11-14);
    tests/test_decoders.py names the field path each must be found at."""
    identity = json.dumps({"user": {"email": EMAIL, "mobile": "01023456789"}}).encode()
    in_cookie = jwt({"sub": "u-1", "name": "김하늘"})
    return [
        # 0 JWT in an Authorization header
        entry(
            "https://api.channel.example/me",
            headers=[
                ("Authorization", "Bearer " + jwt({"sub": "u-1", "email": EMAIL}))
            ],
        ),
        # 1 JWT in a cookie
        entry("https://cdn.tracker.example/p.gif", cookies=[("session", in_cookie)]),
        # 2 JWT in a query value
        entry(
            f"https://sso.tracker.example/cb?id_token={jwt({'phone_number': '+821023456789'})}"
        ),
        # 3 a JWT in a cookie header line inside a base64 JSON body
        entry(
            "https://replay.tracker.example/ingest",
            method="POST",
            mime="text/plain",
            body=base64.b64encode(
                json.dumps(
                    {"ctx": {"ck": f"lang=ko; sid={in_cookie}; path=/"}}
                ).encode()
            ).decode(),
        ),
        # 4 WebSocket: a sent text frame (Socket.IO) and a sent binary zlib frame
        websocket(
            "wss://chat.tracker.example/socket.io/?EIO=4&transport=websocket",
            [
                ("receive", 1, '0{"sid":"abc"}'),
                (
                    "send",
                    1,
                    "42" + json.dumps(["identify", {"traits": {"email": EMAIL}}]),
                ),
                ("send", 2, base64.b64encode(zlib.compress(identity)).decode()),
            ],
        ),
        # 5 a zlib stream without a gzip header as the body (the HAR keeps it in base64)
        entry(
            "https://rs.tracker.example/rec",
            method="POST",
            mime="application/octet-stream",
            body=base64.b64encode(zlib.compress(identity)).decode(),
            encoding="base64",
        ),
        # 6 raw deflate, kept by the recorder as characters (one per byte)
        entry(
            "https://rs.tracker.example/rec2",
            method="POST",
            mime="application/octet-stream",
            body=raw_deflate(identity).decode("latin-1"),
        ),
        # 7 gzip, base64, inside a JSON value (no Content-Encoding)
        entry(
            "https://rs.tracker.example/batch",
            method="POST",
            body=json.dumps(
                {
                    "v": 2,
                    "events": [
                        {"blob": base64.b64encode(gzip.compress(identity)).decode()}
                    ],
                }
            ),
        ),
        # 8 base64url and standard base64 JSON values in a JSON body
        entry(
            "https://px.tracker.example/e",
            method="POST",
            body=json.dumps(
                {
                    "ud": b64url(
                        json.dumps(
                            {"n": "김하늘", "q": "~~~"}, ensure_ascii=False
                        ).encode()
                    ),
                    "ctx": base64.b64encode(
                        json.dumps(
                            {"device": {"idfa": PERSONA["device_ids"][0]}}
                        ).encode()
                    ).decode(),
                }
            ),
        ),
        # 9 multipart: a binary file first (NUL bytes), then text parts
        entry(
            "https://www.shop.example.kr/upload",
            method="POST",
            ip="223.130.195.95",
            mime="multipart/form-data; boundary=pw19",
            body=multipart(
                [
                    ("file", "application/octet-stream", b"\x00\x01PK\x03\x04" + NOISE),
                    ("contact", "text/plain", EMAIL.encode()),
                    (
                        "meta",
                        "application/json",
                        json.dumps({"tel": "010-2345-6789"}).encode(),
                    ),
                ]
            ),
        ),
        # 10 a JWT carrying a base64 claim carrying JSON (three containers deep)
        entry(
            "https://api.channel.example/v2",
            headers=[("X-Auth", jwt({"ctx": base64.b64encode(identity).decode()}))],
        ),
        # 11 decoy: a random base64 token (binary) in a query and a cookie
        entry(
            f"https://cdn.tracker.example/t?k={quote(base64.b64encode(NOISE).decode())}",
            cookies=[("r", b64url(NOISE))],
        ),
        # 12 decoy: a JWT without personal data
        entry(
            "https://api.channel.example/ping",
            headers=[
                (
                    "Authorization",
                    "Bearer "
                    + jwt(
                        {
                            "sub": "8f3a9c",
                            "iat": 1764374400,
                            "exp": 1764378000,
                            "scope": "read",
                        }
                    ),
                )
            ],
        ),
        # 13 decoy: received WebSocket frames echoing the persona
        websocket(
            "wss://chat.tracker.example/ws",
            [
                ("receive", 1, json.dumps({"hello": "김하늘", "email": EMAIL})),
                ("receive", 2, base64.b64encode(zlib.compress(identity)).decode()),
                ("send", 1, '{"type":"ping"}'),
            ],
        ),
        # 14 decoy: a zlib stream of binary data, in a body and a JSON value
        entry(
            "https://rs.tracker.example/bin",
            method="POST",
            body=json.dumps({"z": base64.b64encode(zlib.compress(NOISE * 4)).decode()}),
        ),
    ]


# --- Korean forms and tracker hashing (issue 19, deliver 2 and 3) -------------

KR_PERSONA = {
    "name": "김하늘",
    "email": "Ha.Neul.Kim@gmail.com",
    "phone": "010-2345-6789",
    "rrn": "900101-1234568",
    "address": "서울특별시 강남구 테헤란로 152",
    "birth_date": "1990-01-01",
    "customs_code": "P123456789012",
}


def cp949(text: str) -> str:
    """``text`` percent-encoded in CP949, as older Korean shops send it."""
    return quote(text.encode("cp949"))


def sha256_b64url(text: str) -> str:
    return b64url(hashlib.sha256(text.encode()).digest())


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def form_part(name: str, content: bytes, kind: str = "") -> bytes:
    head = f'Content-Disposition: form-data; name="{name}"\r\n'
    if kind:
        head += f"Content-Type: {kind}\r\n"
    return f"--kr19\r\n{head}\r\n".encode() + content + b"\r\n"


def form_multipart(*parts: bytes) -> str:
    return (b"".join(parts) + b"--kr19--\r\n").decode("latin-1")


SHOP = "https://www.shop.example.kr"
MULTIPART = "multipart/form-data; boundary=kr19"
FORM = "application/x-www-form-urlencoded"


def korean_form_entries() -> list[dict[str, Any]]:
    """One Korean form convention or tracker normalisation planted in each
    entry (0-15) and decoys (16-19); tests/test_korean_forms.py names the
    field and the chain each is found by."""
    post = {"method": "POST", "ip": "223.130.195.95"}
    return [
        # 0 phone split hp1/hp2/hp3 in a query
        entry(f"{SHOP}/member/check?hp1=010&hp2=2345&hp3=6789&mode=join"),
        # 1 e-mail split email1 + a domain select (email2 left empty), form body
        entry(
            f"{SHOP}/member/join",
            body="email1=Ha.Neul.Kim&email2=&email3=gmail.com&agree=Y",
            mime=FORM,
            **post,
        ),
        # 2 resident number split jumin1/jumin2 in a multipart body
        entry(
            f"{SHOP}/member/realname",
            body=form_multipart(
                form_part("jumin1", b"900101"), form_part("jumin2", b"1234568")
            ),
            mime=MULTIPART,
            **post,
        ),
        # 3 phone split mobile1..3 in a JSON object
        entry(
            f"{SHOP}/api/order",
            body=json.dumps(
                {"order": {"mobile1": "010", "mobile2": "2345", "mobile3": "6789"}}
            ),
            **post,
        ),
        # 4 name percent-encoded in EUC-KR in a query
        entry(f"{SHOP}/order/step1?rname={cp949('김하늘')}&x=1"),
        # 5 address percent-encoded in EUC-KR in a form body
        entry(
            f"{SHOP}/order/step2",
            body=f"zip=06236&raddr={cp949('서울특별시 강남구 테헤란로 152')}&m=1",
            mime=FORM,
            **post,
        ),
        # 6 a multipart text part declared EUC-KR
        entry(
            f"{SHOP}/board/write",
            body=form_multipart(
                form_part(
                    "writer", "김하늘".encode("cp949"), "text/plain; charset=euc-kr"
                ),
                form_part("subject", b"hello"),
            ),
            mime=MULTIPART,
            **post,
        ),
        # 7 a multipart text part in CP949 with no charset
        entry(
            f"{SHOP}/board/write2",
            body=form_multipart(form_part("writer", "김하늘".encode("cp949"))),
            mime=MULTIPART,
            **post,
        ),
        # 8 address with the short form of its 시/도
        entry(
            "https://api.delivery.example/quote",
            method="POST",
            body=json.dumps({"to": "서울 강남구 테헤란로 152"}, ensure_ascii=False),
        ),
        # 9 address romanised (Revised Romanization), as a global shop writes it
        entry(
            "https://global.shop.example/checkout",
            method="POST",
            body=json.dumps({"line1": "152 Teheran-ro, Gangnam-gu", "city": "Seoul"}),
        ),
        # 10 customs clearance code under a field name that says so
        entry(
            "https://global.shop.example/customs",
            method="POST",
            body=json.dumps({"pccc": "P123456789012"}),
        ),
        # 11 Google enhanced conversions: Gmail dots removed, sha256, web-safe base64
        entry(
            "https://www.google.com/pagead/1p-conversion/1/?em=tv.1~em."
            + sha256_b64url("haneulkim@gmail.com")
        ),
        # 12 Meta advanced matching: first and last name hashed apart
        entry(
            f"https://www.facebook.com/tr?id=1&ev=Purchase&ud[fn]={sha256_hex('하늘')}"
            f"&ud[ln]={sha256_hex('김')}"
        ),
        # 13 a phone hashed without its leading 0
        entry(
            "https://track.tracker.example/c",
            method="POST",
            body=json.dumps({"ph": sha256_hex("1023456789")}),
        ),
        # 14 a phone in E.164 with +, sha256 in web-safe base64
        entry(
            "https://www.google.com/ccm/collect?ph=" + sha256_b64url("+821023456789")
        ),
        # 15 a birth date split birth_y/birth_m/birth_d, month and day unpadded
        entry(f"{SHOP}/member/join2?birth_y=1990&birth_m=1&birth_d=1&sex=F"),
        # 16 decoy: hp1 alone (and hp2 empty)
        entry(f"{SHOP}/member/check2?hp1=010&hp2=&hp3=&mode=join"),
        # 17 decoy: the address's city and district alone, another building
        #    number on the same road, a longer number, a lot's sub-number,
        #    a side road numbered like the building
        entry(
            "https://api.weather.example/now",
            method="POST",
            body=json.dumps(
                {
                    "city": "서울",
                    "gu": "강남구",
                    "en": "Seoul, Gangnam-gu",
                    "ko": "서울특별시 강남구",
                    "near": "테헤란로 15",
                    "far": "Teheran-ro 1523",
                    "lot": "테헤란로 152-3",
                    "side": "테헤란로152번길 7",
                    "side_en": "7, Teheran-ro 152beon-gil",
                },
                ensure_ascii=False,
            ),
        ),
        # 18 decoy: a P + 12 digits order number with no context
        entry(
            "https://api.shop.example/track",
            method="POST",
            body=json.dumps({"orderNo": "P202612061234", "sku": "P998877665544"}),
        ),
        # 19 decoy: a UTF-8 string whose bytes are also valid CP949 (배송)
        entry(f"{SHOP}/search?q={quote('배송')}&page=1"),
    ]


def cloaked_entries(site: str = "shop.example.kr") -> list[dict[str, Any]]:
    """The persona's e-mail sent in a tracker's protocol to the site's own
    names, then look-alikes of the site's own, then the trackers' own hosts."""
    em = quote(EMAIL)
    return [
        # 0 Adobe Analytics on a CNAMEd first-party name
        entry(
            f"https://smetrics.{site}/b/ss/shopprod/1/JS-2.22.0/s1234?AQB=1&ndh=1"
            f"&mid=123&v1={em}&AQE=1",
            ip="66.117.28.1",
        ),
        # 1 GA4 through a server-side Tag Manager container on sst.<site>
        entry(
            f"https://sst.{site}/g/collect?v=2&tid=G-A1B2C3D4E5&cid=555.1&en=sign_up&ep.email={em}",
            method="POST",
            body="",
            ip="34.64.1.1",
        ),
        # 2 Amplitude's HTTP API relayed through www.<site>
        entry(
            f"https://www.{site}/amp/2/httpapi",
            method="POST",
            body=json.dumps(
                {"api_key": "k", "events": [{"user_properties": {"email": EMAIL}}]}
            ),
        ),
        # 3 decoy: /b/ssl/ is not Adobe's path
        entry(f"https://www.{site}/b/ssl/shopprod/1/s1?AQB=1&e={em}"),
        # 4 decoy: /collect without v and tid
        entry(f"https://www.{site}/collect?email={em}"),
        # 5 decoy: /tr without a pixel id and event
        entry(f"https://www.{site}/tr?lang=ko&email={em}"),
        # 6 decoy: the site's own tracking API
        entry(
            f"https://api.{site}/api/track",
            method="POST",
            body=json.dumps({"event": "signup", "email": EMAIL}),
        ),
        # 7 decoy: /b/ss/ without AQB (an image folder of the site's own)
        entry(f"https://www.{site}/b/ss/banner/1/logo.png?e={em}"),
        # 8 decoy: /g/collect with a UA id, not GA4's v=2 and G- id
        entry(f"https://www.{site}/g/collect?v=1&tid=UA-1-1&e={em}"),
        # 9 the tracker's own domain: Adobe, not cloaked
        entry(
            f"https://shop.sc.omtrdc.net/b/ss/shopprod/1/s2?AQB=1&v1={em}&AQE=1",
            ip="66.117.28.2",
        ),
        # 10 Meta's own /tr: Meta, not cloaked
        entry(f"https://www.facebook.com/tr?id=1234567890&ev=Lead&em={em}"),
    ]


# --- false-positive controls (issue 19, deliver 6): controls and decoys -------

SHOP_PHONE = "02-1588-0123"  # the shop's customer centre (invented)
SHOP_EMAIL = "cs@shop.example.kr"
SHOP_BRN = "220-81-62517"  # check digit holds; invented
USER_PHONE = "010-2345-6789"  # the persona's own


def page(url: str, html: str, *, ip: str = "223.130.195.95") -> dict[str, Any]:
    """A GET whose response is an HTML page (``html``), as a browser records it."""
    item = entry(url, ip=ip)
    item["response"]["content"] = {
        "size": len(html),
        "mimeType": "text/html; charset=utf-8",
        "text": html,
    }
    return item


def shop_page(main: str = "") -> str:
    """A Korean shop's page: ``main`` content, then the footer the law asks for."""
    return (
        "<!doctype html><html><head><title>shop</title>"
        "<script>var tel = '010-9999-0000';</script></head><body>"
        f"<main>{main}</main>"
        '<div id="footer"><p>상호: 예시샵(주) | 대표: 김대표 | '
        f"사업자등록번호: {SHOP_BRN} | 통신판매업신고: 제2026-서울강남-0001호</p>"
        f'<p>고객센터 <a href="tel:{SHOP_PHONE}">{SHOP_PHONE}</a> | '
        f'이메일 <a href="mailto:{SHOP_EMAIL}">{SHOP_EMAIL}</a></p></div>'
        "</body></html>"
    )


def false_positive_entries() -> list[dict[str, Any]]:
    """Numbers shaped like personal data in fields that say they are not (0-4),
    their controls (5-7), the shop's contacts from its page (8-10)."""
    sku = "4123111111111117"  # Visa prefix, Luhn-valid
    return [
        # 0 an order number shaped like a mobile number, query and JSON
        entry("https://log.tracker.example/buy?orderNo=01012345678&v=2"),
        # 1 a SKU that passes Luhn with a card's issuer prefix
        entry(
            "https://log.tracker.example/cart",
            method="POST",
            body=json.dumps({"items": [{"sku": sku, "qty": 1}]}),
        ),
        # 2 a date-led order number that passes the resident-number check digit
        entry(
            "https://log.tracker.example/done",
            method="POST",
            body="order_id=9001011234568&goodsNo=0212345678&x=1",
            mime=FORM,
        ),
        # 3 a Korean-labelled order number and a prefixed one
        entry("https://log.tracker.example/k?주문번호=01098765432&ref=ORD-01055556666"),
        # 4 a cache buster that is a valid Korean landline
        entry("https://ad.tracker.example/p?ord=0312345678&t=1"),
        # 5 control: the same digits in a phone field are a phone
        entry("https://log.tracker.example/me?hp=01012345678"),
        # 6 control: a card in a card field, a resident number in its field
        entry(
            "https://pay.tracker.example/c",
            method="POST",
            body=json.dumps({"card_no": sku, "jumin": "9001011234568"}),
        ),
        # 7 control: the orderer's phone in an order form
        entry(
            "https://log.tracker.example/order",
            method="POST",
            body="order_tel=01087654321&orderNo=12",
            mime=FORM,
        ),
        # 8 the shop's page, with the user's own phone shown in the main content
        page(f"{SHOP}/mypage", shop_page(f"<p>휴대폰 {USER_PHONE}</p>")),
        # 9 a chat widget sends the shop's contacts and the user's phone
        entry(
            "https://api.chat.example/boot",
            method="POST",
            body=json.dumps(
                {
                    "shop": {"tel": SHOP_PHONE, "email": SHOP_EMAIL, "biz": SHOP_BRN},
                    "member": {"mobile": USER_PHONE},
                }
            ),
        ),
        # 10 an analytics tag sends the shop's phone in a query
        entry(f"https://log.tracker.example/pv?tel={SHOP_PHONE.replace('-', '')}"),
    ]
