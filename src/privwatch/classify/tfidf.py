"""TF-IDF features of a trained vocabulary, without scikit-learn.

``transform`` gives what scikit-learn's fitted ``TfidfVectorizer(**WORDS)`` or
``(**CHARS)`` gives (same n-grams, counts, sorted indices, sublinear tf, idf and
a row's L2 norm summed in index order), so the shipped weights score as trained;
``tests/test_classify.py`` compares the two. Importing scikit-learn costs seconds
(it pulls in ``scipy.stats``); this costs nothing. ``arrays`` gives the CSR
matrix's three arrays, so scoring needs no scipy either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from scipy import sparse

Csr = tuple[NDArray[np.float64], NDArray[np.int32], NDArray[np.int32]]
"""A CSR matrix's ``data``, ``indices`` and ``indptr``."""

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
_SPACES = re.compile(r"\s\s+")


def _words(text: str, low: int, high: int) -> Iterator[str]:
    tokens = _TOKEN.findall(text.lower())
    if low == 1:
        yield from tokens
        low = 2
    for n in range(low, min(high + 1, len(tokens) + 1)):
        for i in range(len(tokens) - n + 1):
            yield " ".join(tokens[i : i + n])


def _chars_wb(text: str, low: int, high: int) -> Iterator[str]:
    for word in _SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            yield padded[:n]
            while offset + n < len(padded):
                offset += 1
                yield padded[offset : offset + n]
            if offset == 0:  # a word shorter than n is counted once
                break


@dataclass(frozen=True)
class Tfidf:
    """A fitted vectorizer's vocabulary and idf; ``options`` are its
    ``TfidfVectorizer`` keyword arguments (``WORDS`` or ``CHARS``)."""

    vocabulary_: dict[str, int]
    idf_: NDArray[np.float64]
    options: dict[str, Any]

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        from scipy import sparse

        return sparse.csr_matrix(self.arrays(texts), shape=(len(texts), len(self.idf_)))

    def arrays(self, texts: list[str]) -> Csr:
        """``transform(texts)`` as its ``(data, indices, indptr)``."""
        low, high = self.options["ngram_range"]
        grams = _chars_wb if self.options.get("analyzer") == "char_wb" else _words
        vocabulary = self.vocabulary_
        indices: list[int] = []
        counts: list[int] = []
        indptr = [0]
        for text in texts:
            counter: dict[int, int] = {}
            for gram in grams(text, low, high):
                index = vocabulary.get(gram)
                if index is not None:
                    counter[index] = counter.get(index, 0) + 1
            for index in sorted(counter):
                indices.append(index)
                counts.append(counter[index])
            indptr.append(len(indices))
        data = np.asarray(counts, dtype=np.float64)
        if self.options.get("sublinear_tf"):
            np.log(data, data)
            data += 1.0
        data *= self.idf_[np.asarray(indices, dtype=np.intp)]
        for start, end in zip(indptr, indptr[1:], strict=False):
            if end > start:
                total = float(np.cumsum(data[start:end] ** 2)[-1])  # in order
                if total != 0.0:
                    data[start:end] /= np.sqrt(total)
        return (
            data,
            np.asarray(indices, dtype=np.int32),
            np.asarray(indptr, dtype=np.int32),
        )
