"""What a platform or a watched document may hold: the one check of the fields
a user types, used by the dashboard's form, the CLI (targets files, imports,
batch manifests) and the store itself (so nothing else gets one in).

The bounds, and why:

=============  ==============================================================
name           1-200 characters (the column's size), no control characters
category       at most 100 characters (the column's size), none either
country        an ISO 3166-1 alpha-2 code assigned today (``data/countries.yaml``)
url            ``http://`` or ``https://`` with a host, at most 2,000 characters,
               no spaces or control characters (the store takes the
               ``file:`` URIs and paths of imports too: ``source``)
selector       at most 500 characters, a CSS selector the HTML reader parses
language       a language tag such as ``ko``, ``en`` or ``zh-Hant`` (at most 10)
kind           ``privacy``, ``terms`` or ``trackers``
=============  ==============================================================

Control characters are C0 and C1 (ANSI escape sequences start with ESC or
CSI), DEL, the line and paragraph separators and the bidirectional
embeddings, overrides and isolates (which reorder what a terminal or a page
shows). Text stored before these checks is printed through ``shown``.

A refused value raises ``FieldError``: a message key and the field, told in
the reader's language, never echoing the value (a web page or a terminal
would show it back).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, TypedDict
from urllib.parse import urlsplit

from privwatch.errors import PrivwatchError
from privwatch.yamlfile import packaged

NAME_MAX = 200
CATEGORY_MAX = 100
URL_MAX = 2000
SELECTOR_MAX = 500
LANGUAGE_MAX = 10
KINDS = ("privacy", "terms", "trackers")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e") | frozenset(
    "\u2066\u2067\u2068\u2069"
)
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


class FieldError(PrivwatchError):
    """A value a field may not hold: ``valid.<problem>`` with the field's name
    (``valid.label.<field>``) and its bound."""

    def __init__(self, problem: str, field: str, **params: Any) -> None:
        super().__init__(f"valid.{problem}", field=field, **params)
        self.field = field

    def render(self, lang: str = "en") -> str:
        from privwatch.i18n import message

        label = message(f"valid.label.{self.field}", lang)
        return message(self.key, lang, **{**self.params, "field": label})


class Countries(TypedDict):
    source: str
    codes: str


@functools.cache
def countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes assigned today."""
    data = packaged("privwatch", "data/countries.yaml", Countries)
    return frozenset(data["codes"].split())


def controlled(text: str) -> bool:
    """Whether ``text`` holds a control character (see the module's docstring)."""
    return any(_control(ch) for ch in text)


def _control(ch: str) -> bool:
    return ch in _BIDI or unicodedata.category(ch) in ("Cc", "Zl", "Zp")


def shown(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\x1b``,
    ``\\u202e``): what a terminal prints of a stored name, one line, inert."""
    if not controlled(text):
        return text
    return "".join(
        (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        if _control(ch)
        else ch
        for ch in text
    )


def _text(value: str, field: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise FieldError("too_long", field, limit=limit)
    if controlled(value):
        raise FieldError("control", field)
    return value


def name(value: str, field: str = "name") -> str:
    """A platform's name, stripped; refused empty, too long or with control
    characters."""
    value = _text(value, field, NAME_MAX)
    if not value:
        raise FieldError("empty", field)
    return value


def category(value: str | None) -> str | None:
    """A platform's category (free text), stripped; None when blank."""
    return _text(value, "category", CATEGORY_MAX) or None if value else None


def country(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code (``kr`` is ``KR``); None when blank."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if code not in countries():
        raise FieldError("country", "country")
    return code


def url(value: str) -> str:
    """A document's address: http or https, a host, bounded, no spaces or
    control characters."""
    value = value.strip()
    if not value:
        raise FieldError("empty", "url")
    if len(value) > URL_MAX:
        raise FieldError("too_long", "url", limit=URL_MAX)
    if controlled(value) or any(ch.isspace() for ch in value):
        raise FieldError("url_spaces", "url")
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError:
        raise FieldError("url", "url") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FieldError("url_scheme", "url")
    if not host:
        raise FieldError("url_host", "url")
    return value


def source(value: str) -> str:
    """Where a stored document comes from: a watched address, or the
    ``file:`` URI or path of an import; bounded, no control characters."""
    if not value.strip():
        raise FieldError("empty", "url")
    if len(value) > URL_MAX:
        raise FieldError("too_long", "url", limit=URL_MAX)
    if controlled(value):
        raise FieldError("url_spaces", "url")
    return value


def selector(value: str | None) -> str | None:
    """A CSS selector the HTML reader (selectolax's Lexbor) parses; None when
    blank."""
    if value is None or not value.strip():
        return None
    value = _text(value, "selector", SELECTOR_MAX)
    from selectolax.lexbor import LexborHTMLParser, SelectolaxError

    try:
        LexborHTMLParser("<html></html>").css_first(value)
    except (SelectolaxError, ValueError):
        raise FieldError("selector", "selector") from None
    return value


def language(value: str | None) -> str | None:
    """A language tag (``ko``, ``en``, ``zh-Hant``); None when blank."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > LANGUAGE_MAX or not _LANGUAGE.fullmatch(value):
        raise FieldError("language", "language")
    return value


def kind(value: str) -> str:
    """A document's kind: privacy, terms or trackers."""
    if value not in KINDS:
        raise FieldError("kind", "kind")
    return value
