"""개인통관고유부호: reported with a context word, below a scan's threshold without."""

from __future__ import annotations

import pytest

from privwatch.detectors import KrCustomsCodeDetector

SCAN_THRESHOLD = 0.35  # traffic.scan.MIN_SCORE


def scores(text: str) -> list[float]:
    return [d.score for d in KrCustomsCodeDetector().detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        "개인통관고유부호: P123456789012",
        "통관부호 p123456789012",
        '{"pccc":"P123456789012"}',
        "customs_code=P123456789012",
        "personalCustomsClearanceCode: P123456789012",
        '[{"name":"pccc","value":"P123456789012"}]',  # jQuery serializeArray()
        "agree=1&pccc=P123456789012",
    ],
)
def test_with_context_it_is_reported(text: str) -> None:
    assert scores(text) and scores(text)[0] >= SCAN_THRESHOLD


@pytest.mark.parametrize(
    "text",
    ["orderNo=P202612061234", "sku P998877665544", "주문번호 P123456789012"],
)
def test_without_context_it_stays_below_a_report(text: str) -> None:
    assert all(score < SCAN_THRESHOLD for score in scores(text))


@pytest.mark.parametrize(
    "text",
    ["P12345678901", "P1234567890123", "XP123456789012", "통관부호 Q123456789012"],
)
def test_other_shapes_are_not_codes(text: str) -> None:
    assert scores(text) == []


@pytest.mark.parametrize(
    "text",
    [
        '{"pccc": "P123456789012", "couponNo": "P998877665544"}',
        "pccc=P123456789012&coupon=P998877665544",
        '{"pccc": "P123456789012", "name": "coupon", "value": "P998877665544"}',
        "통관고유부호: P123456789012\n쿠폰: P998877665544",
    ],
)
def test_a_neighbours_field_name_is_no_context(text: str) -> None:
    """The word must be the value's own field name or label: a coupon code
    beside the customs code is not one."""
    found = {d.value: d.score for d in KrCustomsCodeDetector().detect(text)}
    assert found["P123456789012"] >= SCAN_THRESHOLD
    assert found["P998877665544"] < SCAN_THRESHOLD
