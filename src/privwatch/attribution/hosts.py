"""Attribute hosts to organisations with the registry in ``data/organisations.yaml``.

Registrable domains come from tldextract's bundled Public Suffix List snapshot
(never fetched at run time); server IP countries from iptocc's bundled
regional-registry (RIR) delegation data.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

import iptocc
import yaml

from privwatch.errors import InputError
from privwatch.i18n import Bilingual
from privwatch.yamlfile import packaged, parse

# tldextract imports requests (~0.3 s of CPU): it loads when a host is first
# reduced to its registrable domain, not for every audit.
if TYPE_CHECKING:
    import tldextract


class OrganisationEntry(TypedDict):
    id: str
    name: str
    parent: str | None
    country: str
    category: str
    domains: list[str]
    sources: list[str]
    notes: NotRequired[str]


class Organisations(TypedDict):
    """``data/organisations.yaml``."""

    organisations: list[OrganisationEntry]


class Note(TypedDict):
    en: str
    ko: str
    sources: NotRequired[list[str]]


class Recognition(TypedDict):
    recognised: bool | None
    since: NotRequired[str]
    note: Bilingual
    sources: list[str]


class Adequacy(TypedDict):
    decided: bool | None
    decided_on: NotRequired[str]
    instrument: NotRequired[str]
    scope: NotRequired[Bilingual]
    note: NotRequired[Bilingual]
    sources: list[str]


class Law(TypedDict):
    name: Bilingual
    provisions: NotRequired[str]
    summary: NotRequired[Bilingual]
    in_force: NotRequired[str]
    note: NotRequired[Bilingual]
    sources: list[str]


class CountryProfile(TypedDict):
    name: Bilingual
    home: NotRequired[bool]
    note: NotRequired[Bilingual]
    pipc_equivalence: Recognition
    eu_adequacy: Adequacy
    state_access_laws: list[Law]
    state_access_note: NotRequired[Note]
    data_protection_law: Law


class CountryProfiles(TypedDict):
    """``data/country_profiles.yaml``; ``shared`` holds the YAML anchors."""

    checked: str
    shared: dict[str, Any]
    countries: dict[str, CountryProfile]


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str
    country: str | None  # headquarters, ISO 3166-1 alpha-2
    category: str
    parent: str | None
    root: str  # the top of its corporate group (its own id when it has no parent)


@cache
def _extractor() -> tldextract.TLDExtract:
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_domain(host: str) -> str:
    """``a.b.aliexpress.co.kr`` -> ``aliexpress.co.kr``; IPs and bare names stay."""
    host = (
        host.strip().lower().rstrip(".").split(":")[0]
        if not host.startswith("[")
        else host
    )
    parts = _extractor()(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    labels = host.split(".")
    if len(labels) >= 2 and not host.replace(".", "").isdigit():
        return ".".join(labels[-2:])  # an unlisted suffix (.example, .local)
    return host


def ip_country(address: str | None) -> str | None:
    """Country of a public IP address (None for private, reserved or invalid ones)."""
    if not address:
        return None
    address = address.strip("[]")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if not parsed.is_global:
        return None
    code = iptocc.country_code(str(parsed))
    return code if isinstance(code, str) else None


class Registry:
    """Organisations by registrable domain."""

    def __init__(
        self, entries: list[dict[str, Any]], source: str = "organisations.yaml"
    ) -> None:
        self._by_id: dict[str, dict[str, Any]] = {}
        self._by_domain: dict[str, str] = {}
        for entry in entries:
            try:
                self._by_id[str(entry["id"])] = entry
                for domain in entry.get("domains") or ():
                    self._by_domain[str(domain).lower()] = str(entry["id"])
            except (KeyError, TypeError):
                raise InputError(
                    "scan.bad_registry", path=source, reason=f"entry {entry!r:.80}"
                ) from None

    @classmethod
    def builtin(cls) -> Registry:
        data = packaged(
            "privwatch.attribution", "data/organisations.yaml", Organisations
        )
        return cls([dict(entry) for entry in data["organisations"]])

    @classmethod
    def from_file(cls, path: Path) -> Registry:
        try:
            data = parse(path.read_text("utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(
                "scan.bad_registry", path=path, reason=" ".join(str(exc).split())
            ) from None
        if not isinstance(data, dict) or not isinstance(
            data.get("organisations"), list
        ):
            raise InputError(
                "scan.bad_registry", path=path, reason="no organisations list"
            )
        return cls(data["organisations"], str(path))

    def __len__(self) -> int:
        return len(self._by_id)

    def organisation(self, org_id: str) -> Organisation:
        entry = self._by_id[org_id]
        root = org_id
        seen = {org_id}
        while (
            self._by_id.get(root, {}).get("parent")
            and self._by_id[root]["parent"] in self._by_id
        ):
            root = self._by_id[root]["parent"]
            if root in seen:
                break
            seen.add(root)
        return Organisation(
            id=org_id,
            name=str(entry.get("name") or org_id),
            country=entry.get("country"),
            category=str(entry.get("category") or "other"),
            parent=entry.get("parent"),
            root=root,
        )

    def lookup(self, host: str) -> Organisation | None:
        """The organisation owning ``host``'s registrable domain (or a parent
        domain listed in the registry, for hosts under private suffixes)."""
        host = host.lower().rstrip(".")
        candidates = [registrable_domain(host)]
        labels = host.split(".")
        candidates += [".".join(labels[i:]) for i in range(len(labels) - 1)]
        for domain in candidates:
            org_id = self._by_domain.get(domain)
            if org_id is not None:
                return self.organisation(org_id)
        return None


@cache
def country_profiles() -> dict[str, Any]:
    """Destination facts by ISO code (``data/country_profiles.yaml``): PIPC
    equivalence, EU adequacy, laws on state access to data."""
    data = packaged(
        "privwatch.attribution", "data/country_profiles.yaml", CountryProfiles
    )
    return dict(data["countries"])
