"""privwatch record drives the system Chromium against a loopback shop: no
mocks. The tracker is served under its real name (www.google-analytics.com)
through PRIVWATCH_HOST_RULES, its mapped address checked by the address
policy (loopback allowed for the tests only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from privwatch.errors import InputError
from privwatch.ingest.render import find_chromium
from privwatch.record import record_site
from privwatch.record.browser import host_rules
from privwatch.record.journey import Journey, load_journey
from privwatch.record.vocab import consent_buttons, journey_words
from privwatch.traffic.persona import load_persona
from tests import record_shop

ROOT = Path(__file__).resolve().parent.parent
PERSONA = """name: 김하늘
email: haneul.kim@example.com
phone: 010-2345-6789
address: 서울특별시 종로구 세종대로 1
"""


@pytest.fixture(scope="module")
def shop() -> Iterator[str]:
    if find_chromium() is None:
        pytest.fail("no Chromium found: install it or set PRIVWATCH_CHROMIUM")
    server = record_shop.start()
    port = server.server_address[1]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(
            "PRIVWATCH_HOST_RULES", f"MAP www.google-analytics.com 127.0.0.1:{port}"
        )
        yield f"http://127.0.0.1:{port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def persona(tmp_path: Path) -> Path:
    path = tmp_path / "persona.yaml"
    path.write_text(PERSONA, "utf-8")
    return path


def test_consent_button_words_and_their_examples() -> None:
    buttons = consent_buttons()
    for kind in ("reject", "accept"):
        for text in getattr(buttons.examples, kind):
            assert buttons.kind(text) == kind, text
    for text in buttons.examples.neither:
        assert buttons.kind(text) is None, text


def test_field_words() -> None:
    words = journey_words()

    def kind(**described: str) -> str | None:
        found = words.field_kind(described)
        return found.kind if found else None

    assert kind(name="user_email") == "email"
    assert kind(type="tel") == "phone"
    assert kind(text="휴대폰 번호") == "phone"
    assert kind(name="mem_name") == "name"
    assert kind(type="search", name="keyword") == "search"
    assert kind(autocomplete="street-address") == "address"
    assert kind(name="coupon_code") is None
    assert words.link_kind("회원가입", "/member/join") == "signup"
    assert words.link_kind("면 티셔츠", "/goods/1") == "product"


def test_split_korean_fields_take_their_part() -> None:
    from privwatch.record.pageops import split_part

    second = split_part("HP_2")
    assert second is not None and second.persona_key == "phone"
    assert second.value("010-2345-6789") == "2345"
    assert second.value("01023456789") == "2345"
    last = split_part("hp3")
    assert last is not None and last.value("010-234-5678") == "5678"
    domain = split_part("email2")
    assert (
        domain is not None and domain.value("haneul.kim@example.com") == "example.com"
    )
    assert split_part("user_name") is None


def test_host_rules_are_checked() -> None:
    rules = host_rules("MAP www.google-analytics.com 127.0.0.1:8080")
    assert rules["www.google-analytics.com"].port == 8080
    with pytest.raises(InputError):
        host_rules("EXCLUDE example.com")
    with pytest.raises(InputError):
        host_rules("MAP example.com not-an-address")


def _events(record: dict[str, object], kind: str) -> list[dict[str, object]]:
    events = record["events"]
    assert isinstance(events, list)
    return [e for e in events if e["kind"] == kind]


def test_consent_runs_record_the_journey(
    shop: str, persona: Path, tmp_path: Path
) -> None:
    runs = record_site(shop, load_persona(persona), tmp_path / "session.har")
    assert [r.consent_run for r in runs] == ["none", "reject", "accept"]
    for run in runs:
        assert run.har.name == f"session.{run.consent_run}.har"
        record = json.loads(run.record.read_text("utf-8"))
        assert record["schema"] == "privwatch.record/1"
        assert record["consent_run"] == run.consent_run
        assert record["har"] == run.har.name
        for step in record["steps"]:
            assert step["ok"], step
            assert (tmp_path / step["screenshot"]).read_bytes()[:4] == b"\x89PNG"
        consent = _events(record, "consent")
        assert consent[0]["banner"] is True
        assert consent[0]["action"] == run.consent_run
        har = json.loads(run.har.read_text("utf-8"))
        urls = [e["request"]["url"] for e in har["log"]["entries"]]
        assert "http://www.google-analytics.com/analytics.js" in urls
        keys = [
            e for e in har["log"]["entries"] if e["request"]["url"].endswith("/keys")
        ]
        # the tracker got the e-mail key by key, before any submit
        assert (
            keys and keys[-1]["request"]["postData"]["text"] == "haneul.kim@example.com"
        )
        assert all(e.get("serverIPAddress") == "127.0.0.1" for e in keys)
        assert not _events(record, "submit")
        sockets = [
            e for e in har["log"]["entries"] if e["request"]["url"].startswith("ws://")
        ]
        messages = sockets[0]["_webSocketMessages"]
        assert [(m["type"], m["opcode"], m["data"]) for m in messages] == [
            ("send", 1, "hello /"),
            ("receive", 1, "welcome"),
        ]
        typed = {(e["field"], e["persona_key"]) for e in _events(record, "input")}
        assert {
            ("user_name", "name"),
            ("user_email", "email"),
            ("mobile", "phone"),
        } <= typed
        assert ("keyword", "email") in typed
        assert {("hp2", "phone"), ("hp3", "phone")} <= typed  # hp1 is a select
        assert set(record["persona_keys"]) == {"name", "email", "phone"}
        assert "haneul" not in run.record.read_text("utf-8")  # keys, never values
        calls = {(e["api"], e["script"]) for e in _events(record, "api_call")}
        assert ("canvas.toDataURL", shop + "fp.js") in calls
        assert ("canvas.measureText", shop + "fp.js") in calls
        assert ("audio.OfflineAudioContext", shop + "fp.js") in calls
        assert ("audio.createOscillator", shop + "fp.js") in calls
        assert ("navigator.plugins", shop + "fp.js") in calls
        assert ("webgl.getParameter", shop + "fp.js") in calls
    cookies = json.loads(runs[0].record.read_text("utf-8"))["cookies"]
    assert {
        "name": "_ga",
        "domain": "www.google-analytics.com",
        "path": "/",
        "third_party": True,
    }.items() <= next(c for c in cookies if c["name"] == "_ga").items()
    own = json.loads(runs[1].record.read_text("utf-8"))["cookies"]
    assert any(c["name"] == "consent" and not c["third_party"] for c in own)
    accepted = json.loads(runs[2].har.read_text("utf-8"))["log"]["entries"]
    assert any("collect?ev=consent" in e["request"]["url"] for e in accepted)
    rejected = json.loads(runs[1].har.read_text("utf-8"))["log"]["entries"]
    assert not any("collect?ev=consent" in e["request"]["url"] for e in rejected)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PRIVWATCH_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "privwatch", "record", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


def test_a_journey_file_runs_and_submits_only_what_it_names(
    shop: str, persona: Path, tmp_path: Path
) -> None:
    journey = tmp_path / "journey.yaml"
    journey.write_text(
        f"""steps:
  - goto: {shop}member/join
  - fill: {{field: email, persona_key: email}}
  - fill: {{selector: "input[name=user_name]", value: 홍길동}}
  - submit: "form#join"
  - wait: 0.5
""",
        "utf-8",
    )
    out = tmp_path / "j" / "login.har"
    done = _cli(
        shop,
        "--persona",
        str(persona),
        "--journey",
        str(journey),
        "-o",
        str(out),
        "--no-consent-runs",
    )
    assert done.returncode == 0, done.stderr
    record = json.loads((tmp_path / "j" / "login.record.json").read_text("utf-8"))
    assert record["consent_run"] is None
    assert [s["action"] for s in record["steps"]] == [
        "goto",
        "fill",
        "fill",
        "submit",
        "wait",
    ]
    assert all(s["ok"] for s in record["steps"]), record["steps"]
    submits = _events(record, "submit")
    assert submits and submits[0]["selector"] == "#join" and submits[0]["step"] == 4
    inputs = _events(record, "input")
    assert [(e["field"], e["persona_key"]) for e in inputs] == [
        ("user_email", "email"),
        ("input[name=user_name]", ""),
    ]
    har = json.loads(out.read_text("utf-8"))
    posted = [
        e
        for e in har["log"]["entries"]
        if e["request"]["url"].endswith("/member/join_ok")
    ]
    assert (
        posted
        and "haneul.kim%40example.com" in posted[0]["request"]["postData"]["text"]
    )


def test_a_bad_journey_is_one_line_and_exit_2(persona: Path, tmp_path: Path) -> None:
    journey = tmp_path / "bad.yaml"
    journey.write_text("steps:\n  - goto: https://a.example/\n    wait: 1\n", "utf-8")
    done = _cli(
        "https://a.example/", "--persona", str(persona), "--journey", str(journey)
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "journey" in done.stderr
    with pytest.raises(InputError):
        load_journey(journey)


def test_a_refused_address_is_one_line_and_exit_2(
    persona: Path, tmp_path: Path
) -> None:
    env_free = {"PRIVWATCH_ALLOW_NETWORKS": ""}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "privwatch",
            "record",
            "http://127.0.0.1:9/",
            "--persona",
            str(persona),
            "-o",
            str(tmp_path / "s.har"),
        ],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "PRIVWATCH_LANG": "en",
            **env_free,
        },
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    *progress, error = done.stderr.splitlines()
    assert all("recording" in line for line in progress)
    assert "loopback" in error and "Traceback" not in done.stderr
    assert not list(tmp_path.glob("s*.har"))  # no half recording left behind


def test_audit_record_shows_the_journey(
    shop: str, persona: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    folder = tmp_path / "rec"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PRIVWATCH_LANG": "ko"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "privwatch",
            "audit",
            str(ROOT / "tests" / "fixtures" / "policy_ko.html"),
            "--record",
            shop,
            "--persona",
            str(persona),
            "--format",
            "html",
            "-o",
            str(report),
            "--record-dir",
            str(folder),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    html = report.read_text("utf-8")
    assert "img-src data:" in html
    assert 'id="journey"' in html and "기록한 경로" in html
    assert html.count('src="data:image/png;base64,') == 10
    assert "www.google-analytics.com" in html  # the recorded flows were audited
    assert (folder / "session.har").is_file()
    assert (folder / "session.record.json").is_file()
    # one recording and one policy: several sources are refused
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "privwatch",
            "audit",
            "a.html",
            "b.html",
            "--record",
            shop,
            "--persona",
            str(persona),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert again.returncode == 2 and again.stderr.count("\n") == 1


def test_a_clean_site_gives_one_run_and_nothing_planted(
    shop: str, persona: Path, tmp_path: Path
) -> None:
    runs = record_site(shop + "clean", load_persona(persona), tmp_path / "c.har")
    assert [r.consent_run for r in runs] == [None]
    assert runs[0].har.name == "c.har" and not runs[0].banner
    record = json.loads(runs[0].record.read_text("utf-8"))
    assert record["consent_run"] is None
    assert _events(record, "consent") == [
        {**_events(record, "consent")[0], "banner": False, "action": "none"}
    ]
    assert not _events(record, "api_call")  # our own screenshots call nothing
    assert not _events(record, "submit")
    assert record["cookies"] == []
    steps = {s["index"]: s for s in record["steps"]}
    assert not steps[6]["ok"] and "product" in steps[6]["error"]  # no product link
    assert steps[8]["ok"] and steps[9]["ok"]  # the sign-up page, typed into
    har = json.loads(runs[0].har.read_text("utf-8"))
    hosts = {e["request"]["url"].split("/")[2] for e in har["log"]["entries"]}
    assert hosts == {shop.split("/")[2]}


def test_a_banner_in_a_frame_with_english_buttons(
    shop: str, persona: Path, tmp_path: Path
) -> None:
    journey = Journey.model_validate(
        {"steps": [{"goto": shop + "framed"}, {"consent": None}]}
    )
    runs = record_site(
        shop + "framed", load_persona(persona), tmp_path / "f.har", journey=journey
    )
    assert [r.consent_run for r in runs] == ["none", "reject", "accept"]
    clicked = []
    for run in runs:
        record = json.loads(run.record.read_text("utf-8"))
        (consent,) = _events(record, "consent")
        clicked.append((consent["action"], consent["button_text"]))
        assert all(s["ok"] for s in record["steps"]), record["steps"]
    assert clicked == [
        ("none", ""),
        ("reject", "Reject All"),
        ("accept", "Accept All Cookies"),
    ]
    cookies = json.loads(runs[1].record.read_text("utf-8"))["cookies"]
    assert [c["name"] for c in cookies] == ["cmp"]
