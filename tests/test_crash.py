"""Kill a process that is writing versions, many times over, and check the
store: nothing it reported committed is lost, nothing is half written (a
version without its findings rows, a text that does not match its hash), and
the version numbers have no gaps. On SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import random
import selectors
import signal
import subprocess
import sys
import time

from privwatch.store import Store

WRITER = r"""
import hashlib, sys
from datetime import datetime, timedelta
from privwatch.store import NewVersion, Store
from privwatch.store.records import AuditRecord

url, document_id, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with Store(url) as store:
    number = first
    while True:
        text = f"제{number}판 " + "회사는 개인정보를 처리합니다. " * 400
        findings = [
            {"rule": f"r{k}", "severity": "low", "law": "PIPA", "article": "30",
             "title": "t", "evidence": [{"start": 0, "end": 3, "text": text[:3],
             "clause": "c1"}]}
            for k in range(20)
        ]
        version, created = store.record_version(document_id, NewVersion(
            fetched_at=datetime(2026, 1, 1) + timedelta(seconds=number),
            url="https://platform.test/privacy", http_status=200, headers={},
            raw_sha256="0" * 64,
            text_sha256=hashlib.sha256(text.encode()).hexdigest(), text=text,
            document_json={"text": text, "clauses": []},
            audit=AuditRecord.from_dict(
                {"schema": "privwatch.audit/1", "findings": findings}
            ),
        ))
        print(version.id, flush=True)
        number += 1
"""


def _run_until_killed(argv: list[str], seconds: float) -> list[int]:
    """Start the writer, and ``seconds`` after it reports its first version
    SIGKILL it; return the version ids it reported."""
    writer = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert writer.stdout is not None
    buffer = b""
    deadline = time.monotonic() + 60  # until the first version
    with selectors.DefaultSelector() as selector:
        selector.register(writer.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if selector.select(timeout=left):
                chunk = os.read(writer.stdout.fileno(), 65536)
                if not chunk:
                    break
                if not buffer:
                    deadline = time.monotonic() + seconds
                buffer += chunk
    writer.send_signal(signal.SIGKILL)
    rest, err = writer.communicate()
    assert writer.returncode == -signal.SIGKILL, err.decode()
    lines = (buffer + rest).split(b"\n")
    return [int(line) for line in lines[:-1]]  # the last piece may be cut short


def test_killed_writers_lose_nothing_committed(db_url: str) -> None:
    with Store(db_url) as store:
        store.add_platform("한빛마켓")
        document = store.add_document("한빛마켓", "privacy", "https://platform.test/p")
    chance = random.Random(7)
    reported: list[int] = []
    for run in range(6):
        first = 1000 * (run + 1)
        argv = [sys.executable, "-c", WRITER, db_url, str(document.id), str(first)]
        reported += _run_until_killed(argv, chance.uniform(0.2, 1.0))
    assert len(reported) >= 12, "the writers were killed before writing much"
    with Store(db_url) as store:
        versions = store.versions(document.id)
        stored = {v.id for v in versions}
        assert set(reported) <= stored  # nothing reported committed is lost
        assert len(stored) - len(reported) <= 6  # at most one unreported per kill
        assert [v.number for v in versions] == list(range(1, len(versions) + 1))
        for version in versions:
            text = version.text.encode("utf-8")
            assert hashlib.sha256(text).hexdigest() == version.text_sha256
            assert version.document_json["text"] == version.text
            rows = store.findings(version.id)
            assert len(rows) == 20 and {r.quote for r in rows} == {version.text[:3]}
