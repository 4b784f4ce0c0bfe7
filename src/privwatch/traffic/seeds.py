"""Find the persona's own values in traffic, in every encoding trackers use.

Each value gives variants: as written, normalised (lower-cased and trimmed;
digits only and +82 forms for phones; an address's road and building number,
romanised too, and its 시/도 short forms: ``traffic/korean.py``), URL-encoded,
base64 (standard and URL-safe), hex, and the MD5, SHA-1 and SHA-256 of each
normalised form. Trackers' own normalisations before hashing
(``data/tracker_hashing.yaml``: Gmail dots removed, a phone without its leading
0, first and last name apart) give forms that are only ever hashed, in the
encodings the data lists (hex, base64, web-safe base64 of the SHA-256). All
variants go into one Aho-Corasick automaton, so a text is scanned once, not
once per pattern; a hash matches only exactly.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal, NotRequired, TypedDict
from urllib.parse import quote, quote_plus

import ahocorasick

from privwatch.traffic.korean import address_forms, name_field, name_parts
from privwatch.traffic.persona import Persona
from privwatch.yamlfile import packaged

MIN_LENGTH = 4  # shorter variants match by chance (Korean names: 2 characters and more)
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
#: after a road and building number, what makes it another place: a lot's
#: sub-number (152-1) or a side road (53번길, 94길, 53beon-gil)
_OTHER_BUILDING = re.compile(r"\s*(?:-\s*\d|번길|번|길|beon|-?gil\b)", re.IGNORECASE)


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


class _Destination(TypedDict):
    hosts: list[str]
    email: list[str]
    phone: list[str]
    name: Literal["first_last", "none"]
    encodings: list[str]
    verified: bool
    sources: list[str]
    comment: NotRequired[str]


class _Hashing(TypedDict):
    destinations: dict[str, _Destination]


@cache
def _hashing() -> tuple[frozenset[str], frozenset[str], bool, tuple[str, ...]]:
    """Over every destination: email steps, phone forms, whether names are
    hashed apart, and the encodings of a SHA-256 digest."""
    data = packaged("privwatch", "data/tracker_hashing.yaml", _Hashing)
    found = data["destinations"].values()
    return (
        frozenset(step for d in found for step in d["email"]),
        frozenset(form for d in found for form in d["phone"]),
        any(d["name"] == "first_last" for d in found),
        tuple(sorted({e for d in found for e in d["encodings"]} - {"sha256_hex"})),
    )


def hashed_forms(key: str, value: str) -> list[tuple[str, str]]:
    """(form, text) a tracker hashes but that is never matched as written:
    too short or too common alone (a given name, ten digits)."""
    steps, phones, names_apart, _ = _hashing()
    value = value.strip()
    out: list[tuple[str, str]] = []
    if key == "email" and "@" in value:
        local, _, domain = value.lower().rpartition("@")
        if "plus_suffix" in steps:
            out.append(("plus-removed", f"{local.partition('+')[0]}@{domain}"))
        if "gmail_dots" in steps and domain in ("gmail.com", "googlemail.com"):
            out.append(("gmail-canonical", f"{local.replace('.', '')}@{domain}"))
            if "plus_suffix" in steps:
                bare = local.partition("+")[0].replace(".", "")
                out.append(("gmail-canonical", f"{bare}@{domain}"))
    elif key == "phone" and "national_no_zero" in phones:
        national = normal_forms(key, value).get("digits", "")
        if national.startswith("0"):
            out.append(("national-no0", national[1:]))
    elif key == "name" and names_apart:
        parts = name_parts(value)
        if parts is not None:
            out += [("last-name", parts[0].lower()), ("first-name", parts[1].lower())]
    return [(form, text) for form, text in out if text and text != value.lower()]


def _digest_variants(form: str, data: bytes) -> dict[str, str]:
    """{encoding: text} of the hashes of one normalised form."""
    digest = hashlib.sha256(data).digest()
    out = {
        "md5": hashlib.md5(data).hexdigest(),  # noqa: S324 - matching, not security
        "sha1": hashlib.sha1(data).hexdigest(),  # noqa: S324
        "sha256": digest.hex(),
    }
    for encoding in _hashing()[3]:
        if encoding == "sha256_base64":
            out["sha256-base64"] = base64.b64encode(digest).decode()
        elif encoding == "sha256_base64url":
            out["sha256-base64url"] = (
                base64.urlsafe_b64encode(digest).decode().rstrip("=")
            )
    return out


def variants(key: str, value: str) -> dict[str, str]:
    """Every encoded form of ``value``: {text: encoding}."""
    out: dict[str, str] = {}
    forms = list(normal_forms(key, value).items())
    if key == "address":
        forms += [(form, text) for text, form in address_forms(value).items()]
    for form, text in forms:
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
            encoded |= _digest_variants(form, data)
        for encoding, variant in encoded.items():
            out.setdefault(variant, "url" if encoding == "url+" else encoding)
    for form, text in hashed_forms(key, value):
        for encoding, variant in _digest_variants(form, text.encode()).items():
            out.setdefault(variant, f"{form}+{encoding}")
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
                target = self._exact if "base64" in encoding else self._folded
                needle = text if target is self._exact else text.lower()
                target.add_word(needle, (len(needle), key, encoding, value))
                count += 1
        for automaton in (self._folded, self._exact):
            if len(automaton):
                automaton.make_automaton()
        self.size = count
        #: (family or given, the part folded) -> the persona's name
        self._name_parts: dict[tuple[str, str], str] = {}
        for key, value in persona.values():
            parts = name_parts(value) if key == "name" else None
            if parts is not None:
                for part, text in zip(("family", "given"), parts, strict=True):
                    if text.strip():
                        self._name_parts[part, text.strip().casefold()] = value

    def name_part(self, field: str, text: str) -> SeedMatch | None:
        """The persona name's family or given name sent alone in a field named
        for that part (``first_name``, ``family_name``, 성, 이름), the value
        equal to the part exactly; never a part in any other field."""
        if not self._name_parts or len(text) > 100:
            return None
        part = name_field(field) if field else None
        value = part and self._name_parts.get((part, text.strip().casefold()))
        if not value:
            return None
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        return SeedMatch("name", f"{part}-name", start, end, value)

    def find(self, text: str) -> Iterator[SeedMatch]:
        lowered = text.lower() if len(text.lower()) == len(text) else None
        for automaton, haystack in ((self._folded, lowered), (self._exact, text)):
            if haystack is None or not len(automaton):
                continue
            for last, (length, key, encoding, value) in automaton.iter(haystack):
                start, end = last - length + 1, last + 1
                if _bounded(text, start, end) and not (
                    encoding.startswith("address-") and _OTHER_BUILDING.match(text, end)
                ):
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
