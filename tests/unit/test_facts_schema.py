"""Typed facts and conditions (issue 15, item 6): one declaration of every fact
kind, its attributes and their types; a pack naming anything else is refused
when it loads; the extractor's facts conform; docs/facts.md agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from privwatch import document_from_bytes
from privwatch.errors import InputError
from privwatch.evaluate.requirements import facts_from_audit
from privwatch.models import Fact
from privwatch.pipeline import audit_document, ingest_document
from privwatch.rules import load_pack
from privwatch.rules.conditions import Exists, kinds, parse, to_data
from privwatch.rules.facts import (
    CONTEXT_KEYS,
    KIND_BY_NAME,
    REVIEW_CODES,
    conforms,
    markdown_table,
    problems,
)
from tests.conftest import ROOT

FIXTURES = sorted(
    [
        *(ROOT / "tests" / "fixtures").glob("policy_*.*"),
        *(ROOT / "tests" / "fixtures" / "audit").glob("*.*"),
        *(ROOT / "examples").glob("*.*"),
        ROOT / "examples" / "nuri-market" / "privacy-ko.md",
    ]
)
FIXTURES = [p for p in FIXTURES if p.suffix != ".py" and p.name != "EXPECTED.md"]

HEAD = "pack: mine\nversion: '1'\nlaw: X\ntitle: {ko: 가, en: a}\nrules:\n"
RULE = (
    "  - id: mine.1\n    law: X\n    article: '31'\n    severity: high\n"
    "    title: {ko: 가, en: a}\n    explanation: {ko: 가, en: a}\n"
    "    remediation: {ko: 가, en: a}\n"
)


def write_pack(tmp_path: Path, when: str, extra: str = "") -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(HEAD + RULE + f"    when: {when}\n" + extra, "utf-8")
    return path


def test_docs_table_is_generated_from_the_declaration() -> None:
    docs = (ROOT / "docs" / "facts.md").read_text("utf-8")
    begin = docs.index("-->\n", docs.index("<!-- BEGIN generated")) + 4
    end = docs.index("<!-- END generated -->")
    assert docs[begin:end] == markdown_table(), (
        "docs/facts.md is out of date: paste privwatch.rules.facts.markdown_table()"
    )


def test_every_kind_a_builtin_pack_names_is_declared() -> None:
    for name in ("kr-pipa", "kr-terms"):
        for rule in load_pack(name).rules:
            assert kinds(rule.when) <= set(KIND_BY_NAME), rule.id


def test_review_codes_have_texts_in_both_languages() -> None:
    from privwatch.i18n import message

    for code in REVIEW_CODES:
        for lang in ("en", "ko"):
            assert message(f"review.{code}", lang) != f"review.{code}"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_the_extractors_facts_conform(path: Path) -> None:
    document = ingest_document(str(path))
    packs = [load_pack("kr-pipa")]
    if "terms" in path.name:
        packs.append(load_pack("kr-terms"))  # adds the unfair_term facts
    facts = audit_document(document, packs).facts
    assert conforms(facts) == []
    if "terms" in path.name:
        assert any(f.kind == "unfair_term" for f in facts)


def test_flow_facts_conform(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_consistency import korean_example

    facts = facts_from_audit(korean_example(capsys))
    assert any(f.kind == "flow" for f in facts)
    assert conforms(facts) == []


def test_a_fact_outside_the_declaration_is_reported() -> None:
    assert problems(Fact("offcer")) == ["unknown kind 'offcer'"]
    assert problems(Fact("officer", None, (("contact", "yes"),))) == [
        "officer.contact 'yes' is not bool"
    ]
    assert problems(Fact("officer", None, (("phone", True),))) == [
        "officer.phone: unknown attribute"
    ]
    assert problems(Fact("section", "purpose")) != []  # the topic is 'purposes'
    assert problems(Fact("officer", None, (("review", "threshold"),))) == []
    assert problems(Fact("officer", None, (("review", "guess"),))) != []


@pytest.mark.parametrize(
    ("when", "field", "words"),
    [
        ("{missing: {fact: offcer}}", "missing.fact", "unknown fact kind 'offcer'"),
        (
            "{exists: {fact: officer, where: {phone: false}}}",
            "exists.where.phone",
            "officer has no attribute 'phone'",
        ),
        (
            "{exists: {fact: officer, where: {contact: 'no'}}}",
            "exists.where.contact",
            "'no' is not bool",
        ),
        (
            "{exists: {fact: recipient, where: {role: {in: [provision, sale]}}}}",
            "exists.where.role.in",
            "'sale' is not one of provision, outsourcing, transfer",
        ),
        (
            "{exists: {fact: section, where: {value: purpose}}}",
            "exists.where.value",
            "'purpose' is not one of purposes",
        ),
        (
            "{all: [{context: {foriegn: true}}, {missing: {fact: agent}}]}",
            "all.0.context.foriegn",
            "unknown context key",
        ),
        (
            "{context: {foreign: 'yes'}}",
            "context.foreign",
            "takes true or false",
        ),
        ("{not: {fact: officer}}", "not", "unknown operator 'fact'"),
        ("{eval: '1'}", "", "unknown operator 'eval'"),
    ],
)
def test_a_pack_outside_the_declaration_is_refused_in_one_line(
    tmp_path: Path, when: str, field: str, words: str
) -> None:
    path = write_pack(tmp_path, when)
    with pytest.raises(InputError) as error:
        load_pack(str(path))
    for lang in ("en", "ko"):
        line = error.value.render(lang)
        assert "\n" not in line
        assert str(path) in line and "mine.1" in line and "when" in line
        assert f"{field}:" in line and words in line


def test_a_review_condition_is_checked_too(tmp_path: Path) -> None:
    path = write_pack(
        tmp_path,
        "{missing: {fact: officer}}",
        "    review:\n      - when: {context: {korea_facng: false}}\n"
        "        reason: {ko: 가, en: a}\n",
    )
    with pytest.raises(InputError) as error:
        load_pack(str(path))
    line = error.value.render("en")
    assert "review.0.when" in line and "mine.1" in line and "korea_facng" in line


def test_the_typo_no_longer_fires_on_a_policy_naming_its_officer(
    tmp_path: Path,
) -> None:
    """The issue's case: `missing: {fact: offcer}` loaded and fired a high
    finding on a policy that names its officer. Now it is refused, and the
    rule spelled right stays silent, in Korean and English."""
    with pytest.raises(InputError):
        load_pack(str(write_pack(tmp_path, "{missing: {fact: offcer}}")))
    pack = load_pack(str(write_pack(tmp_path, "{missing: {fact: officer}}")))
    for name, text in (
        (
            "a.md",
            "# Privacy\n\n## Privacy officer\n\nOur privacy officer is Jane Roe "
            "(privacy@example.com).\n",
        ),
        (
            "b.md",
            "# 개인정보 처리방침\n\n## 제9조(개인정보 보호책임자)\n\n개인정보 보호책임자: "
            "홍길동 (privacy@example.com)\n",
        ),
    ):
        document = document_from_bytes(text.encode(), name)
        assert audit_document(document, [pack]).findings == ()


def test_conditions_are_typed_and_round_trip() -> None:
    data = {
        "all": [
            {"context": {"foreign": True, "korea_facing": False}},
            {
                "exists": {
                    "fact": "item",
                    "where": {"mandatory": {"in": [True, False]}},
                }
            },
            {
                "not": {
                    "missing": {
                        "fact": "recipient",
                        "where": {"role": {"not": "transfer"}},
                    }
                }
            },
        ]
    }
    condition = parse(data)
    assert to_data(condition) == data
    assert kinds(condition) == {"item", "recipient"}
    assert isinstance(parse({"exists": {"fact": "agent"}}), Exists)
    assert set(CONTEXT_KEYS) == {"foreign", "korea_facing", "agent_required"}
