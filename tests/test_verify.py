"""privwatch verify: a store filled through the real import path checks out,
and tampering with its rows (through SQL, as someone with database access
would) is named problem by problem; an audit report from `privwatch audit -f
json` checks out against its source, and a forged quote or text does not.
SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from privwatch.store import Store
from privwatch.verify import verify_store
from privwatch.watch import import_dir
from tests.conftest import ROOT
from tests.test_cli import assert_one_line_error, run

EXAMPLE = ROOT / "examples" / "hanbit-market-privacy-ko.html"
TERMS = ROOT / "examples" / "hanbit-market-terms-ko.md"


def _history(folder: Path) -> None:
    """Three dated versions of the example policy, each a little different."""
    folder.mkdir()
    page = EXAMPLE.read_text(encoding="utf-8")
    closing = page.rindex("</main>") if "</main>" in page else page.rindex("</body>")
    extra = [
        "",
        "<p>회사는 고객센터 상담 기록을 3년간 보관합니다.</p>",
        "<p>회사는 고객센터 상담 기록을 3년간 보관합니다.</p>"
        "<p>회사는 이벤트 경품 배송을 위하여 주소를 처리합니다.</p>",
    ]
    for day, added in zip(
        ("2024-01-01", "2024-06-01", "2025-01-01"), extra, strict=True
    ):
        (folder / f"{day}.html").write_text(
            page[:closing] + added + page[closing:], encoding="utf-8"
        )


def _sql(store: Store, statement: str, **params: object) -> None:
    with store.engine.begin() as connection:
        connection.execute(text(statement), params)


def test_a_store_imported_from_dated_files_verifies_and_tampering_is_named(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "history"
    _history(folder)
    with Store(db_url) as store:
        outcomes = import_dir(store, "한빛마켓", "privacy", folder)
        assert [o.result for o in outcomes] == ["new", "new", "new"]
        (document,) = store.documents("한빛마켓")
        versions = store.versions(document.id)
        assert [v.number for v in versions] == [1, 2, 3]
        quoted = [f for f in store.findings(versions[0].id) if f.quote]
        assert quoted, "the example policy has findings that quote it"
        clean = verify_store(store)
        assert clean.ok, clean.problems
        assert (clean.documents, clean.versions) == (1, 3)
        assert clean.findings > 0 and clean.evidence > 0

    db = ["--db", db_url]
    code, out, _ = run(["verify", *db], capsys)
    assert code == 0, out
    assert "1 document, 3 versions" in out and ": 0 problems" in out
    assert out.rstrip().endswith("all checks passed")

    forged = quoted[0]
    with Store(db_url) as store:
        dropped = store.findings(versions[2].id)[-1]
        expected_rows = len(store.findings(versions[2].id)) - 1
    with Store(db_url) as store:
        # v3's text changed by one character: hashes and copies no longer agree
        _sql(
            store,
            "UPDATE versions SET text = replace(text, '회사는', '회샤는') "
            "WHERE document_id = :d AND number = 3",
            d=document.id,
        )
        # a finding row of v1 quoting words the policy does not have there
        _sql(
            store,
            "UPDATE findings SET quote = :q WHERE id = :i",
            q="회사는 아무것도 수집하지 않습니다",
            i=forged.id,
        )
        # a finding row of v3 deleted: rows and audit no longer agree
        _sql(store, "DELETE FROM findings WHERE id = :i", i=dropped.id)
        # v2 removed: the numbering has a gap (its finding rows go with it)
        _sql(
            store,
            "DELETE FROM versions WHERE document_id = :d AND number = 2",
            d=document.id,
        )
        tampered = verify_store(store)
    assert not tampered.ok
    keys = {(p.where.get("number"), p.key) for p in tampered.problems}
    assert {
        (3, "text_sha256"),
        (3, "document_text"),
        (3, "audit_text"),
        (1, "finding_quote"),
        (3, "finding_count"),
        (None, "numbering"),
    } <= keys
    assert all(p.where.get("number") != 2 for p in tampered.problems)

    code, out, _ = run(["verify", *db], capsys)
    assert code == 1
    lines = out.splitlines()
    v3 = f"한빛마켓 privacy v3 (version id {versions[2].id}): "
    assert v3 + "the text does not hash to its text_sha256" in out
    assert v3 + "document_json's text differs from the stored text" in lines
    assert v3 + "audit_json's document text differs from the stored text" in lines
    assert (
        f"{v3}{expected_rows} finding rows, but the audit JSON has "
        f"{expected_rows + 1} findings"
    ) in lines
    v1 = f"한빛마켓 privacy v1 (version id {versions[0].id}): "
    assert (
        f'{v1}finding {forged.rule} (row {forged.id}) quotes "회사는 아무것도 수집하지 '
        f'않습니다", which is not the text at offset {forged.start}'
    ) in lines
    assert "not numbered 1..3 without gaps (2 versions; missing: 2)" in out, out
    problems = len(tampered.problems)
    assert "1 document, 2 versions" in lines[-1]
    assert lines[-1].endswith(f": {problems} problems")
    assert "all checks passed" not in out

    code, out, _ = run(["--lang", "ko", "verify", *db], capsys)
    assert code == 1
    assert "본문의 해시가 text_sha256과 다릅니다" in out
    assert "빠진 번호: 2" in out
    assert f"지적 사항 {forged.rule}(행 {forged.id})의 인용" in out
    assert out.splitlines()[-1].endswith(f"문제 {problems}건")


def test_an_audit_report_verifies_against_its_source_and_forgeries_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "audit.json"
    code, _, _ = run(["audit", str(EXAMPLE), "-f", "json", "-o", str(report)], capsys)
    assert code == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["privwatch"] and data["packs"][0]["version"]
    assert data["document"]["source"]["bytes_sha256"]

    code, out, _ = run(["verify", str(report), "--source", str(EXAMPLE)], capsys)
    assert code == 0, out
    assert ": 0 problems" in out and "all checks passed" in out

    # a quote edited in the report
    finding = next(f for f in data["findings"] if f["evidence"])
    span = finding["evidence"][0]
    forged = json.loads(json.dumps(data))
    target = next(f for f in forged["findings"] if f["rule"] == finding["rule"])
    target["evidence"][0]["text"] = "회사는 개인정보를 수집하지 않습니다"
    forged_path = tmp_path / "forged.json"
    forged_path.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(["verify", str(forged_path)], capsys)
    assert code == 1
    assert (
        f"{forged_path}: evidence of {finding['rule']} at "
        f'{span["start"]}:{span["end"]} quotes "회사는 개인정보를 수집하지 않습니다"'
    ) in out
    assert out.splitlines()[-1].endswith(": 1 problem")

    # the text edited (the hash no longer matches, nor do quotes after the edit)
    edited = json.loads(json.dumps(data))
    edited["document"]["text"] = edited["document"]["text"].replace("회사", "회샤")
    edited_path = tmp_path / "edited.json"
    edited_path.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(["verify", str(edited_path)], capsys)
    assert code == 1
    assert "document.text does not hash to document.sha256" in out

    # the right report, the wrong source
    code, out, _ = run(["verify", str(report), "--source", str(TERMS)], capsys)
    assert code == 1
    assert f"{TERMS} now reads to text sha256" in out
    assert f"{TERMS} now has bytes sha256" in out

    code, out, _ = run(
        ["--lang", "ko", "verify", str(forged_path), "--source", str(EXAMPLE)], capsys
    )
    assert code == 1
    assert f"보고서 {forged_path}: {finding['rule']}의 증거" in out
    assert out.splitlines()[-1].endswith("문제 1건")


def test_verify_refuses_what_is_not_a_report_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = tmp_path / "scan.json"
    scan.write_text('{"schema": "privwatch.scan/1"}', encoding="utf-8")
    code, _, err = run(["verify", str(scan)], capsys)
    assert_one_line_error(code, err, "is not a privwatch audit report")
    broken = tmp_path / "broken.json"
    broken.write_text("{" * 100_000, encoding="utf-8")
    code, _, err = run(["verify", str(broken)], capsys)
    assert_one_line_error(code, err, "is not a privwatch audit report")
    code, _, err = run(["verify", str(tmp_path / "absent.json")], capsys)
    assert_one_line_error(code, err, "no such file")
    code, _, err = run(["verify", "--source", str(EXAMPLE)], capsys)
    assert_one_line_error(code, err, "--source needs a REPORT")
    code, _, err = run(["--lang", "ko", "verify", str(scan)], capsys)
    assert_one_line_error(code, err, "점검 보고서(privwatch.audit/1)가 아닙니다")


def test_the_audit_table_says_what_produced_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["audit", str(EXAMPLE)], capsys)
    assert code == 0
    from privwatch import __version__

    last = out.rstrip().splitlines()[-1]
    assert last.startswith(f"privwatch {__version__} · rule packs: kr-pipa ")
    assert "source bytes sha256 " in last
