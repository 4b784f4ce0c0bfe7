"""What changed between two versions of a document: clause by clause, with the
words that changed inside a changed clause, and which findings are new or resolved.

Works on stored versions (their text, clause offsets and audit record), so any
two versions in the store can be compared without re-reading the source.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from string import Formatter
from typing import Any

from privwatch.models import Finding
from privwatch.rules.schema import known_rule
from privwatch.store.records import AuditRecord

#: a changed clause is one whose words are at least this similar to its old self
SIMILAR = 0.5
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    """A run of words in a changed clause: ``equal``, ``delete`` or ``insert``."""

    op: str
    text: str


KINDS = ("added", "removed", "changed", "moved")


@dataclass(frozen=True)
class ClauseChange:
    """``added``, ``removed``, ``changed`` or ``moved`` (the same words elsewhere
    in the document); ``old``/``new`` are clause texts."""

    kind: str
    old: str | None = None
    new: str | None = None
    pieces: tuple[Piece, ...] = ()


@dataclass(frozen=True)
class FindingDelta:
    new: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    unchanged: list[Finding] = field(default_factory=list)
    #: (old, new) pairs of the same finding (rule and parameters) whose quoted
    #: words changed; both are also counted in ``unchanged``
    evidence_changed: list[tuple[Finding, Finding]] = field(default_factory=list)


def clause_texts(document: dict[str, Any]) -> list[str]:
    """The clauses of a stored Document (``Document.to_dict()``), in order."""
    text: str = document["text"]
    return [text[c["start"] : c["end"]] for c in document["clauses"]]


def _norm(text: str) -> str:
    return " ".join(text.split())


def words(old: str, new: str) -> tuple[Piece, ...]:
    """Word-level changes (whitespace-separated words, so Korean eojeol too)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return tuple(pieces)


def _similarity(old: str, new: str) -> float:
    return SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()


def diff_clauses(old: Sequence[str], new: Sequence[str]) -> list[ClauseChange]:
    """Added, removed and changed clauses, in the order of the new version."""
    matcher = SequenceMatcher(
        None, [_norm(c) for c in old], [_norm(c) for c in new], autojunk=False
    )
    changes: list[ClauseChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed, added = list(old[i1:i2]), list(new[j1:j2])
        for clause in added:
            best = max(removed, key=lambda r: _similarity(r, clause), default=None)
            if best is not None and _similarity(best, clause) >= SIMILAR:
                removed.remove(best)
                changes.append(
                    ClauseChange("changed", best, clause, words(best, clause))
                )
            else:
                changes.append(ClauseChange("added", new=clause))
        changes.extend(ClauseChange("removed", old=clause) for clause in removed)
    return _moves(changes)


def _moves(changes: list[ClauseChange]) -> list[ClauseChange]:
    """An added clause whose words were removed elsewhere has moved."""
    gone = Counter(_norm(c.old or "") for c in changes if c.kind == "removed")
    moved: Counter[str] = Counter()
    paired = []
    for change in changes:
        if change.kind == "added" and gone[key := _norm(change.new or "")] > 0:
            gone[key] -= 1
            moved[key] += 1
            paired.append(ClauseChange("moved", change.new, change.new))
        else:
            paired.append(change)
    kept = []
    for change in paired:
        if change.kind == "removed" and moved[key := _norm(change.old or "")] > 0:
            moved[key] -= 1
            continue
        kept.append(change)
    return kept


#: a clause in at least this share of a site's versions (and in ``LEAST``) may
#: be the site's menu or footer rather than the document
REPEATED_SHARE = 0.25
REPEATED_LEAST = 3
#: menus and footers are short lines; longer ones are the document's own words
REPEATED_CHARS = 40
#: numbered or listed lines, and "name : value" lines, are the document's own
_NUMBERED = re.compile(
    r"^\s*(\d+(\.\d+)*|[가-하]|제\s*\d+\s*조|[①-⑳]|[IVXⅠ-Ⅻ]+)\s*[.)]"
    r"|^\s*[-–•·*※<(\[]|^\s*_\d|[:：]"
)
_FOOTER = re.compile(r"©|copyright|all rights reserved", re.IGNORECASE)


def repeated_clauses(
    documents: Iterable[dict[str, Any]],
    *,
    share: float = REPEATED_SHARE,
    least: int = REPEATED_LEAST,
) -> frozenset[str]:
    """The clause texts (whitespace folded) that repeat across a site's stored
    versions (``documents``: every version of the platform's documents) as its
    menus and footers do: short, unnumbered lines not ending like a sentence,
    or copyright lines, found in at least ``share`` of the versions (and in at
    least ``least`` of them)."""
    seen: Counter[str] = Counter()
    total = 0
    for document in documents:
        total += 1
        seen.update({_norm(c) for c in clause_texts(document)})
    wanted = max(least, share * total)
    return frozenset(
        text for text, count in seen.items() if count >= wanted and _site_line(text)
    )


def _site_line(text: str) -> bool:
    if _FOOTER.search(text):
        return len(text) <= 3 * REPEATED_CHARS
    return (
        0 < len(text) <= REPEATED_CHARS
        and not _NUMBERED.search(text)
        and not text.endswith((".", "다", "요", "?"))
    )


def is_repeated(change: ClauseChange, repeated: frozenset[str]) -> bool:
    """A clause added, removed or moved that repeats on the site's versions (a
    changed clause is the document's own, whatever its words)."""
    texts = [t for t in (change.old, change.new) if t is not None]
    return (
        change.kind != "changed"
        and bool(texts)
        and all(_norm(t) in repeated for t in texts)
    )


def site_changes(
    changes: Sequence[ClauseChange], repeated: frozenset[str]
) -> list[bool]:
    """Which ``changes`` are the site's menus and footers: those of repeated
    clauses only (``is_repeated``), and a run of short menu-like lines (seen
    on fewer versions) standing between two of them, as a menu's rarer
    entries do."""
    marked = [is_repeated(change, repeated) for change in changes]
    index = 0
    while index < len(changes):
        if marked[index] or not _menu_like(changes[index]):
            index += 1
            continue
        end = index
        while end < len(changes) and not marked[end] and _menu_like(changes[end]):
            end += 1
        before = index > 0 and marked[index - 1]
        after = end < len(changes) and marked[end]
        if (before and after) or (before and end == len(changes)):
            marked[index:end] = [True] * (end - index)
        index = end
    return marked


def _menu_like(change: ClauseChange) -> bool:
    texts = [_norm(t) for t in (change.old, change.new) if t is not None]
    return change.kind != "changed" and bool(texts) and all(map(_site_line, texts))


def summary(changes: Sequence[ClauseChange]) -> dict[str, int]:
    """How many clauses were added, removed, changed and moved."""
    return {kind: sum(c.kind == kind for c in changes) for kind in KINDS}


@functools.cache
def _template_fields(rule_id: str) -> frozenset[str] | None:
    """The parameters a rule's words show (its title, explanation and
    remediation in both languages); None for a rule no pack in reach has."""
    rule = known_rule(rule_id)
    if rule is None:
        return None
    fields = set()
    for text in (rule.title, rule.explanation, rule.remediation):
        for lang in ("en", "ko"):
            fields |= {
                name for _, name, _, _ in Formatter().parse(text.pick(lang)) if name
            }
    if "country_note" in fields:  # written from the country
        fields.add("country")
    return frozenset(fields)


def _finding_key(finding: Finding) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What makes two findings the same: the rule and its parameters (the
    values its words are filled with: a classifier's score or a flag the words
    never show does not make another finding), not where the quote stands."""
    shown = _template_fields(finding.rule)
    params = [(k, v) for k, v in finding.params if shown is None or k in shown]
    return finding.rule, tuple(sorted(params))


def _quotes(finding: Finding) -> tuple[str, ...]:
    return tuple(sorted(_norm(e.text) for e in finding.evidence))


def _pair(
    before: list[Finding], after: list[Finding]
) -> tuple[list[tuple[Finding, Finding]], list[Finding], list[Finding]]:
    """Pair findings of one rule and parameters (a rule found in several
    clauses): those quoting the same words first, then the most alike quotes;
    what is left over is resolved or new."""
    left, right = list(before), list(after)
    pairs: list[tuple[Finding, Finding]] = []
    for finding in list(right):
        match = next((f for f in left if _quotes(f) == _quotes(finding)), None)
        if match is not None:
            left.remove(match)
            right.remove(finding)
            pairs.append((match, finding))
    while left and right:  # the most alike quotes next: the clause reworded
        old, new = max(
            ((o, n) for o in left for n in right),
            key=lambda pair: _similarity(
                " ".join(_quotes(pair[0])), " ".join(_quotes(pair[1]))
            ),
        )
        left.remove(old)
        right.remove(new)
        pairs.append((old, new))
    return pairs, left, right


def finding_delta(
    old_audit: AuditRecord | None, new_audit: AuditRecord | None
) -> FindingDelta:
    """Findings of the new version that the old one did not have, and the reverse.

    A finding is the same when its rule and parameters are: one whose quote
    moved or changed is in both versions (``evidence_changed`` when its quoted
    words differ), so only a rule or a parameter value that appears or
    disappears is new or resolved."""
    before: dict[Any, list[Finding]] = {}
    after: dict[Any, list[Finding]] = {}
    for audit, into in ((old_audit, before), (new_audit, after)):
        for finding in audit.findings if audit else ():
            into.setdefault(_finding_key(finding), []).append(finding)
    new: list[Finding] = []
    resolved: list[Finding] = []
    unchanged: list[Finding] = []
    changed: list[tuple[Finding, Finding]] = []
    for key in after.keys() | before.keys():
        pairs, gone, added = _pair(before.get(key, []), after.get(key, []))
        new.extend(added)
        resolved.extend(gone)
        unchanged.extend(f for _, f in pairs)
        changed.extend((o, f) for o, f in pairs if _quotes(o) != _quotes(f))

    def in_order(audit: AuditRecord | None) -> Callable[[Finding], int]:
        order = {id(f): i for i, f in enumerate(audit.findings if audit else ())}
        return lambda finding: order[id(finding)]

    first, second = in_order(old_audit), in_order(new_audit)
    return FindingDelta(
        new=sorted(new, key=second),
        resolved=sorted(resolved, key=first),
        unchanged=sorted(unchanged, key=second),
        evidence_changed=sorted(changed, key=lambda pair: second(pair[1])),
    )
