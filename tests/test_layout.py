"""The package layout shows the pipeline: every import points down, no stage folder imports a
sibling that imports it back, and only the entry points sit at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "stubgen"

# Lower numbers sit lower: a module may import its own layer's folder and anything below it.
LAYERS = {
    "errors": 0,
    "findings": 0,
    "config": 1,
    "files": 2,
    "model": 3,
    "parse": 4,
    "load": 5,
    "trace": 5,
    "stubs": 6,
    "verify": 6,
    "check": 6,
    "coverage": 6,
    "diff": 6,
    "docs": 6,
    "pipeline": 7,
    "cli": 8,
    "__main__": 9,
}
# Stage folders of one layer that use another's public functions: one direction each.
SIBLING_EDGES = {
    ("verify", "stubs"),
    ("verify", "check"),  # traced calls type-checked with the checks' mypy run
    ("docs", "coverage"),
    ("diff", "stubs"),
    ("docs", "diff"),
    ("docs", "stubs"),  # the docs show the types the stubs write
}
TOP_LEVEL = {"__init__", "__main__", "cli", "pipeline", "config", "findings", "errors"}


def _unit(path: Path) -> str:
    """The layer unit of a file: its folder under the package, or its module name at the top."""
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").is_file()


def _package_of(path: Path) -> str:
    """The dotted package a file of the package sits in (``stubgen.model`` for model/api.py)."""
    return ".".join(path.relative_to(PACKAGE.parent).parent.parts)


def _imports_of(text: str, package: str) -> set[tuple[str, str]]:
    """The layer units a module of ``package`` imports, each with the dotted name it names.

    Relative imports are resolved against ``package``: ``from ..stubs import render`` in
    ``stubgen.model`` names ``stubgen.stubs``.
    """
    units = set()
    for node in ast.walk(ast.parse(text)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            names = [base]
            if base == "stubgen":  # submodules by name; the package's own names skipped
                names = [f"stubgen.{a.name}" for a in node.names if (PACKAGE / a.name).exists()]
                names += [f"stubgen.{a.name}" for a in node.names if _is_module(a.name)]
        for name in names:
            parts = name.split(".")
            if parts[0] == "stubgen" and len(parts) > 1:
                units.add((parts[1], name))
    return units


def _imports(path: Path) -> set[tuple[str, str]]:
    """The layer units ``path`` imports, each with the dotted name it imports from."""
    return _imports_of(path.read_text(encoding="utf-8"), _package_of(path))


EDGES = sorted(
    (str(path.relative_to(PACKAGE)), _unit(path), target, name)
    for path in PACKAGE.rglob("*.py")
    if path.name != "__init__.py" or path.parent != PACKAGE
    for target, name in _imports(path)
    if target != _unit(path)
)


def test_only_entry_points_at_the_top() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top - TOP_LEVEL == set()


def test_every_unit_has_a_layer() -> None:
    units = {_unit(p) for p in PACKAGE.rglob("*.py")} - {"__init__"}
    units -= {p.name for p in PACKAGE.iterdir() if not (p / "__init__.py").exists() and p.is_dir()}
    assert units - set(LAYERS) == set()


@pytest.mark.parametrize(("file", "source", "target", "name"), EDGES)
def test_imports_point_down(file: str, source: str, target: str, name: str) -> None:
    lower = LAYERS[target] < LAYERS[source]
    assert lower or (source, target) in SIBLING_EDGES, f"{file} imports {name}"


@pytest.mark.parametrize(("file", "source", "target", "name"), EDGES)
def test_siblings_use_public_surfaces(file: str, source: str, target: str, name: str) -> None:
    if (source, target) in SIBLING_EDGES:
        assert name == f"stubgen.{target}", f"{file} reaches into {name}"


def test_sibling_edges_are_one_way() -> None:
    assert not {(b, a) for a, b in SIBLING_EDGES} & SIBLING_EDGES


# (importing package, import statement, the unit and name it reaches)
IMPORT_CASES = [
    ("stubgen.model", "from ..stubs import render", {("stubs", "stubgen.stubs")}),
    ("stubgen.model", "from ..stubs.render import x", {("stubs", "stubgen.stubs.render")}),
    ("stubgen.model", "from . import walk", {("model", "stubgen.model")}),
    ("stubgen.docs", "from .. import pipeline", {("pipeline", "stubgen.pipeline")}),
    ("stubgen", "from .cli import main", {("cli", "stubgen.cli")}),
    ("stubgen.model", "import stubgen.stubs.render", {("stubs", "stubgen.stubs.render")}),
    ("stubgen.model", "from stubgen.files import writes", {("files", "stubgen.files")}),
]


@pytest.mark.parametrize(("package", "statement", "reached"), IMPORT_CASES)
def test_imports_are_read_relative_or_absolute(
    package: str, statement: str, reached: set[tuple[str, str]]
) -> None:
    assert _imports_of(statement, package) == reached


def test_a_planted_relative_upward_import_fails_the_layering() -> None:
    planted = _imports_of("from ..stubs import render\n", "stubgen.model")
    assert [LAYERS[target] > LAYERS["model"] for target, _ in planted] == [True]
    assert ("model", "stubs") not in SIBLING_EDGES
