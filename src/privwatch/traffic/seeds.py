"""Find the persona's own values in traffic, in every encoding trackers use.

Each value gives variants: as written, normalised (lower-cased and trimmed;
digits only and +82 forms for phones), URL-encoded, base64 (standard and
URL-safe), hex, and the MD5, SHA-1 and SHA-256 of each normalised form (how
Meta and Google hash emails and phones). All variants go into one Aho-Corasick
automaton, so a text is scanned once, not once per pattern.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

import ahocorasick

from privwatch.traffic.persona import Persona

MIN_LENGTH = 4  # shorter variants match by chance (Korean names: 2 characters and more)
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class SeedMatch:
    key: str  # persona key: email, phone, name, device_id...
    encoding: str  # plain, lowercase, digits, e164, url, base64, base64url, hex, md5, sha1, sha256
    start: int
    end: int
    value: str  # the persona value it stands for (masked before output)


def normal_forms(key: str, value: str) -> dict[str, str]:
    """The forms a value is sent in before any encoding."""
    value = value.strip()
    forms = {"plain": value, "lowercase": value.lower()}
    digits = re.sub(r"\D", "", value)
    if key == "phone" and digits:
        national = "0" + digits[2:] if digits.startswith("82") else digits
        international = "82" + national.lstrip("0")
        forms |= {
            "digits": national,
            "e164": "+" + international,
            "e164-digits": international,
        }
    elif key in ("rrn", "card", "birth_date", "driver_license") and digits:
        forms["digits"] = digits
    elif key == "device_id":
        forms["digits"] = value.lower().replace("-", "")
    return forms


def variants(key: str, value: str) -> dict[str, str]:
    """Every encoded form of ``value``: {text: encoding}."""
    out: dict[str, str] = {}
    forms = normal_forms(key, value)
    for form, text in forms.items():
        out.setdefault(text, form)
        data = text.encode("utf-8")
        encoded = {
            "url": quote(text, safe=""),
            "url+": quote_plus(text),
            "base64": base64.b64encode(data).decode(),
            "base64url": base64.urlsafe_b64encode(data).decode().rstrip("="),
            "hex": data.hex(),
        }
        if form != "plain":  # hashes of the normalised forms, as trackers send them
            encoded |= {
                "md5": hashlib.md5(data).hexdigest(),  # noqa: S324 - matching, not security
                "sha1": hashlib.sha1(data).hexdigest(),  # noqa: S324
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        for encoding, variant in encoded.items():
            out.setdefault(variant, "url" if encoding == "url+" else encoding)
    return {text: encoding for text, encoding in out.items() if _long_enough(text)}


def _long_enough(text: str) -> bool:
    return len(text) >= (MIN_LENGTH if text.isascii() else 2)


class SeedMatcher:
    """One pass per text over every variant of every persona value."""

    def __init__(self, persona: Persona) -> None:
        self._folded = ahocorasick.Automaton()  # matched on lower-cased text
        self._exact = ahocorasick.Automaton()  # base64 is case-sensitive
        count = 0
        for key, value in persona.values():
            for text, encoding in variants(key, value).items():
                target = self._exact if encoding.startswith("base64") else self._folded
                needle = text if target is self._exact else text.lower()
                target.add_word(needle, (len(needle), key, encoding, value))
                count += 1
        for automaton in (self._folded, self._exact):
            if len(automaton):
                automaton.make_automaton()
        self.size = count

    def find(self, text: str) -> Iterator[SeedMatch]:
        lowered = text.lower() if len(text.lower()) == len(text) else None
        for automaton, haystack in ((self._folded, lowered), (self._exact, text)):
            if haystack is None or not len(automaton):
                continue
            for last, (length, key, encoding, value) in automaton.iter(haystack):
                start, end = last - length + 1, last + 1
                if _bounded(text, start, end):
                    yield SeedMatch(key, encoding, start, end, value)


def _bounded(text: str, start: int, end: int) -> bool:
    """An ASCII letter or digit at a match's edge must not continue into the text."""
    if (
        _ASCII_ALNUM.match(text[start])
        and start > 0
        and _ASCII_ALNUM.match(text[start - 1])
    ):
        return False
    return not (
        _ASCII_ALNUM.match(text[end - 1])
        and end < len(text)
        and _ASCII_ALNUM.match(text[end])
    )
