"""Would the unfair-terms classifier be faster, and as right, on sentences?

    python bench/terms_sentences.py                  # the terms of ../shared/corpus
    python bench/terms_sentences.py FILE ...
    python bench/terms_sentences.py --legal cue      # bench/legal.py --pack kr-terms
                                                      # with that method in the audit

An experiment, not what ships. What ships (``clauses``) embeds each clause that
could get a label the audit keeps, whole. Two other readings of "a clause is
unfair if one of its sentences is", with the same weights:

- ``sentences``: each sentence of such a clause (``extract.terms.units``) whose
  TF-IDF score could reach a label is embedded; the clause's score for a label
  is the highest of its sentences';
- ``cue``: only the sentence the audit would quote for the label (the first that
  names its subject without protecting the customer) is judged for it.

For each document: the tokens each method embeds (the engine's CPU grows with
them, and somewhat faster than them in long texts: attention) and every label
that differs from ``clauses``, with its sentence.
"""

from __future__ import annotations

import argparse
import runpy
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from privwatch import extract, ingest_document, pipeline
from privwatch.classify import load_classifier, unfair_term_facts
from privwatch.classify.embed import MAX_CHARS, _e5, embed
from privwatch.extract.terms import _cue_span, units
from privwatch.models import Clause, Document, Evidence, Fact

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
METHODS = ("sentences", "cue")
Wanted = Callable[[Clause, str], bool] | None
Piece = tuple[int, tuple[int, int], tuple[str, ...]]  # clause, span, labels


def pieces(document: Document, wanted: Wanted, method: str) -> list[Piece]:
    labels = load_classifier("unfair-terms").labels
    found: list[Piece] = []
    for i, clause in enumerate(document.clauses):
        kept = tuple(lab for lab in labels if wanted is None or wanted(clause, lab))
        if not kept:
            continue
        if method == "sentences":
            found += [(i, (s.start, s.end), kept) for s in units(document, clause)]
            continue
        spans: dict[tuple[int, int], list[str]] = {}
        for label in kept:
            span = _cue_span(document, clause, label)
            if span is not None:
                spans.setdefault((span.start, span.end), []).append(label)
        found += [(i, span, tuple(on)) for span, on in spans.items()]
    return [p for p in found if document.text[p[1][0] : p[1][1]].strip()]


def sentence_facts(
    document: Document, wanted: Wanted = None, method: str = "cue"
) -> tuple[list[Fact], list[str]]:
    """``classify.unfair_term_facts`` by ``method``, and the texts it embedded."""
    classifier = load_classifier("unfair-terms")
    index = {label: j for j, label in enumerate(classifier.labels)}
    found = pieces(document, wanted, method)
    texts = [document.text[a:b].strip() for _, (a, b), _ in found]
    if not texts:
        return [], []
    text = classifier.text_scores(texts)
    possible = classifier.reachable(texts, text)
    rows = [
        k for k, p in enumerate(found) if any(possible[k][index[lab]] for lab in p[2])
    ]
    chosen = [texts[k] for k in rows]
    scores = classifier.combine(chosen, text[rows], embed(chosen)) if rows else text[:0]
    best: dict[tuple[int, str], float] = {}
    for k, row in zip(rows, scores, strict=True):
        at, _, labels = found[k]
        for label in labels:
            j = index[label]
            if row[j] >= classifier.thresholds[j]:
                key = (at, label)
                best[key] = max(best.get(key, 0.0), float(np.round(row[j], 4)))
    facts = []
    for (i, label), score in sorted(best.items()):
        clause = document.clauses[i]
        quote = document.text[clause.start : clause.end]
        facts.append(
            Fact(
                kind="unfair_term",
                value=label,
                attrs=(("score", f"{score:.2f}"),),
                evidence=(Evidence(clause.start, clause.end, quote, clause.id),),
            )
        )
    return facts, chosen


def compare(path: Path) -> dict[str, int]:
    document = ingest_document(str(path))
    kept = extract.applicable(document, scope=extract.document_scope(document))
    wanted = extract.quotable(kept, extract.rule_facts(kept))
    model = _e5()

    def tokens(texts: list[str]) -> int:
        return sum(model.token_count(t[:MAX_CHARS]) for t in texts)

    clauses = document.clauses
    shipped = unfair_term_facts(document, wanted=wanted)
    before = {(f.evidence[0].clause, f.value) for f in shipped}
    counts = {"clauses": tokens(embedded_by_main(document, wanted))}
    print(f"\n== {path.name}")
    for method in METHODS:
        facts, texts = sentence_facts(document, wanted, method)
        counts[method] = tokens(texts)
        after = {(f.evidence[0].clause, f.value) for f in facts}
        print(
            f"  {method:<10} {counts[method]:6d} tokens (clauses: "
            f"{counts['clauses']}); labels: {len(before & after)} kept, "
            f"{len(before - after)} lost, {len(after - before)} gained"
        )
        by_id = {c.id: c for c in clauses}
        for clause_id, label in sorted(before ^ after, key=str):
            clause = by_id[clause_id or ""]
            span = _cue_span(kept, clause, label or "")
            quote = document.text[span.start : span.end] if span else ""
            sign = "-" if (clause_id, label) in before else "+"
            print(f"    {sign} {clause_id} {label:<5} {' '.join(quote.split())[:150]}")
    return counts


def embedded_by_main(document: Document, wanted: Wanted) -> list[str]:
    """The clauses ``unfair_term_facts`` embeds (those the TF-IDF head leaves open)."""
    classifier = load_classifier("unfair-terms")
    all_texts = [document.text[c.start : c.end] for c in document.clauses]
    possible = classifier.reachable(all_texts, classifier.text_scores(all_texts))
    return [
        all_texts[i]
        for i, clause in enumerate(document.clauses)
        if any(
            on and (wanted is None or wanted(clause, label))
            for label, on in zip(classifier.labels, possible[i], strict=True)
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--legal", choices=METHODS)
    options = parser.parse_args()
    if options.legal:
        method = options.legal

        def patched(document: Document, wanted: Wanted = None) -> list[Fact]:
            return sentence_facts(document, wanted, method)[0]

        setattr(pipeline, "unfair_term_facts", patched)  # noqa: B010
        sys.argv = ["legal.py", "--pack", "kr-terms"]
        runpy.run_path(str(ROOT / "bench" / "legal.py"), run_name="__main__")
        return 0
    files = options.files or [
        *sorted((CORPUS / "ko_wild" / "terms").iterdir()),
        *sorted((CORPUS / "terms").iterdir()),
    ]
    total = dict.fromkeys(("clauses", *METHODS), 0)
    for path in files:
        for name, count in compare(path).items():
            total[name] += count
    print(f"\ntokens embedded in all: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
