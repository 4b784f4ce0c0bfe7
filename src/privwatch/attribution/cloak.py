"""A first-party host that is a tracker in disguise: its requests speak a known
tracker's collection protocol (``data/tracker_endpoints.yaml``), or its address
lies in a range a user's ranges file gives to a tracker (``by_address``).

A HAR records no CNAME, but it records the request's path and parameters: an
Adobe Analytics ``/b/ss/…?AQB=1`` hit on ``smetrics.<site>`` is Adobe's, not the
site's. The check is cheap: a plain substring test on the path before any
regular expression, the query parsed only when a marker is found.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, NotRequired, TypedDict
from urllib.parse import parse_qsl

from privwatch.yamlfile import packaged

if TYPE_CHECKING:
    from privwatch.attribution.hosts import Registry
    from privwatch.attribution.ranges import Network, Ranges

#: a JSON body larger than this is not parsed to look for a signature's keys
MAX_JSON_BODY = 1 << 20
#: a Flow's ``cloaked`` evidence for a host in a tracker's own address range
RANGE_EVIDENCE = "range:"


class SignatureEntry(TypedDict):
    id: str
    shown: str
    marker: str
    path: str
    params: NotRequired[dict[str, str]]
    body_keys: NotRequired[list[str]]
    sources: list[str]
    note: str


class TrackerEntry(TypedDict):
    id: str
    name: str
    organisation: str
    signatures: list[SignatureEntry]


class TrackerEndpoints(TypedDict):
    """``data/tracker_endpoints.yaml``."""

    checked: str
    address_range_categories: list[str]
    trackers: list[TrackerEntry]


@dataclass(frozen=True, slots=True)
class Signature:
    """One collection request of a tracker: ``cloaked`` is its stable id
    (``adobe-analytics:b-ss``), ``organisation`` an id of organisations.yaml."""

    cloaked: str
    tracker: str  # the product's name, "Adobe Analytics"
    organisation: str
    shown: str  # the protocol as a URL pattern, "/b/ss/<rsid>/<n>/…?AQB=1"
    marker: str
    path: re.Pattern[str]
    params: tuple[tuple[str, re.Pattern[str]], ...]
    body_keys: tuple[str, ...]

    def matches(self, path: str, query: str, body: str, form: bool) -> bool:
        """Whether a request with this path, query string and body is this
        tracker's (the marker is tested first by ``Signatures.match``)."""
        if not self.path.search(path):
            return False
        if self.params:
            values = _params(query, body if form else "")
            for name, pattern in self.params:
                if not any(pattern.fullmatch(v) for v in values.get(name, ())):
                    return False
        return not self.body_keys or _has_keys(body, self.body_keys)


class Signatures:
    """The tracker signatures, matched against one request's path and parameters."""

    def __init__(self, signatures: Iterable[Signature]) -> None:
        self._all = tuple(signatures)
        self._by_id = {s.cloaked: s for s in self._all}

    def __len__(self) -> int:
        return len(self._all)

    def __iter__(self) -> Iterator[Signature]:
        return iter(self._all)

    def get(self, cloaked: str) -> Signature | None:
        """The signature with this stable id (a Flow's ``cloaked``)."""
        return self._by_id.get(cloaked)

    def match(
        self, path: str, query: str = "", body: str = "", mime: str = ""
    ) -> Signature | None:
        """The first signature the request matches, or None."""
        form = _form_body(body, mime)
        for signature in self._all:
            if signature.marker in path and signature.matches(path, query, body, form):
                return signature
        return None


@cache
def signatures() -> Signatures:
    """The bundled signatures (``data/tracker_endpoints.yaml``), read once."""
    data = packaged(
        "privwatch.attribution", "data/tracker_endpoints.yaml", TrackerEndpoints
    )
    return Signatures(
        Signature(
            cloaked=f"{tracker['id']}:{entry['id']}",
            tracker=tracker["name"],
            organisation=tracker["organisation"],
            shown=entry["shown"],
            marker=entry["marker"],
            path=re.compile(entry["path"]),
            params=tuple(
                (name, re.compile(value))
                for name, value in (entry.get("params") or {}).items()
            ),
            body_keys=tuple(entry.get("body_keys") or ()),
        )
        for tracker in data["trackers"]
        for entry in tracker["signatures"]
    )


def organisation_of(cloaked: str) -> str | None:
    """The organisation id behind a Flow's ``cloaked`` evidence id, if known:
    a signature's, or the id a ``range:<id>`` names."""
    if cloaked.startswith(RANGE_EVIDENCE):
        return cloaked[len(RANGE_EVIDENCE) :] or None
    signature = signatures().get(cloaked)
    return signature.organisation if signature else None


@cache
def _range_categories() -> frozenset[str]:
    data = packaged(
        "privwatch.attribution", "data/tracker_endpoints.yaml", TrackerEndpoints
    )
    return frozenset(data["address_range_categories"])


def by_address(
    address: str | None, ranges: Ranges, registry: Registry
) -> tuple[str, str] | None:
    """``by_network`` of the published network ``address`` lies in."""
    return by_network(ranges.network(address), registry)


def by_network(network: Network | None, registry: Registry) -> tuple[str, str] | None:
    """A first-party host whose server address lies in a range a user's ranges
    file gives to an organisation whose registry category is a tracker's
    (``address_range_categories``: advertising, analytics, measurement,
    social) is that organisation's: (``range:<id>``, id).

    Cloud and CDN ranges never make a host a tracker: the providers' files
    (AWS, Google, Azure, Oracle, Cloudflare, Fastly, Akamai, bundled or
    given) are hosting, whoever the customer is, and Google's front ends
    serve sites that are not Google's. Only a ``cidr,country,name,
    organisation`` line a user wrote names a tracker's own range."""
    if network is None or network.provider != "user" or not network.organisation:
        return None
    try:
        org = registry.organisation(network.organisation)
    except KeyError:
        return None  # an organisation the registry does not know: no category
    if org.category not in _range_categories():
        return None
    return f"{RANGE_EVIDENCE}{org.id}", org.id


def _form_body(body: str, mime: str) -> bool:
    """Whether the body carries name=value pairs: a form, or a query string sent
    as a string. ``navigator.sendBeacon(url, string)`` and ``fetch`` with a
    string body send it as text/plain (the Fetch standard's type for a string
    body); AppMeasurement sends its image request that way (useBeacon, exit
    links, requests too long for a URL), the query string in the body."""
    mime = mime.lower()
    if "x-www-form-urlencoded" in mime:
        return True
    if mime and not mime.startswith("text/plain"):
        return False
    head = body[:200].lstrip()
    return "=" in head and not head.startswith(("{", "["))


def _params(query: str, body: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for text in (query, body):
        if text:
            for name, value in parse_qsl(text, keep_blank_values=True):
                values.setdefault(name, []).append(value)
    return values


def _has_keys(body: str, keys: tuple[str, ...]) -> bool:
    """Whether ``body`` is a JSON object (maybe base64 as the HAR keeps it)
    holding every key."""
    text = body.strip()
    if not text or len(text) > MAX_JSON_BODY:
        return False
    if not text.startswith("{"):
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return False
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and all(key in data for key in keys)
