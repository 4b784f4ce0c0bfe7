"""Recipients described only by category (PIPA Art. 17(2), 26(2)), read from
short policies of our own writing, Korean and English."""

from __future__ import annotations

from privwatch import document_from_bytes
from privwatch.extract import find_facts


def recipients(text: str, name: str) -> list[tuple[str, str, bool]]:
    """(categories, role, with consent) of each unnamed recipient found."""
    facts = find_facts(document_from_bytes(text.encode("utf-8"), name))
    return [
        (str(f.value), str(f.get("role")), bool(f.get("with_consent")))
        for f in facts
        if f.kind == "recipient" and not f.get("named")
    ]


def test_a_note_between_list_items_does_not_end_the_lead_in() -> None:
    text = """# Privacy

## Sharing your information

We share personal information with the following categories of recipients:

- Sellers you buy from, so that they can ship your order and answer your questions.

Please note that other users can see the reviews you publish on our pages.

- Our business partners (for example, to offer you discounts) where you have consented to it.
"""
    found = recipients(text, "resumed.md")
    assert ("business partners", "provision", True) in found


def test_a_long_item_head_ends_before_whom_the_recipient_serves() -> None:
    text = """# Privacy

## Sharing your information

We share personal information with the following categories of recipients:

- Logistics and last-mile delivery partners in our shipping network such as Northwind Couriers Co., Ltd for delivering orders to Buyers and Sellers.
"""
    found = recipients(text, "head.md")
    assert [role for _, role, _ in found] == ["outsourcing"]


def test_a_heading_naming_recipients_gives_their_role() -> None:
    text = """# Privacy

## How we share your information

We share your information as described in the sections below.

## Advertising partners

We may share your personal information with third-party advertising companies for interest-based advertising.

## Merchandise partners

We may share your name and address with the merchandise partners when you request a return of an item.
"""
    found = recipients(text, "headings.md")
    assert ("third-party", "provision", False) in found
    assert ("partners", "provision", False) in found


def test_the_company_speaking_is_not_the_recipient() -> None:
    text = """# 개인정보 처리방침

## 제4조(개인정보의 제3자 제공)

한결상사 주식회사는 더 나은 서비스를 위해 회원님의 개인정보를 비즈니스 파트너와 공유할 수 있습니다. 이 경우 사전에 회원님의 동의를 받습니다.
"""
    assert ("비즈니스 파트너", "provision", True) in recipients(text, "subject.md")


def test_translated_vendor_words_are_outsourcees() -> None:
    text = """# 개인정보 처리방침

## 제5조(개인정보 처리의 위탁)

회사는 결제 처리 업무를 타사 공급업체에 위탁합니다.
"""
    assert recipients(text, "vendor.md") == [("타사 공급업체", "outsourcing", False)]


def test_a_promise_to_ask_consent_first_names_no_recipient() -> None:
    text = """# 개인정보 처리방침

## 제4조(개인정보의 제3자 제공)

① 회사는 개인정보를 국외의 제3자에게 제공할 때에는 이용자에게 내용을 알리고 동의를 받습니다.

② 회사는 다음의 경우에 개인정보를 제공할 수 있습니다.

1. 정보주체가 사전에 제3자 제공 및 공개에 동의한 경우
"""
    assert recipients(text, "principle.md") == []


def test_english_promise_to_ask_consent_first_names_no_recipient() -> None:
    text = """# Privacy

## Sharing with third parties

If we need to share your personal information with third parties, we will ask for your consent first.
"""
    assert recipients(text, "principle-en.md") == []


def test_a_processor_at_work_outside_the_sharing_sections_is_an_outsourcee() -> None:
    text = """# 개인정보 처리방침

## 제2조(수집하는 개인정보)

유료 요금제에 가입하면 타사 결제 프로세서가 이용자의 카드 정보를 수집하고 처리합니다.

이용자가 남긴 후기는 광고 파트너에게 보이지 않습니다.
"""
    assert recipients(text, "processor.md") == [
        ("타사 결제 프로세서", "outsourcing", False)
    ]


def test_an_english_processor_at_work_outside_the_sharing_sections() -> None:
    text = """# Privacy

## Payments

When you subscribe, payment processors process your card details on our behalf.
"""
    assert recipients(text, "processor-en.md") == [
        ("payment processors", "outsourcing", False)
    ]


def provisions(text: str, name: str) -> list[tuple[bool, str]]:
    facts = find_facts(document_from_bytes(text.encode("utf-8"), name))
    return [
        (bool(f.get("complete")), str(f.get("missing")))
        for f in facts
        if f.kind == "provision"
    ]


def test_a_provision_form_left_blank_gives_none_of_its_items() -> None:
    text = """# 개인정보 처리방침

## 제4조(개인정보의 제3자 제공)

② 회사는 다음과 같이 개인정보를 제3자에게 제공하고 있습니다.

1. < >
- 개인정보를 제공받는 자 :
- 제공받는 자의 개인정보 이용목적 :
- 제공받는 자의 보유·이용기간 :
"""
    assert provisions(text, "blank.md") == [
        (False, "recipient, purpose, items, retention")
    ]


def test_a_provision_form_filled_in_is_not_blank() -> None:
    text = """# 개인정보 처리방침

## 제4조(개인정보의 제3자 제공)

② 회사는 다음과 같이 개인정보를 제3자에게 제공하고 있습니다.

- 개인정보를 제공받는 자 : 바른택배 주식회사
- 제공받는 자의 개인정보 이용목적 : 상품 배송
- 제공하는 개인정보 항목 : 이름, 주소
- 제공받는 자의 보유·이용기간 : 배송 완료 후 3개월
"""
    assert provisions(text, "filled.md") == [(True, "")]


def test_the_other_party_to_a_deal_receives_by_provision() -> None:
    text = """# 개인정보 처리방침

## 제3조(개인정보의 제3자 제공)

회사는 서비스를 통해 거래가 이루어진 경우 배송과 연락을 위하여 이용자의 이름과 연락처를 거래당사자에게 제공합니다.
"""
    assert recipients(text, "deal.md") == [("거래당사자", "provision", False)]


def test_a_provision_only_foreseen_is_for_a_person_to_judge() -> None:
    text = """# 개인정보 처리방침

## 제4조(개인정보의 제3자 제공)

회사는 더 나은 서비스를 위하여 개인정보를 협력업체와 공유할 필요가 있는 경우에는 제공받는 자와 목적을 알리고 동의를 구합니다.
"""
    facts = find_facts(document_from_bytes(text.encode("utf-8"), "foreseen.md"))
    found = [f for f in facts if f.kind == "recipient"]
    assert [(f.value, f.get("with_consent"), f.get("review")) for f in found] == [
        ("협력업체", True, "reading")
    ]


def test_an_english_provision_only_foreseen_is_for_a_person_to_judge() -> None:
    text = """# Privacy

## Sharing your information

If we need to share your personal information with our business partners, we will tell you who they are and obtain your prior consent.
"""
    facts = find_facts(document_from_bytes(text.encode("utf-8"), "foreseen-en.md"))
    found = [f for f in facts if f.kind == "recipient"]
    assert [(f.value, f.get("with_consent"), f.get("review")) for f in found] == [
        ("business partners", True, "reading")
    ]


def test_a_table_of_processors_in_a_sharing_section_is_outsourcing() -> None:
    text = """# Privacy

## How we share your information

We may share your personal data with the following types of service providers as set out in the table below:

| Service provider / processor | Services offered |
|---|---|
| Hosting service provider | Cloud storage for the website |
| Customer service provider | Answering your questions |
"""
    facts = find_facts(document_from_bytes(text.encode("utf-8"), "table.md"))
    assert [f for f in facts if f.kind == "provision"] == []
    assert {f.kind for f in facts} >= {"outsourcing"}


def test_the_recipients_own_processors_are_not_the_companys_outsourcees() -> None:
    text = """# Privacy

## Sharing your information

When you buy from a third-party seller, we share your name and address with the seller so that it can ship your order and pass them to its service providers.
"""
    assert recipients(text, "owned.md") == [("third-party seller", "provision", False)]


def test_a_question_heading_on_sharing_and_work_on_our_behalf() -> None:
    text = """# 지원자 개인정보 처리방침

## 당사는 지원자의 개인 정보를 어떻게 공유하나요?

당사는 다음 목적을 위해 지원자의 개인 정보를 계열사 및 그 밖의 제3자와 공유합니다.

1. 제3자가 당사를 대신하여 채용 관련 서비스를 제공할 수 있도록 함
"""
    found = recipients(text, "question.md")
    assert ("계열사, 그 밖의 제3자", "provision", False) in found
    assert ("제3자", "outsourcing", False) in found
