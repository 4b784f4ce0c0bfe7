"""An overseas transfer disclosed as a statement and the list (or table) under
it is one disclosure (PIPA Art. 28-8(2)): judged once, with its evidence
quoting the statement and the items exactly.

The policies here were written for these tests; the companies are invented.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from privwatch import document_from_bytes, ingest_document
from privwatch.models import Audit, Fact
from privwatch.pipeline import audit_document
from privwatch.rules import load_pack
from privwatch.rules.words import finding_words
from tests.conftest import FIXTURES

STATEMENT = "회사는 클라우드 보관을 위하여 아래와 같이 개인정보를 국외로 이전합니다."
ITEMS = [
    "이전받는 자: Acme Cloud Inc. (privacy@acme.example)",
    "이전되는 국가: 일본",
    "이전 일시 및 방법: 서비스 이용 시 네트워크를 통해 전송",
    "이전 항목: 이름, 이메일",
    "이용 목적 및 보유 기간: 데이터 보관, 회원 탈퇴 시까지",
]
LIST_KO = (
    "# 개인정보 처리방침\n\n## 제5조(개인정보의 국외 이전)\n\n{statement}\n\n{items}\n"
)
REFUSAL = (
    "정보주체는 privacy@example.kr로 요청하여 국외 이전을 거부할 수 있으며, 거부하면 "
    "클라우드 백업을 이용할 수 없습니다. 백업이 해당 서버에서만 이루어지기 때문입니다."
)
BASIS = "회사는 「개인정보 보호법」 제28조의8제1항제3호에 따라 위 사항을 이 방침에 공개합니다."

# the same complete disclosure (with refusal and basis) in four layouts
LAYOUTS = {
    "markdown-list": (
        "ko.md",
        "# 개인정보 처리방침\n\n## 제5조(개인정보의 국외 이전)\n\n"
        f"① {STATEMENT}\n\n" + "\n".join(f"- {item}" for item in ITEMS) + "\n\n"
        f"② {REFUSAL}\n\n③ {BASIS}\n\n## 제6조(개인정보의 파기)\n\n지체 없이 파기합니다.\n",
    ),
    "html-list": (
        "ko.html",
        "<html><head><title>개인정보 처리방침</title></head><body><main>"
        "<h1>개인정보 처리방침</h1><h2>제5조(개인정보의 국외 이전)</h2>"
        f"<p>{STATEMENT}</p><ul>"
        + "".join(
            "<li><strong>{}</strong>: {}</li>".format(*item.split(": ", 1))
            for item in ITEMS
        )
        + f"</ul><p>{REFUSAL}</p><p>{BASIS}</p>"
        "<h2>제6조(개인정보의 파기)</h2><p>지체 없이 파기합니다.</p></main></body></html>",
    ),
    "numbered-text": (
        "ko.txt",
        "개인정보 처리방침\n\n제5조(개인정보의 국외 이전)\n"
        f"① {STATEMENT.replace('아래와', '다음과')}\n"
        + "".join(f"{n}. {item}\n" for n, item in enumerate(ITEMS, 1))
        + f"② {REFUSAL}\n③ {BASIS}\n\n제6조(개인정보의 파기)\n지체 없이 파기합니다.\n",
    ),
    "table": (
        "ko.md",
        "# 개인정보 처리방침\n\n## 제5조(개인정보의 국외 이전)\n\n"
        f"{STATEMENT}\n\n"
        "| 이전받는 자 | 이전되는 국가 | 이전 일시 및 방법 | 이전 항목 | 이용 목적 및 보유 기간 | 연락처 |\n"
        "|---|---|---|---|---|---|\n"
        "| Acme Cloud Inc. | 일본 | 서비스 이용 시 네트워크를 통해 전송 | 이름, 이메일 "
        "| 데이터 보관, 회원 탈퇴 시까지 | privacy@acme.example |\n\n"
        f"{REFUSAL}\n\n{BASIS}\n",
    ),
}


@cache
def audited(text: str, name: str) -> Audit:
    document = document_from_bytes(text.encode("utf-8"), name)
    return audit_document(document, [load_pack("kr-pipa")], foreign=False)


def transfers(audit: Audit) -> list[Fact]:
    return [f for f in audit.facts if f.kind == "transfer"]


def fired(audit: Audit) -> Counter[str]:
    """28-8 findings by rule, short names ("no_legal_basis")."""
    return Counter(
        f.rule.rsplit(".", 1)[1] for f in audit.findings if f.article.startswith("28-8")
    )


def assert_exact_quotes(audit: Audit) -> None:
    text = audit.document.text
    for fact in audit.facts:
        for evidence in fact.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
    for finding in audit.findings:
        assert finding.evidence == tuple(
            sorted(finding.evidence, key=lambda e: (e.start, e.end))
        )
        for evidence in finding.evidence:
            assert text[evidence.start : evidence.end] == evidence.text


def test_a_statement_and_its_labelled_list_are_one_disclosure() -> None:
    """The reported false positive: the statement was flagged for no country and
    no recipient, and "이전되는 국가: 일본" again for no recipient and no basis."""
    text = LIST_KO.format(
        statement=STATEMENT, items="\n".join(f"- {item}" for item in ITEMS)
    )
    audit = audited(text, "ko.md")
    assert_exact_quotes(audit)
    (transfer,) = transfers(audit)
    assert transfer.value == "Acme Cloud Inc. (privacy@acme.example)"
    assert (transfer.get("country"), transfer.get("recipient_named")) == ("JP", True)
    assert [e.text for e in transfer.evidence] == [STATEMENT, *ITEMS]
    # nothing says how to refuse, nor on which 28-8(1) ground the data go:
    # "클라우드 보관을 위하여" is a purpose, and 28-8(1)3 needs every 28-8(2)
    # item in the policy, the way to refuse among them. Each is asked once.
    assert transfer.get("missing") == "refusal"
    assert fired(audit) == {"no_legal_basis": 1, "disclosure_incomplete": 1}
    incomplete = next(f for f in audit.findings if "incomplete" in f.rule)
    assert incomplete.param("missing") == "refusal"  # a field key, not its name
    assert (
        finding_words(incomplete, "en").title
        == "Overseas transfer disclosure incomplete: how to refuse"
    )
    # a finding quotes at most three spans (engine.MAX_SPANS): the statement
    # and the first two lines, all in the statement's list
    assert [e.text for e in incomplete.evidence] == [STATEMENT, *ITEMS][:3]
    countries = [f for f in audit.facts if f.kind == "country"]
    assert [(f.value, [e.text for e in f.evidence]) for f in countries] == [
        ("JP", ["이전되는 국가: 일본"])
    ]
    recipients = [f for f in audit.facts if f.kind == "recipient"]
    assert [(f.value, f.get("named"), f.get("role")) for f in recipients] == [
        ("Acme Cloud Inc. (privacy@acme.example)", True, "transfer")
    ]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_same_complete_disclosure_in_any_layout_raises_nothing(
    layout: str,
) -> None:
    name, text = LAYOUTS[layout]
    audit = audited(text, name)
    assert_exact_quotes(audit)
    facts = transfers(audit)
    assert [
        (f.get("country"), f.get("recipient_named"), f.get("basis"), f.get("missing"))
        for f in facts
    ] == [("JP", True, True, "")]
    assert fired(audit) == {}
    # ② and ③ complete the disclosure; they are not transfers of their own
    quoted = {e.text for f in facts for e in f.evidence}
    assert not any(REFUSAL in q or BASIS in q for q in quoted)


def test_a_numbered_list_under_a_circled_paragraph_ends_at_the_next_one() -> None:
    name, text = LAYOUTS["numbered-text"]
    audit = audited(text, name)
    (transfer,) = transfers(audit)
    quoted = [e.text for e in transfer.evidence]
    assert quoted[0].startswith("① ") and quoted[1].startswith("1. 이전받는 자")
    assert quoted[-1] == "5. " + ITEMS[-1]  # ② is the next paragraph, not an item


def test_repeated_labels_are_one_transfer_per_recipient() -> None:
    items = [
        "이전받는 자: Acme Cloud Inc. (privacy@acme.example)",
        "이전되는 국가: 일본",
        "이전 항목: 이름, 이메일",
        "이전받는 자: Bora Analytics Pte. Ltd. (dpo@bora.example)",
        "이전되는 국가: 싱가포르",
        "이전 항목: 접속 기록",
    ]
    statement = (
        "회사는 이용자의 별도 동의를 받아 다음과 같이 개인정보를 국외로 이전합니다."
    )
    text = LIST_KO.format(
        statement=statement, items="\n".join(f"- {item}" for item in items)
    )
    audit = audited(text, "ko.md")
    assert_exact_quotes(audit)
    assert [
        (f.get("country"), f.get("basis"), [e.text for e in f.evidence])
        for f in transfers(audit)
    ] == [
        ("JP", True, [statement, *items[:3]]),
        ("SG", True, [statement, *items[3:]]),
    ]
    # no purpose, period, method: one finding for the one statement (one per
    # rule per clause), naming both recipients
    assert fired(audit) == {"disclosure_incomplete": 1}
    (incomplete,) = [f for f in audit.findings if "incomplete" in f.rule]
    assert [e.text for e in incomplete.evidence] == [statement, *items[:2]]
    by_id = {c.id: audit.document.quote(c) for c in audit.document.clauses}
    assert [by_id[c] for c in incomplete.more] == items[2:]


def test_an_english_list_of_recipients_is_one_transfer_per_recipient() -> None:
    statement = "We transfer your personal data to the following recipients:"
    acme = "Acme Cloud Inc., Japan (privacy@acme.example): hosting of your name and email address"
    bora = "Bora Analytics Pte. Ltd., Singapore (dpo@bora.example): usage analytics"
    text = (
        "# Privacy Policy\n\n## International transfers\n\n"
        f"{statement}\n\n- {acme}\n- {bora}\n"
    )
    audit = audited(text, "en.md")
    assert_exact_quotes(audit)
    assert [
        (f.get("country"), f.get("recipient_named"), [e.text for e in f.evidence])
        for f in transfers(audit)
    ] == [("JP", True, [statement, acme]), ("SG", True, [statement, bora])]
    assert not {"country_not_specified", "recipient_not_named"} & set(fired(audit))


def test_an_english_labelled_list_is_one_complete_disclosure() -> None:
    text = (
        "# Privacy Policy\n\n## International transfers\n\n"
        "We transfer personal data abroad as follows:\n\n"
        "- Recipient: Acme Cloud Inc. (privacy@acme.example)\n"
        "- Country: Japan\n"
        "- Data transferred: name and email address\n"
        "- Purpose and retention period: hosting, until you close your account\n"
        "- Time and method: over the network when you use the service\n\n"
        "You may refuse the transfer by writing to privacy@example.kr. "
        "We rely on your separate consent for this transfer.\n"
    )
    audit = audited(text, "en.md")
    assert [
        (f.value, f.get("country"), f.get("complete")) for f in transfers(audit)
    ] == [("Acme Cloud Inc. (privacy@acme.example)", "JP", True)]
    assert fired(audit) == {}


def test_a_list_of_destinations_reads_where_the_data_go_not_whose_they_are() -> None:
    """ "For users in the EU: Germany" is whose data go where: for Korean users
    the list says Korea and Singapore, so the transfer is to Singapore."""
    text = (
        "# Privacy Policy\n\n## International transfers\n\n"
        "We store your information on servers located as described below:\n\n"
        "- For users located in the EU/EEA: Germany and Singapore\n"
        "- For users located in South Korea: South Korea and Singapore\n"
        "- For users in other regions: Singapore\n"
    )
    audit = audited(text, "en.md")
    (transfer,) = transfers(audit)
    assert (transfer.get("country"), transfer.get("unspecified")) == ("SG", False)
    assert fired(audit)["country_not_specified"] == 0
    assert fired(audit)["recipient_not_named"] == 1  # who runs the servers?


# --- true positives stay --------------------------------------------------------


def test_a_bare_transfer_to_overseas_partners_is_still_flagged() -> None:
    text = (
        "# 개인정보 처리방침\n\n## 제5조(개인정보의 국외 이전)\n\n"
        "회사는 개인정보를 해외의 협력업체에 이전할 수 있습니다.\n"
    )
    audit = audited(text, "ko.md")
    assert fired(audit) == {
        "country_not_specified": 1,
        "recipient_not_named": 1,
        "no_legal_basis": 1,
        "disclosure_incomplete": 1,
    }


def test_a_list_naming_the_recipient_but_not_the_country_flags_the_country() -> None:
    items = [item for item in ITEMS if not item.startswith("이전되는 국가")]
    text = LIST_KO.format(
        statement=STATEMENT, items="\n".join(f"- {item}" for item in items)
    )
    audit = audited(text, "ko.md")
    (transfer,) = transfers(audit)
    assert (transfer.get("country"), transfer.get("recipient_named")) == (
        "unspecified",
        True,
    )
    assert fired(audit)["country_not_specified"] == 1
    assert fired(audit)["recipient_not_named"] == 0


def test_other_countries_in_the_list_are_still_unspecified() -> None:
    items = [item.replace(": 일본", ": 미국 및 기타 국가") for item in ITEMS]
    text = LIST_KO.format(
        statement=STATEMENT, items="\n".join(f"- {item}" for item in items)
    )
    audit = audited(text, "ko.md")
    assert [f.get("country") for f in transfers(audit)] == ["US,unspecified"]
    assert fired(audit)["country_not_specified"] == 1


def test_unnamed_overseas_partners_beside_a_named_transfer_are_still_flagged() -> None:
    """Only a sentence naming neither a country nor any recipient ("국외 이전을
    거부할 수 있습니다") belongs to the disclosure beside it; "해외의 협력업체"
    may be another transfer."""
    partners = "또한 회사는 개인정보를 해외의 협력업체에 이전할 수 있습니다."
    text = LIST_KO.format(
        statement=STATEMENT, items="\n".join(f"- {item}" for item in ITEMS)
    ) + (f"\n{partners}\n\n이용자는 국외 이전을 거부할 수 있습니다.\n")
    audit = audited(text, "ko.md")
    assert_exact_quotes(audit)
    assert [
        (f.get("country"), [e.text for e in f.evidence]) for f in transfers(audit)
    ] == [("JP", [STATEMENT, *ITEMS]), ("unspecified", [partners])]
    for rule in ("country_not_specified", "recipient_not_named"):
        (finding,) = [f for f in audit.findings if f.rule.endswith(rule)]
        assert [e.text for e in finding.evidence] == [partners]


# --- our own fixture in every format ----------------------------------------------


def test_every_format_of_the_korean_fixture_gives_the_same_28_8_findings() -> None:
    """The PDF loses the table's structure; its refusal paragraph (②) used to
    become a transfer of its own with four findings the other formats lack."""
    found = {}
    for path in sorted(FIXTURES.glob("policy_ko*")):
        audit = audit_document(
            ingest_document(str(path)), [load_pack("kr-pipa")], foreign=False
        )
        found[path.name] = sorted(fired(audit).items())
    assert len(found) >= 5
    assert len({tuple(v) for v in found.values()}) == 1, found


# --- the real corpus in ../shared ----------------------------------------------


@pytest.mark.corpus
def test_aliexpress_storage_list_and_safeguard_list_are_one_disclosure_each(
    shared: Path,
) -> None:
    path = shared / "corpus" / "policies" / "aliexpress_privacy_en_2026-07-30.md"
    audit = audit_document(ingest_document(str(path)), [load_pack("kr-pipa")])
    assert_exact_quotes(audit)

    def opens(fact: Fact, *words: str) -> bool:
        statement = fact.evidence[0].text
        return statement.endswith(":") and all(w in statement for w in words)

    # the servers statement and its list of where each region's data are kept:
    # one disclosure; for Korean users it says Korea and Singapore (the items
    # for China, the EU/EEA and the Americas address other users)
    storage = [f for f in transfers(audit) if opens(f, "store", "servers")]
    assert [(f.get("country"), len(f.evidence)) for f in storage] == [("SG", 3)]
    # the statement on leaving the EEA and its safeguards address EEA users only
    assert [f for f in transfers(audit) if opens(f, "EEA")] == []


@pytest.mark.corpus
def test_naver_2019_overseas_outsourcing_intro_is_not_a_transfer_of_its_own(
    shared: Path,
) -> None:
    """The item announcing the overseas outsourcing ("… 아래와 같습니다")
    belongs to the Hong Kong and China outsourcees named just below it."""
    path = shared / "corpus" / "history" / "naver_privacy_ko" / "2019-01-31.md"
    audit = audit_document(ingest_document(str(path)), [load_pack("kr-pipa")])
    text = audit.document.text
    (intro,) = [
        c
        for c in audit.document.clauses
        if "국외법인" in text[c.start : c.end] and "아래와" in text[c.start : c.end]
    ]
    quoted = {(e.start, e.end) for f in audit.findings for e in f.evidence}
    assert (intro.start, intro.end) not in quoted
    assert any(
        {"CN", "HK"} <= set(str(f.get("country")).split(",")) for f in transfers(audit)
    )


SUBSECTION_KO = (
    "# 개인정보 처리방침\n\n## 8. 개인정보 처리의 위탁\n\n"
    "### 8.2. 국외 이전 (일본)\n\n"
    "회사는 백업을 위하여 아래와 같이 개인정보를 국외로 이전합니다.\n\n"
    "| 수탁자 | 이전 항목 | 목적 | 보유 기간 |\n|---|---|---|---|\n"
    "| {recipient} | 이름, 이메일 | 백업 보관 | 회원 탈퇴 시까지 |\n"
)


@pytest.mark.parametrize(
    "recipient", ["Acme Cloud Inc. (일본 도쿄 리전)", "Acme Cloud Inc."]
)
def test_a_country_in_the_recipient_cell_or_the_heading_is_the_destination(
    recipient: str,
) -> None:
    """A heading naming where data go ("국외 이전 (일본)") is no passage for
    people in Japan: the rows under it are audited, and the country said beside
    the recipient or in the heading is the destination, not "unspecified"."""
    audit = audited(SUBSECTION_KO.format(recipient=recipient), "heading-country.md")
    assert [t.get("country") for t in transfers(audit)] == ["JP"]
    assert fired(audit)["country_not_specified"] == 0
    assert fired(audit)["disclosure_incomplete"] == 1
    assert_exact_quotes(audit)


def test_a_table_with_no_country_anywhere_still_lacks_it() -> None:
    text = SUBSECTION_KO.replace(" (일본)", "").format(recipient="Acme Cloud Inc.")
    audit = audited(text, "no-country.md")
    assert [t.get("country") for t in transfers(audit)] == ["unspecified"]
    assert fired(audit)["country_not_specified"] == 1
