"""Which network addresses privwatch fetches from.

Every fetch (``source``, the site crawler, webhook alerts, rendering in
Chromium) resolves the host, checks *every* address it resolves to against
this policy, and connects only to an address it checked, so a redirect or a
DNS answer cannot steer privwatch to the cloud metadata service or to the
machine's own network. The policy is data (the tables below):

1. cloud metadata addresses and host names: always refused;
2. networks allowed by ``PRIVWATCH_ALLOW_NETWORKS`` (a comma list of
   ``loopback``, ``private`` or CIDRs such as ``10.1.0.0/16``): allowed;
3. loopback, private, link-local, unspecified, multicast and other reserved
   (not globally routable) addresses: refused;
4. every other (public) address: allowed.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from privwatch.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ENV = "PRIVWATCH_ALLOW_NETWORKS"


def _nets(*cidrs: str) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(c) for c in cidrs)


#: refused whatever the configuration says
METADATA = _nets(
    "169.254.169.254/32",  # AWS, GCP, Azure, OpenStack, DigitalOcean...
    "fd00:ec2::254/128",  # AWS over IPv6
    "100.100.100.200/32",  # Alibaba Cloud
)
#: host names refused whatever they resolve to (lower case, no final dot)
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata"})

#: the names PRIVWATCH_ALLOW_NETWORKS accepts besides CIDRs
NAMED = {
    "loopback": _nets("127.0.0.0/8", "::1/128"),
    "private": _nets(
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "100.64.0.0/10"
    ),
}
#: refused unless allowed, in the order they are tried: (reason, networks)
REFUSED: tuple[tuple[str, tuple[IPNetwork, ...]], ...] = (
    ("loopback", NAMED["loopback"]),
    ("private", NAMED["private"]),
    ("link-local", _nets("169.254.0.0/16", "fe80::/10")),
    ("unspecified", _nets("0.0.0.0/8", "::/128")),
    ("multicast", _nets("224.0.0.0/4", "ff00::/8")),
)
#: reason codes (each has a message ``netpolicy.<code>``)
REASONS = ("metadata", *(reason for reason, _ in REFUSED), "reserved")


class AddressRefused(httpx.TransportError):
    """A host resolved to an address the policy refuses (raised inside httpx,
    so callers that catch ``httpx.HTTPError`` see it; turn it into the user's
    error with :func:`refused_error`)."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        self.host = host
        self.address = address
        self.reason = reason
        super().__init__(f"{host} resolves to {address}, a {reason} address")


class RefusedAddressError(FetchError):
    """``fetch.refused_address``: its ``reason`` is told in the user's language."""

    def render(self, lang: str = "en") -> str:
        from privwatch.i18n import message

        params = dict(self.params)
        reason = params.get("reason")
        if reason in REASONS:
            params["reason"] = message(f"netpolicy.{reason}", lang)
        return message(self.key, lang, **params)


def refused_error(url: str, exc: AddressRefused) -> RefusedAddressError:
    return RefusedAddressError(
        "fetch.refused_address",
        url=url,
        host=exc.host,
        address=exc.address,
        reason=exc.reason,
    )


def allowed_networks(value: str | None = None) -> tuple[IPNetwork, ...]:
    """The networks ``PRIVWATCH_ALLOW_NETWORKS`` (or ``value``) allows; an entry
    that is neither a name nor a CIDR is a FetchError."""
    if value is None:
        value = os.environ.get(ENV, "")
    nets: list[IPNetwork] = []
    for item in value.split(","):
        item = item.strip().lower()
        if not item:
            continue
        if item in NAMED:
            nets.extend(NAMED[item])
            continue
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise FetchError("fetch.bad_allow_networks", var=ENV, entry=item) from None
    return tuple(nets)


def _address(ip: str | IPAddress) -> IPAddress:
    address = ipaddress.ip_address(ip.split("%", 1)[0] if isinstance(ip, str) else ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped  # ::ffff:169.254.169.254 is 169.254.169.254
    return address


def refusal(
    ip: str | IPAddress, allowed: Iterable[IPNetwork] | None = None
) -> str | None:
    """The reason code the policy refuses ``ip`` for, or None when allowed."""
    address = _address(ip)
    if any(address in net for net in METADATA):
        return "metadata"
    nets = allowed_networks() if allowed is None else allowed
    if any(address.version == net.version and address in net for net in nets):
        return None
    for reason, refused in REFUSED:
        if any(address in net for net in refused):
            return reason
    if not address.is_global or address.is_reserved:
        return "reserved"
    return None


def check_address(ip: str | IPAddress, host: str | None = None) -> None:
    """Raise AddressRefused if the policy refuses ``ip``."""
    reason = refusal(ip)
    if reason is not None:
        raise AddressRefused(host or str(ip), str(_address(ip)), reason)


def check_url(url: str) -> None:
    """Refuse, without DNS, a URL whose host is a refused address or a metadata
    name (a form can say so at once; fetching checks again after resolving)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host in METADATA_NAMES:
        raise AddressRefused(host, host, "metadata")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return
    check_address(address, host)


def resolve_and_check(host: str, port: int) -> list[str]:
    """Resolve ``host`` and check every address it resolves to: any refused
    address refuses the host (AddressRefused). Returns the addresses to connect
    to, in the resolver's order. A name that does not resolve is an OSError."""
    allowed = allowed_networks()  # a bad setting is told before any lookup
    name = host.strip("[]").rstrip(".").lower()
    if name in METADATA_NAMES:
        raise AddressRefused(host, name, "metadata")
    infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        reason = refusal(address, allowed)
        if reason is not None:
            raise AddressRefused(host, str(_address(address)), reason)
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise OSError(f"{host} does not resolve")
    return addresses


class PolicyBackend(httpcore.SyncBackend):
    """httpcore's socket backend that connects only to checked addresses: the
    host is resolved once, here, and the socket is opened to the very address
    that was checked (no second lookup that DNS rebinding could answer)."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = resolve_and_check(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"{host}: {exc}") from None
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure


def transport(**options: Any) -> httpx.HTTPTransport:
    """An httpx transport whose every connection (redirects included) goes
    through the policy. TLS still verifies the certificate against the host
    name, and the Host header is the URL's."""
    made = httpx.HTTPTransport(**options)
    pool = made._pool
    if isinstance(pool, httpcore.ConnectionPool):
        pool._network_backend = PolicyBackend()
    return made
