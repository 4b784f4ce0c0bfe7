"""Say versus do: every consistency class, in Korean (the worked example under
examples/nuri-market) and in English (a policy and session written here)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.conftest import ROOT
from tests.hars import entry, write_har, write_persona
from tests.test_cli import assert_one_line_error, run

EXAMPLE = ROOT / "examples" / "nuri-market"

EN_POLICY = """# Harbor Goods Privacy Policy

## 1. Information we collect

Required: your name, email address and phone number. Optional: advertising identifier.

## 2. Sharing your information

| Recipient | Recipient's purpose | Items | Retention period |
|---|---|---|---|
| Meta Platforms, Inc. | Measuring advertising | Email address (hashed) | 1 year from the date of sharing |

We may share your advertising identifier with advertising partners to measure our campaigns.

We do not collect or share your resident registration number.

## 3. International transfers

We transfer your name and email address to Cloudnine Hosting Inc. in the United States for storage, by network transmission when you use the service, under Article 28-8(1)3 of PIPA. Contact: privacy@cloudnine.example. The data is kept until you close your account. You may refuse the transfer.
"""


def audit(
    capsys, policy: Path, har: Path, persona: Path, site: str, *extra: str
) -> dict:
    code, out, err = run(
        [
            "audit",
            str(policy),
            "--traffic",
            str(har),
            "--persona",
            str(persona),
            "--site",
            site,
            "-f",
            "json",
            *extra,
        ],
        capsys,
    )
    assert code == 0, err
    return json.loads(out)


def classes(data: dict) -> dict[tuple[str, str], str]:
    return {
        (c["data_type"], c["organization"] or c["host"]): c["class"]
        for c in data["consistency"]
    }


def korean_example(capsys) -> dict:
    """The audit JSON of the worked example in examples/nuri-market."""
    return audit(
        capsys,
        EXAMPLE / "privacy-ko.md",
        EXAMPLE / "session.har",
        EXAMPLE / "persona.yaml",
        "nurimarket.example",
        "--domestic",
    )


def test_korean_example_has_every_class(capsys) -> None:
    data = korean_example(capsys)
    found = classes(data)
    assert found[("email", "Meta Platforms, Inc.")] == "clear"
    assert found[("device_id", "Google LLC")] == "vague"
    assert found[("phone", "Alibaba Group Holding Limited")] == "omitted"
    assert found[("rrn", "api.idcheck-vendor.example")] == "incorrect"
    assert (
        found[("email", "www.nurimarket.example")] == "clear"
    )  # first party, collected
    text = data["document"]["text"]
    for record in data["consistency"]:
        for evidence in record["policy_evidence"]:
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    incorrect = next(c for c in data["consistency"] if c["class"] == "incorrect")
    assert "주민등록번호를 수집하지 않으며" in incorrect["policy_evidence"][0]["text"]


def test_korean_example_cross_border_findings_point_at_flows(capsys) -> None:
    data = korean_example(capsys)
    by_rule: dict[str, list[dict]] = {}
    for finding in data["findings"]:
        by_rule.setdefault(finding["rule"], []).append(finding)
    undisclosed = by_rule["kr-pipa.28-8.flow_to_undisclosed_country"]
    hosts = {e["host"] for f in undisclosed for e in f["evidence"]}
    assert hosts == {
        "log.mmstat.com",
        "api.idcheck-vendor.example",
    }  # HK and CN, not listed
    for finding in undisclosed:
        assert all(set(e) == {"entry_index", "host"} for e in finding["evidence"])
    assert not any(
        "facebook" in e["host"] for f in undisclosed for e in f["evidence"]
    )  # US is listed
    assert [f["title"] for f in by_rule["kr-pipa.17.flow_denied_by_policy"]]
    assert [f["title"] for f in by_rule["kr-pipa.17.flow_omitted"]]


def test_english_policy_and_session_have_every_class(tmp_path: Path, capsys) -> None:
    policy = tmp_path / "policy.md"
    policy.write_text(EN_POLICY, "utf-8")
    email = "ha.neul@example.org"
    har = write_har(
        tmp_path / "s.har",
        [
            entry(
                "https://shop.harborgoods.example/account",
                method="POST",
                ip="3.3.3.3",
                body=json.dumps({"email": email}),
            ),
            entry(
                "https://www.facebook.com/tr?ud[em]="
                + hashlib.sha256(email.encode()).hexdigest(),
                ip="157.240.1.35",
            ),
            entry(
                "https://www.google-analytics.com/g/collect",
                headers=[("x-idfa", "38400000-8cf0-11bd-b23e-10b96e4ef00d")],
            ),
            entry("https://log.mmstat.com/v.gif?p=01023456789", ip="106.11.1.1"),
            entry(
                "https://kyc.vendor.example/v",
                method="POST",
                ip="114.114.114.114",
                body=json.dumps({"id": "900101-1234568"}),
            ),
        ],
    )
    persona = write_persona(tmp_path / "p.yaml")
    data = audit(capsys, policy, har, persona, "harborgoods.example", "--foreign")
    found = classes(data)
    assert found[("email", "Meta Platforms, Inc.")] == "clear"
    assert found[("device_id", "Google LLC")] == "vague"
    assert found[("phone", "Alibaba Group Holding Limited")] == "omitted"
    assert found[("rrn", "kyc.vendor.example")] == "incorrect"
    rules = {f["rule"] for f in data["findings"]}
    assert "kr-pipa.28-8.flow_to_undisclosed_country" in rules


def test_table_and_html_show_both_sides(tmp_path: Path, capsys) -> None:
    args = [
        "--lang",
        "ko",
        "audit",
        str(EXAMPLE / "privacy-ko.md"),
        "--traffic",
        str(EXAMPLE / "session.har"),
        "--persona",
        str(EXAMPLE / "persona.yaml"),
        "--site",
        "nurimarket.example",
        "--domestic",
    ]
    code, out, _ = run(args, capsys)
    assert code == 0
    assert "처리방침의 내용과 실제 전송" in out and "불일치" in out and "누락" in out
    assert "⟦회사는 주민등록번호를 수집하지 않으며 제3자에게 제공하지 않습니다.⟧" in out
    assert "ha.neul@example.org" not in out
    target = tmp_path / "a.html"
    code, _, _ = run([*args, "-f", "html", "-o", str(target)], capsys)
    page = target.read_text("utf-8")
    assert "class=incorrect" in page and "주민등록번호를 수집하지 않으며" in page
    assert "ha.neul@example.org" not in page


def test_traffic_needs_a_site(capsys) -> None:
    code, _, err = run(
        [
            "audit",
            str(EXAMPLE / "privacy-ko.md"),
            "--traffic",
            str(EXAMPLE / "session.har"),
        ],
        capsys,
    )
    assert_one_line_error(code, err, "--traffic needs --site")


def test_audit_traffic_reads_ranges_like_scan(tmp_path: Path, capsys) -> None:
    """``audit --traffic HAR --ranges FILE`` reads the ranges as ``scan`` does:
    a host of the site in the range a user's CSV gives Adobe is Adobe's,
    checked against the policy as a disclosure to Adobe (which this policy
    does not name)."""
    policy = tmp_path / "policy.md"
    policy.write_text(EN_POLICY, "utf-8")
    body = json.dumps({"email": "ha.neul@example.org"})
    har = write_har(
        tmp_path / "s.har",
        [
            entry(
                "https://metrics.harborgoods.example/events",
                method="POST",
                body=body,
                ip="192.0.2.40",
            ),  # fmt: skip
        ],
    )
    persona = write_persona(tmp_path / "persona.yaml")
    ranges = tmp_path / "ranges.csv"
    ranges.write_text("192.0.2.0/24,US,Adobe data collection,adobe\n", "utf-8")
    site = "harborgoods.example"
    plain = classes(audit(capsys, policy, har, persona, site))
    assert ("email", "Adobe Inc.") not in plain
    ranged = classes(audit(capsys, policy, har, persona, site, "--ranges", str(ranges)))
    assert ranged[("email", "Adobe Inc.")] == "omitted"


def test_ranges_without_traffic_is_a_usage_error(tmp_path: Path, capsys) -> None:
    ranges = tmp_path / "ranges.csv"
    ranges.write_text("192.0.2.0/24,US\n", "utf-8")
    code, _, err = run(
        ["audit", str(EXAMPLE / "privacy-ko.md"), "--ranges", str(ranges)], capsys
    )
    assert_one_line_error(code, err, "--ranges reads")
    bad = tmp_path / "bad.csv"
    bad.write_text("not a prefix,US\n", "utf-8")
    code, _, err = run(
        [
            "audit",
            str(EXAMPLE / "privacy-ko.md"),
            "--traffic",
            str(EXAMPLE / "session.har"),
            "--site",
            "nurimarket.example",
            "--ranges",
            str(bad),
        ],
        capsys,
    )
    assert_one_line_error(code, err, "cannot read address ranges")
