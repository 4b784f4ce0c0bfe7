"""Build HAR files for tests: a persona's values planted in every encoding and
location, decoys that must not match, bodies compressed and base64-encoded.
The persona and its values are invented."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
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
