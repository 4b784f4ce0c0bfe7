"""A batch manifest: the documents and traffic files of a market, by platform.

::

    platforms:                       # optional: who runs each platform
      - {name: AliExpress, country: SG, foreign: true, category: marketplace}
    documents:
      - {platform: AliExpress, source: policies/aliexpress.md}         # kind: privacy
      - {platform: Naver, kind: terms, source: "https://example.com/terms"}
    traffic:
      - {platform: AliExpress, har: sessions/ali.har, site: aliexpress.com,
         persona: persona.yaml}
    products:                        # listings matched against hazard lists
      - {platform: AliExpress, listings: [pages/ali/, "https://…/item/1.html"],
         hazards: [lists/kca-overseas.csv, lists/cpsc.json]}   # mapping: optional

Relative paths are read from the manifest's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from privwatch.ingest.source import is_url
from privwatch.yamlfile import load_model


class ManifestPlatform(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    country: str | None = Field(default=None, pattern="^[A-Z]{2}$")
    foreign: bool | None = None  # None: as stored (a new platform is domestic)
    category: str | None = None


class ManifestDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platform: str
    source: str
    kind: Literal["privacy", "terms", "trackers"] = "privacy"


class ManifestTraffic(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platform: str
    har: str
    site: str
    persona: str | None = None


class ManifestProducts(BaseModel):
    """A platform's listing sources (added to its watched sources) and the
    hazard lists they are matched against: one ``products watch`` run."""

    model_config = ConfigDict(extra="forbid")
    platform: str
    listings: list[str] = Field(min_length=1)
    hazards: list[str] = Field(min_length=1)
    mapping: str | None = None
    render: bool = False


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platforms: list[ManifestPlatform] = []
    documents: list[ManifestDocument] = []
    traffic: list[ManifestTraffic] = []
    products: list[ManifestProducts] = []


def _resolved(folder: Path, source: str) -> str:
    return source if is_url(source) else str((folder / source).resolve())


def load_manifest(path: Path) -> Manifest:
    """The manifest at ``path`` with its relative paths made absolute."""
    manifest = load_model(path, Manifest, "batch.bad_manifest")
    folder = path.resolve().parent
    for document in manifest.documents:
        document.source = _resolved(folder, document.source)
    for traffic in manifest.traffic:
        traffic.har = _resolved(folder, traffic.har)
        if traffic.persona:
            traffic.persona = _resolved(folder, traffic.persona)
    for item in manifest.products:
        item.listings = [_resolved(folder, source) for source in item.listings]
        item.hazards = [_resolved(folder, source) for source in item.hazards]
        if item.mapping and item.mapping.endswith((".yaml", ".yml")):
            item.mapping = _resolved(folder, item.mapping)
    return manifest
