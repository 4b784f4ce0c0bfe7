"""Small judgements on one value: is it a GTIN, what currency a shown price is
in, what language a title is written in."""

from __future__ import annotations

import re
from typing import Any

#: a price's symbol or word -> ISO 4217; the ambiguous "$" and "¥" are left to
#: the platform's default currency (``resolve_currency``)
_SYMBOLS: tuple[tuple[str, str], ...] = (
    ("US $", "USD"),
    ("US$", "USD"),
    ("USD", "USD"),
    ("KRW", "KRW"),
    ("₩", "KRW"),
    ("원", "KRW"),
    ("CN￥", "CNY"),
    ("CN¥", "CNY"),
    ("CNY", "CNY"),
    ("RMB", "CNY"),
    ("元", "CNY"),
    ("EUR", "EUR"),
    ("€", "EUR"),
    ("GBP", "GBP"),
    ("£", "GBP"),
    ("JPY", "JPY"),
    ("円", "JPY"),
    ("MXN", "MXN"),
    ("CA$", "CAD"),
    ("A$", "AUD"),
)
_ISO = re.compile(r"^[A-Z]{3}$")
_DIGITS = re.compile(r"^\d+$")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_LETTER = re.compile(r"[^\W\d_]")
_NOT_LATIN = frozenset({"ko", "zh", "ja", "ru", "ar", "he", "th", "el", "uk"})
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def gtin_valid(value: str) -> bool:
    """``value`` (spaces and dashes allowed between digits) is a GTIN-8, -12,
    -13 or -14 whose check digit is right."""
    digits = re.sub(r"[\s-]", "", value)
    if not _DIGITS.match(digits) or len(digits) not in (8, 12, 13, 14):
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def currency_of(price: str) -> str:
    """The ISO 4217 code a shown price names by symbol or code, "" if none or
    ambiguous."""
    for symbol, code in _SYMBOLS:
        if symbol in price:
            return code
    return ""


def resolve_currency(declared: str, shown: str, default: str = "") -> str:
    """The currency: the one the data declares, else the shown price's, else
    the platform's default when the price has only "$" or "¥" or no sign."""
    declared = declared.strip().upper()
    if _ISO.match(declared):
        return declared
    return currency_of(shown) or (default if shown else "")


NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")


def shown_price(amount: Any, currency: str, template: str = "") -> str:
    """A price from data (a number, or a text of digits only) written as a
    page would show it: ``template`` with ``{amount}`` and ``{currency}``
    (else "amount currency"), whole part thousands-separated, the decimals as
    given. A text with anything else in it is already as shown and kept."""
    if amount is None or isinstance(amount, bool) or amount == "":
        return ""
    text = str(amount).strip()
    number = NUMBER.fullmatch(text)
    if number is None:
        return text  # "US $3.50", "12,900원": as the page showed it
    whole = f"{int(number.group(1).replace(',', '')):,}"
    text = whole + (number.group(2) or "")
    if template:
        return template.format(amount=text, currency=currency)
    return f"{text} {currency}".strip()


def title_language(title: str, declared: str = "") -> str:
    """The language of a product title from its script: ``ko`` for Hangul,
    ``ja`` for kana, ``zh`` for Han without either; a Latin-script title takes
    the page's declared language when that is written in Latin script, else
    "" (a short title does not settle it)."""
    letters = len(_LETTER.findall(title))
    if not letters:
        return ""
    if len(_HANGUL.findall(title)) / letters >= 0.25:
        return "ko"
    if _KANA.search(title):
        return "ja"
    if len(_HAN.findall(title)) / letters >= 0.25:
        return "zh"
    base = declared.strip().lower().replace("_", "-").split("-")[0]
    latin = len(_LATIN.findall(title)) / letters >= 0.6
    if latin and base.isalpha() and base not in _NOT_LATIN:
        return base
    return ""


def clean(value: Any) -> str:
    """Text with its runs of white space made one space; "" for None, lists
    and mappings (a field holds one value)."""
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return " ".join(str(value).split())
