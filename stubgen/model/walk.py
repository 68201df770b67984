"""The one walk over a model's tree: modules, classes (nested too) and functions."""

from __future__ import annotations

from collections.abc import Iterator

from stubgen.model.api import ApiModel, Class, Function, Module


def iter_modules(module: Module) -> Iterator[Module]:
    """Yield ``module`` and all its submodules, depth first."""
    yield module
    for sub in module.submodules:
        yield from iter_modules(sub)


def iter_classes(classes: list[Class]) -> Iterator[Class]:
    """Yield the classes and their nested classes, depth first."""
    for cls in classes:
        yield cls
        yield from iter_classes(cls.classes)


def iter_functions(model: ApiModel) -> Iterator[Function]:
    """Yield every function and method of the model."""
    for module in iter_modules(model.module):
        yield from module.functions
        for cls in iter_classes(module.classes):
            yield from cls.functions
