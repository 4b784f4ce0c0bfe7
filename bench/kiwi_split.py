"""Sentence splits of Kiwi's configurations on every Korean document of the corpus.

Records the clause texts the segmenter sends to Kiwi for each document with
Hangul under ../shared/corpus (and examples/), then splits them with Kiwi as
configured before (all built-in dictionaries) and as configured now, and prints
how many clauses get different sentence spans, plus each configuration's cold
cost (constructor + first split) in CPU seconds. It also counts the clauses
where a rule-based splitter (a full stop after two Hangul syllables, as in
``합니다.``) disagrees with Kiwi: the measure of whether Kiwi could be replaced.

It then measures whether Kiwi could be skipped on clauses that cannot hold more
than one sentence. Kiwi ends a sentence only after a final ending (EF) or
sentence-final punctuation (SF) followed by more text, or at a blank line; so a
clause with neither inside is one sentence. Three pre-filters are counted:
punctuation only; the proof (no SF character and no syllable that can end one
of Kiwi's own EF morphemes, read from its dictionary, before the clause's
last word character); and a short hand-picked list of endings. For each: the
clauses and characters it would keep from Kiwi, and the clauses Kiwi splits
that it calls one sentence. Last, Kiwi's beam ``cutoff_threshold`` lowered:
its CPU on the clauses and the clauses it splits differently.

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
from privwatch.models import Span
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
        spans.append(Span(start, match.end()))
        start = match.end()
    spans.append(Span(start, len(text)))
    found = sentences._trimmed(text, spans) or [Span(0, len(text))]
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


_SF = re.compile(r"[.!?\u3002\uff01\uff1f\uff0e\u2026\u2025]")
_TAIL = re.compile(r"[\s.!?\u3002\uff01\uff1f\uff0e\u2026\u2025\"'”’)\]】>*_~:;,-]*$")
_BLANK_LINE = re.compile(r"\n\s*\n")  # Kiwi starts a sentence after one
_HANGUL = [chr(c) for c in range(0xAC00, 0xD7A4)]
_JAMO_FINAL = {chr(0x11A7 + t): t for t in range(1, 28)}  # ᆨ.. as a final


def _ending_syllables(kiwi: Any) -> str:
    """Every syllable in which one of Kiwi's final endings (EF) can end: the
    last syllable of each EF form, or, for a form ending in a final consonant
    (``ᆫ``, ``ᆷ``), every syllable with that final."""
    found: set[str] = set()
    index = 0
    while True:
        try:
            morpheme = kiwi.morpheme(index)
        except ValueError:
            break
        index += 1
        if not morpheme.tag.startswith("EF") or not morpheme.form:
            continue
        last = morpheme.form[-1]
        if last in _JAMO_FINAL:
            final = _JAMO_FINAL[last]
            found |= {c for c in _HANGUL if (ord(c) - 0xAC00) % 28 == final}
        elif "가" <= last <= "힣":
            found.add(last)
    return "".join(sorted(found))


def _one_sentence_test(endings: str) -> Any:
    """A clause-level test: no SF character, no blank line and no ``endings``
    syllable followed by a word character before the trailing punctuation."""
    inside = re.compile(f"[{re.escape(endings)}](?=.*\\w)", re.S) if endings else None

    def test(piece: str) -> bool:
        body = piece[: _TAIL.search(piece).start()]  # type: ignore[union-attr]
        if _SF.search(body) or _BLANK_LINE.search(body):
            return False
        return inside is None or not inside.search(body)

    return test


def _prefilters(kiwi: Any, pieces: list[str], spans: list[Any]) -> None:
    proof = _ending_syllables(kiwi)
    tests = {
        "punctuation only": _one_sentence_test(""),
        f"proof ({len(proof)} syllables can end one of Kiwi's EF forms)": (
            _one_sentence_test(proof)
        ),
        "hand-picked endings 다요음함됨임": _one_sentence_test("다요음함됨임"),
    }
    total = sum(map(len, pieces))
    for name, test in tests.items():
        kept = [i for i, piece in enumerate(pieces) if test(piece)]
        wrong = sum(len(spans[i]) > 1 for i in kept)
        chars = sum(len(pieces[i]) for i in kept)
        print(
            f"pre-filter, {name}: {len(kept)} clauses kept from Kiwi, "
            f"{chars / total:.1%} of the characters; Kiwi splits {wrong} of them"
        )


def _cutoff(pieces: list[str], spans: list[Any], kwargs: dict[str, Any]) -> None:
    from kiwipiepy import Kiwi

    for cutoff in (5.0,):
        kiwi = Kiwi(num_workers=2, **kwargs)
        before = kiwi.global_config.cutoff_threshold
        kiwi.global_config.cutoff_threshold = cutoff
        start = time.process_time()
        found = _spans(kiwi, pieces)
        took = time.process_time() - start
        differ = sum(found[i] != spans[i] for i in range(len(pieces)))
        print(
            f"cutoff_threshold {cutoff} (default {before}): {took:.2f} s CPU, "
            f"{differ} of {len(pieces)} clauses split differently"
        )


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
            for s in sentences._trimmed(pieces[i], [Span(a, b) for a, b in now[i]])
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
    kwargs = CONFIGS["no default/typo/multi dictionaries (now)"]
    _prefilters(Kiwi(num_workers=1, **kwargs), pieces, now)
    _cutoff(pieces, now, kwargs)


if __name__ == "__main__":
    main()
