"""Progress on stderr: drawn at a terminal (counts, the stage's label in the
interface language), not one byte of it when stderr is not a terminal.

Commands run in a real subprocess, stderr on a pseudo-terminal (``os.openpty``)
or on a pipe; stdout is always a pipe, so the output is the same either way."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, LocalServer, Route
from tests.hars import entry, write_har

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^\"]*")


def _same(out: bytes, other: bytes) -> bool:
    """The same output, but for the time it was read."""
    return STAMP.sub(b"T", out) == STAMP.sub(b"T", other)


def _env(lang: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "PRIVWATCH_LANG": lang,
        "TERM": "xterm",
        "COLUMNS": "120",
    }


def _run(
    argv: list[str], *, terminal: bool, lang: str = "en"
) -> tuple[int, bytes, str]:
    """Exit status, stdout and stderr of ``privwatch argv``; with ``terminal``
    stderr is a pseudo-terminal and what was drawn there comes back as text with
    the escape codes taken out (each redraw starts a line)."""
    command = [sys.executable, "-m", "privwatch", *argv]
    if not terminal:
        done = subprocess.run(
            command, capture_output=True, env=_env(lang), cwd=ROOT, timeout=300
        )
        return done.returncode, done.stdout, done.stderr.decode("utf-8")
    controller, tty = os.openpty()
    drawn: list[bytes] = []

    def pump() -> None:
        while True:
            try:
                data = os.read(controller, 65536)
            except OSError:  # the child closed the terminal
                return
            if not data:
                return
            drawn.append(data)

    reader = threading.Thread(target=pump)
    reader.start()
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=tty,
        stdin=subprocess.DEVNULL,
        env=_env(lang),
        cwd=ROOT,
    ) as child:
        os.close(tty)
        out, _ = child.communicate(timeout=300)
    reader.join(10)
    os.close(controller)
    text = ANSI.sub(b"", b"".join(drawn)).replace(b"\r", b"\n")
    return child.returncode, out, text.decode("utf-8", "replace")


def _complete(drawn: str, label: str) -> tuple[int, int]:
    """The last "done/total" drawn on the line of ``label``; it must be whole."""
    counts = re.findall(re.escape(label) + r"\s.*?(\d+)/(\d+)", drawn)
    assert counts, f"no progress for {label!r} in {drawn!r}"
    done, total = map(int, counts[-1])
    assert done == total > 0
    return done, total


@pytest.mark.parametrize(
    ("lang", "segmenting", "terms", "practices"),
    [
        ("en", "segmenting", "checking terms for unfairness", "classifying practices"),
        ("ko", "분할하는 중", "불공정 약관 검토 중", "개인정보 처리 유형 분류 중"),
    ],
)
def test_an_audit_shows_each_slow_step_with_counts_in_the_interface_language(
    lang: str, segmenting: str, terms: str, practices: str
) -> None:
    """Segmenting counts the clauses (one by one: test_the_library_reports_real_steps),
    the kr-terms audit's classifier and ``--practices`` count the clauses
    embedded; without a terminal the same command writes nothing on stderr and
    the same stdout."""
    argv = ["audit", "--law", "kr-terms", "--practices", "-f", "json"]
    argv.append(str(FIXTURES / "policy_ko.md"))
    code, out, drawn = _run(argv, terminal=True, lang=lang)
    assert code == 0
    _, clauses = _complete(drawn, segmenting)
    _complete(drawn, terms)
    reading = "조항 분석 중" if lang == "ko" else "reading the clauses"
    assert _complete(drawn, reading) == (4, 4)
    assert _complete(drawn, practices)[1] == clauses  # every clause is labelled
    assert re.search(r"\d+:\d\d:\d\d", drawn)  # the time left
    other = "segmenting" if lang == "ko" else "분할하는 중"
    assert other not in drawn
    code, piped_out, err = _run(argv, terminal=False, lang=lang)
    assert (code, err) == (0, "")
    assert _same(piped_out, out)


def _dated_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "dated"
    folder.mkdir()
    policy = (FIXTURES / "policy_ko.md").read_text(encoding="utf-8")
    for number, day in enumerate(("2021-01-01", "2022-01-01", "2023-01-01"), 1):
        extra = f"\n\n## 부칙\n\n이 방침은 {day}부터 시행합니다. ({number})\n"
        (folder / f"{day}.md").write_text(policy + extra, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("lang", "label"), [("en", "storing versions"), ("ko", "버전 저장 중")]
)
def test_watch_import_dir_counts_the_versions(
    tmp_path: Path, lang: str, label: str
) -> None:
    folder = _dated_folder(tmp_path)
    argv = ["watch", "import-dir", "한빛", str(folder)]
    code, out, drawn = _run(
        [*argv, "--db", str(tmp_path / "tty.db")], terminal=True, lang=lang
    )
    assert code == 0
    assert _complete(drawn, label) == (3, 3)
    code, piped_out, err = _run(
        [*argv, "--db", str(tmp_path / "pipe.db")], terminal=False, lang=lang
    )
    assert (code, err) == (0, "")
    assert _same(piped_out, out)


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.test",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.test",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env)


def test_watch_import_git_lists_the_commits_first_then_counts_them(
    tmp_path: Path,
) -> None:
    folder = _dated_folder(tmp_path)
    repo = tmp_path / "versions"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    for dated in sorted(folder.iterdir()):
        (repo / "Privacy.md").write_bytes(dated.read_bytes())
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", dated.stem)
    argv = ["watch", "import-git", "한빛", str(repo), "Privacy.md"]
    code, _, drawn = _run([*argv, "--db", str(tmp_path / "a.db")], terminal=True)
    assert code == 0
    assert _complete(drawn, "reading commits") == (3, 3)
    assert _complete(drawn, "storing versions") == (3, 3)
    assert "/?" not in drawn  # the total was known from the first line
    code, _, drawn = _run(
        [*argv, "--db", str(tmp_path / "b.db")], terminal=True, lang="ko"
    )
    assert _complete(drawn, "커밋 읽는 중") == (3, 3)
    code, _, err = _run([*argv, "--db", str(tmp_path / "c.db")], terminal=False)
    assert (code, err) == (0, "")


def test_scan_of_a_har_counts_the_bytes_read(tmp_path: Path) -> None:
    """A large HAR: megabytes read of the file's size."""
    entries = [
        entry(f"https://tracker.example.net/collect?n={n}", body="x" * 2000)
        for n in range(2000)
    ]
    har = write_har(tmp_path / "big.har", entries)
    size = har.stat().st_size / 1e6
    argv = ["scan", str(har), "--site", "https://shop.example.com", "-f", "json"]
    code, out, drawn = _run(argv, terminal=True)
    assert code == 0
    read = re.findall(r"scanning requests\s.*?([\d.]+)/([\d.]+) MB", drawn)
    assert read and read[-1] == (f"{size:.1f}", f"{size:.1f}")
    assert len({done for done, _ in read}) > 1  # counted as it was read
    code, piped_out, err = _run(argv, terminal=False)
    assert (code, err) == (0, "")
    assert _same(piped_out, out)


def test_audit_of_several_documents_and_classify_count_their_items(
    tmp_path: Path,
) -> None:
    folder = _dated_folder(tmp_path)
    code, out, drawn = _run(["audit", str(folder)], terminal=True)
    assert code == 0
    assert _complete(drawn, "Auditing") == (3, 3)
    # each document's results went to stdout while the bar ran, none to stderr
    assert out.count(b"\n== ") == 3 and "== " not in drawn
    lines = tmp_path / "lines.txt"
    lines.write_text(
        "We share your email with advertisers.\n"
        "You may delete your account at any time.\n"
        "이용자는 언제든지 동의를 철회할 수 있습니다.\n",
        encoding="utf-8",
    )
    argv = ["classify", "--one-per-line", str(lines), "-f", "json"]
    code, out, drawn = _run(argv, terminal=True, lang="ko")
    assert code == 0
    assert _complete(drawn, "개인정보 처리 유형 분류 중") == (3, 3)
    code, piped_out, err = _run(argv, terminal=False, lang="ko")
    assert (code, err) == (0, "")
    assert _same(piped_out, out)


def test_the_library_reports_real_steps() -> None:
    """Segmenting reports each clause in turn; embedding each batch."""
    from privwatch.classify.embed import BATCH, embed
    from privwatch.pipeline import ingest_document

    heard: list[tuple[str, int, int | None]] = []
    document = ingest_document(
        str(FIXTURES / "policy_en.md"),
        progress=lambda *report: heard.append(report),
    )
    segmenting = [done for stage, done, _ in heard if stage == "segment"]
    assert segmenting == list(range(len(document.clauses) + 1))
    heard.clear()
    texts = [f"clause number {n} about cookies" for n in range(BATCH + 3)]
    embed(texts, cache=False, progress=lambda *report: heard.append(report))
    assert heard == [("embed", 0, BATCH + 3), ("embed", BATCH, BATCH + 3)] + [
        ("embed", BATCH + 3, BATCH + 3)
    ]


def test_watch_run_counts_the_documents(server: LocalServer, tmp_path: Path) -> None:
    from privwatch.store import Store

    policy = (FIXTURES / "policy_ko.md").read_bytes()
    headers = {"Content-Type": "text/markdown; charset=utf-8"}
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    with Store(db) as store:
        for name in ("한빛", "두리"):
            store.add_platform(name)
            url = server.add(
                f"/{len(name)}{ord(name[0])}.md", Route(policy, headers=headers)
            )
            store.add_document(name, "privacy", url)
    argv = ["watch", "run", "--once", "--delay", "0", "--db", db]
    code, _, drawn = _run(argv, terminal=True, lang="ko")
    assert code == 0
    assert _complete(drawn, "문서 확인 중") == (2, 2)
    code, out, err = _run(argv, terminal=False)
    assert (code, err) == (0, "")
    assert out.decode().count("unchanged") == 2


def test_batch_counts_its_items(tmp_path: Path) -> None:
    folder = _dated_folder(tmp_path)
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(
        "platforms:\n  - {name: 한빛, country: KR}\ndocuments:\n"
        + "".join(f"  - {{platform: 한빛, source: {p}}}\n" for p in folder.iterdir()),
        encoding="utf-8",
    )
    argv = ["batch", str(manifest), "--workers", "1"]
    code, _, drawn = _run(
        [*argv, "--db", f"sqlite:///{tmp_path / 'a.db'}"], terminal=True, lang="ko"
    )
    assert code == 0
    assert _complete(drawn, "일괄 처리") == (3, 3)
    code, _, err = _run(
        [*argv, "--db", f"sqlite:///{tmp_path / 'b.db'}"], terminal=False
    )
    assert code == 0
    assert "batch" not in err and "\r" not in err and "\x1b" not in err
