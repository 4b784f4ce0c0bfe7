"""A trained clause classifier: TF-IDF and sentence-embedding heads, averaged.

The TF-IDF head (word 1-2 and character 2-5 grams) is strong on the language it
was trained on; the embedding head (multilingual-e5-small) carries what it learnt
from English to Korean. Each head is a one-vs-rest linear layer. Weights live in one
``.npz`` of plain arrays (no pickle), so a file cannot run code when loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from privwatch.classify.embed import embed
from privwatch.classify.tfidf import Tfidf

Array = NDArray[np.float32]

WORDS: dict[str, Any] = {"ngram_range": (1, 2), "sublinear_tf": True, "min_df": 2}
CHARS: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": (2, 5),
    "sublinear_tf": True,
    "min_df": 2,
}


class Vectorizer(Protocol):
    """A fitted ``TfidfVectorizer`` (training) or a ``Tfidf`` (loaded weights)."""

    @property
    def vocabulary_(self) -> dict[str, int]: ...

    @property
    def idf_(self) -> NDArray[np.float64]: ...

    def transform(self, texts: list[str]) -> Any: ...


def hangul_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum("\uac00" <= c <= "\ud7a3" for c in letters) / len(letters)


@dataclass(frozen=True)
class Head:
    """One-vs-rest logistic layer: probabilities = sigmoid(X @ coef.T + intercept)."""

    coef: Array
    intercept: Array

    def proba(self, features: Any) -> Array:
        logits = features @ self.coef.T + self.intercept
        return _sigmoid(logits)

    def proba_csr(self, data: Any, indices: Any, indptr: Any) -> Array:
        """``proba`` of the CSR matrix ``(data, indices, indptr)``, without
        scipy and bit for bit: scipy multiplies a CSR matrix by a dense one in
        float64, adding each stored value times its row of ``coef.T`` in the
        row's stored order, and ``cumsum`` adds in that order too."""
        products = data[:, None] * self.columns[indices]
        summed = np.zeros((len(indptr) - 1, len(self.intercept)), dtype=np.float64)
        bounds = np.asarray(indptr).tolist()
        for row, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
            if end > start:
                summed[row] = np.cumsum(products[start:end], axis=0)[-1]
        return _sigmoid(summed + self.intercept)

    @cached_property
    def columns(self) -> NDArray[np.float64]:
        """``coef.T`` in float64, made once (scipy converts it on each product)."""
        return np.ascontiguousarray(self.coef.T, dtype=np.float64)


def _sigmoid(logits: Any) -> Array:
    return np.asarray(1.0 / (1.0 + np.exp(-np.asarray(logits))), dtype=np.float32)


@dataclass(frozen=True)
class Classifier:
    task: str
    labels: tuple[str, ...]
    vectorizers: tuple[Vectorizer, Vectorizer]
    text_head: Head
    embed_head: Head
    thresholds: Array
    text_weight: float
    """Share of the TF-IDF head in the average for text that is not Korean."""
    text_weight_ko: float
    """The same for Korean text, where the TF-IDF head knows only our examples."""
    meta: dict[str, Any]

    def text_features(self, texts: list[str]) -> Any:
        from scipy import sparse

        return sparse.hstack([v.transform(texts) for v in self.vectorizers]).tocsr()

    def scores(self, texts: list[str], vectors: Array | None = None) -> Array:
        """Probability of each label for each text (rows follow ``texts``)."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        if vectors is None:
            vectors = embed(texts)
        return self.combine(texts, self.text_scores(texts), vectors)

    def text_scores(self, texts: list[str]) -> Array:
        """The TF-IDF head's probabilities (cheap: no embedding). With the
        shipped vectorizers, computed without scipy (the same numbers)."""
        words, chars = self.vectorizers
        if not (isinstance(words, Tfidf) and isinstance(chars, Tfidf)):
            return self.text_head.proba(self.text_features(texts))
        # sparse.hstack's rows: a text's word columns, then its character ones
        (wd, wi, wp), (cd, ci, cp) = words.arrays(texts), chars.arrays(texts)
        rows = np.concatenate(
            [np.repeat(np.arange(len(texts)), np.diff(p)) for p in (wp, cp)]
        )
        order = np.argsort(rows, kind="stable")
        data = np.concatenate([wd, cd])[order]
        indices = np.concatenate([wi, ci + len(words.idf_)])[order]
        return self.text_head.proba_csr(data, indices, wp + cp)

    def combine(self, texts: list[str], text: Array, vectors: Array) -> Array:
        """The heads' weighted average, from ``text_scores`` and the embeddings."""
        weights = self._weights(texts)
        return weights * text + (1 - weights) * self.embed_head.proba(vectors)

    def reachable(self, texts: list[str], text: Array) -> NDArray[np.bool_]:
        """The labels ``decide`` could choose for each text whatever its
        embedding, from the TF-IDF head alone: the embedding head's probability
        is at most 1, so a label whose average stays below its threshold even
        then is not chosen (rounding is monotone, so this holds in float32)."""
        if self.meta.get("at_least_one"):
            return np.ones(text.shape, dtype=np.bool_)
        weights = self._weights(texts)
        best = weights * text + (1 - weights) * np.ones_like(text)
        return np.asarray(best >= self.thresholds)

    def _weights(self, texts: list[str]) -> Array:
        return np.array(
            [
                self.text_weight_ko if hangul_share(t) > 0.3 else self.text_weight
                for t in texts
            ],
            dtype=np.float32,
        )[:, None]

    def decide(self, scores: Array) -> NDArray[np.bool_]:
        chosen = scores >= self.thresholds
        if self.meta.get("at_least_one"):
            none = ~chosen.any(axis=1)
            chosen[none, scores[none].argmax(axis=1)] = True
        return chosen

    def save(self, path: Path) -> None:
        arrays: dict[str, Any] = {
            "text_coef": self.text_head.coef.astype(np.float16),
            "text_intercept": self.text_head.intercept,
            "embed_coef": self.embed_head.coef,
            "embed_intercept": self.embed_head.intercept,
            "thresholds": self.thresholds,
        }
        for name, vectorizer in zip(("words", "chars"), self.vectorizers, strict=True):
            terms = sorted(
                vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__
            )
            arrays[f"{name}_terms"] = np.array(terms)
            arrays[f"{name}_idf"] = vectorizer.idf_.astype(np.float32)
        header = {
            "task": self.task,
            "labels": list(self.labels),
            "text_weight": self.text_weight,
            "text_weight_ko": self.text_weight_ko,
            **self.meta,
        }
        arrays["header"] = np.array(json.dumps(header, ensure_ascii=False))
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial.npz")
        np.savez_compressed(partial, **arrays)
        partial.replace(path)

    @classmethod
    def load(cls, path: Path) -> Classifier:
        with np.load(path, allow_pickle=False) as stored:
            header = json.loads(str(stored["header"]))
            vectorizers = []
            for name, options in (("words", WORDS), ("chars", CHARS)):
                terms = stored[f"{name}_terms"].tolist()
                vectorizers.append(
                    Tfidf(
                        vocabulary_={t: i for i, t in enumerate(terms)},
                        idf_=stored[f"{name}_idf"].astype(np.float64),
                        options=options,
                    )
                )
            return cls(
                task=header.pop("task"),
                labels=tuple(header.pop("labels")),
                vectorizers=(vectorizers[0], vectorizers[1]),
                text_head=Head(
                    stored["text_coef"].astype(np.float32), stored["text_intercept"]
                ),
                embed_head=Head(stored["embed_coef"], stored["embed_intercept"]),
                thresholds=stored["thresholds"],
                text_weight=float(header.pop("text_weight")),
                text_weight_ko=float(header.pop("text_weight_ko")),
                meta=header,
            )
