"""Flows of personal data in a recorded session: which data, in which encoding,
where in the request, to which organisation, in which country.

HAR entries -> request fields -> detectors and persona seeds -> attribution.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from privwatch.attribution import Registry, ip_country, registrable_domain
from privwatch.digest import file_sha256
from privwatch.traffic.mask import mask

if TYPE_CHECKING:
    from privwatch.attribution.ranges import Ranges

    # the scanning machinery loads when a scan runs: an audit without traffic
    # reads Flow and ScanResult only (decoders, detectors and HAR reader unused)
    from privwatch.detectors import DetectorRegistry
    from privwatch.traffic.contacts import SiteContacts
    from privwatch.traffic.fields import Field
    from privwatch.traffic.har import Entry
    from privwatch.traffic.persona import Persona
    from privwatch.traffic.seeds import SeedMatcher

#: detector entities as the flow contract names them
DATA_TYPES = {"frn": "rrn"}
#: detections below this score are noise in traffic (any UUID scores 0.1 as an
#: advertising id, a bare ten-digit "business number" 0.2); an RRN failing its
#: check digit (0.4) is still reported
MIN_SCORE = 0.35
EXACT = ("plain", "lowercase", "digits", "e164", "e164-digits", "url")


@dataclass(frozen=True, slots=True)
class Flow:
    """Personal data leaving the device in one request."""

    entry_index: int
    host: str
    organization: str | None
    org_country: str | None  # the organisation's headquarters
    #: where the server is: its cloud region's country when the address is in a
    #: provider's published regional range, None for a CDN edge (anycast), else
    #: where the address is registered
    ip_country: str | None
    party: str  # first or third
    data_type: str
    encoding: str
    location: str  # url, query, header, cookie, body or websocket
    name: str  # the parameter, header, cookie, part or JSON key path carrying it
    source: str  # persona or detector
    confidence: float
    masked: str
    detail: str = ""  # detector id or persona key, validation
    #: how it was found, to repeat by hand: "cookie session → jwt payload → email"
    via: str = ""
    #: a first-party host speaking a tracker's protocol: the evidence's stable
    #: id ("adobe-analytics:b-ss", attribution/data/tracker_endpoints.yaml)
    cloaked: str = ""
    #: the published network the server's address is in: "Amazon Web Services
    #: ap-northeast-2", "Cloudflare edge"; empty when in none
    network: str = ""

    @property
    def country(self) -> str | None:
        """The organisation's country, else the server's."""
        return self.org_country or self.ip_country


@dataclass
class ScanResult:
    """Everything a scan found, with what it needs to report it."""

    path: str
    sha256: str
    site: str
    entries: int = 0
    flows: list[Flow] = field(default_factory=list)
    hosts: dict[str, str | None] = field(default_factory=dict)  # host -> organisation
    first_party: set[str] = field(
        default_factory=set
    )  # hosts of the audited site's group
    warnings: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: the address-range snapshots consulted (provider, date, source)
    address_ranges: list[dict[str, Any]] = field(default_factory=list)
    #: the persona's fields the scan looked for, values masked (key -> value)
    persona: dict[str, list[str]] = field(default_factory=dict)
    #: what the page did, from the page record beside the HAR
    #: (``traffic.behaviour.Behaviour``); None without a record
    behaviour: Any = None

    def provenance(self, user_country: str) -> dict[str, Any]:
        """Where a say-versus-do audit's traffic came from (the audit JSON's
        ``traffic``): the HAR, what of it was read, and what it was read with."""
        warnings = [
            {"key": key, "params": {k: _plain(v) for k, v in params.items()}}
            for key, params in self.warnings
        ]
        skipped = sorted(
            {int(p["index"]) for k, p in self.warnings if k == "scan.entry_skipped"}
        )
        return {
            "path": self.path,
            "sha256": self.sha256,
            "entries": self.entries,
            "skipped": skipped,
            "truncated": any(k == "scan.truncated" for k, _ in self.warnings),
            "warnings": warnings,
            "site": self.site,
            "user_country": user_country,
            "persona": {k: list(v) for k, v in sorted(self.persona.items())},
            "address_ranges": [dict(r) for r in self.address_ranges],
        }


def _plain(value: Any) -> Any:
    """A warning's value as JSON holds it (a path as its text)."""
    return value if isinstance(value, int | float | str | bool | None) else str(value)


def scan_har(
    path: Path,
    *,
    site: str,
    detectors: DetectorRegistry,
    registry: Registry,
    persona: Persona | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
    ranges: Ranges | None = None,
) -> ScanResult:
    """Every flow of personal data in the HAR at ``path``; server countries from
    ``ranges`` (the bundled published ranges when None), else registry data."""
    from privwatch.attribution.ranges import Ranges
    from privwatch.traffic.contacts import SiteContacts
    from privwatch.traffic.har import read_entries
    from privwatch.traffic.seeds import SeedMatcher

    ranges = ranges or Ranges.builtin()
    result = ScanResult(path=str(path), sha256=file_sha256(path), site=site)
    result.address_ranges = ranges.snapshots()
    for key, value in persona.values() if persona is not None else ():
        result.persona.setdefault(key, []).append(mask(value, key))
    seeds = SeedMatcher(persona) if persona is not None else None
    contacts = SiteContacts(persona, list(detectors))
    site_org = registry.lookup(site)
    site_domain = registrable_domain(site)

    def warn(key: str, params: dict[str, Any]) -> None:
        if key == "scan.entry_skipped":
            result.entries = max(result.entries, int(params["index"]) + 1)
        result.warnings.append((key, params))

    # per distinct host and address, not per request
    parties: dict[str, tuple[Any, bool]] = {}  # host -> (organisation, first party)
    servers: dict[str | None, _Server] = {}  # address -> where, whose range
    cloaks: dict[tuple[str, str], dict[str, Any]] = {}  # (host, evidence) -> who
    for entry in read_entries(path, warn=warn, progress=progress):
        result.entries = max(result.entries, entry.index + 1)
        # a flow's strings are shared with every other flow that has them
        # (intern): memory follows distinct hosts, names and values, not requests
        host = intern((urlsplit(entry.url).hostname or "").lower())
        if host not in parties:
            parties[host] = _party(host, registry, site_org, site_domain)
        org, first = parties[host]
        result.hosts.setdefault(host, org.name if org else None)
        if first:
            result.first_party.add(host)
            contacts.read_page(entry.page)  # the site's own contacts
        if entry.server_ip not in servers:
            servers[entry.server_ip] = _server(entry.server_ip, ranges, registry)
        server = servers[entry.server_ip]
        attribution = {
            "entry_index": entry.index,
            "host": host,
            "organization": org.name if org else None,
            "org_country": org.country if org else None,
            "ip_country": server.country,
            "party": "first" if first else "third",
            "network": server.network,
        }
        if first:  # a tracker behind the site's own name is the tracker
            attribution.update(
                _cloaked(entry, host, org, server.tracker, registry, cloaks)
            )
        result.flows.extend(
            _entry_flows(entry, attribution, detectors, seeds, warn, contacts)
        )
    result.flows = contacts.settle(result.flows)  # contacts learnt late
    if contacts.dropped:
        warn(
            "scan.site_contacts",
            {"count": len(contacts.dropped), "contacts": len(contacts.known)},
        )
    return result


def _party(
    host: str, registry: Registry, site_org: Any, site_domain: str | None
) -> tuple[Any, bool]:
    """The host's organisation, and whether it is the audited site's group."""
    org = registry.lookup(host) if host else None
    if org is not None and site_org is not None:
        return org, org.root == site_org.root
    return org, registrable_domain(host) == site_domain


def _cloaked(
    entry: Entry,
    host: str,
    site_org: Any,
    by_range: tuple[str, str] | None,
    registry: Registry,
    known: dict[tuple[str, str], dict[str, Any]],
) -> dict[str, Any]:
    """A first-party request that is a tracker's (its address in the tracker's
    own range from a user's ranges file, ``by_range``, or its path and
    parameters the tracker's protocol): the tracker's attribution, decided once
    per (host, evidence); else nothing. A tracker of the site's own group
    (Google's analytics on google.com) is the first party."""
    from privwatch.attribution.cloak import signatures

    found = by_range
    if found is None:
        parts = urlsplit(entry.url)
        signature = signatures().match(
            parts.path, parts.query, entry.body, entry.mime_type
        )
        if signature is None:
            return {}
        found = (signature.cloaked, signature.organisation)
    if (host, found[0]) not in known:
        try:
            org = registry.organisation(found[1])
        except KeyError:  # a registry without the tracker: party known, owner not
            org = None
        if org is not None and site_org is not None and org.root == site_org.root:
            known[host, found[0]] = {}
            return {}
        known[host, found[0]] = {
            "organization": org.name if org else None,
            "org_country": org.country if org else None,
            "party": "third",
            "cloaked": intern(found[0]),
        }
    return known[host, found[0]]


def _entry_flows(
    entry: Entry,
    attribution: dict[str, Any],
    detectors: DetectorRegistry,
    seeds: SeedMatcher | None,
    warn: Callable[[str, dict[str, Any]], None] | None = None,
    contacts: SiteContacts | None = None,
) -> Iterator[Flow]:
    from privwatch.traffic.fields import request_fields

    best: dict[tuple[str, str, str, str, str], Flow] = {}
    for item in request_fields(entry, warn):
        for flow in _field_flows(item, attribution, detectors, seeds, contacts):
            key = (flow.data_type, flow.location, flow.name, flow.encoding, flow.source)
            if key not in best or flow.confidence > best[key].confidence:
                best[key] = flow
    yield from sorted(best.values(), key=lambda f: (f.data_type, f.location, f.name))


def _field_flows(
    item: Field,
    attribution: dict[str, Any],
    detectors: DetectorRegistry,
    seeds: SeedMatcher | None,
    contacts: SiteContacts | None = None,
) -> Iterable[Flow]:
    seeded: list[tuple[int, int]] = []
    if seeds is not None:
        for match in _persona_matches(seeds, item):
            seeded.append((match.start, match.end))
            encoding = (
                match.encoding
                if item.decoding == "plain"
                else f"{item.decoding}+{match.encoding}"
            )
            yield Flow(
                **attribution,
                data_type=match.key,
                encoding=intern(encoding),
                location=item.location,
                name=intern(item.name),
                source="persona",
                confidence=1.0 if match.encoding in EXACT else 0.95,
                masked=intern(mask(match.value, match.key)),
                detail=match.key,
                via=intern(_via(item, match.key, match.encoding)),
            )
    # a detector reads the field's name as context ("x-idfa: <uuid>")
    label = f"{item.name}: " if item.name else ""
    for found in detectors.detect(label + item.text, min_score=MIN_SCORE):
        start, end = found.start - len(label), found.end - len(label)
        if start < 0 or any(s < end and start < e for s, e in seeded):
            continue  # in the label, or already reported as the persona's own value
        where = (attribution["entry_index"], item.location, item.name)
        if contacts is not None and contacts.drops(
            found.entity, found.value, where, label + item.text, found.start
        ):
            continue  # the site's own phone, e-mail or business number
        flow = Flow(
            **attribution,
            data_type=DATA_TYPES.get(found.entity, found.entity),
            encoding=intern(item.decoding),
            location=item.location,
            name=intern(item.name),
            source="detector",
            confidence=round(found.score, 2),
            masked=intern(mask(found.value, found.entity)),
            detail=intern(f"{found.entity}:{found.validation.value}"),
            via=intern(_via(item, found.entity, "plain")),
        )
        if contacts is not None:
            contacts.note(flow, found.entity, found.value)
        yield flow


class _Server(NamedTuple):
    country: str | None
    network: str  # the published network's label, "" when in none
    tracker: tuple[str, str] | None  # a user's range naming a tracker: cloak.by_network


def _server(address: str | None, ranges: Ranges, registry: Registry) -> _Server:
    """The server's country and published network, from one look-up: a cloud
    region's country; none for a CDN edge (anycast: the edge reached says
    nothing of where data is kept); else where the address is registered."""
    from privwatch.attribution.cloak import by_network

    network = ranges.network(address)
    if network is None:
        return _Server(_interned(ip_country(address)), "", None)
    return _Server(
        _interned(network.country), intern(network.label), by_network(network, registry)
    )


def _interned(text: str | None) -> str | None:
    return None if text is None else intern(text)


def _via(item: Field, data_type: str, encoding: str) -> str:
    """The field's decoding chain, then what was found in it."""
    what = data_type if encoding == "plain" else f"{data_type} ({encoding})"
    start = item.via or f"{item.location} {item.name}".strip()
    return f"{start} → {what}"


def _persona_matches(seeds: SeedMatcher, item: Field) -> list[Any]:
    """The persona's values in the field's text, and its name's part alone
    in a field named for that part (``first_name``: 하늘)."""
    found = _longest(seeds.find(item.text))
    part = seeds.name_part(item.name, item.text)
    if part is not None and not any(m.key == "name" for m in found):
        found.append(part)
    return found


def _longest(matches: Iterable[Any]) -> list[Any]:
    """Of overlapping persona matches, the longest (base64 with its padding)."""
    kept: list[Any] = []
    for match in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and match.start < kept[-1].end and match.key == kept[-1].key:
            continue
        kept.append(match)
    return kept


def unknown_hosts(result: ScanResult) -> list[str]:
    """Third-party hosts the organisation registry does not know."""
    return sorted(
        host
        for host, org in result.hosts.items()
        if host and org is None and host not in result.first_party
    )
