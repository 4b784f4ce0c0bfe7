"""Unfair terms read from the clause's own words (privwatch.extract.terms):
protective clauses never a finding, the triggering sentence quoted, long
clauses read to the end, classifier-only judgements left to a person."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from privwatch import document_from_bytes
from privwatch.extract.terms import holder, rule_facts, terms, unfair_terms
from privwatch.models import Document, Evidence, Fact
from privwatch.rules.facts import UNFAIR_CATEGORIES


def _doc(body: str, title: str = "# 이용약관") -> Document:
    return document_from_bytes(
        f"{title}\n\n## 제1조(조항)\n\n{body}\n".encode(), "t.md"
    )


def _classified(document: Document, category: str) -> list[Fact]:
    """What the classifier gives: every clause judged unfair in ``category``."""
    return [
        Fact(
            kind="unfair_term",
            value=category,
            attrs=(("score", "0.90"),),
            evidence=(Evidence(c.start, c.end, document.quote(c), c.id),),
        )
        for c in document.clauses
    ]


# Terms Act Art. 12(1) proviso: silence taken as consent after a clear, separate notice
ART_12_PROVISO = (
    "회사가 개정약관을 통지하면서 7일 안에 거부하지 않으면 동의한 것으로 본다는 뜻을 "
    "명확하게 통지하였음에도 회원이 거부하지 않으면 개정약관에 동의한 것으로 봅니다."
)

# One protective clause of each kind, and the categories a classifier might
# wrongly give it: neither a rule nor the classifier may make it a finding.
PROTECTIVE = [
    (
        "회사는 회사의 고의 또는 중대한 과실로 인한 손해에 대하여는 책임을 집니다.",
        "ltd",
    ),
    (
        "Nothing in these terms excludes or limits our liability for death or personal injury caused by our negligence.",
        "ltd",
    ),
    ("회사는 회사에 고의 또는 과실이 없는 경우에 한하여 책임을 지지 않습니다.", "ltd"),
    (
        "We are not liable for losses that are not caused by our breach or negligence and that are beyond our reasonable control.",
        "ltd",
    ),
    ("회원은 언제든지 서비스 내 메뉴를 통하여 이용계약을 해지할 수 있습니다.", "ter"),
    ("You may terminate your account at any time by contacting us.", "ter"),
    (
        "Purchases made through the App Store are governed by the App Store's terms and refund policies.",
        "wd",
    ),
    ("앱 마켓을 통하여 결제한 경우 환불은 해당 앱 마켓의 정책에 따릅니다.", "wd"),
    (
        "회사는 약관을 개정하는 경우 적용일자 30일 전부터 공지하며, 회원은 개정 약관에 동의하지 않으면 이용계약을 해지할 수 있습니다.",
        "ch",
    ),
    (
        "We will notify you at least 30 days before material changes take effect, and you may close your account if you do not agree.",
        "ch",
    ),
    ("회사와 회원 간에 제기된 소송은 민사소송법상의 관할법원에 제기합니다.", "j"),
    ("소송은 제소 당시 이용자의 주소를 관할하는 지방법원의 전속관할로 합니다.", "j"),
    ("이 약관의 해석에 관하여는 대한민국 법령을 적용합니다.", "law"),
    (
        "이용자는 전자상거래 등에서의 소비자보호에 관한 법률에 따라 청약철회를 할 수 있습니다.",
        "wd",
    ),
    (
        "회사는 개인정보의 수집·이용에 관하여 회원으로부터 별도의 동의를 받습니다.",
        "pinc",
    ),
    (ART_12_PROVISO, "use"),
    (ART_12_PROVISO, "ch"),
    ("언제든지 서비스 설정 화면에서 이용계약을 해지하실 수 있습니다.", "ter"),
    ("회사는 “회원”에게 이를 통지하고 소명할 기회를 준 후 이용을 제한합니다.", "ter"),
    ("회사는 “회원”의 개인정보 유출로 인한 손해에 대하여 모든 책임을 집니다.", "ltd"),
    (
        "“회원”이 연락처를 갱신하지 않아 발생한 불이익에 대하여 회사는 책임을 지지 않습니다.",
        "ltd",
    ),
    (
        "We will not be liable for any loss caused by your failure to keep your password secure.",
        "ltd",
    ),
]


@pytest.mark.parametrize(("text", "category"), PROTECTIVE)
def test_a_protective_clause_is_never_a_finding(text: str, category: str) -> None:
    title = "# Terms" if text.isascii() else "# 이용약관"
    document = _doc(text, title)
    assert rule_facts(document) == []
    assert unfair_terms(document, _classified(document, category)) == []


def test_the_triggering_sentence_is_quoted_exactly() -> None:
    body = (
        "① 회원은 서비스를 이용할 때 관계 법령을 지켜야 합니다. 회원은 타인의 정보를 도용하여서는 안 됩니다. "
        "회사는 서비스 이용과 관련하여 회원에게 발생한 어떠한 손해에 대하여도 책임을 지지 않습니다. "
        "회원은 자신의 계정을 스스로 관리하여야 합니다."
    )
    document = _doc(body)
    facts = [f for f in rule_facts(document) if f.value == "ltd"]
    assert len(facts) == 1
    quote = facts[0].evidence[0]
    assert document.text[quote.start : quote.end] == quote.text
    assert quote.text.startswith("회사는 서비스 이용과 관련하여")
    assert quote.text.endswith("책임을 지지 않습니다.")
    clause = document.clauses[-1]
    assert quote.clause == clause.id and len(quote.text) < clause.end - clause.start


def test_a_long_clause_is_read_to_its_end() -> None:
    """The unfair part lies deep in a long clause (past what the classifier
    reads), in one long sentence: each part is found and quoted apart."""
    filler = " ".join(
        f"THE PARTIES SHALL FIRST TRY TO SETTLE ANY CLAIM NUMBER {n} BY GOOD-FAITH TALKS;"
        for n in range(30)
    )
    body = (
        f"9.4 {filler} IF YOU RESIDE IN THE REPUBLIC OF KOREA, THIS AGREEMENT SHALL BE "
        "GOVERNED BY THE LAWS OF SINGAPORE WITHOUT REGARD TO ITS CONFLICT OF LAWS RULES; AND ANY "
        "DISPUTE SHALL BE REFERRED TO AND FINALLY RESOLVED BY ARBITRATION ADMINISTERED BY THE "
        "SINGAPORE INTERNATIONAL ARBITRATION CENTRE."
    )
    document = _doc(body, "# Terms of Service")
    found = {f.value: f.evidence[0] for f in rule_facts(document)}
    assert {"law", "a"} <= set(found)
    assert found["law"].start > 1500
    assert "GOVERNED BY THE LAWS OF SINGAPORE" in found["law"].text
    assert "ARBITRATION ADMINISTERED" in found["a"].text
    assert "GOOD-FAITH" not in found["law"].text + found["a"].text
    for quote in found.values():
        assert document.text[quote.start : quote.end] == quote.text


def test_a_clause_excepting_korean_users_is_no_finding() -> None:
    text = (
        "We may suspend or modify the service at any time without prior notice, "
        "except in respect of South Korean users."
    )
    assert rule_facts(_doc(text, "# Terms")) == []


def test_classifier_only_judgements_are_review_items_quoting_their_sentence() -> None:
    body = (
        "회원은 서비스를 성실히 이용하여야 합니다. 회사는 서비스의 일부를 유료로 제공할 수 있습니다. "
        "회사가 제공하는 정보의 정확성에 관하여 회사는 보증하지 않습니다."
    )
    document = _doc(body)
    facts = unfair_terms(document, _classified(document, "ltd"))
    assert [f.get("review") for f in facts] == ["classifier"]
    assert facts[0].get("source") == "classifier"
    assert facts[0].evidence[0].text.startswith("회사가 제공하는 정보의 정확성")


def test_a_rule_read_clause_is_certain_and_not_doubled_by_the_classifier() -> None:
    document = _doc(
        "회사는 회원에게 발생한 어떠한 손해에 대하여도 책임을 지지 않습니다."
    )
    facts = unfair_terms(document, _classified(document, "ltd"))
    assert [(f.value, f.get("source"), f.get("review")) for f in facts] == [
        ("ltd", "rule", None)
    ]


def test_an_exclusion_resting_on_grounds_elsewhere_is_left_to_a_person() -> None:
    document = _doc(
        "제1항에 의한 장애로 서비스가 중단된 경우 회사는 일체의 책임을 지지 않습니다."
    )
    assert [f.get("review") for f in rule_facts(document)] == ["reading"]


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("회원은 언제든지 이용계약을 해지할 수 있습니다.", "customer"),
        ("회원이 약관을 위반한 경우 회사는 이용계약을 해지할 수 있습니다.", "business"),
        ("If you breach these terms, we may close your account.", "business"),
        ("You may close your account at any time.", "customer"),
    ],
)
def test_who_holds_the_right(text: str, who: str) -> None:
    assert holder(text) == who


def test_the_terms_data_is_consistent_and_sourced() -> None:
    path = resources.files("privwatch.extract").joinpath("data/terms.yaml")
    text = path.read_text("utf-8")
    assert "Sources" in text and "law.go.kr" in text
    data = yaml.safe_load(text)
    loaded = terms()
    ids = [c.id for c in loaded.checks]
    assert len(ids) == len(set(ids)) == len(data["checks"])
    assert {c.category for c in loaded.checks} == set(UNFAIR_CATEGORIES)
    for guard in loaded.guards:
        assert guard.categories <= set(UNFAIR_CATEGORIES), guard.id
    assert set(loaded.cues) <= set(UNFAIR_CATEGORIES)


def test_protective_terms_give_no_finding_through_the_audit() -> None:
    """The whole pipeline, with the classifier: terms made of protective
    clauses only give no kr-terms finding, certain or review."""
    from privwatch.pipeline import audit_document
    from privwatch.rules import load_pack

    for lang, title in (("ko", "# 이용약관"), ("en", "# Terms of Service")):
        clauses = [t for t, _ in PROTECTIVE if t.isascii() == (lang == "en")]
        body = "\n\n".join(f"## 제{n}조(조항)\n\n{t}" for n, t in enumerate(clauses, 1))
        document = document_from_bytes(f"{title}\n\n{body}\n".encode(), "t.md")
        audit = audit_document(document, [load_pack("kr-terms")])
        assert [(f.rule, f.evidence[0].text) for f in audit.findings] == []


# Sentences of our own writing, each with the category a check must read in it
# ("" for fair clauses no check may read).
SENTENCES = [
    (
        "회원의 신용정보를 신용정보회사에 제공하여 활용하는 데 회원이 동의한 것으로 간주합니다.",
        "pinc",
    ),
    ("적립금의 사용조건은 “회사”의 정책에 따라 달라질 수 있습니다.", "ch"),
    ("환불을 요청하는 회원은 환불 계좌 정보의 제공에 동의한 것으로 봅니다.", ""),
    ("회사는 서비스 이용으로 발생한 손해에 대하여 일체 책임지지 않습니다.", "ltd"),
    (
        "회사는 회원이 서비스를 이용하여 얻은 정보로 인한 손해에 대하여 어떠한 책임도 지지 아니합니다.",
        "ltd",
    ),
    ("회사는 사전 공지 없이 서비스의 내용을 변경하거나 중단할 수 있습니다.", "ch"),
    ("회사는 필요한 경우 언제든지 이 약관을 변경할 수 있습니다.", "ch"),
    ("개정된 약관은 홈페이지에 게시한 날부터 효력이 발생합니다.", "ch"),
    ("이 약관은 싱가포르 법률에 따라 해석되고 규율됩니다.", "law"),
    ("이 약관에 관한 분쟁은 미국 캘리포니아주 법률을 준거법으로 합니다.", "law"),
    ("본 약관에 관한 소송은 서울중앙지방법원을 전속관할 법원으로 합니다.", "j"),
    ("본 약관과 관련된 분쟁은 대한상사중재원의 중재에 따라 최종 해결합니다.", "a"),
    ("회원이 서비스를 이용하는 경우 이 약관에 동의한 것으로 봅니다.", "use"),
    ("회사는 회원의 게시물을 회사의 판단에 따라 임의로 삭제할 수 있습니다.", "cr"),
    (
        "회사는 회원이 약관을 위반한 경우 사전 통지 없이 회원 자격을 박탈할 수 있습니다.",
        "ter",
    ),
    ("디지털 콘텐츠는 구매 후 환불이 불가합니다.", "wd"),
    ("단순 변심에 의한 반품은 상품 수령 후 3일 이내에만 가능합니다.", "wd"),
    ("반품 시 배송비는 상품의 하자 여부와 관계없이 고객이 부담합니다.", "wd"),
    ("환불은 현금이 아닌 적립금으로만 지급됩니다.", "wd"),
    (
        "회원가입 시 이 약관에 동의하면 개인정보 수집 및 이용에도 동의한 것으로 봅니다.",
        "pinc",
    ),
    (
        "We may change these Terms at any time and the changes will be effective immediately upon posting.",
        "ch",
    ),
    ("These Terms shall be governed by the laws of England and Wales.", "law"),
    (
        "You agree to submit to the exclusive jurisdiction of the courts of Singapore.",
        "j",
    ),
    ("We may terminate your account at any time without notice.", "ter"),
    ("IN NO EVENT SHALL THE COMPANY BE LIABLE FOR ANY DAMAGES WHATSOEVER.", "ltd"),
    ("Refunds are issued as store credit only.", "wd"),
    (
        "By creating an account you consent to the processing of your personal data as described in our Privacy Policy.",
        "pinc",
    ),
    # fair
    (
        "회사는 회원이 서비스를 이용하는 데 필요한 경우 회원에게 공지한 후 서비스를 변경할 수 있습니다.",
        "",
    ),
    ("회원은 상품을 받은 날부터 7일 이내에 청약을 철회할 수 있습니다.", ""),
    ("환불은 반품 상품이 도착한 날부터 3일 이내에 처리됩니다.", ""),
    ("회사는 환불하지 않은 금액에 대하여 지연이자를 지급합니다.", ""),
    ("상품이 표시·광고 내용과 다른 경우 반품 비용은 회사가 부담합니다.", ""),
    ("회사는 관련 법령이 정하는 바에 따라 회원의 개인정보를 보호합니다.", ""),
    ("회원은 언제든지 고객센터를 통하여 탈퇴를 요청할 수 있습니다.", ""),
    ("회사의 고의 또는 중대한 과실로 인한 손해는 회사가 배상합니다.", ""),
    (
        "회사는 회원의 귀책사유로 인한 서비스 이용 장애에 대하여 책임을 지지 않습니다.",
        "",
    ),
    ("이 약관은 대한민국 법률에 따라 규율되고 해석됩니다.", ""),
    (
        "We will give you 30 days' notice before changes take effect, and you may cancel.",
        "",
    ),
    ("You may cancel your order within 14 days and receive a full refund.", ""),
    (
        "We do not exclude liability for death or personal injury caused by our negligence.",
        "",
    ),
    ("Korean law governs these terms.", ""),
]


@pytest.mark.parametrize(("text", "category"), SENTENCES)
def test_checks_read_common_wordings(text: str, category: str) -> None:
    title = "# Terms" if text.isascii() else "# 이용약관"
    found = {f.value for f in rule_facts(_doc(text, title))}
    if category:
        assert category in found
    else:
        assert found == set()


def test_a_negated_arbitration_is_no_arbitration() -> None:
    text = "중재로 해결되지 아니하는 소송은 회사의 본사 소재지를 관할하는 법원을 전속 관할법원으로 합니다."
    assert {f.value for f in rule_facts(_doc(text))} == {"j"}


def test_audit_findings_quote_the_sentence_with_exact_offsets() -> None:
    """Through the whole pipeline (with the classifier): certain findings, each
    quoting an exact substring of the text, shorter than its long clause."""
    from privwatch.pipeline import audit_document
    from privwatch.rules import load_pack

    body = (
        "제15조(분쟁) ① 회사와 회원은 분쟁을 원만하게 해결하기 위하여 성실히 협의합니다. "
        + "회원은 분쟁이 생기면 고객센터에 먼저 알려야 합니다. " * 20
        + "② 이 약관은 홍콩 법률에 따라 해석되며 그 분쟁에는 홍콩 법률이 적용됩니다."
    )
    document = _doc(body)
    audit = audit_document(document, [load_pack("kr-terms")])
    found = {f.rule: f for f in audit.findings}
    law = found["kr-terms.6.choice_of_law"]
    assert law.certainty == "certain"
    (quote,) = law.evidence
    assert document.text[quote.start : quote.end] == quote.text
    assert quote.text.startswith("이 약관은 홍콩 법률")
    clause = next(c for c in document.clauses if c.id == quote.clause)
    assert len(quote.text) < (clause.end - clause.start) / 5
