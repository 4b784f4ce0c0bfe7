"""Dump how every document of the corpus is segmented, to compare two versions.

Reads every .md/.txt/.html file under ../shared/corpus (or CORPUS_DIR),
examples/ and tests/fixtures/, and writes one JSON line per file: the
Document's text, language, title, sections (headings) and clauses with their
sentence spans, without ``fetched_at`` and the source path. Run it on two
checkouts and compare; a speed-up in ingest/ or segment/ must leave the file
byte for byte the same.

    PYTHONPATH=src python bench/segment_dump.py OUT.jsonl [CORPUS_DIR]
    cmp main.jsonl branch.jsonl
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from privwatch import pipeline
from privwatch.errors import PrivwatchError

ROOT = Path(__file__).resolve().parent.parent


def _files(corpus: Path) -> list[tuple[str, Path]]:
    roots = {"corpus": corpus, "examples": ROOT / "examples"}
    roots["fixtures"] = ROOT / "tests/fixtures"
    found = [
        (f"{name}/{path.relative_to(base)}", path)
        for name, base in roots.items()
        for path in base.rglob("*")
        if path.is_file() and path.suffix in {".md", ".txt", ".html", ".htm"}
    ]
    return sorted(found)


def main() -> None:
    out = Path(sys.argv[1])
    corpus = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared/corpus"
    files = _files(corpus)
    start = time.process_time()
    with out.open("w", encoding="utf-8") as sink:
        for name, path in files:
            try:
                found = pipeline.ingest_document(str(path)).to_dict()
                found.pop("fetched_at")
                found.pop("source")
            except PrivwatchError as error:
                found = {"error": type(error).__name__, "detail": str(error)}
            line = {"file": name, "document": found}
            sink.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    took = time.process_time() - start
    print(f"{len(files)} documents segmented in {took:.1f} s of CPU -> {out}")


if __name__ == "__main__":
    main()
