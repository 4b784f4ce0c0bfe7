"""The matcher's data: rules and brand forms (``products/data/``)."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from privwatch.yamlfile import packaged

REASON = "products.match.review."
"""Prefix of the message keys of review reasons (``data/messages.yaml``)."""


class BrandEntry(TypedDict):
    id: str
    names: list[str]
    field_only: NotRequired[list[str]]
    source: str
    note: NotRequired[str]


class Brands(TypedDict):
    """``data/brands.yaml``."""

    brands: list[BrandEntry]


class ModelRules(TypedDict):
    min_chars: int
    numeric_min_chars: int
    prefixes: list[str]
    max_window: int
    units: str


class NameRules(TypedDict):
    candidates: int
    ngram_floor: float
    brand_candidates: int
    ngram_max_share: float
    review_at: float
    review_at_with_brand: float
    contradicted_by_model: bool


class Scores(TypedDict):
    gtin: float
    model_with_brand: float
    model_without_brand: float
    model_brand_differs: float
    short_model_with_brand: float
    name_scale: float


class Cue(TypedDict):
    text: str
    where: str  # before | after | anywhere
    lang: str


class BundleCue(TypedDict):
    pattern: str
    lang: str


class Rules(TypedDict):
    """``data/matching.yaml``."""

    model: ModelRules
    name: NameRules
    scores: Scores
    accessory: list[Cue]
    bundle: list[BundleCue]


def rules() -> Rules:
    return packaged("privwatch.products", "data/matching.yaml", Rules)


def brands() -> Brands:
    return packaged("privwatch.products", "data/brands.yaml", Brands)
