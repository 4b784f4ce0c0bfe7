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
