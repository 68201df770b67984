"""The binding readers: one protocol the loader and verify share; a fourth reader registers.

The toy binding below makes functions that carry their signature text in
``__toy_signature__`` and classes of the metaclass ``ToyType``: what Cython, PyO3 or tvm-ffi
would each be, one class with the reader's methods.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from stubgen.config import CoverageConfig
from stubgen.coverage import build_report
from stubgen.load import readers
from stubgen.load.declared import Declared
from stubgen.load.isolate import ChildOptions
from stubgen.load.runtime import inspect_module
from stubgen.load.state import WalkState, parsed_overload, runtime_path
from stubgen.model.api import FunctionKind, Overload
from stubgen.verify.facts import scope_from_json
from stubgen.verify.runtime import main as read_runtime_here


class ToyFunction:
    """A function of the toy binding: called with anything, declaring one text per overload."""

    def __init__(self, name: str, module: str, *texts: str) -> None:
        self.__name__ = self.__qualname__ = name
        self.__module__ = module
        self.__toy_signature__ = texts

    def __call__(self, *args: Any) -> Any:
        return args[0] if args else None


class ToyType(type):
    """The metaclass of the toy binding's classes."""


class ToyReader:
    binding = "toy"

    def owns_function(self, obj: object) -> bool:
        return isinstance(obj, ToyFunction)

    def owns_class(self, obj: object) -> bool:
        return isinstance(obj, ToyType)

    def runtime_path(self, fn: Any, name: str) -> str:
        return runtime_path(fn)

    def overloads(
        self, walk: WalkState, fn: Any, name: str, path: str, kind: FunctionKind
    ) -> list[Overload]:
        return [parsed_overload(walk, t, None, None, path) for t in fn.__toy_signature__]

    def accessor(self, walk: WalkState, fn: Any, path: str) -> Overload | None:
        return None

    def declared(self, fn: Any, *, bound: bool, probe: bool) -> list[Declared] | None:
        return [Declared(text) for text in fn.__toy_signature__]


@pytest.fixture
def toymod(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = types.ModuleType("toymod", "A module of the toy binding.")
    module.add = ToyFunction(
        "add", "toymod", "def add(a: int, b: int = 1) -> int", "def add(a: str) -> str"
    )
    module.Box = ToyType("Box", (), {"__module__": "toymod", "__doc__": "A box."})
    monkeypatch.setitem(sys.modules, "toymod", module)
    monkeypatch.setattr(readers, "READERS", list(readers.READERS))
    readers.register(ToyReader())
    return module


def test_the_three_readers_and_python_last() -> None:
    assert [r.binding for r in readers.READERS] == ["nanobind", "pybind11", "python"]
    assert readers.function_reader(len).binding == "python"  # what no binding owns
    assert readers.class_binding(int) == "python"


def test_a_fourth_reader_registers_before_python(toymod: types.ModuleType) -> None:
    assert [r.binding for r in readers.READERS] == ["nanobind", "pybind11", "toy", "python"]
    assert readers.function_reader(toymod.add).binding == "toy"
    assert readers.is_binding_object(toymod.Box)


def test_the_loader_reads_a_fourth_binding(toymod: types.ModuleType) -> None:
    model = inspect_module("toymod")
    (add,) = model.module.functions
    assert add.binding == "toy"
    assert [[p.name for p in o.parameters] for o in add.overloads] == [["a", "b"], ["a"]]
    assert [o.returns for o in add.overloads] == ["int", "str"]
    (box,) = model.module.classes
    assert box.binding == "toy"
    # A binding's objects, so no "no nanobind or pybind11 objects" load error.
    assert model.load_errors == []
    # Rules fire for every binding where the runtime shows the gap: Box has no __repr__.
    report = build_report(model, CoverageConfig(select=["CLS001"]))
    assert [(f.code, f.path) for f in report.findings] == [("CLS001", "toymod.Box")]


def test_verify_reads_a_fourth_binding(toymod: types.ModuleType, tmp_path: Path) -> None:
    output = tmp_path / "scope.json"
    assert read_runtime_here(["toymod", str(output), ChildOptions().to_argument()]) == 0
    scope = scope_from_json(json.loads(output.read_text(encoding="utf-8")))
    add = scope.members["add"]
    assert add.kind == "function"
    assert [[(p.name, p.has_default) for p in s.params] for s in add.overloads] == [
        [("a", False), ("b", True)],
        [("a", False)],
    ]
