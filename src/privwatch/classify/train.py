"""Training and cross-validation of the clause classifiers.

``fit`` builds a :class:`Classifier` from labelled examples; ``cross_validate``
gives out-of-fold scores with folds grouped by document, so no policy or terms
document has clauses on both sides. Settings are fixed here, not searched per run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from privwatch.classify import corpora
from privwatch.classify.embed import embed_cached
from privwatch.classify.model import CHARS, WORDS, Classifier, Head
from privwatch.errors import InputError
from privwatch.ingest.source import Progress

TERMS = {
    "practices": "Trained on the OPP-115 corpus (Wilson et al., ACL 2016), licensed for "
    "research, teaching and scholarship only, non-commercial (in the spirit of CC BY-NC).",
    "unfair-terms": "Trained on the CLAUDETTE corpus (Lippi et al. 2019; Galassi et al. "
    "2024), CC BY 4.0.",
}


@dataclass(frozen=True)
class Settings:
    text_c: float = 1.0
    embed_c: float = 4.0
    text_weight: float = 0.5
    text_weight_ko: float = 0.5
    threshold: float = 0.5
    korean_weight: float = 3.0
    """Sample weight of a Korean example relative to an English one."""
    at_least_one: bool = False


@dataclass(frozen=True)
class Task:
    name: str
    labels: tuple[str, ...]
    korean_file: str
    settings: Settings = field(default_factory=Settings)

    def corpus(self, shared: Path) -> list[corpora.Example]:
        if self.name == "practices":
            return corpora.opp115(shared, min_annotators=1)
        return corpora.claudette(shared)

    def korean(self) -> list[corpora.Example]:
        return corpora.written(self.korean_file, self.name)


TASKS = {
    "practices": Task(
        "practices",
        corpora.PRACTICES,
        "ko_practices_train.yaml",
        Settings(text_c=4.0, embed_c=16.0, text_weight=0.6, at_least_one=True),
    ),
    "unfair-terms": Task(
        "unfair-terms",
        corpora.UNFAIR_TERMS,
        "ko_terms_train.yaml",
        Settings(embed_c=16.0, threshold=0.7),
    ),
}


def targets(
    examples: Sequence[corpora.Example], labels: Sequence[str]
) -> NDArray[np.int8]:
    return np.array(
        [[label in e.labels for label in labels] for e in examples], dtype=np.int8
    )


def _head(
    features: Any, y: NDArray[np.int8], c: float, weights: NDArray[np.float64]
) -> Head:
    coef, intercept = [], []
    for column in y.T:
        if column.min() == column.max():  # a label absent from this training part
            coef.append(np.zeros(features.shape[1]))
            intercept.append(10.0 if column[0] else -10.0)
            continue
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        model.fit(features, column, sample_weight=weights)
        coef.append(model.coef_[0])
        intercept.append(model.intercept_[0])
    return Head(np.array(coef, dtype=np.float32), np.array(intercept, dtype=np.float32))


def fit(
    task: Task,
    examples: Sequence[corpora.Example],
    vectors: NDArray[np.float32],
    settings: Settings | None = None,
    meta: dict[str, Any] | None = None,
) -> Classifier:
    settings = settings or task.settings
    texts = [e.text for e in examples]
    y = targets(examples, task.labels)
    weights = np.array(
        [
            settings.korean_weight if e.group == task.korean_file else 1.0
            for e in examples
        ]
    )
    vectorizers = (TfidfVectorizer(**WORDS), TfidfVectorizer(**CHARS))
    features = sparse.hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
    return Classifier(
        task=task.name,
        labels=task.labels,
        vectorizers=vectorizers,
        text_head=_head(features, y, settings.text_c, weights),
        embed_head=_head(vectors, y, settings.embed_c, weights),
        thresholds=np.full(len(task.labels), settings.threshold, dtype=np.float32),
        text_weight=settings.text_weight,
        text_weight_ko=settings.text_weight_ko,
        meta={"at_least_one": settings.at_least_one, **(meta or {})},
    )


def folds(
    groups: Sequence[str], k: int = 5
) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Document-grouped folds, the same for every run."""
    yield from GroupKFold(n_splits=k).split(np.zeros(len(groups)), groups=groups)


def default_cache() -> Path:
    """Embeddings of training texts, kept between runs (they take minutes to compute)."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "privwatch" / "embeddings.npz"


def vectors_for(
    examples: Sequence[corpora.Example],
    cache: Path | None = None,
    progress: Progress | None = None,
) -> NDArray[np.float32]:
    return embed_cached([e.text for e in examples], cache or default_cache(), progress)


def build(
    task: Task,
    shared: Path,
    cache: Path | None = None,
    progress: Progress | None = None,
) -> Classifier:
    """The classifier that ships: the whole corpus plus the Korean examples."""
    try:
        examples = [*task.corpus(shared), *task.korean()]
    except FileNotFoundError:
        raise InputError("classify.no_corpus", path=shared) from None
    vectors = vectors_for(examples, cache, progress)
    meta = {
        "trained_on": {
            "corpus": "OPP-115" if task.name == "practices" else "CLAUDETTE (en)",
            "clauses": len(examples),
            "korean_examples": sum(e.group == task.korean_file for e in examples),
        },
        "terms": TERMS[task.name],
        "scikit_learn": sklearn.__version__,
    }
    return fit(task, examples, vectors, meta=meta)
