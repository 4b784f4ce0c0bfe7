"""The terminal: lines wrapped to its width (COLUMNS, 80 and 100), quotes whole
once their wrapped lines are joined, table cells cut with an ellipsis, an
empty scan in one line, Korean help, and the smaller points of issue 21's
item 8."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from privwatch.cli import build_cli
from tests.conftest import ROOT
from tests.hars import entry, planted_entries, write_har, write_persona
from tests.test_cli import assert_one_line_error, run

DEMO = ROOT / "examples" / "hanbit-market-privacy-ko.html"
WIDTHS = (80, 100)
BOX = set("┏┓┗┛┃━│─┌┐└┘")
LONG_CLAUSE = (
    "③ 회사는 서비스 개선과 맞춤형 광고를 위하여 이용자의 방문 기록, 구매 내역, "
    "기기 식별자를 광고 제휴사에 제공할 수 있으며, 이용자는 설정 화면에서 언제든지 "
    "이를 거부할 수 있습니다. 자세한 내용은 https://www.hanbit-market.example/privacy/"
    "advertising-partners/list?lang=ko&ref=policy-2025-06-with-a-long-parameter 에서 "
    "확인할 수 있습니다."
)


def assert_fits(text: str, width: int) -> None:
    """Every line at most ``width`` display columns, no replacement character."""
    assert "\ufffd" not in text
    for line in text.splitlines():
        assert cell_len(line) <= width, (cell_len(line), line)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def quotes(text: str) -> list[str]:
    """The quoted clauses of an unwrapped audit (one line each)."""
    return [line.strip() for line in text.splitlines() if line.startswith("    “")]


def _audit(width: int | None, lang: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["PYTHONPATH"] = str(ROOT / "src")
    if width:
        env["COLUMNS"] = str(width)
    result = subprocess.run(
        [sys.executable, "-m", "privwatch", "--lang", lang, "audit", str(DEMO)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_audit_is_wrapped_to_the_terminal_and_quotes_stay_whole(lang: str) -> None:
    whole = _audit(None, lang)  # a pipe without COLUMNS: lines kept whole
    assert max(map(cell_len, whole.splitlines())) > 100
    said = quotes(whole)
    assert said
    for width in WIDTHS:
        wrapped = _audit(width, lang)
        assert_fits(wrapped, width)
        joined = squeezed(wrapped)
        for quote in said:
            assert squeezed(quote) in joined
        # a continuation of a quote keeps its indent (hanging under the “)
        lines = wrapped.splitlines()
        for before, line in zip(lines, lines[1:], strict=False):
            if before.startswith("    “") and not before.rstrip().endswith("]"):
                assert line.startswith("     "), (before, line)


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    folder = tmp_path / "versions"
    folder.mkdir()
    html = DEMO.read_text("utf-8")
    (folder / "2025-01-01.html").write_text(html, "utf-8")
    changed = html.replace("미국", "일본").replace(
        "회원 가입이 제한됩니다.</p>",
        f"회원 가입과 주문이 제한됩니다.</p><p>{LONG_CLAUSE.replace('&', '&amp;')}</p>",
    )
    assert changed != html
    (folder / "2025-06-01.html").write_text(changed, "utf-8")
    db = ["--db", f"sqlite:///{tmp_path / 'watch.db'}"]
    code, _, err = run(["watch", "import-dir", "hanbit", str(folder), *db], capsys)
    assert code == 0, err
    return db


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_watch_diff_is_wrapped(
    store: list[str],
    width: int,
    lang: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run(["--lang", lang, "watch", "diff", "hanbit", *store], capsys)
    assert code == 0, err
    assert_fits(out, width)
    assert squeezed(LONG_CLAUSE) in squeezed(out)
    added = [line for line in out.splitlines() if line.startswith("+ ③")]
    assert added
    following = out.splitlines()[out.splitlines().index(added[0]) + 1]
    assert following.startswith("  ") and following.strip()  # hanging indent


def test_watch_diff_html_has_its_provenance(
    store: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        ["--lang", "ko", "watch", "diff", "hanbit", "-f", "html", *store], capsys
    )
    assert code == 0
    assert 'http-equiv="Content-Security-Policy"' in out
    assert "default-src 'none'" in out
    import hashlib

    for name in ("2025-01-01.html", "2025-06-01.html"):
        assert name in out
    digest = hashlib.sha256(DEMO.read_bytes()).hexdigest()
    assert digest in out  # the first version's bytes, as stored
    assert "privwatch 0." in out and "비교 기준(이전)" in out
    assert "<footer>" in out


def _scan(
    tmp_path: Path,
    entries: list[dict[str, object]],
    lang: str,
    capsys: pytest.CaptureFixture[str],
) -> str:
    write_har(tmp_path / "session.har", entries)
    write_persona(tmp_path / "persona.yaml")
    argv = ["--lang", lang, "scan", "session.har", "--site", "shop.example.kr"]
    code, out, err = run([*argv, "--persona", "persona.yaml"], capsys)
    assert code == 0, err
    return out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_scan_table_cells_are_cut_to_fit(
    tmp_path: Path,
    width: int,
    lang: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.chdir(tmp_path)
    out = _scan(tmp_path, planted_entries(), lang, capsys)
    assert_fits(out, width)
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert rows and len({cell_len(line) for line in rows}) == 1  # aligned
    if width == 80:
        assert any("…" in line for line in rows)


def test_scan_table_in_a_pipe_is_not_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.chdir(tmp_path)
    out = _scan(tmp_path, planted_entries(), "ko", capsys)
    assert "…" not in out and "\ufffd" not in out


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "nothing found"), ("ko", "찾은 것 없음")]
)
def test_an_empty_scan_is_one_line(
    tmp_path: Path,
    lang: str,
    words: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(tmp_path)
    quiet = [entry("https://shop.example.kr/app.js", ip="223.130.195.95")]
    out = _scan(tmp_path, quiet, lang, capsys)
    assert not BOX & set(out)
    lines = out.splitlines()
    assert len(lines) == 1 and words in lines[0], out


def _commands(group: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, command in getattr(group, "commands", {}).items():
        found += _commands(command, (*path, name))
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_every_help_is_korean_under_lang_ko(
    width: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    commands = _commands(build_cli("ko"))
    assert len(commands) > 20
    for path in commands:
        code, out, _ = run(["--lang", "ko", *path, "--help"], capsys)
        assert code == 0
        assert out.startswith("사용법: privwatch"), path
        for english in ("Usage:", "Options:", "Commands:", "Show this message"):
            assert english not in out, (path, english)
        assert "이 도움말을 보여 주고 끝냅니다." in out
        assert "[OPTIONS]" not in out and "COMMAND [ARGS]" not in out
        assert not re.search(r"\b(TEXT|FILE|PATH|INTEGER|DATABASE)\b", out), path
        assert_fits(out, width)
    code, out, _ = run(["--lang", "en", "audit", "--help"], capsys)
    assert out.startswith("Usage: privwatch") and "Show this message" in out


# --- item 8 -------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_persona_without_traffic_is_a_usage_error(
    tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    persona = write_persona(tmp_path / "persona.yaml")
    argv = ["--lang", lang, "audit", str(DEMO), "--persona", str(persona)]
    code, out, err = run(argv, capsys)
    assert_one_line_error(code, err, "--persona")
    assert "--traffic" in err and out == ""


def test_an_unknown_law_lists_every_pack(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["audit", str(DEMO), "--law", "gdpr"], capsys)
    assert_one_line_error(code, err, "no rule pack gdpr")
    assert "kr-pipa" in err and "kr-terms" in err and "auto" in err


NOT_HARS = {
    "latin.har": b"caf\xe9 \xff\xfe not json",
    "page.har": b"<html><body>hi</body></html>",
    "gz.har": b"\x1f\x8b\x08\x00damaged\xff\xfe",
    "cut.har": b'{"log": {"entries": [{"request": ',
}


@pytest.mark.parametrize("name", sorted(NOT_HARS))
def test_a_har_that_is_not_json_is_one_clean_line(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(NOT_HARS[name])
    for lang in ("en", "ko"):
        argv = ["--lang", lang, "scan", str(path), "--site", "shop.example.kr"]
        code, _, err = run(argv, capsys)
        assert_one_line_error(code, err, name)
        assert "b'" not in err and "\\x" not in err and "internal error" not in err


def test_a_har_that_is_not_json_inside_batch_is_one_clean_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "latin.har").write_bytes(NOT_HARS["latin.har"])
    (tmp_path / "gz.har").write_bytes(NOT_HARS["gz.har"])
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(
        "platforms:\n  - {name: Shop, country: KR}\ntraffic:\n"
        "  - {platform: Shop, har: latin.har, site: shop.example.kr}\n"
        "  - {platform: Shop, har: gz.har, site: shop.example.kr}\n",
        "utf-8",
    )
    db = ["--db", f"sqlite:///{tmp_path / 'store.db'}"]
    code, _, err = run(["batch", str(manifest), "--workers", "1", *db], capsys)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    for line, name in zip(sorted(lines), ("gz.har", "latin.har"), strict=True):
        assert name in line and "is not a HAR file" in line
        assert "b'" not in line and "\\x" not in line and "internal error" not in line


def test_output_files_get_the_umasks_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "audit.json"
    old = os.umask(0o022)
    try:
        code, _, _ = run(["audit", str(DEMO), "-f", "json", "-o", str(target)], capsys)
        assert code == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        os.umask(0o027)
        target.unlink()
        run(["audit", str(DEMO), "-f", "json", "-o", str(target)], capsys)
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
        target.chmod(0o664)  # a file replaced keeps its mode
        run(["audit", str(DEMO), "-f", "json", "-o", str(target)], capsys)
        assert stat.S_IMODE(target.stat().st_mode) == 0o664
    finally:
        os.umask(old)
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_long_unbroken_korean_run_breaks_between_characters(width: int) -> None:
    import io

    from rich.console import Console
    from rich.text import Text

    from privwatch.report.terminal import hanging

    run_ko = "개인정보처리방침의변경에관한사항" * 12  # no space in 192 syllables
    said = f"    “앞 문장 {run_ko} 뒤 문장 https://example.kr/{'a' * 150}”"
    out = io.StringIO()
    console = Console(file=out, width=width)
    hanging(console, Text(said), hang=1)
    text = out.getvalue()
    assert_fits(text, width)
    lines = text.splitlines()
    assert len(lines) > 4 and all(line.startswith("     ") for line in lines[1:])
    assert squeezed(text) == squeezed(said)


def test_cells_are_cut_between_characters_with_an_ellipsis() -> None:
    from privwatch.report.scan_table import cut

    assert cut("민원사무 처리 결과 확인", 8) == "민원사…"
    assert cell_len(cut("민원사무 처리 결과 확인", 8)) == 7  # no wide char split
    assert cut("민원사무", 8) == "민원사무"
    assert cut("tracker.example.com", 10) == "tracker.e…"
    assert cut("anything", None) == "anything"


def test_without_colour_the_marks_are_in_the_text() -> None:
    import io

    from rich.console import Console

    from privwatch.report.terminal import plain

    coloured = Console(file=io.StringIO(), force_terminal=True, color_system="standard")
    assert not plain(coloured)
    assert plain(Console(file=io.StringIO(), force_terminal=True, no_color=True))
    assert plain(Console(file=io.StringIO()))  # not a terminal


def test_a_placeholder_no_message_names_stays_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import click

    from privwatch.cli.helptext import name_values

    @click.command()
    @click.argument("widgets", nargs=-1)
    @click.option("--when", type=click.DateTime())
    @click.option("--count", type=int)
    def probe(widgets: tuple[str, ...], when: object, count: int) -> None:
        pass

    name_values(probe, "ko")
    with pytest.raises(SystemExit):
        probe.main(["--help"], prog_name="probe")
    out = capsys.readouterr().out
    assert "[옵션] [WIDGETS]..." in out and "--count 정수" in out


def test_the_summary_of_many_documents_fits_80_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    second = tmp_path / "a-rather-long-policy-file-name-ko.html"
    second.write_bytes(DEMO.read_bytes())
    argv = ["--lang", "ko", "audit", str(DEMO), str(second), "-o", str(tmp_path / "o")]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    assert_fits(out, 80)
    assert "검토" in out and "초" in out  # the last columns are not cropped
