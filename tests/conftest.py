"""Shared fixtures: the real demo extension and the hazards extension, loaded once each."""

from __future__ import annotations

import pytest

from stubgen.load.isolate import load_model
from stubgen.model.api import ApiModel, Class, Function, Module


@pytest.fixture(scope="session")
def demo_model() -> ApiModel:
    return load_model("tinyfuser")


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
