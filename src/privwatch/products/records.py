"""The values passed between the product readers, the matcher and the store.

Every text field keeps what the source said, unchanged; normalised forms for
matching are computed by ``match`` and never stored in place of the original.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Identifiers:
    """What identifies a product, as the source wrote it."""

    gtin: tuple[str, ...] = ()  # GTIN-8/12/13/14 (UPC, EAN, barcode)
    model: tuple[str, ...] = ()  # model or type numbers
    batch: tuple[str, ...] = ()  # batch, lot or serial ranges
    other: tuple[str, ...] = ()  # anything else the source calls an identifier


@dataclass(frozen=True)
class HazardRecord:
    """One product an agency recalled or found hazardous."""

    source: str  # the list's id, e.g. "us-cpsc", "eu-safety-gate", "kr-kats"
    record_id: str  # the agency's own reference (recall number, alert number)
    date: str  # ISO date the agency published it ("" when the source gives none)
    names: dict[
        str, str
    ]  # language tag -> product name: {"ko": ..., "en": ..., "zh": ...}
    brand: str = ""
    identifiers: Identifiers = field(default_factory=Identifiers)
    category: str = ""
    hazard: str = ""  # the hazard as the agency describes it
    measure: str = ""  # the measure taken (recall, withdrawal, sales ban, ...)
    country: str = ""  # ISO 3166-1 alpha-2 of the notifying country, "" if none
    url: str = ""  # the notice's address
    images: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Listing:
    """One product page on a platform, as read."""

    platform: str  # e.g. "AliExpress"
    url: str
    title: str
    fetched_at: str  # ISO timestamp
    seller: str = ""
    brand: str = ""
    identifiers: Identifiers = field(default_factory=Identifiers)
    price: str = ""  # as shown, with its currency ("₩12,900", "US $3.50")
    currency: str = ""  # ISO 4217 when known
    category: str = ""
    language: str = ""  # language tag of the title when known
    description: str = ""  # short description or bullet text, when the page gives one
    listing_id: str = ""  # the platform's own product id when known

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Certainty(StrEnum):
    """``certain``: a person can act on it; ``review``: a person must look first."""

    CERTAIN = "certain"
    REVIEW = "review"


class MatchMethod(StrEnum):
    GTIN = "gtin"  # the same GTIN on both sides
    MODEL = "model"  # the same normalised model number (with the brand agreeing)
    BRAND_MODEL = "brand_model"  # brand and a model number inside the title
    NAME = "name"  # multilingual name similarity


@dataclass(frozen=True)
class MatchedField:
    """One field that matched, quoted exactly from both sides."""

    field: str  # "gtin", "model", "brand", "name"
    listing_text: str
    hazard_text: str


@dataclass(frozen=True)
class Match:
    listing: Listing
    hazard: HazardRecord
    method: MatchMethod
    score: float  # 0..1
    certainty: Certainty
    fields: tuple[MatchedField, ...]
    reason: str = ""  # message key of why it is a review item, "" when certain

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
