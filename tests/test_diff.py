"""Clause-aware diffs and finding deltas, Korean included, and over real history."""

from __future__ import annotations

import pytest

from privwatch import ingest_document
from privwatch.diff import clause_texts, diff_clauses, finding_delta, summary, words
from privwatch.models import Evidence, Finding, SourceInfo
from privwatch.store.records import AuditRecord, StoredDocument
from tests.conftest import SHARED

OLD = [
    "제1조(목적) 이 방침은 회사의 개인정보 처리를 정합니다.",
    "회사는 회원 정보를 탈퇴일로부터 1년간 보관합니다.",
    "회사는 이용자의 개인정보를 국외로 이전하지 않습니다.",
]
NEW = [
    "제1조(목적) 이 방침은 회사의 개인정보 처리를 정합니다.",
    "회사는 회원 정보를 탈퇴일로부터 3년간 보관합니다.",
    "회사는 결제 정보를 싱가포르의 계열사에 제공합니다.",
]


def test_changed_added_and_removed_clauses() -> None:
    changes = diff_clauses(OLD, NEW)
    kinds = sorted(c.kind for c in changes)
    assert kinds == ["added", "changed", "removed"]
    changed = next(c for c in changes if c.kind == "changed")
    assert [(p.op, p.text) for p in changed.pieces if p.op != "equal"] == [
        ("delete", "1년간"),
        ("insert", "3년간"),
    ]
    assert "".join(p.text for p in changed.pieces if p.op != "insert") == OLD[1]
    assert "".join(p.text for p in changed.pieces if p.op != "delete") == NEW[1]
    assert diff_clauses(OLD, OLD) == []
    assert diff_clauses(OLD, [" ".join(c.split()) + " " for c in OLD]) == []


def test_a_clause_moved_elsewhere_is_moved_not_added_and_removed() -> None:
    moved = [
        *OLD[1:],
        "제2조(정의) 개인정보란 살아 있는 개인에 관한 정보입니다.",
        OLD[0],
    ]
    changes = diff_clauses(OLD, moved)
    assert summary(changes) == {"added": 1, "removed": 0, "changed": 0, "moved": 1}
    (move,) = [c for c in changes if c.kind == "moved"]
    assert move.old == move.new == OLD[0]
    # the same words twice, once moved: one is moved, the other stays put
    twice = [OLD[0], *OLD]
    assert summary(diff_clauses(twice, [*OLD, OLD[0]]))["moved"] == 1


@pytest.mark.corpus
def test_aliexpress_terms_reordered_are_moves(shared) -> None:
    """The 2026 AliExpress terms file reorders its parts (the 2025 "new version"
    is now the "old version" further down) and swaps spaces for no-break spaces:
    112 clauses are moves, not 134 additions and 125 removals as before moves
    were detected."""
    folder = shared / "corpus" / "history" / "aliexpress_terms_en"
    old, new = (
        clause_texts(ingest_document(str(folder / name)).to_dict())
        for name in ("2025-12-10.md", "2026-06-01.md")
    )
    counts = summary(diff_clauses(old, new))
    assert counts["moved"] >= 100
    assert counts["added"] + counts["removed"] < 60


def test_words_rebuild_both_sides() -> None:
    old, new = "We keep data for one year.", "We keep your data for three years."
    pieces = words(old, new)
    assert "".join(p.text for p in pieces if p.op != "insert") == old
    assert "".join(p.text for p in pieces if p.op != "delete") == new


def test_finding_delta() -> None:
    def finding(rule: str, quote: str) -> Finding:
        return Finding(rule, "PIPA", "30", "high", evidence=(Evidence(0, 1, quote),))

    def audit(*findings: Finding) -> AuditRecord:
        document = StoredDocument(
            SourceInfo("a.md", "file", "text/markdown", None, 1, ""),
            "",
            None,
            "en",
            "",
            "x",
        )
        return AuditRecord(document, None, (), findings, ())

    old = audit(finding("a", "x"), finding("b", "y"))
    new = audit(finding("b", "y"), finding("c", "z"))
    delta = finding_delta(old, new)
    assert [f.rule for f in delta.new] == ["c"]
    assert [f.rule for f in delta.resolved] == ["a"]
    assert [f.rule for f in delta.unchanged] == ["b"]
    assert [f.rule for f in finding_delta(None, new).new] == ["b", "c"]


@pytest.mark.corpus
def test_naver_history_diffs(shared) -> None:
    history = sorted((SHARED / "corpus" / "history" / "naver_privacy_ko").glob("*.md"))
    texts = [clause_texts(ingest_document(str(p)).to_dict()) for p in history[-4:]]
    for old, new in zip(texts, texts[1:], strict=False):
        changes = diff_clauses(old, new)
        gone = [c.old for c in changes if c.kind in ("removed", "changed")]
        came = [c.new for c in changes if c.kind in ("added", "changed")]
        assert all(c in old for c in gone) and all(c in new for c in came)
        # every clause of the new version is either unchanged or accounted for
        unchanged = len(new) - len(came)
        assert unchanged >= 0
        for change in changes:
            if change.kind == "changed":
                assert (
                    "".join(p.text for p in change.pieces if p.op != "insert")
                    == change.old
                )


def _audit(*findings: Finding) -> AuditRecord:
    document = StoredDocument(
        SourceInfo("a.md", "file", "text/markdown", None, 1, ""),
        "",
        None,
        "ko",
        "",
        "x",
    )
    return AuditRecord(document, None, (), findings, ())


def _found(rule: str, quote: str, **params: str) -> Finding:
    return Finding(
        rule,
        "PIPA",
        "30",
        "medium",
        params=tuple(sorted(params.items())),
        evidence=(Evidence(0, len(quote), quote),),
    )


def test_a_finding_whose_quote_changed_is_the_same_finding() -> None:
    """Rule and parameters the same, the quote reworded or moved: neither new nor
    resolved, shown as evidence changed; a parameter its words show (what is
    missing) that changes makes another finding; a score or a country its
    words never show does not."""
    rights = "kr-pipa.30.rights_incomplete"
    ltd = "kr-terms.7.limitation_of_liability"
    old = _audit(
        _found(rights, "이용자는 열람을 요구할 수 있습니다.", missing="withdrawal"),
        _found(
            ltd, "회사는 어떠한 손해에도 책임지지 않습니다.", value="ltd", score="0.79"
        ),
        _found(
            ltd,
            "회사는 서버 장애로 인한 손해를 배상하지 않습니다.",
            value="ltd",
            score="0.74",
        ),
        _found("kr-pipa.28-8.no_legal_basis", "국외로 이전합니다.", country="US"),
    )
    new = _audit(
        _found(
            ltd,
            "회사는 서버 장애로 생긴 손해를 배상하지 않습니다.",
            value="ltd",
            score="0.70",
        ),
        _found(
            rights, "이용자는 언제든지 열람을 요구할 수 있습니다.", missing="withdrawal"
        ),
        _found(
            ltd, "회사는 어떠한 손해에도 책임지지 않습니다.", value="ltd", score="0.81"
        ),
        _found("kr-pipa.28-8.no_legal_basis", "국외로 이전합니다.", country="JP"),
    )
    delta = finding_delta(old, new)
    # the countries are not in the words of "no legal basis": the same finding
    assert not delta.new and not delta.resolved
    assert len(delta.unchanged) == 4
    changed = [
        (o.evidence[0].text, n.evidence[0].text) for o, n in delta.evidence_changed
    ]
    assert changed == [
        (
            "회사는 서버 장애로 인한 손해를 배상하지 않습니다.",
            "회사는 서버 장애로 생긴 손해를 배상하지 않습니다.",
        ),
        (
            "이용자는 열람을 요구할 수 있습니다.",
            "이용자는 언제든지 열람을 요구할 수 있습니다.",
        ),
    ]
    # what is missing changed: a finding with other words, so new and resolved
    fewer = _audit(
        _found(
            rights,
            "이용자는 열람을 요구할 수 있습니다.",
            missing="withdrawal, suspension",
        )
    )
    delta = finding_delta(old, fewer)
    assert [f.param("missing") for f in delta.new] == ["withdrawal, suspension"]
    assert rights in {f.rule for f in delta.resolved}
    # the same rule in one more clause: one new, the rest the same
    more = _audit(
        *new.findings, _found(ltd, "회사는 일체 책임을 지지 않습니다.", value="ltd")
    )
    delta = finding_delta(new, more)
    assert [f.evidence[0].text for f in delta.new] == [
        "회사는 일체 책임을 지지 않습니다."
    ]
    assert not delta.resolved and not delta.evidence_changed


def test_watch_diff_lists_a_moved_quote_as_evidence_changed(tmp_path) -> None:
    """Through the command: two versions whose only change is a reworded
    clause holding a finding's quote: no new or resolved finding, one with its
    evidence changed, in English and Korean."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    folder = tmp_path / "hist"
    folder.mkdir()
    body = (
        "# 개인정보 처리방침\n\n제1조 회사는 {when}이름, 전화번호를 수집합니다.\n\n"
        "제2조 회사는 수집한 개인정보를 안전하게 관리합니다.\n"
    )
    (folder / "2024-01-01.md").write_text(body.format(when=""), encoding="utf-8")
    (folder / "2024-06-01.md").write_text(
        body.format(when="회원 가입 때 "), encoding="utf-8"
    )
    db = f"sqlite:///{tmp_path / 'w.db'}"
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "privwatch", *args, "--db", db],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("watch", "import-dir", "Shop", str(folder))
    english = run("--lang", "en", "watch", "diff", "Shop")
    assert "New findings: 0" in english and "Resolved findings: 0" in english
    assert "clauses: 0 added, 0 removed, 1 changed, 0 moved" in english
    assert "Same findings, evidence changed: 1" in english
    assert "kr-pipa.22.required_optional_not_distinguished" in english
    assert "- “제1조 회사는 이름, 전화번호를 수집합니다.”" in english
    assert "+ “제1조 회사는 회원 가입 때 이름, 전화번호를 수집합니다.”" in english
    korean = run("--lang", "ko", "watch", "diff", "Shop")
    assert "Shop 개인정보 처리방침: 제1판 2024-01-01 → 제2판 2024-06-01" in korean
    assert "새 발견 사항: 0건" in korean and "해소된 발견 사항: 0건" in korean
    assert "근거 인용만 바뀐 같은 발견 사항: 1건" in korean
