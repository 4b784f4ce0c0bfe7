"""What a field's name says of a bare number in it (data/number_fields.yaml)."""

from __future__ import annotations

import pytest

from privwatch.detectors.context import (
    Field,
    field_of,
    key_before,
    key_field,
    label_start,
)


@pytest.mark.parametrize(
    "key, entity, said",
    [
        ("orderNo", "phone", Field.NOT_PERSONAL),
        ("order_id", "rrn", Field.NOT_PERSONAL),
        ("goodsNo", "phone", Field.NOT_PERSONAL),
        ("prdNo", "card", Field.NOT_PERSONAL),
        ("items[0].sku", "card", Field.NOT_PERSONAL),
        ("product_no", "phone", Field.NOT_PERSONAL),
        ("주문번호", "phone", Field.NOT_PERSONAL),
        ("ord", "phone", Field.NOT_PERSONAL),
        ("hp", "phone", Field.KIND),
        ("hp1+hp2+hp3", "phone", Field.KIND),
        ("휴대폰번호", "phone", Field.KIND),
        ("order_tel", "phone", Field.KIND),  # the orderer's phone: the kind wins
        ("card[number]", "card", Field.KIND),  # the part before the last counts
        ("jumin2", "rrn", Field.KIND),
        ("order.memo", "phone", Field.NONE),  # an order word counts only last
        ("note", "phone", Field.NONE),
        ("hp", "card", Field.NONE),
    ],
)
def test_key_field(key: str, entity: str, said: Field) -> None:
    assert key_field(key, entity) is said


@pytest.mark.parametrize(
    "text, key",
    [
        ("a=1&orderNo=", "orderNo"),
        ('{"hp": "', "hp"),
        ("tel: ", "tel"),
        ("ord=-", "ord"),  # a signed random number
        ('{"phones": ["', "phones"),  # a list's first item
        ('{\\"hp\\":\\"', "hp"),  # JSON inside a string
        ("call ", None),
        ("ref: ORD-", None),
    ],
)
def test_key_before(text: str, key: str | None) -> None:
    assert key_before(text + "01023456789", len(text)) == key


def test_identifier_shapes() -> None:
    for text in ("ORD-01023456789", "sku_01023456789", "20261206-01023456789"):
        start = text.index("010")
        assert field_of(text, start, len(text), "phone") is Field.NOT_PERSONAL
    text = "x-01023456789"  # a hyphen alone is no identifier
    assert field_of(text, 2, len(text), "phone") is Field.NONE


@pytest.mark.parametrize(
    "text, label",
    [
        ("pccc=P1&coupon=", "coupon="),
        ('{"pccc": "P1", "couponNo": "', ' "couponNo": "'),
        ('{"phone": {"number": "', '{"phone": {"number": "'),  # its object's key
        ('{"a":1},{"name":"pccc","value":"', '{"name":"pccc","value":"'),  # generic
        ("개인통관 고유부호: ", "개인통관 고유부호: "),  # a label of two words
        ('{"hp":["', '{"hp":["'),  # a list's first item
        ("a=1&" + "x" * 50 + "=", "x" * 39 + "="),  # never past the window
    ],
)
def test_label_start(text: str, label: str) -> None:
    assert text[label_start(text, len(text), 40) :] == label
