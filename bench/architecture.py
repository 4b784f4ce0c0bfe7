"""The shape of the code: module sizes, the longest functions, the imports
between privwatch's packages and any that run against the stages.

    python bench/architecture.py            # figures for docs/architecture.md
    python bench/architecture.py --check    # exit 1 on a violation (the tests run this)

The stages, earliest first (docs/architecture.md draws them). A package may
import from its own stage or an earlier one, never from a later one.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "privwatch"

STAGES: tuple[tuple[str, ...], ...] = (
    ("errors", "i18n", "models", "yamlfile", "digest", "fields"),  # shared vocabulary
    ("ingest", "detectors", "attribution"),  # read a document; leaf libraries
    ("segment", "outline", "traffic"),  # sections and clauses; HAR -> flows
    ("classify",),
    ("extract",),
    ("rules", "consistency", "products"),  # findings; say versus do; product matches
    ("pipeline", "many"),  # the stages in order; over many documents
    ("store",),
    ("evaluate", "accounts", "diff"),  # services over the store
    ("report",),  # renderers: what is shown, never what is stored
    ("verify", "watch", "batch", "record"),  # work that stores and alerts
    ("web", "cli", "__main__", "__init__"),  # thin shells
)
SHELLS = ("cli", "web", "report")  # where the size limits hold
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


@dataclass(frozen=True)
class Violation:
    where: str
    what: str


def _package(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return parts[0]


def _imports(path: Path) -> set[str]:
    """The privwatch packages a module imports (``import privwatch`` alone is the
    package's ``__init__``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
            if node.module == "privwatch":  # subpackages, or the public API
                names = [_submodule(alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "privwatch":
                found.add(parts[1] if len(parts) > 1 else "__init__")
    return found


def _submodule(name: str) -> str:
    """``from privwatch import name``: a subpackage or module, else a name of
    the package's ``__init__`` (the version string is everyone's)."""
    if (ROOT / name).is_dir() or (ROOT / f"{name}.py").is_file():
        return f"privwatch.{name}"
    return "privwatch.models" if name == "__version__" else "privwatch"


def modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in modules():
        package = _package(path)
        edges[package] |= _imports(path) - {package}
    return dict(edges)


def _rank(package: str) -> int:
    for rank, stage in enumerate(STAGES):
        if package in stage:
            return rank
    raise KeyError(package)


def _order(package: str, known: set[str]) -> tuple[int, str]:
    return (_rank(package) if package in known else len(STAGES), package)


def _functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.name, (node.end_lineno or node.lineno) - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def violations() -> list[Violation]:
    found: list[Violation] = []
    for package, targets in sorted(graph().items()):
        for target in sorted(targets):
            try:
                if _rank(target) > _rank(package):
                    found.append(Violation(package, f"imports later stage {target}"))
            except KeyError as missing:
                found.append(Violation(package, f"{missing} has no stage"))
    for path in modules():
        rel = str(path.relative_to(ROOT))
        if _package(path) != "store" and "sqlalchemy" in _sqlalchemy(path):
            found.append(Violation(rel, "imports sqlalchemy outside store/"))
        if _package(path) not in SHELLS:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(Violation(rel, f"{lines} lines"))
        for name, length in _functions(path):
            if length > MAX_FUNCTION_LINES:
                found.append(Violation(rel, f"function {name}: {length} lines"))
    return found


def _sqlalchemy(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 on a violation")
    args = parser.parse_args()
    if not args.check:
        sizes = sorted(
            ((len(p.read_text().splitlines()), p.relative_to(ROOT)) for p in modules()),
            reverse=True,
        )
        print("largest modules:")
        for lines, rel in sizes[:10]:
            print(f"  {lines:5d}  {rel}")
        longest = sorted(
            (
                (n, f"{p.relative_to(ROOT)}:{name}")
                for p in modules()
                for name, n in _functions(p)
            ),
            reverse=True,
        )
        print("longest functions:")
        for lines, where in longest[:10]:
            print(f"  {lines:5d}  {where}")
        print("imports between packages:")
        known = {package for stage in STAGES for package in stage}
        edges = graph().items()
        for package, targets in sorted(edges, key=lambda kv: _order(kv[0], known)):
            print(f"  {package} -> {' '.join(sorted(targets))}")
    found = violations()
    print(f"violations: {len(found)}")
    for violation in found:
        print(f"  {violation.where}: {violation.what}")
    return 1 if args.check and found else 0


if __name__ == "__main__":
    sys.exit(main())
