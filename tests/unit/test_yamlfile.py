"""The one reader of YAML data: packaged files checked against their schema."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import NotRequired, TypedDict

import pytest

from privwatch.errors import InputError
from privwatch.yamlfile import packaged


class Entry(TypedDict):
    id: str
    words: list[str]
    holder: NotRequired[str | None]


class Sample(TypedDict):
    entries: list[Entry]
    names: dict[str, str]


def _package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> str:
    name = f"pwdata_{abs(hash(text))}"
    (tmp_path / name / "data").mkdir(parents=True)
    (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / name / "data" / "sample.yaml").write_text(text, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    return name


def test_a_packaged_file_is_checked_and_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "entries:\n  - {id: a, words: [x, y]}\n  - {id: b, words: [], holder: null}\nnames: {KR: Korea}\n"
    package = _package(tmp_path, monkeypatch, text)
    data = packaged(package, "data/sample.yaml", Sample)
    assert data == {
        "entries": [
            {"id": "a", "words": ["x", "y"]},
            {"id": "b", "words": [], "holder": None},
        ],
        "names": {"KR": "Korea"},
    }
    assert packaged(package, "data/sample.yaml", Sample) is data


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("entries: []\n", "names: missing"),
        (
            "entries: [{id: a, words: [1]}]\nnames: {}\n",
            "entries.0.words.0: expected str, got int",
        ),
        (
            "entries: [{id: a, words: [], word: []}]\nnames: {}\n",
            "entries.0.word: unknown key",
        ),
        ("entries: []\nnames: {NO: Norway}\n", "names.False: expected str, got bool"),
        ("- a\n", "(top): expected a mapping, got list"),
    ],
)
def test_a_broken_file_names_the_file_and_the_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, reason: str
) -> None:
    package = _package(tmp_path, monkeypatch, text)
    with pytest.raises(InputError) as caught:
        packaged(package, "data/sample.yaml", Sample)
    assert caught.value.render() == (
        f"invalid data file {package}/data/sample.yaml: {reason}"
    )
