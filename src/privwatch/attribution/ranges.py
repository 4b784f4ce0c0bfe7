"""Published cloud and CDN address ranges: where a server is, from what its
provider publishes, not from where its address is registered.

Regional-registry data (``ip_country``) says where an address block is
*registered*: AWS's Seoul addresses are registered to Amazon in the US, so a
Korean service in AWS Seoul looked like a transfer to the US. The providers
publish which region each prefix serves (AWS ip-ranges.json, Google Cloud
cloud.json, Azure Service Tags, Oracle public_ip_ranges.json); a region has a
country. A CDN edge (Cloudflare, Fastly, CloudFront) is anycast: the edge a
user reaches says nothing about where the organisation keeps data, so an edge
address has no country (unknown, never a guess).

The bundled snapshots (``data/ranges-*.yaml``) are dated and name where they
come from; ``--ranges FILE`` reads a newer copy of a provider's own file, which
is consulted before the bundled snapshots. Loaded on the first lookup, once
per process (an audit without traffic never loads them).
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from privwatch.errors import InputError
from privwatch.yamlfile import packaged

#: the bundled snapshots, one file per provider as ``data/ranges-<provider>.yaml``
PROVIDERS = ("aws", "gcp", "azure", "oracle", "cloudflare", "fastly", "akamai")
#: a user's file larger than this is not a range list
MAX_USER_FILE = 64 * 1024 * 1024
_ISO = re.compile(r"[A-Z]{2}")
_ORG_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
#: what a reader of a user's file found: (provider, date, prefixes)
_Found = tuple[str, str | None, int]


class RegionEntry(TypedDict):
    country: str | None
    count: int  # how many prefixes the source had (checked by the tests)
    prefixes: str  # one prefix a line
    edge: NotRequired[bool]
    location: NotRequired[str]
    date: NotRequired[str]  # when it differs from the file's snapshot_date


class Snapshot(TypedDict):
    """``data/ranges-<provider>.yaml``."""

    provider: str
    name: str
    organisation: str  # its id in organisations.yaml
    source: str  # the provider's own published file
    snapshot_date: str | None
    obtained: str
    holds: str  # which regions the file holds, in words
    mirror: list[dict[str, Any]]
    location_sources: list[str]
    locations: dict[str, str | None]  # region -> ISO country (None: not one place)
    regions: dict[str, RegionEntry]


@dataclass(frozen=True, slots=True)
class Network:
    """Whose published range an address is in, and where that range serves."""

    provider: str  # aws, gcp, azure, oracle, cloudflare, fastly, or the user file's
    organisation: str | None  # id in organisations.yaml
    name: str  # "Amazon Web Services"
    region: str | None  # "ap-northeast-2"; None for an edge network
    country: str | None  # ISO 3166-1 alpha-2; None for an edge or an unknown region
    edge: bool  # anycast / CDN edge: the address says nothing about storage
    snapshot: str | None  # the snapshot's date
    source: str  # the published file (URL), or the user's file

    @property
    def label(self) -> str:
        """ "Amazon Web Services ap-northeast-2", "Cloudflare edge"."""
        if self.edge:
            return f"{self.name} edge"
        return f"{self.name} {self.region}" if self.region else self.name


@dataclass
class _Table:
    """Prefixes by family and length; a lookup tries the longest length first."""

    #: what the scan JSON says of the snapshots in the table
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    by_length: dict[int, dict[tuple[int, int], Network]] = field(default_factory=dict)
    lengths: dict[int, list[int]] = field(default_factory=lambda: {4: [], 6: []})

    def add(self, prefix: str, network: Network) -> None:
        version, value, length = _prefix(prefix)
        bits = 32 if version == 4 else 128
        key = (version, value >> (bits - length))
        slot = self.by_length.setdefault(length, {})
        lengths = self.lengths[version]
        if length not in lengths:
            lengths.append(length)
            lengths.sort(reverse=True)
        known = slot.get(key)
        slot[key] = network if known is None else _merge(known, network)

    def find(self, version: int, value: int, bits: int) -> Network | None:
        for length in self.lengths[version]:
            hit = self.by_length[length].get((version, value >> (bits - length)))
            if hit is not None:
                return hit
        return None


def _prefix(text: str) -> tuple[int, int, int]:
    """``"13.124.0.0/16"`` -> (4, its integer, 16): the address class alone
    (a quarter of ``ip_network``'s cost, which the load time shows); host
    bits are ignored, as ``strict=False`` would (the tests check the bundled
    files strictly)."""
    address, _, length = text.strip().partition("/")
    try:
        parsed = ipaddress.ip_address(address)
        size = int(length) if length else parsed.max_prefixlen
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not an address prefix") from None
    if not 0 <= size <= parsed.max_prefixlen or (length and not length.isdigit()):
        raise ValueError(f"{text.strip()!r} has no valid prefix length")
    return parsed.version, int(parsed), size


def _merge(a: Network, b: Network) -> Network:
    """One prefix published twice: the first kept when both give the same
    country (two regions of one country: the first region named); else the
    country is unknown (two countries cannot both be where it is)."""
    if a == b or (a.country == b.country and a.edge == b.edge):
        return a
    return Network(
        provider=a.provider,
        organisation=a.organisation if a.organisation == b.organisation else None,
        name=a.name if a.name == b.name else f"{a.name} / {b.name}",
        region=None,
        country=None,
        edge=a.edge or b.edge,
        snapshot=a.snapshot,
        source=a.source,
    )


class Ranges:
    """Published ranges: users' files first (newer), then the bundled snapshots."""

    def __init__(self, tables: list[_Table]) -> None:
        self._tables = tables

    @classmethod
    def builtin(cls) -> Ranges:
        return cls([_bundled()])

    @classmethod
    def with_files(cls, paths: list[Path]) -> Ranges:
        """Users' own copies of the providers' files, then the bundled snapshots."""
        return cls([read_user_file(path) for path in paths] + [_bundled()])

    def network(self, address: str | None) -> Network | None:
        """The published range ``address`` is in (longest prefix), else None."""
        if not address:
            return None
        try:
            parsed = ipaddress.ip_address(address.strip("[]"))
        except ValueError:
            return None
        if parsed.version == 6 and parsed.ipv4_mapped is not None:
            parsed = parsed.ipv4_mapped
        bits, value = parsed.max_prefixlen, int(parsed)
        for table in self._tables:
            hit = table.find(parsed.version, value, bits)
            if hit is not None:
                return hit
        return None

    def snapshots(self) -> list[dict[str, Any]]:
        """Which snapshots were consulted: provider, date, source, prefixes."""
        out: list[dict[str, Any]] = []
        for table in self._tables:
            out.extend(table.snapshots)
        return out


# --- bundled snapshots -------------------------------------------------------


@cache
def _bundled() -> _Table:
    table = _Table()
    for provider in PROVIDERS:
        data = packaged(
            "privwatch.attribution", f"data/ranges-{provider}.yaml", Snapshot
        )
        count = 0
        for region, entry in data["regions"].items():
            edge = bool(entry.get("edge"))
            network = Network(
                provider=data["provider"],
                organisation=data["organisation"],
                name=data["name"],
                region=None if edge else region,
                country=None if edge else entry["country"],
                edge=edge,
                snapshot=entry.get("date") or data["snapshot_date"],
                source=data["source"],
            )
            for line in entry["prefixes"].split():
                table.add(line, network)
                count += 1
        table.snapshots.append(
            {
                "provider": data["provider"],
                "date": data["snapshot_date"],
                "source": data["source"],
                "regions": sorted(data["regions"]),
                "prefixes": count,
                "bundled": True,
            }
        )
    return table


@cache
def locations(provider: str) -> dict[str, str | None]:
    """A provider's region -> country map, from its bundled snapshot."""
    data = packaged("privwatch.attribution", f"data/ranges-{provider}.yaml", Snapshot)
    return dict(data["locations"])


@cache
def _names() -> dict[str, tuple[str, str]]:
    """provider -> (name, organisation id), from the bundled snapshots."""
    out = {}
    for provider in PROVIDERS:
        data = packaged(
            "privwatch.attribution", f"data/ranges-{provider}.yaml", Snapshot
        )
        out[provider] = (data["name"], data["organisation"])
    return out


def bundled_files() -> list[Path]:
    """The bundled snapshot files (for checks and benchmarks)."""
    base = resources.files("privwatch.attribution").joinpath("data")
    return [Path(str(base.joinpath(f"ranges-{p}.yaml"))) for p in PROVIDERS]


# --- users' files ------------------------------------------------------------


class _Bad(Exception):
    pass


def read_user_file(path: Path) -> _Table:
    """A provider's published file in its own format: AWS ip-ranges.json,
    Google cloud.json or goog.json, Azure Service Tags JSON, Oracle
    public_ip_ranges.json, Fastly public-ip-list, Cloudflare ips-v4/ips-v6, or
    a CSV of ``cidr,country[,name[,organisation]]`` (country empty: unknown;
    organisation: the id in organisations.yaml of whom the range is)."""
    try:
        if path.stat().st_size > MAX_USER_FILE:
            raise _Bad(f"larger than {MAX_USER_FILE} bytes")
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise InputError("input.not_found", path=path) from None
    except IsADirectoryError:
        raise InputError("input.is_directory", path=path) from None
    except UnicodeDecodeError:
        raise InputError("input.bad_encoding", source=path, encoding="UTF-8") from None
    except _Bad as exc:
        raise InputError("scan.bad_ranges", path=path, reason=str(exc)) from None
    except OSError as exc:
        raise InputError(
            "scan.bad_ranges", path=path, reason=exc.strerror or "unreadable"
        ) from None
    table = _Table()
    try:
        provider, date, count = _fill(table, path, text)
    except (_Bad, ValueError, TypeError, KeyError, AttributeError) as exc:
        said = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        reason = " ".join(said.split())[:200] or type(exc).__name__
        raise InputError("scan.bad_ranges", path=path, reason=reason) from None
    if not count:
        raise InputError("scan.bad_ranges", path=path, reason="no prefixes")
    table.snapshots.append(
        {
            "provider": provider,
            "date": date,
            "source": str(path),
            "prefixes": count,
            "bundled": False,
        }
    )
    return table


def _fill(table: _Table, path: Path, text: str) -> _Found:
    """Fill ``table`` from ``text``; (provider, date, prefixes)."""
    if text.lstrip().startswith("{"):
        data = json.loads(text)
        if not isinstance(data, dict):
            raise _Bad("not a JSON object")
        for reader in (_aws, _google, _azure, _oracle, _fastly):
            found = reader(table, data, str(path))
            if found is not None:
                return found
        raise _Bad("a JSON file of no known provider's format")
    return _text(table, path, text)


def _network(
    provider: str, region: str | None, date: str | None, source: str, *, edge: bool
) -> Network:
    name, organisation = _names()[provider]
    country = None if edge or region is None else locations(provider).get(region)
    return Network(
        provider=provider,
        organisation=organisation,
        name=name,
        region=None if edge else region,
        country=country,
        edge=edge,
        snapshot=date,
        source=source,
    )


def _aws(table: _Table, data: dict[str, Any], source: str) -> _Found | None:
    items = data.get("prefixes") or data.get("ipv6_prefixes")
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        return None
    if not any(k in items[0] for k in ("ip_prefix", "ipv6_prefix")):
        return None
    date = str(data.get("createDate") or "")[:10] or None
    count = 0
    cache_: dict[str, Network] = {}
    for key, field_ in (("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")):
        for item in data.get(key) or []:
            region = str(item["region"])
            if region not in cache_:
                cache_[region] = _network(
                    "aws", region, date, source, edge=region == "GLOBAL"
                )
            table.add(str(item[field_]), cache_[region])
            count += 1
    return "aws", date, count


def _google(table: _Table, data: dict[str, Any], source: str) -> _Found | None:
    items = data.get("prefixes")
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        return None
    if not any(k in items[0] for k in ("ipv4Prefix", "ipv6Prefix")):
        return None
    date = str(data.get("creationTime") or "")[:10] or None
    count = 0
    for item in items:
        prefix = item.get("ipv4Prefix") or item.get("ipv6Prefix")
        scope = item.get("scope")
        # goog.json has no scope: Google's own front ends, served near the user;
        # cloud.json's "global" is global load balancing (anycast)
        edge = scope in (None, "global")
        table.add(str(prefix), _network("gcp", scope, date, source, edge=edge))
        count += 1
    return "gcp", date, count


def _azure(table: _Table, data: dict[str, Any], source: str) -> _Found | None:
    values = data.get("values")
    if not isinstance(values, list) or "cloud" not in data:
        return None
    count = 0
    for value in values:
        props = value["properties"]
        region = props.get("region") or None
        if not region:
            continue  # a service tag for every region says nothing of where
        network = _network("azure", region, None, source, edge=False)
        for prefix in props.get("addressPrefixes") or []:
            table.add(str(prefix), network)
            count += 1
    return "azure", None, count


def _oracle(table: _Table, data: dict[str, Any], source: str) -> _Found | None:
    regions = data.get("regions")
    if not isinstance(regions, list) or "last_updated_timestamp" not in data:
        return None
    date = str(data.get("last_updated_timestamp") or "")[:10] or None
    count = 0
    for region in regions:
        network = _network("oracle", str(region["region"]), date, source, edge=False)
        for cidr in region.get("cidrs") or []:
            table.add(str(cidr["cidr"]), network)
            count += 1
    return "oracle", date, count


def _fastly(table: _Table, data: dict[str, Any], source: str) -> _Found | None:
    if not any(k in data for k in ("addresses", "ipv6_addresses")):
        return None
    network = _network("fastly", None, None, source, edge=True)
    count = 0
    for key in ("addresses", "ipv6_addresses"):
        for prefix in data.get(key) or []:
            table.add(str(prefix), network)
            count += 1
    return "fastly", None, count


def _text(table: _Table, path: Path, text: str) -> _Found:
    """Cloudflare's ips-v4/ips-v6 (one prefix a line, named so), or
    ``cidr,country[,name[,organisation]]`` lines."""
    lines = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if lines and all("," not in line for line in lines):
        if not path.name.lower().startswith("ips-v"):
            raise _Bad(
                "a bare list of prefixes says neither whose nor where: "
                "name Cloudflare's lists ips-v4/ips-v6, or write cidr,country"
            )
        network = _network("cloudflare", None, None, str(path), edge=True)
        for line in lines:
            table.add(line, network)
        return "cloudflare", None, len(lines)
    count = 0
    for number, line in enumerate(lines, 1):
        cells = [c.strip() for c in line.split(",")]
        if number == 1 and cells[0].lower() in ("cidr", "prefix", "network"):
            continue
        country = cells[1].upper() if len(cells) > 1 and cells[1] else None
        if country is not None and not _ISO.fullmatch(country):
            raise _Bad(f"line {number}: country {cells[1]!r} is not an ISO code")
        name = cells[2] if len(cells) > 2 and cells[2] else path.stem
        organisation = cells[3].lower() if len(cells) > 3 and cells[3] else None
        if organisation is not None and not _ORG_ID.fullmatch(organisation):
            raise _Bad(f"line {number}: organisation {cells[3]!r} is not an id")
        table.add(
            cells[0],
            Network(
                provider="user",
                organisation=organisation,
                name=name,
                region=None,
                country=country,
                edge=False,
                snapshot=None,
                source=str(path),
            ),
        )
        count += 1
    return "user", None, count
