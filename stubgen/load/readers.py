"""The binding readers: one per library that makes Python objects of C++ (and Python's own).

A reader recognises the functions and classes its binding makes, reads a function's overloads
into the model (the loader, :mod:`stubgen.load.runtime`), and tells what each overload
declares (verify's runtime reader, :mod:`stubgen.verify.runtime`, apart from the loader's
walk). nanobind, pybind11 and Python are the three in :data:`READERS`; another binding
(Cython, PyO3, tvm-ffi) is one class with these methods, put in front with :func:`register`.
"""

from __future__ import annotations

from typing import Any, Protocol

from stubgen.load.declared import Declared
from stubgen.load.nanobind import NanobindReader
from stubgen.load.pybind11 import Pybind11Reader
from stubgen.load.python import PythonReader
from stubgen.load.state import WalkState
from stubgen.model.api import FunctionKind, Overload


class BindingReader(Protocol):
    """What the loader and verify ask of a binding.

    Attributes
    ----------
    binding : str
        The name the model gives every node this reader reads (``Function.binding``,
        ``Class.binding``); the findings name their fix in its terms.
    """

    binding: str

    def owns_function(self, obj: object) -> bool:
        """Tell whether ``obj`` is a function or method this binding made."""
        ...

    def owns_class(self, obj: object) -> bool:
        """Tell whether ``obj`` is a class this binding made."""
        ...

    def runtime_path(self, fn: Any, name: str) -> str:
        """Return the dotted path the runtime gives ``fn`` (found under ``name``)."""
        ...

    def overloads(
        self, walk: WalkState, fn: Any, name: str, path: str, kind: FunctionKind
    ) -> list[Overload]:
        """Read the overloads of ``fn``, found at ``path`` as a ``kind``."""
        ...

    def accessor(self, walk: WalkState, fn: Any, path: str) -> Overload | None:
        """Read a property's getter or setter ``fn``; None when it declares nothing."""
        ...

    def declared(self, fn: Any, *, bound: bool, probe: bool) -> list[Declared] | None:
        """Return what each overload of ``fn`` declares; None: read ``inspect.signature``."""
        ...


PYTHON: BindingReader = PythonReader()
# Asked in order; Python's, which owns every class, comes last.
READERS: list[BindingReader] = [NanobindReader(), Pybind11Reader(), PYTHON]


def register(reader: BindingReader) -> None:
    """Add ``reader`` before the Python reader (and after the ones already registered)."""
    READERS.insert(len(READERS) - 1, reader)


def function_reader(obj: object) -> BindingReader:
    """Return the reader of the function ``obj``: its binding's, else Python's."""
    return next((r for r in READERS if r.owns_function(obj)), PYTHON)


def class_binding(cls: object) -> str:
    """Name the binding that made the class ``cls`` (``python`` for a class none made)."""
    return next((r.binding for r in READERS if r.owns_class(cls)), PYTHON.binding)


def is_bound_function(obj: object) -> bool:
    """Tell whether a reader owns the function ``obj`` (a binding's or a Python function)."""
    return any(r.owns_function(obj) for r in READERS)


def is_binding_object(obj: object) -> bool:
    """Tell whether a binding other than Python made ``obj`` (a function or a class)."""
    return any(r.owns_function(obj) or r.owns_class(obj) for r in READERS if r is not PYTHON)
