"""PIPC guideline items a policy states about itself and about where to turn
(issue 16, deliver 1), on policies written for these tests in Korean and
English, in the phrasings real policies use:

1. effective date: 시행일자, 공고일자, 부칙, "…부터 적용됩니다", "Effective as of",
   "Last updated", a date alone under the title; a date of something else is none
2. changes: a notice of changes, a history, earlier versions; a change of
   outsourcees is not a change of the policy
3. the department receiving access requests: its own section, or the rights
   sending requests to a unit or contact; a template's blank fields name none
4. remedies: Korean bodies by name; a dispute-mediation record kept, police
   receiving data, or an authority only for the EEA are no remedy
5. children under 14: certain only when the policy collects their data without
   the legal representative's consent; silence is a review item
6. automated decisions: fully automated and significant, without rights or
   criteria; recommendations and ads are not decisions
7. portability: only where the policy says the business is covered (certain)
   or names a designated sector (review); silence is nothing

Every company, address and person here is invented.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from privwatch.models import Audit
from tests.test_audit_accuracy import assert_exact, audited, facts, fired

EFFECTIVE = "30.effective_date_missing"
CHANGES = "30.change_history_missing"
ACCESS = "30.access_department_missing"
REMEDIES = "30.remedies_missing"
CHILDREN = "22-2.children_missing"
AUTOMATED = "37-2.automated_decisions_missing"
PORTABILITY = "35-2.portability_missing"

KO_HEAD = """# 푸른숲몰 개인정보 처리방침

## 제1조(개인정보의 처리 목적)

회사는 주문 상품의 배송과 고객 문의 응대를 위하여 개인정보를 처리합니다.

## 제2조(처리하는 개인정보의 항목)

필수항목: 이름, 휴대전화번호, 배송지 주소
"""

EN_HEAD = """# Greenwood Market Privacy Policy

## 1. What we collect

We collect your name, email address and delivery address when you place an order.

## 2. Why we use it

We use your data to deliver your orders and to answer your questions.
"""

HEAD = {"ko": KO_HEAD, "en": EN_HEAD}


def audit(lang: str, tail: str = "", head: str | None = None) -> Audit:
    text = (HEAD[lang] if head is None else head) + tail
    result = audited(text, f"{lang}.md")
    assert_exact(result)
    return result


def certain(result: Audit) -> set[str]:
    return set(fired(result, "certain"))


def review(result: Audit) -> set[str]:
    return set(fired(result, "review"))


# =============================================================================
# 1. Effective date
# =============================================================================

DATED = [
    ("ko", "\n## 부칙\n\n이 개인정보 처리방침은 2025. 3. 1.부터 적용됩니다.\n"),
    (
        "ko",
        "\n## 제10조(개인정보 처리방침의 변경)\n\n- 공고일자: 2025년 2월 20일\n- 시행일자: 2025년 3월 1일\n",
    ),
    ("ko", "\n<부칙>\n\n제1조(시행일) 이 방침은 2025년 3월 1일부터 시행합니다.\n"),
    ("ko", "\n최종 수정일: 2025-03-01\n"),
    ("en", "\n## 3. Changes\n\nThis policy is effective as of March 1, 2025.\n"),
    ("en", "\nLast updated: 1 March 2025\n"),
    ("en", "\nLast revised: March 2025\n"),
    ("ko", "\n(2025.03.01 시행)\n"),
]


@pytest.mark.parametrize(
    ("lang", "tail"),
    DATED,
    ids=["ko-1", "ko-2", "ko-3", "ko-4", "en-1", "en-2", "en-3", "ko-5"],
)
def test_effective_date_in_the_ways_policies_give_it(lang: str, tail: str) -> None:
    result = audit(lang, tail)
    assert EFFECTIVE not in fired(result)
    assert len(facts(result, "effective_date")) == 1


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_effective_date_alone_under_the_title(lang: str) -> None:
    title, rest = HEAD[lang].split("\n", 1)
    date = "2025년 3월 1일 토요일" if lang == "ko" else "Saturday, March 1, 2025"
    result = audit(lang, head=f"{title}\n\n{date}\n{rest}")
    assert EFFECTIVE not in fired(result)


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        (
            "ko",
            "\n## 제3조(보유 기간)\n\n2019년 8월 18일 이전에 가입한 회원의 정보는 탈퇴일로부터 1년간 보관합니다.\n",
        ),
        (
            "en",
            "\n## 3. Retention\n\nOrders placed before March 1, 2019 are kept for 5 years.\n",
        ),
    ],
    ids=["ko", "en"],
)
def test_effective_date_a_date_of_something_else_is_none(lang: str, tail: str) -> None:
    result = audit(lang, tail)
    assert EFFECTIVE in certain(result)


# =============================================================================
# 2. Changes
# =============================================================================

CHANGED = [
    (
        "ko",
        "\n## 제10조(개인정보 처리방침의 변경)\n\n처리방침을 변경하는 경우 시행 7일 전부터 홈페이지 공지사항을 통하여 알립니다.\n",
    ),
    (
        "ko",
        "\n## 제10조(개인정보 처리방침의 변경)\n\n이전의 개인정보 처리방침은 아래에서 확인하실 수 있습니다.\n",
    ),
    (
        "ko",
        "\n## 고지의 의무\n\n현 개인정보 처리방침의 내용이 추가, 삭제 또는 수정되는 경우 개정 최소 7일 전에 알려 드립니다.\n",
    ),
    (
        "en",
        "\n## 3. Changes to this policy\n\nIf we change this policy, we will notify you by email before the change takes effect.\n",
    ),
    (
        "en",
        "\n## 3. Updates\n\nPrevious versions of this policy are kept in our archive.\n",
    ),
]


@pytest.mark.parametrize(
    ("lang", "tail"), CHANGED, ids=["ko-1", "ko-2", "ko-3", "en-1", "en-2"]
)
def test_changes_notice_or_history_meets_the_item(lang: str, tail: str) -> None:
    result = audit(lang, tail)
    assert CHANGES not in fired(result)


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        (
            "ko",
            "\n## 제4조(개인정보 처리업무의 위탁)\n\n수탁자가 변경되는 경우 본 개인정보 처리방침을 통하여 공개하겠습니다.\n",
        ),
        (
            "en",
            "\n## 3. Service providers\n\nIf our service providers change, we will update the list in this policy.\n",
        ),
    ],
    ids=["ko", "en"],
)
def test_changes_of_outsourcees_are_not_changes_of_the_policy(
    lang: str, tail: str
) -> None:
    result = audit(lang, tail)
    assert CHANGES in certain(result)


# =============================================================================
# 3. The department receiving access requests
# =============================================================================

KO_ACCESS_SECTION = """
## 제8조(개인정보 열람청구를 접수·처리하는 부서)

정보주체는 개인정보 보호법 제35조에 따른 열람 청구를 아래의 부서에 할 수 있습니다.

- 부서명: 고객권익팀
- 연락처: 02-555-0177, rights@greenwood.example
"""

KO_ACCESS_BLANK = """
## 제8조(개인정보 열람청구를 접수·처리하는 부서)

정보주체는 개인정보 보호법 제35조에 따른 열람 청구를 아래의 부서에 할 수 있습니다. ▶ 개인정보 열람청구 접수·처리 부서 부서명 : 담당자 : 연락처 : , ,
"""

KO_RIGHTS_TEMPLATE = """
## 제6조(정보주체의 권리·의무 및 행사방법)

정보주체는 회사에 대해 언제든지 개인정보 열람·정정·삭제·처리정지 요구 등의 권리를 행사할 수 있습니다. 권리 행사는 서면, 전자우편 등을 통하여 하실 수 있으며 회사는 이에 대해 지체 없이 조치하겠습니다.
"""


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        ("ko", KO_ACCESS_SECTION),
        (
            "ko",
            KO_RIGHTS_TEMPLATE
            + "\n열람이나 삭제를 원하시면 고객센터(1588-0000)로 연락하여 요청하실 수 있습니다.\n",
        ),
        (
            "en",
            "\n## 3. Your rights\n\nTo request access to your data, write to our privacy team at privacy@greenwood.example.\n",
        ),
        ("ko", "\n개인정보 열람청구 접수·처리 부서: 고객권익팀 (02-555-0177)\n"),
    ],
    ids=["ko-section", "ko-rights", "en", "ko-line"],
)
def test_access_a_unit_or_contact_for_requests_meets_the_item(
    lang: str, tail: str
) -> None:
    result = audit(lang, tail)
    assert ACCESS not in fired(result)
    assert facts(result, "access_department")


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        ("ko", KO_RIGHTS_TEMPLATE),
        ("ko", KO_RIGHTS_TEMPLATE + KO_ACCESS_BLANK),
        (
            "en",
            "\n## 3. Your rights\n\nYou may access, correct or delete your data at any time.\n",
        ),
    ],
    ids=["ko-template", "ko-blank", "en"],
)
def test_access_no_unit_nor_contact_is_found_missing(lang: str, tail: str) -> None:
    result = audit(lang, tail)
    assert ACCESS in fired(result)


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        (
            "ko",
            KO_RIGHTS_TEMPLATE
            + "\n## 제9조(문의)\n\n개인정보 관련 문의는 privacy@greenwood.example로 해 주십시오.\n",
        ),
        (
            "en",
            "\n## 3. Your rights\n\nYou may access or delete your data.\n\n## 4. Contact\n\nQuestions about this policy: privacy@greenwood.example\n",
        ),
    ],
    ids=["ko", "en"],
)
def test_access_a_contact_for_questions_only_is_for_a_person(
    lang: str, tail: str
) -> None:
    result = audit(lang, tail)
    assert ACCESS in review(result)
    assert ACCESS not in certain(result)


# =============================================================================
# 4. Remedies
# =============================================================================

KO_REMEDIES = """
## 제11조(권익침해 구제방법)

정보주체는 개인정보침해로 인한 구제를 받기 위하여 아래 기관에 분쟁해결이나 상담 등을 신청할 수 있습니다.

1. 개인정보분쟁조정위원회: (국번없이) 1833-6972
2. 개인정보침해신고센터: (국번없이) 118
"""

EN_REMEDIES = """
## 3. Complaints

If you believe your privacy has been infringed, you may contact the Personal Information Dispute Mediation Committee or KISA's privacy infringement report center (call 118).
"""


@pytest.mark.parametrize(
    ("lang", "tail"), [("ko", KO_REMEDIES), ("en", EN_REMEDIES)], ids=["ko", "en"]
)
def test_remedies_korean_bodies_meet_the_item(lang: str, tail: str) -> None:
    result = audit(lang, tail)
    assert REMEDIES not in fired(result)
    assert {f.value for f in facts(result, "remedy")} >= {"dispute_committee", "kisa"}


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        (
            "ko",
            "\n## 제3조(보유 기간)\n\n분쟁조정을 위한 기록 보존: 3년\n\n## 제4조(제3자 제공)\n\n회사는 수사기관(경찰청, 검찰청)이 영장을 제시하면 개인정보를 제공합니다.\n",
        ),
        (
            "en",
            "\n## 3. Disclosure\n\nWe disclose data to the National Police Agency when a court orders it.\n",
        ),
    ],
    ids=["ko", "en"],
)
def test_remedies_records_kept_or_police_receiving_data_are_no_remedy(
    lang: str, tail: str
) -> None:
    result = audit(lang, tail)
    assert REMEDIES in certain(result)


def test_remedies_an_authority_only_for_the_eea_is_no_remedy() -> None:
    tail = (
        "\n## 3. Additional information for users in the European Economic Area\n\n"
        "If you live in the EEA, you may lodge a complaint with your local supervisory authority.\n"
    )
    result = audit("en", tail)
    assert REMEDIES in certain(result)
    assert facts(result, "remedy") == []


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        (
            "ko",
            "\n## 제11조(불만 제기)\n\n이용자는 관할 감독기관에 불만을 제기할 수 있습니다.\n",
        ),
        (
            "en",
            "\n## 3. Complaints\n\nYou may lodge a complaint with a data protection authority.\n",
        ),
    ],
    ids=["ko", "en"],
)
def test_remedies_an_authority_in_general_is_no_korean_remedy(
    lang: str, tail: str
) -> None:
    result = audit(lang, tail)
    assert REMEDIES in certain(result)
    assert [f.value for f in facts(result, "remedy")] == ["generic"]


# =============================================================================
# 5. Children under 14
# =============================================================================


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        (
            "ko",
            "\n## 제7조(아동의 개인정보)\n\n회사는 어린이 대상 학습 서비스를 제공하며, 만 14세 미만 아동의 개인정보를 수집합니다.\n",
        ),
        (
            "en",
            "\n## 3. Children\n\nOur app is designed for children and we collect personal data from children to track reading progress.\n",
        ),
    ],
    ids=["ko", "en"],
)
def test_children_collected_without_the_representatives_consent_is_certain(
    lang: str, tail: str
) -> None:
    result = audit(lang, tail)
    assert CHILDREN in certain(result)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_children_silence_is_a_review_item(lang: str) -> None:
    result = audit(lang)
    assert CHILDREN in review(result)
    assert CHILDREN not in certain(result)


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        (
            "ko",
            "\n## 제7조(아동의 개인정보)\n\n만 14세 미만 아동의 개인정보를 처리하는 경우 법정대리인의 동의를 받고 그 동의 여부를 확인합니다.\n",
        ),
        (
            "ko",
            "\n## 제7조(아동의 개인정보)\n\n회사는 만 14세 미만 아동의 회원가입을 받지 않으며, 그 개인정보를 수집하지 않습니다.\n",
        ),
        (
            "en",
            "\n## 3. Children\n\nOur service is not directed to children under 14 and we do not knowingly collect their data.\n",
        ),
        (
            "en",
            "\n## 3. Children\n\nChildren under 14 may use the service only with parental consent, which we verify by text message.\n",
        ),
        (
            "ko",
            "\n## 제7조(아동의 개인정보)\n\n회사는 만 14세 미만 아동의 개인정보를 처리하지 않습니다.\n",
        ),
    ],
    ids=["ko-consent", "ko-barred", "en-barred", "en-consent", "ko-not-processed"],
)
def test_children_addressed_gives_nothing(lang: str, tail: str) -> None:
    result = audit(lang, tail)
    assert CHILDREN not in fired(result)


@pytest.mark.parametrize(
    ("lang", "head"),
    [
        (
            "ko",
            "# 채용 지원자 개인정보 처리방침\n\n회사는 입사 지원자의 이름, 이메일 주소, 경력 사항을 채용 심사를 위하여 처리합니다.\n",
        ),
        (
            "en",
            "# Candidate Privacy Notice\n\nThis notice explains how we use the name and email address of each job applicant during recruitment.\n",
        ),
    ],
    ids=["ko", "en"],
)
def test_children_a_policy_for_adults_or_businesses_only_gives_nothing(
    lang: str, head: str
) -> None:
    result = audit(lang, head=head)
    assert CHILDREN not in fired(result)


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        (
            "ko",
            "\n## 제6조(정보주체의 권리)\n\n만 14세 미만 아동의 법정대리인은 아동의 개인정보 열람, 정정, 삭제를 요구할 수 있습니다.\n",
        ),
        (
            "en",
            "\n## 3. Your rights\n\nA parent or guardian of a child under 14 may ask to see or delete the child's data.\n",
        ),
    ],
    ids=["ko", "en"],
)
def test_children_the_representatives_role_addresses_them(lang: str, tail: str) -> None:
    result = audit(lang, tail)
    assert CHILDREN not in fired(result)


def test_children_a_statement_only_for_us_users_neither_fires_nor_satisfies() -> None:
    tail = (
        "\n## 3. Notice to California residents\n\n"
        "We do not knowingly collect personal information from children under 13.\n"
    )
    result = audit("en", tail)
    assert facts(result, "children") == []
    assert CHILDREN in review(result)


# =============================================================================
# 6. Automated decisions
# =============================================================================


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        (
            "ko",
            "\n## 제9조(자동화된 결정)\n\n회사는 대출 신청의 승인 여부를 완전히 자동화된 시스템으로 결정합니다.\n",
        ),
        (
            "en",
            "\n## 3. Automated decisions\n\nAccounts showing signs of fraud are suspended by a fully automated system without human review.\n",
        ),
    ],
    ids=["ko", "en"],
)
def test_automated_a_significant_decision_without_rights_is_certain(
    lang: str, tail: str
) -> None:
    result = audit(lang, tail)
    assert AUTOMATED in certain(result)


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        (
            "ko",
            "\n## 제9조(자동화된 결정)\n\n회사는 대출 신청의 승인 여부를 완전히 자동화된 시스템으로 결정합니다. 정보주체는 이 결정을 거부하거나 설명을 요구할 수 있으며, 결정의 기준과 절차는 홈페이지에 공개합니다.\n",
        ),
        (
            "en",
            "\n## 3. Automated decisions\n\nWe use automated decision-making to approve loans. You may ask for human review and an explanation of the decision.\n",
        ),
        (
            "ko",
            "\n## 제9조(맞춤형 서비스)\n\n회사는 구매 기록을 분석하여 맞춤형 상품을 추천하고 광고를 제공합니다.\n",
        ),
        (
            "en",
            "\n## 3. Personalisation\n\nWe use automated processing of your browsing history to recommend products and personalise ads; this profiling does not result in decisions that produce legal effects.\n",
        ),
    ],
    ids=["ko-rights", "en-rights", "ko-ads", "en-ads"],
)
def test_automated_rights_given_or_only_recommendations_give_nothing(
    lang: str, tail: str
) -> None:
    result = audit(lang, tail)
    assert AUTOMATED not in fired(result)


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        (
            "ko",
            "\n## 제9조(자동화된 결정)\n\n회사는 주문을 검토할 때 자동화된 결정을 활용할 수 있습니다.\n",
        ),
        (
            "en",
            "\n## 3. Automated decisions\n\nWe may use automated decision-making when we review orders.\n",
        ),
    ],
    ids=["ko", "en"],
)
def test_automated_whether_it_is_significant_is_for_a_person(
    lang: str, tail: str
) -> None:
    result = audit(lang, tail)
    assert AUTOMATED in review(result)


# =============================================================================
# 7. Portability
# =============================================================================


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_portability_a_policy_silent_about_it_gives_nothing(lang: str) -> None:
    result = audit(lang)
    assert PORTABILITY not in fired(result)


@pytest.mark.parametrize(
    ("lang", "tail", "kind"),
    [
        (
            "ko",
            "\n## 제6조(정보주체의 권리)\n\n회사는 본인전송요구권 대상 정보전송자로 지정되어 있습니다. 정보주체는 열람, 정정, 삭제를 요구할 수 있습니다.\n",
            "certain",
        ),
        (
            "ko",
            "\n## 제6조(정보주체의 권리)\n\n본 병원은 진료 예약을 위하여 개인정보를 처리합니다. 정보주체는 열람, 정정, 삭제를 요구할 수 있습니다.\n",
            "review",
        ),
        (
            "en",
            "\n## 3. Your rights\n\nWe process your data as a health care provider. You may access, correct or delete your data.\n",
            "review",
        ),
    ],
    ids=["ko-covered", "ko-sector", "en-sector"],
)
def test_portability_covered_is_certain_a_sector_is_for_a_person(
    lang: str, tail: str, kind: str
) -> None:
    result = audit(lang, tail)
    assert PORTABILITY in (certain(result) if kind == "certain" else review(result))


def test_portability_the_right_given_gives_nothing() -> None:
    tail = (
        "\n## 3. Your rights\n\nWe process your data as a health care provider. "
        "You may access or delete your data, or ask us to transmit your data to you in a machine-readable format.\n"
    )
    assert PORTABILITY not in fired(audit("en", tail))


# =============================================================================
# The vocabulary is data, with its sources
# =============================================================================


def test_notice_vocabulary_is_sourced_and_loads() -> None:
    path = resources.files("privwatch.extract").joinpath("data/notice.yaml")
    text = path.read_text("utf-8")
    assert "Sources:" in text
    data = yaml.safe_load(text)
    assert set(data) == {
        "topics",
        "cues",
        "remedies",
        "children",
        "automated",
        "portability",
    }
    bodies = set(data["remedies"])
    assert {"dispute_committee", "kisa", "prosecution", "police", "generic"} <= bodies


@pytest.mark.parametrize(
    ("lang", "tail"),
    [
        ("ko", "\n## 부칙\n\n시행일: [날짜]\n"),
        (
            "en",
            "\n## Contact\n\nWrite to {{ site.privacy_email }} with any question.\n",
        ),
    ],
    ids=["ko-placeholder", "en-markup"],
)
def test_a_template_or_a_copy_with_markup_is_for_a_person(lang: str, tail: str) -> None:
    result = audit(lang, tail)
    assert facts(result, "template_markup")
    assert {EFFECTIVE, REMEDIES} <= review(result)
    assert not {EFFECTIVE, REMEDIES} & certain(result)
