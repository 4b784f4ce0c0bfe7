"""The character n-gram block before the embedding model."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from privwatch.products.match.data import rules
from privwatch.products.records import HazardRecord


class NameIndex:
    """Character n-gram TF-IDF over each hazard's brand and names: the block
    that keeps the embedding model to a few candidates per listing."""

    def __init__(self, hazards: Sequence[HazardRecord]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        # one row per name: a Korean title meets the Korean name undiluted by
        # the English one
        docs: list[str] = []
        owner: list[int] = []
        for i, h in enumerate(hazards):
            for name in [n for n in h.names.values() if n] or [""]:
                docs.append(" ".join(filter(None, [h.brand, name])) or "-")
                owner.append(i)
        # n-grams in many records of a large list (category words: "power
        # bank") say nothing about which one; a small list keeps them all
        share = rules()["name"]["ngram_max_share"]
        max_df = 1.0 if len(docs) * share < 10 else share
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 4),
            sublinear_tf=True,
            max_df=max_df,
            dtype=_float32(),
        )
        self.matrix = self.vectorizer.fit_transform(docs).tocsr()
        self.transposed = self.matrix.T.tocsr()
        self.owner = owner
        self.rows: dict[int, list[int]] = defaultdict(list)
        for row, i in enumerate(owner):
            self.rows[i].append(row)

    def vectors(self, queries: list[str]) -> Any:
        return self.vectorizer.transform(queries).tocsr()

    def nearest(self, vectors: Any, k: int, floor: float) -> list[list[int]]:
        """For each query row, the ``k`` records of highest n-gram cosine at
        or above ``floor``, best first."""
        import numpy as np

        out: list[list[int]] = []
        for start in range(0, vectors.shape[0], 256):
            block = (vectors[start : start + 256] @ self.transposed).tocsr()
            for row in range(block.shape[0]):
                lo, hi = block.indptr[row], block.indptr[row + 1]
                data, cols = block.data[lo:hi], block.indices[lo:hi]
                keep = data >= floor
                data, cols = data[keep], cols[keep]
                if len(data) > 3 * k:
                    top = np.argpartition(-data, 3 * k)[: 3 * k]
                    data, cols = data[top], cols[top]
                order = np.argsort(-data)
                ranked = dict.fromkeys(self.owner[int(c)] for c in cols[order])
                out.append(list(ranked)[:k])
        return out

    def rank(self, vector: Any, among: list[int]) -> list[int]:
        """``among`` ordered by n-gram similarity to the query row ``vector``."""
        if len(among) <= 1:
            return list(among)
        rows = [row for i in among for row in self.rows[i]]
        scores = (self.matrix[rows] @ vector.T).toarray().ravel()
        best: dict[int, float] = {}
        for row, score in zip(rows, scores, strict=True):
            i = self.owner[row]
            best[i] = max(best.get(i, 0.0), float(score))
        return sorted(among, key=lambda i: -best[i])


def _float32() -> type:
    import numpy as np

    return np.float32
