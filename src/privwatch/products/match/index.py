"""Hazard records indexed by GTIN, model number and brand."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from privwatch.products.match.data import brands, rules
from privwatch.products.match.text import (
    _HAN,
    _HANGUL,
    _Hit,
    _is_latin,
    _pieces,
    _Text,
    compact,
    fold,
    gtin14,
    model_key,
    model_strength,
)
from privwatch.products.records import HazardRecord


@dataclass
class HazardIndex:
    """Hazard records indexed by GTIN, model number, brand and name n-grams;
    built once, then matched against any number of listings."""

    hazards: Sequence[HazardRecord]
    gtins: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    models: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    brand_of: list[frozenset[str]] = field(default_factory=list)
    by_brand: dict[str, list[int]] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)  # compact Latin form -> id
    field_forms: dict[str, str] = field(default_factory=dict)
    cjk_forms: list[tuple[str, str]] = field(default_factory=list)
    max_brand_window: int = 4

    @classmethod
    def build(cls, hazards: Sequence[HazardRecord]) -> HazardIndex:
        index = cls(hazards)
        index._brand_forms()
        model = rules()["model"]
        for i, hazard in enumerate(hazards):
            for gtin in hazard.identifiers.gtin:
                key = gtin14(gtin)
                if key:
                    index.gtins.setdefault(key, []).append((i, gtin))
            for number in hazard.identifiers.model:
                key = model_key(number)
                if model_strength(key, model) != "none":
                    index.models.setdefault(key, []).append((i, number))
            ids = index._brand_ids_of_field(hazard.brand)
            index.brand_of.append(ids)
            for brand_id in ids:
                index.by_brand.setdefault(brand_id, []).append(i)
        return index

    def _brand_forms(self) -> None:
        for entry in brands()["brands"]:
            only = {compact(n) for n in entry.get("field_only", [])}
            for name in entry["names"]:
                key = compact(name)
                if not key:
                    continue
                self.field_forms[key] = entry["id"]
                if key in only:
                    continue
                if re.search(rf"[{_HANGUL}{_HAN}]", key):
                    self.cjk_forms.append((key, entry["id"]))
                else:
                    self.forms[key] = entry["id"]
                    self.max_brand_window = max(
                        self.max_brand_window, len(_pieces(fold(name)[0]))
                    )

    def _brand_ids_of_field(self, brand: str, register: bool = True) -> frozenset[str]:
        """The brand ids a brand field names: a known form, else forms inside
        it ("Sensio; Bella Pro Series"), else the field itself as a brand of
        its own (``raw:`` and its compact form, at least 3 characters), which
        a hazard record's brand (``register``) adds to the forms looked for in
        titles."""
        key = compact(brand)
        if not key:
            return frozenset()
        if key in self.field_forms:
            return frozenset({self.field_forms[key]})
        found = {hit for hit, _ in self.brands_in(_Text.of(brand))}
        if found:
            return frozenset(found)
        if len(key) < 3:
            return frozenset()
        raw = f"raw:{key}"
        if not register:
            return frozenset({raw})
        self.forms.setdefault(key, raw)
        self.max_brand_window = max(self.max_brand_window, len(_pieces(fold(brand)[0])))
        return frozenset({raw})

    def brands_in(self, text: _Text) -> list[tuple[str, _Hit]]:
        """Brand ids named in ``text`` with their quotes: Latin forms as whole
        pieces (joined across spaces and dashes), Hangul and Han forms anywhere
        (Korean attaches particles, Chinese has no spaces)."""
        found: list[tuple[str, _Hit]] = []
        pieces = text.pieces
        for i in range(len(pieces)):
            if not _is_latin(pieces[i].text):
                continue
            joined = ""
            for j in range(i, min(i + self.max_brand_window, len(pieces))):
                if not _is_latin(pieces[j].text):
                    break
                joined += pieces[j].text
                brand_id = self.forms.get(joined)
                if brand_id:
                    span = (pieces[i].start, pieces[j].end)
                    found.append((brand_id, _Hit("brand", text.quote(*span), span)))
        for form, brand_id in self.cjk_forms:
            at = text.folded.find(form)
            if at >= 0:
                span = (at, at + len(form))
                found.append((brand_id, _Hit("brand", text.quote(*span), span)))
        return found
