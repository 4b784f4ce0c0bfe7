"""Legal accuracy of the audit on real documents, against a reviewer's judgements.

    python bench/legal.py                 # precision, recall, per rule
    python bench/legal.py --details       # also every finding and its judgement
    python bench/legal.py --show FILE     # clauses of a document with ids and hashes
    python bench/legal.py --checklist     # the checks a reviewer judges
    python bench/legal.py --pack kr-terms # the same for terms of service
    python bench/legal.py --rules 'kr-pipa.30.*,kr-pipa.22-2.*'  # only these rules
    python bench/legal.py --guideline     # also PIPC's guideline items, item by item

The judgements live in ``bench/data/legal/*.yaml``, one file per document of
``../shared/corpus`` (the texts themselves stay there), each for one rule pack
(``pack:``, ``kr-pipa`` unless said). For each document and each rule of the
pack that reads the text, a reviewer who did not
write the rules says whether the defect the rule describes is ``present`` (the
audit must find it), ``absent`` (the audit must not flag it) or ``unclear``
(the text cannot settle it: only a review item is right), and where: clause
ids with the first 12 hex digits of the sha256 of the clause text, so a
judgement still finds its clause after segmentation renumbers clauses.

A finding is correct when its rule is judged ``present`` on that document and,
if the judgement names clauses, the finding's evidence lies in one of them; a
certain finding on an ``unclear`` item is wrong, a review finding on it right.
Recall counts the ``present`` judgements that some finding of the rule covers.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from machine import describe
from privwatch import ingest_document
from privwatch.models import Document, Finding
from privwatch.pipeline import audit_document
from privwatch.rules import load_pack
from privwatch.rules.conditions import Exists, kinds

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "legal"
CORPUS = ROOT.parent / "shared" / "corpus"
VERDICTS = ("present", "absent", "unclear")


def clause_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def text_rules(pack_name: str = "kr-pipa") -> dict[str, Any]:
    """The rules of a pack that read the text (not observed traffic)."""
    pack = load_pack(pack_name)
    return {r.id: r for r in pack.rules if "flow" not in kinds(r.when)}


def show(path: str) -> None:
    document = ingest_document(path)
    print(f"# {path}\n# text sha256 {document.sha256}, language {document.language}")
    headings = {s.id: s.heading for s in document.iter_sections()}
    last = None
    for clause in document.clauses:
        if clause.section != last:
            last = clause.section
            print(f"\n## [{clause.section}] {headings.get(clause.section or '', '')}")
        text = document.text[clause.start : clause.end]
        print(f"{clause.id}\t{clause_hash(text)}\t{' '.join(text.split())}")


def checklist(pack_name: str) -> None:
    for rule in text_rules(pack_name).values():
        anchored = isinstance(rule.when, Exists)
        print(
            f"{rule.id}\n  {rule.law} Art. {rule.article}, {rule.severity}, "
            f"{'per clause' if anchored else 'per document'}\n"
            f"  {rule.title.en}\n  {rule.explanation.en}\n  {rule.title.ko}\n"
        )


@dataclass
class Judged:
    """One document's judgements, resolved to the clause ids of today's segmentation."""

    name: str
    document: Document
    foreign: bool
    agent_required: bool
    compliant: bool
    checks: dict[str, tuple[str, set[str]]]  # rule -> (verdict, clause ids)
    stale: list[str] = field(default_factory=list)


def load(path: Path) -> Judged:
    data = yaml.safe_load(path.read_text("utf-8"))
    document = ingest_document(str(CORPUS / data["document"]))
    by_hash: dict[str, list[str]] = defaultdict(list)
    for clause in document.clauses:
        by_hash[clause_hash(document.quote(clause))].append(clause.id)
    stale = []
    checks = {}
    for rule, judgement in (data.get("checks") or {}).items():
        verdict = judgement["verdict"]
        if verdict not in VERDICTS:
            raise SystemExit(f"{path.name}: {rule}: verdict {verdict!r}")
        ids: set[str] = set()
        for place in judgement.get("where") or []:
            found = by_hash.get(str(place["sha"]))
            if found:
                ids.update(found)
            else:
                stale.append(f"{rule} {place['clause']}")
        checks[rule] = (verdict, ids)
    return Judged(
        path.stem,
        document,
        bool(data.get("foreign")),
        bool(data.get("agent_required")),
        bool(data.get("compliant")),
        checks,
        stale,
    )


def certainty(finding: Finding) -> str:
    return getattr(finding, "certainty", "certain")


def judge(finding: Finding, doc: Judged) -> str:
    """correct, wrong or unjudged."""
    if finding.rule not in doc.checks:
        return "unjudged"
    verdict, ids = doc.checks[finding.rule]
    if verdict == "absent":
        return "wrong"
    if verdict == "unclear":
        return "correct" if certainty(finding) == "review" else "wrong"
    places = {e.clause for e in finding.evidence if e.clause}
    if ids and places and not places & ids:
        return "wrong"  # the defect is elsewhere
    return "correct"


def covers(finding: Finding, ids: set[str]) -> bool:
    places = {e.clause for e in finding.evidence if e.clause}
    return not ids or not places or bool(places & ids)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", metavar="FILE")
    parser.add_argument("--checklist", action="store_true")
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--pack", default="kr-pipa", help="kr-pipa or kr-terms")
    parser.add_argument(
        "--rules", help="comma-separated rule ids or shell patterns to score alone"
    )
    parser.add_argument(
        "--guideline",
        action="store_true",
        help="also score PIPC's guideline items (kr-pipa): an item is lacking when "
        "a reviewer judged one of its rules present",
    )
    args = parser.parse_args()
    if args.show:
        show(args.show)
        return 0
    if args.checklist:
        checklist(args.pack)
        return 0
    files = [
        path
        for path in sorted(DATA.glob("*.yaml"))
        if (yaml.safe_load(path.read_text("utf-8")) or {}).get("pack", "kr-pipa")
        == args.pack
    ]
    if not files or not CORPUS.is_dir():
        print(f"no judgements under {DATA} or no corpus at {CORPUS}", file=sys.stderr)
        return 2
    rules = text_rules(args.pack)
    if args.rules:
        wanted = [p.strip() for p in args.rules.split(",") if p.strip()]
        rules = {
            k: r for k, r in rules.items() if any(fnmatch.fnmatch(k, p) for p in wanted)
        }
        if not rules:
            print(f"no rule of {args.pack} matches {args.rules!r}", file=sys.stderr)
            return 2
    pack = load_pack(args.pack)
    print(f"machine: {describe()}")
    tally: dict[str, Counter[str]] = defaultdict(Counter)  # rule -> outcome counts
    overall: Counter[str] = Counter()
    per_doc = []
    judged_docs: list[tuple[Judged, list[Finding]]] = []
    for path in files:
        doc = load(path)
        audit = audit_document(
            doc.document,
            [pack],
            foreign=doc.foreign,
            agent_required=doc.agent_required,
        )
        findings = [f for f in audit.findings if f.rule in rules]
        counts: Counter[str] = Counter()
        for finding in findings:
            outcome = judge(finding, doc)
            kind = certainty(finding)
            tally[finding.rule][f"{kind}.{outcome}"] += 1
            overall[f"{kind}.{outcome}"] += 1
            if kind == "certain" and finding.severity == "high":
                overall[f"high.{outcome}"] += 1
                counts["high"] += 1
            counts[kind] += 1
            if args.details:
                where = ",".join(sorted({e.clause or "-" for e in finding.evidence}))
                print(f"  {doc.name} {finding.rule} [{kind}] {where}: {outcome}")
        for rule, (verdict, ids) in doc.checks.items():
            if verdict != "present" or rule not in rules:
                continue
            hits = [f for f in findings if f.rule == rule and covers(f, ids)]
            certain = any(certainty(f) == "certain" for f in hits)
            tally[rule]["must"] += 1
            overall["must"] += 1
            tally[rule]["found"] += certain
            overall["found"] += certain
            overall["flagged"] += bool(hits)
            if args.details and not certain:
                print(f"  {doc.name} MISSED {rule} {sorted(ids)}")
        wrong_high = doc.compliant and counts["high"] > 0
        overall["compliant"] += doc.compliant
        overall["compliant_with_high"] += wrong_high
        per_doc.append((doc, counts))
        judged_docs.append((doc, findings))
        for item in doc.stale:
            print(f"  stale judgement in {path.name}: {item}", file=sys.stderr)

    def ratio(good: int, bad: int) -> str:
        return f"{100 * good / (good + bad):5.1f}%" if good + bad else "    -"

    print(f"\n{len(files)} documents judged\n")
    print(f"{'document':44} {'certain':>7} {'review':>6} {'high':>4}")
    for doc, counts in per_doc:
        print(
            f"{doc.name[:44]:44} {counts['certain']:7d} {counts['review']:6d} "
            f"{counts['high']:4d}{'  (judged compliant)' if doc.compliant else ''}"
        )
    print(
        f"\n{'rule':48} {'certain ok/wrong':>16} {'prec':>6} {'review ok/wrong':>15} "
        f"{'unjudged':>8} {'recall':>12}"
    )
    for rule in rules:
        t = tally.get(rule, Counter())
        if not t:
            continue
        print(
            f"{rule:48} {t['certain.correct']:7d}/{t['certain.wrong']:<8d} "
            f"{ratio(t['certain.correct'], t['certain.wrong']):>6} "
            f"{t['review.correct']:6d}/{t['review.wrong']:<8d} "
            f"{t['certain.unjudged'] + t['review.unjudged']:8d} "
            f"{t['found']:4d}/{t['must']:<4d}{ratio(t['found'], t['must'] - t['found']):>6}"
        )
    o = overall
    print(
        f"\nprecision, certain findings: {ratio(o['certain.correct'], o['certain.wrong'])}"
        f" ({o['certain.correct']} correct, {o['certain.wrong']} wrong, "
        f"{o['certain.unjudged']} unjudged)"
    )
    print(
        f"precision, certain high findings: {ratio(o['high.correct'], o['high.wrong'])}"
        f" ({o['high.correct']} correct, {o['high.wrong']} wrong)"
    )
    print(
        f"review items: {o['review.correct'] + o['review.wrong'] + o['review.unjudged']}"
        f" ({o['review.correct']} on a defect or an unclear point, {o['review.wrong']}"
        " where the reviewer saw none)"
    )
    print(
        f"recall of must-find items (certain findings): "
        f"{ratio(o['found'], o['must'] - o['found'])} ({o['found']} of {o['must']}); "
        f"with review items: {ratio(o['flagged'], o['must'] - o['flagged'])}"
    )
    print(
        f"policies judged compliant with a high finding: "
        f"{o['compliant_with_high']} of {o['compliant']}"
    )
    if args.guideline:
        guideline_items(judged_docs, set(rules), ratio)
    return 0


def guideline_items(
    judged: list[tuple[Judged, list[Finding]]], scored: set[str], ratio: Any
) -> None:
    """Item by item of PIPC's guideline: a policy lacks an item when a reviewer
    judged one of its rules ``present``; the audit finds the lack when a certain
    finding of one of its rules covers such a judgement, and is wrong when it
    reports the item unmet (a certain finding) where no rule of it is present."""
    from privwatch.rules.guideline import read_guideline

    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for doc, findings in judged:
        for item in read_guideline().items:
            rules = [r for r in item.rules if r in scored and r in doc.checks]
            if not rules:
                continue
            certain = [
                f for f in findings if f.rule in rules and certainty(f) == "certain"
            ]
            present = [r for r in rules if doc.checks[r][0] == "present"]
            t = tally[item.id]
            if present:
                t["lacking"] += 1
                t["found"] += any(
                    covers(f, doc.checks[f.rule][1])
                    for f in certain
                    if f.rule in present
                )
            elif certain:
                t["wrong"] += 1
            t["flagged"] += bool(certain)
    print(
        f"\n{'guideline item':24} {'lacking':>7} {'found':>5} {'flagged':>7} {'wrong':>5}"
    )
    total: Counter[str] = Counter()
    for item_id, t in tally.items():
        total.update(t)
        print(
            f"{item_id:24} {t['lacking']:7d} {t['found']:5d} {t['flagged']:7d} "
            f"{t['wrong']:5d}"
        )
    print(
        f"guideline items a policy lacks, found: "
        f"{ratio(total['found'], total['lacking'] - total['found'])} "
        f"({total['found']} of {total['lacking']}); items reported unmet where "
        f"none of their rules is present: {total['wrong']} of {total['flagged']} "
        f"({ratio(total['wrong'], total['flagged'] - total['wrong']).strip()})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
