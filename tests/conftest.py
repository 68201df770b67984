"""Shared fixtures: the real extensions (loaded once each), golden files, the two tiers.

A test that needs a built extension (the demo, the hazards or the pybind11 twin) carries the
``extension`` marker: here on every test that uses one of the model fixtures below, or
``built`` (for a test that imports or loads an extension itself), and by hand on tests that
run one in a subprocess. ``make test-fast`` runs the others, which need nothing built
(``pytest -m "not extension"``); it sets ``NBAPI_HIDE_EXTENSIONS``, which hides the built
extensions from the tests and the children they start, so that it runs as on a fresh clone
whatever the venv holds.
"""

from __future__ import annotations

import copy
import difflib
import os
from pathlib import Path

import pytest

from stubgen.load.isolate import load_model
from stubgen.load.patterns import apply_patterns, load_pattern_file
from stubgen.model.api import ApiModel, Class, Function, Module


@pytest.fixture(scope="session")
def demo_model() -> ApiModel:
    return load_model("tinyfuser")


DEMO_CONFIG = Path(__file__).parent.parent / "demo" / "pyproject.toml"
DEMO_PATTERNS = DEMO_CONFIG.parent / "tinyfuser.pat"


@pytest.fixture(scope="session")
def shipped_model(demo_model: ApiModel) -> ApiModel:
    """The demo's model with its pattern file applied: what ``make demo`` writes stubs from."""
    model = copy.deepcopy(demo_model)
    apply_patterns(model, load_pattern_file(DEMO_PATTERNS))
    return model


@pytest.fixture(scope="session")
def hazards_model() -> ApiModel:
    return load_model("nbhazards")


def find(module: Module, path: str) -> Function | Class | Module:
    """Return the function, class or module of ``module``'s tree with public path ``path``."""
    stack: list[Module | Class] = [module]
    while stack:
        node = stack.pop()
        if node.path == path:
            return node
        for fn in node.functions:
            if fn.path == path:
                return fn
        stack.extend(node.classes)
        if isinstance(node, Module):
            stack.extend(node.submodules)
    raise KeyError(path)


@pytest.fixture(scope="session")
def twin_model() -> ApiModel:
    """The pybind11 twin of part of the demo (demo/pybind11, module ``pyfuser``)."""
    return load_model("pyfuser")


@pytest.fixture(scope="session")
def built() -> None:
    """Stand for the built extensions, for a test that imports or loads one itself."""


EXTENSION_FIXTURES = {"demo_model", "shipped_model", "hazards_model", "twin_model", "built"}
BUILT_EXTENSIONS = ("tinyfuser", "pyfuser", "nbhazards")


def pytest_configure(config: pytest.Config) -> None:
    """With ``NBAPI_HIDE_EXTENSIONS`` set, make the built extensions unimportable."""
    if not os.environ.get("NBAPI_HIDE_EXTENSIONS"):
        return
    import sys
    import tempfile

    hidden = Path(tempfile.mkdtemp(prefix="nbapi-hidden-"))
    for name in BUILT_EXTENSIONS:
        message = f"{name} is hidden (NBAPI_HIDE_EXTENSIONS): this test needs the 'built' fixture"
        (hidden / f"{name}.py").write_text(f"raise ImportError({message!r})\n")
    sys.path.insert(0, str(hidden))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(hidden), os.environ.get("PYTHONPATH")])
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a model of a built extension as an ``extension`` test."""
    for item in items:
        if EXTENSION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.extension)


GOLDEN_DIR = Path(__file__).parent / "golden"


class Golden:
    """Golden files under ``tests/golden``: compared with a diff; ``UPDATE_GOLDEN=1`` rewrites."""

    update = os.environ.get("UPDATE_GOLDEN") == "1"

    def text(self, name: str | Path, actual: str) -> None:
        """Compare ``actual`` with the golden file ``name``, or rewrite it when updating.

        A relative name is under ``tests/golden``; a path may be anywhere (``stubs/``).
        """
        path = GOLDEN_DIR / name
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8") if path.is_file() else ""
        if actual != expected:
            diff = difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"golden/{name}",
                "actual",
            )
            pytest.fail(
                f"{name} differs from its golden file (if intended, rerun with UPDATE_GOLDEN=1 "
                "and review the diff):\n" + "".join(list(diff)[:200]),
                pytrace=False,
            )

    def tree(self, name: str | Path, files: dict[str, str]) -> None:
        """Compare a tree of files (relative path -> text) with the golden folder ``name``."""
        folder = GOLDEN_DIR / name
        on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        if self.update:
            for stale in on_disk - set(files):
                (folder / stale).unlink()
        else:
            missing = sorted(on_disk - set(files))
            assert not missing, f"golden/{name} has files the run no longer writes: {missing}"
        for relative, text in sorted(files.items()):
            self.text(folder / relative, text)


@pytest.fixture(scope="session")
def golden() -> Golden:
    """The golden files of the suite."""
    return Golden()
