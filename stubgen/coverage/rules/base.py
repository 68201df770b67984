"""What every rule receives: the object under check and the package around it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from stubgen.findings import Finding
from stubgen.model.api import ApiModel, Class, Function, Module, Overload
from stubgen.model.names import NameIndex
from stubgen.model.walk import iter_classes, iter_modules

_DUNDER = re.compile(r"__\w+__")
# Annotations that say nothing about the type (SIG003 and the typed-signatures score).
IMPRECISE = frozenset({"object", "typing.Any", "Any"})


def is_dunder(name: str) -> bool:
    """Tell whether ``name`` is a special method name such as ``__eq__``."""
    return _DUNDER.fullmatch(name) is not None


@dataclass(frozen=True)
class FunctionTarget:
    """A function or method to check, with the class and module that hold it."""

    function: Function
    module: Module
    owner: Class | None = None

    @property
    def path(self) -> str:
        """Public path of the function."""
        return self.function.path

    def where(self, index: int) -> str:
        """Prefix naming one overload in a message, empty when there is only one."""
        count = len(self.function.overloads)
        return f"overload {index + 1} of {count}: " if count > 1 else ""

    def signature_names(self, overload: Overload) -> list[str]:
        """Parameter names as numpydoc expects them documented (stars kept, self dropped)."""
        names = []
        for i, p in enumerate(overload.parameters):
            if i == 0 and self.owner is not None and p.name in ("self", "cls"):
                continue
            star = {"var_positional": "*", "var_keyword": "**"}.get(p.kind, "")
            names.append(f"{star}{p.name}")
        return names


@dataclass(frozen=True)
class ClassTarget:
    """A class to check, with the module that holds it."""

    cls: Class
    module: Module


@dataclass
class Context:
    """The package being checked: the model and an index of its public names."""

    model: ApiModel
    index: NameIndex

    @classmethod
    def from_model(cls, model: ApiModel) -> Context:
        """Build the context of ``model``."""
        return cls(model=model, index=NameIndex.from_model(model))


FunctionRule = Callable[[FunctionTarget, Context], Iterator[Finding]]
ClassRule = Callable[[ClassTarget, Context], Iterator[Finding]]


def function_targets(model: ApiModel) -> Iterator[FunctionTarget]:
    """Yield every module-level function and every method of the model."""
    for module in iter_modules(model.module):
        for fn in module.functions:
            yield FunctionTarget(fn, module)
        for cls in iter_classes(module.classes):
            for fn in cls.functions:
                yield FunctionTarget(fn, module, cls)


def class_targets(model: ApiModel) -> Iterator[ClassTarget]:
    """Yield every class of the model, nested ones included."""
    for module in iter_modules(model.module):
        for cls in iter_classes(module.classes):
            yield ClassTarget(cls, module)
