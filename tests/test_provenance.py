"""Traffic provenance (issue 21): an audit with ``--traffic`` names the HAR it
read (path, sha256, entries read, warnings, entries skipped), the site, the
user's country, the persona's fields (masked) and the range snapshots, in the
JSON, the HTML and the store; ``privwatch verify`` re-hashes the HAR."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from privwatch.store.records import AuditRecord
from tests.conftest import ROOT
from tests.test_cli import run

EXAMPLE = ROOT / "examples" / "nuri-market"
HAR = EXAMPLE / "session.har"


def _args(har: Path, *extra: str) -> list[str]:
    return [
        "audit",
        str(EXAMPLE / "privacy-ko.md"),
        "--traffic",
        str(har),
        "--persona",
        str(EXAMPLE / "persona.yaml"),
        "--site",
        "nurimarket.example",
        "--domestic",
        *extra,
    ]


def _truncated(tmp_path: Path) -> Path:
    """The example session cut off inside its last entry."""
    data = HAR.read_bytes()
    cut = tmp_path / "cut.har"
    cut.write_bytes(data[: data.rindex(b'"request"')])
    return cut


def test_audit_json_names_its_traffic(capsys) -> None:
    code, out, _ = run([*_args(HAR), "-f", "json"], capsys)
    assert code == 0
    traffic = json.loads(out)["traffic"]
    assert traffic["path"] == str(HAR)
    assert traffic["sha256"] == hashlib.sha256(HAR.read_bytes()).hexdigest()
    assert traffic["entries"] > 0 and traffic["skipped"] == []
    assert traffic["truncated"] is False and traffic["warnings"] == []
    assert traffic["site"] == "nurimarket.example"
    assert traffic["user_country"] == "KR"
    assert set(traffic["persona"]) == {"name", "email", "phone", "device_id"}
    assert traffic["persona"]["email"] == ["ha***@example.org"]
    assert "ha.neul@example.org" not in out and "010-2345-6789" not in out
    assert traffic["address_ranges"]  # the bundled snapshots, named


def test_audit_json_without_traffic_says_none(capsys) -> None:
    code, out, _ = run(["audit", str(EXAMPLE / "privacy-ko.md"), "-f", "json"], capsys)
    assert code == 0 and json.loads(out)["traffic"] is None


def test_truncated_har_is_marked_in_the_json(tmp_path: Path, capsys) -> None:
    cut = _truncated(tmp_path)
    code, out, err = run([*_args(cut), "-f", "json"], capsys)
    assert code == 0 and err  # the warning still reaches stderr
    traffic = json.loads(out)["traffic"]
    assert traffic["truncated"] is True
    assert [w["key"] for w in traffic["warnings"]] == ["scan.truncated"]
    assert traffic["warnings"][0]["params"]["path"] == str(cut)
    assert (
        traffic["entries"]
        < json.loads(run([*_args(HAR), "-f", "json"], capsys)[1])["traffic"]["entries"]
    )


def test_traffic_is_stored_and_read_back(capsys) -> None:
    code, out, _ = run([*_args(HAR), "-f", "json"], capsys)
    report = json.loads(out)
    stored = AuditRecord.from_dict(
        {**report, "schema": "privwatch.audit-record/3"}
    ).to_dict()
    assert stored["schema"] == "privwatch.audit-record/3"
    assert stored["traffic"] == report["traffic"]
    older = AuditRecord.from_dict(
        {k: v for k, v in stored.items() if k != "traffic"}
        | {"schema": "privwatch.audit-record/2"}
    )
    assert older.traffic is None and older.findings


def test_html_shows_the_provenance_block(tmp_path: Path, capsys) -> None:
    target = tmp_path / "a.html"
    code, _, _ = run([*_args(HAR), "-f", "html", "-o", str(target)], capsys)
    assert code == 0
    page = target.read_text("utf-8")
    assert hashlib.sha256(HAR.read_bytes()).hexdigest() in page
    assert "Test account&#x27;s fields looked for (masked)" in page or (
        "Test account's fields looked for (masked)" in page
    )
    assert "ha***@example.org" in page and "ha.neul@example.org" not in page
    assert "Address-range snapshots" in page and "nurimarket.example" in page
    assert "aws 2026-" in page and " None" not in page
    assert 'id="traffic-partial"' not in page


def test_truncated_har_is_marked_in_html_and_table(tmp_path: Path, capsys) -> None:
    cut = _truncated(tmp_path)
    target = tmp_path / "a.html"
    code, _, _ = run([*_args(cut), "-f", "html", "-o", str(target)], capsys)
    assert code == 0
    page = target.read_text("utf-8")
    assert 'id="traffic-partial"' in page
    assert "truncated or partly unreadable" in page and "is cut off" in page
    code, out, _ = run(["--lang", "ko", *_args(cut)], capsys)
    assert code == 0
    assert "잘렸거나 일부를 읽을 수 없습니다" in out
    assert "파일이 마지막 항목 전에 끝납니다" in out


def test_skipped_entries_are_counted_and_named(tmp_path: Path, capsys) -> None:
    data = json.loads(HAR.read_text("utf-8"))
    del data["log"]["entries"][1]["request"]["url"]
    broken = tmp_path / "broken.har"
    broken.write_text(json.dumps(data), "utf-8")
    code, out, _ = run([*_args(broken), "-f", "json"], capsys)
    assert code == 0
    traffic = json.loads(out)["traffic"]
    assert traffic["skipped"] == [1] and traffic["truncated"] is False
    assert traffic["warnings"] == [
        {"key": "scan.entry_skipped", "params": {"index": 1}}
    ]
    code, out, _ = run(_args(broken), capsys)
    assert "1 entry skipped (#1)" in " ".join(out.split())


def _report(tmp_path: Path, har: Path, capsys) -> Path:
    report = tmp_path / "audit.json"
    code, _, _ = run([*_args(har), "-f", "json", "-o", str(report)], capsys)
    assert code == 0
    return report


def test_verify_rehashes_the_har(tmp_path: Path, capsys) -> None:
    har = tmp_path / "session.har"
    har.write_bytes(HAR.read_bytes())
    report = _report(tmp_path, har, capsys)
    code, out, _ = run(["verify", str(report)], capsys)
    assert code == 0, out
    assert f"recorded session {har}: sha256" in out and "matches the report" in out
    # moved: told, not a failure; given with --har, checked again
    moved = tmp_path / "moved.har"
    har.rename(moved)
    code, out, _ = run(["verify", str(report)], capsys)
    assert code == 0 and f"recorded session not found at {har}" in out
    code, out, _ = run(["verify", str(report), "--har", str(moved)], capsys)
    assert code == 0 and f"recorded session {moved}: sha256" in out
    # changed: a problem, exit 1, one line
    moved.write_bytes(moved.read_bytes() + b"\n")
    code, out, _ = run(["verify", str(report), "--har", str(moved)], capsys)
    assert code == 1
    assert [line for line in out.splitlines() if "now hashes to" in line]
    # tampered in the report: also a problem
    data = json.loads(report.read_text("utf-8"))
    data["traffic"]["sha256"] = "0" * 64
    report.write_text(json.dumps(data), "utf-8")
    code, out, _ = run(
        ["--lang", "ko", "verify", str(report), "--har", str(HAR)], capsys
    )
    assert code == 1 and "기록된 세션" in out


def test_verify_har_bad_input_is_one_line(tmp_path: Path, capsys) -> None:
    from tests.test_cli import assert_one_line_error

    har = tmp_path / "session.har"
    har.write_bytes(HAR.read_bytes())
    report = _report(tmp_path, har, capsys)
    code, _, err = run(
        ["verify", str(report), "--har", str(tmp_path / "no.har")], capsys
    )
    assert_one_line_error(code, err, "no.har")
    code, _, err = run(["verify", "--har", str(har)], capsys)
    assert_one_line_error(code, err, "--har needs a REPORT")
    plain = tmp_path / "plain.json"
    code, out, _ = run(
        ["audit", str(EXAMPLE / "privacy-ko.md"), "-f", "json", "-o", str(plain)],
        capsys,
    )
    code, _, err = run(["verify", str(plain), "--har", str(har)], capsys)
    assert_one_line_error(code, err, "made without --traffic")
    code, out, _ = run(["verify", str(plain)], capsys)
    assert code == 0 and "recorded session" not in out


def test_batch_har_warnings_reach_stderr_and_the_store(tmp_path: Path, capsys) -> None:
    from privwatch.store import Store
    from privwatch.store.records import decode_scan

    _truncated(tmp_path)  # cut.har
    (tmp_path / "persona.yaml").write_bytes((EXAMPLE / "persona.yaml").read_bytes())
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(
        "platforms:\n  - {name: 누리마켓, country: KR}\ntraffic:\n"
        "  - {platform: 누리마켓, har: cut.har, site: nurimarket.example,"
        " persona: persona.yaml}\n",
        "utf-8",
    )
    url = f"sqlite:///{tmp_path / 'store.db'}"
    code, out, err = run(
        ["batch", str(manifest), "--workers", "1", "--db", url], capsys
    )
    assert code == 0, err
    lines = [line for line in err.splitlines() if "is cut off" in line]
    assert len(lines) == 1 and "누리마켓" in lines[0] and "cut.har" in lines[0]
    with Store(url) as store:
        (scan,) = store.scans("누리마켓")
        stored = decode_scan(scan.result)
    assert [key for key, _ in stored.warnings] == ["scan.truncated"]
    assert stored.persona["email"] == ["ha***@example.org"]
    assert "ha.neul@example.org" not in json.dumps(scan.result, ensure_ascii=False)


def test_table_names_the_recorded_session(capsys) -> None:
    code, out, _ = run(_args(HAR), capsys)
    assert code == 0
    flat = " ".join(out.split())
    digest = hashlib.sha256(HAR.read_bytes()).hexdigest()
    assert f"recorded session {HAR}" in flat and digest in flat
    assert (
        "site nurimarket.example" in flat and "persona fields: device_id, email" in flat
    )
    assert "ha.neul@example.org" not in out
    code, out, _ = run(["audit", str(EXAMPLE / "privacy-ko.md")], capsys)
    assert code == 0 and "recorded session" not in out
