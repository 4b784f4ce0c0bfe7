"""Numbering that opens a heading or a clause, Korean and English.

Shared by the plain-text reader (a marker at a line start opens a new block)
and the segmenter (which decides what the marker means).
"""

from __future__ import annotations

import re

CIRCLED = "\u2460-\u2473\u3251-\u325f"  # ① to ⑳, ㉑ to ㉟
ROMAN = "\u2160-\u216b"  # Ⅰ to Ⅻ
HANGUL_ORDINALS = "가나다라마바사아자차카타파하"

#: 제1장 총칙 / 제2절 / 제3편 — chapters and parts of a statute-style text
CHAPTER = re.compile(r"(?P<num>제\s?\d+\s?(?:편|장|절|관))(?![가-힣])[^\n]{0,40}")
#: 제1조(목적), 제28조의8(개인정보의 국외 이전), 제3조 【정의】
ARTICLE = re.compile(
    r"(?P<num>제\s?\d+\s?조(?:\s?의\s?\d+)?)(?:\s*(?:\([^)\n]{1,60}\)|【[^】\n]{1,60}】))?"
)
#: Ⅰ. 총칙 / II. Information we collect
ROMAN_HEADING = re.compile(rf"(?P<num>(?:[{ROMAN}]+|[IVX]{{1,5}})\.)\s")
#: a number heading or item: "1." "12." (not "1.5")
NUMBER_DOT = re.compile(r"(?P<num>\d{1,2}\.)(?!\d)")

#: each numbering pattern names its number ``num`` (for Section.numbering)
NUMBERINGS = (ARTICLE, CHAPTER, ROMAN_HEADING, NUMBER_DOT)

#: numbering that opens a clause, in the order checked
CLAUSE_MARKER = re.compile(
    rf"""(
        [{CIRCLED}]                                   # ①
      | \(\s?\d{{1,2}}\s?\) | \d{{1,2}}\)             # (1) 1)
      | \([{HANGUL_ORDINALS}]\) | [{HANGUL_ORDINALS}][.)](?=\s)   # (가) 가. 가)
      | \d{{1,2}}\.(?!\d)                             # 1.
      | \([a-z]\) | [a-z]\)(?=\s)                     # (a) a)
      | [-•·◦▪▸►※*○●□■◆◇](?=\s)                       # bullets
    )""",
    re.X,
)


def line_opens_block(line: str) -> bool:
    """Whether a line of plain text starts a new structural unit."""
    return opens_block_at(line, 0, len(line))


def opens_block_at(text: str, start: int, end: int) -> bool:
    """``line_opens_block(text[start:end])`` without copying the slice (no
    pattern here looks behind its start)."""
    while start < end and text[start].isspace():  # as str.lstrip
        start += 1
    return any(
        pattern.match(text, start, end)
        for pattern in (CLAUSE_MARKER, ARTICLE, CHAPTER, ROMAN_HEADING)
    )


_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def ordinal(number: int, kind: str = "1", delimiter: str = ".") -> str:
    """An ordered list's marker as a browser shows it: ``3.``, ``c.``, ``iii.``."""
    if kind in ("a", "A") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return (letter.upper() if kind == "A" else letter) + delimiter
    if kind in ("i", "I") and 1 <= number < 4000:
        roman = ""
        for value, numeral in _ROMAN:
            while number >= value:
                roman += numeral
                number -= value
        return (roman.upper() if kind == "I" else roman) + delimiter
    return f"{number}{delimiter}"


def with_marker(marker: str | None, text: str) -> str:
    """Prefix a list item's marker unless the text already starts with numbering
    (crawled Markdown sometimes wraps it in emphasis marks: ``_1._``)."""
    if marker is None or CLAUSE_MARKER.match(text.lstrip().lstrip("_*")):
        return text
    return f"{marker} {text.lstrip()}"
