"""Statements and the list items that complete them (privwatch.extract.lists)."""

from __future__ import annotations

import pytest

from privwatch import document_from_bytes
from privwatch.extract.context import Context
from privwatch.extract.lists import labelled, rank, units


def context(text: str, name: str = "ko.md") -> Context:
    return Context(document_from_bytes(text.encode("utf-8"), name))


def grouped(ctx: Context) -> list[list[str]]:
    """Each unit as the text of its clauses."""
    return [[ctx.quote(c) for c in unit.clauses] for unit in units(ctx)]


def test_a_statement_announcing_a_list_takes_its_items_up_to_the_next_paragraph() -> (
    None
):
    ctx = context(
        "# 처리방침\n\n## 제5조(개인정보의 국외 이전)\n\n"
        "회사는 아래와 같이 개인정보를 국외로 이전합니다.\n\n"
        "- 보관\n- 분석\n\n"
        "이용자는 이전을 거부할 수 있습니다.\n\n"
        "- 거부 방법: 이메일\n\n"
        "## 제6조(개인정보의 파기)\n\n- 지체 없이 파기합니다.\n"
    )
    assert grouped(ctx) == [
        ["회사는 아래와 같이 개인정보를 국외로 이전합니다.", "보관", "분석"],
        ["이용자는 이전을 거부할 수 있습니다."],  # announces nothing
        ["거부 방법: 이메일"],
        ["지체 없이 파기합니다."],  # another section
    ]


def test_labelled_fields_complete_a_statement_that_does_not_announce_them() -> None:
    ctx = context(
        "# 처리방침\n\n## 국외 이전\n\n회사는 개인정보를 국외로 이전합니다.\n\n"
        "- 이전받는 자: Acme Cloud Inc.\n- 이전되는 국가: 일본\n"
    )
    assert [len(unit.clauses) for unit in units(ctx)] == [3]


def test_a_circled_paragraph_takes_its_numbered_items_but_not_the_next_paragraph() -> (
    None
):
    ctx = context(
        "처리방침\n\n제5조(개인정보의 국외 이전)\n"
        "① 회사는 다음과 같이 이전합니다.\n1. 이전받는 자: Acme Cloud Inc.\n"
        "2. 이전되는 국가: 일본\n② 이용자는 거부할 수 있습니다.\n3. 이메일로 요청하시면 지체 없이 처리합니다.\n",
        "ko.txt",
    )
    units_in_article = [u for u in grouped(ctx) if u[0][0] in "①②3"]
    assert [[text[:2] for text in unit] for unit in units_in_article] == [
        ["① ", "1.", "2."],
        ["② "],  # ① ends at ②, its sibling; ② announces nothing
        ["3."],
    ]


def test_a_negated_statement_takes_no_list() -> None:
    ctx = context(
        "# 처리방침\n\n## 국외 이전\n\n"
        "회사는 개인정보를 국외로 이전하지 않으며, 다음과 같이 국내에만 보관합니다.\n\n"
        "- 보관 장소: 서울\n- 이전받는 자: 없음\n"
    )
    assert [len(unit.clauses) for unit in units(ctx)] == [1, 1, 1]


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        (None, None),
        ("①", 0),
        ("1.", 1),
        ("가.", 2),
        ("1)", 3),
        ("가)", 4),
        ("(1)", 5),
        ("(가)", 6),
        ("(a)", 7),
        ("-", 8),
        ("•", 8),
    ],
)
def test_markers_rank_in_korean_drafting_order(
    marker: str | None, expected: int | None
) -> None:
    assert rank(marker) == expected


def test_a_labelled_item_names_its_fields_and_quotes_its_value_exactly() -> None:
    ctx = context(
        "# 처리방침\n\n## 국외 이전\n\n다음과 같습니다.\n\n"
        "- 이용 목적 및 보유 기간: 데이터 보관, 1년\n"
        "- 이전 일시 및 방법: -\n"
        "- Acme Cloud Inc.: 보관\n"
        "- 회사는 보관합니다\n"
    )
    purpose, empty, company, prose = ctx.document.clauses[1:]
    label = labelled(ctx, purpose)
    assert label is not None
    assert set(label.fields) == {"purpose", "retention"}
    assert label.value.text == "데이터 보관, 1년"
    assert ctx.text[label.value.start : label.value.end] == label.value.text
    assert label.value.clause == purpose.id
    assert labelled(ctx, empty) is None  # "-" discloses nothing
    assert labelled(ctx, company) is None  # a company, not a field name
    assert labelled(ctx, prose) is None
