"""Who receives a request: host -> registrable domain -> organisation -> country,
and the server IP's country from bundled registry data."""

from privwatch.attribution.hosts import (
    Organisation,
    Registry,
    country_profiles,
    ip_country,
    registrable_domain,
)

__all__ = [
    "Organisation",
    "Registry",
    "country_profiles",
    "ip_country",
    "registrable_domain",
]
