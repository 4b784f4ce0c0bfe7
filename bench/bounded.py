"""Time of an audit against the size of its input (issue 18, Deliver 5).

A normal Korean policy repeated to 0.25, 0.5, 1 and 2 MB (many clauses): the
seconds of ingest and of the audit, and their ratio to the smallest, which stays
near the size ratio when every stage is linear. Then one line of repeated Korean
words (one clause of megabytes): refused with ``input.clause_too_long``, timed.

    PYTHONPATH=src .venv/bin/python bench/bounded.py [policy.md]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from privwatch.errors import PrivwatchError
from privwatch.pipeline import audit_document, audit_packs, ingest_document

DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared/corpus/ko_wild/policies/07_kakaofriends_store_privacy.md"
)


def scaling(
    base_path: Path, sizes: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0)
) -> list[tuple[float, int, float, float]]:
    """(MB, clauses, ingest s, audit s) of ``base_path`` repeated to each size."""
    base = base_path.read_text(encoding="utf-8")
    ingest_document(str(base_path))  # models loaded before timing
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in sizes:
            copies = int(megabytes * 2**20 / len(base.encode())) + 1
            path = Path(tmp) / f"repeated-{megabytes}.md"
            path.write_text("\n\n".join([base] * copies), encoding="utf-8")
            started = time.perf_counter()
            document = ingest_document(str(path), max_bytes=2**30)
            read = time.perf_counter() - started
            started = time.perf_counter()
            audit_document(document, audit_packs(document, [], auto=True))
            audited = time.perf_counter() - started
            rows.append((megabytes, len(document.clauses), read, audited))
    return rows


def hostile() -> tuple[float, str, float]:
    """(MB, outcome, seconds) of one line of repeated Korean words."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hostile.txt"
        path.write_text("개인정보 수집 이용 동의 " * 1_300_000, encoding="utf-8")
        started = time.perf_counter()
        try:
            ingest_document(str(path), max_bytes=2**30)
            outcome = "audited"
        except PrivwatchError as exc:
            outcome = exc.key
        return path.stat().st_size / 2**20, outcome, time.perf_counter() - started


def main() -> None:
    rows = scaling(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
    print("MB\tclauses\tingest s\taudit s\tx ingest\tx audit")
    _, _, first_read, first_audit = rows[0]
    for megabytes, clauses, read, audited in rows:
        print(
            f"{megabytes}\t{clauses}\t{read:.2f}\t{audited:.2f}"
            f"\t{read / first_read:.1f}\t{audited / first_audit:.1f}"
        )
    size, outcome, seconds = hostile()
    print(f"one line of {size:.0f} MB: {outcome} in {seconds:.1f} s")


if __name__ == "__main__":
    main()
