"""Containers trackers wrap personal data in (issue 19): a leak planted in each
is found at its exact field path with the decoding chain that reached it;
decoys (binary base64, a JWT without personal data, received WebSocket frames,
a zlib stream of bytes) are not reported; the depth and size budgets stop
decoding without an error."""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from privwatch.attribution import Registry
from privwatch.detectors import DetectorRegistry
from privwatch.traffic.decode import MAX_DEPTH, Budget, expand
from privwatch.traffic.fields import MAX_BODY
from privwatch.traffic.har import read_entries
from privwatch.traffic.persona import Persona
from privwatch.traffic.scan import Flow, scan_har
from tests.hars import (
    EMAIL,
    NOISE,
    PERSONA,
    b64url,
    container_entries,
    entry,
    jwt,
    multipart,
    scan_with,
    write_har,
    write_persona,
)
from tests.test_cli import run
from tests.test_scan import persona_scan

DECOYS = (11, 12, 13, 14)


def _scan(tmp_path: Path, entries: list, *, persona: bool = True) -> list[Flow]:
    har = write_har(tmp_path / "containers.har", entries)
    return scan_har(
        har,
        site="shop.example.kr",
        detectors=DetectorRegistry.builtin(),
        registry=Registry.builtin(),
        persona=Persona.model_validate(PERSONA) if persona else None,
    ).flows


@pytest.fixture(scope="module")
def flows(tmp_path_factory: pytest.TempPathFactory) -> list[Flow]:
    return _scan(tmp_path_factory.mktemp("c"), container_entries())


@pytest.fixture(scope="module")
def detected(tmp_path_factory: pytest.TempPathFactory) -> list[Flow]:
    return _scan(tmp_path_factory.mktemp("d"), container_entries(), persona=False)


def found(flows: list[Flow], index: int, data_type: str) -> list[tuple[str, str, str]]:
    """(location, name, via) of each flow of ``data_type`` in entry ``index``."""
    return [
        (f.location, f.name, f.via)
        for f in flows
        if f.entry_index == index and f.data_type == data_type
    ]


@pytest.mark.parametrize(
    ("index", "data_type", "location", "name", "via"),
    [
        pytest.param(0, "email", "header", "Authorization",
                     "header Authorization → jwt payload → email (lowercase)", id="jwt-authorization"),
        pytest.param(1, "name", "cookie", "session",
                     "cookie session → jwt payload → name", id="jwt-cookie"),
        pytest.param(2, "phone", "query", "id_token",
                     "query id_token → jwt payload → phone (e164)", id="jwt-query"),
        pytest.param(3, "name", "body", "ctx.ck",
                     "body → base64 → json ctx.ck → jwt payload → name", id="jwt-in-cookie-line-in-base64-body"),
        pytest.param(4, "email", "websocket", "",
                     "websocket sent frame 1 → email (lowercase)", id="websocket-text-frame"),
        pytest.param(4, "phone", "websocket", "",
                     "websocket sent frame 2 → zlib → phone (digits)", id="websocket-binary-zlib-frame"),
        pytest.param(5, "email", "body", "",
                     "body → zlib → email (lowercase)", id="zlib-body"),
        pytest.param(6, "phone", "body", "",
                     "body → deflate → phone (digits)", id="raw-deflate-body"),
        pytest.param(7, "email", "body", "events[0].blob",
                     "body → json events[0].blob → base64 → gzip → email (lowercase)", id="gzip-base64-json-value"),
        pytest.param(8, "name", "body", "ud",
                     "body → json ud → base64url → name", id="base64url-json-value"),
        pytest.param(8, "device_id", "body", "ctx",
                     "body → json ctx → base64 → device_id", id="base64-json-value"),
        pytest.param(9, "email", "body", "contact",
                     "body multipart contact → email (lowercase)", id="multipart-after-binary-part"),
        pytest.param(9, "phone", "body", "meta",
                     "body multipart meta → phone", id="multipart-json-part"),
        pytest.param(10, "phone", "header", "X-Auth",
                     "header X-Auth → jwt payload → json ctx → base64 → phone (digits)", id="base64-in-jwt"),
    ],
)  # fmt: skip
def test_a_leak_in_each_container_is_found_at_its_path(
    flows: list[Flow], index: int, data_type: str, location: str, name: str, via: str
) -> None:
    assert (location, name, via) in found(flows, index, data_type)


def test_decoys_are_not_reported(flows: list[Flow], detected: list[Flow]) -> None:
    for result in (flows, detected):
        assert [f for f in result if f.entry_index in DECOYS] == []
    # nothing from a received frame: entry 4's first frame (index 0) was received
    assert not any("frame 0" in f.via for f in flows)


def test_detectors_alone_read_the_containers(detected: list[Flow]) -> None:
    kinds = {(f.entry_index, f.data_type, f.location, f.name) for f in detected}
    assert {
        (0, "email", "header", "Authorization"),
        (2, "phone", "query", "id_token"),
        (4, "email", "websocket", ""),
        (5, "phone", "body", ""),
        (6, "email", "body", ""),
        (7, "email", "body", "events[0].blob"),
        (9, "email", "body", "contact"),
        (10, "phone", "header", "X-Auth"),
    } <= kinds


def test_received_frames_are_not_kept(tmp_path: Path) -> None:
    har = write_har(tmp_path / "ws.har", container_entries())
    by_index = {e.index: e for e in read_entries(har)}
    assert [(f.index, f.opcode) for f in by_index[4].frames] == [(1, 1), (2, 2)]
    assert [f.index for f in by_index[13].frames] == [2]  # the ping; echoes dropped


def test_no_output_shows_a_container_value(tmp_path: Path, capsys) -> None:
    har = write_har(tmp_path / "c.har", container_entries())
    persona = write_persona(tmp_path / "p.yaml")
    secret = jwt({"sub": "u-1", "email": EMAIL})
    for fmt in ("table", "json", "html"):
        code, out, err = run(persona_scan(har, persona, fmt), capsys)
        assert code == 0, err
        for value in (EMAIL, "01023456789", "+821023456789", "김하늘", secret):
            assert value.lower() not in (out + err).lower(), (fmt, value)
        if fmt == "json":
            vias = {f["via"] for f in json.loads(out)["flows"]}
            assert "cookie session → jwt payload → name" in vias


def _wrapped(levels: int) -> str:
    text = json.dumps({"e": EMAIL})
    for _ in range(levels):
        text = base64.b64encode(text.encode()).decode()
    return text


def test_depth_budget_stops_quietly() -> None:
    within = [o.text for o in expand(_wrapped(MAX_DEPTH), Budget())]
    assert any(EMAIL in text for text in within)
    beyond = [o.text for o in expand(_wrapped(MAX_DEPTH + 2), Budget())]
    assert len(beyond) == MAX_DEPTH and not any(EMAIL in text for text in beyond)


def test_size_budget_stops_quietly(tmp_path: Path) -> None:
    small = Budget(1000)
    assert list(expand(base64.b64encode(b"x" * 2000).decode(), small)) == []
    assert small.left == 0  # and nothing more is opened in that request
    assert list(expand(_wrapped(1), small)) == []
    # zlib bombs (64 MB) in a body (zeros: binary) and in a JSON value (text:
    # past the budget, so not opened, and a warning names the entry)
    bomb = zlib.compress(b"\0" * (64 << 20) + EMAIL.encode(), 9)
    text_bomb = zlib.compress(b" " * (64 << 20) + EMAIL.encode(), 9)
    bodies = [
        entry("https://rs.tracker.example/a", method="POST", mime="application/octet-stream",
              body=base64.b64encode(bomb).decode(), encoding="base64"),
        entry("https://rs.tracker.example/b", method="POST",
              body=json.dumps({"z": base64.b64encode(text_bomb).decode()})),
    ]  # fmt: skip
    har = write_har(tmp_path / "bomb.har", bodies)
    result = scan_with(har, PERSONA, site="x.example")
    assert result.flows == []
    assert result.warnings == [("scan.decode_budget", {"index": 1, "limit": 8})]


def test_a_binary_first_part_no_longer_drops_the_body(tmp_path: Path) -> None:
    """Before issue 19 a NUL byte early in a multipart body dropped it whole."""
    flows = _scan(tmp_path, [container_entries()[9]])
    assert {f.name for f in flows if f.source == "persona"} == {"contact", "meta"}
    assert NOISE  # the binary part itself is never read as text


def test_a_boundary_keeps_its_case(tmp_path: Path) -> None:
    """Chrome's boundaries mix cases (----WebKitFormBoundaryAbC...); the content
    type was lower-cased before the boundary was read, so no part was found."""
    boundary = "----WebKitFormBoundaryQ7xYzAbC"
    parts = multipart(
        [("photo", "image/jpeg", b"\xff\xd8\0" * 200),
         ("contact", "text/plain", EMAIL.encode())],
        boundary,
    )  # fmt: skip
    flows = _scan(tmp_path, [entry("https://www.shop.example.kr/review", method="POST",
                  mime=f"multipart/form-data; boundary={boundary}", body=parts)])  # fmt: skip
    assert [(f.data_type, f.name) for f in flows if f.source == "persona"] == [
        ("email", "contact")
    ]


def _big(prefix: bytes, size: int) -> bytes:
    return prefix + b" " * size


def test_a_body_over_the_limit_is_read_up_to_it_and_named(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 4 of issue 19: past MAX_BODY a body is scanned up to the limit and
    a warning names the entry (before, an inflated body over the limit was
    dropped and a plain one cut without a word). The limit is lowered to 1 MB
    here: 16 MB of text costs the detectors seconds."""
    from privwatch.traffic import fields

    monkeypatch.setattr(fields, "MAX_BODY", 1 << 20)
    identity = json.dumps({"email": EMAIL}).encode() + b"\n"
    over = (1 << 20) + 1024
    entries = [
        entry("https://rs.tracker.example/small", method="POST", body='{"a": 1}'),
        entry(  # gzip announced by Content-Encoding
            "https://rs.tracker.example/gz",
            method="POST",
            headers=[("Content-Encoding", "gzip")],
            body=base64.b64encode(gzip.compress(_big(identity, over), 1)).decode(),
            encoding="base64",
        ),
        entry(  # a zlib stream no header announced
            "https://rs.tracker.example/z",
            method="POST",
            mime="application/octet-stream",
            body=base64.b64encode(zlib.compress(_big(identity, over), 1)).decode(),
            encoding="base64",
        ),
    ]
    har = write_har(tmp_path / "big.har", entries)
    persona = write_persona(tmp_path / "p.yaml")
    argv = ["scan", str(har), "--persona", str(persona), "--site", "x.example"]
    code, out, err = run([*argv, "-f", "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert {f["entry_index"] for f in data["flows"] if f["data_type"] == "email"} == {
        1,
        2,
    }
    cut = [w for w in data["warnings"] if w["warning"] == "scan.body_cut"]
    assert [w["index"] for w in cut] == ["1", "2"]
    assert "entry 1 sends a body over 1 MB; scanned its first 1 MB only" in err
    assert MAX_BODY == 16 << 20  # the limit itself


def test_a_plain_body_cut_at_the_limit_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from privwatch.traffic import fields

    monkeypatch.setattr(fields, "MAX_BODY", 200)
    late = "x" * 300 + EMAIL
    parts = multipart([("file", "application/octet-stream", b"\0" * 500),
                       ("note", "text/plain", (EMAIL + " " * 300).encode())])  # fmt: skip
    entries = [
        entry("https://a.example/1", method="POST", mime="text/plain", body=late),
        entry("https://a.example/2", method="POST", mime="text/plain", body=EMAIL),
        entry("https://a.example/3", method="POST",
              mime="multipart/form-data; boundary=pw19", body=parts),
    ]  # fmt: skip
    warnings: list[tuple[str, dict]] = []
    texts = {}
    for item in read_entries(write_har(tmp_path / "cut.har", entries)):
        got = fields.request_fields(item, lambda k, p: warnings.append((k, p)))
        texts[item.index] = " ".join(f.text for f in got)
    assert [(k, p["index"]) for k, p in warnings] == [
        ("scan.body_cut", 0),
        ("scan.body_cut", 2),
    ]
    assert EMAIL not in texts[0] and EMAIL in texts[1] and EMAIL in texts[2]


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(min_size=16),
        st.binary(min_size=12).map(lambda b: base64.b64encode(b).decode()),
        st.binary(min_size=12).map(lambda b: b64url(zlib.compress(b))),
        st.recursive(
            st.text(min_size=16),
            lambda inner: (
                st.lists(inner, max_size=4).map(json.dumps)
                | inner.map(lambda t: b64url(t.encode()))
                | inner.map(lambda t: jwt({"c": t}))
            ),
            max_leaves=8,
        ),
    )
)
def test_expand_returns_within_its_bounds(value: str) -> None:
    budget = Budget(1 << 16)
    opened = list(expand(value, budget))
    assert budget.left >= 0
    assert sum(len(o.text) for o in opened) <= 1 << 16
    assert all(len(o.kinds) <= MAX_DEPTH for o in opened)


def test_json_written_as_a_string_is_walked_under_the_full_path() -> None:
    inner = json.dumps(
        {"x": base64.b64encode(json.dumps({"e": EMAIL}).encode()).decode()}
    )
    opened = list(expand(json.dumps({"d": inner, "l": [inner]}), Budget()))
    assert [(o.path, o.steps) for o in opened] == [
        ("d.x", ("json d", "json x", "base64")),
        ("l[0].x", ("json l[0]", "json x", "base64")),
    ]
    assert all(EMAIL in o.text for o in opened)


def test_an_authorization_value_in_basic_is_opened(tmp_path: Path) -> None:
    basic = base64.b64encode(f"{EMAIL}:pa55word".encode()).decode()
    flows = _scan(
        tmp_path,
        [entry("https://a.example/", headers=[("Authorization", f"Basic {basic}")])],
    )
    assert (
        "header",
        "Authorization",
        "header Authorization → base64 → email (lowercase)",
    ) in found(flows, 0, "email")
