"""Shared fixtures: the real demo extension and the hazards extension, loaded once each."""

from __future__ import annotations

import copy
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
