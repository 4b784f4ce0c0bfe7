"""The command line: results on stdout; errors as one line on stderr, exit 2."""

from __future__ import annotations

import json
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from privwatch.cli import main
from tests.conftest import FIXTURES, ROOT, LocalServer, Route

KO_HTML = FIXTURES / "policy_ko.html"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def assert_one_line_error(code: int, err: str, expected: str) -> None:
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("privwatch: ")
    assert expected in lines[0]


def test_ingest_prints_an_outline(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["ingest", str(KO_HTML)], capsys)
    assert code == 0 and err == ""
    assert out.startswith("한빛마켓 개인정보 처리방침\n")
    assert "제5조(개인정보 처리업무의 위탁 및 국외 이전)" in out
    assert "9 sections · 31 clauses" in out


def test_ingest_outline_in_korean_with_clauses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["--lang", "ko", "ingest", str(KO_HTML), "--clauses"], capsys)
    assert code == 0
    assert "절 9개 · 조항 31개" in out
    assert "② 회사는 만 14세 미만 아동의 개인정보를 처리하지 않습니다." in out


def test_ingest_json_is_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["ingest", str(KO_HTML), "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "privwatch.document/1"
    assert data["language"] == "ko"
    assert data["source"]["media_type"] == "text/html"
    for clause in data["clauses"]:
        assert data["text"][clause["start"] : clause["end"]].strip()
    articles = data["sections"][0]["children"]
    assert [s["numbering"] for s in articles] == [f"제{n}조" for n in range(1, 9)]


def test_ingest_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "doc.json"
    code, out, _ = run(
        ["ingest", str(KO_HTML), "-f", "json", "-o", str(target)], capsys
    )
    assert code == 0 and out == ""
    assert (
        json.loads(target.read_text("utf-8"))["title"] == "한빛마켓 개인정보 처리방침"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["doc.json"]


def test_output_to_a_pipe_writes_into_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-o`` naming a pipe (or /dev/stdout, /dev/null) writes into it: the
    atomic rename used for files would replace the pipe with a file."""
    import os
    import stat

    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(
        target=lambda: received.append(fifo.read_bytes()), daemon=True
    )
    reader.start()
    code, out, _ = run(["ingest", str(KO_HTML), "-f", "json", "-o", str(fifo)], capsys)
    reader.join(timeout=30)
    assert code == 0 and out == ""
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["title"] == "한빛마켓 개인정보 처리방침"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pipe"]


def png_bytes() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def zip_bomb_docx(path: Path) -> Path:
    """The Korean DOCX plus a member that inflates a thousandfold."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        with zipfile.ZipFile(FIXTURES / "policy_ko.docx") as source:
            for item in source.infolist():
                out.writestr(item, source.read(item))
        out.writestr("word/media/filler.bin", b"\0" * (64 * 1024 * 1024))
    return path


def other_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("data.csv", "a,b\n1,2\n")
    return path


@pytest.mark.parametrize(
    ("make", "extra", "expected"),
    [
        pytest.param(lambda d: d / "absent.html", [], "no such file", id="missing"),
        pytest.param(lambda d: d, [], "is a directory", id="directory"),
        pytest.param(
            lambda d: _write(d / "empty.txt", b""),
            [],
            "no extractable text",
            id="empty",
        ),
        pytest.param(
            lambda d: _write(
                d / "blank.html", b"<html><body><nav>x</nav></body></html>"
            ),
            [],
            "no extractable text",
            id="html-without-content",
        ),
        pytest.param(
            lambda d: FIXTURES / "image_only.pdf",
            [],
            "no extractable text",
            id="image-pdf",
        ),
        pytest.param(
            lambda d: _write(d / "broken.pdf", b"%PDF-1.4\n1 0 obj <<"),
            [],
            "not a readable PDF",
            id="broken-pdf",
        ),
        pytest.param(
            lambda d: _write(d / "photo.png", png_bytes()),
            [],
            "not a text document",
            id="png",
        ),
        pytest.param(
            lambda d: _write(d / "photo.txt", png_bytes()),
            [],
            "not a text document",
            id="png-named-txt",
        ),
        pytest.param(
            lambda d: _write(d / "sheet.xlsx", b"a,b"),
            [],
            "unsupported type .xlsx",
            id="unsupported-suffix",
        ),
        pytest.param(
            lambda d: other_zip(d / "data.zip"), [], "unsupported type zip", id="zip"
        ),
        pytest.param(
            lambda d: zip_bomb_docx(d / "bomb.docx"), [], "zip bomb", id="zip-bomb"
        ),
        pytest.param(
            lambda d: FIXTURES / "policy_ko.pdf",
            ["--max-size", "10k"],
            "over the limit of 10240 bytes",
            id="too-large",
        ),
        pytest.param(
            lambda d: KO_HTML, ["--max-size", "lots"], "not a size: lots", id="bad-size"
        ),
        pytest.param(
            lambda d: KO_HTML, ["--format", "xml"], "usage error", id="bad-format"
        ),
    ],
)
def test_bad_input_gets_one_clear_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make,
    extra: list[str],
    expected: str,
) -> None:
    source = make(tmp_path)
    code, out, err = run(["--lang", "en", "ingest", str(source), *extra], capsys)
    assert_one_line_error(code, err, expected)
    assert out == ""
    code, _, err_ko = run(["--lang", "ko", "ingest", str(source), *extra], capsys)
    assert code == 2 and len(err_ko.strip().splitlines()) == 1
    assert err_ko != err and any("\uac00" <= ch <= "\ud7a3" for ch in err_ko)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["ingest"], ["ingest", "a", "--bogus"], ["nonsense"]):
        code, _, err = run(argv, capsys)
        assert_one_line_error(code, err, "usage error")


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.startswith("privwatch, version ")
    code, out, _ = run(["--lang", "ko", "ingest", "--help"], capsys)
    assert code == 0 and "처리방침이나 약관" in out


HEAVY = {
    "numpy",
    "pydantic",
    "lxml",
    "pypdf",
    "docx",
    "sqlalchemy",
    "fastapi",
    "kiwipiepy",
    "model2vec",
    "httpx",
    "rich",
    "privwatch.pipeline",
    "privwatch.models",
    "privwatch.store",
}


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["audit", "--help"], ["--lang", "ko", "watch", "diff", "--help"]],
)
def test_help_imports_no_library(argv: list[str]) -> None:
    """Help builds every command without the pipeline, its readers and models
    (``privwatch --help`` is meant to take under 0.3 s of CPU)."""
    probe = (
        "import sys\n"
        "from privwatch.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    usage = "사용법: privwatch" if "ko" in argv else "Usage: privwatch"
    assert usage in result.stdout + result.stderr
    loaded = result.stderr.split()
    assert not HEAVY & {p for m in loaded for p in (m, m.split(".")[0])}


def test_audit_of_a_file_loads_no_network_office_or_database_modules() -> None:
    """Auditing a local HTML file imports neither httpx (only for URLs), pypdf /
    python-docx (only for those formats), SQLAlchemy (the store), tldextract
    and requests (host attribution), numpy (the classifiers, for terms) nor the
    traffic scan's detectors and decoders: they cost start-up time."""
    probe = (
        "import sys\n"
        "from privwatch.cli import main\n"
        "try:\n"
        "    main(['audit', '-f', 'json', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "examples/hanbit-market-privacy-ko.html"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    assert '"findings"' in result.stdout
    loaded = {m.split(".")[0] for m in result.stderr.split()}
    unused = {"httpx", "pypdf", "docx", "sqlalchemy", "tldextract", "requests"}
    unused |= {"numpy", "scipy", "sklearn"}
    assert not unused & loaded
    # nor the traffic scan's machinery (detectors, decoders, the HAR reader)
    scanning = {"privwatch.detectors", "privwatch.traffic.decode"}
    scanning |= {"privwatch.traffic.har", "privwatch.traffic.fields"}
    assert not scanning & set(result.stderr.split())


# --- URLs, on a real HTTP server on loopback ---------------------------------


def test_ingest_url_detects_euc_kr_from_the_header(
    server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (FIXTURES / "policy_ko_euckr.html").read_bytes()
    url = server.add(
        "/privacy", Route(body, headers={"Content-Type": "text/html; charset=EUC-KR"})
    )
    code, out, _ = run(["ingest", url, "-f", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["source"] | {"size": len(body)} == data["source"]
    assert (data["source"]["kind"], data["source"]["http_status"]) == ("url", 200)
    assert data["source"]["encoding"] == "cp949"
    assert "제5조(개인정보 처리업무의 위탁 및 국외 이전)" in data["text"]


def test_ingest_url_follows_redirects_and_sniffs_pdf(
    server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = (FIXTURES / "policy_en.pdf").read_bytes()
    target = server.add(
        "/doc", Route(pdf, headers={"Content-Type": "application/octet-stream"})
    )
    url = server.add("/old", Route(status=301, headers={"Location": target}))
    code, out, _ = run(["ingest", url, "-f", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["source"]["uri"] == target
    assert data["source"]["media_type"] == "application/pdf"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _truncated(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(b"<html><body><p>" + b"x" * 500)
    handler.wfile.flush()
    handler.close_connection = True


def _endless(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()  # no length: read until the server stops
    try:
        for _ in range(4096):
            handler.wfile.write(b"a" * 1024)
    except OSError:
        pass
    handler.close_connection = True


def _stalled(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(b"<html><body><p>partial")
    handler.wfile.flush()
    time.sleep(5)


@pytest.mark.parametrize(
    ("route", "extra", "expected"),
    [
        pytest.param(Route(b"gone", status=404), [], "HTTP 404", id="404"),
        pytest.param(Route(b"oops", status=500), [], "HTTP 500", id="500"),
        pytest.param(
            Route(png_bytes(), headers={"Content-Type": "image/png"}),
            [],
            "not a text document",
            id="image",
        ),
        pytest.param(
            Route(b"\x00\x01", headers={"Content-Type": "application/zip"}),
            [],
            "unsupported type application/zip",
            id="zip-content-type",
        ),
        pytest.param(Route(handler=_truncated), [], "could not fetch", id="truncated"),
        pytest.param(
            Route(handler=_endless),
            ["--max-size", "1MB"],
            "over the limit",
            id="endless",
        ),
        pytest.param(
            Route(handler=_stalled),
            ["--timeout", "0.5"],
            "did not answer within 0.5",
            id="stalled",
        ),
    ],
)
def test_bad_urls_get_one_line_and_write_nothing(
    server: LocalServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    route: Route,
    extra: list[str],
    expected: str,
) -> None:
    url = server.add("/p", route)
    target = tmp_path / "out.json"
    code, out, err = run(["ingest", url, "-o", str(target), *extra], capsys)
    assert_one_line_error(code, err, expected)
    assert list(tmp_path.iterdir()) == []


def test_unreachable_and_looping_urls(
    server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["ingest", f"http://127.0.0.1:{_closed_port()}/x"], capsys)
    assert_one_line_error(code, err, "could not fetch")
    loop = server.url("/loop")
    server.add("/loop", Route(status=302, headers={"Location": loop}))
    code, _, err = run(["ingest", loop], capsys)
    assert_one_line_error(code, err, "redirected more than 5 times")


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_interrupted_fetch_leaves_nothing_half_written(
    server: LocalServer, tmp_path: Path
) -> None:
    # this test's own events: a stalled handler left over from another test
    # cannot signal it, and the body stays incomplete until the test is done
    # (a busy machine may take seconds to deliver the interrupt)
    sent, release = threading.Event(), threading.Event()

    def stalled(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        handler.wfile.write(b"<html><body><p>partial")
        handler.wfile.flush()
        sent.set()
        release.wait(timeout=60)

    url = server.add("/slow-interrupted", Route(handler=stalled))
    target = tmp_path / "out.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "privwatch", "ingest", url, "-o", str(target)],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        # as a terminal starts it: a job started in the background of a
        # non-interactive shell (CI runners) inherits SIGINT ignored
        preexec_fn=_interruptible,
    )
    try:
        assert sent.wait(timeout=60), "the fetch never started"
        time.sleep(0.3)  # the partial body has arrived; the fetch is waiting
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        release.set()
    assert process.returncode == 130, err
    assert err.decode().strip() == "privwatch: interrupted; nothing was written"
    assert list(tmp_path.iterdir()) == []


def test_module_entry_point_runs_the_demo_file() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "privwatch",
            "ingest",
            "examples/hanbit-market-privacy-ko.html",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "제8조(개인정보 처리방침의 변경)" in result.stdout


def test_outline_survives_a_closed_pipe() -> None:
    command = [sys.executable, "-m", "privwatch", "ingest", str(KO_HTML), "--clauses"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert b"Traceback" not in err
