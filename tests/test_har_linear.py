"""The HAR reader on long strings (issue 19, item 4): a string is handed to the
parser whole, so a value at the end of a multi-megabyte body is found; a
string past ``har.MAX_STRING`` is kept up to it, cut on a whole character,
and the entry warned about; the reads put together are the file, byte for
byte, whatever its strings hold (quotes, backslashes, escapes, UTF-8)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from privwatch.attribution import Registry
from privwatch.detectors import DetectorRegistry
from privwatch.traffic import har
from privwatch.traffic.har import _Reads, read_entries
from privwatch.traffic.scan import scan_har
from tests.hars import EMAIL, PERSONA, entry, scan_with, write_har


def _body_entry(text: str, url: str = "https://collect.tracker.example/e") -> dict:
    return entry(url, method="POST", body=text, mime="text/plain")


def test_a_value_at_the_end_of_a_5_mb_body_is_found(tmp_path: Path) -> None:
    body = "x" * (5 << 20) + f" {EMAIL}"
    path = write_har(tmp_path / "long.har", [_body_entry(body)])
    result = scan_with(path, PERSONA, site="shop.example.kr")
    assert [(f.data_type, f.location) for f in result.flows] == [("email", "body")]
    assert result.warnings == []
    (read,) = read_entries(path)
    assert read.body == body and not read.cut


@pytest.mark.parametrize(
    "tail",
    ["가나다라" * 40, "\\u00e9\\ud83d\\ude00" * 40, '\\\\\\"\\n' * 40, "😀" * 40],
)
def test_a_string_past_the_limit_is_cut_on_a_whole_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tail: str
) -> None:
    # written by hand: the tail's escapes as they stand in the file
    raw = '"' + "a" * 4997 + tail + '"'
    decoded = json.loads(raw)
    path = tmp_path / "cut.har"
    path.write_text(
        '{"log": {"entries": [{"request": {"method": "POST", "url": '
        '"https://t.example/", "postData": {"text": ' + raw + "}},"
        ' "response": {"content": {"text": ' + raw + "}}},"
        ' {"request": {"method": "GET", "url": "https://t.example/2"}}]}}',
        "utf-8",
    )
    for limit in range(5000, 5040):  # past STEP: read whole
        monkeypatch.setattr(har, "MAX_STRING", limit)
        first, second = read_entries(path)
        assert first.cut and not second.cut
        assert decoded.startswith(first.body)
        assert len(first.body) >= 4980


def test_a_cut_body_is_warned_once_and_scanned_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(har, "MAX_STRING", 1000)
    body = f"{EMAIL} " + "x" * 5000 + " second@example.com"
    path = write_har(tmp_path / "cut.har", [_body_entry(body), _body_entry("ok")])
    result = scan_har(
        path,
        site="shop.example.kr",
        detectors=DetectorRegistry.builtin(),
        registry=Registry.builtin(),
    )
    emails = [f for f in result.flows if f.data_type == "email"]
    assert len(emails) == 1 and emails[0].entry_index == 0
    assert result.warnings == [("scan.body_cut", {"index": 0, "limit": 16})]


def test_a_long_response_body_is_not_warned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(har, "MAX_STRING", 1000)
    item = _body_entry("short")
    item["response"]["content"] = {"mimeType": "text/html", "text": "y" * 5000}
    path = write_har(tmp_path / "response.har", [item])
    (read,) = read_entries(path)
    assert read.body == "short" and not read.cut


JSON_TEXT = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(alphabet=st.sampled_from('ab"\\/\n가😀{}[]: ,\x00'), max_size=300),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    value=JSON_TEXT,
    ascii_only=st.booleans(),
    block=st.sampled_from([3, 8, 1 << 20]),
    step=st.sampled_from([1, 2, 7, 4096]),
)
def test_the_reads_put_together_are_the_file(
    value: object, ascii_only: bool, block: int, step: int
) -> None:
    data = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")
    kept = har.BLOCK, har.STEP
    # file blocks ending anywhere (inside escapes, characters), and reads of
    # structure so short that most strings are handed over whole
    har.BLOCK, har.STEP = block, step
    try:
        reads = _Reads(io.BytesIO(data))
        out = []
        while chunk := reads.read(4096):
            out.append(chunk)
    finally:
        har.BLOCK, har.STEP = kept
    assert b"".join(out) == data and not reads.cut


def test_the_reads_cross_file_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(har, "BLOCK", 7)
    value = ['a\\"b' * 30, {"k": "가" * 50}, "\\" * 31, 12345]
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    reads = _Reads(io.BytesIO(data))
    out = []
    while chunk := reads.read(4096):
        out.append(chunk)
    assert b"".join(out) == data
    assert json.loads(b"".join(out)) == value


def test_repeated_requests_give_the_same_flows_sharing_their_strings(
    tmp_path: Path,
) -> None:
    planted = [
        _body_entry(f'{{"email": "{EMAIL}", "phone": "010-1234-5678"}}'),
        entry(f"https://www.google-analytics.com/collect?uid={EMAIL}"),
    ]
    path = write_har(tmp_path / "repeated.har", planted * 50)
    result = scan_with(path, PERSONA, site="shop.example.kr")
    by_entry: dict[int, list] = {}
    for flow in result.flows:
        by_entry.setdefault(flow.entry_index, []).append(flow)
    assert sorted(by_entry) == list(range(100))
    first = [by_entry[0], by_entry[1]]
    for index, flows in by_entry.items():
        alike = first[index % 2]
        assert [replace(f, entry_index=0) for f in flows] == [
            replace(f, entry_index=0) for f in alike
        ]
        # one copy of each text for all the requests: memory follows flows
        for flow, other in zip(flows, alike, strict=True):
            for name in ("host", "name", "encoding", "masked", "detail", "via"):
                assert getattr(flow, name) is getattr(other, name)


def test_entries_are_the_same_whatever_the_read_sizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.hars import container_entries, planted_entries

    path = write_har(tmp_path / "all.har", planted_entries() + container_entries())
    expected = list(read_entries(path))
    for step, block in ((1, 3), (5, 7), (64, 5)):
        monkeypatch.setattr(har, "STEP", step)
        monkeypatch.setattr(har, "BLOCK", block)
        assert list(read_entries(path)) == expected


def test_a_long_body_in_a_har_gz(tmp_path: Path) -> None:
    import gzip

    body = "가" * (2 << 20) + f" {EMAIL}"
    plain = write_har(tmp_path / "long.har", [_body_entry(body), _body_entry("ok")])
    packed = tmp_path / "long.har.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    first, second = read_entries(packed)
    assert first.body == body and second.body == "ok"
