"""Audit accuracy (issue 15, "Show"): one group of tests per failure class the
issue lists, on policies written for these tests in Korean and English, in the
layouts real policies use (dash lists, `key: value` lines, numbered items,
tables by row and by column, headings in every style, Markdown and HTML).

1. scope: passages for other jurisdictions give neither findings nor credit;
   a document addressed only to users elsewhere says so
2. disclosure records: a lead-in and the list or table completing it are one
   disclosure; statutes and start points inherit down the outline
3. absence is judged from content, not from recognised headings
4. a domestic agent named in a table of representatives
5. deemed consent
6. roles: provision, outsourcing, and what is neither
7. quotes: the sentence that carries the fact, few and short spans
8. typed packs: a typo is refused at load, from the CLI too

Every company, address and person here is invented.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest

from privwatch import document_from_bytes
from privwatch.models import Audit, Evidence, Fact, Finding
from privwatch.pipeline import audit_document
from privwatch.report.json import render_json
from privwatch.rules import load_pack
from privwatch.rules.words import finding_words
from tests.test_cli import run

PACK = load_pack("kr-pipa")
MAX_QUOTE = 400  # characters per quoted span (issue 15, deliver 5)


@cache
def audited(
    text: str,
    name: str,
    foreign: bool | None = None,
    agent_required: bool | None = None,
) -> Audit:
    document = document_from_bytes(text.encode("utf-8"), name)
    return audit_document(
        document, [PACK], foreign=foreign, agent_required=agent_required
    )


def short(finding: Finding) -> str:
    return finding.rule.removeprefix("kr-pipa.")


def fired(audit: Audit, certainty: str | None = None) -> Counter[str]:
    """Findings by rule ("30.destruction_missing"), of one certainty if given."""
    return Counter(
        short(f)
        for f in audit.findings
        if certainty is None or f.certainty == certainty
    )


def transfer_rule(rule: str) -> bool:
    """A rule on transfers abroad (Art. 28-8), not on where the business
    itself processes data (Decree 31(1)4)."""
    return rule.startswith("28-8.") and rule != "28-8.direct_collection_country_missing"


def facts(audit: Audit, kind: str) -> list[Fact]:
    return [f for f in audit.facts if f.kind == kind]


def passage(audit: Audit, first: str, last: str) -> tuple[int, int]:
    """The span of the text from the line starting ``first`` to the end of the
    line ``last`` (both must be in the text, in that order)."""
    text = audit.document.text
    start = text.index(first)
    end = text.index(last, start) + len(last)
    return start, end


def inside(evidence: Evidence, span: tuple[int, int]) -> bool:
    return evidence.start < span[1] and evidence.end > span[0]


def case_ids(cases: Sequence[tuple[str, ...]]) -> list[str]:
    """Test ids "en-1", "ko-2"... (the first field of each case is its language)."""
    seen: Counter[str] = Counter()
    ids = []
    for case in cases:
        seen[case[0]] += 1
        ids.append(f"{case[0]}-{seen[case[0]]}")
    return ids


def assert_exact(audit: Audit) -> None:
    text = audit.document.text
    spans = [e for f in audit.facts for e in f.evidence]
    spans += [e for f in audit.findings for e in f.evidence]
    for evidence in spans:
        assert text[evidence.start : evidence.end] == evidence.text


# =============================================================================
# 1. Scope
# =============================================================================

EN_GLOBAL = """# Orbit Mall Privacy Policy

Orbit Mall Ltd. runs an online marketplace. This policy explains how we handle the personal data of everyone who shops with us.

## 1. What we collect

We collect your name, email address, phone number and delivery address when you place an order.

## 2. Why we use it

We use your data to deliver your orders and to answer your questions.

## 3. How long we keep it

We keep order records for 5 years from the date of the order, as the Act on Consumer Protection in Electronic Commerce requires.

## 4. Your rights

You may access, correct or delete your data, ask us to stop processing it, or withdraw your consent, by writing to privacy@orbit.example.

## 5. Additional information for users in the European Economic Area

If you live in the EEA, we process your personal data without your consent on the following legal bases:

- Performance of a contract (Art. 6(1)(b) GDPR): your name, address and order details, to deliver your order.
- Legal obligation (Art. 6(1)(c) GDPR): invoices, which tax law requires us to keep.
- Legitimate interests (Art. 6(1)(f) GDPR): device data, to keep the service secure.

When we transfer your information outside the EEA, we do so as follows:

- Recipient: Cloudnine Hosting Inc. (privacy@cloudnine.example)
- Country: United States
- Safeguard: the Standard Contractual Clauses of the European Commission

## 6. Notice to California residents

The table below lists the categories of personal information we collected in the past 12 months and the categories of third parties to which we disclosed them.

| Category | Sources | Disclosed to |
|---|---|---|
| Identifiers | You | Advertising partners, data brokers |
| Commercial information | You | Affiliates, business partners |

## 7. Country supplements

For users in Brazil: we may share your personal data with our business partners under the LGPD.

Türkiye: our data controller representative in Türkiye is Orbit Temsilcilik A.Ş., Levent Cad. 1, Istanbul, Türkiye, and your data may be transferred abroad to our group companies.

## 8. Contact

Our privacy officer is Jane Roe (privacy@orbit.example, +82-2-555-0100).
"""

KO_GLOBAL = """# 오르빗몰 개인정보 처리방침

## 제1조(개인정보의 처리 목적)

회사는 주문 상품의 배송과 고객 문의 응대를 위하여 개인정보를 처리합니다.

## 제2조(처리하는 개인정보의 항목)

필수항목: 이름, 휴대전화번호, 배송지 주소

## 제3조(개인정보의 보유 기간)

주문 기록은 「전자상거래 등에서의 소비자보호에 관한 법률」에 따라 주문일로부터 5년간 보관합니다.

## 제4조(정보주체의 권리)

이용자는 개인정보의 열람, 정정, 삭제, 처리정지를 요구하거나 동의를 철회할 수 있습니다.

## 제5조(유럽경제지역(EEA) 거주 이용자를 위한 추가 안내)

EEA에 거주하는 이용자의 개인정보는 다음의 법적 근거에 따라 동의 없이 처리합니다.

- 계약의 이행(GDPR 제6조제1항 b호): 이름, 주소, 주문 정보
- 법적 의무의 준수(GDPR 제6조제1항 c호): 세법에 따른 거래 기록

EEA 밖으로 개인정보를 이전하는 경우 다음과 같이 이전합니다.

- 이전받는 자: Cloudnine Hosting Inc. (privacy@cloudnine.example)
- 이전되는 국가: 미국
- 이전 항목: 이름, 이메일

## 제6조(미국 캘리포니아 거주자를 위한 안내)

아래 표는 지난 12개월 동안 수집한 개인정보의 범주와 이를 공개한 제3자의 범주입니다.

| 개인정보의 범주 | 공개한 제3자의 범주 |
|---|---|
| 식별자 | 광고 파트너, 데이터 브로커 |
| 거래 정보 | 계열사, 제휴사 |

## 제7조(국가별 추가 안내)

브라질 거주 이용자의 경우: 회사는 LGPD에 따라 제휴사에 개인정보를 제공할 수 있습니다.

튀르키예 거주 이용자의 경우: 튀르키예의 대리인은 Orbit Temsilcilik A.Ş.(튀르키예 이스탄불 Levent Cad. 1)이며, 개인정보가 그룹 계열사로 국외 이전될 수 있습니다.

## 제8조(개인정보 보호책임자)

개인정보 보호책임자: 김하늘 (privacy@orbit.example, 02-555-0100)
"""

# the passages each text addresses to users elsewhere: (first line, last line)
FOREIGN_PASSAGES = {
    "en": [
        (
            "5. Additional information for users in the European Economic Area",
            "Safeguard: the Standard Contractual Clauses of the European Commission",
        ),
        (
            "6. Notice to California residents",
            "Commercial information | You | Affiliates, business partners",
        ),
        ("For users in Brazil:", "under the LGPD."),
        ("Türkiye: our data controller", "to our group companies."),
    ],
    "ko": [
        ("제5조(유럽경제지역(EEA)", "이전 항목: 이름, 이메일"),
        ("제6조(미국 캘리포니아", "거래 정보 | 계열사, 제휴사"),
        ("브라질 거주 이용자의 경우:", "제공할 수 있습니다."),
        ("튀르키예 거주 이용자의 경우:", "국외 이전될 수 있습니다."),
    ],
}

GLOBAL = {"en": (EN_GLOBAL, "en.md"), "ko": (KO_GLOBAL, "ko.md")}

# the same list of processing without consent, and the same transfer, in a
# passage for everyone: then they count
EN_GENERAL_TAIL = """## 5. Processing without your consent, and transfers abroad

We process the following personal data without your consent, on the legal bases below:

- Performance of a contract (PIPA Art. 15(1)4): your name, address and order details, to deliver your order.
- Legal obligation (PIPA Art. 15(1)2): invoices, which tax law requires us to keep.

When we transfer your information outside Korea, we do so as follows:

- Recipient: Cloudnine Hosting Inc. (privacy@cloudnine.example)
- Country: United States
- Items: name, email address

## 8. Contact

Our privacy officer is Jane Roe (privacy@orbit.example, +82-2-555-0100).
"""

KO_GENERAL_TAIL = """## 제5조(정보주체의 동의 없이 처리하는 개인정보와 국외 이전)

회사는 다음의 개인정보를 법적 근거에 따라 정보주체의 동의 없이 처리합니다.

- 계약의 이행(법 제15조제1항제4호): 이름, 주소, 주문 정보
- 법령상 의무의 준수(법 제15조제1항제2호): 세법에 따른 거래 기록

회사는 다음과 같이 개인정보를 국외로 이전합니다.

- 이전받는 자: Cloudnine Hosting Inc. (privacy@cloudnine.example)
- 이전되는 국가: 미국
- 이전 항목: 이름, 이메일

## 제8조(개인정보 보호책임자)

개인정보 보호책임자: 김하늘 (privacy@orbit.example, 02-555-0100)
"""


def general_variant(lang: str) -> str:
    """The global text with its foreign passages replaced by one for everyone."""
    if lang == "en":
        head = EN_GLOBAL[: EN_GLOBAL.index("## 5. Additional")]
        return head + EN_GENERAL_TAIL
    head = KO_GLOBAL[: KO_GLOBAL.index("## 제5조(유럽경제지역")]
    return head + KO_GENERAL_TAIL


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_scope_passages_for_other_places_raise_no_finding(lang: str) -> None:
    text, name = GLOBAL[lang]
    audit = audited(text, name, foreign=lang == "en")
    assert_exact(audit)
    spans = [passage(audit, a, b) for a, b in FOREIGN_PASSAGES[lang]]
    quoted = [
        (short(f), e.text)
        for f in audit.findings
        for e in f.evidence
        if any(inside(e, s) for s in spans)
    ]
    assert quoted == []
    # the category recipients of the California table and the Brazil lead are
    # not Korean users' recipients
    assert "17.recipients_by_category" not in fired(audit)
    assert "17.recipients_by_category_with_consent" not in fired(audit)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_scope_a_no_consent_list_only_for_the_eea_earns_no_credit(lang: str) -> None:
    text, name = GLOBAL[lang]
    audit = audited(text, name, foreign=lang == "en")
    assert fired(audit)["22.no_consent_basis_missing"] == 1
    spans = [passage(audit, a, b) for a, b in FOREIGN_PASSAGES[lang]]
    credit = [
        f
        for f in facts(audit, "no_consent_list")
        if any(inside(e, s) for e in f.evidence for s in spans)
    ]
    assert credit == []
    # the control: the same list addressed to everyone satisfies the rule
    control = audited(general_variant(lang), name, foreign=lang == "en")
    assert "22.no_consent_basis_missing" not in fired(control)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_scope_a_transfer_listed_only_for_eea_users_is_no_transfer(lang: str) -> None:
    text, name = GLOBAL[lang]
    audit = audited(text, name, foreign=lang == "en")
    assert facts(audit, "transfer") == []
    assert not [f for f in fired(audit) if transfer_rule(f)]
    # the control: the same lines for everyone are a transfer to the US
    control = audited(general_variant(lang), name, foreign=lang == "en")
    assert [f.get("country") for f in facts(control, "transfer")] == ["US"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_scope_a_country_supplement_is_no_transfer_nor_agent(lang: str) -> None:
    text, name = GLOBAL[lang]
    audit = audited(text, name, foreign=lang == "en")
    countries = {
        f.value for f in facts(audit, "country") if f.get("context") == "transfer"
    }
    assert not countries & {"TR", "BR"}
    # the Türkiye representative is not Korea's domestic agent
    assert facts(audit, "agent") == []


US_ONLY_EN = """# Privacy Policy

This Privacy Policy applies only to residents of the United States who use the Orbit Mall website.

## Information we collect

We collect your name, email address and delivery address.

## Your rights

You may access or delete your data by writing to privacy@orbit.example.

## Privacy officer

Our privacy officer is Jane Roe (privacy@orbit.example).
"""

EU_ONLY_EN = """# Privacy Notice for the European Economic Area

This notice applies to you if you live in the European Economic Area, and explains how Orbit Mall B.V. processes your personal data under the GDPR.

## Information we collect

We collect your name, email address and delivery address.

## Your rights

You may access or delete your data by writing to privacy@orbit.example.

## Data protection officer

Our data protection officer is Jan de Vries (dpo@orbit.example).
"""

US_ONLY_KO = """# 미국 거주 고객을 위한 개인정보 보호 고지

이 고지는 미국에 거주하는 오르빗뱅크 뉴욕지점 고객에게만 적용됩니다.

## 수집하는 개인정보

회사는 이름, 이메일 주소, 우편 주소를 수집합니다.

## 고객의 권리

고객은 privacy@orbit.example로 요청하여 개인정보의 열람과 삭제를 요구할 수 있습니다.

## 개인정보 보호책임자

개인정보 보호책임자: Jane Roe (privacy@orbit.example)
"""

ONLY_ELSEWHERE = {
    "us-en": (US_ONLY_EN, "us.md", "US", "residents of the United States"),
    "eea-en": (EU_ONLY_EN, "eu.md", "EEA", "European Economic Area"),
    "us-ko": (US_ONLY_KO, "us-ko.md", "US", "미국에 거주하는"),
}


@pytest.mark.parametrize("case", sorted(ONLY_ELSEWHERE))
def test_scope_a_document_for_users_elsewhere_says_so(case: str) -> None:
    text, name, where, words = ONLY_ELSEWHERE[case]
    audit = audited(text, name, foreign=True, agent_required=True)
    assert (audit.scope.audience, audit.scope.where) == ("other", where)
    assert audit.scope.evidence
    assert any(words in e.text for e in audit.scope.evidence)
    for evidence in audit.scope.evidence:
        assert audit.document.text[evidence.start : evidence.end] == evidence.text
    # even with the thresholds met, 31-2 and 38(4) presume a Korea-facing text
    presumed = [f for f in audit.findings if f.article.startswith(("31-2", "38"))]
    assert presumed  # there is something to review (no agent named)
    assert all(f.certainty == "review" and f.reason for f in presumed)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_scope_a_global_policy_with_an_eea_section_is_not_for_the_eea(
    lang: str,
) -> None:
    """A policy for everyone with one section for EEA users: the section's
    GDPR wording does not make the whole text an EEA notice."""
    text, name = GLOBAL[lang]
    audit = audited(text, name, foreign=True, agent_required=True)
    assert audit.scope.audience != "other", audit.scope
    (agent,) = [f for f in audit.findings if short(f) == "31-2.domestic_agent_missing"]
    assert agent.certainty == "certain"


def test_scope_a_global_policy_with_a_korea_section_is_korea_facing() -> None:
    text = EN_GLOBAL.replace(
        "## 8. Contact",
        "## 8. Additional information for users in Korea\n\n"
        "Korean users may exercise their rights under the Personal Information "
        "Protection Act by writing to privacy@orbit.example.\n\n## 9. Contact",
    )
    audit = audited(text, "en.md", foreign=True, agent_required=True)
    assert audit.scope.audience != "other"
    (agent,) = [f for f in audit.findings if short(f) == "31-2.domestic_agent_missing"]
    assert agent.certainty == "certain"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "This text addresses users in EEA, not Korea"),
        ("ko", "이 문서는 한국이 아닌 EEA 이용자를 대상으로 합니다"),
    ],
)
def test_scope_is_in_the_json_and_at_the_top_of_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, line: str
) -> None:
    path = tmp_path / "eu.md"
    path.write_text(EU_ONLY_EN, "utf-8")
    args = ["--lang", lang, "audit", str(path), "--foreign", "--agent-required"]
    code, out, err = run([*args, "-f", "json"], capsys)
    assert code == 0 and err == ""
    data = json.loads(out)
    scope = data["document"]["scope"]
    assert (scope["audience"], scope["where"]) == ("other", "EEA")
    for quote in scope["evidence"]:
        assert data["document"]["text"][quote["start"] : quote["end"]] == quote["text"]
    review = {f["rule"] for f in data["findings"] if f["certainty"] == "review"}
    assert "kr-pipa.31-2.domestic_agent_missing" in review
    code, out, _ = run(args, capsys)
    assert code == 0
    lines = out.splitlines()
    at = next(i for i, text in enumerate(lines) if text.startswith(line))
    first_rule = next(i for i, text in enumerate(lines) if "kr-pipa." in text)
    assert at < first_rule


# =============================================================================
# 2. Disclosure records
# =============================================================================

PROVISION_KO_FIELDS = [
    ("제공받는 자", "주식회사 바른상회"),
    ("제공 목적", "주문 상품의 판매 및 교환·환불 처리"),
    ("제공 항목", "이름, 휴대전화번호, 배송지 주소"),
    ("보유 및 이용 기간", "구매 확정일로부터 3개월"),
]
PROVISION_EN_FIELDS = [
    ("Recipient", "Barun Trading Co., Ltd."),
    ("Purpose", "selling the goods you order and handling exchanges and refunds"),
    ("Items", "name, mobile phone number, delivery address"),
    ("Retention", "3 months from the confirmation of purchase"),
]
PROVISION_LEAD = {
    "ko": "회사는 다음과 같이 개인정보를 제3자에게 제공하고 있습니다.",
    "en": "We provide your personal data to third parties as follows:",
}
PROVISION_HEADING = {
    "ko": "제4조(개인정보의 제3자 제공)",
    "en": "4. Sharing with third parties",
}
PROVISION_TITLE = {"ko": "개인정보 처리방침", "en": "Privacy Policy"}


def provision_layout(lang: str, layout: str) -> tuple[str, str]:
    """One complete provision disclosure, lead-in + its completion, in a layout."""
    fields = PROVISION_KO_FIELDS if lang == "ko" else PROVISION_EN_FIELDS
    lead, heading, title = (
        PROVISION_LEAD[lang],
        PROVISION_HEADING[lang],
        PROVISION_TITLE[lang],
    )
    if layout == "dash":
        body = "\n".join(f"- {k}: {v}" for k, v in fields)
        return f"# {title}\n\n## {heading}\n\n{lead}\n\n{body}\n", "p.md"
    if layout == "key-value":
        body = "\n".join(f"{k}: {v}" for k, v in fields)
        return f"{title}\n\n{heading}\n\n{lead}\n{body}\n", "p.txt"
    if layout == "numbered":
        body = "\n".join(f"{n}. {k}: {v}" for n, (k, v) in enumerate(fields, 1))
        return f"{title}\n\n{heading}\n\n{lead}\n{body}\n", "p.txt"
    if layout == "table-rows":
        header = "| " + " | ".join(k for k, _ in fields) + " |"
        rule = "|" + "---|" * len(fields)
        row = "| " + " | ".join(v for _, v in fields) + " |"
        return (
            f"# {title}\n\n## {heading}\n\n{lead}\n\n{header}\n{rule}\n{row}\n",
            "p.md",
        )
    if layout == "table-columns":
        rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in fields)
        return (
            f"<html><head><title>{title}</title></head><body><main>"
            f"<h1>{title}</h1><h2>{heading}</h2><p>{lead}</p>"
            f"<table>{rows}</table></main></body></html>",
            "p.html",
        )
    if layout == "html-bold-labels":
        items = "".join(f"<li><b>{k}</b>: {v}</li>" for k, v in fields)
        return (
            f"<html><head><title>{title}</title></head><body><main>"
            f"<h1>{title}</h1><h2>{heading}</h2><p>{lead}</p>"
            f"<ul>{items}</ul></main></body></html>",
            "p.html",
        )
    raise AssertionError(layout)


LAYOUT_NAMES = [
    "dash",
    "key-value",
    "numbered",
    "table-rows",
    "table-columns",
    "html-bold-labels",
]


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_records_a_lead_in_and_its_completion_are_one_provision(
    lang: str, layout: str
) -> None:
    text, name = provision_layout(lang, layout)
    audit = audited(text, name, foreign=False)
    assert_exact(audit)
    provision = {r for r in fired(audit) if r.startswith("17.")}
    assert provision == set(), [
        (short(f), f.params, [e.text for e in f.evidence])
        for f in audit.findings
        if short(f).startswith("17.")
    ]
    # the record is read: one complete provision to the named recipient
    recipient = (PROVISION_KO_FIELDS if lang == "ko" else PROVISION_EN_FIELDS)[0][1]
    assert [f.get("complete") for f in facts(audit, "provision")] == [True]
    assert [
        (f.value, f.get("named"), f.get("role")) for f in facts(audit, "recipient")
    ] == [(recipient, True, "provision")]
    # no category recipient is read from the lead-in ("제3자", "third parties")
    lead = PROVISION_LEAD[lang]
    assert not [
        f
        for f in facts(audit, "recipient")
        if f.get("named") is False and any(lead in e.text for e in f.evidence)
    ]


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("ko", "회사는 이용자의 개인정보를 판매자에게 제공하고 있습니다."),
        ("en", "We share your personal data with sellers."),
        ("en", "We provide your personal data to sellers."),
    ],
    ids=["ko", "en-share", "en-provide"],
)
def test_records_a_lead_in_alone_still_names_no_one(lang: str, sentence: str) -> None:
    """The negative: a sentence naming a category, with no list after it."""
    text = f"# {PROVISION_TITLE[lang]}\n\n## {PROVISION_HEADING[lang]}\n\n{sentence}\n"
    audit = audited(text, f"{lang}.md", foreign=False)
    assert fired(audit)["17.recipients_by_category"] == 1


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_records_an_incomplete_list_is_still_incomplete(lang: str) -> None:
    fields = (PROVISION_KO_FIELDS if lang == "ko" else PROVISION_EN_FIELDS)[:2]
    body = "\n".join(f"- {k}: {v}" for k, v in fields)
    text = (
        f"# {PROVISION_TITLE[lang]}\n\n## {PROVISION_HEADING[lang]}\n\n"
        f"{PROVISION_LEAD[lang]}\n\n{body}\n"
    )
    audit = audited(text, f"{lang}.md", foreign=False)
    assert fired(audit)["17.provision_items_missing"] == 1


TRANSFER_EN = """# Privacy Policy

## 6. International transfers

With your separate consent, we transfer your personal data abroad as follows:

- Recipient: Cloudnine Hosting Inc. (privacy@cloudnine.example)
- Country: Singapore
- When and how: when you place an order, over an encrypted network
- Items: name, email address, order history
- Purpose and retention: storing your orders, until you close your account
- How to refuse: write to privacy@orbit.example; if you refuse, you can still use the service.
"""

TRANSFER_KO_COLUMNS = (
    "<html><head><title>개인정보 처리방침</title></head><body><main>"
    "<h1>개인정보 처리방침</h1><h2>제6조(개인정보의 국외 이전)</h2>"
    "<p>회사는 이용자의 별도 동의를 받아 다음과 같이 개인정보를 국외로 이전합니다.</p>"
    "<table>"
    "<tr><th>이전받는 자</th><td>Cloudnine Hosting Inc. (privacy@cloudnine.example)</td></tr>"
    "<tr><th>이전되는 국가</th><td>싱가포르</td></tr>"
    "<tr><th>이전 일시 및 방법</th><td>주문 시 암호화된 네트워크로 전송</td></tr>"
    "<tr><th>이전 항목</th><td>이름, 이메일 주소, 주문 내역</td></tr>"
    "<tr><th>이용 목적 및 보유 기간</th><td>주문 내역 보관, 회원 탈퇴 시까지</td></tr>"
    "<tr><th>거부 방법</th><td>privacy@orbit.example로 요청하여 거부할 수 있으며, "
    "거부하여도 서비스를 이용할 수 있습니다.</td></tr>"
    "</table></main></body></html>"
)


@pytest.mark.parametrize(
    ("text", "name"),
    [(TRANSFER_EN, "en.md"), (TRANSFER_KO_COLUMNS, "ko.html")],
    ids=["en-dash-key-value", "ko-table-by-column"],
)
def test_records_a_transfer_lead_in_takes_country_and_recipient_from_its_lines(
    text: str, name: str
) -> None:
    audit = audited(text, name, foreign=False)
    assert_exact(audit)
    assert [
        (f.get("country"), f.get("recipient_named"), f.get("basis"))
        for f in facts(audit, "transfer")
    ] == [("SG", True, True)]
    assert not [r for r in fired(audit) if r.startswith("28-8.")]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_records_a_refusal_clause_does_not_repeat_the_disclosures_findings(
    lang: str,
) -> None:
    """A complete disclosure with no 28-8(1) ground, its refusal paragraph
    after the list: one no_legal_basis finding, nothing for the refusal."""
    if lang == "ko":
        text = (
            "# 개인정보 처리방침\n\n## 제6조(개인정보의 국외 이전)\n\n"
            "회사는 다음과 같이 개인정보를 국외로 이전합니다.\n\n"
            "- 이전받는 자: Cloudnine Hosting Inc. (privacy@cloudnine.example)\n"
            "- 이전되는 국가: 싱가포르\n"
            "- 이전 일시 및 방법: 주문 시 암호화된 네트워크로 전송\n"
            "- 이전 항목: 이름, 이메일 주소\n"
            "- 이용 목적 및 보유 기간: 주문 내역 보관, 회원 탈퇴 시까지\n\n"
            "정보주체는 privacy@orbit.example로 요청하여 개인정보의 국외 이전을 "
            "거부할 수 있으며, 거부하면 해외 배송 서비스를 이용할 수 없습니다. "
            "해외 배송은 현지 물류 서버를 거쳐야 하기 때문입니다.\n"
        )
        refusal = "거부할 수 있으며"
    else:
        text = (
            "# Privacy Policy\n\n## 6. International transfers\n\n"
            "We transfer your personal data abroad as follows:\n\n"
            "- Recipient: Cloudnine Hosting Inc. (privacy@cloudnine.example)\n"
            "- Country: Singapore\n"
            "- When and how: when you place an order, over an encrypted network\n"
            "- Items: name, email address\n"
            "- Purpose and retention: storing your orders, until you close your account\n\n"
            "You may refuse this transfer by writing to privacy@orbit.example; if "
            "you refuse, you cannot use overseas delivery, because it runs through "
            "our logistics servers abroad.\n"
        )
        refusal = "You may refuse this transfer"
    audit = audited(text, f"{lang}.md", foreign=False)
    assert_exact(audit)
    assert len(facts(audit, "transfer")) == 1
    assert Counter(r for r in fired(audit).elements() if r.startswith("28-8.")) == {
        "28-8.no_legal_basis": 1
    }
    for finding in audit.findings:
        if short(finding).startswith("28-8."):
            assert not any(e.text.startswith(refusal) for e in finding.evidence)


RETENTION_INHERIT = {
    "ko-parent-line": (
        "# 개인정보 처리방침\n\n## 제3조(개인정보의 보유 기간)\n\n"
        "「전자상거래 등에서의 소비자보호에 관한 법률」에 따라 다음의 기록을 보존합니다.\n\n"
        "- 계약 또는 청약철회 등에 관한 기록: 5년\n"
        "- 대금결제 및 재화 등의 공급에 관한 기록: 5년\n"
        "- 소비자의 불만 또는 분쟁처리에 관한 기록: 3년\n",
        "ko.md",
    ),
    "ko-heading": (
        "# 개인정보 처리방침\n\n## 제3조(개인정보의 보유 기간)\n\n"
        "### 통신비밀보호법에 따른 보존\n\n"
        "- 로그인 기록: 3개월\n- 접속지 정보: 3개월\n",
        "ko.md",
    ),
    "ko-nested": (
        "# 개인정보 처리방침\n\n## 제3조(개인정보의 보유 기간)\n\n"
        "- 전자상거래 등에서의 소비자보호에 관한 법률\n"
        "  - 계약 또는 청약철회 등에 관한 기록: 5년\n"
        "  - 소비자의 불만 또는 분쟁처리에 관한 기록: 3년\n",
        "ko.md",
    ),
    "ko-start-point": (
        "개인정보 처리방침\n\n제3조(개인정보의 보유 기간)\n"
        "회원 탈퇴일로부터 다음 기간 동안 보관합니다.\n"
        "1. 주문 기록: 5년\n2. 상담 기록: 1년\n",
        "ko.txt",
    ),
    "en-parent-line": (
        "# Privacy Policy\n\n## How long we keep your data\n\n"
        "Under the Act on Consumer Protection in Electronic Commerce, we keep "
        "the following records:\n\n"
        "- Records of contracts and withdrawals: 5 years\n"
        "- Records of payments and deliveries: 5 years\n"
        "- Records of complaints and disputes: 3 years\n",
        "en.md",
    ),
    "en-start-point": (
        "<html><body><main><h1>Privacy Policy</h1><h2>Retention</h2>"
        "<p>From the day you close your account, we keep:</p>"
        "<ul><li>Order records: 5 years</li><li>Support tickets: 1 year</li></ul>"
        "</main></body></html>",
        "en.html",
    ),
}


@pytest.mark.parametrize("case", sorted(RETENTION_INHERIT))
def test_records_a_statute_or_start_above_governs_the_items(case: str) -> None:
    text, name = RETENTION_INHERIT[case]
    audit = audited(text, name, foreign=False)
    retention = facts(audit, "retention")
    assert len([f for f in retention if f.get("concrete")]) >= 2
    assert "30.retention_without_start_or_statute" not in fired(audit)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_records_items_with_neither_statute_nor_start_are_flagged(lang: str) -> None:
    text = {
        "ko": "# 개인정보 처리방침\n\n## 제3조(개인정보의 보유 기간)\n\n"
        "회사는 다음 기록을 보관합니다.\n\n- 주문 기록: 5년\n- 상담 기록: 1년\n",
        "en": "# Privacy Policy\n\n## Retention\n\nWe keep:\n\n"
        "- Order records: 5 years\n- Support tickets: 1 year\n",
    }[lang]
    audit = audited(text, f"{lang}.md", foreign=False)
    assert fired(audit)["30.retention_without_start_or_statute"] >= 1


@pytest.mark.parametrize(
    ("lang", "lead", "vague_item"),
    [
        (
            "ko",
            "회사의 개인정보 보유 기간은 다음과 같습니다.",
            "고객 상담 기록: 목적 달성 시까지",
        ),
        (
            "en",
            "Our retention periods are as follows:",
            "Support tickets: as long as necessary",
        ),
    ],
    ids=["ko", "en"],
)
def test_records_key_value_retention_items_are_read(
    lang: str, lead: str, vague_item: str
) -> None:
    """`item: period` lines under a retention lead-in are retention statements:
    the concrete one counts, the vague one is flagged, on its own line."""
    heading = {"ko": "제3조(개인정보의 보유 기간)", "en": "3. Retention"}[lang]
    concrete = {
        "ko": "회원 정보: 회원 탈퇴일로부터 30일",
        "en": "Account data: 30 days from the day you close your account",
    }[lang]
    text = (
        f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{lead}\n\n"
        f"- {concrete}\n- {vague_item}\n"
    )
    audit = audited(text, f"{lang}.md", foreign=False)
    retention = facts(audit, "retention")
    assert [
        (f.get("concrete"), f.get("vague"), [e.text for e in f.evidence])
        for f in retention
    ] == [(True, False, [concrete]), (False, True, [vague_item])]
    (vague,) = [f for f in audit.findings if short(f) == "15.retention_vague"]
    assert [e.text for e in vague.evidence] == [vague_item]
    # "from the day you close your account" / "탈퇴일로부터" is a start point
    assert "30.retention_without_start_or_statute" not in fired(audit)


# =============================================================================
# 3. Absence judged from content
# =============================================================================

TOPICS = ("purposes", "destruction", "safeguards", "rights")
MISSING = {
    "purposes": "30.purposes_missing",
    "destruction": "30.destruction_missing",
    "safeguards": "30.safeguards_missing",
    "rights": "30.rights_missing",
}

CONTENT = {
    "ko": {
        "purposes": (
            "개인정보의 처리 목적",
            "회사는 회원 가입, 주문 상품 배송, 고객 문의 응대를 위하여 개인정보를 처리합니다.",
        ),
        "destruction": (
            "개인정보의 파기 절차 및 방법",
            "보유 기간이 지난 개인정보는 지체 없이 파기합니다. 전자 파일은 복구할 수 "
            "없는 기술적 방법으로 삭제하고, 종이 문서는 분쇄하거나 소각합니다.",
        ),
        "safeguards": (
            "개인정보의 안전성 확보 조치",
            "회사는 개인정보를 암호화하여 저장하고, 개인정보에 접근할 수 있는 직원을 "
            "최소한으로 제한하며, 접속 기록을 보관합니다.",
        ),
        "rights": (
            "정보주체의 권리와 행사 방법",
            "이용자는 언제든지 개인정보의 열람, 정정, 삭제, 처리정지를 요구하거나 "
            "동의를 철회할 수 있으며, privacy@nuri.example로 요청하시면 됩니다.",
        ),
    },
    "en": {
        "purposes": (
            "Why we use your information",
            "We use your personal data to create your account, deliver your orders "
            "and answer your questions.",
        ),
        "destruction": (
            "How we destroy your information",
            "When the retention period ends, we destroy personal data without delay: "
            "electronic files are erased so they cannot be recovered, and paper "
            "records are shredded.",
        ),
        "safeguards": (
            "How we protect your information",
            "We encrypt personal data at rest, restrict access to the staff who need "
            "it, and keep logs of every access.",
        ),
        "rights": (
            "Your rights",
            "You may access, correct or delete your personal data, ask us to stop "
            "processing it, or withdraw your consent at any time, by writing to "
            "privacy@nuri.example.",
        ),
    },
}
OFFICER = {
    "ko": "개인정보 보호책임자: 김하늘 (privacy@nuri.example, 02-555-0100)",
    "en": "Our privacy officer is Jane Roe (privacy@nuri.example, +82-2-555-0100).",
}
TITLE = {"ko": "누리마켓 개인정보 처리방침", "en": "Nuri Market Privacy Policy"}


def heading_policy(lang: str, style: str, drop: str | None = None) -> tuple[str, str]:
    """The four contents under headings of one style; ``drop`` leaves one out."""
    parts = [
        (n, *CONTENT[lang][topic]) for n, topic in enumerate(TOPICS, 1) if topic != drop
    ]
    title, officer = TITLE[lang], OFFICER[lang]
    if style == "escaped-number":  # Markdown "3\." : a paragraph, not a list
        body = "".join(f"{n}\\. {h}\n\n{c}\n\n" for n, h, c in parts)
        return f"{title}\n\n{body}{officer}\n", "p.md"
    if style == "bold-lines":
        body = "".join(f"**{h}**\n\n{c}\n\n" for _, h, c in parts)
        return f"{title}\n\n{body}{officer}\n", "p.md"
    if style == "html-bold":
        body = "".join(f"<p><strong>{h}</strong></p><p>{c}</p>" for _, h, c in parts)
        return (
            f"<html><head><title>{title}</title></head><body><main>"
            f"<p>{title}</p>{body}<p>{officer}</p></main></body></html>",
            "p.html",
        )
    if style == "table-of-contents":  # contents listed, body headings run in
        toc = "".join(f"{n}. {h}\n" for n, h, _ in parts)
        body = " ".join(f"{n}. {h} {c}" for n, h, c in parts)
        return f"{title}\n\n{toc}\n{body}\n\n{officer}\n", "p.txt"
    if style == "no-headings":
        body = "".join(f"{c}\n\n" for _, _, c in parts)
        return f"{title}\n\n{body}{officer}\n", "p.txt"
    raise AssertionError(style)


HEADING_STYLES = [
    "escaped-number",
    "bold-lines",
    "html-bold",
    "table-of-contents",
    "no-headings",
]


@pytest.mark.parametrize("style", HEADING_STYLES)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_absence_content_under_any_heading_style_is_found(
    lang: str, style: str
) -> None:
    text, name = heading_policy(lang, style)
    audit = audited(text, name, foreign=False)
    wrong = {MISSING[t] for t in TOPICS} & set(fired(audit))
    assert wrong == set()


@pytest.mark.parametrize("drop", TOPICS)
@pytest.mark.parametrize("style", ["bold-lines", "table-of-contents"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_absence_content_really_missing_is_still_found_missing(
    lang: str, style: str, drop: str
) -> None:
    text, name = heading_policy(lang, style, drop=drop)
    audit = audited(text, name, foreign=False)
    assert {MISSING[t] for t in TOPICS} & set(fired(audit)) == {MISSING[drop]}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_absence_a_contents_entry_without_its_content_is_missing(lang: str) -> None:
    """A table of contents promises destruction; the body never gives it (a
    copy that lost a section): the content is missing."""
    text, name = heading_policy(lang, "bold-lines", drop="destruction")
    heading = CONTENT[lang]["destruction"][0]
    lines = text.split("\n", 2)
    toc = "".join(
        f"{n}. {h}\n" for n, h in enumerate([CONTENT[lang][t][0] for t in TOPICS], 1)
    )
    assert heading in toc
    text = f"{lines[0]}\n\n{toc}\n{lines[2]}"
    audit = audited(text, name, foreign=False)
    assert "30.destruction_missing" in fired(audit)


# =============================================================================
# 4. Domestic agent in a table of representatives
# =============================================================================

REPRESENTATIVES_EN = """# Orbit Mall Privacy Policy

## 1. Information we collect

We collect your name, email address and delivery address to deliver your orders.

## 2. Our representatives

We have appointed the following representatives for users in these countries:

| Country | Representative | Address | Phone | Email |
|---|---|---|---|---|
| Türkiye | Orbit Temsilcilik A.Ş. | Levent Cad. 1, Besiktas, Istanbul | +90 212 555 0101 | tr-rep@orbit.example |
| Korea | Orbit Korea Agent Co., Ltd. | 1 Sejong-daero, Jung-gu, Seoul | +82-2-555-0102 | kr-agent@orbit.example |
| Brazil | Orbit Representacoes Ltda. | Av. Paulista 1, Sao Paulo | +55 11 5555 0103 | br-rep@orbit.example |
"""

REPRESENTATIVES_KO = (
    "<html><head><title>오르빗몰 개인정보 처리방침</title></head><body><main>"
    "<h1>오르빗몰 개인정보 처리방침</h1>"
    "<h2>1. 수집하는 개인정보</h2><p>회사는 주문 상품 배송을 위하여 이름, 이메일 주소, "
    "배송지 주소를 수집합니다.</p>"
    "<h2>2. 국가별 대리인</h2><p>회사는 다음 국가의 이용자를 위하여 대리인을 지정하였습니다.</p>"
    "<table><thead><tr><th>국가</th><th>대리인</th><th>주소</th><th>전화번호</th>"
    "<th>이메일</th></tr></thead><tbody>"
    "<tr><td>튀르키예</td><td>Orbit Temsilcilik A.Ş.</td><td>튀르키예 이스탄불 Levent Cad. 1</td>"
    "<td>+90 212 555 0101</td><td>tr-rep@orbit.example</td></tr>"
    "<tr><td>대한민국</td><td>주식회사 오르빗코리아대리</td><td>서울특별시 중구 세종대로 1</td>"
    "<td>02-555-0102</td><td>kr-agent@orbit.example</td></tr>"
    "</tbody></table></main></body></html>"
)

REPRESENTATIVES = {
    "en": (REPRESENTATIVES_EN, "en.md"),
    "ko": (REPRESENTATIVES_KO, "ko.html"),
}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_agent_a_korea_row_names_the_domestic_agent(lang: str) -> None:
    text, name = REPRESENTATIVES[lang]
    audit = audited(text, name, foreign=True, agent_required=True)
    assert "31-2.domestic_agent_missing" not in fired(audit)
    assert "31-2.agent_details_missing" not in fired(audit)
    (agent,) = facts(audit, "agent")
    assert agent.get("complete") is True
    quoted = " ".join(e.text for e in agent.evidence)
    assert "kr-agent@orbit.example" in quoted and "tr-rep@" not in quoted


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_agent_the_other_rows_are_not_transfers(lang: str) -> None:
    text, name = REPRESENTATIVES[lang]
    audit = audited(text, name, foreign=True, agent_required=True)
    assert facts(audit, "transfer") == []
    assert not [r for r in fired(audit) if transfer_rule(r)]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_agent_a_table_without_a_korea_row_names_none(lang: str) -> None:
    text, name = REPRESENTATIVES[lang]
    if lang == "en":
        text = "\n".join(line for line in text.splitlines() if "| Korea |" not in line)
    else:
        start = text.index("<tr><td>대한민국")
        text = text[:start] + text[text.index("</tr>", start) + 5 :]
    audit = audited(text, name, foreign=True, agent_required=True)
    (missing,) = [
        f for f in audit.findings if short(f) == "31-2.domestic_agent_missing"
    ]
    assert missing.certainty == "certain"
    assert facts(audit, "transfer") == []


# =============================================================================
# 5. Deemed consent
# =============================================================================

DEEMED = [
    (
        "en",
        "By continuing to use our Service, you acknowledge and agree to the "
        "collection and use of your information as described in this Policy.",
    ),
    (
        "en",
        "Our sellers and couriers are located abroad, and by placing an order you "
        "acknowledge that such transfers are required to fulfil it.",
    ),
    (
        "ko",
        "이용자가 서비스를 이용함으로써 본 개인정보 처리방침에 동의하는 것으로 간주됩니다.",
    ),
    ("ko", "회원이 주문을 완료하면 개인정보의 국외 이전에 동의한 것으로 봅니다."),
]

NOT_DEEMED = [
    (
        "en",
        "When you consent to marketing e-mails, you may withdraw your consent at "
        "any time in your account settings.",
    ),
    (
        "en",
        "We transfer your data abroad only if you tick the consent box on the "
        "checkout page; you may withdraw your consent at any time.",
    ),
    (
        "ko",
        "이용자는 마케팅 정보 수신에 동의한 후에도 언제든지 동의를 철회할 수 있습니다.",
    ),
    (
        "ko",
        "회사는 이용자가 주문 화면에서 국외 이전 동의란에 직접 체크한 경우에만 개인정보를 "
        "국외로 이전합니다.",
    ),
]


def consent_policy(lang: str, sentence: str) -> str:
    if lang == "ko":
        return f"# 개인정보 처리방침\n\n## 제2조(동의)\n\n{sentence}\n"
    return f"# Privacy Policy\n\n## 2. Your consent\n\n{sentence}\n"


@pytest.mark.parametrize(("lang", "sentence"), DEEMED, ids=case_ids(DEEMED))
def test_deemed_consent_is_found(lang: str, sentence: str) -> None:
    audit = audited(consent_policy(lang, sentence), f"{lang}.md", foreign=False)
    (finding,) = [f for f in audit.findings if short(f) == "22.deemed_consent"]
    assert [e.text for e in finding.evidence] == [sentence]


@pytest.mark.parametrize(("lang", "sentence"), NOT_DEEMED, ids=case_ids(NOT_DEEMED))
def test_deemed_consent_not_on_withdrawal_or_an_active_tick(
    lang: str, sentence: str
) -> None:
    audit = audited(consent_policy(lang, sentence), f"{lang}.md", foreign=False)
    assert "22.deemed_consent" not in fired(audit)
    assert facts(audit, "deemed_consent") == []


# =============================================================================
# 6. Roles
# =============================================================================

PROVISION_CATEGORIES = [
    (
        "en",
        "We share your name and delivery address with the sellers on our marketplace.",
    ),
    ("en", "We share your device identifiers and purchase history with advertisers."),
    ("en", "We share your personal data with our affiliates for their own marketing."),
    (
        "ko",
        "회사는 주문 처리를 위하여 이용자의 이름과 배송지 주소를 입점 판매자에게 제공합니다.",
    ),
    (
        "ko",
        "회사는 맞춤형 광고를 위하여 광고 식별자와 구매 내역을 광고주에게 제공합니다.",
    ),
    ("ko", "회사는 계열사의 마케팅을 위하여 이용자의 개인정보를 계열사에 제공합니다."),
]

OUTSOURCING_CATEGORIES = [
    (
        "en",
        "Delivery companies, payment processors, cloud hosting providers and "
        "customs brokers process your personal data on our behalf.",
    ),
    (
        "ko",
        "회사는 배송업체, 결제대행사, 클라우드 서비스 제공업체, 통관 대행업체에 "
        "개인정보 처리업무를 위탁합니다.",
    ),
]

NOT_PROVISION = [
    (
        "en",
        "merger",
        "If we are involved in a merger, acquisition or sale of assets, your "
        "personal data may be transferred to the buyer, and we will tell you before it is.",
    ),
    (
        "en",
        "authorities",
        "We disclose personal data to law enforcement authorities when the law requires us to.",
    ),
    (
        "en",
        "published",
        "Reviews you choose to post are visible to other users and to the sellers "
        "you review.",
    ),
    (
        "en",
        "aggregated",
        "We may share aggregated statistics that do not identify you with our "
        "business partners.",
    ),
    (
        "ko",
        "merger",
        "회사가 합병이나 영업양도로 영업을 이전하는 경우 개인정보가 함께 이전될 수 있으며, "
        "이 경우 법 제27조에 따라 미리 알립니다.",
    ),
    (
        "ko",
        "authorities",
        "법령에 특별한 규정이 있거나 수사기관이 법령에 정해진 절차에 따라 요구하는 경우에는 "
        "개인정보를 수사기관에 제공할 수 있습니다.",
    ),
    (
        "ko",
        "published",
        "이용자가 직접 게시한 상품 후기는 다른 이용자와 판매자에게 공개됩니다.",
    ),
    (
        "ko",
        "aggregated",
        "회사는 개인을 식별할 수 없는 통계 정보를 제휴사에 제공할 수 있습니다.",
    ),
]

SUCH_AS = [
    (
        "en",
        "We share your purchase history with advertising partners, such as Orbit Ads Ltd.",
    ),
    ("ko", "회사는 구매 내역을 광고 제휴사(예: 주식회사 오르빗애드)에 제공합니다."),
]


def sharing_policy(lang: str, sentence: str) -> str:
    if lang == "ko":
        return (
            f"# 개인정보 처리방침\n\n## 제4조(개인정보의 제공 및 위탁)\n\n{sentence}\n"
        )
    return f"# Privacy Policy\n\n## 4. Who we share your data with\n\n{sentence}\n"


@pytest.mark.parametrize(
    ("lang", "sentence"), PROVISION_CATEGORIES, ids=case_ids(PROVISION_CATEGORIES)
)
def test_roles_sellers_advertisers_affiliates_receive_by_provision(
    lang: str, sentence: str
) -> None:
    audit = audited(sharing_policy(lang, sentence), f"{lang}.md", foreign=False)
    roles = {f.get("role") for f in facts(audit, "recipient")}
    assert roles == {"provision"}
    assert fired(audit)["17.recipients_by_category"] == 1
    assert "26.outsourcees_by_category" not in fired(audit)


@pytest.mark.parametrize(
    ("lang", "sentence"), OUTSOURCING_CATEGORIES, ids=case_ids(OUTSOURCING_CATEGORIES)
)
def test_roles_service_providers_are_outsourcing(lang: str, sentence: str) -> None:
    audit = audited(sharing_policy(lang, sentence), f"{lang}.md", foreign=False)
    roles = {f.get("role") for f in facts(audit, "recipient")}
    assert roles == {"outsourcing"}
    assert fired(audit)["26.outsourcees_by_category"] >= 1
    assert not [r for r in fired(audit) if r.startswith("17.")]


@pytest.mark.parametrize(
    ("lang", "case", "sentence"),
    NOT_PROVISION,
    ids=[f"{lang}-{case}" for lang, case, _ in NOT_PROVISION],
)
def test_roles_what_is_not_provision(lang: str, case: str, sentence: str) -> None:
    audit = audited(sharing_policy(lang, sentence), f"{lang}.md", foreign=False)
    wrong = [r for r in fired(audit) if r.startswith(("17.", "18.", "26."))]
    assert wrong == [], case
    assert not [f for f in facts(audit, "recipient") if f.get("named") is False]


@pytest.mark.parametrize(("lang", "sentence"), SUCH_AS, ids=case_ids(SUCH_AS))
def test_roles_such_as_names_some_recipients_not_all(lang: str, sentence: str) -> None:
    audit = audited(sharing_policy(lang, sentence), f"{lang}.md", foreign=False)
    assert fired(audit)["17.recipients_by_category"] == 1


# =============================================================================
# 7. Quotes
# =============================================================================

LONG_CLAUSE = {
    "en": (
        "Orbit Mall is a marketplace that connects buyers and sellers in many "
        "places, and we work hard to keep your information safe while you shop "
        "with us, wherever you are and whichever device you use. "
        "Our teams and our partners work from offices in several time zones, so "
        "that someone can answer your questions at any hour of the day. "
        "Your personal data may be transferred to countries outside your country. "
        "We review this policy every year and publish any change on this page, "
        "with the date on which it takes effect, so that you always know which "
        "version applies to you and what it means for your data."
    ),
    "ko": (
        "오르빗몰은 여러 나라의 구매자와 판매자를 연결하는 온라인 장터로서, 이용자가 "
        "어디에서 어떤 기기로 쇼핑하든 이용자의 정보를 안전하게 지키기 위하여 노력하고 "
        "있습니다. 회사의 직원과 협력사는 여러 시간대의 사무소에서 일하므로 하루 중 "
        "언제든지 이용자의 문의에 답할 수 있습니다. 이용자의 개인정보는 해외로 이전될 수 "
        "있습니다. 회사는 매년 이 방침을 검토하며, 변경 사항은 시행일과 함께 이 화면에 "
        "게시하여 이용자가 어느 판이 적용되는지와 그것이 이용자의 정보에 어떤 의미인지를 "
        "언제나 알 수 있도록 합니다."
    ),
}
LONG_SENTENCE = {
    "en": "Your personal data may be transferred to countries outside your country.",
    "ko": "이용자의 개인정보는 해외로 이전될 수 있습니다.",
}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_quote_a_long_clause_is_quoted_by_its_sentence(lang: str) -> None:
    heading = {
        "en": "# Privacy Policy\n\n## 6. International transfers",
        "ko": "# 개인정보 처리방침\n\n## 제6조(개인정보의 국외 이전)",
    }[lang]
    clause = LONG_CLAUSE[lang]
    assert len(clause) > MAX_QUOTE or lang == "ko"
    audit = audited(f"{heading}\n\n{clause}\n", f"{lang}.md", foreign=False)
    assert_exact(audit)
    (finding,) = [f for f in audit.findings if short(f) == "28-8.country_not_specified"]
    assert [e.text.strip() for e in finding.evidence] == [LONG_SENTENCE[lang]]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_quote_the_item_not_its_lead_in(lang: str) -> None:
    lead, item = {
        "ko": (
            "회사의 개인정보 보유 기간은 다음과 같습니다.",
            "고객 상담 기록은 목적 달성 시까지 보관합니다.",
        ),
        "en": (
            "Our retention periods are as follows:",
            "We keep support tickets as long as necessary.",
        ),
    }[lang]
    first = {
        "ko": "회원 정보는 회원 탈퇴일로부터 30일간 보관합니다.",
        "en": "We keep account data for 30 days after you close your account.",
    }[lang]
    heading = {"ko": "제3조(개인정보의 보유 기간)", "en": "3. Retention"}[lang]
    text = (
        f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{lead}\n\n- {first}\n- {item}\n"
    )
    audit = audited(text, f"{lang}.md", foreign=False)
    (vague,) = [f for f in audit.findings if short(f) == "15.retention_vague"]
    assert [e.text for e in vague.evidence] == [item]
    for finding in audit.findings:
        assert not any(
            e.text in (lead, heading) or lead in e.text for e in finding.evidence
        ), short(finding)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_quote_a_long_table_row_is_quoted_by_its_sentence(lang: str) -> None:
    if lang == "ko":
        items = ", ".join(f"주문 상세 정보 {n}번 항목" for n in range(1, 60))
        cell = "서비스 제공에 필요한 기간 동안 보관합니다."
        header = "| 구분 | 수집 항목 | 보유 기간 |\n|---|---|---|\n"
        row = f"| 주문 | {items} | {cell} |\n"
        text = f"# 개인정보 처리방침\n\n## 제3조(개인정보의 보유 기간)\n\n{header}{row}"
    else:
        items = ", ".join(f"order detail number {n}" for n in range(1, 60))
        cell = "We keep them as long as necessary to provide the service."
        header = "| Kind | Items | Retention |\n|---|---|---|\n"
        row = f"| Orders | {items} | {cell} |\n"
        text = f"# Privacy Policy\n\n## 3. Retention\n\n{header}{row}"
    assert len(row) > 1000
    audit = audited(text, f"{lang}.md", foreign=False)
    assert_exact(audit)
    retention = [f for f in audit.findings if short(f).startswith("15.retention")]
    assert retention
    for finding in retention:
        assert finding.evidence
        for evidence in finding.evidence:
            assert len(evidence.text) < MAX_QUOTE, (short(finding), evidence.text[:80])
        assert any(cell in e.text for e in finding.evidence)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_quote_many_clauses_three_spans_and_the_rest_by_id(lang: str) -> None:
    kinds = {
        "ko": ["주문", "결제", "배송", "상담", "후기", "쿠폰"],
        "en": ["Order", "Payment", "Delivery", "Support", "Review", "Coupon"],
    }[lang]
    if lang == "ko":
        lines = "\n".join(f"- {k} 기록은 목적 달성 시까지 보관합니다." for k in kinds)
        text = f"# 개인정보 처리방침\n\n## 제3조(개인정보의 보유 기간)\n\n{lines}\n"
    else:
        lines = "\n".join(
            f"- We keep {k.lower()} records until the purpose is achieved."
            for k in kinds
        )
        text = f"# Privacy Policy\n\n## 3. Retention\n\n{lines}\n"
    audit = audited(text, f"{lang}.md", foreign=False)
    (finding,) = [f for f in audit.findings if short(f) == "15.retention_not_concrete"]
    assert len(finding.evidence) == 3
    assert len(finding.more) == len(kinds) - 3
    by_id = {c.id: audit.document.quote(c) for c in audit.document.clauses}
    assert [
        next(k for k in kinds if k.lower() in by_id[c].lower()) for c in finding.more
    ] == kinds[3:]
    # every finding of every fixture in this file keeps to the limits
    for other in audit.findings:
        assert len(other.evidence) <= 3
        assert all(len(e.text) < MAX_QUOTE for e in other.evidence)


@pytest.mark.parametrize(
    ("lang", "line", "words"),
    [
        (
            "ko",
            "- 수집 항목: 이름, 연락처, 주소 등 기타 서비스에 필요한 정보",
            ["등", "기타"],
        ),
        (
            "en",
            "- Items: your name, contact details and other information, "
            "including but not limited to your address",
            ["other", "including but not limited to"],
        ),
    ],
    ids=["ko", "en"],
)
def test_quote_vague_wording_one_finding_per_item_with_all_its_words(
    lang: str, line: str, words: list[str]
) -> None:
    heading = {
        "ko": "제2조(처리하는 개인정보의 항목)",
        "en": "2. Information we collect",
    }[lang]
    second = {"ko": "- 선택 항목: 생년월일", "en": "- Optional: your birthday"}[lang]
    text = f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{line}\n{second}\n"
    audit = audited(text, f"{lang}.md", foreign=False)
    (vague,) = [f for f in audit.findings if short(f) == "30.vague_wording"]
    for word in words:
        assert word in finding_words(vague, "en").title
    assert {e.clause for e in vague.evidence} == {vague.evidence[0].clause}


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        (
            "ko",
            "회사는 개인정보를 암호화하고 접근 권한을 제한하는 등 기타 필요한 보호조치를 합니다.",
        ),
        (
            "en",
            "We protect your data with encryption, access controls and other measures, "
            "including but not limited to regular audits.",
        ),
    ],
    ids=["ko", "en"],
)
def test_quote_vague_wording_outside_purposes_items_retention_is_not_flagged(
    lang: str, sentence: str
) -> None:
    heading = {
        "ko": "제7조(개인정보의 안전성 확보 조치)",
        "en": "7. How we protect your data",
    }[lang]
    text = f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{sentence}\n"
    audit = audited(text, f"{lang}.md", foreign=False)
    assert "30.vague_wording" not in fired(audit)


# =============================================================================
# 8. Typed packs, from the command line
# =============================================================================
# tests/unit/test_facts_schema.py covers load_pack refusing unknown kinds,
# attributes and types (with the file, the rule and the field in one line);
# here only the end-to-end case the issue names: `privwatch audit X --rules
# bad.yaml` exits 2 with one stderr line and no traceback.

BAD_PACK = """pack: house
version: '1'
law: X
title: {ko: 사내 규칙, en: house rules}
rules:
  - id: house.officer
    law: X
    article: '31'
    severity: high
    title: {ko: 책임자 없음, en: no officer}
    explanation: {ko: 가, en: a}
    remediation: {ko: 가, en: a}
    when: {missing: {fact: offcer}}
"""


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_typed_a_pack_with_a_typo_is_refused_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    policy = tmp_path / "policy.md"
    policy.write_text(
        {
            "en": "# Privacy\n\n## Privacy officer\n\nOur privacy officer is Jane Roe "
            "(privacy@nuri.example).\n",
            "ko": "# 개인정보 처리방침\n\n## 제9조(개인정보 보호책임자)\n\n"
            "개인정보 보호책임자: 김하늘 (privacy@nuri.example)\n",
        }[lang],
        "utf-8",
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_PACK, "utf-8")
    code, out, err = run(
        ["--lang", lang, "audit", str(policy), "--rules", str(bad)], capsys
    )
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith("privwatch: ")
    assert str(bad) in line and "house.officer" in line
    assert "missing.fact" in line and "offcer" in line


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_scope_the_passages_left_out_are_named(lang: str) -> None:
    """What the audit leaves out, and for whom, is in the audit and its JSON:
    an analyst can check the passages nobody judged."""
    text, name = GLOBAL[lang]
    audit = audited(text, name, foreign=lang == "en")
    left = dict(audit.scope.left_out)
    assert left, "the passages for other places are named"
    clauses = {c.id: c for c in audit.document.clauses}
    for ids in left.values():
        for clause_id in ids:
            assert clause_id in clauses
            # nothing quoted by a finding comes from a passage left out
            assert not [
                f for f in audit.findings for e in f.evidence if e.clause == clause_id
            ]
    data = json.loads(render_json(audit))
    assert {p["where"] for p in data["document"]["scope"]["left_out"]} == set(left)


@pytest.mark.parametrize(
    "sentence",
    [
        "When we no longer need it, we will either delete or anonymize it.",
        "Data we no longer need are deleted or anonymised, or isolated until "
        "deletion is possible.",
    ],
)
def test_deleting_or_anonymising_in_the_retention_section_is_destruction(
    sentence: str,
) -> None:
    """A retention section that says data are deleted or anonymised when no
    longer needed tells how they are destroyed (thinly, but the item is there)."""
    base = (
        "# Privacy\n\n## Purposes\n\nWe use your data to deliver orders.\n\n"
        "## Officer\n\nContact privacy@example.com.\n"
    )
    assert "30.destruction_missing" in fired(audited(base, "no-retention.md"))
    text = (
        base
        + f"\n## Retention\n\nWe keep your data while your account is open. {sentence}\n"
    )
    assert "30.destruction_missing" not in fired(
        audited(text, "delete-or-anonymise.md")
    )


def test_an_officer_table_under_a_spaced_heading_gives_the_contact() -> None:
    """ "개인정보보호 책임자" (spaced) heads the officer's table; a mention of the
    officer in the destruction procedure does not make the contact missing."""
    text = (
        "# 처리방침\n\n## 1. 개인정보의 처리 목적\n\n민원 상담을 위하여 처리합니다.\n\n"
        "## 5. 개인정보보호 책임자\n\n"
        "| 구분 | 개인정보보호 책임자 | 개인정보보호 담당자 |\n|---|---|---|\n"
        "| 성명 | 한가람 | 이나래 |\n| 연락처 | 02-000-1234 | 02-000-1235 |\n\n"
        "## 6. 개인정보의 파기\n\n"
        "파기 사유가 생긴 개인정보는 개인정보보호 책임자의 승인을 받아 파기합니다.\n"
    )
    audit = audited(text, "spaced-officer.md")
    assert not {"31.officer_missing", "31.officer_contact_missing"} & set(fired(audit))


def test_an_officer_reached_at_an_address_then_an_e_mail_has_a_contact() -> None:
    lines = "\n\n".join(
        ["Data Protection Officer", "Example Styles Ltd.", "1 Harbour Road,"]
        + [f"Floor {n}" for n in range(2, 9)]
        + ["Dublin 2, Ireland", "Email: dpo@example.com"]
    )
    text = (
        "# Privacy Notice\n\n## How we use data\n\nWe use your data to deliver "
        "orders.\n\n## Contact us\n\nOur Data Protection Officer can be contacted "
        f"at the postal address or e-mail below:\n\n{lines}\n"
    )
    assert "31.officer_contact_missing" not in fired(audited(text, "far-email.md"))


@pytest.mark.parametrize("basis", [True, False])
def test_a_row_for_the_legal_basis_lists_what_is_processed_on_a_statute(
    basis: bool,
) -> None:
    """A transposed table ("처리근거 | …법률" as a row) gives each file's ground,
    as a column for it does (Art. 22(3))."""
    rows = [
        "| 구분 | 전화상담 |",
        "|---|---|",
        "| 처리목적 | 민원 상담 |",
        *(["| 처리근거 | 「민원 처리에 관한 법률」 제12조 |"] if basis else []),
        "| 처리항목 | 연락처, 상담내용 |",
        "| 보유기간 | 1년 |",
    ]
    text = (
        "# 처리방침\n\n## 1. 개인정보의 처리목적 및 항목\n\n" + "\n".join(rows) + "\n"
    )
    found = "22.no_consent_basis_missing" in fired(
        audited(text, f"basis-row-{basis}.md")
    )
    assert found is not basis


@pytest.mark.parametrize(
    ("opening", "audience"),
    [
        # the contract's party and a place of arbitration, not Singapore's members
        (
            "이 약관에 관한 분쟁은 싱가포르 국제중재센터의 중재로 해결하며, "
            "회원은 이에 동의합니다.",
            ("korea", None),
        ),
        ("싱가포르 거주 회원을 위한 추가 안내", ("other", "SG")),
    ],
)
def test_scope_korean_members_are_a_place_s_people_only_beside_it(
    opening: str, audience: tuple[str, str | None]
) -> None:
    text = f"# 안내\n\n{opening}\n\n## 제2조(정의)\n\n회원이란 이용계약을 맺은 자를 말합니다.\n"
    audit = audited(text, f"beside-{audience[0]}.md")
    assert (audit.scope.audience, audit.scope.where) == audience


# -- retention left to a law the policy does not name, or kept outside its section


@pytest.mark.parametrize(
    ("lang", "cell", "words"),
    [
        (
            "ko",
            "계정 삭제 시까지 또는 법령상 보관 의무 만료 시까지",
            "법령상 보관 의무",
        ),
        (
            "en",
            "Until the account is deleted or for the period required by law",
            "the period required by law",
        ),
    ],
    ids=["ko", "en"],
)
def test_retention_cell_left_to_an_unnamed_law_is_vague(
    lang: str, cell: str, words: str
) -> None:
    heading, head, row = {
        "ko": (
            "제2조(처리하는 개인정보 항목 및 보유 기간)",
            "| 수집 항목 | 처리 목적 | 보유 기간 |",
            "| 이메일 주소, 이름 | 회원 인증 |",
        ),
        "en": (
            "2. Data we collect and how long we keep it",
            "| Data | Purpose | Retention period |",
            "| Email address, name | Sign-in |",
        ),
    }[lang]
    text = (
        f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{head}\n|---|---|---|\n"
        f"{row} {cell} |\n"
    )
    audit = audited(text, f"{lang}.md", foreign=False)
    assert fired(audit, "certain")["15.retention_vague"] == 1
    (vague,) = [f for f in audit.findings if short(f) == "30.vague_wording"]
    assert words in finding_words(vague, "en").title


@pytest.mark.parametrize(
    ("lang", "heading", "sentence"),
    [
        (
            "ko",
            "제4조(정보의 관리)",
            "당사는 서비스를 제공하거나 법에서 요구하는 경우에만 사용자의 정보를 보관합니다.",
        ),
        (
            "en",
            "4. Managing your information",
            "We keep your information only as long as necessary to run the service.",
        ),
        (
            "ko",
            "제2조(비회원의 개인정보)",
            "회사는 비회원의 주문 정보를 법령에 따른 보존기간 동안 보관합니다.",
        ),
        (
            "en",
            "2. Guest orders",
            "We keep guest orders for the retention period required by law.",
        ),
    ],
    ids=["ko", "en", "ko-statutory", "en-statutory"],
)
def test_vague_retention_sentence_outside_a_retention_section_is_vague_wording(
    lang: str, heading: str, sentence: str
) -> None:
    text = f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{sentence}\n"
    audit = audited(text, f"{lang}.md", foreign=False)
    assert fired(audit, "certain")["15.retention_vague"] == 1
    assert fired(audit, "certain")["30.vague_wording"] == 1


@pytest.mark.parametrize(
    ("lang", "heading", "sentence"),
    [
        (
            "ko",
            "제2조(수집하는 개인정보 항목 및 보유 기간)",
            "회사는 관련 법령에 따라 서비스 제공에 필요한 최소한의 범위에서만 "
            "개인정보를 수집·이용합니다.",
        ),
        (
            "en",
            "2. Data we collect and how long we keep it",
            "In accordance with applicable law, we collect only the minimum data "
            "the service needs.",
        ),
    ],
    ids=["ko", "en"],
)
def test_law_named_for_collecting_is_no_vague_retention(
    lang: str, heading: str, sentence: str
) -> None:
    text = f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{sentence}\n"
    audit = audited(text, f"{lang}.md", foreign=False)
    assert "15.retention_vague" not in fired(audit)
    assert "30.vague_wording" not in fired(audit)


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("ko", "통화 녹음은 통화 종료 시 즉시 파기, 상담 기록은 1년 보관합니다."),
        (
            "en",
            "Call recordings are deleted right after the call; support notes are "
            "kept for 1 year.",
        ),
    ],
    ids=["ko", "en"],
)
def test_start_point_of_another_items_destruction_does_not_start_a_period(
    lang: str, sentence: str
) -> None:
    heading = {"ko": "제3조(개인정보의 보유 기간)", "en": "3. Retention"}[lang]
    text = f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{sentence}\n"
    audit = audited(text, f"{lang}.md", foreign=False)
    assert fired(audit)["30.retention_without_start_or_statute"] == 1


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("ko", "명령 처리 기록은 서버에 저장되며 24시간이 지나면 자동으로 삭제됩니다."),
        (
            "en",
            "Command logs are stored on our server and deleted once 24 hours "
            "have passed.",
        ),
    ],
    ids=["ko", "en"],
)
def test_period_counted_from_storing_has_a_start_point(
    lang: str, sentence: str
) -> None:
    heading = {"ko": "제3조(개인정보의 보유 기간)", "en": "3. Retention"}[lang]
    text = f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{sentence}\n"
    audit = audited(text, f"{lang}.md", foreign=False)
    assert "30.retention_without_start_or_statute" not in fired(audit)


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("ko", "1) 부가가치세법\n\n(보존 항목) 세금계산서\n\n(보존 기간) 5년"),
        (
            "en",
            "1) Value-Added Tax Act\n\n(Records) tax invoices\n\n(Kept for) 5 years",
        ),
    ],
    ids=["ko", "en"],
)
def test_law_named_bare_in_a_label_line_is_the_periods_statute(
    lang: str, lines: str
) -> None:
    heading, lead = {
        "ko": (
            "제3조(개인정보의 보유 기간)",
            "관계 법령에 따라 다음 정보를 보존합니다.",
        ),
        "en": ("3. Retention", "We keep the following records under these laws."),
    }[lang]
    text = f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{lead}\n\n{lines}\n"
    audit = audited(text, f"{lang}.md", foreign=False)
    assert "30.retention_without_start_or_statute" not in fired(audit)


@pytest.mark.parametrize(
    ("lang", "label", "sentence"),
    [
        (
            "ko",
            "개인정보 자동수집 장치의 설치·운영",
            "쿠키는 웹사이트가 이용자의 브라우저(크롬, 사파리, 엣지 등)에 보내는 "
            "소량의 정보로서 이용자의 기기에 저장되며, 방문 기록과 접속 정보 등을 담습니다.",
        ),
        (
            "en",
            "Cookies and similar technologies",
            "A cookie is a small file your browser (Chrome, Safari, Edge etc.) keeps "
            "on your device, holding your visits, device data, and so on.",
        ),
    ],
    ids=["ko", "en"],
)
def test_examples_under_a_cookies_label_line_are_not_vague_items(
    lang: str, label: str, sentence: str
) -> None:
    heading = {"ko": "제7조", "en": "7."}[lang]
    text = f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{label}\n\n{sentence}\n"
    audit = audited(text, f"{lang}.md", foreign=False)
    assert "30.vague_wording" not in fired(audit)


@pytest.mark.parametrize(
    ("lang", "table"),
    [
        (
            "ko",
            "| 근거 법령 | 보존 항목 | 보존 기간 |\n|---|---|---|\n"
            "| 회사 내부 방침 | 부정 이용 기록 | 1년 |\n"
            "| 통신비밀보호법 | 서비스 접속 기록 | 3개월 |\n",
        ),
        (
            "en",
            "| Basis | Records | Kept for |\n|---|---|---|\n"
            "| Our internal policy | fraud records | 1 year |\n"
            "| Communications Privacy Act | access logs | 3 months |\n",
        ),
    ],
    ids=["ko", "en"],
)
def test_law_in_a_rows_own_cell_is_that_periods_statute(lang: str, table: str) -> None:
    heading = {"ko": "제3조(개인정보의 보유 기간)", "en": "3. Retention"}[lang]
    text = f"# {PROVISION_TITLE[lang]}\n\n## {heading}\n\n{table}"
    audit = audited(text, f"{lang}.md", foreign=False)
    findings = [
        f for f in audit.findings if short(f) == "30.retention_without_start_or_statute"
    ]
    # the row with its law is settled; the row without one stays a review item
    # (a law named in another row may or may not set its period)
    assert [f.evidence[0].text for f in findings] == [
        {"ko": "1년", "en": "1 year"}[lang]
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "회원 관리, 서비스 개발 및 향상, 안전한 이용 환경 구축 등 아래의 목적으로만 "
        "개인정보를 이용합니다.",
        "전자상거래 등에서의 소비자보호에 관한 법률, 상법, 국세기본법 등 법령의 규정에 "
        "따라 이용 목적을 정합니다.",
    ],
    ids=["list-follows", "laws"],
)
def test_deung_that_leaves_nothing_open_is_not_vague_ko(sentence: str) -> None:
    text = f"# 개인정보 처리방침\n\n## 제1조(개인정보의 처리 목적)\n\n{sentence}\n"
    audit = audited(text, "ko.md", foreign=False)
    assert "30.vague_wording" not in fired(audit)
