"""The data files lawyers and analysts edit: loadable, consistent, sourced."""

from __future__ import annotations

import re
from importlib import resources

import yaml

from privwatch.attribution import Registry, country_profiles, registrable_domain
from privwatch.consistency.match import country_note

CODE = re.compile(r"^[A-Z]{2}$")


def _organisations() -> list[dict]:
    path = resources.files("privwatch.attribution").joinpath("data/organisations.yaml")
    return yaml.safe_load(path.read_text("utf-8"))["organisations"]


def test_organisation_registry_is_consistent_and_sourced() -> None:
    entries = _organisations()
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    domains = [d for e in entries for d in e.get("domains") or []]
    assert len(domains) == len(set(domains)), "a domain belongs to one organisation"
    for entry in entries:
        assert entry.get("parent") in (None, *ids), entry["id"]
        assert CODE.match(entry["country"]), entry["id"]
        assert entry.get("sources"), entry["id"]
        for domain in entry.get("domains") or []:
            assert registrable_domain(domain) == domain, domain
    registry = Registry.builtin()
    assert registry.lookup("ae01.alicdn.com").root == "alibaba"
    assert registry.lookup("connect.facebook.net").country == "US"


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
