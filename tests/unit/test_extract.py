"""Facts read from short policies of our own writing, Korean and English."""

from __future__ import annotations

from privwatch import document_from_bytes
from privwatch.extract import find_facts
from privwatch.models import Fact

KO = """# 처리방침

## 제2조(처리하는 개인정보의 항목)

필수항목: 이름, 휴대전화번호, 주민등록번호
선택항목: 생년월일

## 제4조(개인정보의 국외 이전)

| 이전받는 자 | 이전 국가 | 이전 항목 | 이전 일시 및 방법 | 연락처 | 이용 목적 및 보유 기간 |
|---|---|---|---|---|---|
| Cloudnine Hosting Inc. | 싱가포르 | 이름 | 수시로 네트워크 전송 | a@cloudnine.example | 보관, 1년 |
| 바른물류 주식회사 | 대한민국 | 주소 | 배송 시 | b@example.com | 배송, 3개월 |

국외 이전은 법 제28조의8제1항제3호에 따릅니다. 이전을 거부하실 수 있습니다.

## 제5조(개인정보의 제3자 제공)

회사는 개인정보를 판매자 및 제휴사에 제공합니다.
"""

EN = """# Privacy

## International transfers

Your information may be transferred worldwide. By using our services you consent to the transfer of your information.

## Retention

We keep order records for 5 years from the date of purchase under the Electronic Commerce Act.
We keep other data as long as necessary.
"""


def facts_of(text: str, name: str) -> list[Fact]:
    return find_facts(document_from_bytes(text.encode("utf-8"), name))


def kinds(facts: list[Fact], kind: str) -> list[Fact]:
    return [f for f in facts if f.kind == kind]


def test_korean_items_transfers_and_recipients() -> None:
    facts = facts_of(KO, "ko.md")
    items: dict[str | None, object] = {}
    for item in kinds(facts, "item"):  # the first mention: the collection list
        items.setdefault(item.value, item.get("mandatory"))
    assert items["id.name"] is True and items["id.rrn"] is True
    assert items["id.birth_date"] is False
    assert [f.get("basis") for f in kinds(facts, "rrn")] == [False]
    transfer = kinds(facts, "transfer")
    assert [
        (f.value, f.get("country"), f.get("complete"), f.get("basis")) for f in transfer
    ] == [
        ("Cloudnine Hosting Inc.", "SG", True, True)
    ]  # the domestic row (대한민국) is not an overseas transfer
    assert {f.value for f in kinds(facts, "country")} == {"SG"}
    category = [f for f in kinds(facts, "recipient") if not f.get("named")]
    assert [(f.value, f.get("role")) for f in category] == [
        ("판매자, 제휴사", "provision")
    ]
    evidence = category[0].evidence[0]
    assert evidence.text == "회사는 개인정보를 판매자 및 제휴사에 제공합니다."


def test_english_unspecified_country_deemed_consent_and_retention() -> None:
    facts = facts_of(EN, "en.md")
    transfer = kinds(facts, "transfer")
    assert [
        (f.get("country"), f.get("basis"), f.get("recipient_named")) for f in transfer
    ] == [("unspecified", False, False)]  # deemed consent is no legal basis
    assert len(kinds(facts, "deemed_consent")) == 1
    retention = [
        (f.get("concrete"), f.get("vague"), f.get("start_point"), f.get("statute"))
        for f in kinds(facts, "retention")
    ]
    assert retention == [(True, False, True, True), (False, True, False, False)]
