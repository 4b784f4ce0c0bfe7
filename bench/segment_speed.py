"""Warm ingest (read + segment, models loaded) of documents, and Kiwi's part.

For each file: the CPU seconds (user + system of this process, so Kiwi's
worker threads count) of ``pipeline.ingest_document`` after one warm-up run,
the median and range of RUNS runs, and how much of it is Kiwi's
``split_into_sents`` (the rest is reading, layout, headings and clauses).
With no file, the 60 KB Korean policy of the performance issue: two ko_wild
policies (34 innisfree, 17 keiti) joined.

    PYTHONPATH=src python bench/segment_speed.py [FILE ...]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from privwatch import pipeline
from privwatch.segment import sentences

ROOT = Path(__file__).resolve().parent.parent
KO_WILD = ROOT.parent / "shared/corpus/ko_wild/policies"
RUNS = 5


class _Timed:
    """Kiwi, with the CPU time its splits take."""

    def __init__(self, kiwi: Any) -> None:
        self.kiwi = kiwi
        self.seconds = 0.0

    def split_into_sents(self, texts: list[str]) -> list[Any]:
        start = time.process_time()
        found = [list(sents) for sents in self.kiwi.split_into_sents(texts)]
        self.seconds += time.process_time() - start
        return found


def _sixty_kb() -> Path:
    parts = [
        KO_WILD / "34_innisfree_privacy.md",
        KO_WILD / "17_keiti_relief_privacy.md",
    ]
    joined = "".join(p.read_text(encoding="utf-8") for p in parts)
    path = Path(tempfile.gettempdir()) / "privwatch-60kb-ko.md"
    path.write_text(joined, encoding="utf-8")
    return path


def main() -> None:
    files = [Path(a) for a in sys.argv[1:]] or [_sixty_kb()]
    timed = _Timed(sentences._kiwi())
    sentences._kiwi = lambda: timed  # type: ignore[assignment]
    for path in files:
        pipeline.ingest_document(str(path))
        total, kiwi = [], []
        for _ in range(RUNS):
            timed.seconds = 0.0
            start = time.process_time()
            pipeline.ingest_document(str(path))
            total.append(time.process_time() - start)
            kiwi.append(timed.seconds)
        print(
            f"{path.name} ({path.stat().st_size:,} bytes): warm ingest "
            f"{statistics.median(total):.3f} s CPU ({min(total):.3f}-{max(total):.3f}), "
            f"of which Kiwi {statistics.median(kiwi):.3f} s, the rest "
            f"{statistics.median(t - k for t, k in zip(total, kiwi, strict=True)):.3f} s"
        )


if __name__ == "__main__":
    main()
