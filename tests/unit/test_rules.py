"""Every rule's own examples (positive and negative), and the engine's contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from privwatch import document_from_bytes
from privwatch.errors import InputError
from privwatch.pipeline import audit_document
from privwatch.rules import load_pack
from privwatch.rules.conditions import kinds
from privwatch.rules.schema import check_condition
from privwatch.rules.words import finding_words

PACK = load_pack("kr-pipa")
PACKS = {pack.pack: pack for pack in (PACK, load_pack("kr-terms"))}
CASES = [
    pytest.param(pack, rule, example, id=f"{rule.id}[{index}]")
    for pack in PACKS.values()
    for rule in pack.rules
    for index, example in enumerate(rule.examples)
]


def test_every_rule_has_a_positive_example() -> None:
    for rule in (r for pack in PACKS.values() for r in pack.rules):
        if "flow" in kinds(rule.when):
            continue  # rules on observed traffic: tests/test_consistency.py
        if "behaviour" in kinds(rule.when):
            continue  # rules on what a page did: tests/test_behaviour.py
        expects = {min(example.expect, 1) for example in rule.examples}
        assert 1 in expects, f"{rule.id} has no positive example"


@pytest.mark.parametrize(("pack", "rule", "example"), CASES)
def test_rule_examples(pack, rule, example) -> None:
    document = document_from_bytes(
        example.text.encode("utf-8"), f"example-{example.lang}.md"
    )
    foreign = example.context.get("foreign")
    result = audit_document(
        document,
        [pack],
        foreign=foreign,
        agent_required=example.context.get("agent_required"),
    )
    found = [f for f in result.findings if f.rule == rule.id]
    assert len(found) == example.expect, [
        (f.rule, f.params, [e.text for e in f.evidence]) for f in found
    ]
    if example.review is not None:
        review = [f for f in found if f.certainty == "review"]
        assert len(review) == example.review, [(f.params, f.reason) for f in found]
        assert all(f.reason for f in review)
    for finding in found:
        assert finding.article == rule.article
        for evidence in finding.evidence:
            assert document.text[evidence.start : evidence.end] == evidence.text


def test_findings_in_korean_fill_their_fields() -> None:
    text = "# 처리방침\n\n## 제2조(처리하는 개인정보의 항목)\n\n회사는 이름, 연락처 등을 수집합니다.\n"
    document = document_from_bytes(text.encode(), "a.md")
    result = audit_document(document, [PACK])
    vague = next(f for f in result.findings if f.rule == "kr-pipa.30.vague_wording")
    assert finding_words(vague, "ko").title == "모호한 표현: 등"
    assert finding_words(vague, "en").title.endswith(": 등")
    assert vague.evidence[0].text == "회사는 이름, 연락처 등을 수집합니다."


@pytest.mark.parametrize(
    "condition",
    [
        {"eval": "1"},
        {"exists": {"where": {}}},
        {"all": []},
        {"exists": {"fact": "x"}, "missing": {"fact": "y"}},
    ],
)
def test_conditions_outside_the_closed_set_are_refused(condition) -> None:
    with pytest.raises(ValueError):
        check_condition(condition)


def test_a_bad_user_pack_names_the_file_and_rule(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "pack: mine\nversion: '1'\nlaw: X\ntitle: {ko: 가, en: a}\nrules:\n"
        "  - {id: mine.1, law: X, article: 'Art 5', severity: high, title: {ko: 가, en: a},"
        " explanation: {ko: 가, en: a}, remediation: {ko: 가, en: a}, when: {missing: {fact: officer}}}\n",
        "utf-8",
    )
    with pytest.raises(InputError) as error:
        load_pack(str(path))
    rendered = error.value.render("en")
    assert str(path) in rendered and "mine.1" in rendered and "article" in rendered


def test_a_user_pack_runs_beside_the_builtin(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "pack: mine\nversion: '1'\nlaw: Company policy\ntitle: {ko: 사내 기준, en: house rules}\nrules:\n"
        "  - id: mine.cookies\n    law: house\n    article: '1'\n    severity: low\n"
        "    title: {ko: 쿠키 사용, en: Uses cookies}\n    explanation: {ko: 쿠키, en: cookies}\n"
        "    remediation: {ko: 없음, en: none}\n    when: {exists: {fact: cookies}}\n",
        "utf-8",
    )
    document = document_from_bytes(b"# P\n\n## Cookies\n\nWe use cookies.\n", "p.md")
    result = audit_document(document, [PACK, load_pack(str(path))])
    assert [f.rule for f in result.findings if f.rule.startswith("mine.")] == [
        "mine.cookies"
    ]
    assert ("mine", "1") in result.packs
