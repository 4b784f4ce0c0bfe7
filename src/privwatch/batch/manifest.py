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
    record:                          # recorded by a headless browser on a worker
      - {platform: 한빛마켓, url: "https://shop.example.kr/", persona: persona.yaml,
         journey: journeys/login.yaml, time_limit: 240}  # journey, time_limit optional
    recordings: recordings           # where the recordings are kept (the default)
    survey: 2026-12                  # optional: a new name records the sites again

Relative paths are read from the manifest's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

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


#: seconds a record item (every consent run of one site) may take by default
RECORD_TIME_LIMIT = 240.0


class ManifestRecord(BaseModel):
    """A site recorded with ``privwatch record`` on a worker, then scanned
    with its page record (the behaviour checks)."""

    model_config = ConfigDict(extra="forbid")
    platform: str
    url: str
    persona: str
    journey: str | None = None
    site: str | None = None  # None: the URL's host
    time_limit: float = Field(default=RECORD_TIME_LIMIT, gt=0)
    consent_runs: bool = True

    @field_validator("url")
    @classmethod
    def _http(cls, url: str) -> str:
        if not is_url(url):
            raise ValueError("not an http(s) URL")
        return url


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platforms: list[ManifestPlatform] = []
    documents: list[ManifestDocument] = []
    traffic: list[ManifestTraffic] = []
    products: list[ManifestProducts] = []
    record: list[ManifestRecord] = []
    recordings: str = "recordings"
    survey: str | None = Field(default=None, min_length=1, max_length=100)
    """A name for this round of recordings (``2026-12``): a site is recorded
    again under a new name, once under the same one."""


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
    for site in manifest.record:
        site.persona = _resolved(folder, site.persona)
        if site.journey:
            site.journey = _resolved(folder, site.journey)
    manifest.recordings = str((folder / manifest.recordings).resolve())
    return manifest
