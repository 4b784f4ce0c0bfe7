"""A tracker behind the audited site's own name (a CNAME such as smetrics.<site>,
a server-side tag container on sst.<site>) is attributed to the tracker, party
third, with its evidence; look-alike first-party requests stay first party and
the tracker's own domains keep their attribution."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from privwatch.attribution.cloak import by_address, signatures
from tests.hars import EMAIL, PERSONA, cloaked_entries, entry, scan_with, write_har

SITE = "shop.example.kr"  # the site of cloaked_entries()


@pytest.fixture
def result(tmp_path: Path) -> Any:
    har = write_har(tmp_path / "cloaked.har", cloaked_entries())
    return scan_with(har, {**PERSONA}, site=SITE)


def email_flows(result: Any, index: int) -> list[Any]:
    found = [
        f
        for f in result.flows
        if f.entry_index == index and f.data_type == "email" and f.source == "persona"
    ]
    assert found, f"no e-mail found in request {index}"
    return found


@pytest.mark.parametrize(
    ("index", "organisation", "cloaked"),
    [
        (0, "Adobe Inc.", "adobe-analytics:b-ss"),
        (1, "Google LLC", "google-analytics:g-collect"),
        (2, "Amplitude, Inc.", "amplitude:httpapi"),
    ],
)
def test_tracker_protocol_on_first_party_name_is_the_tracker(
    result: Any, index: int, organisation: str, cloaked: str
) -> None:
    for flow in email_flows(result, index):
        assert flow.organization == organisation
        assert flow.org_country == "US"
        assert flow.party == "third"
        assert flow.cloaked == cloaked
        assert flow.host.endswith(SITE)


@pytest.mark.parametrize("index", [3, 4, 5, 6, 7, 8])
def test_look_alikes_of_the_sites_own_stay_first_party(result: Any, index: int) -> None:
    for flow in email_flows(result, index):
        assert flow.party == "first"
        assert flow.cloaked == ""
        assert flow.organization is None  # the site is in no registry entry


@pytest.mark.parametrize(
    ("index", "organisation"), [(9, "Adobe Inc."), (10, "Meta Platforms, Inc.")]
)
def test_trackers_own_domains_keep_their_attribution(
    result: Any, index: int, organisation: str
) -> None:
    for flow in email_flows(result, index):
        assert flow.organization == organisation
        assert flow.party == "third"
        assert flow.cloaked == ""


def test_a_trackers_own_site_is_not_cloaked_from_itself(tmp_path: Path) -> None:
    """Adobe Analytics on smetrics.adobe.com is Adobe's first party."""
    har = write_har(
        tmp_path / "adobe.har",
        [
            entry(
                f"https://smetrics.adobe.com/b/ss/adbadobe/1/s1?AQB=1&v1={quote(EMAIL)}"
            )
        ],
    )
    flows = email_flows(scan_with(har, {**PERSONA}, site="www.adobe.com"), 0)
    assert {(f.party, f.cloaked, f.organization) for f in flows} == {
        ("first", "", "Adobe Inc.")
    }


def test_the_cloaked_host_is_still_the_sites_host(result: Any) -> None:
    assert f"smetrics.{SITE}" in result.first_party
    assert f"sst.{SITE}" in result.first_party


def test_ua_and_meta_signatures_need_all_their_parameters() -> None:
    match = signatures().match
    hit = "v=1&tid=UA-12345-1&cid=5&t=pageview"
    assert match("/j/collect", hit).cloaked == "google-analytics:ua-collect"
    assert match("/collect", "", hit, "application/x-www-form-urlencoded")
    assert match("/collect", "v=1&tid=UA-12345-1&cid=5") is None  # no hit type
    assert match("/tr/", "id=1234567890&ev=PageView").cloaked == "meta-pixel:tr"
    assert match("/tr", "id=abc&ev=PageView") is None
    assert match("/tracking", "id=1234567890&ev=PageView") is None
    assert match(
        "/ee/irl1/v1/interact", "configId=" + "0" * 8 + "-0000" * 3 + "-" + "0" * 12
    )
    assert match("/ee/v1/interact", "configId=shop") is None


def test_adobe_link_tracking_post_without_query_string_is_adobes(
    tmp_path: Path,
) -> None:
    """AppMeasurement's beacon (useBeacon, exit links, long hits): POST to
    /b/ss/... with the parameters as a text/plain body and no query string."""
    body = f"AQB=1&ndh=1&pe=lnk_o&pev2=checkout&v20={quote(EMAIL)}&AQE=1"
    har = write_har(
        tmp_path / "beacon.har",
        [
            entry(
                f"https://smetrics.{SITE}/b/ss/shopprod/1/JS-2.22.4/s98765",
                method="POST",
                body=body,
                mime="text/plain;charset=UTF-8",
            ),
            # a text/plain body without AQB on the same path: the site's own
            entry(
                f"https://www.{SITE}/b/ss/banner/1/s1",
                method="POST",
                body=f"e={quote(EMAIL)}",
                mime="text/plain;charset=UTF-8",
            ),
        ],
    )
    result = scan_with(har, {**PERSONA}, site=SITE)
    assert {(f.organization, f.party, f.cloaked) for f in email_flows(result, 0)} == {
        ("Adobe Inc.", "third", "adobe-analytics:b-ss")
    }
    assert {(f.party, f.cloaked) for f in email_flows(result, 1)} == {("first", "")}
    match = signatures().match
    assert match("/b/ss/r/1/s1", "", body, "text/plain")
    assert match("/b/ss/r/1/s1", "", body, "")  # no type recorded
    assert match("/b/ss/r/1/s1", "", body, "application/json") is None
    assert match("/b/ss/r/1/s1", "", '{"AQB": "1"}', "text/plain") is None


def test_every_signature_names_a_registry_organisation_and_a_source() -> None:
    from privwatch.attribution import Registry
    from privwatch.attribution.cloak import TrackerEndpoints
    from privwatch.yamlfile import packaged

    registry = Registry.builtin()
    for signature in signatures():
        assert registry.organisation(signature.organisation).country
        assert signature.marker and signature.shown
    data = packaged(
        "privwatch.attribution", "data/tracker_endpoints.yaml", TrackerEndpoints
    )
    for tracker in data["trackers"]:
        for item in tracker["signatures"]:
            assert item["sources"] and all(
                s.startswith("https://") for s in item["sources"]
            )
    assert len(signatures()) >= 6


def _ranges_csv(tmp_path: Path) -> Path:
    """A user's ranges file: a tracker's own range, a CDN's and a range
    whose organisation the registry does not know."""
    path = tmp_path / "tracker-ranges.csv"
    path.write_text(
        "cidr,country,name,organisation\n"
        "192.0.2.0/24,US,Adobe data collection,adobe\n"
        "198.51.100.0/24,,Cloudflare edge copy,cloudflare\n"
        "203.0.113.0/24,KR,someone,no-such-org\n"
        "100.64.0.0/24,KR,plain range\n",
        encoding="utf-8",
    )
    return path


def test_by_address_needs_a_trackers_own_range_from_a_users_file(
    tmp_path: Path,
) -> None:
    from privwatch.attribution import Registry
    from privwatch.attribution.ranges import Ranges

    ranges = Ranges.with_files([_ranges_csv(tmp_path)])
    registry = Registry.builtin()
    assert by_address("192.0.2.7", ranges, registry) == ("range:adobe", "adobe")
    assert by_address("198.51.100.7", ranges, registry) is None  # a CDN's range
    assert by_address("203.0.113.7", ranges, registry) is None  # owner unknown
    assert by_address("100.64.0.7", ranges, registry) is None  # no organisation
    assert by_address("34.80.0.1", ranges, registry) is None  # Google Cloud, bundled
    assert by_address(None, ranges, registry) is None
    assert by_address("192.0.2.7", Ranges.builtin(), registry) is None


def test_a_first_party_host_in_a_trackers_range_is_the_trackers(
    tmp_path: Path,
) -> None:
    """No signature at all (a plain /events POST): the address alone, in the
    range a user's file gives Adobe, makes the host Adobe's; the same request
    on a cloud address (AWS Seoul, Google Cloud) stays the site's."""
    from privwatch.attribution import Registry
    from privwatch.attribution.ranges import Ranges
    from privwatch.detectors import DetectorRegistry
    from privwatch.traffic.persona import Persona
    from privwatch.traffic.scan import scan_har

    body = json.dumps({"email": EMAIL})
    har = write_har(
        tmp_path / "ranges.har",
        [
            entry(
                f"https://metrics.{SITE}/events",
                method="POST",
                body=body,
                ip="192.0.2.40",
            ),  # fmt: skip
            entry(
                f"https://api.{SITE}/events", method="POST", body=body, ip="34.80.0.9"
            ),  # fmt: skip
            entry(
                f"https://cdn.{SITE}/events",
                method="POST",
                body=body,
                ip="198.51.100.9",
            ),  # fmt: skip
        ],
    )
    result = scan_har(
        har,
        site=SITE,
        detectors=DetectorRegistry.builtin(),
        registry=Registry.builtin(),
        persona=Persona.model_validate(PERSONA),
        ranges=Ranges.with_files([_ranges_csv(tmp_path)]),
    )
    assert {(f.organization, f.party, f.cloaked) for f in email_flows(result, 0)} == {
        ("Adobe Inc.", "third", "range:adobe")
    }
    for index in (1, 2):
        assert {(f.party, f.cloaked) for f in email_flows(result, index)} == {
            ("first", "")
        }


def test_a_ranges_line_with_a_bad_organisation_is_bad_input(tmp_path: Path) -> None:
    from privwatch.attribution.ranges import Ranges
    from privwatch.errors import InputError

    path = tmp_path / "bad.csv"
    path.write_text("192.0.2.0/24,US,Adobe,Adobe Inc.\n", encoding="utf-8")
    with pytest.raises(InputError):
        Ranges.with_files([path])


def test_say_versus_do_treats_cloaked_flows_as_third_party_disclosures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The policy names Meta as a recipient of the e-mail and never Adobe: the
    cloaked Meta pixel is a clear disclosure (the tracker, not the site's name,
    is matched to the recipient), the cloaked Adobe hit an omitted one, though
    the policy says the site itself collects the e-mail."""
    import hashlib

    from tests.hars import write_persona
    from tests.test_consistency import EN_POLICY, audit

    policy = tmp_path / "policy.md"
    policy.write_text(EN_POLICY, "utf-8")
    site = "harborgoods.example"
    sha = hashlib.sha256(EMAIL.encode()).hexdigest()
    har = write_har(
        tmp_path / "s.har",
        [
            entry(f"https://fb.{site}/tr/?id=1234567890&ev=Lead&ud[em]={sha}"),
            entry(
                f"https://smetrics.{site}/b/ss/harbor/1/s9?AQB=1&v1={quote(EMAIL)}&AQE=1"
            ),
        ],
    )
    data = audit(capsys, policy, har, write_persona(tmp_path / "p.yaml"), site)
    records = {
        (c["data_type"], c["organization"]): (c["party"], c["class"])
        for c in data["consistency"]
    }
    assert records[("email", "Meta Platforms, Inc.")] == ("third", "clear")
    assert records[("email", "Adobe Inc.")] == ("third", "omitted")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_json_table_and_html_show_the_cloaked_flows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    from tests.hars import write_persona
    from tests.test_cli import run

    har = write_har(tmp_path / "cloaked.har", cloaked_entries())
    persona = write_persona(tmp_path / "p.yaml")
    args = ["--lang", lang, "scan", str(har), "--persona", str(persona), "--site", SITE]

    code, out, err = run([*args, "-f", "json"], capsys)
    assert code == 0, err
    flows = json.loads(out)["flows"]
    assert {f["cloaked"] for f in flows if f["host"] == f"smetrics.{SITE}"} == {
        "adobe-analytics:b-ss"
    }
    assert {f["cloaked"] for f in flows if f["host"] == f"api.{SITE}"} == {""}
    assert "Adobe Inc." in json.loads(out)["summary"]["third_party_organizations"]

    code, out, err = run(args, capsys)
    assert code == 0, err
    # the party cell (which the table may wrap), not the line under it
    assert ("제3자" if lang == "ko" else "(cloak") in out
    assert f"smetrics.{SITE}: Adobe Analytics" in out

    target = tmp_path / "scan.html"
    code, _, err = run([*args, "-f", "html", "-o", str(target)], capsys)
    assert code == 0, err
    page = target.read_text("utf-8")
    badge = "자사 도메인으로 위장" if lang == "ko" else "cloaked as first party"
    assert badge in page
    assert "Adobe Analytics" in page and f"smetrics.{SITE}" in page
    assert EMAIL not in page


def test_a_real_session_cnns_metrics_host_is_adobe(shared: Path) -> None:
    """cnn-chrome.har (../shared, recorded in 2017): metrics.cnn.com, a name of
    the site's own, receives AppMeasurement's /b/ss/ hits with the visitor's
    fallback id (fid); they are Adobe's, and no other cnn.com request is
    taken for a tracker's."""
    fid = "50BE90632897EBCB-2CB52C45CEB3671B"
    result = scan_with(
        shared / "traffic" / "cnn-chrome.har", {"device_ids": [fid]}, site="cnn.com"
    )
    found = {
        (f.host, f.organization, f.party, f.cloaked)
        for f in result.flows
        if f.source == "persona"
    }
    assert ("metrics.cnn.com", "Adobe Inc.", "third", "adobe-analytics:b-ss") in found
    cloaked = {f.host for f in result.flows if f.cloaked}
    assert cloaked == {"metrics.cnn.com"}
    assert "metrics.cnn.com" in result.first_party


def test_the_dashboard_marks_a_stored_cloaked_flow(tmp_path: Path) -> None:
    """A stored scan keeps Flow.cloaked; the platform page's rows read it."""
    from privwatch.report.flows import scan_to_dict
    from privwatch.store import Store
    from privwatch.store.platforms import platform_rows
    from privwatch.web.queries import scan_views

    har = write_har(tmp_path / "cloaked.har", cloaked_entries())
    with Store(f"sqlite:///{tmp_path / 'pw.db'}") as store:
        store.add_platform("Shop", country="KR")
        store.add_scan(
            "Shop",
            "cloaked.har",
            "0" * 64,
            scan_to_dict(scan_with(har, {**PERSONA}, site=SITE)),
        )
        (platform,) = platform_rows(store)
        (view,) = scan_views(store, platform.id)
    parties = {(row.organization, row.party) for row in view.flows}
    assert ("Adobe Inc.", "cloaked") in parties  # smetrics.<site>
    assert ("Adobe Inc.", "third") in parties  # its own sc.omtrdc.net
    assert ("Meta Platforms, Inc.", "third") in parties


def test_a_registry_without_the_tracker_says_third_party_owner_unknown(
    tmp_path: Path,
) -> None:
    """A user's registry that lacks Adobe: the request is still no longer the
    site's (party third, with its evidence), but its owner is not guessed."""
    from privwatch.attribution import Registry
    from privwatch.detectors import DetectorRegistry
    from privwatch.traffic.persona import Persona
    from privwatch.traffic.scan import scan_har

    har = write_har(tmp_path / "cloaked.har", cloaked_entries()[:1])
    registry = Registry(
        [{"id": "shop", "name": "Shop", "country": "KR", "domains": [SITE]}]
    )
    result = scan_har(
        har,
        site=SITE,
        detectors=DetectorRegistry.builtin(),
        registry=registry,
        persona=Persona.model_validate(PERSONA),
    )
    flows = email_flows(result, 0)
    assert {(f.organization, f.org_country, f.party, f.cloaked) for f in flows} == {
        (None, None, "third", "adobe-analytics:b-ss")
    }
