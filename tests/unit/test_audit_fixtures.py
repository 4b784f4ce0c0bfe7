"""Hand-written policies, compliant and not, Korean and English, in several
formats: the rules each must and must not trigger (tests/fixtures/audit/EXPECTED.md)."""

from __future__ import annotations

import re
from functools import cache

import pytest

from privwatch import ingest_document
from privwatch.models import Audit
from privwatch.pipeline import audit_document
from privwatch.rules import load_pack
from tests.conftest import FIXTURES

FOLDER = FIXTURES / "audit"
RULE = re.compile(r"`(kr-pipa\.[\w.-]+)`(\s*\(once\))?")


def _expectations() -> list[tuple[str, bool, dict[str, bool], set[str]]]:
    """(file, foreign, must fire {rule: once}, must not fire) per section."""
    out = []
    text = (FOLDER / "EXPECTED.md").read_text("utf-8")
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        header = re.match(r"(\S+) \(`--(foreign|domestic)`\)", block)
        assert header, block[:80]
        must_part, _, must_not_part = block.partition("MUST NOT fire")
        must = {}
        for line in must_part.splitlines():
            if line.startswith("- "):
                for rule, once in RULE.findall(line.split(":")[0]):
                    must[rule] = bool(once)
        must_not = {
            rule
            for line in must_not_part.splitlines()
            if line.startswith("- ")
            for rule, _ in RULE.findall(line.split(":")[0])
        }
        out.append((header.group(1), header.group(2) == "foreign", must, must_not))
    return out


CASES = _expectations()


@cache
def audited(name: str, foreign: bool) -> Audit:
    document = ingest_document(str(FOLDER / name))
    return audit_document(document, [load_pack("kr-pipa")], foreign=foreign)


@pytest.mark.parametrize(
    ("name", "foreign", "must", "must_not"), CASES, ids=[c[0] for c in CASES]
)
def test_rules_that_must_and_must_not_fire(
    name: str, foreign: bool, must: dict[str, bool], must_not: set[str]
) -> None:
    result = audited(name, foreign)
    fired: dict[str, list[str]] = {}
    for finding in result.findings:
        fired.setdefault(finding.rule, []).append(
            " / ".join(e.text[:80] for e in finding.evidence)
        )
    missing = sorted(rule for rule in must if rule not in fired)
    wrong = {rule: fired[rule] for rule in sorted(must_not) if rule in fired}
    doubled = {
        rule: fired[rule]
        for rule, once in must.items()
        if once and len(fired.get(rule, [])) > 1
    }
    assert (missing, wrong, doubled) == ([], {}, {})


def test_the_expectations_cover_every_fixture() -> None:
    assert {c[0] for c in CASES} == {
        p.name for p in FOLDER.iterdir() if p.name != "EXPECTED.md"
    }
