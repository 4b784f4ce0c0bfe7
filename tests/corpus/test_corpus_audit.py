"""The audit over real policies: the domestic Naver policy and foreign platforms'."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from privwatch import ingest_document
from privwatch.models import Audit
from privwatch.pipeline import audit_document
from privwatch.rules import load_pack
from tests.conftest import SHARED

pytestmark = pytest.mark.corpus

POLICIES = SHARED / "corpus" / "policies"
FOREIGN = [
    "aliexpress_privacy_en_2025-12-10.md",
    "aliexpress_privacy_en_2026-01-30.md",
    "aliexpress_privacy_en_2026-07-30.md",
    "temu_privacy_en-us_2026-02-04.md",
    "temu_privacy_en-us_2026-02-24.md",
    "shein_privacy_en-ie.md",
]


@cache
def audited(name: str) -> Audit:
    document = ingest_document(str(POLICIES / name))
    return audit_document(document, [load_pack("kr-pipa")])


def test_naver_domestic_policy_has_no_high_finding(shared: Path) -> None:
    result = audited("naver_privacy_ko_v11.10.txt")
    assert dict(result.context)["foreign"] is False
    high = [
        (f.rule, [e.text for e in f.evidence])
        for f in result.findings
        if f.severity == "high"
    ]
    assert high == []
    transfers = [f for f in result.facts if f.kind == "transfer"]
    assert {f.get("country") for f in transfers} == {"SG", "JP", "US"}
    assert all(f.get("complete") and f.get("basis") for f in transfers)
    assert {f.value for f in transfers} == {
        "네이버클라우드㈜",
        "라인플러스 주식회사",
        "Braze Inc.",
    }


@pytest.mark.parametrize("name", FOREIGN)
def test_foreign_platforms_get_28_8_and_17_findings_with_evidence(
    shared: Path, name: str
) -> None:
    result = audited(name)
    text = result.document.text
    by_article: dict[str, list] = {}
    for finding in result.findings:
        by_article.setdefault(finding.article.split("(")[0], []).append(finding)
    for article in ("28-8", "17"):
        evidenced = [f for f in by_article.get(article, []) if f.evidence]
        assert evidenced, f"no evidenced {article} finding for {name}"
        for finding in evidenced:
            for evidence in finding.evidence:
                assert text[evidence.start : evidence.end] == evidence.text
    agent = [
        f for f in result.findings if f.rule == "kr-pipa.31-2.domestic_agent_missing"
    ]
    if name == "aliexpress_privacy_en_2026-07-30.md":
        # its table of representatives names AliExpress Korea for Korea
        assert agent == []
    else:  # whether the thresholds are met is for a person to say
        assert [f.certainty for f in agent] == ["review"]


def test_aliexpress_worldwide_transfer_is_flagged(shared: Path) -> None:
    result = audited("aliexpress_privacy_en_2026-07-30.md")
    unspecified = [
        f for f in result.findings if f.rule == "kr-pipa.28-8.country_not_specified"
    ]
    assert any(
        "outside your country" in e.text for f in unspecified for e in f.evidence
    )
