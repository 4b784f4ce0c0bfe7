"""Clause classifiers: privacy practices (OPP-115 categories) and potentially unfair
terms (CLAUDETTE categories), for English and Korean.

``classify_texts`` labels clauses as given; ``classify_document`` labels a segmented
document's clauses. Weights ship in ``models/`` and are rebuilt by ``privwatch train``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from privwatch.classify.corpora import PRACTICES, UNFAIR_TERMS
from privwatch.errors import InputError
from privwatch.models import Clause, Document, Evidence, Fact, Labelled

if TYPE_CHECKING:  # the model pulls in scikit-learn: loaded on first use
    from privwatch.classify.model import Classifier
    from privwatch.ingest.source import Progress

TASKS = ("practices", "unfair-terms")

__all__ = [
    "PRACTICES",
    "TASKS",
    "UNFAIR_TERMS",
    "Labelled",
    "classify_document",
    "classify_texts",
    "document_kind",
    "unfair_term_facts",
    "load_classifier",
]


def model_path(task: str) -> Path:
    return Path(str(resources.files(__package__).joinpath(f"models/{task}.npz")))


@cache
def load_classifier(task: str) -> Classifier:
    if task not in TASKS:
        raise InputError("classify.unknown_task", task=task, tasks=", ".join(TASKS))
    path = model_path(task)
    if not path.exists():
        raise InputError("classify.no_model", task=task)
    from privwatch.classify.model import Classifier

    return Classifier.load(path)


def classify_texts(
    texts: list[str], task: str, progress: Progress | None = None
) -> list[Labelled]:
    """Labels for each text, taken as one clause as it stands; ``progress``
    hears of the texts embedded (stage ``task``: ``practices``, ``unfair-terms``)."""
    import numpy as np

    from privwatch.classify.embed import embed

    classifier = load_classifier(task)
    vectors = embed(texts, progress=progress, stage=task) if texts else None
    scores = classifier.scores(texts, vectors)
    chosen = classifier.decide(scores)
    return [
        Labelled(
            text=text,
            labels=tuple(np.asarray(classifier.labels)[row_on].tolist()),
            scores=dict(zip(classifier.labels, np.round(row, 4).tolist(), strict=True)),
        )
        for text, row, row_on in zip(texts, scores, chosen, strict=True)
    ]


def classify_document(
    document: Document, task: str, progress: Progress | None = None
) -> list[Labelled]:
    """Labels for each clause of ``document``, in document order."""
    texts = [document.text[c.start : c.end] for c in document.clauses]
    labelled = classify_texts(texts, task, progress)
    return [
        Labelled(item.text, item.labels, item.scores, clause.id)
        for item, clause in zip(labelled, document.clauses, strict=True)
    ]


def unfair_term_facts(
    document: Document,
    wanted: Callable[[Clause, str], bool] | None = None,
    progress: Progress | None = None,
) -> list[Fact]:
    """One ``unfair_term`` fact per category a clause is judged potentially or
    clearly unfair for, quoting the whole clause; ``extract.unfair_terms`` narrows
    it to the sentence and makes it a review item (docs/facts.md).

    Only clauses that could get a label are embedded: the TF-IDF head rules out
    most (``Classifier.reachable``), and ``wanted(clause, category)``, when given,
    rules out judgements the caller would drop anyway. The facts of the clauses
    embedded are those of ``classify_document``; the others have none.
    ``progress`` hears of the clauses embedded (stage ``unfair-terms``)."""
    import numpy as np

    from privwatch.classify.embed import embed

    if progress:  # the TF-IDF head first: a count of what to embed comes later
        progress("unfair-terms", 0, None)
    classifier = load_classifier("unfair-terms")
    clauses = document.clauses
    texts = [document.text[c.start : c.end] for c in clauses]
    if not texts:
        if progress:
            progress("unfair-terms", 0, 0)
        return []
    text = classifier.text_scores(texts)
    possible = classifier.reachable(texts, text)
    rows = [
        i
        for i, clause in enumerate(clauses)
        if any(
            on and (wanted is None or wanted(clause, label))
            for label, on in zip(classifier.labels, possible[i], strict=True)
        )
    ]
    if not rows:
        if progress:
            progress("unfair-terms", 0, 0)
        return []
    chosen_texts = [texts[i] for i in rows]
    vectors = embed(chosen_texts, progress=progress, stage="unfair-terms")
    scores = classifier.combine(chosen_texts, text[rows], vectors)
    facts: list[Fact] = []
    rounded = np.round(scores, 4).tolist()  # as classify_texts gives them
    for i, row, row_on in zip(rows, rounded, classifier.decide(scores), strict=True):
        clause = clauses[i]
        for label, on, score in zip(classifier.labels, row_on, row, strict=True):
            if not on:
                continue
            facts.append(
                Fact(
                    kind="unfair_term",
                    value=label,
                    attrs=(("score", f"{score:.2f}"),),
                    evidence=(Evidence(clause.start, clause.end, texts[i], clause.id),),
                )
            )
    return facts


_TERMS_TITLE = re.compile(
    r"이용\s*약관|서비스\s*약관|회원\s*약관|약관|terms\s+(of|and)\s+(service|use|sale)|"
    r"terms\s+and\s+conditions|conditions\s+of\s+(use|sale)|user\s+agreement|"
    r"service\s+agreement",
    re.I,
)
_POLICY_TITLE = re.compile(
    r"개인정보|처리\s*방침|privacy|personal\s+(data|information)", re.I
)


def document_kind(document: Document) -> str:
    """``terms`` when the title, the first headings and the opening text name terms
    of service more often than a privacy policy, else ``policy``."""
    heads = [document.title or "", *(s.heading for s in document.sections[:5])]
    opening = " ".join([*heads, document.text[:2000]])
    terms = len(_TERMS_TITLE.findall(opening))
    policy = len(_POLICY_TITLE.findall(opening))
    return "terms" if terms > policy else "policy"
