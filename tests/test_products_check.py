"""``privwatch products check``: listings (saved pages, an export, a served
page) matched against hazard lists; the table, the ``privwatch.products/1``
JSON with the inputs' provenance, the HTML report (its CSP, escaping, Korean),
``--fail-on`` and bad input."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import FIXTURES, ROOT, LocalServer, Route

CHECK = FIXTURES / "products_check"
HAZARDS = [
    FIXTURES / "hazards" / name
    for name in ("cpsc.json", "kca-overseas.csv", "consumer24.json")
]


def _hazard_args(paths: list[Path] = HAZARDS) -> list[str]:
    return [a for p in paths for a in ("--hazards", str(p))]


def _run(args: list[str], lang: str = "en") -> Result:
    from privwatch.cli.products_check import check_command

    return CliRunner().invoke(check_command(lang), args, env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def contract() -> dict:
    result = _run([str(CHECK), *_hazard_args(), "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_contract_gives_each_input_with_its_sha256(contract: dict) -> None:
    assert contract["schema"] == "privwatch.products/1"
    sources = {i["source"]: i for i in contract["inputs"]}
    for path in [*CHECK.iterdir(), *HAZARDS]:
        item = sources[str(path)]
        assert item["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert sources[str(CHECK / "market.csv")]["records"] == 5
    assert sources[str(HAZARDS[1])]["mapping"] == "kr-kca-overseas"
    assert contract["counts"] == {
        "listings": 6,
        "hazard_records": 6,
        "matches": 4,
        "certain": 3,
        "review": 1,
        "listing_sources_failed": 0,
    }


def test_json_matches_quote_both_sides_exactly(contract: dict) -> None:
    by_title = {m["listing"]["title"]: m for m in contract["matches"]}
    maglo = by_title["磁力积木 儿童益智玩具 64件 Maglo MB 64"]
    assert maglo["certainty"] == "certain"
    assert maglo["hazard"]["record_id"] == "KCA-2026-0457"
    assert {"field": "model", "listing": "MB 64", "hazard": "MB-64"} in maglo["fields"]
    tube = by_title["해피웨이브 어린이 물놀이 튜브 HW-T120 (120cm)"]
    assert tube["hazard"]["source"] == "kr-consumer24-recalls"
    for m in contract["matches"]:
        listing_text = json.dumps(m["listing"], ensure_ascii=False)
        hazard_text = json.dumps(m["hazard"], ensure_ascii=False)
        for f in m["fields"]:  # every quote is found, as written, on its side
            assert json.dumps(f["listing"], ensure_ascii=False)[1:-1] in listing_text
            assert json.dumps(f["hazard"], ensure_ascii=False)[1:-1] in hazard_text
        if m["certainty"] == "review":
            assert m["reason"].startswith("products.match.review.")
    # a look-alike with another model number is never a certain match
    # (its own model field names LN-300, the notice lists LN-200): no match
    assert "Lumora Star Projector Night Light LN-300" not in by_title


def test_table_certain_first_and_a_nothing_found_line() -> None:
    result = _run([str(CHECK / "market.csv"), *_hazard_args()], lang="ko")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "│" in line]
    assert "확실" in rows[0]
    assert any("KCA-2026-0457" in row and "확실" in row for row in rows)
    assert "검토 필요" in rows[-1]
    assert "<탁상용>" in result.stdout  # not taken as markup
    assert "확실 2건" in result.stdout
    nothing = _run([str(FIXTURES / "listings" / "shein_item.html"), *_hazard_args()])
    assert nothing.exit_code == 0
    assert nothing.stdout.strip() == (
        "nothing found: none of 1 listing(s) matches any of 6 hazard record(s)"
    )


@pytest.mark.parametrize(
    ("fail_on", "listing", "code"),
    [
        ("certain", "market.csv", 1),
        ("review", "market.csv", 1),
        (None, "market.csv", 0),
        ("review", "../listings/shein_item.html", 0),
    ],
)
def test_fail_on(fail_on: str | None, listing: str, code: int) -> None:
    args = [str(CHECK / listing), *_hazard_args(), "-f", "json"]
    result = _run([*args, "--fail-on", fail_on] if fail_on else args)
    assert result.exit_code == code, result.output


def test_fail_on_certain_ignores_review_matches(tmp_path: Path) -> None:
    rows = (CHECK / "market.csv").read_text(encoding="utf-8").splitlines()
    fan = tmp_path / "fan.csv"  # the look-alike fan alone: a review match only
    fan.write_text("\n".join([rows[0], *[r for r in rows if "Breezy" in r]]) + "\n")
    lone = _run([str(fan), *_hazard_args(), "--fail-on", "certain"])
    assert lone.exit_code == 0, lone.output
    assert "review" in lone.stdout


def test_html_report_is_self_contained_escaped_and_korean(tmp_path: Path) -> None:
    out = tmp_path / "check.html"
    result = _run(
        [str(CHECK), *_hazard_args(), "-f", "html", "-o", str(out)], lang="ko"
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="ko">' in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "<script" not in html.lower()
    assert "&lt;탁상용&gt;" in html and "<탁상용>" not in html
    assert "판매 중인 리콜·위해 제품" in html and "확실한 일치" in html
    assert hashlib.sha256((CHECK / "market.csv").read_bytes()).hexdigest() in html
    assert html.count('class="finding ') == 4
    english = _run([str(CHECK), *_hazard_args(), "-f", "html"])
    assert "Recalled and hazardous products found listed" in english.stdout


def test_an_unreadable_hazard_list_stops_the_check() -> None:
    result = _run([str(CHECK), "--hazards", str(FIXTURES / "listings" / "export.csv")])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("privwatch: ")
    missing = _run([str(CHECK), "--hazards", "nosuch.json"], lang="ko")
    assert missing.exit_code == 2 and len(missing.stderr.strip().splitlines()) == 1


def test_a_bad_listing_source_is_told_and_the_others_checked() -> None:
    result = _run(
        [
            str(FIXTURES / "listings" / "no_product.html"),
            str(CHECK / "market.csv"),
            *_hazard_args(),
            "-f",
            "json",
        ]
    )
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    failed = [i for i in data["inputs"] if "error" in i]
    assert len(failed) == 1 and "no product found" in failed[0]["error"]
    assert data["counts"]["listing_sources_failed"] == 1
    assert data["counts"]["certain"] == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_served_page_is_checked_with_the_sha256_of_what_was_fetched(
    server: LocalServer,
) -> None:
    body = (CHECK / "hanbit-tube.html").read_bytes()
    url = server.add(
        "/goods/4400012345",
        Route(body=body, headers={"Content-Type": "text/html; charset=utf-8"}),
    )
    result = _run([url, *_hazard_args(), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["inputs"][0] == {
        "kind": "listings",
        "source": url,
        "sha256": hashlib.sha256(body).hexdigest(),
        "records": 1,
    }
    assert data["matches"][0]["listing"]["url"] == url
    assert data["matches"][0]["certainty"] == "certain"


def test_the_command_end_to_end_in_korean() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "COLUMNS": "250",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "privwatch",
            "--lang",
            "ko",
            "products",
            "check",
            str(CHECK / "hanbit-tube.html"),
            *_hazard_args(),
            "--fail-on",
            "certain",
        ],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    out = done.stdout.decode("utf-8")
    assert done.returncode == 1, done.stderr
    assert "2026110001" in out and "확실" in out
    assert "Traceback" not in done.stderr.decode("utf-8")
