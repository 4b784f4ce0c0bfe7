"""The behaviour checks (traffic/behaviour) on a HAR and its page record,
written here: planted behaviour found with its exact evidence, decoys and a
clean control producing nothing; through the CLI (scan, JSON/table/HTML)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.hars import EMAIL, PERSONA, entry

SRC = str(Path(__file__).resolve().parents[1] / "src")
SITE = "www.shop.example.kr"
T0 = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)
KST = timedelta(hours=9)


def at(seconds: float, *, kst: bool = False) -> str:
    """A time ``seconds`` after T0, in UTC or in Korean time (same instant)."""
    moment = T0 + timedelta(seconds=seconds)
    if kst:
        from datetime import timezone

        return moment.astimezone(timezone(KST)).isoformat(timespec="milliseconds")
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def timed(
    seconds: float, url: str, *, set_cookie: list[str] | None = None, **kw: Any
) -> dict[str, Any]:
    item = entry(url, **kw)
    item["startedDateTime"] = at(seconds, kst=True)  # the HAR in +09:00
    item["response"]["headers"] = [
        {"name": "Set-Cookie", "value": v} for v in set_cookie or []
    ]
    return item


def initiated(item: dict[str, Any]) -> dict[str, Any]:
    """Chrome's note of the script that started the request."""
    frames = [
        {"functionName": "", "url": "", "lineNumber": 0},
        {
            "functionName": "send",
            "url": "https://cdn.keylog-example.net/k.js?v=3",
            "lineNumber": 9,
        },
    ]
    item["_initiator"] = {"type": "script", "stack": {"callFrames": frames}}
    return item


def rrweb_body() -> str:
    """A replay upload: a full snapshot (a node tree) and two mutations."""

    def element(tag: str, children: list[Any], ident: int) -> dict[str, Any]:
        return {
            "type": 2,
            "tagName": tag,
            "attributes": {},
            "childNodes": children,
            "id": ident,
        }

    items = [
        element("li", [{"type": 3, "textContent": "상품", "id": 100 + i}], 10 + i)
        for i in range(6)
    ]
    tree = {
        "type": 0,
        "childNodes": [
            element("html", [element("body", [element("ul", items, 5)], 4)], 3)
        ],
        "id": 1,
    }
    events = [
        {"type": 4, "data": {"href": f"https://{SITE}/", "width": 800}, "timestamp": 1},
        {
            "type": 2,
            "data": {"node": tree, "initialOffset": {"top": 0}},
            "timestamp": 2,
        },
        {
            "type": 3,
            "data": {"source": 0, "adds": [], "removes": [{"id": 11}], "texts": []},
            "timestamp": 3,
        },
        {"type": 3, "data": {"source": 5, "text": "*****", "id": 7}, "timestamp": 4},
    ]
    return json.dumps({"events": events, "sid": "s1"}, ensure_ascii=False)


def analytics_decoy() -> str:
    """Events with types and timestamps, no page in them: not a recording."""
    events = [
        {
            "type": i,
            "timestamp": 1000 + i,
            "data": {"page": "/", "title": "childNodes tagName"},
        }
        for i in range(5)
    ]
    return json.dumps({"batch": events})


def planted_har() -> list[dict[str, Any]]:
    third = "https://collect.keylog-example.net/k"
    return [
        timed(0, f"https://{SITE}/", ip="223.130.195.95"),  # 0
        initiated(
            timed(1.5, third, method="POST", body=json.dumps({"v": EMAIL}))
        ),  # 1 keylogging
        timed(
            1.6, f"https://{SITE}/api/check?email={EMAIL}", ip="223.130.195.95"
        ),  # 2 first party
        timed(
            0.2, third, method="POST", body=json.dumps({"v": EMAIL})
        ),  # 3 before typing: decoy
        timed(
            11, third, method="POST", body=json.dumps({"v": EMAIL})
        ),  # 4 after submit: decoy
        timed(0.1, "https://static.hotjar.com/c/hotjar-1.js?sv=6"),  # 5 replay script
        timed(
            4,
            "https://in.hotjar.com/api/v2/client/rec",
            method="POST",
            body=rrweb_body(),
        ),  # 6
        timed(
            4.5,
            "https://stats.analytics-example.net/batch",
            method="POST",
            body=analytics_decoy(),
        ),  # 7 decoy
        timed(
            4.6,
            f"https://{SITE}/log",
            method="POST",
            body='{"note": "rrweb childNodes tagName"}',
            ip="223.130.195.95",
        ),  # 8 decoy
        timed(
            3,
            "https://ad.doubleclick.net/pixel?u=1",
            ip="142.250.1.1",
            set_cookie=["IDE=AHWq; Domain=.doubleclick.net; Path=/; Secure"],
        ),  # 9 after reject + third-party cookie
        timed(
            0.3, "https://www.facebook.com/tr?id=1&ev=PageView", ip="157.240.1.35"
        ),  # 10 before reject
        timed(
            0.4,
            f"https://{SITE}/session",
            ip="223.130.195.95",
            set_cookie=["sid=1; Path=/"],
        ),  # 11 first-party cookie
        timed(
            5, "https://static.criteo.net/js/ld/publishertag.js", ip="178.250.1.1"
        ),  # 12 bare fetch: not "data sent"
    ]


def planted_record(har_sha: str = "") -> dict[str, Any]:
    third_js = "https://cdn.fp-example.net/fp.js"
    return {
        "schema": "privwatch.record/1",
        "url": f"https://{SITE}/",
        "started_at": at(0),
        "ended_at": at(20),
        "consent_run": "reject",
        "har": "session.har",
        "har_sha256": har_sha,
        "persona_keys": ["email", "phone"],
        "steps": [
            {
                "index": 0,
                "action": "goto",
                "target": f"https://{SITE}/",
                "started_at": at(0),
                "ended_at": at(1),
                "ok": True,
                "error": "",
                "screenshot": None,
            }
        ],
        "events": [
            {
                "t": at(0.5),
                "kind": "consent",
                "banner": True,
                "action": "reject",
                "button_text": "모두 거부",
            },
            {
                "t": at(1.0),
                "kind": "input",
                "field": "이메일",
                "persona_key": "email",
                "step": 1,
            },
            {
                "t": at(2.0),
                "kind": "input",
                "field": "휴대폰",
                "persona_key": "phone",
                "step": 1,
            },
            {"t": at(10), "kind": "submit", "selector": "form#join", "step": 2},
            {
                "t": at(1.1),
                "kind": "api_call",
                "api": "canvas.fillText",
                "script": third_js,
                "count": 2,
            },
            {
                "t": at(1.2),
                "kind": "api_call",
                "api": "canvas.toDataURL",
                "script": third_js,
                "count": 1,
            },
            {
                "t": at(1.3),
                "kind": "api_call",
                "api": "webgl.getParameter:UNMASKED_RENDERER_WEBGL",
                "script": third_js,
                "count": 1,
            },
            {
                "t": at(1.4),
                "kind": "api_call",
                "api": "audio.OfflineAudioContext",
                "script": third_js,
                "count": 1,
            },
            {
                "t": at(1.5),
                "kind": "api_call",
                "api": "audio.createOscillator",
                "script": third_js,
                "count": 1,
            },
            # the shop's own image code reads a canvas back: weak, review
            {
                "t": at(1.6),
                "kind": "api_call",
                "api": "canvas.getImageData",
                "script": f"https://{SITE}/app.js",
                "count": 3,
            },
            # decoy: a map drawing with WebGL asks ordinary parameters
            {
                "t": at(1.7),
                "kind": "api_call",
                "api": "webgl.getParameter:MAX_TEXTURE_SIZE",
                "script": "https://maps.example.org/gl.js",
                "count": 9,
            },
        ],
        "cookies": [
            {
                "name": "uid",
                "domain": ".criteo.com",
                "path": "/",
                "third_party": True,
                "expires": 1796000000,
            },
            {
                "name": "_shop",
                "domain": f".{SITE}",
                "path": "/",
                "third_party": False,
                "expires": None,
            },
        ],
    }


def write(
    tmp: Path, entries: list[dict[str, Any]], record: dict[str, Any] | None
) -> Path:
    har = tmp / "session.har"
    har.write_text(
        json.dumps({"log": {"version": "1.2", "entries": entries}}, ensure_ascii=False),
        "utf-8",
    )
    if record is not None:
        (tmp / "session.record.json").write_text(
            json.dumps(record, ensure_ascii=False), "utf-8"
        )
    persona = tmp / "persona.yaml"
    persona.write_text(
        f"name: {PERSONA['name']}\nemail: {PERSONA['email']}\nphone: '{PERSONA['phone']}'\n",
        "utf-8",
    )
    return har


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC, "COLUMNS": "250"}
    return subprocess.run(
        [sys.executable, "-m", "privwatch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def scan_json(har: Path, *extra: str) -> dict[str, Any]:
    done = run(
        "scan",
        str(har),
        "--site",
        SITE,
        "--persona",
        str(har.parent / "persona.yaml"),
        "--format",
        "json",
        *extra,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("planted")
    har = write(tmp, planted_har(), planted_record())
    return scan_json(har)["behaviour"]


def items(behaviour: dict[str, Any], check: str) -> list[dict[str, Any]]:
    return [i for i in behaviour["items"] if i["check"] == check]


def test_keylogging_before_submit_with_exact_evidence(planted: dict[str, Any]) -> None:
    found = items(planted, "keylogging")
    assert found == [
        {
            "check": "keylogging",
            "certainty": "certain",
            "entry_index": 1,
            "url": "https://collect.keylog-example.net/k",
            "script": "https://cdn.keylog-example.net/k.js",
            "host": "collect.keylog-example.net",
            "organization": None,
            "party": "third",
            "persona_key": "email",
            "encoding": "lowercase",
            "location": "body",
            "name": "",
            "t": "2026-12-01T10:00:01.500+00:00",
            "frame": None,
            "input_field": "이메일",
            "input_t": "2026-12-01T10:00:01.000+00:00",
            "submit_t": "2026-12-01T10:00:10.000+00:00",
        }
    ]
    first = items(planted, "keylogging_first_party")
    assert [(i["entry_index"], i["persona_key"], i["certainty"]) for i in first] == [
        (2, "email", "review")
    ]


def test_session_replay_library_and_dom_upload(planted: dict[str, Any]) -> None:
    replay = {
        (i["vendor_id"], i["role"], i["entry_index"])
        for i in items(planted, "session_replay")
    }
    assert replay == {("hotjar", "script", 5), ("hotjar", "collect", 6)}
    dom = items(planted, "dom_upload")
    assert [
        (d["entry_index"], d["shape"], d["events"], d["mutations"], d["vendor"])
        for d in dom
    ] == [(6, "event-stream", 4, 1, "Hotjar")]
    assert dom[0]["nodes"] == 9 and dom[0]["depth"] == 4


def test_fingerprinting_by_script(planted: dict[str, Any]) -> None:
    found = {
        (i["technique"], i["script"], i["certainty"], i["party"])
        for i in items(planted, "fingerprinting")
    }
    third = "https://cdn.fp-example.net/fp.js"
    assert found == {
        ("canvas", third, "certain", "third"),
        ("webgl", third, "certain", "third"),
        ("audio", third, "certain", "third"),
        ("canvas", f"https://{SITE}/app.js", "review", "first"),
    }
    canvas = next(
        i
        for i in items(planted, "fingerprinting")
        if i["technique"] == "canvas" and i["certainty"] == "certain"
    )
    assert canvas["calls"] == {"canvas.fillText": 2, "canvas.toDataURL": 1}


def test_third_party_cookies(planted: dict[str, Any]) -> None:
    found = [
        (i["name"], i["domain"], i["organization"], i["entry_index"], i["source"])
        for i in items(planted, "third_party_cookie")
    ]
    assert found == [
        ("uid", "criteo.com", "Criteo S.A.", None, "record"),
        ("IDE", "doubleclick.net", found[1][2], 9, "set-cookie"),
    ]
    assert found[1][2]  # Google, named by the registry


def test_after_reject_only_requests_sending_data(planted: dict[str, Any]) -> None:
    found = items(planted, "after_reject")
    assert [
        (i["entry_index"], i["host"], i["consent_t"], i["button_text"]) for i in found
    ] == [(9, "ad.doubleclick.net", "2026-12-01T10:00:00.500+00:00", "모두 거부")]
    assert items(planted, "before_consent") == []


def test_before_consent_in_the_none_run(tmp_path: Path) -> None:
    record = planted_record()
    record["consent_run"] = "none"
    record["events"] = [e for e in record["events"] if e["kind"] != "consent"]
    behaviour = scan_json(write(tmp_path, planted_har(), record))["behaviour"]
    found = [(i["entry_index"], i["host"]) for i in items(behaviour, "before_consent")]
    assert found == [(9, "ad.doubleclick.net"), (10, "www.facebook.com")]
    assert items(behaviour, "after_reject") == []


def test_a_single_run_is_judged_by_its_consent_events(tmp_path: Path) -> None:
    """A record of one run (consent_run null: ``audit --record``) whose banner
    was left unanswered is the "none" run; one that clicked "reject all" is
    the reject run; one with no banner has neither check."""
    record = planted_record()
    record["consent_run"] = None
    for event in record["events"]:
        if event["kind"] == "consent":
            event.update(action="none", button_text="")
    behaviour = scan_json(write(tmp_path, planted_har(), record))["behaviour"]
    found = [(i["entry_index"], i["host"]) for i in items(behaviour, "before_consent")]
    assert found == [(9, "ad.doubleclick.net"), (10, "www.facebook.com")]
    assert items(behaviour, "after_reject") == []
    assert behaviour["record"]["consent_as"] == "none"
    record = planted_record()
    record["consent_run"] = None
    (tmp_path / "r").mkdir()
    behaviour = scan_json(write(tmp_path / "r", planted_har(), record))["behaviour"]
    assert [i["entry_index"] for i in items(behaviour, "after_reject")] == [9]
    for event in record["events"]:
        if event["kind"] == "consent":
            event.update(banner=False, action="none", button_text="")
    (tmp_path / "n").mkdir()
    behaviour = scan_json(write(tmp_path / "n", planted_har(), record))["behaviour"]
    assert not items(behaviour, "after_reject") and not items(
        behaviour, "before_consent"
    )


def test_clean_control_reports_nothing(tmp_path: Path) -> None:
    entries = [
        timed(0, f"https://{SITE}/", ip="223.130.195.95"),
        timed(0.5, f"https://{SITE}/static/app.js", ip="223.130.195.95"),
        timed(
            12,
            f"https://{SITE}/join",
            method="POST",
            body=json.dumps({"email": EMAIL}),
            ip="223.130.195.95",
        ),
        timed(
            13,
            "https://stats.analytics-example.net/batch",
            method="POST",
            body=analytics_decoy(),
        ),
    ]
    record = planted_record()
    record["events"] = [
        e for e in record["events"] if e["kind"] in ("input", "submit", "consent")
    ]
    record["cookies"] = [
        {
            "name": "_shop",
            "domain": f".{SITE}",
            "path": "/",
            "third_party": False,
            "expires": None,
        }
    ]
    behaviour = scan_json(write(tmp_path, entries, record))["behaviour"]
    assert behaviour["items"] == []
    assert set(behaviour["counts"].values()) == {0}


def test_without_a_record_there_is_no_behaviour(tmp_path: Path) -> None:
    assert "behaviour" not in scan_json(write(tmp_path, planted_har(), None))


def test_record_file_option_table_and_html(tmp_path: Path) -> None:
    har = write(tmp_path, planted_har(), None)
    record = tmp_path / "other.json"
    record.write_text(json.dumps(planted_record()), "utf-8")
    base = [
        "scan",
        str(har),
        "--site",
        SITE,
        "--persona",
        str(tmp_path / "persona.yaml"),
        "--record-file",
        str(record),
    ]
    table = run(*base, "--format", "table")
    assert table.returncode == 0, table.stderr
    assert "typed data sent before submit" in table.stdout and "Hotjar" in table.stdout
    ko = run("--lang", "ko", *base, "--format", "table")
    assert ko.returncode == 0, ko.stderr
    assert "제출 전 입력값 전송" in ko.stdout and "브라우저 핑거프린팅" in ko.stdout
    html = run(*base, "--format", "html")
    assert html.returncode == 0, html.stderr
    assert (
        '<section id="behaviour">' in html.stdout and 'href="#behaviour"' in html.stdout
    )
    assert html.stdout.index('id="behaviour"') < html.stdout.index(
        '<section id="about">'
    )


def test_bad_or_mismatched_record_is_one_line_exit_2(tmp_path: Path) -> None:
    har = write(tmp_path, planted_har(), {"schema": "other/1"})
    done = run("scan", str(har), "--site", SITE)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "page record" in done.stderr
    (tmp_path / "session.record.json").write_text(
        json.dumps(planted_record("ab" * 32)), "utf-8"
    )
    done = run("scan", str(har), "--site", SITE)
    assert done.returncode == 2 and "another HAR" in done.stderr


POLICY = """# 개인정보 처리방침

## 제1조(개인정보의 처리 목적)

회사는 회원 가입과 주문 처리를 위하여 개인정보를 처리합니다.

## 제2조(처리하는 개인정보의 항목)

이메일, 휴대전화번호를 처리합니다.
"""


def audit(tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    policy = tmp / "policy.md"
    policy.write_text(POLICY, "utf-8")
    har = tmp / "session.har"
    return run(
        "audit",
        str(policy),
        "--traffic",
        str(har),
        "--site",
        SITE,
        "--persona",
        str(tmp / "persona.yaml"),
        *extra,
    )


def test_audit_reads_the_record_beside_the_har(tmp_path: Path) -> None:
    write(tmp_path, planted_har(), planted_record())
    done = audit(tmp_path, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    refused = [
        f for f in data["findings"] if f["rule"] == "kr-pipa.15.sent_after_refusal"
    ]
    assert len(refused) == 1
    assert refused[0]["certainty"] == "review" and refused[0]["article"] == "15(1)"
    assert refused[0]["evidence"] == [{"entry_index": 9, "host": "ad.doubleclick.net"}]
    assert "reject all" in refused[0]["title"]
    kinds = {
        f["attrs"]["check"] for f in data["facts"]["all"] if f["kind"] == "behaviour"
    }
    assert {
        "keylogging",
        "session_replay",
        "dom_upload",
        "fingerprinting",
        "after_reject",
    } <= kinds
    assert data["behaviour"]["counts"]["after_reject"] == 1
    ko = audit(tmp_path, "--format", "json")
    html = run(
        "--lang",
        "ko",
        "audit",
        str(tmp_path / "policy.md"),
        "--traffic",
        str(tmp_path / "session.har"),
        "--site",
        SITE,
        "--persona",
        str(tmp_path / "persona.yaml"),
        "--format",
        "html",
    )
    assert ko.returncode == 0 and html.returncode == 0, html.stderr
    page = html.stdout
    assert '<section id="behaviour">' in page and "페이지가 한 일" in page
    assert page.index('id="behaviour"') < page.index('<section id="policy">')
    assert "모두 거부" in page


def test_audit_without_a_record_or_with_accept_has_no_refusal_finding(
    tmp_path: Path,
) -> None:
    write(tmp_path, planted_har(), None)
    data = json.loads(audit(tmp_path, "--format", "json").stdout)
    assert "behaviour" not in data
    assert not [
        f for f in data["findings"] if f["rule"] == "kr-pipa.15.sent_after_refusal"
    ]
    record = planted_record()
    record["consent_run"] = "accept"
    record["events"][0]["action"] = "accept"
    other = tmp_path / "accept.json"
    other.write_text(json.dumps(record), "utf-8")
    data = json.loads(
        audit(tmp_path, "--format", "json", "--record-file", str(other)).stdout
    )
    assert data["behaviour"]["counts"]["after_reject"] == 0
    assert not [
        f for f in data["findings"] if f["rule"] == "kr-pipa.15.sent_after_refusal"
    ]


def test_record_file_without_traffic_is_a_usage_error(tmp_path: Path) -> None:
    policy = tmp_path / "policy.md"
    policy.write_text(POLICY, "utf-8")
    done = run("audit", str(policy), "--record-file", str(tmp_path / "x.json"))
    assert (
        done.returncode == 2
        and "--traffic" in done.stderr
        and "Traceback" not in done.stderr
    )


def limits() -> Any:
    from privwatch.traffic.behaviour.checks import data
    from privwatch.traffic.behaviour.dom import Limits

    settings = dict(data()["session_replay"]["dom_upload"])
    settings["html_tags"] = frozenset(settings["html_tags"])
    return Limits(**settings)


def test_dom_judge_by_structure_not_keywords() -> None:
    from privwatch.traffic.behaviour.dom import judge

    def el(tag: str, kids: list[Any]) -> dict[str, Any]:
        return {"tagName": tag, "childNodes": kids}

    page = el("html", [el("body", [el("div", [el("p", []) for _ in range(7)])])])
    found = judge({"snapshot": page}, limits())
    assert found is not None and (found.shape, found.nodes, found.depth) == (
        "node-tree",
        10,
        4,
    )
    # a category menu: tags and children, but no HTML element among them
    menu = {
        "tag": "menu",
        "children": [
            {"tag": f"cat{i}", "children": [{"tag": "sub", "children": []}]}
            for i in range(9)
        ],
    }
    assert judge(menu, limits()) is None
    # analytics events: types, timestamps and data, no page and no mutation
    events = [
        {"type": 1, "timestamp": i, "data": {"name": "view", "childNodes": "x"}}
        for i in range(10)
    ]
    assert judge({"events": events}, limits()) is None
    # a page too shallow to be a recording (a rich-text snippet)
    assert judge(el("p", [el("b", []), el("i", [])]), limits()) is None
    assert judge("rrweb tagName childNodes", limits()) is None
    # deep nesting is cut, not a crash
    deep: Any = []
    for _ in range(5000):
        deep = [deep]
    assert judge(deep, limits()) is None


def test_replay_hosts_match_whole_labels() -> None:
    from privwatch.traffic.behaviour.checks import _vendor

    assert (
        _vendor("static.hotjar.com", "https://static.hotjar.com/c/x.js")[1] == "script"
    )
    assert _vendor("nothotjar.com", "https://nothotjar.com/") is None
    assert (
        _vendor("hotjar.com.evil.example", "https://hotjar.com.evil.example/") is None
    )
    # Yandex's counter is not Webvisor unless the path says so
    assert _vendor("mc.yandex.ru", "https://mc.yandex.ru/watch/1") is None
    assert (
        _vendor("mc.yandex.ru", "https://mc.yandex.ru/webvisor/1")[0]["id"]
        == "yandex-webvisor"
    )


def test_keylogging_over_a_socket_opened_before_typing(tmp_path: Path) -> None:
    """The socket's request started before the typing; the frame carrying
    the phone number left after it: the frame's time decides."""
    socket = timed(0.1, "wss://ws.replay-example.net/live", ip="47.246.1.1")
    epoch = T0.timestamp()
    socket["_webSocketMessages"] = [
        {"type": "send", "time": epoch + 0.15, "opcode": 1, "data": '{"hello": 1}'},
        {"type": "receive", "time": epoch + 0.2, "opcode": 1, "data": "ok"},
        {
            "type": "send",
            "time": epoch + 2.5,
            "opcode": 1,
            "data": '{"k": "01023456789"}',
        },
    ]
    record = planted_record()
    record["events"] = [e for e in record["events"] if e["kind"] in ("input", "submit")]
    behaviour = scan_json(write(tmp_path, [socket], record))["behaviour"]
    found = [
        (i["entry_index"], i["persona_key"], i["frame"], i["t"], i["input_t"])
        for i in items(behaviour, "keylogging")
    ]
    assert found == [
        (
            0,
            "phone",
            2,
            "2026-12-01T10:00:02.500+00:00",
            "2026-12-01T10:00:02.000+00:00",
        )
    ]


def test_compressed_dom_upload_is_opened(tmp_path: Path) -> None:
    import base64
    import gzip

    def packed(text: str) -> str:
        return base64.b64encode(gzip.compress(text.encode())).decode()

    entries = [
        timed(
            4,
            f"https://rec.{SITE.split('.', 1)[1]}/r",
            method="POST",
            body=packed(rrweb_body()),
            encoding="base64",
            headers=[("Content-Encoding", "gzip")],
            ip="223.130.195.95",
        ),
        timed(
            5,
            "https://stats.analytics-example.net/b",
            method="POST",
            body=packed(analytics_decoy()),
            encoding="base64",
            headers=[("Content-Encoding", "gzip")],
        ),
    ]
    record = planted_record()
    record["events"], record["cookies"] = [], []
    behaviour = scan_json(write(tmp_path, entries, record))["behaviour"]
    dom = items(behaviour, "dom_upload")
    assert [
        (d["entry_index"], d["party"], d["decoding"], d["vendor"]) for d in dom
    ] == [(0, "first", "gzip", None)]
    assert len(behaviour["items"]) == 1


def test_no_persona_value_in_clear_in_the_evidence(planted: dict[str, Any]) -> None:
    text = json.dumps(planted, ensure_ascii=False).lower()
    assert (
        EMAIL not in text and "01023456789" not in text and "010-2345-6789" not in text
    )
    first = items(planted, "keylogging_first_party")[0]
    assert first["url"] == f"https://{SITE}/api/check"


def test_missing_record_file_and_audit_table(tmp_path: Path) -> None:
    har = write(tmp_path, planted_har(), None)
    done = run(
        "scan", str(har), "--site", SITE, "--record-file", str(tmp_path / "nope.json")
    )
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "nope.json" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "session.record.json").write_text(json.dumps(planted_record()), "utf-8")
    table = audit(tmp_path)
    assert table.returncode == 0, table.stderr
    assert (
        "What the page did" in table.stdout
        and "sent to advertising after" in table.stdout
    )
    assert (
        "kr-pipa.15.sent_after_refusal" in table.stdout or "reject all" in table.stdout
    )


def test_record_file_without_traffic_for_several_documents(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(POLICY, "utf-8")
    done = run(
        "audit",
        str(tmp_path / "a.md"),
        str(tmp_path / "b.md"),
        "--record-file",
        str(tmp_path / "x.json"),
    )
    assert done.returncode == 2 and "--traffic" in done.stderr
