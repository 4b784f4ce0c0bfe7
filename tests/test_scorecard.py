"""privwatch report compare: a scorecard across the store's platforms, on SQLite
and PostgreSQL; met, unmet and not applicable from the rules' own conditions;
the JSON contract, CSV and an escaped, self-contained HTML page."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from privwatch.evaluate import evaluate_document, save_evaluation
from privwatch.evaluate.requirements import STATUSES, applicability, assess
from privwatch.evaluate.scorecard import build_scorecard
from privwatch.i18n import LANGUAGES, _catalog
from privwatch.models import Evidence, Fact
from privwatch.pipeline import audit_document, document_from_bytes
from privwatch.report.evaluation import evaluation_to_dict
from privwatch.report.scorecard import (
    render_scorecard_csv,
    render_scorecard_html,
    scorecard_to_dict,
)
from privwatch.rules import load_pack
from privwatch.rules.conditions import to_data
from privwatch.store import NewVersion, Store
from privwatch.store.records import AuditRecord
from tests.test_cli import assert_one_line_error, run

# Two policies written for these tests (the companies are invented). 가람서점 is a
# domestic bookshop with a complete policy that makes no overseas transfer;
# 오르빗몰 is a foreign marketplace whose policy sends data "abroad to partners"
# with nothing else said, and plants a script in the quoted clause.
GARAM = """# 가람서점 개인정보 처리방침

주요 개인정보 처리 표시(라벨링): 일반 개인정보 수집, 개인정보 처리 목적, 개인정보의 보유기간, 처리위탁, 고충처리부서

목차: 1. 처리 목적 2. 처리 항목 3. 보유 기간 4. 제3자 제공 5. 처리 위탁 6. 국외 이전 7. 파기 8. 정보주체의 권리 9. 안전성 확보 조치 10. 쿠키 11. 동의 없이 처리하는 개인정보 12. 보호책임자 13. 권익침해 구제방법 14. 처리방침의 변경

## 제1조(개인정보의 처리 목적)

회사는 회원 가입과 본인 확인, 도서 주문의 결제와 배송, 고객 문의 응대를 위하여 개인정보를 처리합니다.

## 제2조(처리하는 개인정보의 항목)

| 구분 | 필수항목 | 선택항목 |
|---|---|---|
| 회원 가입 | 이름, 이메일 주소, 휴대전화번호 | 생년월일 |
| 주문 | 배송지 주소, 수령인 이름 | 배송 요청사항 |

## 제3조(개인정보의 처리 및 보유 기간)

회원 정보는 회원 탈퇴일로부터 30일간 보관한 뒤 파기합니다.

계약에 관한 기록은 「전자상거래 등에서의 소비자보호에 관한 법률」 제6조에 따라 거래일로부터 5년간 보관합니다.

## 제4조(개인정보의 제3자 제공)

| 제공받는 자 | 제공 목적 | 제공 항목 | 보유 기간 |
|---|---|---|---|
| (주)바른택배 | 도서 배송 | 수령인 이름, 배송지 주소, 휴대전화번호 | 배송 완료일로부터 3개월 |

## 제5조(개인정보 처리업무의 위탁)

| 수탁자 | 위탁업무 |
|---|---|
| (주)한결페이 | 결제 처리 |

## 제6조(개인정보의 국외 이전)

회사는 이용자의 개인정보를 국외로 이전하지 않습니다.

## 제7조(개인정보의 파기)

회사는 보유 기간이 지난 개인정보를 지체 없이 파기합니다. 전자 파일은 복구할 수 없는 방법으로 지우고, 종이 문서는 분쇄합니다.

## 제8조(정보주체의 권리와 행사 방법)

정보주체는 회사에 개인정보의 열람, 정정, 삭제, 처리정지를 요구하고 동의를 철회할 수 있습니다. 요구는 서면, 이메일, 홈페이지로 할 수 있으며 회사는 지체 없이 조치합니다.

## 제9조(개인정보의 안전성 확보 조치)

회사는 개인정보를 암호화하여 저장하고 접근 권한을 관리하며 접속 기록을 보관합니다.

## 제10조(쿠키의 설치·운영 및 거부)

회사는 로그인 상태를 유지하기 위하여 쿠키를 사용합니다. 이용자는 웹 브라우저의 설정에서 쿠키 저장을 거부할 수 있습니다.

## 제11조(동의 없이 처리하는 개인정보)

회사는 도서 주문 계약의 이행을 위한 배송지 주소를 법 제15조제1항제4호에 따라 동의 없이 처리합니다.

## 제12조(개인정보 보호책임자)

개인정보 보호책임자: 정하람 (개인정보보호팀장), 전화 02-555-0100, 이메일 privacy@garam-books.example

## 제13조(권익침해 구제방법)

정보주체는 개인정보분쟁조정위원회(1833-6972)나 한국인터넷진흥원 개인정보침해신고센터(국번없이 118)에 상담을 신청할 수 있습니다.

## 제14조(개인정보 처리방침의 변경)

이 개인정보 처리방침은 2026년 1월 1일부터 적용됩니다. 처리방침을 변경하는 경우 시행 7일 전부터 홈페이지 공지사항으로 알립니다.
"""

SCRIPT = "<script>alert('x')</script>"
ORBIT = f"""오르빗몰 개인정보 처리방침

제1조(개인정보의 처리 목적)
회사는 회원 관리와 상품 판매, 배송을 위하여 개인정보를 처리합니다.

제2조(처리하는 개인정보의 항목)
회사는 필수항목으로 이름, 이메일 주소, 휴대전화번호, 배송지 주소를 수집합니다.

제3조(개인정보의 처리 및 보유 기간)
회원 정보는 회원 탈퇴일로부터 1년간 보관합니다.

제4조(개인정보의 국외 이전)
회사는 서비스 제공을 위하여 이용자의 개인정보를 해외 {SCRIPT} 제휴사에 이전할 수 있습니다.

제5조(개인정보의 파기)
보유 기간이 끝난 개인정보는 지체 없이 파기합니다.

제6조(정보주체의 권리)
정보주체는 개인정보의 열람, 정정, 삭제, 처리정지를 요구하고 동의를 철회할 수 있습니다.

제7조(개인정보의 안전성 확보 조치)
회사는 개인정보를 암호화하여 저장합니다.

제8조(개인정보 보호책임자)
개인정보 보호책임자: Lee Min, privacy@orbit-mall.example
"""
ORBIT_V1 = "오르빗몰 개인정보 처리방침\n\n제1조(개인정보의 처리 목적)\n회사는 회원 관리를 위하여 개인정보를 처리합니다.\n"

TRANSFER_RULES = (
    "kr-pipa.28-8.country_not_specified",
    "kr-pipa.28-8.recipient_not_named",
    "kr-pipa.28-8.disclosure_incomplete",
    "kr-pipa.28-8.no_legal_basis",
)
TRAFFIC_RULES = (
    "kr-pipa.28-8.flow_to_undisclosed_country",
    "kr-pipa.28-8.flow_disclosure_incomplete",
    "kr-pipa.17.flow_denied_by_policy",
    "kr-pipa.17.flow_omitted",
)


def store_policy(
    store: Store,
    platform: str,
    text: str,
    name: str,
    *,
    audited_as_foreign: bool,
    when: datetime,
) -> None:
    """Audit ``text`` as the watch cycle does and store it as the platform's
    next privacy version."""
    document = document_from_bytes(text.encode("utf-8"), name)
    audit = audit_document(document, [load_pack("kr-pipa")], foreign=audited_as_foreign)
    watched = store.add_document(platform, "privacy", f"https://{name}.example/p")
    store.record_version(
        watched.id,
        NewVersion(
            fetched_at=when,
            url=watched.url,
            http_status=200,
            headers={},
            raw_sha256=hashlib.sha256(text.encode()).hexdigest(),
            text_sha256=document.sha256,
            text=document.text,
            document_json=document.to_dict(),
            audit=AuditRecord.of(audit),
        ),
    )


def fill(store: Store) -> None:
    """가람서점 (domestic, one version), Orbit Mall (foreign, two versions, the
    latest audited as if domestic) and 빈가게 (no version)."""
    store.add_platform("가람서점", country="KR", category="bookshop")
    store.add_platform("Orbit Mall", country="SG", foreign=True, category="market")
    store.add_platform("빈가게", country="KR")
    store_policy(
        store,
        "가람서점",
        GARAM,
        "garam.md",
        audited_as_foreign=False,
        when=datetime(2026, 3, 1),
    )
    store_policy(
        store,
        "Orbit Mall",
        ORBIT_V1,
        "orbit.txt",
        audited_as_foreign=True,
        when=datetime(2026, 1, 5),
    )
    store_policy(
        store,
        "Orbit Mall",
        ORBIT,
        "orbit.txt",
        audited_as_foreign=False,
        when=datetime(2026, 2, 10),
    )


def statuses(card_dict: dict, platform: str) -> dict[str, dict]:
    found = next(p for p in card_dict["platforms"] if p["name"] == platform)
    return {r["rule"]: r for r in found["results"]}


def test_met_unmet_and_not_applicable(db_url: str) -> None:
    with Store(db_url) as store:
        fill(store)
        card = build_scorecard(store)
    assert [p.name for p in card.domestic] == ["가람서점", "빈가게"]
    assert [p.name for p in card.foreign] == ["Orbit Mall"]
    data = scorecard_to_dict(card)
    assert data["schema"] == "privwatch.scorecard/1"

    garam = statuses(data, "가람서점")
    # a complete domestic policy: nothing unmet
    assert [r for r, v in garam.items() if v["status"] == "unmet"] == []
    # no transfer abroad is described: the 28-8 text rules cannot apply
    for rule in TRANSFER_RULES:
        assert garam[rule]["status"] == "not_applicable"
        assert garam[rule]["reason"]["code"] == "no_subject"
        assert garam[rule]["reason"]["params"] == {"fact": "transfer"}
        assert "overseas transfer" in garam[rule]["reason"]["en"]
        assert "국외 이전" in garam[rule]["reason"]["ko"]
    # a domestic business needs no domestic agent
    agent = garam["kr-pipa.31-2.domestic_agent_missing"]
    assert agent["status"] == "not_applicable"
    assert agent["reason"]["code"] == "context"
    assert "domestic" in agent["reason"]["en"]
    # no traffic was audited with the version
    for rule in TRAFFIC_RULES:
        assert garam[rule]["status"] == "not_applicable"
        assert garam[rule]["reason"]["code"] == "not_examined"
    for rule in (
        "kr-pipa.30.destruction_missing",
        "kr-pipa.31.officer_contact_missing",
        "kr-pipa.17.recipients_by_category",  # its recipient is named in a table
        "kr-pipa.22.no_consent_basis_missing",
        "kr-pipa.30.vague_wording",  # a defect of its own: absent, so met
    ):
        assert garam[rule]["status"] == "met", rule

    orbit = statuses(data, "Orbit Mall")
    for rule in TRANSFER_RULES:
        assert orbit[rule]["status"] == "unmet", rule
        (finding,) = orbit[rule]["findings"]
        (quoted,) = finding["evidence"]
        assert SCRIPT in quoted["text"] and "해외" in quoted["text"]
        assert quoted["end"] - quoted["start"] == len(quoted["text"])
    # the stored audit took Orbit Mall for domestic; the platform's record
    # says foreign, and the card measures it as what it is; whether Orbit Mall
    # meets Art. 31-2's thresholds is not known, so the missing agent is a
    # review item, not an unmet requirement
    agent = orbit["kr-pipa.31-2.domestic_agent_missing"]
    assert agent["status"] == "review"
    (finding,) = agent["findings"]
    assert "31-2" in finding["reason"]["en"] and "31조의2" in finding["reason"]["ko"]
    platform = next(p for p in data["platforms"] if p["name"] == "Orbit Mall")
    assert [n["code"] for n in platform["notes"]] == ["context_changed"]
    assert platform["document"]["version"] == 2
    assert platform["document"]["fetched_at"].startswith("2026-02-10")
    # no recipient of provision is described (only an overseas one)
    assert orbit["kr-pipa.17.recipients_by_category"]["status"] == "not_applicable"
    assert orbit["kr-pipa.17.recipients_by_category"]["reason"]["params"] == {
        "fact": "recipient.provision"
    }

    empty = statuses(data, "빈가게")
    assert {v["status"] for v in empty.values()} == {"unknown"}
    assert {v["reason"]["code"] for v in empty.values()} == {"no_version"}
    nothing = next(p for p in data["platforms"] if p["name"] == "빈가게")
    assert nothing["document"] is None and nothing["met_share"] is None

    counts = next(p for p in data["platforms"] if p["name"] == "가람서점")["counts"]
    assert counts["unmet"] == 0 and counts["met"] >= 20
    assert sum(counts.values()) == len(load_pack("kr-pipa").rules)


def test_every_guideline_item_on_the_card(db_url: str) -> None:
    """PIPC's guideline items per platform, from the same rule results."""
    with Store(db_url) as store:
        fill(store)
        card = build_scorecard(store)
    data = json.loads(json.dumps(scorecard_to_dict(card)))
    groups = data["guideline"]["groups"]
    assert [g["group"] for g in groups] == [
        "required",
        "when_applicable",
        "recommended",
    ]
    listed = [i["item"] for g in groups for i in g["items"]]
    assert card.guideline is not None
    assert listed == [i.id for i in card.guideline.items]

    def items(platform: str) -> dict[str, dict]:
        found = next(p for p in data["platforms"] if p["name"] == platform)
        assert len(found["guideline"]["items"]) == len(listed)
        return {i["item"]: i for i in found["guideline"]["items"]}

    garam = items("가람서점")
    assert [i for i, v in garam.items() if v["status"] == "unmet"] == []
    assert garam["overseas_transfer"]["status"] == "not_applicable"
    assert "국외 이전" in garam["overseas_transfer"]["reason"]["ko"]
    assert garam["domestic_agent"]["status"] == "not_applicable"
    assert garam["purposes"]["status"] == garam["officer"]["status"] == "met"
    assert garam["labels"]["status"] == "needs_person"
    orbit = items("Orbit Mall")
    assert orbit["overseas_transfer"]["status"] == "unmet"
    assert {"rule": "kr-pipa.28-8.no_legal_basis", "status": "unmet"} in orbit[
        "overseas_transfer"
    ]["rules"]
    # the domestic agent rule found only a review item: a person must judge
    assert orbit["domestic_agent"]["status"] == "needs_person"
    assert (
        "kr-pipa.31-2.domestic_agent_missing"
        in (orbit["domestic_agent"]["reason"]["en"])
    )
    empty = items("빈가게")
    ruled = [i for i in card.guideline.items if i.rules]
    assert {empty[i.id]["status"] for i in ruled} == {"unknown"}

    # terms are scored on kr-terms: no guideline items
    with Store(db_url) as store:
        terms = scorecard_to_dict(build_scorecard(store, kind="terms"))
    assert terms["guideline"] is None


def test_exports_csv_json_and_escaped_html(db_url: str) -> None:
    with Store(db_url) as store:
        fill(store)
        store.add_platform("=SUM(1)", country="KR", category="@market")
        card = build_scorecard(store)
    rules = len(card.requirements)

    data = json.loads(json.dumps(scorecard_to_dict(card)))  # plain JSON
    articles = [a["article"] for a in data["articles"]]
    assert articles[:3] == ["15", "17", "18"] and "28-8" in articles
    assert sum(len(a["requirements"]) for a in data["articles"]) == rules
    transfer = next(a for a in data["articles"] if a["article"] == "28-8")
    assert transfer["title"] == {"en": "Art. 28-8", "ko": "제28조의8"}
    assert all(
        "{" not in r["title"]["en"] for a in data["articles"] for r in a["requirements"]
    )
    for platform in data["platforms"]:
        assert len(platform["results"]) == rules
        assert {r["status"] for r in platform["results"]} <= set(STATUSES)

    rows = list(csv.DictReader(io.StringIO(render_scorecard_csv(card))))
    assert card.guideline is not None
    items = len(card.guideline.items)
    assert len(rows) == 4 * (rules + items)
    # one row per platform and guideline item after its rules
    by_item = {(r["platform"], r["rule"]): r for r in rows if r["law"] == "PIPC"}
    assert len(by_item) == 4 * items
    transfer_item = by_item[("Orbit Mall", "pipc-2025.overseas_transfer")]
    assert transfer_item["status"] == "unmet" and transfer_item["findings"] != "0"
    assert transfer_item["article"] == "when_applicable"
    assert by_item[("가람서점", "pipc-2025.overseas_transfer")]["status"] == (
        "not_applicable"
    )
    assert by_item[("가람서점", "pipc-2025.labels")]["status"] == "needs_person"
    # a spreadsheet would run these as formulas
    assert {(r["platform"], r["category"]) for r in rows if "SUM" in r["platform"]} == {
        ("'=SUM(1)", "'@market")
    }
    row = next(
        r
        for r in rows
        if r["platform"] == "Orbit Mall"
        and r["rule"] == "kr-pipa.28-8.country_not_specified"
    )
    assert row["status"] == "unmet" and row["foreign"] == "yes"
    assert SCRIPT in row["quote"] and row["version"] == "2"
    assert int(row["quote_end"]) > int(row["quote_start"]) >= 0
    agent = next(
        r
        for r in rows
        if r["platform"] == "가람서점"
        and r["rule"] == "kr-pipa.31-2.domestic_agent_missing"
    )
    assert agent["status"] == "not_applicable" and "domestic" in agent["reason"]

    for lang in LANGUAGES:
        html = render_scorecard_html(card, lang=lang)
        assert "<script>" not in html and "alert('x')" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
        assert "Content-Security-Policy" in html
        assert not re.search(
            r"<(?:link|img|iframe|object)\b|\bsrc=|@import|url\(", html
        )
        outline = _Outline()
        outline.feed(html)
        assert outline.open == [], "every element is closed"
        # every ✗ links to an anchor on the page
        assert outline.links and outline.links <= outline.ids
        domestic = html.index("국내" if lang == "ko" else "Domestic")
        foreign = html.index("국외 (" if lang == "ko" else "Foreign (")
        assert domestic < foreign
    korean = render_scorecard_html(card, lang="ko")
    assert "제28조의8" in korean and "해당 없음" in korean and "미충족" in korean
    assert (
        "개인정보 처리방침 작성지침 기재사항" in korean and "해당 시 기재사항" in korean
    )
    assert "PIPC guideline items" in render_scorecard_html(card, lang="en")
    assert "국외 사업자에게만 적용되는 요건" in korean


class _Outline(HTMLParser):
    """Element nesting, ids and in-page links of a page."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.ids: set[str] = set()
        self.links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        href = values.get("href") or ""
        if href.startswith("#"):
            self.links.add(href[1:])
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.open and self.open[-1] == tag, (self.open[-3:], tag)
        self.open.pop()


def test_latest_evaluation_shows_on_the_card(db_url: str) -> None:
    garam = document_from_bytes(GARAM.encode(), "garam.md")
    result = evaluate_document(garam, source="garam.md")
    with Store(db_url) as store:
        fill(store)
        older = evaluation_to_dict(result) | {"score": 1.0}
        save_evaluation(
            store, "가람서점", older, source="old", evaluated_at=datetime(2026, 1, 1)
        )
        save_evaluation(
            store, "가람서점", evaluation_to_dict(result), source="garam.md"
        )
        card = build_scorecard(store)
    (garam_card,) = [p for p in card.platforms if p.name == "가람서점"]
    assert garam_card.evaluation is not None
    assert garam_card.evaluation.source == "garam.md"
    assert garam_card.evaluation.score == result.score
    assert garam_card.evaluation.areas["appropriateness"] == 100.0
    assert set(garam_card.evaluation.areas) == {
        "appropriateness",
        "readability",
        "accessibility",
    }
    assert all(p.evaluation is None for p in card.platforms if p.name != "가람서점")
    html = render_scorecard_html(card, lang="en")
    assert f"evaluation {result.score:.1f}" in html


US_ONLY = """# Orbit Mall U.S. Privacy Policy

This policy applies only to residents of the United States.

## Information we collect

We collect your name and email address to deliver your orders.
"""


def test_a_text_for_users_elsewhere_is_said_so_on_the_card(db_url: str) -> None:
    """The scorecard says which platforms' texts address users outside Korea,
    in JSON, CSV and both languages of the page."""
    with Store(db_url) as store:
        store.add_platform("Orbit Mall", country="SG", foreign=True)
        store.add_platform("가람서점", country="KR")
        when = datetime(2026, 3, 1)
        store_policy(
            store, "Orbit Mall", US_ONLY, "us.md", audited_as_foreign=True, when=when
        )
        store_policy(
            store, "가람서점", GARAM, "garam.md", audited_as_foreign=False, when=when
        )
        card = build_scorecard(store)
    data = {p["name"]: p["document"] for p in scorecard_to_dict(card)["platforms"]}
    assert (data["Orbit Mall"]["audience"], data["Orbit Mall"]["audience_where"]) == (
        "other",
        "US",
    )
    assert data["가람서점"]["audience"] == "korea"
    rows = list(csv.DictReader(io.StringIO(render_scorecard_csv(card))))
    assert {r["platform"]: r["audience"] for r in rows} == {
        "Orbit Mall": "other:US",
        "가람서점": "korea",
    }
    assert "addresses users in US, not Korea" in render_scorecard_html(card, lang="en")
    assert "한국이 아닌 US 이용자" in render_scorecard_html(card, lang="ko")
    # only the platform whose text addresses users elsewhere carries the note
    assert render_scorecard_html(card, lang="en").count("not Korea") == 1


def test_applicability_is_read_from_the_conditions() -> None:
    pipa = load_pack("kr-pipa")
    rules = {r.id: r for r in pipa.rules}
    said = Evidence(0, 5, "some words")
    flows = [
        Fact(
            "flow",
            "email → Meta",
            (
                ("class", "clear"),
                ("cross_border", True),
                ("country_disclosed", True),
                ("disclosure_complete", True),
                ("party", "third"),
            ),
            (said,),
        ),
    ]
    # traffic examined: flows of another class mean the denied-flow rule is met
    results = assess(pipa, flows, {"foreign": False}, frozenset({"traffic"}))
    assert results["kr-pipa.17.flow_denied_by_policy"].status == "met"
    assert results["kr-pipa.28-8.flow_to_undisclosed_country"].status == "met"
    omitted = [Fact("flow", "phone → X", (("class", "omitted"), ("party", "third")))]
    results = assess(pipa, omitted, {"foreign": False}, frozenset({"traffic"}))
    assert results["kr-pipa.17.flow_omitted"].status == "unmet"
    # ... and without traffic it cannot be said
    reason = applicability(rules["kr-pipa.17.flow_omitted"], omitted, {})
    assert reason is not None and reason.code == "not_examined"
    # a foreign business's rule is not applicable to a domestic one, and applies
    # to a foreign one
    agent = rules["kr-pipa.31-2.domestic_agent_missing"]
    assert applicability(agent, [], {"foreign": False}) is not None
    assert applicability(agent, [], {"foreign": True}) is None
    # recipients of outsourcing only: the provision rule has nothing to judge,
    # the outsourcing one has
    outsourcee = [
        Fact(
            "recipient",
            "클라우드사",
            (("named", False), ("role", "outsourcing"), ("tabled", False)),
        )
    ]
    assert applicability(rules["kr-pipa.17.recipients_by_category"], outsourcee, {})
    assert (
        applicability(rules["kr-pipa.26.outsourcees_by_category"], outsourcee, {})
        is None
    )
    # kr-terms: no unfair term found is compliance, not "not applicable"
    terms = load_pack("kr-terms")
    assert {r.status for r in assess(terms, [], {"foreign": False}).values()} == {"met"}


def test_every_fact_kind_in_a_condition_has_a_name() -> None:
    """Reasons name the kind of statement a policy lacks in both languages."""
    kinds: set[str] = set()

    def walk(condition: dict) -> None:
        ((operator, argument),) = condition.items()
        if operator in ("exists", "missing"):
            kinds.add(argument["fact"])
        elif operator == "not":
            walk(argument)
        elif operator in ("all", "any"):
            for part in argument:
                walk(part)

    for name in ("kr-pipa", "kr-terms"):
        for rule in load_pack(name).rules:
            walk(to_data(rule.when))
    catalog = _catalog()
    assert kinds and {f"scorecard.fact.{k}" for k in kinds} <= set(catalog)


def test_cli_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    code, _, err = run(["report", "compare", "--db", db], capsys)
    assert_one_line_error(code, err, "no platform to compare")
    code, _, err = run(["--lang", "ko", "report", "compare", "--db", db], capsys)
    assert_one_line_error(code, err, "비교할 플랫폼이 없습니다")

    with Store(db) as store:
        fill(store)
    code, out, err = run(["report", "compare", "--db", db], capsys)
    assert code == 0 and err == ""
    assert "Orbit Mall" in out and "가람서점" in out
    assert out.count("✗") > 1  # unmet cells besides the legend
    assert "Art. 28-8" in out

    target = tmp_path / "card.csv"
    code, out, _ = run(
        ["report", "compare", "--db", db, "-f", "csv", "-o", str(target)], capsys
    )
    assert code == 0 and out == ""
    assert target.read_text("utf-8").startswith("platform,country,foreign")

    code, out, _ = run(["report", "compare", "--db", db, "-f", "json"], capsys)
    assert json.loads(out)["kind"] == "privacy"
    code, out, _ = run(
        ["--lang", "ko", "report", "compare", "--db", db, "-f", "html"], capsys
    )
    assert out.startswith("<!DOCTYPE html>") and '<html lang="ko">' in out
    code, out, _ = run(["report", "compare", "--db", db, "--kind", "terms"], capsys)
    assert code == 0 and "Orbit Mall" in out  # no terms stored: all unknown
    assert out.count("✗") == 1  # the legend only
