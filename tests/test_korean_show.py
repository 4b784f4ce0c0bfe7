"""The Show of issue 21 as a test: the commands of the screenshots run under
``--lang ko`` at a 100-column terminal (a pseudo-terminal, so lists are
tables and colours are on) print no ASCII word other than names, codes (rule
ids, ISO codes, hosts, paths, URLs, hashes) and quotes of the documents, and
no line wider than 100 columns."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import threading

import pytest
from rich.cells import cell_len

from tests.conftest import ROOT, SHARED
from tests.test_korean_interface import english_words

EXAMPLES = ROOT / "examples"
POLICY = EXAMPLES / "hanbit-market-privacy-ko.html"
NURI = EXAMPLES / "nuri-market"
WIDTH = 100
#: a word of an item's name that Korean keeps in Latin letters (고정형
#: 영상정보처리기기(CCTV))
KEPT = ["CCTV"]


def at_terminal(*args: str) -> tuple[int, str, str]:
    """Run privwatch in a pseudo-terminal of WIDTH columns: its status, what it
    showed (styles taken out) and its stderr."""
    env = {
        "PYTHONPATH": str(ROOT / "src"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "COLUMNS": str(WIDTH),
        "TERM": "xterm-256color",
    }
    leader, follower = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    done = subprocess.run(
        [sys.executable, "-m", "privwatch", "--lang", "ko", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    os.close(follower)
    reader.join(timeout=10)
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", shown)
    return done.returncode, shown, done.stderr.decode("utf-8")


def assert_korean(out: str, names: list[str]) -> None:
    """No English word but names and codes; a word of a name broken where a
    line wraps (a long URL in a clause) counts as the name."""
    left = [
        word
        for word in english_words(out, [*names, *KEPT])
        if not any(word in name for name in names)
    ]
    assert left == [], out
    wide = [line for line in out.splitlines() if cell_len(line) > WIDTH]
    assert wide == [], wide


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str]]:
    """Two versions of the example policy in a store (the second names another
    country, adds a clause and rewords one), and the texts of both."""
    folder = tmp_path_factory.mktemp("hanbit")
    first = POLICY.read_text(encoding="utf-8")
    second = first.replace("<td>미국</td>", "<td>일본</td>").replace(
        "회원 가입이 제한됩니다.</p>",
        "회원 가입과 주문이 제한됩니다.</p><p>③ 회사는 맞춤형 광고를 위하여 방문 기록을 "
        "광고 제휴사에 제공할 수 있습니다. 자세한 내용은 https://www.hanbit-market.example"
        "/privacy/partners?lang=ko&amp;ref=policy-2025-06-with-a-very-long-parameter-value"
        " 에서 확인할 수 있습니다.</p>",
    )
    assert second.count("일본") == 1 and "③" in second
    (folder / "2025-01-01.html").write_text(first, encoding="utf-8")
    (folder / "2025-06-01.html").write_text(second, encoding="utf-8")
    db = f"sqlite:///{folder / 'watch.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "privwatch", "watch", "import-dir", "hanbit"]
        + [str(folder), "--db", db],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    texts = [re.sub(r"<[^>]+>", " ", t).replace("&amp;", "&") for t in (first, second)]
    return db, texts


def test_audit_in_korean_at_100_columns() -> None:
    code, out, err = at_terminal("audit", str(POLICY.relative_to(ROOT)))
    assert code == 0, err
    assert "국외 이전의 법적 근거가 없음" in out
    assert_korean(out, [POLICY.read_text(encoding="utf-8")])


def test_scan_in_korean_at_100_columns() -> None:
    har = str((NURI / "session.har").relative_to(ROOT))
    session = [har, "--site", "nurimarket.example", "--persona"]
    session.append(str((NURI / "persona.yaml").relative_to(ROOT)))
    done = subprocess.run(
        [sys.executable, "-m", "privwatch", "scan", *session, "-f", "json"],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        cwd=ROOT,
        timeout=600,
        check=True,
    )
    names = [f["organization"] for f in json.loads(done.stdout)["flows"]]
    code, out, err = at_terminal("scan", *session)
    assert code == 0, err
    assert "전화번호" in out and "제3자" in out
    assert_korean(out, [n for n in names if n])


@pytest.mark.skipif(
    not (SHARED / "traffic" / "cnn-chrome.har").exists(), reason="no shared HAR"
)
def test_scan_of_a_real_har_in_korean_at_100_columns() -> None:
    har = SHARED / "traffic" / "cnn-chrome.har"
    code, out, err = at_terminal("scan", str(har), "--site", "cnn.com")
    assert code == 0, err
    assert "요청" in out
    assert_korean(out, [])


def test_watch_and_report_in_korean_at_100_columns(
    store: tuple[str, list[str]],
) -> None:
    db, texts = store
    names = ["hanbit", *texts]
    code, out, err = at_terminal("watch", "diff", "hanbit", "--db", db)
    assert code == 0, err
    assert "hanbit 개인정보 처리방침: 제1판 2025-01-01 → 제2판 2025-06-01" in out
    assert "근거 인용만 바뀐 같은 발견 사항: 2건" in out
    assert "- “미국”" in out and "+ “일본”" in out
    assert_korean(out, names)
    code, out, err = at_terminal("watch", "list", "--db", db)
    assert code == 0, err
    header, row, *_ = out.splitlines()
    assert header.split()[:3] == ["플랫폼", "종류", "상태"]
    assert row.startswith("hanbit  개인정보 처리방침  저장됨(감시 전)")
    assert_korean(out, names)
    code, out, err = at_terminal("watch", "history", "hanbit", "--db", db)
    assert code == 0, err
    assert "제2판" in out and "높음 1" in out
    assert_korean(out, names)
    code, out, err = at_terminal("report", "compare", "--db", db)
    assert code == 0, err
    assert "법 제30조제1항제1호" in out
    assert_korean(out, names)
