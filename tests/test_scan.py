"""privwatch scan on generated HARs: planted values in every encoding and
location are found and attributed; decoys are not; nothing leaks unmasked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hars import EMAIL, PERSONA, entry, planted_entries, write_har, write_persona
from tests.test_cli import assert_one_line_error, run


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    return write_har(tmp_path / "session.har", planted_entries()), write_persona(
        tmp_path / "persona.yaml"
    )


def scan_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run(["scan", *argv, "-f", "json"], capsys)
    assert code == 0, err
    return json.loads(out)


def persona_scan(har: Path, persona: Path, fmt: str) -> list[str]:
    """Arguments of a scan of the planted session with its persona."""
    return [
        "scan",
        str(har),
        "--persona",
        str(persona),
        "--site",
        "shop.example.kr",
        "-f",
        fmt,
    ]


def flows_at(data: dict, index: int) -> list[dict]:
    return [f for f in data["flows"] if f["entry_index"] == index]


def test_planted_values_are_found_in_every_encoding(planted, capsys) -> None:
    har, persona = planted
    data = scan_json(
        capsys, str(har), "--persona", str(persona), "--site", "shop.example.kr"
    )
    found = {
        (f["entry_index"], f["data_type"], f["location"], f["encoding"])
        for f in data["flows"]
        if f["source"] == "persona"
    }
    assert (0, "email", "body", "url") in found  # the raw form body: URL-encoded
    assert (0, "email", "body", "lowercase") in found  # the decoded form field
    assert (1, "email", "query", "sha256") in found
    assert (2, "phone", "body", "sha256") in found
    assert (3, "email", "cookie", "base64") in found
    assert (3, "device_id", "header", "lowercase") in found or (
        3,
        "device_id",
        "header",
        "plain",
    ) in found
    assert any(i == 4 and t == "email" and "gzip" in e for i, t, _, e in found)
    assert any(i == 5 and t == "phone" and "br" in e for i, t, _, e in found)
    assert any(
        i == 6 and t == "name" and e.startswith("base64") for i, t, _, e in found
    )
    assert any(i == 6 and t == "phone" and loc == "query" for i, t, loc, _ in found)
    assert any(i == 9 and t == "name" and loc == "body" for i, t, loc, _ in found)


def test_decoys_do_not_match(planted, capsys) -> None:
    har, persona = planted
    data = scan_json(
        capsys, str(har), "--persona", str(persona), "--site", "shop.example.kr"
    )
    assert [f for f in flows_at(data, 7) if f["source"] == "persona"] == []
    assert not any(f["data_type"] == "phone" for f in flows_at(data, 7))


def test_attribution_party_and_countries(planted, capsys) -> None:
    har, persona = planted
    data = scan_json(
        capsys, str(har), "--persona", str(persona), "--site", "shop.example.kr"
    )
    by_entry = {f["entry_index"]: f for f in data["flows"]}
    assert by_entry[0]["party"] == "first" and by_entry[0]["ip_country"] == "KR"
    assert by_entry[1]["organization"] and "Meta" in by_entry[1]["organization"]
    assert by_entry[1]["party"] == "third" and by_entry[1]["cross_border"] is True
    assert "Alibaba" in by_entry[3]["organization"]  # mmstat.com: Alibaba's analytics
    assert by_entry[3]["country"] == "HK"  # principal executive offices per its 20-F
    assert by_entry[6]["organization"] is None and by_entry[6]["ip_country"] is None
    assert "unknown-tracker.example" in data["summary"]["unknown_hosts"]


def test_detectors_alone_without_persona(planted, capsys) -> None:
    har, _ = planted
    data = scan_json(capsys, str(har), "--site", "shop.example.kr")
    kinds = {(f["entry_index"], f["data_type"]) for f in data["flows"]}
    assert {(8, "rrn"), (8, "card"), (8, "phone"), (0, "email")} <= kinds
    assert all(f["source"] == "detector" for f in data["flows"])


def test_no_output_shows_a_planted_value_or_secret(
    planted, tmp_path: Path, capsys
) -> None:
    har, persona = planted
    secret_cookie = "s3cr3t-session-token-value"
    extra = entry(
        "https://api.temu.com/me",
        headers=[("Authorization", "Bearer abc.def.ghi")],
        cookies=[("session", secret_cookie)],
    )
    write_har(har, [*planted_entries(), extra])
    outputs = []
    for fmt in ("table", "json", "html"):
        code, out, err = run(persona_scan(har, persona, fmt), capsys)
        assert code == 0
        outputs.append(out + err)
    for text in outputs:
        for secret in (
            EMAIL,
            PERSONA["email"],
            "010-2345-6789",
            "01023456789",
            PERSONA["device_ids"][0],
            "900101-1234568",
            "4111 1111 1111 1111",
            secret_cookie,
            "Bearer abc.def.ghi",
        ):
            assert secret.lower() not in text.lower(), secret


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", "not a HAR", id="empty"),
        pytest.param(b'{"hello": "world"}', "not a HAR", id="json-not-har"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "not a HAR", id="binary"),
        pytest.param(
            b'{"log": {"entries": [{"request": ', "not a HAR", id="cut-before-any-entry"
        ),
    ],
)
def test_bad_hars_get_one_line(
    tmp_path: Path, capsys, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.har"
    path.write_bytes(content)
    code, _, err = run(["scan", str(path), "--site", "x.example"], capsys)
    assert_one_line_error(code, err, expected)


def test_truncated_har_warns_and_keeps_what_is_complete(planted, capsys) -> None:
    har, persona = planted
    text = har.read_text("utf-8")
    har.write_text(text[: int(len(text) * 0.6)], "utf-8")
    code, out, err = run(persona_scan(har, persona, "json"), capsys)
    assert code == 0
    assert "cut off" in err and "Traceback" not in err
    data = json.loads(out)
    assert data["flows"] and data["har"]["entries"] >= 3


def test_missing_fields_and_odd_entries(tmp_path: Path, capsys) -> None:
    odd = [
        entry("https://a.example/x", ip=None),
        {"request": {"method": "GET"}},
        {"nonsense": 1},
    ]
    path = write_har(tmp_path / "odd.har", odd, pages=False)
    code, out, err = run(
        ["scan", str(path), "--site", "a.example", "-f", "json"], capsys
    )
    assert code == 0 and "Traceback" not in err
    assert json.loads(out)["har"]["entries"] == 3


def test_persona_with_unknown_keys(tmp_path: Path, capsys) -> None:
    persona = tmp_path / "p.yaml"
    persona.write_text("email: a@b.example\nfavourite_colour: blue\n", "utf-8")
    har = write_har(tmp_path / "s.har", [entry("https://a.example/")])
    code, _, err = run(
        ["scan", str(har), "--persona", str(persona), "--site", "a.example"], capsys
    )
    assert_one_line_error(code, err, "unknown key favourite_colour")


def test_table_rows_group_by_type_organisation_and_country(planted, capsys) -> None:
    har, persona = planted
    code, out, _ = run(["--lang", "ko", *persona_scan(har, persona, "table")], capsys)
    assert code == 0
    assert "국외" in out and "⚠" in out
    assert "unknown-tracker.example" in out


def test_real_hars_never_crash_and_hosts_are_attributed_or_listed(
    shared: Path, capsys
) -> None:
    for har in sorted((shared / "traffic").glob("*.har")):
        data = scan_json(capsys, str(har), "--site", "cnn.com")
        hosts = {f["host"] for f in data["flows"]}
        assert data["har"]["entries"] >= 1
        unknown = set(data["summary"]["unknown_hosts"])
        for flow in data["flows"]:
            assert flow["organization"] or flow["host"] in unknown
        assert hosts is not None


def test_a_scan_saved_in_the_store(planted, capsys, tmp_path: Path) -> None:
    """``--save`` keeps the scan JSON under the platform, with the HAR's sha256;
    an unknown platform is one clear line and stores nothing."""
    import hashlib

    from privwatch.store import Store

    har, persona = planted
    db = f"sqlite:///{tmp_path / 'store.db'}"
    with Store(db) as store:
        store.add_platform("한빛마켓", country="KR")
    argv = persona_scan(har, persona, "json")
    code, out, err = run([*argv, "--save", "한빛마켓", "--db", db], capsys)
    assert code == 0, err
    with Store(db) as store:
        (saved,) = store.scans("한빛마켓")
    assert saved.result == json.loads(out)
    assert saved.har_sha256 == hashlib.sha256(har.read_bytes()).hexdigest()
    assert EMAIL not in json.dumps(saved.result)  # masked as in the output
    code, _, err = run([*argv, "--save", "Nobody", "--db", db], capsys)
    assert_one_line_error(code, err, "no platform named Nobody")
