"""PIPC 작성지침 items on special processing (issue 16), in the style of
tests/test_audit_accuracy.py: policies written for these tests, Korean and
English, each item once where it must fire, once where it must not, and where
the text cannot settle it, once as a review item. Per-clause findings quote
the clause's own words.

Every company, address and person here is invented.
"""

from __future__ import annotations

import pytest

from privwatch.models import Audit
from tests.test_audit_accuracy import assert_exact, audited, facts, fired

KO_DEFECTIVE = """# 한빛상회 개인정보 처리방침

## 제1조(개인정보의 처리 목적)

한빛상회는 다음의 목적으로 개인정보를 처리합니다.

1. 회원 가입 및 관리
2. 상품 배송과 요금 정산
3. 이벤트 및 광고성 정보 제공 등 마케팅에 활용

## 제2조(처리하는 개인정보의 항목)

회사는 회원 가입 시 이름, 휴대전화번호, 이메일 주소를 수집합니다.

회사는 차량 대여 계약을 위하여 운전면허번호를 수집합니다.

회사는 해외 배송 통관을 위하여 여권번호를 수집합니다.

## 제3조(이용자 후기)

이용자가 작성한 후기는 공개되며 다른 이용자가 볼 수 있습니다.

## 제4조(가명정보의 처리)

회사는 가명정보를 처리할 수 있습니다.

1. 가명정보의 처리 목적 :
2. 가명처리하는 개인정보의 항목 :

## 제5조(개인정보의 추가적인 이용·제공)

회사는 「개인정보 보호법」 제15조제3항에 따라 정보주체의 동의 없이 개인정보를 추가적으로 이용할 수 있습니다.

## 제6조(영상정보처리기기의 운영)

회사는 물류센터에 CCTV를 설치·운영하고 있습니다.

1. 설치 위치 :
2. 관리책임자 :
"""

KO_COMPLIANT = """# 한빛상회 개인정보 처리방침

## 제1조(개인정보의 처리 목적)

한빛상회는 다음의 목적으로 개인정보를 처리합니다.

1. 회원 가입 및 관리
2. 상품 배송과 요금 정산
3. 이벤트 및 광고성 정보 제공(선택 동의한 회원에 한함)

## 제2조(처리하는 개인정보의 항목)

회사는 회원 가입 시 이름, 휴대전화번호, 이메일 주소를 수집합니다.

회사는 외국인 회원의 본인 확인을 위하여 다른 동의와 구분한 별도의 동의를 받아 외국인등록번호를 수집합니다.

## 제3조(이용자 후기)

이용자가 작성한 후기는 공개됩니다. 후기에 건강 상태 등 민감정보가 드러날 수 있으니 유의하시기 바라며, 작성 화면에서 후기를 비공개로 설정할 수 있습니다.

## 제4조(가명정보의 처리)

회사는 서비스 개선을 위한 통계작성 목적으로 성별과 연령대를 가명처리하여 처리합니다.

## 제5조(개인정보의 추가적인 이용·제공)

회사는 정보주체의 동의 없이 개인정보를 추가적으로 이용·제공할 수 있으며, 다음 사항을 고려합니다.

1. 당초 수집 목적과 관련성이 있는지 여부
2. 추가적인 이용에 대한 예측 가능성이 있는지 여부
3. 정보주체의 이익을 부당하게 침해하는지 여부
4. 가명처리 또는 암호화 등 안전성 확보 조치를 하였는지 여부

## 제6조(영상정보처리기기의 운영)

회사는 다음과 같이 영상정보처리기기를 설치·운영합니다.

1. 설치 목적: 시설안전 및 화재예방
2. 설치 위치: 물류센터 출입구 2대
3. 관리책임자: 총무팀장 (02-555-0192)
4. 보관기간: 촬영일로부터 30일
5. 열람 청구: 관리책임자에게 열람을 청구할 수 있습니다.

## 제7조(행태정보의 수집·이용·제공 및 거부 등에 관한 사항)

회사는 이용자가 동의한 경우 검색 기록과 구매 기록을 구글(Google) 광고 SDK로 수집하여 맞춤형 광고에 이용합니다. 이용자는 기기 설정에서 광고 식별자를 재설정하거나 맞춤형 광고를 거부할 수 있습니다.
"""

EN_DEFECTIVE = """# Lumen Goods Privacy Policy

## 1. How we use your information

We use your email address to deliver your orders and to send you marketing emails about our products.

## 2. Information we collect

We collect your name, email address and passport number to verify your identity.

## 3. Reviews

The product reviews you write are visible to other users together with your nickname.

## 4. Advertising

We show you personalised ads.

## 5. Storage

Your personal data are stored on servers located outside Korea.
"""

EN_COMPLIANT = """# Lumen Goods Privacy Policy

## 1. How we use your information

We use your email address to deliver your orders. With your consent, which is optional, we also send you marketing emails.

## 2. Information we collect

We collect your name and email address. For hotel bookings we collect your passport number where the Immigration Act requires it.

## 3. Advertising

With your consent we and Orbit Ads Ltd. use your browsing and purchase history on our site to show you personalised ads. You can refuse them at any time in your cookie settings.

## 4. Storage

Your personal data are stored on servers located in Singapore.
"""

ITEMS = {
    "23.public_sensitive_missing",
    "24.unique_id_without_basis",
    "22.marketing_without_separate_consent",
    "28-2.pseudonymised_missing",
    "15-3.additional_use_criteria_missing",
    "30.behavioural_ads_missing",
    "28-8.direct_collection_country_missing",
    "25.video_devices_missing",
}


def special(audit: Audit, certainty: str | None = None) -> dict[str, int]:
    return {k: v for k, v in fired(audit, certainty).items() if k in ITEMS}


def quotes(audit: Audit, rule: str) -> list[str]:
    return [
        " ".join(e.text for e in f.evidence)
        for f in audit.findings
        if f.rule == f"kr-pipa.{rule}"
    ]


# --- each item fires where the policy lacks it, certain ------------------------------


def test_ko_every_missing_item_is_found() -> None:
    audit = audited(KO_DEFECTIVE, "defective-ko.md", foreign=False)
    assert special(audit, "certain") == {
        "23.public_sensitive_missing": 1,
        "24.unique_id_without_basis": 2,  # one per clause
        "22.marketing_without_separate_consent": 1,
        "28-2.pseudonymised_missing": 1,
        "15-3.additional_use_criteria_missing": 1,
        "25.video_devices_missing": 1,
    }
    assert_exact(audit)


def test_en_every_missing_item_is_found() -> None:
    audit = audited(EN_DEFECTIVE, "defective-en.md", foreign=False)
    assert special(audit, "certain") == {
        "23.public_sensitive_missing": 1,
        "24.unique_id_without_basis": 1,
        "22.marketing_without_separate_consent": 1,
        "30.behavioural_ads_missing": 1,
        "28-8.direct_collection_country_missing": 1,
    }
    assert_exact(audit)


# --- and never where the policy meets it ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "foreign"),
    [(KO_COMPLIANT, "compliant-ko.md", False), (EN_COMPLIANT, "compliant-en.md", True)],
    ids=["ko", "en"],
)
def test_a_policy_meeting_every_item_gets_no_finding(
    text: str, name: str, foreign: bool
) -> None:
    audit = audited(text, name, foreign=foreign)
    assert special(audit) == {}


# --- per clause: each clause quoted by its own words ----------------------------------


def test_ko_unique_ids_are_found_clause_by_clause() -> None:
    audit = audited(KO_DEFECTIVE, "defective-ko.md", foreign=False)
    found = quotes(audit, "24.unique_id_without_basis")
    assert len(found) == 2
    passport = [q for q in found if "여권번호" in q]
    licence = [q for q in found if "운전면허번호" in q]
    assert len(passport) == len(licence) == 1 and passport != licence
    assert {f.value for f in facts(audit, "unique_id")} == {
        "id.passport",
        "id.driver_licence",
    }


def test_a_separate_consent_stated_anywhere_covers_that_identifier() -> None:
    text = KO_DEFECTIVE.replace(
        "회사는 해외 배송 통관을 위하여 여권번호를 수집합니다.",
        "회사는 해외 배송 통관을 위하여 여권번호를 수집합니다.\n\n"
        "여권번호는 다른 동의와 구분하여 별도의 동의를 받습니다.",
    )
    audit = audited(text, "consent-ko.md", foreign=False)
    (quote,) = quotes(audit, "24.unique_id_without_basis")
    assert "운전면허번호" in quote


def test_ko_marketing_is_quoted_by_its_own_line() -> None:
    audit = audited(KO_DEFECTIVE, "defective-ko.md", foreign=False)
    (quote,) = quotes(audit, "22.marketing_without_separate_consent")
    assert "광고성 정보" in quote and "회원 가입" not in quote


def test_ko_a_purposes_table_under_an_optional_consent_heading_is_met() -> None:
    text = """# 처리방침

## 제1조(개인정보의 처리 목적)

③ 개인정보 수집 및 이용 동의(선택)

| 목적 | 항목 | 보유기간 |
| --- | --- | --- |
| 신상품 안내 및 판촉 행사 등 마케팅 활동 | 이름, 휴대전화번호 | 회원 탈퇴 시까지 |
"""
    audit = audited(text, "table-ko.md", foreign=False)
    assert "22.marketing_without_separate_consent" not in fired(audit)


def test_en_an_unsubscribe_link_is_no_opt_in() -> None:
    text = EN_DEFECTIVE.replace(
        "to send you marketing emails about our products.",
        "to send you promotional emails. You can unsubscribe at any time.",
    )
    audit = audited(text, "optout-en.md", foreign=False)
    assert fired(audit, "certain")["22.marketing_without_separate_consent"] == 1
    # the sentence on unsubscribing is how to refuse, not another purpose
    (quote,) = quotes(audit, "22.marketing_without_separate_consent")
    assert "unsubscribe" not in quote


def test_en_marketing_said_once_to_need_consent_leaves_the_rest_to_a_person() -> None:
    text = EN_DEFECTIVE + (
        "\n## 6. Direct marketing\n\nWe send direct marketing only with your prior consent.\n"
    )
    audit = audited(text, "general-en.md", foreign=False)
    assert fired(audit, "review")["22.marketing_without_separate_consent"] == 1
    assert "22.marketing_without_separate_consent" not in fired(audit, "certain")


def test_ko_a_heading_alone_is_a_point_of_reading() -> None:
    text = """# 처리방침

## 제1조(개인정보의 처리 목적)

### 4. 마케팅 및 광고에의 활용

접속빈도 파악 등을 목적으로 개인정보를 처리합니다.
"""
    audit = audited(text, "heading-ko.md", foreign=False)
    assert fired(audit, "review")["22.marketing_without_separate_consent"] == 1


def test_measuring_our_own_campaigns_is_no_marketing_to_the_user() -> None:
    text = """# 처리방침

## 제1조(개인정보의 처리 목적)

회사는 마케팅 캠페인의 효과를 측정하기 위하여 방문 경로를 처리합니다.
"""
    audit = audited(text, "measure-ko.md", foreign=False)
    assert "22.marketing_without_separate_consent" not in fired(audit)


# --- points the text cannot settle are review items ----------------------------------


def test_ko_a_board_alone_does_not_show_what_is_public() -> None:
    text = """# 처리방침

## 제1조(개인정보의 처리 목적)

회사는 게시판 운영과 회원 관리를 위하여 개인정보를 처리합니다.
"""
    audit = audited(text, "board-ko.md", foreign=False)
    assert fired(audit, "review")["23.public_sensitive_missing"] == 1
    assert "23.public_sensitive_missing" not in fired(audit, "certain")


def test_en_a_way_to_hide_reviews_answers_the_point() -> None:
    text = EN_DEFECTIVE.replace(
        "together with your nickname.",
        "together with your nickname. You can hide your reviews in your privacy settings.",
    )
    audit = audited(text, "hide-en.md", foreign=False)
    assert "23.public_sensitive_missing" not in fired(audit)


def test_en_compatible_purposes_for_everyone_are_such_a_claim() -> None:
    text = EN_COMPLIANT + (
        "\n## 5. Other uses\n\nWe may also use your information for other purposes "
        "that are compatible with the purposes we have disclosed to you.\n"
    )
    audit = audited(text, "compatible-en.md", foreign=True)
    assert fired(audit, "certain")["15-3.additional_use_criteria_missing"] == 1


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_foreign_business_silent_on_where_it_processes_is_found(
    lang: str,
) -> None:
    text = {
        "en": "# Privacy\n\n## Purposes\n\nWe use your data to deliver orders.\n",
        "ko": "# 처리방침\n\n## 제1조(개인정보의 처리 목적)\n\n회사는 주문 배송을 위하여 개인정보를 처리합니다.\n",
    }[lang]
    audit = audited(text, f"silent-{lang}.md", foreign=True)
    assert fired(audit, "certain")["28-8.direct_collection_country_missing"] == 1
    domestic = audited(text, f"silent-{lang}.md", foreign=False)
    assert "28-8.direct_collection_country_missing" not in fired(domestic)


def test_ko_video_information_named_among_purposes_is_found() -> None:
    text = """# 처리방침

## 제1조(개인정보의 처리 목적)

개인영상정보는 범죄의 예방 및 시설안전을 목적으로 처리합니다.
"""
    audit = audited(text, "video-ko.md", foreign=False)
    assert fired(audit, "certain")["25.video_devices_missing"] == 1


# --- what the facts say ----------------------------------------------------------------


def test_ko_blank_template_lines_give_no_operating_matter() -> None:
    audit = audited(KO_DEFECTIVE, "defective-ko.md", foreign=False)
    (video,) = facts(audit, "video_devices")
    # "설치 위치 :" and "관리책임자 :" are labels left blank
    assert video.get("missing") == "purpose, places, manager, retention, access"
    (pseudo,) = facts(audit, "pseudonymised")
    assert pseudo.get("missing") == "purpose, items"


def test_ko_a_denial_of_behavioural_ads_is_no_behavioural_ads() -> None:
    text = """# 처리방침

## 제7조(행태정보의 수집·이용·제공 및 거부 등에 관한 사항)

회사는 온라인 맞춤형 광고 등을 위한 행태정보를 수집·이용·제공하지 않습니다.
"""
    audit = audited(text, "none-ko.md", foreign=False)
    assert facts(audit, "behavioural_ads") == []


def test_en_servers_outside_korea_name_no_country() -> None:
    audit = audited(EN_DEFECTIVE, "defective-en.md", foreign=False)
    (place,) = facts(audit, "processing_place")
    assert place.get("abroad") is True and place.get("country_named") is False
    compliant = audited(EN_COMPLIANT, "compliant-en.md", foreign=True)
    (named,) = facts(compliant, "processing_place")
    assert named.value == "SG"


def test_en_a_country_named_only_for_users_elsewhere_is_no_place_of_processing() -> (
    None
):
    text = """# Privacy

## Storage

Data of our U.S. users are stored with cloud providers in the United States.
"""
    audit = audited(text, "us-users-en.md", foreign=True)
    assert fired(audit, "certain")["28-8.direct_collection_country_missing"] == 1
    korean = audited(
        text.replace("our U.S. users", "users in Korea").replace(
            "the United States", "Korea and Japan"
        ),
        "kr-users-en.md",
        foreign=True,
    )
    assert "28-8.direct_collection_country_missing" not in fired(korean)


def test_en_advertising_partners_named_only_in_the_opt_out_line_are_not_named() -> None:
    text = """# Privacy

## Advertising

Our advertising partners use your browsing history on our site to show you interest-based ads.
To opt out, use the settings of Google or Facebook.
"""
    audit = audited(text, "partners-en.md", foreign=False)
    (ads,) = facts(audit, "behavioural_ads")
    assert ads.get("tools") is False and ads.get("missing") == "tools"


def test_ko_targeted_marketing_among_the_purposes_of_cookies_is_found() -> None:
    text = """# 처리방침

## 제8조(쿠키의 설치·운영 및 거부)

① 회사는 이용자의 방문 기록을 분석하여 관심 분야에 따른 타겟 마케팅에 활용합니다.

② 이용자는 브라우저 설정에서 쿠키 저장을 거부할 수 있습니다.
"""
    audit = audited(text, "cookies-ko.md", foreign=False)
    (quote,) = quotes(audit, "22.marketing_without_separate_consent")
    assert "타겟 마케팅" in quote and "거부" not in quote
    consented = audited(
        text.replace(
            "회사는 이용자의", "회사는 이용자가 동의한 경우에 한하여 이용자의"
        ),
        "cookies-consent-ko.md",
        foreign=False,
    )
    assert "22.marketing_without_separate_consent" not in fired(consented)


def test_en_sharing_with_advertisers_is_no_purpose_of_our_own() -> None:
    text = """# Privacy

## How we use your information

We use your information to deliver your orders.
We may share your information with advertising companies for interest-based advertising.
"""
    audit = audited(text, "share-en.md", foreign=False)
    assert "22.marketing_without_separate_consent" not in fired(audit)


def test_ko_a_cloud_region_in_seoul_names_korea() -> None:
    text = """# 처리방침

## 제5조(개인정보 처리업무의 위탁)

| 수탁자 | 위탁 업무 |
| --- | --- |
| Cloudnine Inc. (서울 리전) | 클라우드 인프라 운영, 데이터 저장 |
"""
    audit = audited(text, "region-ko.md", foreign=True)
    (place,) = facts(audit, "processing_place")
    assert place.value == "KR"
    assert "28-8.direct_collection_country_missing" not in fired(audit)


def test_ko_a_video_section_listed_only_in_the_contents_is_found() -> None:
    text = """# 처리방침

1. 개인정보의 처리 목적
2. 영상정보처리기기 설치·운영

## 1. 개인정보의 처리 목적

회사는 회원 관리를 위하여 개인정보를 처리합니다.
"""
    audit = audited(text, "contents-ko.md", foreign=False)
    (video,) = facts(audit, "video_devices")
    assert video.get("devices") is False
    assert fired(audit, "certain")["25.video_devices_missing"] == 1


def test_ko_pseudonymised_particulars_on_a_page_pointed_to_meet_the_item() -> None:
    text = """# 처리방침

## 제10조(가명정보의 처리)

회사는 통계작성을 위하여 개인정보를 가명처리하여 처리할 수 있습니다. 가명정보 처리현황은 홈페이지에 공개합니다.
"""
    audit = audited(text, "pointer-ko.md", foreign=False)
    assert "28-2.pseudonymised_missing" not in fired(audit)
