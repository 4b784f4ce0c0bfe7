"""Stored records: typed, versioned, without words; old stores still read."""

from __future__ import annotations

import pytest

from privwatch import document_from_bytes
from privwatch.models import Finding
from privwatch.pipeline import audit_document
from privwatch.report.json import audit_to_dict
from privwatch.rules import load_pack
from privwatch.rules.words import finding_words
from privwatch.store.records import (
    AUDIT_SCHEMA,
    AuditRecord,
    ScanRecord,
    decode_audit,
    encode_audit,
    finding_row,
)
from privwatch.traffic.scan import Flow, ScanResult

POLICY = (
    "# 개인정보 처리방침\n\n## 제2조(처리하는 개인정보의 항목)\n\n"
    "회사는 이름, 연락처 등을 수집합니다.\n\n"
    "## 제3조(국외 이전)\n\n회사는 고객 정보를 해외로 이전합니다.\n"
)


def _audit():  # type: ignore[no-untyped-def]
    document = document_from_bytes(POLICY.encode(), "p.md")
    return audit_document(document, [load_pack("kr-pipa")], foreign=False)


def test_a_stored_audit_holds_no_words_and_reads_back_as_it_was() -> None:
    audit = _audit()
    stored = encode_audit(audit)
    assert stored["schema"] == AUDIT_SCHEMA
    for finding in stored["findings"]:
        assert not {"title", "explanation", "remediation"} & set(finding)
    record = decode_audit(stored)
    assert record is not None
    assert record.findings == audit.findings
    assert record.facts == audit.facts
    assert record.document.text == audit.document.text
    assert record.to_dict() == stored


def test_an_audit_stored_as_the_report_json_is_read_with_its_parameters() -> None:
    audit = _audit()
    old = audit_to_dict(audit, "en")  # what stores kept before records
    record = AuditRecord.from_dict(old)
    assert [f.rule for f in record.findings] == [f.rule for f in audit.findings]
    for before, now in zip(audit.findings, record.findings, strict=True):
        for lang in ("en", "ko"):
            assert finding_words(now, lang) == finding_words(before, lang)
    vague = next(f for f in record.findings if f.rule == "kr-pipa.30.vague_wording")
    assert finding_words(vague, "ko").title == "모호한 표현: 등"


def test_words_follow_the_language_and_the_order_does_not() -> None:
    audit = _audit()
    ko = audit_to_dict(audit, "ko")["findings"]
    en = audit_to_dict(audit, "en")["findings"]
    assert [f["rule"] for f in ko] == [f["rule"] for f in en]
    assert any(f["title"] != g["title"] for f, g in zip(ko, en, strict=True))


def test_a_finding_of_a_pack_no_longer_present_shows_its_rule() -> None:
    gone = Finding("house.1.gone", "X", "1", "high", (("value", "v"),))
    words = finding_words(gone, "ko")
    assert (words.title, words.explanation) == ("house.1.gone", "")
    row = finding_row("house.1.gone", "X", "1", "high", None, "Old words")
    assert finding_words(row, "en").title == "house.1.gone"


def test_a_finding_row_older_than_its_parameters_reads_them_from_its_title() -> None:
    row = finding_row(
        "kr-pipa.30.vague_wording", "PIPA", "30", "low", None, "Vague wording: 등, 기타"
    )
    assert row.param("value") == "등, 기타"
    assert finding_words(row, "ko").title == "모호한 표현: 등, 기타"


def test_a_scan_record_round_trips() -> None:
    flow = Flow(0, "t.example", "Tracker", "US", None, "third", "email", "plain",
                "query", "e", "persona", 1.0, "a***@x")  # fmt: skip
    result = ScanResult(
        "visit.har", "f" * 64, "shop.example", 3, [flow], {"t.example": "Tracker"}
    )
    record = ScanRecord.of(result, "KR")
    data = record.to_dict()
    assert data["flows"][0]["cross_border"] and data["summary"]["cross_border"] == 1
    assert ScanRecord.from_dict(data) == record
    assert data["schema"] == "privwatch.scan/2" and "behaviour" not in data
    # a scan stored before /2 (no behaviour) is read as it was
    older = ScanRecord.from_dict({**data, "schema": "privwatch.scan/1"})
    assert older.flows == record.flows and older.behaviour is None
    # what the page did is kept and read back
    what = {"schema": "privwatch.behaviour/1", "record": {}, "items": [],
            "counts": {"keylogging": 0}}  # fmt: skip
    kept = ScanRecord.from_dict({**data, "behaviour": what})
    assert kept.behaviour == what and kept.to_dict()["behaviour"] == what
    with pytest.raises(ValueError):
        ScanRecord.from_dict({**data, "schema": "privwatch.scan/9"})
