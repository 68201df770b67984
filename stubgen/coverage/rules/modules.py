"""Module rules: a module that exposes something."""

from __future__ import annotations

from collections.abc import Iterator

from stubgen.findings import Finding, finding
from stubgen.model.api import Module


def empty_module(module: Module) -> Iterator[Finding]:
    """MOD001: a module with no functions, classes, attributes or submodules.

    Its stub is empty and its scores count nothing (``n/a``): there is no API to cover, which
    a 100% score would hide.
    """
    if not (module.functions or module.classes or module.attributes or module.submodules):
        if not module.aliases and module.prefix is None and module.suffix is None:
            yield finding("MOD001", module.path)


RULES = {"MOD001": empty_module}
