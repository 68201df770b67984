"""Test-only package with the shapes of real packages (issue: any package as it comes).

- split private extension modules (``_structs``, ``_render``) that name each other's classes,
  re-exported here;
- a lazy ``__getattr__`` that raises ImportError for a name of ``__all__`` (an optional
  backend);
- run-time variants, as mitsuba's: ``single`` and ``double`` are module objects that carry
  this package's ``__name__``; their classes report the same names; :func:`set_variant`
  binds one variant's classes here;
- a submodule of a public extension re-exported under an alias (``nbsplit.syntax`` is
  ``nbsplit.core.syntax``);
- a submodule file that raises on import (an optional dependency missing), and one that
  selects another variant when imported (as mitsuba's ``mitsuba_stubs`` does).
"""

from __future__ import annotations

import sys
import types

from ._render import *  # noqa: F403
from ._structs import *  # noqa: F403
from .core import syntax  # noqa: F401 - an alias of the submodule nbsplit.core.syntax

# ruff: noqa: F405


def _variant(label: str, scale: float) -> types.ModuleType:
    module = types.ModuleType(__name__, f"The {label} variant.")
    module.__path__ = list(__path__)  # as mitsuba's variant modules carry the package's path

    class Color:
        """A colour of this variant."""

        def __init__(self, value: float = 0.0) -> None:
            self.value = value * scale

        def brighter(self) -> Color:
            """A brighter colour."""
            return Color(self.value * 2)

    def luminance(c: Color) -> float:
        """The luminance of a colour."""
        return c.value

    for obj in (Color, luminance):  # every variant's objects report the same paths
        obj.__module__, obj.__qualname__ = __name__, obj.__name__
    if label == "single":  # a name only one variant has

        class Mono:
            """Only in the single variant."""

        Mono.__module__ = __name__
        module.Mono = Mono  # type: ignore[attr-defined]
    module.Color = Color  # type: ignore[attr-defined]
    module.luminance = luminance  # type: ignore[attr-defined]
    sys.modules[f"{__name__}.{label}"] = module
    return module


single = _variant("single", 1.0)
double = _variant("double", 2.0)


def set_variant(name: str) -> None:
    """Bind the classes of variant ``name`` (``"single"`` or ``"double"``) here."""
    variant = {"single": single, "double": double}[name]
    globals().update({k: v for k, v in vars(variant).items() if not k.startswith("__")})
    __all__.extend(n for n in ("Color", "luminance") if n not in __all__)


class Shape:
    """A base class that ``__all__`` leaves out (as iminuit.cost's BinnedCost)."""


class Circle(Shape):
    """A class ``__all__`` lists."""


def __getattr__(name: str) -> object:
    if name == "gpu":
        raise ImportError("the GPU backend is not initialised")
    raise AttributeError(name)


__all__ = [
    "Circle",
    "Point",
    "Rect",
    "area",
    "centre",
    "double",
    "gpu",
    "set_variant",
    "single",
    "square",
]
