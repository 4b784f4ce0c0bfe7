"""Check-digit rules: worked examples, wrong input, and agreement with the
independent helpers in ``numbers``."""

from __future__ import annotations

import pytest

from privwatch.detectors.checksums import (
    brn_check_digit,
    brn_check_digit_ok,
    frn_check_digit,
    frn_check_digit_ok,
    luhn_ok,
    rrn_check_digit,
    rrn_check_digit_ok,
)
from tests.unit.detectors import numbers


def digits(value: str) -> str:
    return value.replace("-", "").replace(" ", "")


def test_rrn_check_digit_worked_example() -> None:
    # 9 0 0 1 0 1 1 2 3 4 5 6 x 2 3 4 5 6 7 8 9 2 3 4 5 = 124; 124 mod 11 = 3
    assert rrn_check_digit("900101123456") == (11 - 3) % 10 == 8
    assert rrn_check_digit_ok("9001011234568")
    assert not rrn_check_digit_ok("9001011234567")


def test_frn_check_digit_worked_example() -> None:
    # 9 0 0 1 0 1 5 2 3 4 5 6 x weights = 156; 156 mod 11 = 2; (13 - 2) mod 10 = 1
    assert frn_check_digit("900101523456") == 1
    assert frn_check_digit_ok("9001015234561")
    assert not rrn_check_digit_ok("9001015234561")


def test_brn_check_digit_worked_example() -> None:
    # 1 2 3 4 5 6 7 8 9 x 1 3 7 1 3 7 1 3 5 = 165, plus 9 * 5 // 10 = 4: 169
    assert brn_check_digit("123456789") == (10 - 9) % 10 == 1
    assert brn_check_digit_ok("1234567891")
    assert not brn_check_digit_ok("1234567890")


@pytest.mark.parametrize(
    "value, ok",
    [
        pytest.param("79927398713", True, id="textbook example"),
        pytest.param("79927398710", False, id="textbook example, wrong digit"),
        pytest.param("4111111111111111", True, id="visa test number"),
        pytest.param("0000000000000000", True, id="all zeros pass luhn"),
        pytest.param("0", False, id="one digit is too short"),
        pytest.param("", False, id="empty"),
        pytest.param("4111-1111", False, id="separators are not digits"),
        pytest.param("４１１１", False, id="full-width digits"),
    ],
)
def test_luhn(value: str, ok: bool) -> None:
    assert luhn_ok(value) is ok


@pytest.mark.parametrize(
    "check",
    [rrn_check_digit_ok, frn_check_digit_ok, brn_check_digit_ok],
    ids=["rrn", "frn", "brn"],
)
@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("123", id="too short"),
        pytest.param("12345678901234", id="too long"),
        pytest.param("900101-123456", id="hyphen counted as a digit"),
        pytest.param("90010a1234568", id="letter"),
        pytest.param("９００１０１１２３４５６８", id="full-width digits"),
    ],
)
def test_wrong_input_is_false_not_an_error(check: object, value: str) -> None:
    assert callable(check)
    assert check(value) is False


@pytest.mark.parametrize(
    "compute, value",
    [
        pytest.param(rrn_check_digit, "12345", id="rrn"),
        pytest.param(frn_check_digit, "abcdefghijkl", id="frn"),
        pytest.param(brn_check_digit, "12345678", id="brn"),
    ],
)
def test_check_digit_of_wrong_input_raises(compute: object, value: str) -> None:
    assert callable(compute)
    with pytest.raises(ValueError):
        compute(value)


BIRTHS = ["000229", "450615", "900101", "991231"]
RESTS = ["12345", "23456", "98765", "00001", "55555"]


@pytest.mark.parametrize("birth", BIRTHS)
@pytest.mark.parametrize("rest", RESTS)
def test_agrees_with_independent_helpers(birth: str, rest: str) -> None:
    for sex in "1234":
        assert rrn_check_digit_ok(digits(numbers.rrn(birth, sex + rest)))
        assert not rrn_check_digit_ok(
            digits(numbers.rrn(birth, sex + rest, valid=False))
        )
    for sex in "5678":
        assert frn_check_digit_ok(digits(numbers.frn(birth, sex + rest)))
        assert not frn_check_digit_ok(
            digits(numbers.frn(birth, sex + rest, valid=False))
        )
    first9 = (birth + rest)[:9]
    assert brn_check_digit_ok(digits(numbers.brn(first9)))
    assert not brn_check_digit_ok(digits(numbers.brn(first9, valid=False)))
    card = numbers.luhn("5" + birth[:3], 16)
    assert luhn_ok(card)
    assert not luhn_ok(numbers.luhn("5" + birth[:3], 16, valid=False))
