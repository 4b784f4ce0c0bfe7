"""The YAML inputs: persona, rule pack, watch targets and batch manifest, with
any YAML value, broken YAML, deep nesting and alias bombs."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from privwatch.batch import load_manifest
from privwatch.rules import load_pack
from privwatch.traffic.persona import load_persona
from privwatch.watch import load_targets
from tests.fuzz.contract import json_values, survives

LOADERS: dict[str, Callable[[Path], object]] = {
    "persona": load_persona,
    "pack": load_pack,
    "targets": load_targets,
    "manifest": load_manifest,
}
#: the top-level keys each file knows, to get past the first check
KEYS = {
    "persona": ["name", "email", "phone", "device_ids", "rrn"],
    "pack": ["id", "version", "rules", "name", "law"],
    "targets": ["platforms", "alerts"],
    "manifest": ["platforms", "documents", "traffic"],
}


def load_text(kind: str, text: str | bytes) -> object:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, "utf-8")
        return survives(lambda: LOADERS[kind](path))


@st.composite
def documents(draw: st.DrawFn, kind: str) -> Any:
    keys = st.sampled_from(KEYS[kind]) | st.text(max_size=8)
    return draw(st.dictionaries(keys, json_values, max_size=5) | json_values)


@pytest.mark.parametrize("kind", sorted(LOADERS))
@given(data=st.data())
def test_any_yaml_value(kind: str, data: st.DataObject) -> None:
    value = data.draw(documents(kind))
    load_text(kind, yaml.safe_dump(value, allow_unicode=True))


@pytest.mark.parametrize("kind", sorted(LOADERS))
@given(
    text=st.text(
        alphabet=st.sampled_from(":-[]{}&*!|>'\"#%@` \n\tab1가\x00\ufeff"), max_size=200
    )
)
def test_yaml_soup(kind: str, text: str) -> None:
    load_text(kind, text)


@pytest.mark.parametrize("kind", sorted(LOADERS))
@given(data=st.binary(max_size=200))
def test_bytes(kind: str, data: bytes) -> None:
    load_text(kind, data)


DEEP = 50_000
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
    for i in range(8)
)


@pytest.mark.parametrize("kind", sorted(LOADERS))
@pytest.mark.parametrize(
    "text",
    [
        "[" * DEEP + "]" * DEEP,
        "{a: " * DEEP + "1" + "}" * DEEP,
        "- " * 2000 + "x",
        ALIAS_BOMB,
        "rules: &r [{id: x, when: {all: *r}}]",
        "x: " + "a" * (4 << 20),
    ],
    ids=[
        "deep-flow-list",
        "deep-flow-map",
        "deep-block",
        "alias-bomb",
        "alias-cycle",
        "huge-line",
    ],
)
def test_pathological_yaml(kind: str, text: str) -> None:
    load_text(kind, text)


def _rules(condition: Any) -> dict[str, Any]:
    return {
        "id": "fuzz",
        "version": "1",
        "rules": [{"id": "r1", "when": condition}],
    }


@given(json_values)
def test_pack_conditions(condition: Any) -> None:
    load_text("pack", yaml.safe_dump(_rules(condition)))


def test_pack_deep_condition() -> None:
    """check_condition recurses once per level: 900 levels pass PyYAML."""
    condition = "{not: " * 900 + "{fact: x}" + "}" * 900
    load_text(
        "pack", f"id: fuzz\nversion: '1'\nrules: [{{id: r1, when: {condition}}}]\n"
    )


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_key_with_line_break(kind: str) -> None:
    """Regression (found by the long run): an unknown key holding a line break
    split the error message over two lines."""
    load_text(kind, yaml.safe_dump({"\n": None, "a\rb": 1}))
