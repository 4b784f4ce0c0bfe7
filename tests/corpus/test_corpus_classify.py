"""The classifiers over real documents in ../shared: the Korean evaluation set still
lines up with today's segmentation, and real terms are audited under kr-terms."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from privwatch import ingest_document
from privwatch.classify import classify_document, document_kind
from privwatch.pipeline import audit_document
from privwatch.rules import load_pack
from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.corpus


def test_korean_evaluation_set_matches_the_segmentation(shared: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import quality  # bench/quality.py: stops with a message on any mismatch
    finally:
        sys.path.remove(str(ROOT / "bench"))
    sets = quality.korean_sets(shared)
    naver = next(v for k, v in sets.items() if k.startswith("practices: Naver"))
    assert len(naver) == 303
    assert all(example.labels for example in naver)


def test_real_terms_are_audited_under_kr_terms(shared: Path) -> None:
    document = ingest_document(str(SHARED / "corpus" / "terms" / "temu_terms_en-us.md"))
    assert document_kind(document) == "terms"
    result = audit_document(document, [load_pack("kr-terms")])
    rules = {f.rule for f in result.findings}
    # Temu's US terms: binding arbitration, liability caps, governed by US law.
    assert {"kr-terms.14.arbitration", "kr-terms.7.limitation_of_liability"} <= rules
    for finding in result.findings:
        (evidence,) = finding.evidence
        assert document.text[evidence.start : evidence.end] == evidence.text


def test_naver_policy_practices_cover_its_sections(shared: Path) -> None:
    document = ingest_document(
        str(SHARED / "corpus" / "policies" / "naver_privacy_ko_v11.10.txt")
    )
    labels = {
        label
        for item in classify_document(document, "practices")
        for label in item.labels
    }
    assert {
        "First Party Collection/Use",
        "Third Party Sharing/Collection",
        "Data Retention",
        "Data Security",
        "User Access, Edit and Deletion",
    } <= labels
