"""False-positive controls (issue 19, deliver 6) on generated HARs: numbers in
order, SKU and cache-buster fields are not personal data while the same digits
in a field of their kind are; the site's own contacts (from its pages or the
persona's ``site_contacts``) are left out, the user's own values never."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from privwatch.traffic.scan import Flow
from tests.hars import (
    SHOP,
    SHOP_BRN,
    SHOP_EMAIL,
    SHOP_PHONE,
    USER_PHONE,
    false_positive_entries,
    page,
    scan_with,
    shop_page,
    write_har,
)
from tests.test_cli import run


@pytest.fixture(scope="module")
def har(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fp")
    return write_har(folder / "fp.har", false_positive_entries())


def detector_flows(flows: list[Flow], index: int) -> set[tuple[str, str]]:
    """(data type, last four characters of the masked value) of the detector
    flows of entry ``index``."""
    return {
        (f.data_type, f.masked[-4:])
        for f in flows
        if f.entry_index == index and f.source == "detector"
    }


def test_numbers_in_identifier_fields_are_not_reported(har: Path) -> None:
    flows = scan_with(har, {}).flows
    for index in range(5):  # order no., SKU, order id, 주문번호/ORD-, cache buster
        assert detector_flows(flows, index) == set(), index


def test_the_same_digits_in_their_own_field_are(har: Path) -> None:
    flows = scan_with(har, {}).flows
    assert detector_flows(flows, 5) == {("phone", "5678")}  # hp=01012345678
    assert {t for t, _ in detector_flows(flows, 6)} == {"card", "rrn"}
    assert detector_flows(flows, 7) == {("phone", "4321")}  # order_tel


def test_the_shops_contacts_from_its_page_are_left_out(har: Path) -> None:
    result = scan_with(har, {})
    # the user's phone shown on the account page is no contact of the shop
    assert detector_flows(result.flows, 9) == {("phone", "6789")}
    assert detector_flows(result.flows, 10) == set()
    notes = dict(result.warnings)
    # the shop's tel, e-mail and business number in the body, its tel in a query
    assert notes["scan.site_contacts"] == {"count": 4, "contacts": 3}


def test_the_persona_is_reported_beside_the_shops_contacts(har: Path) -> None:
    persona = {"phone": USER_PHONE, "site_contacts": [USER_PHONE]}
    flows = [f for f in scan_with(har, persona).flows if f.entry_index == 9]
    assert {(f.data_type, f.source) for f in flows} == {("phone", "persona")}


def test_persona_site_contacts_without_a_page(tmp_path: Path) -> None:
    entries = false_positive_entries()[9:]  # no page: nothing learnt from it
    path = write_har(tmp_path / "nopage.har", entries)
    plain = detector_flows(scan_with(path, {}).flows, 0)
    assert {"email", "brn", "phone"} == {t for t, _ in plain}, (
        "control: without site_contacts the shop's values are reported"
    )
    told = scan_with(path, {"site_contacts": [SHOP_PHONE, SHOP_EMAIL, SHOP_BRN]})
    assert detector_flows(told.flows, 0) == {("phone", "6789")}
    assert detector_flows(told.flows, 1) == set()


def test_the_count_is_in_the_scan_json(har: Path, capsys) -> None:
    code, out, err = run(
        ["scan", str(har), "--site", "shop.example.kr", "-f", "json"], capsys
    )
    assert code == 0, err
    notes = [
        w for w in json.loads(out)["warnings"] if w["warning"] == "scan.site_contacts"
    ]
    assert notes == [{"warning": "scan.site_contacts", "count": "4", "contacts": "3"}]
    assert "site_contacts" in err  # the note on stderr says where to check


def test_a_page_the_recorder_kept_in_base64_is_read(tmp_path: Path) -> None:
    import base64

    shop = page(f"{SHOP}/", shop_page())
    content = shop["response"]["content"]
    content["text"] = base64.b64encode(content["text"].encode()).decode()
    content["encoding"] = "base64"
    path = write_har(tmp_path / "b64.har", [shop, *false_positive_entries()[9:]])
    result = scan_with(path, {})
    assert detector_flows(result.flows, 1) == {("phone", "6789")}
    assert dict(result.warnings)["scan.site_contacts"]["contacts"] == 3


def test_a_request_before_the_page_is_judged_when_the_scan_ends(
    tmp_path: Path,
) -> None:
    """The chat widget's request comes first: its body's one phone flow was
    the shop's (first in the body), replaced by the user's when the page later
    shows the shop's number."""
    entries = false_positive_entries()
    path = write_har(tmp_path / "late.har", [entries[9], entries[8], entries[10]])
    result = scan_with(path, {})
    assert detector_flows(result.flows, 0) == {("phone", "6789")}
    assert detector_flows(result.flows, 2) == set()
    assert dict(result.warnings)["scan.site_contacts"] == {"count": 4, "contacts": 3}


@pytest.mark.parametrize(
    "name, site",
    [
        ("cnn.har", "cnn.com"),
        ("cnn-chrome.har", "cnn.com"),
        ("humanssuck.net.har", "humanssuck.net"),
    ],
)
def test_real_traffic_has_no_detector_findings(
    shared: Path, name: str, site: str
) -> None:
    """No personal data was planted in ../shared/traffic: a persona-less scan
    reports nothing from its detectors (cnn.har sent a Luhn-valid 16-digit
    order id, ``prx_ord``, that was reported as a card)."""
    path = shared / "traffic" / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    flows = scan_with(path, {}, site=site).flows
    assert [f for f in flows if f.source == "detector"] == []


def test_a_field_named_as_the_shops_is_left_out(tmp_path: Path) -> None:
    from tests.hars import entry

    path = write_har(
        tmp_path / "owner.har",
        [
            entry(
                "https://log.tracker.example/cfg?shopTel=02-6388-0002"
                "&cs_email=help%40shop.example.kr&customer_tel=010-3456-7890"
            )
        ],
    )
    result = scan_with(path, {})
    assert detector_flows(result.flows, 0) == {("phone", "7890")}
    assert dict(result.warnings)["scan.site_contacts"]["count"] == 2


def test_a_sku_written_like_a_phone_and_a_coupon_beside_a_customs_code(
    tmp_path: Path,
) -> None:
    """A SKU with a phone's separators is the shop's identifier, a coupon
    code beside a ``pccc`` key is no customs code; the customs code in its own
    field, a phone in any other field and the persona's own number in a SKU
    field are still reported."""
    from tests.hars import PERSONA, entry

    body = {
        "items": [{"sku": "010-9876-5432", "qty": 1}, {"sku": "010-2345-6789"}],
        "receiver": {"memo": "010-5555-1234"},
        "pccc": "P123456789012",
        "couponNo": "P998877665544",
    }
    har = write_har(
        tmp_path / "order.har",
        [
            entry(
                f"https://api.{SHOP}/v2/orders",
                method="POST",
                body=json.dumps(body),
            )
        ],
    )
    flows = scan_with(har, {**PERSONA}, site=SHOP).flows
    assert detector_flows(flows, 0) == {
        ("phone", "1234"),
        ("customs_code", "9012"),
    }
    persona = {(f.data_type, f.masked[-4:]) for f in flows if f.source == "persona"}
    assert ("phone", "6789") in persona  # the persona's own number, in a SKU field
