"""The words the journey looks for, as data: consent buttons
(``data/consent_buttons.yaml``), form fields and links
(``data/journey_words.yaml``)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from privwatch.yamlfile import packaged

PACKAGE = "privwatch.record"
ConsentKind = Literal["reject", "accept"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConsentExamples(_Strict):
    reject: list[str]
    accept: list[str]
    neither: list[str]


class ConsentButtons(_Strict):
    max_chars: int
    reject: list[str]
    accept: list[str]
    examples: ConsentExamples

    def kind(self, text: str) -> ConsentKind | None:
        """``reject``, ``accept`` or None for a button's visible ``text``."""
        squeezed = squeeze(text)
        if not squeezed:
            return None
        kinds: tuple[ConsentKind, ConsentKind] = ("reject", "accept")
        for kind in kinds:  # exact wording first, reject before accept
            if any(squeezed == squeeze(p) for p in getattr(self, kind)):
                return kind
        if len(squeezed) > self.max_chars:
            return None
        for kind in kinds:
            if any(squeeze(p) in squeezed for p in getattr(self, kind)):
                return kind
        return None


class FieldKind(_Strict):
    kind: str
    persona_key: str
    autocomplete: list[str]
    types: list[str]
    names: list[str]
    words: list[str]


class LinkWords(_Strict):
    words: list[str]
    paths: list[str]


class Links(_Strict):
    product: LinkWords
    signup: LinkWords


class JourneyWords(_Strict):
    fields: list[FieldKind]
    links: Links

    def field_kind(self, described: dict[str, str]) -> FieldKind | None:
        """The kind of an input described by the page (its ``autocomplete``,
        ``type``, ``name``, ``id`` and ``text``: label, placeholder,
        aria-label, title), or None."""
        tokens = set(described.get("autocomplete", "").lower().split())
        kind_type = described.get("type", "").lower()
        names = [
            compact(described.get("name", "")),
            compact(described.get("id", "")),
        ]
        text = squeeze(described.get("text", ""))

        def by_tokens(f: FieldKind) -> bool:
            return bool(tokens & set(f.autocomplete))

        def by_type(f: FieldKind) -> bool:
            return kind_type in f.types

        def by_name(f: FieldKind) -> bool:
            return any(_name_match(n, t) for n in names if n for t in f.names)

        def by_text(f: FieldKind) -> bool:
            return bool(text) and any(squeeze(w) in text for w in f.words)

        for test in (by_tokens, by_type, by_name, by_text):
            for field in self.fields:
                if test(field):
                    return field
        return None

    def link_kind(self, text: str, href: str) -> str | None:
        """``product``, ``signup`` or None for a link."""
        squeezed = squeeze(text)
        for kind in ("signup", "product"):
            words: LinkWords = getattr(self.links, kind)
            if squeezed and any(squeeze(w) in squeezed for w in words.words):
                return kind
        lowered = href.lower()
        for kind in ("signup", "product"):
            words = getattr(self.links, kind)
            if any(p in lowered for p in words.paths):
                return kind
        return None


def _name_match(name: str, token: str) -> bool:
    return name == token or (len(token) >= 4 and token in name)


def squeeze(text: str) -> str:
    """Lower case, white space dropped."""
    return re.sub(r"\s+", "", text).casefold()


def compact(text: str) -> str:
    """Lower case, only letters, digits and Hangul kept."""
    return re.sub(r"[^0-9a-z가-힣]+", "", text.casefold())


def consent_buttons() -> ConsentButtons:
    return packaged(PACKAGE, "data/consent_buttons.yaml", ConsentButtons)


def journey_words() -> JourneyWords:
    return packaged(PACKAGE, "data/journey_words.yaml", JourneyWords)
