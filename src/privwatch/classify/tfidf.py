"""TF-IDF features of a trained vocabulary, without scikit-learn.

``transform`` gives what scikit-learn's fitted ``TfidfVectorizer(**WORDS)`` or
``(**CHARS)`` gives (same n-grams, counts, sorted indices, sublinear tf, idf and
a row's L2 norm summed in index order), so the shipped weights score as trained;
``tests/test_classify.py`` compares the two. Importing scikit-learn costs seconds
(it pulls in ``scipy.stats``); this costs nothing. ``rows`` gives the same
features row by row as plain arrays, so scoring needs no scipy either.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise, repeat
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from scipy import sparse

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
_SPACES = re.compile(r"\s\s+")

Row = tuple[NDArray[np.intp], NDArray[np.float64]]
"""One text's features: column indices in increasing order and their values."""


def _words(text: str, low: int, high: int) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    grams: list[str] = []
    if low == 1:
        grams.extend(tokens)
        low = 2
    for n in range(low, min(high + 1, len(tokens) + 1)):
        if n == 2:
            grams.extend([f"{a} {b}" for a, b in pairwise(tokens)])
        else:
            grams.extend(
                [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
            )
    return grams


def _chars_wb(text: str, low: int, high: int) -> list[str]:
    grams: list[str] = []
    for word in _SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:  # a word no longer than n is counted once, whole
                grams.append(padded)
                break
            grams.extend([padded[i : i + n] for i in range(size - n + 1)])
    return grams


@dataclass(frozen=True)
class Tfidf:
    """A fitted vectorizer's vocabulary and idf; ``options`` are its
    ``TfidfVectorizer`` keyword arguments (``WORDS`` or ``CHARS``)."""

    vocabulary_: dict[str, int]
    idf_: NDArray[np.float64]
    options: dict[str, Any]

    def rows(self, texts: list[str]) -> list[Row]:
        """Each text's features, as one row of ``transform`` would hold them."""
        low, high = self.options["ngram_range"]
        grams = _chars_wb if self.options.get("analyzer") == "char_wb" else _words
        vocabulary = self.vocabulary_
        found: list[Row] = []
        for text in texts:
            counted = Counter(grams(text, low, high))
            found_at = np.fromiter(
                map(vocabulary.get, counted, repeat(-1)), np.intp, len(counted)
            )
            known = found_at >= 0
            order = np.argsort(found_at[known])
            indices = found_at[known][order]
            data = np.fromiter(counted.values(), np.float64, len(counted))[known][order]
            if self.options.get("sublinear_tf"):
                np.log(data, data)
                data += 1.0
            data *= self.idf_[indices]
            if len(data):
                total = float(np.cumsum(data**2)[-1])  # in order
                if total != 0.0:
                    data /= np.sqrt(total)
            found.append((indices, data))
        return found

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        from scipy import sparse

        rows = self.rows(texts)
        indptr = np.cumsum([0, *(len(i) for i, _ in rows)])
        return sparse.csr_matrix(
            (
                np.concatenate([d for _, d in rows]) if rows else np.zeros(0),
                np.concatenate([i for i, _ in rows]).astype(np.int32)
                if rows
                else np.zeros(0, dtype=np.int32),
                indptr.astype(np.int32),
            ),
            shape=(len(texts), len(self.idf_)),
        )
