"""What the field a value sits in says about it: the kind's own field (``hp``,
``card_no``, 주민번호), a field of order numbers, SKUs, timestamps or cache
busters (``orderNo``, ``sku``, ``ord``), or nothing.

A bare digit run is a phone, a card or a resident number only as often as it
is an order number or a product id; the name of its field (a query key, a JSON
key, a header, or the ``label: `` a traffic scan puts before a field's text)
tells which. The vocabularies and the identifier shapes are data:
``privwatch/data/number_fields.yaml``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from typing import NotRequired, TypedDict

from privwatch.yamlfile import packaged


class _Vocabulary(TypedDict):
    why: NotRequired[str]
    labels: NotRequired[list[str]]
    words: NotRequired[list[str]]
    names: NotRequired[list[str]]
    hangul: NotRequired[list[str]]


class _Rules(TypedDict):
    kinds: dict[str, _Vocabulary]
    not_personal: list[_Vocabulary]
    separated_identifiers: _Vocabulary
    field_separators: str
    generic_keys: list[str]
    id_shapes: list[str]


class Field(StrEnum):
    """What a value's field says of it."""

    KIND = "kind"  # a field of the detector's own kind: report the bare form
    NOT_PERSONAL = "not_personal"  # order number, SKU, timestamp: drop it
    NONE = "none"  # no telling name


#: the name of the field a value is the value of, read backwards from it:
#: ``orderNo=``, ``"orderNo":"``, ``orderNo: `` (a scan's label), ``ord=-`` (a
#: signed number), ``"hp":["`` (a list's first item), ``\"hp\":\"`` (JSON in a
#: string); ``<b>hp</b> `` is not a key (no ``=`` or ``:``)
_KEY = re.compile(
    r"""(?P<key>[^\s"'&?=:;,{}()<>\\]{1,80})\\?["']?[ \t]*[:=][ \t]*\[?[ \t]*"""
    r"""\\?["']?[ \t]*-?\Z"""
)
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[^\x00-\x7f]+")
_PARTS = re.compile(r"[.\[\]/]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: characters of an identifier token around a found value
_TOKEN_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-#"
)


@cache
def _rules() -> _Rules:
    return packaged("privwatch", "data/number_fields.yaml", _Rules)


@cache
def _vocabulary(entity: str) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    rules = _rules()
    if entity == "not_personal":
        groups = list(rules["not_personal"])
    elif entity == "separated_identifiers":
        groups = [rules["separated_identifiers"]]
    else:
        kind = rules["kinds"].get(entity)
        groups = [kind] if kind is not None else []
    words = frozenset(w.lower() for g in groups for w in g.get("words", []))
    names = frozenset(n.lower() for g in groups for n in g.get("names", []))
    hangul = tuple(h for g in groups for h in g.get("hangul", []))
    return words, names, hangul


@cache
def _shapes() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{s})" for s in _rules()["id_shapes"]))


def labels(entity: str) -> tuple[str, ...]:
    """The context words of ``entity`` (labels before a value)."""
    kind = _rules()["kinds"].get(entity)
    return tuple(kind.get("labels", [])) if kind is not None else ()


def key_before(text: str, start: int) -> str | None:
    """The name of the field whose value starts at ``start``, if one is
    written right before it (``orderNo=``, ``"hp": "``, ``tel: ``)."""
    match = _KEY.search(text, max(0, start - 96), start)
    return match["key"] if match else None


def label_start(text: str, start: int, window: int) -> int:
    """Where the label of the value at ``start`` begins, at most ``window``
    characters back: its own key and what is written before it, back to the
    end of the field before (``pccc=P1&coupon=`` gives ``coupon=``, not the
    neighbour's ``pccc``); a generic key (``"value":``) reaches one field
    further, to the name it is the value of."""
    floor = max(0, start - window)
    match = _KEY.search(text, max(0, start - 96), start)
    own = match.start("key") if match else start
    seps = _rules()["field_separators"]
    cut = _last_of(text, seps, floor, own)
    if match and match["key"].lower() in _generic() and cut > floor:
        cut = _last_of(text, seps, floor, cut - 1)
    return cut


def _last_of(text: str, chars: str, floor: int, end: int) -> int:
    """The index after the last of ``chars`` in ``text[floor:end]``, else
    ``floor``."""
    return max(floor, *(text.rfind(ch, floor, end) + 1 for ch in chars))


@cache
def _generic() -> frozenset[str]:
    return frozenset(k.lower() for k in _rules()["generic_keys"])


def names_identifier(text: str, start: int, end: int, entity: str) -> bool:
    """True when the value at ``start:end``, written with separators, is an
    order or product identifier by its field (``"sku": "010-1234-5678"``,
    the field not naming ``entity``) or by the token it is a part of
    (``ORD-010-1234-5678``)."""
    key = key_before(text, start)
    if key is not None:
        parts = key_parts(key)
        if (
            parts
            and not any(_says(part, entity) for part in parts[-2:])
            and _says(parts[-1], "separated_identifiers")
        ):
            return True
    return in_identifier(text, start, end)


@cache
def _says(part: str, entity: str) -> bool:
    return name_says(part, *_vocabulary(entity))


def name_says(
    part: str, words: frozenset[str], names: frozenset[str], hangul: tuple[str, ...]
) -> bool:
    """True when the name ``part`` holds one of ``words`` as a word, is one of
    ``names`` (folded) or holds one of eight letters or more, or holds one of
    ``hangul`` (lower-case vocabularies)."""
    folded = part.lower().replace("_", "").replace("-", "")
    if folded in names or folded in words:
        return True
    if any(len(name) >= 8 and name in folded for name in names):
        return True
    if _HANGUL.search(part) and any(h in part for h in hangul):
        return True
    return any(w.lower() in words for w in _WORDS.findall(part))


@cache
def key_parts(key: str) -> list[str]:
    """The parts of a key path that are names (``items[0].sku``: items, sku)."""
    return [p for p in _PARTS.split(key) if p and not p.isdigit()]


@cache
def key_field(key: str, entity: str) -> Field:
    """What the field named ``key`` (a name or a key path) says of a value
    ``entity`` found in it."""
    parts = key_parts(key)
    if not parts:
        return Field.NONE
    if any(_says(part, entity) for part in parts[-2:]):
        return Field.KIND
    if _says(parts[-1], "not_personal"):
        return Field.NOT_PERSONAL
    return Field.NONE


def in_identifier(text: str, start: int, end: int) -> bool:
    """True when the value at ``start:end`` is a part of a longer token shaped
    like an order or product number (``ORD-01012345678``, ``20261206-...``)."""
    left, right = start, end
    while left > 0 and start - left < 24 and text[left - 1] in _TOKEN_CHARS:
        left -= 1
    while right < len(text) and right - end < 24 and text[right] in _TOKEN_CHARS:
        right += 1
    if (left, right) == (start, end):
        return False
    return _shapes().fullmatch(text, left, right) is not None


def field_of(text: str, start: int, end: int, entity: str) -> Field:
    """What the value at ``start:end`` is, by its field's name, else by the
    token it is a part of."""
    key = key_before(text, start)
    if key is not None:
        said = key_field(key, entity)
        if said is not Field.NONE:
            return said
    return Field.NOT_PERSONAL if in_identifier(text, start, end) else Field.NONE
