"""Check-digit rules of the numbers the detectors find. Pure functions on digits.

Each ``*_ok`` takes the digits alone (no hyphens or spaces) and returns False
for a wrong length or a non-digit rather than raising.
"""

from __future__ import annotations

_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def _digits(value: str, length: int) -> list[int] | None:
    if len(value) != length or not value.isascii() or not value.isdigit():
        return None
    return [ord(ch) - 48 for ch in value]


def _rrn_sum(digits: list[int]) -> int:
    return sum(d * w for d, w in zip(digits, _RRN_WEIGHTS, strict=False))


def rrn_check_digit(first12: str) -> int:
    """The 13th digit of a 주민등록번호: (11 - weighted sum mod 11) mod 10."""
    digits = _digits(first12, 12)
    if digits is None:
        raise ValueError("expected 12 digits")
    return (11 - _rrn_sum(digits) % 11) % 10


def frn_check_digit(first12: str) -> int:
    """The 13th digit of a 외국인등록번호: (13 - weighted sum mod 11) mod 10."""
    digits = _digits(first12, 12)
    if digits is None:
        raise ValueError("expected 12 digits")
    return (13 - _rrn_sum(digits) % 11) % 10


def brn_check_digit(first9: str) -> int:
    """The 10th digit of a 사업자등록번호 (weights 1,3,7,1,3,7,1,3,5)."""
    digits = _digits(first9, 9)
    if digits is None:
        raise ValueError("expected 9 digits")
    total = sum(d * w for d, w in zip(digits, _BRN_WEIGHTS, strict=True))
    total += digits[8] * 5 // 10  # the tens of the last product count too
    return (10 - total % 10) % 10


def rrn_check_digit_ok(digits: str) -> bool:
    """True when the 13 digits of a resident registration number check out."""
    return _digits(digits, 13) is not None and rrn_check_digit(digits[:12]) == int(
        digits[12]
    )


def frn_check_digit_ok(digits: str) -> bool:
    """True when the 13 digits of a foreigner registration number check out."""
    return _digits(digits, 13) is not None and frn_check_digit(digits[:12]) == int(
        digits[12]
    )


def brn_check_digit_ok(digits: str) -> bool:
    """True when the 10 digits of a business registration number check out."""
    return _digits(digits, 10) is not None and brn_check_digit(digits[:9]) == int(
        digits[9]
    )


def luhn_ok(digits: str) -> bool:
    """True when ``digits`` (at least 2) pass the Luhn (mod 10) check."""
    if len(digits) < 2 or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0
