"""A sample of hostile inputs through the real command line: exit status 0 or
2, never a traceback, an error as one line on stderr."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.hars import entry

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def privwatch(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRIVWATCH_LANG": "en", "PRIVWATCH_DEBUG": ""}
    return subprocess.run(
        [sys.executable, "-m", "privwatch", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def assert_clean(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode in (0, 2), (proc.returncode, proc.stderr[-2000:])
    if proc.returncode == 2:
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("privwatch: "), proc.stderr


def _bad_docx() -> bytes:
    source = zipfile.ZipFile(io.BytesIO((FIXTURES / "policy_en.docx").read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            archive.writestr(
                item.filename, b"<x" if item.filename == "word/document.xml" else data
            )
    return out.getvalue()


DOCUMENTS = {
    "garbage.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40,
    "truncated.pdf": (FIXTURES / "policy_en.pdf").read_bytes()[:3000],
    "deep.html": b"<html><body>" + b"<div>" * 3000 + "깊은 글".encode(),
    "broken.docx": _bad_docx(),
    "nul.txt": b"\x00" * 500,
    "utf16.txt": "제1조(목적) 개인정보 처리방침\n".encode("utf-16-le") * 20,
    "malformed.txt": b"\xc3\x28\xa0\xa1" * 200,
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_audit(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(DOCUMENTS[name])
    assert_clean(privwatch("audit", str(path)))


HARS = {
    "deep.har": b"[" * 100_000 + b"]" * 100_000,
    "garbage.har": bytes(range(256)) * 10,
    "types.har": json.dumps(
        {"log": {"entries": [{"request": {"url": 1, "headers": "x"}}, 7, None]}}
    ).encode(),
    "base64.har": json.dumps(
        {
            "log": {
                "entries": [
                    entry(
                        "https://t.example/c",
                        method="POST",
                        headers=[("Content-Encoding", "br")],
                        body="!!not-base64" + base64.b64encode(b"\xff" * 50).decode(),
                        encoding="base64",
                    )
                ]
            }
        }
    ).encode(),
}


@pytest.mark.parametrize("name", sorted(HARS))
def test_scan(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(HARS[name])
    assert_clean(privwatch("scan", str(path), "--site", "shop.example.kr"))


def test_scan_deep_persona(tmp_path: Path) -> None:
    har = tmp_path / "s.har"
    har.write_bytes(HARS["types.har"])
    persona = tmp_path / "persona.yaml"
    persona.write_text("[" * 50_000 + "]" * 50_000)
    proc = privwatch("scan", str(har), "--site", "x.example", "--persona", str(persona))
    assert_clean(proc)
    assert proc.returncode == 2 and "nested too deeply" in proc.stderr
