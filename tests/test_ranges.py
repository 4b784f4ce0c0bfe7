"""Published cloud and CDN address ranges: a server's country from the region
its provider says an address serves; none for a CDN edge; users' own copies of
the providers' files; and what a scan concludes from them."""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from privwatch.attribution import Registry, ip_country
from privwatch.attribution.ranges import PROVIDERS, Ranges, bundled_files
from privwatch.errors import InputError
from privwatch.report.flows import render_html, render_json
from privwatch.report.scan_table import render_table
from tests.hars import EMAIL, PERSONA, entry, scan_with, write_har

SITE = "shop.example.kr"


@pytest.fixture(scope="module")
def ranges() -> Ranges:
    return Ranges.builtin()


# --- the bundled snapshots ---------------------------------------------------


@pytest.mark.parametrize("path", bundled_files(), ids=PROVIDERS)
def test_snapshot_files_parse_and_match_their_counts(path: Path) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["provider"] == path.stem.removeprefix("ranges-")
    assert data["source"].startswith("https://")
    assert data["mirror"] and data["location_sources"] and data["holds"]
    assert Registry.builtin().organisation(data["organisation"]).id
    for region, entry_ in data["regions"].items():
        prefixes = entry_["prefixes"].split()
        # every line a network with no host bits (strict): a transcription
        # slip (a dropped digit, a wrong length) fails here
        nets = [ipaddress.ip_network(p, strict=True) for p in prefixes]
        assert len(nets) == entry_["count"], region
        if entry_.get("edge"):
            assert entry_["country"] is None
        else:
            assert data["locations"][region] == entry_["country"], region
    for country in data["locations"].values():
        assert country is None or (len(country) == 2 and country.isupper())


def test_korean_regions_of_every_cloud_are_korea(ranges: Ranges) -> None:
    expected = {
        "13.124.1.1": ("aws", "ap-northeast-2"),  # 13.124.0.0/16
        "2406:da12::1": ("aws", "ap-northeast-2"),  # 2406:da12::/36
        "34.64.33.1": ("gcp", "asia-northeast3"),  # 34.64.32.0/19
        "2600:1901:8180::1": ("gcp", "asia-northeast3"),
        "20.194.1.1": ("azure", "koreacentral"),  # 20.194.0.0/18
        "52.231.130.1": ("azure", "koreasouth"),  # 52.231.128.0/17
        "146.56.130.1": ("oracle", "ap-seoul-1"),  # 146.56.128.0/18
        "168.107.1.1": ("oracle", "ap-chuncheon-1"),  # 168.107.0.0/18
    }
    for address, (provider, region) in expected.items():
        network = ranges.network(address)
        assert network is not None, address
        assert (network.provider, network.region, network.country) == (
            provider,
            region,
            "KR",
        ), address
        assert not network.edge
        # the registry data this replaces says otherwise
        assert ip_country(address) != "KR"
    seoul = ranges.network("13.124.1.1")
    assert seoul is not None
    assert seoul.label == "Amazon Web Services ap-northeast-2"
    assert seoul.organisation == "aws" and seoul.snapshot == "2026-09-10"


def test_other_bundled_regions_have_their_country(ranges: Ranges) -> None:
    for address, label, country in (
        ("13.112.1.1", "Amazon Web Services ap-northeast-1", "JP"),  # 13.112.0.0/14
        ("52.74.1.1", "Amazon Web Services ap-southeast-1", "SG"),  # 52.74.0.0/16
        ("3.120.0.1", "Amazon Web Services eu-central-1", "DE"),  # 3.120.0.0/14
        ("52.16.0.1", "Amazon Web Services eu-west-1", "IE"),  # 52.16.0.0/15
        ("35.195.1.1", "Google Cloud europe-west1", "BE"),  # 35.195.0.0/16
        ("34.84.1.1", "Google Cloud asia-northeast1", "JP"),  # 34.84.0.0/16
    ):
        network = ranges.network(address)
        assert network is not None, address
        assert (network.label, network.country) == (label, country)


def test_cdn_edges_have_no_country(ranges: Ranges) -> None:
    for address, name in (
        ("104.16.1.1", "Cloudflare edge"),
        ("2606:4700::1111", "Cloudflare edge"),
        ("151.101.1.1", "Fastly edge"),
        ("13.32.1.1", "Amazon Web Services edge"),  # CloudFront
        ("34.120.1.1", "Google Cloud edge"),  # scope global: load balancing
        ("23.32.1.1", "Akamai edge"),  # 23.32.0.0/11
    ):
        network = ranges.network(address)
        assert network is not None, address
        assert network.edge and network.country is None and network.region is None
        assert network.label == name


def test_addresses_in_no_published_range(ranges: Ranges) -> None:
    # RFC 5737 documentation ranges, a private address, garbage, nothing
    for address in ("192.0.2.1", "198.51.100.7", "203.0.113.9", "10.0.0.1"):
        assert ranges.network(address) is None
    assert ranges.network("not an address") is None
    assert ranges.network(None) is None
    assert ranges.network("") is None


def test_the_longest_prefix_wins(ranges: Ranges) -> None:
    # 15.177.76.0/24 is Seoul's, inside GLOBAL's 15.177.0.0/18 (Route 53)
    inside = ranges.network("15.177.76.10")
    outside = ranges.network("15.177.1.10")
    assert inside is not None and outside is not None
    assert (inside.region, inside.country, inside.edge) == (
        "ap-northeast-2",
        "KR",
        False,
    )
    assert outside.edge and outside.country is None
    # an IPv4-mapped IPv6 address is the IPv4 address
    mapped = ranges.network("::ffff:13.124.1.1")
    assert mapped is not None and mapped.country == "KR"


# --- users' files ------------------------------------------------------------


def _write(path: Path, data: Any) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), "utf-8")
    return path


def _where(ranges: Ranges, address: str) -> tuple[str | None, str | None, bool]:
    network = ranges.network(address)
    assert network is not None, address
    return network.provider, network.country, network.edge


def test_aws_ip_ranges_json_is_read_first(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "ip-ranges.json",
        {
            "syncToken": "1764547200",
            "createDate": "2026-12-01-00-00-00",
            "prefixes": [
                {
                    "ip_prefix": "198.51.100.0/24",
                    "region": "ap-northeast-2",
                    "service": "EC2",
                    "network_border_group": "ap-northeast-2",
                },
                {
                    "ip_prefix": "203.0.113.0/24",
                    "region": "GLOBAL",
                    "service": "CLOUDFRONT",
                    "network_border_group": "GLOBAL",
                },
                # a newer snapshot moved this block: the user's file wins
                {
                    "ip_prefix": "13.124.0.0/16",
                    "region": "us-east-1",
                    "service": "EC2",
                    "network_border_group": "us-east-1",
                },
                {
                    "ip_prefix": "192.0.2.0/24",
                    "region": "xx-nowhere-9",
                    "service": "EC2",
                    "network_border_group": "xx-nowhere-9",
                },
            ],
            "ipv6_prefixes": [
                {
                    "ipv6_prefix": "2001:db8::/32",
                    "region": "eu-central-1",
                    "service": "EC2",
                    "network_border_group": "eu-central-1",
                }
            ],
        },
    )
    ranges = Ranges.with_files([path])
    assert _where(ranges, "198.51.100.7") == ("aws", "KR", False)
    assert _where(ranges, "203.0.113.7") == ("aws", None, True)
    assert _where(ranges, "13.124.1.1") == ("aws", "US", False)
    assert _where(ranges, "2001:db8::1") == ("aws", "DE", False)
    # a region the bundled map does not place: no country, not a guess
    assert _where(ranges, "192.0.2.1") == ("aws", None, False)
    # the bundled snapshots still answer for the rest
    assert _where(ranges, "104.16.1.1") == ("cloudflare", None, True)
    first = ranges.snapshots()[0]
    assert first["provider"] == "aws" and first["date"] == "2026-12-01"
    assert first["source"] == str(path) and first["prefixes"] == 5


def test_google_cloud_json_and_goog_json(tmp_path: Path) -> None:
    cloud = _write(
        tmp_path / "cloud.json",
        {
            "syncToken": "1",
            "creationTime": "2026-12-01T00:00:00.000",
            "prefixes": [
                {
                    "ipv4Prefix": "198.51.100.0/24",
                    "service": "Google Cloud",
                    "scope": "asia-northeast3",
                },
                {
                    "ipv6Prefix": "2001:db8::/32",
                    "service": "Google Cloud",
                    "scope": "us-central1",
                },
                {
                    "ipv4Prefix": "192.0.2.0/24",
                    "service": "Google Cloud",
                    "scope": "global",
                },
            ],
        },
    )
    goog = _write(
        tmp_path / "goog.json",
        {"syncToken": "1", "prefixes": [{"ipv4Prefix": "203.0.113.0/24"}]},
    )
    ranges = Ranges.with_files([cloud, goog])
    assert _where(ranges, "198.51.100.1") == ("gcp", "KR", False)
    assert _where(ranges, "2001:db8::5") == ("gcp", "US", False)
    assert _where(ranges, "192.0.2.1") == ("gcp", None, True)
    assert _where(ranges, "203.0.113.1") == ("gcp", None, True)


def test_azure_oracle_and_fastly_files(tmp_path: Path) -> None:
    azure = _write(
        tmp_path / "ServiceTags_Public_20261201.json",
        {
            "changeNumber": 1,
            "cloud": "Public",
            "values": [
                {
                    "name": "AzureCloud.koreasouth",
                    "properties": {
                        "region": "koreasouth",
                        "addressPrefixes": ["198.51.100.0/25", "2001:db8::/48"],
                    },
                },
                {
                    "name": "AzureFrontDoor.Frontend",
                    "properties": {"region": "", "addressPrefixes": ["192.0.2.0/24"]},
                },
            ],
        },
    )
    oracle = _write(
        tmp_path / "public_ip_ranges.json",
        {
            "last_updated_timestamp": "2026-12-01T00:00:00.000000",
            "regions": [
                {
                    "region": "ap-chuncheon-1",
                    "cidrs": [{"cidr": "198.51.100.128/25", "tags": ["OCI"]}],
                }
            ],
        },
    )
    fastly = _write(
        tmp_path / "public-ip-list.json",
        {"addresses": ["203.0.113.0/24"], "ipv6_addresses": ["2001:db8:1::/48"]},
    )
    ranges = Ranges.with_files([azure, oracle, fastly])
    assert _where(ranges, "198.51.100.1") == ("azure", "KR", False)
    assert _where(ranges, "2001:db8::1") == ("azure", "KR", False)
    assert ranges.network("192.0.2.1") is None  # a tag of no region: not placed
    assert _where(ranges, "198.51.100.200") == ("oracle", "KR", False)
    assert _where(ranges, "203.0.113.9") == ("fastly", None, True)
    assert _where(ranges, "2001:db8:1::9") == ("fastly", None, True)


def test_cloudflare_lists_and_a_csv(tmp_path: Path) -> None:
    v4 = _write(tmp_path / "ips-v4", "198.51.100.0/24\n192.0.2.0/24\n")
    v6 = _write(tmp_path / "ips-v6.txt", "2001:db8::/32\n")
    csv = _write(
        tmp_path / "mine.csv",
        "cidr,country,name\n203.0.113.0/24,KR,Example IDC\n"
        "203.0.113.128/25,jp,Example IDC Tokyo\n100.64.0.0/10,,\n",
    )
    ranges = Ranges.with_files([v4, v6, csv])
    assert _where(ranges, "198.51.100.1") == ("cloudflare", None, True)
    assert _where(ranges, "2001:db8::1") == ("cloudflare", None, True)
    # the longest prefix, within a user's file
    assert _where(ranges, "203.0.113.1") == ("user", "KR", False)
    assert _where(ranges, "203.0.113.200") == ("user", "JP", False)
    tokyo = ranges.network("203.0.113.200")
    assert tokyo is not None and tokyo.label == "Example IDC Tokyo"
    assert _where(ranges, "100.64.0.1") == ("user", None, False)


def test_a_prefix_given_two_countries_has_none(tmp_path: Path) -> None:
    path = _write(tmp_path / "twice.csv", "203.0.113.0/24,KR\n203.0.113.0/24,JP\n")
    assert _where(Ranges.with_files([path]), "203.0.113.1") == ("user", None, False)
    same = _write(tmp_path / "same.csv", "203.0.113.0/24,KR,A\n203.0.113.0/24,KR,B\n")
    assert _where(Ranges.with_files([same]), "203.0.113.1") == ("user", "KR", False)


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("odd.json", '{"foo": 1}', "no known provider"),
        ("list.txt", "198.51.100.0/24\n", "neither whose nor where"),
        ("bad.csv", "198.51.100.0/24,Korea\n", "not an ISO code"),
        ("junk.csv", "198.51.100.300/24,KR\n", "198.51.100.300"),
        ("empty.csv", "# nothing\n", "no prefixes"),
        ("broken.json", '{"syncToken": "1", "prefixes": [', "Expecting"),
    ],
)
def test_a_bad_file_is_an_input_error(
    tmp_path: Path, name: str, text: str, reason: str
) -> None:
    path = _write(tmp_path / name, text)
    with pytest.raises(InputError) as caught:
        Ranges.with_files([path])
    assert caught.value.key == "scan.bad_ranges"
    assert reason in str(caught.value.params["reason"])


# --- in a scan ---------------------------------------------------------------


def _har(tmp_path: Path, ip: str, name: str = "s.har") -> Path:
    return write_har(
        tmp_path / name,
        [entry(f"https://www.{SITE}/api/login?email={quote(EMAIL)}", ip=ip)],
    )


def test_a_first_party_host_in_aws_seoul_stays_in_korea(tmp_path: Path) -> None:
    result = scan_with(_har(tmp_path, "13.124.10.20"), PERSONA, site=SITE)
    flows = [f for f in result.flows if f.data_type == "email"]
    assert flows and all(f.party == "first" for f in flows)
    assert {f.ip_country for f in flows} == {"KR"}
    assert {f.network for f in flows} == {"Amazon Web Services ap-northeast-2"}
    data = json.loads(render_json(result))
    assert data["summary"]["cross_border"] == 0
    assert not any(f["cross_border"] for f in data["flows"])
    assert {f["network"] for f in data["flows"]} == {
        "Amazon Web Services ap-northeast-2"
    }
    used = {r["provider"]: r for r in data["address_ranges"]}
    assert set(used) == set(PROVIDERS)
    assert used["aws"]["date"] == "2026-09-10" and used["aws"]["bundled"]
    html = render_html(result, lang="en", generated_at="2026-12-06T00:00:00Z")
    assert "network: Amazon Web Services ap-northeast-2" in html
    assert "⚠" not in html.split('id="flows"')[1].split("</section>")[0]


def test_a_stored_scan_keeps_the_network_and_the_snapshots(tmp_path: Path) -> None:
    from privwatch.store.records import decode_scan, encode_scan

    result = scan_with(_har(tmp_path, "13.124.10.20"), PERSONA, site=SITE)
    record = decode_scan(json.loads(json.dumps(encode_scan(result))))
    assert {f.network for f in record.flows} == {"Amazon Web Services ap-northeast-2"}
    assert {r["provider"] for r in record.address_ranges} == set(PROVIDERS)


def test_a_first_party_host_in_aws_us_east_is_still_abroad(tmp_path: Path) -> None:
    # 3.80.0.0/12 is us-east-1's; that region is not bundled, so the registry
    # country stands (US), as before
    result = scan_with(_har(tmp_path, "3.80.0.1"), PERSONA, site=SITE)
    flows = [f for f in result.flows if f.data_type == "email"]
    assert flows and {f.ip_country for f in flows} == {"US"}
    assert {f.network for f in flows} == {""}
    data = json.loads(render_json(result))
    assert data["summary"]["cross_border"] == len(data["flows"]) > 0


def test_a_cdn_edge_alone_claims_no_transfer(tmp_path: Path) -> None:
    result = scan_with(_har(tmp_path, "104.16.1.1"), PERSONA, site=SITE)
    flows = [f for f in result.flows if f.data_type == "email"]
    assert flows and {f.ip_country for f in flows} == {None}
    assert {f.network for f in flows} == {"Cloudflare edge"}
    data = json.loads(render_json(result))
    assert data["summary"]["cross_border"] == 0
    # the terminal table names the network beside the (unknown) country
    from rich.console import Console

    console = Console(record=True, width=200)
    render_table(result, console, lang="en")
    assert "? (Cloudflare edge)" in console.export_text()


def _privwatch(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRIVWATCH_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "privwatch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_scan_ranges_option(tmp_path: Path) -> None:
    har = _har(tmp_path, "3.80.0.1")
    mine = _write(
        tmp_path / "ip-ranges.json",
        {
            "syncToken": "1",
            "createDate": "2026-12-01-00-00-00",
            "prefixes": [
                {
                    "ip_prefix": "3.80.0.0/12",
                    "region": "us-east-1",
                    "service": "EC2",
                    "network_border_group": "us-east-1",
                }
            ],
            "ipv6_prefixes": [],
        },
    )
    done = _privwatch(
        "scan", str(har), "--site", SITE, "--format", "json", "--ranges", str(mine)
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {f["network"] for f in data["flows"]} == {"Amazon Web Services us-east-1"}
    assert {f["ip_country"] for f in data["flows"]} == {"US"}
    assert data["address_ranges"][0]["source"] == str(mine)

    bad = _write(tmp_path / "odd.json", '{"foo": 1}')
    for lang, start in (
        ("en", "privwatch: cannot read address ranges"),
        ("ko", "privwatch: 주소 대역 파일"),
    ):
        refused = _privwatch(
            "scan", str(har), "--site", SITE, "--ranges", str(bad), lang=lang
        )
        assert refused.returncode == 2
        assert refused.stderr.startswith(start), refused.stderr
        assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
