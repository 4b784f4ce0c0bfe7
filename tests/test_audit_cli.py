"""privwatch audit: the table, the JSON contract, the HTML page, --fail-on."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.test_cli import assert_one_line_error, run

EXAMPLE = ROOT / "examples" / "hanbit-market-privacy-ko.html"


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["audit", str(EXAMPLE), "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "privwatch.audit/1"
    assert data["packs"] == [
        {"pack": "kr-pipa", "version": data["packs"][0]["version"]}
    ]
    document = data["document"]
    assert {"source", "language", "sha256", "text"} <= set(document)
    assert data["context"] == {
        "foreign": False,
        "korea_facing": True,
        "agent_required": False,
        "foreign_inferred": True,
    }
    assert "US" in data["facts"]["countries"]
    assert {
        "name": "Cloudnine Hosting Inc.",
        "named": True,
        "role": "transfer",
    } in data["facts"]["recipients"]
    assert "contact.email" in data["facts"]["items"]
    assert data["findings"], "the example policy has gaps on purpose"
    for finding in data["findings"]:
        assert set(finding) >= {
            "rule",
            "law",
            "article",
            "severity",
            "title",
            "explanation",
            "evidence",
        }
        assert finding["article"][0].isdigit()
        for evidence in finding["evidence"]:
            assert (
                document["text"][evidence["start"] : evidence["end"]]
                == evidence["text"]
            )
    rules = {f["rule"] for f in data["findings"]}
    assert (
        "kr-pipa.28-8.no_legal_basis" in rules
    )  # the example names no basis for its US transfer
    assert "kr-pipa.31.officer_missing" not in rules  # it names its officer
    missing = next(
        f for f in data["findings"] if f["rule"] == "kr-pipa.30.destruction_missing"
    )
    assert missing["evidence"] == []
    assert data["summary"]["high"] == sum(
        f["severity"] == "high" for f in data["findings"]
    )


def test_table_groups_by_article_and_quotes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--lang", "ko", "audit", str(EXAMPLE)], capsys)
    assert code == 0
    assert "개인정보 보호법 제28조의8제1항" in out
    assert "⟦다만, 이전을 거부하면 회원 가입이 제한됩니다.⟧" in out


@pytest.mark.parametrize(("level", "expected"), [("high", 1), ("low", 1)])
def test_fail_on_sets_the_exit_status(
    capsys: pytest.CaptureFixture[str], level: str, expected: int
) -> None:
    code, _, _ = run(["audit", str(EXAMPLE), "--fail-on", level, "-f", "json"], capsys)
    assert code == expected


def test_fail_on_passes_a_policy_without_such_findings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = FIXTURES / "policy_en.md"
    code, out, _ = run(["audit", str(text), "-f", "json", "--domestic"], capsys)
    severities = {f["severity"] for f in json.loads(out)["findings"]}
    code, _, _ = run(["audit", str(text), "--fail-on", "high", "--domestic"], capsys)
    assert code == (1 if "high" in severities else 0)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.marks: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_mark = tag == "mark"
        for name, value in attrs:
            local = name == "href" and (value or "").startswith("#")
            assert name not in ("src", "href") or local, f"reference {name}={value}"

    def handle_endtag(self, tag: str) -> None:
        self._in_mark = False if tag == "mark" else self._in_mark

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marks.append(data)


def test_html_is_one_self_contained_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "audit.html"
    code, _, _ = run(
        ["--lang", "ko", "audit", str(EXAMPLE), "-f", "html", "-o", str(target)], capsys
    )
    assert code == 0
    page = target.read_text("utf-8")
    parser = _Collector()
    parser.feed(page)
    assert "script" not in parser.tags and "link" not in parser.tags
    assert "다만, 이전을 거부하면 회원 가입이 제한됩니다." in parser.marks
    assert (
        "개인정보처리자는 제1항제1호에 따른 동의를 받을 때에는 미리" in page
    )  # statute quoted


def test_user_rules_and_bad_packs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        ["audit", str(EXAMPLE), "--rules", str(tmp_path / "absent.yaml")], capsys
    )
    assert_one_line_error(code, err, "no rule pack")
    broken = tmp_path / "broken.yaml"
    broken.write_text("pack: [unclosed\n", "utf-8")
    code, _, err = run(["audit", str(EXAMPLE), "--rules", str(broken)], capsys)
    assert_one_line_error(code, err, "invalid rule pack")
    code, _, err = run(["audit", str(EXAMPLE), "--law", "gdpr"], capsys)
    assert_one_line_error(code, err, "no rule pack gdpr")
