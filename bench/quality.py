"""Quality of the clause classifiers, against the baseline and the published figures.

Prints micro- and macro-F1 (and F1 per class) for:
  1. OPP-115, 5 folds grouped by policy (no policy in both train and test), labels =
     every category any annotator gave a segment; baseline vs what ships.
  2. OPP-115 on a segment-level split like Polisis' (test segments from policies also
     in train; majority labels, unlabelled segments dropped), for comparison with
     PrivBERT 87.2 / 82.1 and BERT 84.0 / 78.4.
  3. CLAUDETTE, 5 folds grouped by document: the nine categories (potentially or
     clearly unfair); and LexGLUE-style (eight categories without pinc, plus a "none"
     class) for comparison with Legal-BERT 96.0 / 83.0 and TF-IDF+SVM 95.4 / 78.8.
  4. The Korean evaluation sets in bench/data (real Naver clauses annotated by us,
     and clauses of our own writing), with the shipped weights.
  5. Throughput: clauses per second, and the added time of classifying a 60 KB policy.

Embeddings are cached (``~/.cache/privwatch/embeddings.npz``); the first run embeds
about 17,000 texts, which takes about 25 minutes on 2 cores.

    .venv/bin/python bench/quality.py [--shared ../shared] [--skip-throughput]
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold

from privwatch import ingest_document
from privwatch.classify import load_classifier
from privwatch.classify.corpora import Example, labelled_file, opp115
from privwatch.classify.embed import embed
from privwatch.classify.train import (
    TASKS,
    Settings,
    Task,
    fit,
    folds,
    targets,
    vectors_for,
)

HERE = Path(__file__).parent
Matrix = NDArray[np.int8]


def f1(y: Matrix, p: Matrix) -> tuple[float, float]:
    micro = f1_score(y, p, average="micro", zero_division=0)
    macro = f1_score(y, p, average="macro", zero_division=0)
    return 100 * micro, 100 * macro


def show(name: str, y: Matrix, p: Matrix, labels: Sequence[str]) -> None:
    micro, macro = f1(y, p)
    print(f"  {name:<44} micro {micro:5.1f}  macro {macro:5.1f}")


def per_class(rows: dict[str, tuple[Matrix, Matrix]], labels: Sequence[str]) -> None:
    names = list(rows)
    print("    " + f"{'class':<38}" + "".join(f"{n:>12}" for n in names) + "   support")
    for j, label in enumerate(labels):
        cells = [
            100 * f1_score(y[:, j], p[:, j], zero_division=0) for y, p in rows.values()
        ]
        support = int(next(iter(rows.values()))[0][:, j].sum())
        print(
            f"    {label:<38}" + "".join(f"{c:12.1f}" for c in cells) + f"{support:10d}"
        )


def out_of_fold(
    task: Task,
    examples: list[Example],
    vectors: NDArray[np.float32],
    splits: list[tuple[NDArray[np.intp], NDArray[np.intp]]],
    *,
    baseline: bool,
    threshold: float = 0.5,
    korean: list[Example],
    korean_vectors: NDArray[np.float32],
) -> Matrix:
    """Decisions on each test part by a model fitted on the rest.

    The baseline is the TF-IDF head alone (word 1-2 and char 2-5 grams, one-vs-rest
    logistic regression with C=1, balanced class weights) without the Korean
    examples, at ``threshold`` (0.5 unless given); what ships adds the embedding
    head, its settings and our examples.
    """
    settings = task.settings
    if baseline:
        settings = Settings(text_weight=1.0, threshold=threshold)
    decided = np.zeros((len(examples), len(task.labels)), dtype=np.int8)
    for train, test in splits:
        part = [examples[i] for i in train]
        part_vectors = vectors[train]
        if not baseline:
            part += korean
            part_vectors = np.vstack([part_vectors, korean_vectors])
        model = fit(task, part, part_vectors, settings)
        scores = model.scores([examples[i].text for i in test], vectors[test])
        decided[test] = model.decide(scores)
    return decided


def grouped(
    task: Task, examples: list[Example], title: str
) -> tuple[Matrix, Matrix, Matrix]:
    vectors = vectors_for(examples)
    korean = task.korean()
    korean_vectors = vectors_for(korean)
    splits = list(folds([e.group for e in examples]))
    y = targets(examples, task.labels)
    common = {"korean": korean, "korean_vectors": korean_vectors}
    base = out_of_fold(task, examples, vectors, splits, baseline=True, **common)
    ours = out_of_fold(task, examples, vectors, splits, baseline=False, **common)
    print(
        f"\n{title}: {len(examples)} clauses, {len({e.group for e in examples})} documents"
    )
    show("baseline TF-IDF + LR (measured here)", y, base, task.labels)
    if task.settings.threshold != 0.5:  # the baseline with our threshold, to be fair
        kwargs = {"threshold": task.settings.threshold, **common}
        tuned = out_of_fold(task, examples, vectors, splits, baseline=True, **kwargs)
        label = f"baseline at our threshold {task.settings.threshold}"
        show(label, y, tuned, task.labels)
        micro, macro = lexglue(y, tuned, task.labels)
        print(
            f"  {'  LexGLUE-style (8 + none)':<44} micro {micro:5.1f}  macro {macro:5.1f}"
        )
    show("privwatch (shipped settings)", y, ours, task.labels)
    return y, base, ours


def opp115_sections(shared: Path) -> None:
    task = TASKS["practices"]
    y, base, ours = grouped(
        task, opp115(shared, 1), "OPP-115, 5 folds grouped by policy"
    )
    per_class({"baseline": (y, base), "privwatch": (y, ours)}, task.labels)

    majority = [e for e in opp115(shared, 2) if e.labels]
    vectors = vectors_for(majority)
    korean = task.korean()
    splits = list(KFold(5, shuffle=True, random_state=0).split(majority))
    y = targets(majority, task.labels)
    common = {"korean": korean, "korean_vectors": vectors_for(korean)}
    base = out_of_fold(task, majority, vectors, splits, baseline=True, **common)
    ours = out_of_fold(task, majority, vectors, splits, baseline=False, **common)
    print(
        f"\nOPP-115, segment-level 5 folds (Polisis-like; majority labels): "
        f"{len(majority)} segments"
    )
    show("baseline TF-IDF + LR", y, base, task.labels)
    show("privwatch", y, ours, task.labels)
    print(
        "  published (Polisis split): PrivBERT micro 87.2 macro 82.1; BERT 84.0 / 78.4"
    )


def lexglue(y: Matrix, p: Matrix, labels: Sequence[str]) -> tuple[float, float]:
    """LexGLUE's unfair_tos scoring: eight categories plus a 'none' class."""
    keep = [j for j, label in enumerate(labels) if label != "pinc"]
    y, p = y[:, keep], p[:, keep]
    y = np.hstack([y, (y.sum(1) == 0)[:, None]]).astype(np.int8)
    p = np.hstack([p, (p.sum(1) == 0)[:, None]]).astype(np.int8)
    return f1(y, p)


def claudette_section(shared: Path) -> None:
    from privwatch.classify.corpora import claudette

    task = TASKS["unfair-terms"]
    y, base, ours = grouped(
        task, claudette(shared), "CLAUDETTE, 5 folds grouped by document"
    )
    per_class({"baseline": (y, base), "privwatch": (y, ours)}, task.labels)
    for name, p in (("baseline", base), ("privwatch", ours)):
        micro, macro = lexglue(y, p, task.labels)
        print(
            f"  LexGLUE-style (8 + none), {name:<24} micro {micro:5.1f}  macro {macro:5.1f}"
        )
    print(
        "  published (LexGLUE unfair_tos): Legal-BERT 96.0 / 83.0; TF-IDF+SVM 95.4 / 78.8"
    )


def korean_sets(shared: Path) -> dict[str, list[Example]]:
    """The Korean evaluation sets: Naver clauses by id and hash, and our own writing."""
    sets: dict[str, list[Example]] = {}
    naver = yaml.safe_load(
        (HERE / "data/ko_eval_practices_naver.yaml").read_text("utf-8")
    )
    real: list[Example] = []
    for entry in naver["documents"]:
        document = ingest_document(str(shared / entry["path"]))
        by_id = {c.id: document.text[c.start : c.end] for c in document.clauses}
        for clause in entry["clauses"]:
            text = by_id.get(clause["id"], "")
            if (
                hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
                != clause["sha256"]
            ):
                raise SystemExit(
                    f"{entry['path']} {clause['id']}: text changed; re-align"
                )
            real.append(Example(text, frozenset(clause["labels"]), entry["path"]))
    sets["practices: Naver (real, 2 versions)"] = real
    for name, task, title in (
        ("ko_eval_practices_written.yaml", "practices", "practices: our writing"),
        ("ko_eval_terms_written.yaml", "unfair-terms", "unfair-terms: our writing"),
    ):
        sets[title] = labelled_file(HERE / "data" / name, task)
    return sets


def korean_section(shared: Path) -> None:
    """The shipped weights on the Korean sets, beside two models without our Korean
    examples: the baseline (TF-IDF, English corpus only) and the embedding head
    alone trained on the English corpus (what crosses languages by itself)."""
    print(
        "\nKorean evaluation sets (shipped weights; none of these clauses is trained on)"
    )
    english: dict[str, tuple[Any, Any]] = {}
    for title, examples in korean_sets(shared).items():
        task = TASKS[title.split(":")[0]]
        if task.name not in english:
            corpus = task.corpus(shared)
            vectors = vectors_for(corpus)
            english[task.name] = (
                fit(task, corpus, vectors, Settings(text_weight=1.0)),
                fit(task, corpus, vectors, replace(task.settings, text_weight_ko=0.0)),
            )
        baseline, transfer = english[task.name]
        model = load_classifier(task.name)
        y = targets(examples, task.labels)
        texts = [e.text for e in examples]
        vectors = vectors_for(examples)
        present = [j for j in range(len(task.labels)) if y[:, j].any()]
        print(f"  {title} ({len(examples)} clauses)")
        rows = {}
        for name, candidate in (
            ("baseline TF-IDF + LR, English only", baseline),
            ("embedding head, English only", transfer),
            ("privwatch (shipped)", model),
        ):
            p = candidate.decide(candidate.scores(texts, vectors)).astype(np.int8)
            micro, macro = f1(y[:, present], p[:, present])
            print(f"    {name:<42} micro {micro:5.1f}  macro {macro:5.1f}")
            rows[name.split(" ")[0]] = (y, p)
        per_class(rows, task.labels)


def throughput(shared: Path) -> None:
    print("\nThroughput (2 cores)")
    model = load_classifier("practices")
    for name, path in (
        ("English, Temu US policy", "corpus/policies/temu_privacy_en-us_2026-02-04.md"),
        ("Korean, Naver v11.10", "corpus/policies/naver_privacy_ko_v11.10.txt"),
    ):
        document = ingest_document(str(shared / path))
        texts = [document.text[c.start : c.end] for c in document.clauses]
        embed(texts[:2])
        start = time.perf_counter()
        model.decide(model.scores(texts))
        seconds = time.perf_counter() - start
        size = len(document.text.encode("utf-8")) / 1024
        print(
            f"  {name:<30} {len(texts):4d} clauses, {size:5.0f} KB: {seconds:5.2f} s, "
            f"{len(texts) / seconds:5.1f} clauses/s, {size / seconds * 60 / 60:5.1f} KB/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    opp115_sections(args.shared)
    claudette_section(args.shared)
    korean_section(args.shared)
    if not args.skip_throughput:
        throughput(args.shared)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
