"""Sentence splits of Kiwi's configurations on every Korean document of the corpus.

Records the clause texts the segmenter sends to Kiwi for each document with
Hangul under ../shared/corpus (and examples/), then splits them with Kiwi as
configured before (all built-in dictionaries) and as configured now, and prints
how many clauses get different sentence spans, plus each configuration's cold
cost (constructor + first split) in CPU seconds. It also counts the clauses
where a rule-based splitter (a full stop after two Hangul syllables, as in
``합니다.``) disagrees with Kiwi: the measure of whether Kiwi could be replaced.

    PYTHONPATH=src python bench/kiwi_split.py [CORPUS_DIR]
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from privwatch import pipeline
from privwatch.segment import sentences

ROOT = Path(__file__).resolve().parent.parent
CONFIGS: dict[str, dict[str, Any]] = {
    "all dictionaries (before)": {},
    "no default/typo/multi dictionaries (now)": {
        "load_default_dict": False,
        "load_typo_dict": False,
        "load_multi_dict": False,
    },
}


_RULE_END = re.compile(
    r"(?<=[\uac00-\ud7a3][\uac00-\ud7a3])[.!?]+[\"'”’)\]]*(?=\s|$|[\uac00-\ud7a3])"
)


def _rule(text: str) -> tuple[tuple[int, int], ...]:
    """A rule-based Korean splitter, for comparison only (trimmed as the
    segmenter trims Kiwi's sentences)."""
    spans, start = [], 0
    for match in _RULE_END.finditer(text):
        spans.append(sentences.Span(start, match.end()))
        start = match.end()
    spans.append(sentences.Span(start, len(text)))
    found = sentences._trimmed(text, spans) or [sentences.Span(0, len(text))]
    return tuple((s.start, s.end) for s in found)


class _Recorder:
    def __init__(self) -> None:
        self.pieces: list[str] = []

    def split_into_sents(self, texts: list[str]) -> list[list[Any]]:
        self.pieces.extend(texts)
        return [[] for _ in texts]


def _documents(corpus: Path) -> list[Path]:
    found = sorted(
        p
        for p in [*corpus.rglob("*"), *(ROOT / "examples").rglob("*")]
        if p.is_file() and p.suffix in {".md", ".txt", ".html"}
    )
    return [p for p in found if any("가" <= c <= "힣" for c in p.read_text("utf-8"))]


def _spans(kiwi: Any, pieces: list[str]) -> list[tuple[tuple[int, int], ...]]:
    return [
        tuple((s.start, s.end) for s in found)
        for found in kiwi.split_into_sents(pieces)
    ]


_COLD = """
import time
from kiwipiepy import Kiwi
t = time.process_time()
Kiwi(num_workers=2, **{kw}).split_into_sents(["개인정보를 수집합니다. 보유기간은 1년입니다."])
print(time.process_time() - t)
"""


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/corpus"
    recorder = _Recorder()
    sentences._kiwi.cache_clear()
    original = sentences._kiwi
    sentences._kiwi = lambda: recorder  # type: ignore[assignment]
    docs = _documents(corpus)
    for path in docs:
        pipeline.ingest_document(str(path))
    sentences._kiwi = original
    pieces = [p for p in recorder.pieces]
    print(f"{len(docs)} documents with Hangul, {len(pieces)} Korean clauses")
    from kiwipiepy import Kiwi

    results = {}
    for name, kwargs in CONFIGS.items():
        cold = subprocess.run(
            [sys.executable, "-c", _COLD.format(kw=kwargs)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        kiwi = Kiwi(num_workers=2, **kwargs)
        start = time.process_time()
        results[name] = _spans(kiwi, pieces)
        took = time.process_time() - start
        total = sum(len(s) for s in results[name])
        print(
            f"{name}: {total} sentences; cold {float(cold):.2f} s, "
            f"warm split of all clauses {took:.2f} s CPU"
        )
    before, now = results.values()
    differ = [i for i in range(len(pieces)) if before[i] != now[i]]
    print(f"clauses split differently: {len(differ)} of {len(pieces)}")
    for i in differ[:10]:
        print("  ", repr(pieces[i][:120]), before[i], now[i])
    trimmed = [
        tuple(
            (s.start, s.end)
            for s in sentences._trimmed(
                pieces[i], [sentences.Span(a, b) for a, b in now[i]]
            )
        )
        or ((0, len(pieces[i])),)
        for i in range(len(pieces))
    ]
    rule = [_rule(piece) for piece in pieces]
    apart = [i for i in range(len(pieces)) if rule[i] != trimmed[i]]
    more = sum(len(rule[i]) > len(trimmed[i]) for i in apart)
    fewer = sum(len(rule[i]) < len(trimmed[i]) for i in apart)
    print(
        f"rule-based splitter vs Kiwi: {len(apart)} of {len(pieces)} clauses differ "
        f"({more} with more sentences, {fewer} with fewer, "
        f"{len(apart) - more - fewer} with other boundaries)"
    )


if __name__ == "__main__":
    main()
