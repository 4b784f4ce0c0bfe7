"""Certainty and one finding per defect (issue 15, items 4 and 5): review items
with their reasons, kept apart in every output and out of --fail-on unless
asked; one finding per rule per clause, at most three quoted spans and the
other clauses named. Fixtures written here, Korean and English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from privwatch import document_from_bytes
from privwatch.models import Evidence, Fact
from privwatch.pipeline import audit_document
from privwatch.report.json import audit_to_dict
from privwatch.rules import evaluate, load_pack
from privwatch.rules.engine import MAX_SPANS
from privwatch.rules.schema import Pack
from privwatch.rules.words import finding_words
from privwatch.store.records import decode_audit
from tests.test_cli import run

PACK = load_pack("kr-pipa")

# addressed to US residents only, with a privacy officer: the only high
# findings are ones that presume a Korea-facing business
US_POLICY = """# U.S. Privacy Policy

## Purposes

We use your name and email address to deliver orders.

## Your rights

You may access or delete your data by writing to us.

## Privacy officer

Our privacy officer is Jane Roe (privacy@example.com).
"""

KO_VAGUE = """# 개인정보 처리방침

## 제2조(처리하는 개인정보의 항목)

회사는 이름, 연락처 등 기타 서비스 제공에 필요한 정보를 수집합니다.

회사는 주소, 생년월일 등을 수집합니다.
"""

EN_VAGUE = """# Privacy Policy

## Information we collect

We collect information including but not limited to your name, email address, and other information.
"""


def pack_of(rules: list[dict[str, object]]) -> Pack:
    base = {
        "law": "X",
        "article": "1",
        "severity": "high",
        "title": {"ko": "가: {value}", "en": "a: {value}"},
        "explanation": {"ko": "가", "en": "a"},
        "remediation": {"ko": "가", "en": "a"},
    }
    return Pack.model_validate(
        {
            "pack": "t",
            "version": "1",
            "law": "X",
            "title": {"ko": "가", "en": "a"},
            "rules": [base | rule for rule in rules],
        }
    )


def span(n: int, clause: str | None = None) -> Evidence:
    return Evidence(n * 10, n * 10 + 5, "x" * 5, clause or f"c{n}")


# --- one finding per defect -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "lang", "words"),
    [
        (KO_VAGUE, "ko.md", "ko", ["등", "기타", "필요한"]),
        (EN_VAGUE, "en.md", "en", ["including but not limited to", "other"]),
    ],
)
def test_vague_wording_is_one_finding_per_clause_listing_its_words(
    text: str, name: str, lang: str, words: list[str]
) -> None:
    document = document_from_bytes(text.encode(), name)
    audit = audit_document(document, [PACK])
    facts = [f for f in audit.facts if f.kind == "vague_wording"]
    vague = [f for f in audit.findings if f.rule == "kr-pipa.30.vague_wording"]
    clauses = {f.evidence[0].clause for f in facts}
    assert len(facts) > len(clauses) >= 1  # several words in one clause
    assert len(vague) == len(clauses)
    first = vague[0]
    values = list(
        dict.fromkeys(
            f.value for f in facts if f.evidence[0].clause == first.evidence[0].clause
        )
    )
    assert len(values) >= 2
    title = finding_words(first, lang).title
    assert title.endswith(", ".join(values))
    for word in words[:1]:
        assert word in title


def test_facts_in_one_clause_merge_and_in_two_clauses_do_not() -> None:
    pack = pack_of([{"id": "t.1", "when": {"exists": {"fact": "vague_wording"}}}])
    facts = [
        Fact("vague_wording", "등", (("topic", "items"),), (span(1, "c1"),)),
        Fact("vague_wording", "기타", (("topic", "items"),), (span(2, "c1"),)),
        Fact("vague_wording", "등", (("topic", "items"),), (span(3, "c1"),)),
        Fact("vague_wording", "기타", (("topic", "items"),), (span(4, "c2"),)),
    ]
    findings = evaluate(pack, facts)
    titles = [finding_words(f, "ko").title for f in findings]
    clauses = [[e.clause for e in f.evidence] for f in findings]
    assert list(zip(titles, clauses, strict=True)) == [
        ("가: 등, 기타", ["c1", "c1", "c1"]),
        ("가: 기타", ["c2"]),
    ]


def test_at_most_three_spans_and_the_other_clauses_named() -> None:
    pack = pack_of(
        [
            {
                "id": "t.1",
                "when": {"all": [{"exists": {"fact": "retention"}}]},
            }
        ]
    )
    facts = [Fact("retention", None, (), (span(n),)) for n in (5, 1, 4, 2, 3, 6)]
    facts.append(Fact("retention", None, (), (span(7, "c1"),)))  # a quoted clause
    (finding,) = evaluate(pack, facts)
    assert len(finding.evidence) == MAX_SPANS == 3
    assert [e.clause for e in finding.evidence] == ["c1", "c2", "c3"]
    assert finding.more == ("c4", "c5", "c6")


def test_findings_are_sorted_the_same_whatever_the_facts_order() -> None:
    pack = pack_of(
        [
            {"id": "t.b", "when": {"exists": {"fact": "cookies"}}},
            {"id": "t.a", "when": {"exists": {"fact": "cookies"}}},
            {"id": "t.c", "severity": "low", "when": {"missing": {"fact": "officer"}}},
        ]
    )
    facts = [Fact("cookies", None, (), (span(n),)) for n in (3, 1, 2)]
    once = evaluate(pack, facts)
    again = evaluate(pack, list(reversed(facts)))
    assert once == again
    assert [(f.rule, f.evidence[0].clause if f.evidence else None) for f in once] == [
        ("t.a", "c1"),
        ("t.b", "c1"),
        ("t.a", "c2"),
        ("t.b", "c2"),
        ("t.a", "c3"),
        ("t.b", "c3"),
        ("t.c", None),
    ]


# --- certainty ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "thresholds"), ("ko", "기준")],
)
def test_a_fact_marked_for_review_makes_its_finding_a_review_item(
    lang: str, words: str
) -> None:
    pack = pack_of([{"id": "t.1", "when": {"exists": {"fact": "agent"}}}])
    facts = [
        Fact("agent", None, (("review", "threshold"),), (span(1),)),
        Fact("agent", None, (), (span(2),)),
    ]
    review, certain = evaluate(pack, facts)
    assert (review.certainty, certain.certainty) == ("review", "certain")
    assert review.reason == "review.threshold"
    assert words in (finding_words(review, lang).reason or "")
    assert certain.reason is None and finding_words(certain, lang).reason is None


def test_a_rules_review_condition_reads_facts_and_context() -> None:
    pack = pack_of(
        [
            {
                "id": "t.1",
                "when": {"missing": {"fact": "agent"}},
                "review": [
                    {
                        "when": {
                            "exists": {
                                "fact": "section",
                                "where": {"value": "overseas"},
                            }
                        },
                        "reason": {"ko": "국외", "en": "abroad"},
                    },
                    {
                        "when": {"context": {"korea_facing": False}},
                        "reason": {"ko": "국외 이용자", "en": "users elsewhere"},
                    },
                ],
            }
        ]
    )
    overseas = [Fact("section", "overseas", (), (span(1),))]
    (finding,) = evaluate(pack, [], context={"korea_facing": True})
    assert (finding.certainty, finding.reason) == ("certain", None)
    (finding,) = evaluate(pack, overseas, context={"korea_facing": False})
    assert (finding.certainty, finding.reason) == ("review", "rule.review.0")
    assert finding_words(finding, "ko").reason == "국외"  # the first that holds
    (finding,) = evaluate(pack, [], context={"korea_facing": False})
    assert (finding.certainty, finding_words(finding, "en").reason) == (
        "review",
        "users elsewhere",
    )


@pytest.mark.parametrize("agent_required", [None, True])
def test_domestic_agent_is_review_unless_the_thresholds_are_met(
    agent_required: bool | None,
) -> None:
    text = "# Privacy\n\n## Purposes\n\nWe use data to deliver orders.\n"
    document = document_from_bytes(text.encode(), "p.md")
    audit = audit_document(
        document, [PACK], foreign=True, agent_required=agent_required
    )
    (agent,) = [
        f for f in audit.findings if f.rule == "kr-pipa.31-2.domestic_agent_missing"
    ]
    if agent_required:
        assert (agent.certainty, agent.reason) == ("certain", None)
    else:
        reason = finding_words(agent, "en").reason
        assert agent.certainty == "review" and "31-2" in (reason or "")


# --- outputs ------------------------------------------------------------------


def us_policy(tmp_path: Path) -> Path:
    path = tmp_path / "us.md"
    path.write_text(US_POLICY, "utf-8")
    return path


def test_json_has_certainty_reason_more_and_scope(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        ["audit", str(us_policy(tmp_path)), "--foreign", "-f", "json"], capsys
    )
    assert code == 0 and err == ""
    data = json.loads(out)
    scope = data["document"]["scope"]
    assert scope["audience"] == "other" and scope["where"] == "US"
    (quote,) = scope["evidence"]
    assert data["document"]["text"][quote["start"] : quote["end"]] == quote["text"]
    assert data["context"]["korea_facing"] is False
    for finding in data["findings"]:
        assert finding["certainty"] in ("certain", "review")
        assert (finding["reason"] is None) == (finding["certainty"] == "certain")
        assert finding["more"] == []
    review = {f["rule"] for f in data["findings"] if f["certainty"] == "review"}
    assert review == {
        "kr-pipa.31-2.domestic_agent_missing",
        "kr-pipa.38.rights_not_in_korean",
        "kr-pipa.22-2.children_missing",  # silent on children: reach unknown
        # rights "by writing to us", an officer's e-mail: not said to take requests
        "kr-pipa.30.access_department_missing",
    }
    assert data["certainty"] == {
        "certain": len(data["findings"]) - 4,
        "review": 4,
    }


def test_fail_on_counts_certain_findings_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(us_policy(tmp_path))
    # the only high finding is the domestic agent, a review item here
    code, _, _ = run(["audit", path, "--foreign", "--fail-on", "high"], capsys)
    assert code == 0
    code, _, _ = run(
        ["audit", path, "--foreign", "--fail-on", "high", "--fail-on-review"], capsys
    )
    assert code == 1
    code, _, _ = run(["audit", path, "--foreign", "--fail-on", "medium"], capsys)
    assert code == 1  # certain medium findings (no destruction section...)


@pytest.mark.parametrize(
    ("lang", "scope", "heading"),
    [
        ("en", "This text addresses users in US, not Korea", "Review items"),
        ("ko", "이 문서는 한국이 아닌 US 이용자를 대상으로 합니다", "검토 필요"),
    ],
)
def test_table_shows_the_scope_first_and_review_items_apart(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    scope: str,
    heading: str,
) -> None:
    code, out, _ = run(
        ["--lang", lang, "audit", str(us_policy(tmp_path)), "--foreign"], capsys
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[2].startswith(scope)
    at = lines.index(heading)
    before, after = "\n".join(lines[:at]), "\n".join(lines[at:])
    assert "kr-pipa.31-2.domestic_agent_missing" in after
    assert "kr-pipa.31-2.domestic_agent_missing" not in before
    assert "kr-pipa.30.destruction_missing" in before
    assert "kr-pipa.30.destruction_missing" not in after


def test_a_korean_policy_has_no_scope_line_nor_review_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ko.md"
    # a policy silent on children under 14 is a review item (Art. 22-2)
    children = "\n회사는 만 14세 미만 아동의 회원가입을 받지 않습니다.\n"
    path.write_text(KO_VAGUE + children, "utf-8")
    code, out, _ = run(["--lang", "ko", "audit", str(path)], capsys)
    assert code == 0
    assert "한국이 아닌" not in out and "검토 필요" not in out


def test_html_has_a_banner_and_a_review_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "us.html"
    code, _, _ = run(
        [
            "audit",
            str(us_policy(tmp_path)),
            "--foreign",
            "-f",
            "html",
            "-o",
            str(target),
        ],
        capsys,
    )
    assert code == 0
    tree = LexborHTMLParser(target.read_text("utf-8"))
    banner = tree.css_first("p.banner")
    assert banner is not None and "addresses users in US, not Korea" in banner.text()
    review = tree.css_first("section#review")
    findings = tree.css_first("section#findings")
    assert review is not None and findings is not None
    assert "kr-pipa.31-2.domestic_agent_missing" in review.text()
    assert "kr-pipa.31-2.domestic_agent_missing" not in findings.text()
    assert "the document addresses users outside Korea" in review.text()
    assert all("review" in a.attributes.get("class", "") for a in review.css("article"))
    # ids stay unique with an article in both sections
    ids = [n.attributes["id"] for n in tree.css("[id]")]
    assert len(ids) == len(set(ids))


def test_more_clauses_are_shown_in_every_output(tmp_path: Path) -> None:
    """A retention rule over a whole policy (all: exists + missing) quotes three
    spans and names the other clauses, in the table, JSON and HTML."""
    from rich.console import Console

    from privwatch.report.html import render_html
    from privwatch.report.table import render_table

    lines = "\n\n".join(
        f"{kind} data are kept as long as necessary."
        for kind in ("Order", "Account", "Payment", "Support", "Review")
    )
    text = f"# Privacy\n\n## Retention\n\n{lines}\n"
    audit = audit_document(document_from_bytes(text.encode(), "r.md"), [PACK])
    (finding,) = [
        f for f in audit.findings if f.rule == "kr-pipa.15.retention_not_concrete"
    ]
    assert len(finding.evidence) == 3 and len(finding.more) == 2
    data = audit_to_dict(audit)
    stored = next(f for f in data["findings"] if f["rule"] == finding.rule)
    assert stored["more"] == list(finding.more)
    line = f"and 2 more clauses: {', '.join(finding.more)}"
    console = Console(record=True, width=200)
    render_table(audit, console)
    assert line in console.export_text()
    assert line in render_html(audit)
    console = Console(record=True, width=200)
    render_table(audit, console, lang="ko")
    assert f"외 2개 조항: {', '.join(finding.more)}" in console.export_text()


# --- store -------------------------------------------------------------------


def test_stored_findings_keep_their_certainty_and_the_store_verifies(
    db_url: str, tmp_path: Path
) -> None:
    from privwatch.store import Store
    from privwatch.verify import verify_store
    from privwatch.watch import import_dir

    folder = tmp_path / "history"
    folder.mkdir()
    (folder / "2026-01-01.md").write_text(US_POLICY, "utf-8")
    with Store(db_url) as store:
        store.add_platform("Orbit Mall", country="US", foreign=True)
        (outcome,) = import_dir(store, "Orbit Mall", "privacy", folder)
        assert outcome.result == "new"
        (document,) = store.documents("Orbit Mall")
        (version,) = store.versions(document.id)
        rows = store.findings(version.id)
        audit = decode_audit(version.audit_json)
        assert audit is not None
        stored = [f.certainty for f in audit.findings]
        assert [row.certainty for row in rows] == stored
        assert "review" in stored and "certain" in stored
        result = verify_store(store)
        assert result.ok, result.problems
