"""The held-out traffic benchmark's generator (bench/traffic_quality.py): the same
seed gives the same session, and its ground truth holds: every planted leak's value
occurs in its request in the encoding the truth claims. The decoding here is the
test's own (standard library only), not the generator's and not privwatch's; the
scores themselves are the bench's business, not this test's."""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.util
import json
import re
import sys
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "traffic_quality.py"
_spec = importlib.util.spec_from_file_location("bench_traffic_quality", BENCH)
assert _spec and _spec.loader
tq = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = tq  # dataclasses look their module up
_spec.loader.exec_module(tq)

SEEDS = (1, 2, 3, 19)

# which persona fields may stand for which data type
FIELDS = {
    "email": {"email"},
    "phone": {"phone"},
    "rrn": {"rrn"},
    "name": {"name", "given", "family"},
    "address": {"address", "address_short", "address_road", "address_roman"},
    "birth_date": {"birth_date"},
    "user_id": {"user_id"},
    "card": {"card"},
    "customs_code": {"customs_code"},
    "device_id": {"device_id"},
}


def session(seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    s = tq.generate(seed)
    har = json.loads(json.dumps(s.har(), ensure_ascii=False))
    truth = json.loads(json.dumps(tq.truth_of(s), ensure_ascii=False))
    return har, truth


# --- the test's own decoders -------------------------------------------------


def _pad(text: bytes) -> bytes:
    return text + b"=" * (-len(text) % 4)


def _query(url: str, name: str) -> str:
    query = url.split("?", 1)[1] if "?" in url else ""
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key == name:
            return value
    raise AssertionError(f"no query parameter {name!r} in {url[:120]}")


def _form(data: bytes, name: str) -> bytes:
    for pair in data.split(b"&"):
        key, _, value = pair.partition(b"=")
        if key.decode() == name:
            return value
    raise AssertionError(f"no form field {name!r}")


def _json_path(data: bytes, path: str) -> bytes:
    node: Any = json.loads(data.decode("utf-8"))
    for key in path.split("."):
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, str):
        return node.encode("utf-8")
    return json.dumps(node, ensure_ascii=False).encode("utf-8")


def _part(data: bytes, name: str, mime: str) -> bytes:
    boundary = re.search(r"boundary=([^;\s]+)", mime)
    assert boundary, mime
    for chunk in data.split(b"--" + boundary.group(1).encode()):
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if sep and f'name="{name}"'.encode() in head:
            return content[:-2] if content.endswith(b"\r\n") else content
    raise AssertionError(f"no multipart part {name!r}")


def _unquote(data: bytes) -> bytes:
    return unquote_to_bytes(data.replace(b"+", b" "))


def decode(raw: str, chain: list[str], mime: str) -> bytes:
    if chain and chain[0] == "latin1":
        data, chain = raw.encode("latin-1"), chain[1:]
    elif chain and chain[0] == "har-b64":
        data, chain = base64.b64decode(raw), chain[1:]
    else:
        data = raw.encode("utf-8")
    for step in chain:
        kind, _, arg = step.partition(":")
        if kind == "url":
            data = _unquote(data)
        elif kind == "url-cp949":
            data = _unquote(data).decode("cp949").encode("utf-8")
        elif kind == "cp949":
            data = data.decode("cp949").encode("utf-8")
        elif kind == "b64":
            data = base64.b64decode(_pad(data))
        elif kind == "b64url":
            data = base64.urlsafe_b64decode(_pad(data))
        elif kind == "zlib":
            data = zlib.decompress(data)
        elif kind == "gzip":
            data = gzip.decompress(data)
        elif kind == "deflate":
            data = zlib.decompress(data, -15)
        elif kind == "bearer":
            assert data.startswith(b"Bearer "), data[:20]
            data = data[len(b"Bearer ") :]
        elif kind == "jwt":
            header, payload, _signature = data.split(b".")
            assert json.loads(base64.urlsafe_b64decode(_pad(header)))["typ"] == "JWT"
            data = base64.urlsafe_b64decode(_pad(payload))
        elif kind == "form":
            data = _form(data, arg)
        elif kind == "json":
            data = _json_path(data, arg)
        elif kind == "part":
            data = _part(data, arg, mime)
        elif kind == "sio":  # a Socket.IO packet: type digits, then JSON
            data = data.lstrip(b"0123456789")
        elif kind == "qparam":
            data = _query(data.decode(), arg).encode()
        else:
            raise AssertionError(f"unknown step {step}")
    return data


def extract(entry: dict[str, Any], where: str) -> str:
    request = entry["request"]
    kind, _, name = where.partition(":")
    if kind == "query":
        return _query(request["url"], name)
    if kind == "url":
        return str(request["url"])
    if kind == "header":
        values = [h["value"] for h in request["headers"] if h["name"].lower() == name]
        assert len(values) == 1, (where, values)
        return str(values[0])
    if kind == "cookie":
        values = [c["value"] for c in request["cookies"] if c["name"] == name]
        assert len(values) == 1, (where, values)
        cookie_line = next(
            h["value"] for h in request["headers"] if h["name"] == "cookie"
        )
        assert f"{name}={values[0]}" in cookie_line  # the header agrees with the list
        return str(values[0])
    if kind == "body":
        return str(request["postData"]["text"])
    if kind == "ws":
        message = entry["_webSocketMessages"][int(name)]
        assert message["type"] == "send", "a leak is only ever in a frame the page sent"
        return str(message["data"])
    raise AssertionError(where)


# --- the test's own normalisations --------------------------------------------


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def transform(text: str, step: str) -> str:
    kind, *args = step.split(":")
    if kind == "lower":
        return text.strip().lower()
    if kind == "digits":
        return _digits(text)
    if kind == "e164":
        assert text.startswith("010")
        return "+82" + _digits(text)[1:]
    if kind == "e164-noplus":
        return "82" + _digits(text)[1:]
    if kind == "no-leading-0":
        return _digits(text).removeprefix("0")
    if kind == "gmail":
        local, domain = text.split("@")
        assert domain == "gmail.com"
        return local.replace(".", "") + "@" + domain
    if kind == "spaced":
        return text.replace("-", " ")
    if kind == "capitalize":
        return text[:1].upper() + text[1:]
    if kind == "intl":
        assert re.fullmatch(r"010-\d{4}-\d{4}", text)
        return "+82 " + text[1:]
    if kind == "sha256":
        return hashlib.sha256(text.encode()).hexdigest()
    if kind == "sha256-b64url":
        digest = hashlib.sha256(text.encode()).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")
    if kind == "md5":
        return hashlib.md5(text.encode()).hexdigest()
    if kind == "slice":
        return text[int(args[0]) : int(args[1])]
    if kind == "local":
        return text.split("@")[0]
    if kind == "domain":
        return text.split("@")[1]
    if kind == "ymd":
        return text.replace("-", "")
    if kind == "year":
        return text[:4]
    if kind in ("month", "day"):
        part = text.split("-")[1 if kind == "month" else 2]
        return str(int(part))
    raise AssertionError(step)


def needle(truth: dict[str, Any], item: dict[str, Any]) -> str:
    persona, extra = truth["values"]["persona"], truth["values"]["extra"]
    name = item["field"]
    if name == "device_id":
        text = persona["device_ids"][0]
    else:
        text = str(persona[name] if name in persona else extra[name])
    for step in item["derive"]:
        text = transform(text, step)
    return text


def _texts(entry: dict[str, Any]) -> list[str]:
    """The request as JSON text, percent-decoded, and its base64 query and form values
    decoded."""
    request = json.dumps(entry["request"], ensure_ascii=False)
    out = [request, _unquote(request.encode()).decode("utf-8", "replace")]
    post = entry["request"].get("postData", {})
    if post.get("encoding") == "base64":
        out.append(base64.b64decode(post["text"]).decode("latin-1"))
    pairs = entry["request"]["url"].partition("?")[2].split("&")
    pairs += entry["request"].get("postData", {}).get("text", "").split("&")
    for pair in pairs:
        value = _unquote(pair.partition("=")[2].encode())
        try:
            out.append(base64.b64decode(_pad(value), validate=True).decode("utf-8"))
        except ValueError:
            continue
    return out


# --- tests --------------------------------------------------------------------


def test_same_seed_same_session_other_seed_other_session() -> None:
    har_a, truth_a = session(7)
    har_b, truth_b = session(7)
    assert har_a == har_b and truth_a == truth_b
    har_c, truth_c = session(8)
    assert truth_c["values"] != truth_a["values"]
    assert [lk["entry"] for lk in truth_c["leaks"]] != [
        lk["entry"] for lk in truth_a["leaks"]
    ] or (har_c != har_a)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_planted_leak_occurs_where_and_as_the_truth_says(seed: int) -> None:
    har, truth = session(seed)
    entries = har["log"]["entries"]
    assert 100 <= len(truth["leaks"]) <= 150
    keys = [(lk["entry"], lk["data_type"]) for lk in truth["leaks"]]
    assert len(keys) == len(set(keys)), "one planted leak per entry and data type"
    for leak in truth["leaks"]:
        entry = entries[leak["entry"]]
        host = entry["request"]["url"].split("/")[2].split(":")[0]
        assert leak["host"] == host
        assert leak["party"] == ("first" if leak["org"] is None else "third")
        if leak["org"] is None:
            assert host.endswith("." + truth["site"]) and not host.startswith(
                "smetrics."
            )
        else:
            assert leak["org"] in tq.ORGS
        assert leak["evidence"]
        for item in leak["evidence"]:
            assert item["field"] in FIELDS[leak["data_type"]], (leak["data_type"], item)
            raw = extract(entry, item["where"])
            if (
                item["where"] == "body"
            ):  # the HAR's base64 marking is what the chain says
                marked = entry["request"]["postData"].get("encoding") == "base64"
                assert marked == (item["chain"][:1] == ["har-b64"]), item
            mime = entry["request"].get("postData", {}).get("mimeType", "")
            text = decode(raw, item["chain"], mime).decode("utf-8")
            wanted = needle(truth, item)
            assert wanted and wanted in text, (leak, wanted, text[:300])


@pytest.mark.parametrize("seed", SEEDS)
def test_the_har_is_chrome_shaped_and_the_values_consistent(seed: int) -> None:
    har, truth = session(seed)
    entries = har["log"]["entries"]
    assert har["log"]["version"] == "1.2"
    for item in entries:
        assert re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", item["serverIPAddress"])
        if item["request"]["url"].startswith("wss://"):
            assert item["_webSocketMessages"] and item["response"]["status"] == 101
    persona, extra = truth["values"]["persona"], truth["values"]["extra"]
    assert extra["family"] + extra["given"] == persona["name"]
    tail = persona["address"].split(" ", 1)[1]
    assert (
        extra["address_short"].endswith(tail)
        and extra["address_short"] != persona["address"]
    )
    assert persona["address"].endswith(extra["address_road"])
    assert (
        extra["address_roman"].split(",")[0].split()[0]
        == extra["address_road"].split()[-1]
    )
    rrn = _digits(persona["rrn"])
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = (11 - sum(int(d) * w for d, w in zip(rrn, weights, strict=False)) % 11) % 10
    assert (
        int(rrn[12]) == check and rrn[:6] == persona["birth_date"].replace("-", "")[2:]
    )
    assert persona["user_id"] not in persona["email"]
    contacts = truth["contacts"]
    assert (
        contacts["email"] != persona["email"]
        and contacts["cs_phone"] != persona["phone"]
    )
    # every decoy's value is really in its request, and is not the persona's
    own = {
        _digits(persona["phone"]),
        persona["email"],
        _digits(persona["rrn"]),
        _digits(persona["card"]),
    }
    for decoy in truth["decoys"]:
        if not decoy["value"]:
            continue
        request = json.dumps(entries[decoy["entry"]]["request"], ensure_ascii=False)
        if "received frame" in decoy["kind"]:
            frames = entries[decoy["entry"]]["_webSocketMessages"]
            assert any(
                decoy["value"] in f["data"] for f in frames if f["type"] == "receive"
            )
            assert not any(
                decoy["value"] in f["data"] for f in frames if f["type"] == "send"
            )
            continue
        if decoy["kind"] == "persona data in a response only":
            assert (
                decoy["value"] in entries[decoy["entry"]]["response"]["content"]["text"]
            )
            assert decoy["value"] not in request
            continue
        assert any(
            decoy["value"] in text for text in _texts(entries[decoy["entry"]])
        ), decoy
        assert decoy["value"] not in own and _digits(decoy["value"]) not in own, decoy


def test_received_frames_and_responses_are_decoys_not_leaks() -> None:
    har, truth = session(2)
    entries = har["log"]["entries"]
    for leak in truth["leaks"]:
        for item in leak["evidence"]:
            if item["where"].startswith("ws:"):
                index = int(item["where"].split(":")[1])
                assert (
                    entries[leak["entry"]]["_webSocketMessages"][index]["type"]
                    == "send"
                )
    response_only = [
        d for d in truth["decoys"] if d["kind"] == "persona data in a response only"
    ]
    assert response_only
    for decoy in response_only:
        assert not [lk for lk in truth["leaks"] if lk["entry"] == decoy["entry"]]
