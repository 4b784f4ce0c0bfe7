"""The data files lawyers and analysts edit: loadable, consistent, sourced."""

from __future__ import annotations

import re
from importlib import resources
from urllib.parse import urlsplit

import pytest
import yaml

from privwatch.attribution import Registry, country_profiles, registrable_domain
from privwatch.consistency.match import country_note

CODE = re.compile(r"^[A-Z]{2}$")


def _organisations() -> list[dict]:
    path = resources.files("privwatch.attribution").joinpath("data/organisations.yaml")
    return yaml.safe_load(path.read_text("utf-8"))["organisations"]


# ISO 3166-1 alpha-2 codes officially assigned, as tzdata's iso3166.tab lists
# them (current as of ISO/TC 46 N1108, 2023-04-05; that file is public domain).
_ISO_CODES = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL
GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM
JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP
NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD
SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
ISO_3166 = frozenset(_ISO_CODES.split())
CATEGORIES = {
    "platform", "advertising", "analytics", "measurement", "cdn", "cloud",
    "payments", "social", "search", "messaging", "customer-support",
    "fraud-prevention", "consent-management", "other",
}  # fmt: skip
ORG_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_organisation_ids_are_unique_and_parents_exist_without_cycles() -> None:
    entries = _organisations()
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    parents = {e["id"]: e.get("parent") for e in entries}
    for entry in entries:
        assert ORG_ID.match(entry["id"]), entry["id"]
        assert entry.get("parent") in (None, *ids), entry["id"]
        seen, node = set(), entry["id"]
        while node is not None:
            assert node not in seen, f"parent cycle through {entry['id']}"
            seen.add(node)
            node = parents[node]


def test_every_domain_is_one_entrys_registrable_domain() -> None:
    """eTLD+1 by tldextract's bundled Public Suffix List (no fallback for an
    unlisted suffix), lower case, in one entry only."""
    import tldextract

    extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    domains = [d for e in _organisations() for d in e.get("domains") or []]
    assert len(domains) == len(set(domains)), "a domain belongs to one organisation"
    for domain in domains:
        parts = extract(domain)
        assert parts.suffix and parts.domain and not parts.subdomain, domain
        assert f"{parts.domain}.{parts.suffix}" == domain == domain.lower(), domain
        assert registrable_domain(domain) == domain, domain


def test_every_organisation_has_iso_country_category_and_source_urls() -> None:
    for entry in _organisations():
        assert entry["country"] in ISO_3166, entry["id"]
        assert entry["category"] in CATEGORIES, entry["id"]
        assert entry.get("name"), entry["id"]
        assert entry.get("sources"), entry["id"]
        for source in entry["sources"]:
            url = urlsplit(source)
            assert url.scheme in ("http", "https") and url.netloc, (entry["id"], source)


def test_the_registry_answers_from_the_file() -> None:
    registry = Registry.builtin()
    assert registry.lookup("ae01.alicdn.com").root == "alibaba"
    assert registry.lookup("connect.facebook.net").country == "US"


@pytest.mark.parametrize(
    ("host", "org", "root", "country"),
    [
        ("wcs.naver.net", "naver", "naver", "KR"),
        ("ssl.pstatic.net", "naver", "naver", "KR"),
        ("t1.daumcdn.net", "kakao", "kakao", "KR"),
        ("t1.kakaocdn.net", "kakao", "kakao", "KR"),
        ("static.dable.io", "dable", "dable", "KR"),
        ("www.mobon.net", "enliple", "enliple", "KR"),
        ("tk.mediacategory.com", "enliple", "enliple", "KR"),
        ("astg.widerplanet.com", "widerplanet", "widerplanet", "KR"),
        ("ad.cauly.co.kr", "futurestream-networks", "futurestream-networks", "KR"),
        ("static.groobee.net", "platier", "platier", "KR"),
        ("rum.beusable.net", "4grit", "4grit", "KR"),
        ("acecounter.com", "nhn", "nhn", "KR"),
        ("img.echosting.cafe24.com", "cafe24", "cafe24", "KR"),
        ("sdk.airbridge.io", "ab180", "ab180", "KR"),
        ("cdn.channel.io", "channel-corp", "channel-corp", "KR"),
        ("ads-partners.coupang.com", "coupang-corp", "coupang-inc", "KR"),
        ("browser-intake-datadoghq.com", "datadog", "datadog", "US"),
        ("cdn.krxd.net", "salesforce-dmp", "salesforce", "US"),
        ("cdns.us1.gigya.com", "sap", "sap", "DE"),
        ("secure-us.imrworldwide.com", "nielsen", "nielsen", "US"),
        ("cdn.clicktale.net", "contentsquare", "contentsquare", "FR"),
        ("bea4.v.fwmrm.net", "freewheel", "comcast", "US"),
        ("www.google.bg", "google", "alphabet", "US"),
        ("native.sharethrough.com", "sharethrough", "equativ", "CA"),
    ],
)
def test_hosts_attribute_to_their_organisation_and_group(
    host: str, org: str, root: str, country: str
) -> None:
    found = Registry.builtin().lookup(host)
    assert found is not None, host
    assert (found.id, found.root, found.country) == (org, root, country)


def test_country_profiles_are_sourced_and_neutral() -> None:
    profiles = country_profiles()
    assert profiles, "country_profiles.yaml is shipped"
    for code, profile in profiles.items():
        assert CODE.match(code), code
        for law in profile.get("state_access_laws") or []:
            assert law.get("sources"), (code, law)
    note = country_note(profiles["CN"], "en")
    assert "EU adequacy decision: no" in note and "Intelligence" in note
    assert "EU adequacy decision: yes" in country_note(profiles["JP"], "en")
    assert "EU 적정성 결정: 있음" in country_note(profiles["JP"], "ko")
    assert "EU adequacy decision: yes (limited scope)" in country_note(
        profiles["US"], "en"
    )
    assert "PIPC equivalence recognition: yes" in country_note(profiles["DE"], "en")


def _extract_data(name: str) -> dict:
    path = resources.files("privwatch.extract").joinpath(f"data/{name}")
    return yaml.safe_load(path.read_text("utf-8"))


def test_jurisdictions_are_consistent() -> None:
    """Each place phrase names one place; "US" (which matches "us") is never a
    phrase; every regime's place is a region too; the file says its sources."""
    path = resources.files("privwatch.extract").joinpath("data/jurisdictions.yaml")
    assert "Sources:" in path.read_text("utf-8")
    data = _extract_data("jurisdictions.yaml")
    phrases = [
        p.lower()
        for entry in data["regions"].values()
        for p in [*entry.get("en", []), *entry.get("ko", [])]
    ]
    assert len(phrases) == len(set(phrases))
    assert "us" not in phrases
    assert set(data["regime"]) <= set(data["regions"])


def test_every_category_role_is_one_of_the_rules_roles() -> None:
    """Roles decide which rule judges a recipient (17, 26, neither): a phrase
    has one role, and the roles are the ones the extractor knows."""
    roles = _extract_data("vocabulary.yaml")["category_roles"]
    assert set(roles) == {"outsourcing", "legal", "transaction", "users"}
    phrases = [
        p.lower() for entry in roles.values() for p in [*entry["en"], *entry["ko"]]
    ]
    assert len(phrases) == len(set(phrases))
