"""The store commands as a person types them: ``--db`` given as a plain path or
a URL of an unsupported scheme, ``watch run --once``'s exit status, ``watch
remove``'s confirmation, and the headers of ``watch list`` and ``history``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.test_cli import assert_one_line_error, run


def test_a_plain_path_is_a_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Relative or absolute, a path opens (and creates) that SQLite file, and
    what is said names it by its whole URL."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["db", "upgrade", "--db", "rel.db"], capsys)
    assert (code, err) == (0, "")
    assert out.strip().endswith(f"sqlite:///{tmp_path.resolve() / 'rel.db'}")
    assert (tmp_path / "rel.db").is_file()
    absolute = tmp_path / "sub" / "abs.db"
    absolute.parent.mkdir()
    code, _, err = run(["watch", "list", "--db", str(absolute)], capsys)
    assert code == 0 and "internal error" not in err
    assert absolute.is_file()


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        ("mysql://u@h/x", "mysql is not supported"),
        ("foo://x", "foo is not supported"),
        ("postgresql+foo://h/x", "postgresql+foo is not supported"),
        ("sqlite://", "it names no file"),
        ("sqlite:///:memory:", "it names no file"),
        ("", "an empty database"),
    ],
)
@pytest.mark.parametrize("command", [["watch", "list"], ["db", "upgrade"]])
def test_a_store_that_cannot_be_is_refused_in_one_line(
    db: str, expected: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([*command, "--db", db], capsys)
    assert_one_line_error(code, err, expected)
    code, _, err = run(["--lang", "ko", *command, "--db", db], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "internal error" not in err and "Traceback" not in err


def test_the_readme_gives_the_exit_status_of_every_command() -> None:
    """Each command of the CLI has a row in the README's exit-status table (a
    row names ``watch add``, then ``list`` for ``watch list``)."""
    import re

    from privwatch.cli import build_cli
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit status of every command", 1)[1].split("\n#", 1)[0]
    cli = build_cli("en")
    listed: set[str] = set()
    for row in table.splitlines():
        if not row.startswith("| `"):
            continue
        group = ""
        for words in re.findall(r"`([a-z][a-z -]*)", row.split("|")[1]):
            first, *rest = words.split()
            if first in cli.commands and rest:
                group = first if hasattr(cli.commands[first], "commands") else ""
            listed.add(
                f"{group} {words}".strip()
                if first not in cli.commands
                else first + (f" {rest[0]}" if rest else "")
            )
    expected = {
        f"{name} {sub}" if sub else name
        for name, command in cli.commands.items()
        for sub in (getattr(command, "commands", None) or {"": None})
    }
    assert expected <= listed, expected - listed


def _two_versions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """A store holding the platform Naver: one document with two versions."""
    folder = tmp_path / "dated"
    folder.mkdir()
    for day, text in (("2024-01-01", "처리합니다."), ("2024-06-01", "보관합니다.")):
        (folder / f"{day}.md").write_text(
            f"# 개인정보 처리방침\n\n회사는 개인정보를 {text}\n", encoding="utf-8"
        )
    db = ["--db", str(tmp_path / "watch.db")]
    code, _, err = run(["watch", "import-dir", "Naver", str(folder), *db], capsys)
    assert code == 0, err
    return db


def _versions(db: list[str]) -> int:
    from privwatch.store import Store

    with Store(db[1]) as store:
        return sum(len(store.versions(d.id)) for d in store.documents())


def _remove_at_a_terminal(db: list[str], answer: str) -> tuple[int, str, str]:
    """``watch remove Naver`` with a terminal on stdin, answering ``answer``."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    controller, terminal = os.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PRIVWATCH_LANG": "en"}
    with subprocess.Popen(
        [sys.executable, "-m", "privwatch", "watch", "remove", "Naver", *db],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    ) as child:
        os.write(controller, f"{answer}\n".encode())
        out, err = child.communicate(timeout=60)
    os.close(controller)
    os.close(terminal)
    return child.returncode, out, err


def test_watch_remove_asks_first_and_says_what_it_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _two_versions(tmp_path, capsys)
    # no terminal to ask and no --yes: refused, nothing removed
    code, out, err = run(["watch", "remove", "Naver", *db], capsys)
    assert_one_line_error(code, err, "not removing Naver")
    assert out == "" and _versions(db) == 2
    code, _, err = run(["--lang", "ko", "watch", "remove", "Naver", *db], capsys)
    assert code == 2 and "--yes를 붙이세요" in err and _versions(db) == 2

    code, out, err = _remove_at_a_terminal(db, "n")
    assert code == 1 and out == ""
    assert "Remove Naver with its 1 document, 2 versions" in err
    assert err.strip().endswith("privwatch: nothing removed")
    assert _versions(db) == 2

    code, out, err = _remove_at_a_terminal(db, "y")
    assert code == 0, err
    assert out == "removed Naver: 1 document, 2 versions, 0 scans, 0 evaluations\n"
    code, _, err = run(["watch", "history", "Naver", *db], capsys)
    assert_one_line_error(code, err, "no platform named Naver")


def test_watch_remove_yes_skips_the_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _two_versions(tmp_path, capsys)
    code, out, err = run(
        ["--lang", "ko", "watch", "remove", "Naver", "--yes", *db], capsys
    )
    assert (code, err) == (0, "")
    assert out == "Naver 플랫폼을 삭제했습니다: 문서 1개, 판 2개, 스캔 0개, 평가 0개\n"
    assert _versions(db) == 0
    code, _, err = run(["watch", "remove", "Naver", "--yes", *db], capsys)
    assert_one_line_error(code, err, "no platform named Naver")


def _unstyled(out: str) -> list[str]:
    return re.sub(r"\x1b\[[0-9;]*m", "", out).splitlines()


def _columns(line: str, cells: list[str]) -> list[int]:
    """The display column each of ``cells`` starts at in ``line``, in order."""
    found, at = [], 0
    for cell in cells:
        at = line.index(cell, at)
        found.append(cell_len(line[:at]))
        at += len(cell)
    return found


def test_watch_list_and_history_headers_and_an_empty_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    empty = ["--db", str(tmp_path / "empty.db")]
    code, out, err = run(["watch", "list", *empty], capsys)
    assert (code, out) == (0, "")
    assert err.startswith("privwatch: nothing stored yet") and err.count("\n") == 1
    code, out, err = run(["--lang", "ko", "watch", "list", *empty], capsys)
    assert out == "" and err.startswith("privwatch: 아직 저장된 것이 없습니다")

    db = _two_versions(tmp_path, capsys)
    # not a terminal (a script): the tab-separated lines alone
    code, out, err = run(["watch", "list", *db], capsys)
    assert (code, err) == (0, "")
    (line,) = out.splitlines()
    assert line.startswith("Naver\tprivacy\tstored\t-\t")  # has versions: not "new"
    code, out, _ = run(["watch", "history", "Naver", *db], capsys)
    assert [row.split("\t")[1] for row in out.splitlines()] == ["v1", "v2"]

    # at a terminal: a header, and columns lined up by display width (a Korean
    # character takes two), the codes in the reader's words
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run(["watch", "list", *db], capsys)
    header, line, *folded = _unstyled(out)  # a long address folds to 100 columns
    assert all(cell_len(row) <= 100 for row in [header, line, *folded])
    names = ["platform", "kind", "status", "last checked", "url"]
    values = ["Naver", "privacy", "stored", "-", "file://"]
    assert _columns(header, names) == _columns(line, values)
    assert header.rstrip().endswith("last error")
    code, out, _ = run(["--lang", "ko", "watch", "list", *db], capsys)
    header, line, *_ = _unstyled(out)
    names = ["플랫폼", "종류", "상태", "마지막 확인", "주소"]
    values = ["Naver", "개인정보 처리방침", "저장됨(감시 전)", "-", "file://"]
    assert _columns(header, names) == _columns(line, values)
    code, out, _ = run(["--lang", "ko", "watch", "history", "Naver", *db], capsys)
    header, *rows = _unstyled(out)
    assert len(rows) == 2 and all(cell_len(row) <= 100 for row in rows)
    names = ["종류", "판", "가져온 때", "본문 sha256", "발견 사항"]
    for number, row in enumerate(rows, 1):
        values = ["개인정보 처리방침", f"제{number}판", "20", " ", "높음 "]
        starts = _columns(row, values[:3] + values[4:])
        assert _columns(header, names[:3] + names[4:]) == starts
        assert re.search(r"높음 \d+, 보통 \d+, 낮음 \d+", row)
        assert not re.search("[A-Za-z]", row.split("  ")[-1])

    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        "platforms:\n  - name: Shop\n    documents:\n"
        "      - {type: privacy, url: 'https://shop.example/privacy'}\n",
        encoding="utf-8",
    )
    code, _, err = run(["watch", "add", str(targets), *db], capsys)
    assert code == 0, err
    code, out, err = run(["watch", "list", *db], capsys)
    assert "Shop\tprivacy\tnew\t-\thttps://shop.example/privacy" in out  # not fetched
    code, out, err = run(["watch", "history", "Shop", *db], capsys)
    assert (code, out) == (0, "")
    assert err.startswith("privwatch: nothing stored yet: no versions")


def test_user_list_has_a_header_at_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import sys

    from privwatch.cli import main

    db = ["--db", str(tmp_path / "users.db")]
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    with pytest.raises(SystemExit):
        main(["user", "add", "alice", "--password-stdin", *db])
    capsys.readouterr()
    code, out, err = run(["user", "list", *db], capsys)
    assert (code, err) == (0, "") and out.startswith("alice\t")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run(["--lang", "ko", "user", "list", *db], capsys)
    header, row = _unstyled(out)
    assert _columns(header, ["사용자", "역할", "만든 때"]) == _columns(
        row, ["alice", "열람자", "20"]
    )
