"""The site's own contacts read from its pages (data/site_contacts.yaml)."""

from __future__ import annotations

import pytest

from privwatch.detectors import DetectorRegistry
from privwatch.traffic.contacts import SiteContacts, contact_key, owner_field
from privwatch.traffic.persona import Persona


def contacts(persona: dict | None = None) -> SiteContacts:
    return SiteContacts(
        Persona.model_validate(persona) if persona is not None else None,
        list(DetectorRegistry.builtin()),
    )


def test_contact_keys() -> None:
    assert contact_key("02-1588-0123") == contact_key("+82 2-1588-0123") == "0215880123"
    assert contact_key("CS@Shop.Example.kr") == "cs@shop.example.kr"
    assert contact_key("서울 강남구") is None


def test_a_labelled_number_or_the_footer_counts_user_data_does_not() -> None:
    site = contacts({"phone": "010-2345-6789"})
    site.read_page(
        "<script>var x='02-6388-0001'</script>"  # a script: not shown
        "<p>휴대폰: 010-3456-7890</p>"  # the user's, on an account page
        "<p>고객센터 : 02-6388-0002</p>"  # labelled
        "<footer>010-2345-6789 help@shop.example.kr</footer>"  # the persona's: never
    )
    assert site.known == {"0263880002", "help@shop.example.kr"}
    assert site.from_pages == 2


def test_a_persona_value_is_never_a_site_contact() -> None:
    site = contacts({"email": "me@example.org", "site_contacts": ["me@example.org"]})
    assert site.known == set()
    text = "email=me@example.org"
    assert not site.drops("email", "me@example.org", (0, "body", ""), text, 6)


@pytest.mark.parametrize(
    "key, owned",
    [
        ("shopTel", True),
        ("cs_phone", True),
        ("store.tel", True),
        ("sellerEmail", True),
        ("판매자연락처", True),
        ("customer_center_tel", True),
        ("customercenter", True),
        ("customer_tel", False),
        ("company_tel", False),  # the user's work phone on a sign-up form
        ("hp", False),
    ],
)
def test_owner_fields(key: str, owned: bool) -> None:
    assert owner_field(key) is owned


def test_a_number_in_a_field_named_as_the_shops_is_dropped() -> None:
    site = contacts()
    text = "shopTel: 02-6388-0002"
    assert site.drops("phone", "02-6388-0002", (0, "query", "shopTel"), text, 9)
    text = '{"hp": "02-6388-0002"}'
    assert not site.drops("phone", "02-6388-0002", (0, "body", ""), text, 8)


def test_page_text_drops_scripts_tags_and_unclosed_scripts() -> None:
    """A script's text is not shown; an unclosed <script> hides the rest."""
    from privwatch.traffic.contacts import page_text

    assert page_text("<p>a</p><script>x='<p>02</p>'</script>b &amp; c <x") == (
        " a b & c <x"
    )
    assert page_text("<script" * 50_000 + "</script>z") == " z"
