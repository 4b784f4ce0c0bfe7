"""privwatch audit over several documents (one process, -o DIR, a summary,
--jobs) and bounded work on hostile input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from privwatch.errors import InputError
from privwatch.many import expand, output_names
from privwatch.pipeline import document_from_bytes
from privwatch.segment import MAX_CLAUSE_CHARS
from tests.conftest import FIXTURES
from tests.test_cli import assert_one_line_error, run

KO = FIXTURES / "policy_ko.md"
EN = FIXTURES / "policy_en.md"


def _findings(text: str) -> list[tuple[str, str, str]]:
    data = json.loads(text)
    return [(f["rule"], f["severity"], f["certainty"]) for f in data["findings"]]


def test_several_documents_one_output_each_same_as_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "b"
    other.mkdir()
    shutil.copy(KO, other / KO.name)  # same name as the first: two files
    out = tmp_path / "out"
    code, stdout, err = run(
        ["audit", "-f", "json", "-o", str(out), str(KO), str(other / KO.name), str(EN)],
        capsys,
    )
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        "policy_en.md.json",
        "policy_ko.md.2.json",
        "policy_ko.md.json",
    ]
    assert "3 documents" in stdout and "policy_en.md" in stdout
    for source, name in ((KO, "policy_ko.md.json"), (EN, "policy_en.md.json")):
        _, alone, _ = run(["audit", "-f", "json", str(source)], capsys)
        many = (out / name).read_text(encoding="utf-8")
        assert _findings(many) == _findings(alone)
    assert not list(out.glob(".*.part"))


def test_a_directory_and_jobs_give_the_same_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for source in (KO, EN):
        shutil.copy(source, folder / source.name)
    (folder / "notes.tsv").write_text("not a document\n", encoding="utf-8")
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        code, _, err = run(
            ["audit", "-f", "json", "-o", str(out), "--jobs", jobs, str(folder)],
            capsys,
        )
        assert code == 0, err
        outputs[jobs] = {
            p.name: _findings(p.read_text(encoding="utf-8")) for p in out.iterdir()
        }
    assert set(outputs["1"]) == {"policy_en.md.json", "policy_ko.md.json"}
    assert outputs["1"] == outputs["2"]


def test_an_unreadable_document_is_reported_and_the_others_audited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.md"
    code, out, err = run(["audit", str(KO), str(missing)], capsys)
    assert code == 2
    assert err.strip().splitlines() == [f"privwatch: no such file: {missing}"]
    assert "policy_ko.md" in out and "not read" in out
    assert "kr-pipa" in out  # the readable one's table was printed


def test_fail_on_fails_when_any_document_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, _ = run(["audit", "--fail-on", "low", str(KO), str(EN)], capsys)
    assert code == 1


def test_output_file_with_several_documents_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.json"
    code, _, err = run(["audit", "-o", str(target), str(KO), str(EN)], capsys)
    assert_one_line_error(code, err, "-o DIR")
    assert not target.exists()


def test_expand_and_output_names(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.md").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("x", encoding="utf-8")
    found = expand([str(tmp_path)])
    assert found == [str(tmp_path / "a.md"), str(tmp_path / "sub" / "a.md")]
    assert output_names(found, ".json") == ["a.md.json", "a.md.2.json"]


def test_a_clause_of_megabytes_is_refused_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One line of repeated Korean words, 4.5 MB: without the limit the sentence
    splitter and the extractors take minutes on it; with it, a refusal."""
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("개인정보 수집 이용 동의 " * 110_000, encoding="utf-8")
    code, out, err = run(["audit", str(hostile)], capsys)
    assert_one_line_error(code, err, "characters")
    assert out == ""
    code, _, err = run(["--lang", "ko", "audit", str(hostile)], capsys)
    assert_one_line_error(code, err, "자")


def test_the_limit_names_the_document() -> None:
    text = "가나다 " * (MAX_CLAUSE_CHARS // 4 + 1)
    with pytest.raises(InputError) as caught:
        document_from_bytes(text.encode(), "x.txt")
    assert caught.value.key == "input.clause_too_long"
    assert caught.value.params["source"] == "x.txt"
    assert caught.value.params["size"] > MAX_CLAUSE_CHARS


def test_a_worker_that_dies_is_the_documents_failure_not_a_traceback() -> None:
    """A worker process killed mid-run (here it exits at once) makes its
    document's outcome a failure that names it; nothing is raised."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from privwatch.many import STOPPED, outcome_of

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(os._exit, 9)
        outcome = outcome_of(future, "shop.md")  # type: ignore[arg-type]
    assert outcome.audit is None and outcome.error is not None
    assert outcome.error[0] in STOPPED
    failure = outcome.failure()
    assert failure is not None and "shop.md" in failure.render("en")
    assert "shop.md" in failure.render("ko")
