"""scan_har over generated HAR files: wrong types everywhere, garbage bytes,
deep nesting, huge lines, base64 garbage and decompression bombs."""

from __future__ import annotations

import base64
import gzip
import json
import tempfile
import zlib
from pathlib import Path
from typing import Any

import brotli
import pytest
from hypothesis import given
from hypothesis import strategies as st

from privwatch.attribution import Registry
from privwatch.detectors import DetectorRegistry
from privwatch.traffic import har
from privwatch.traffic.fields import MAX_BODY
from privwatch.traffic.scan import ScanResult, scan_har
from tests.fuzz.contract import json_values, survives
from tests.fuzz.limited import run_limited
from tests.hars import entry, planted_entries, write_har

DETECTORS = DetectorRegistry.builtin()
REGISTRY = Registry.builtin()
GIB = 1 << 30


def scan(path: Path) -> ScanResult | Exception:
    return survives(
        lambda: scan_har(
            path, site="shop.example.kr", detectors=DETECTORS, registry=REGISTRY
        )
    )


def scan_bytes(data: bytes) -> ScanResult | Exception:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "session.har"
        path.write_bytes(data)
        return scan(path)


def har_bytes(entries: Any) -> bytes:
    return json.dumps({"log": {"version": "1.2", "entries": entries}}).encode()


REQUEST_KEYS = ["method", "url", "headers", "cookies", "queryString", "postData"]
POST_KEYS = ["mimeType", "text", "params", "encoding"]


@st.composite
def broken_entries(draw: st.DrawFn) -> dict[str, Any]:
    """A real entry with some of its fields replaced by any JSON value."""
    item: dict[str, Any] = draw(st.sampled_from(planted_entries()))
    item = json.loads(json.dumps(item))
    request = item["request"]
    for key in draw(st.lists(st.sampled_from(REQUEST_KEYS), max_size=3)):
        request[key] = draw(json_values)
    if isinstance(request.get("postData"), dict):
        for key in draw(st.lists(st.sampled_from(POST_KEYS), max_size=2)):
            request["postData"][key] = draw(json_values)
    if draw(st.booleans()):
        item[
            draw(st.sampled_from(["request", "serverIPAddress", "startedDateTime"]))
        ] = draw(json_values)
    return item


@given(st.lists(broken_entries(), max_size=4))
def test_wrong_types_everywhere(entries: list[dict[str, Any]]) -> None:
    scan_bytes(har_bytes(entries))


@given(json_values)
def test_any_json_document(value: Any) -> None:
    scan_bytes(json.dumps(value).encode())
    scan_bytes(json.dumps({"log": value}).encode())
    scan_bytes(json.dumps({"log": {"entries": value}}).encode())


@given(st.binary(max_size=2000))
def test_garbage_bytes(data: bytes) -> None:
    scan_bytes(data)


VALID = har_bytes(planted_entries())


@given(st.integers(0, len(VALID)), st.binary(max_size=20), st.integers(0, len(VALID)))
def test_mutated_har(cut: int, noise: bytes, where: int) -> None:
    scan_bytes(VALID[:cut])  # cut off anywhere
    scan_bytes(VALID[:where] + noise + VALID[where:])  # bytes inserted anywhere
    scan_bytes(gzip.compress(VALID)[:cut])  # a .har.gz cut off


@given(
    st.sampled_from(["gzip", "deflate", "br", "x-gzip", "compress", ""]),
    st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
    st.sampled_from(["base64", None, "garbage"]),
    st.sampled_from(["application/json", "multipart/form-data; boundary=a", ""]),
)
def test_bodies_garbage(
    coding: str, body: bytes, encoding: str | None, mime: str
) -> None:
    text = (
        base64.b64encode(body).decode()
        if encoding == "base64"
        else body.decode("latin-1")
    )
    if encoding == "garbage":
        text, encoding = "%%%not base64!!" + text, "base64"
    headers = [("Content-Encoding", coding)] if coding else []
    item = entry(
        "https://t.example/c",
        method="POST",
        headers=headers,
        body=text,
        mime=mime,
        encoding=encoding,
    )
    scan_bytes(har_bytes([item]))


@pytest.mark.parametrize("opener", ["[", '{"a":', '{"log":{"entries":[{"request":'])
def test_deep_nesting_refused(tmp_path: Path, opener: str) -> None:
    """100,000 levels: ijson keeps each level's prefix, so this used to take
    gigabytes; now refused past MAX_DEPTH."""
    path = tmp_path / "deep.har"
    path.write_text(opener * 100_000 + "1" + "]" * 100_000)
    report = run_limited("har", path)
    assert report == {"outcome": "error", "key": "scan.too_deep", **_rss(report)}


def test_nesting_within_limit_is_read(tmp_path: Path) -> None:
    deep: Any = "x"
    for _ in range(har.MAX_DEPTH - 10):
        deep = [deep]
    item = entry("https://t.example/c", headers=[("x-a", "1")])
    item["request"]["headers"].append({"name": "x-deep", "value": deep})
    result = scan(write_har(tmp_path / "ok.har", [item]))
    assert isinstance(result, ScanResult) and result.entries == 1


def test_huge_single_lines(tmp_path: Path) -> None:
    url = "https://t.example/c?q=" + "a" * (1 << 20)  # a 1 MB URL
    form = "a=b&" * (1 << 18)  # a 1 MB form body
    items = [
        entry(url),
        entry("https://t.example/f", method="POST", body=form, mime=""),
    ]
    path = tmp_path / "lines.har"
    path.write_bytes(har_bytes(items))  # one line of about 2 MB
    report = run_limited("har", path)
    assert report["outcome"] == "ok"


def _zlib_zeros(size: int, wbits: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(16 << 20)
    return b"".join(packer.compress(block) for _ in range(size // len(block))) + (
        packer.flush()
    )


def _brotli_zeros(size: int) -> bytes:
    packer = brotli.Compressor(quality=1)
    block = bytes(16 << 20)
    return b"".join(packer.process(block) for _ in range(size // len(block))) + (
        packer.finish()
    )


def _rss(report: dict[str, object]) -> dict[str, object]:
    return {"peak_rss": report["peak_rss"]}


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    """1 GB of zeros, compressed (about 1 MB gzip, a few KB brotli); the
    deflate one 256 MB."""
    return {
        "gzip": _zlib_zeros(GIB, 31),
        "deflate": _zlib_zeros(GIB // 4, 15),  # 256 MB: CI time
        "br": _brotli_zeros(GIB),
    }


@pytest.mark.parametrize("coding", ["gzip", "br", "deflate"])
def test_decompression_bombs_are_bounded(
    tmp_path: Path, bombs: dict[str, bytes], coding: str
) -> None:
    data = bombs[coding]
    items = [
        entry(
            "https://t.example/bomb",
            method="POST",
            headers=[("Content-Encoding", coding)],
            body=base64.b64encode(data).decode(),
            encoding="base64",
        )
    ]
    path = tmp_path / "bomb.har"
    path.write_bytes(har_bytes(items))
    report = run_limited("har", path)
    assert report["outcome"] == "ok"
    # the body is cut off at MAX_BODY, never inflated whole
    assert int(str(report["peak_rss"])) < 1024 * 1024 * 1024, report
    assert MAX_BODY <= 16 << 20


def test_gzipped_har_bomb_is_streamed(tmp_path: Path, bombs: dict[str, bytes]) -> None:
    """A .har.gz that inflates to 1 GB of zeros: not JSON, refused without
    reading it into memory."""
    path = tmp_path / "bomb.har.gz"
    path.write_bytes(bombs["gzip"])
    report = run_limited("har", path)
    assert report["outcome"] == "error" and report["key"] == "scan.not_json"
