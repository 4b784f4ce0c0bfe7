"""The map in docs/architecture.md holds: imports run with the stages, SQL
stays in store/, and the shells (cli/, web/, report/) stay small."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _architecture() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_architecture", ROOT / "bench" / "architecture.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_no_import_runs_against_the_stages_and_the_shells_stay_small() -> None:
    assert [f"{v.where}: {v.what}" for v in _architecture().violations()] == []


def test_every_package_has_a_stage_and_the_map_names_it() -> None:
    architecture = _architecture()
    staged = {package for stage in architecture.STAGES for package in stage}
    assert set(architecture.graph()) <= staged
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for package in staged - {"__main__", "__init__", "digest", "yamlfile"}:
        assert package in text, package


def test_the_checker_sees_a_backward_import(tmp_path: Path) -> None:
    """A stage importing a later one is reported (the check can fail)."""
    architecture = _architecture()
    package = tmp_path / "privwatch"
    (package / "ingest").mkdir(parents=True)
    (package / "ingest" / "__init__.py").write_text(
        "from privwatch.store import Store\nimport sqlalchemy\n", encoding="utf-8"
    )
    (package / "store").mkdir()
    (package / "store" / "__init__.py").write_text("", encoding="utf-8")
    architecture.ROOT = package
    found = {(v.where, v.what) for v in architecture.violations()}
    assert ("ingest", "imports later stage store") in found
    assert ("ingest/__init__.py", "imports sqlalchemy outside store/") in found
