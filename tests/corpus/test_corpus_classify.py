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
        assert len({e.clause for e in finding.evidence}) == 1  # one clause a finding
        for evidence in finding.evidence:
            assert document.text[evidence.start : evidence.end] == evidence.text


def test_a_choice_of_law_deep_in_a_long_clause_is_found(shared: Path) -> None:
    """AliExpress terms 8.7: Korean users' contracting parties bound by Hong Kong
    law and HKIAC arbitration, past what the classifier reads of the clause."""
    document = ingest_document(
        str(SHARED / "corpus" / "terms" / "aliexpress_terms_en.md")
    )
    result = audit_document(document, [load_pack("kr-terms")])
    certain = [f for f in result.findings if f.certainty == "certain"]

    def quotes(rule: str) -> list[str]:
        return [e.text for f in certain if f.rule == rule for e in f.evidence]

    assert any(
        "KOREA" in q and "HONG KONG" in q for q in quotes("kr-terms.6.choice_of_law")
    )
    assert any(
        "HONG KONG INTERNATIONAL ARBITRATION" in q
        for q in quotes("kr-terms.14.arbitration")
    )
    for finding in certain:
        for evidence in finding.evidence:
            assert document.text[evidence.start : evidence.end] == evidence.text
            assert len(evidence.text) < 1500  # the sentence, not the whole clause


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
