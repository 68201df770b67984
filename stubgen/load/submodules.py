"""Import a package's submodule files once each, remembering the ones that fail.

Importing a submodule may have side effects on the package: mitsuba's ``mitsuba_stubs``
selects another variant. So every public submodule file is imported before the set-up
code runs (:func:`import_package_files`), and the walk later asks this module again: a
module imported once is not imported twice, and a failed import is reported, not retried.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import types
from collections import deque

from stubgen.load.guards import exception_line, module_attribute

# Import name -> the reason it failed (an extension that raises, a missing dependency).
_FAILED: dict[str, str] = {}
# The marker of a plain shared library beside the modules: not a Python module at all.
_NOT_A_MODULE = "does not define module export function"


def submodule_files(module: types.ModuleType) -> list[str]:
    """List the public submodule files of a package (``__path__``), by name, in file order."""
    path = module_attribute(module, "__path__", []) or []
    try:
        infos = list(pkgutil.iter_modules(path))
    except Exception:  # a __path__ that is not a list of directories
        return []
    return [i.name for i in infos if not i.name.startswith("_") and i.name.isidentifier()]


def import_submodule(name: str) -> types.ModuleType | str | None:
    """Import ``name`` once; return the module, the reason it failed, or None if no module.

    None is a shared library that only lies beside the modules.
    """
    module = sys.modules.get(name)
    if isinstance(module, types.ModuleType):
        return module
    if name in _FAILED:
        return _FAILED[name] or None
    try:
        return importlib.import_module(name)
    except Exception as exc:
        reason = "" if _NOT_A_MODULE in str(exc) else exception_line(exc)
        _FAILED[name] = reason
        return reason or None


def import_package_files(root: types.ModuleType) -> None:
    """Import every public submodule file under the package ``root``, breadth first.

    Failures are remembered for :func:`import_submodule`; nothing raises.
    """
    queue: deque[types.ModuleType] = deque([root])
    scanned: set[str] = set()
    while queue:
        module = queue.popleft()
        name = module_attribute(module, "__name__")
        if not isinstance(name, str) or name in scanned or not owns_files(module, name):
            continue
        scanned.add(name)
        for child in submodule_files(module):
            found = import_submodule(f"{name}.{child}")
            if isinstance(found, types.ModuleType):
                queue.append(found)


def owns_files(module: types.ModuleType, name: str) -> bool:
    """Tell whether ``module`` is the one imported as ``name``, so the files of ``name`` are its.

    mitsuba's ``scalar_rgb`` carries ``mitsuba``'s ``__name__`` and ``__path__``, yet
    mitsuba's files are not its submodules.
    """
    return sys.modules.get(name) is module


def unselected_variant(module: types.ModuleType) -> bool:
    """Tell whether ``module`` is a run-time variant other than the one its package holds.

    A variant (mitsuba's ``scalar_rgb``, ``llvm_ad_rgb``, ...) is a module object that
    carries the ``__name__`` of another module in ``sys.modules`` (the holder): its classes
    report the same paths as every other variant's, and only identity tells them apart.
    It is the selected one when the holder has every class the variant defines under the
    shared name, as the very same object (after ``set_variant``); classes that are no
    variant's own agree anyway.
    """
    name = module_attribute(module, "__name__")
    holder = sys.modules.get(name) if isinstance(name, str) else None
    if not isinstance(holder, types.ModuleType) or holder is module:
        return False
    own = [
        (attr, value)
        for attr, value in vars(module).items()
        if isinstance(value, type) and getattr(value, "__module__", None) == name
    ]
    return not own or any(vars(holder).get(attr) is not value for attr, value in own)


def import_paths(found: list[tuple[types.ModuleType, str]], top: str) -> list[str]:
    """Give each module the path it is imported under, where that path is public API.

    ``found`` lists the modules in the order a breadth-first walk reached them, each with
    the path it was first reached by. A submodule reached first under an alias
    (``pkg.syntax``, which is ``pkg.core.syntax``) is written where ``import`` finds it,
    and the alias re-exports it: stubs at the alias path would make ``import
    pkg.core.syntax`` fail type checking. The import path is taken when it is the module's
    ``sys.modules`` entry, no part of it is private, and its parent is one of the modules
    (so the tree stays connected); a module's subtree moves with it.

    Returns
    -------
    list of str
        The paths, in the order of ``found``.
    """
    paths = [path for _, path in found]
    for i, (module, _) in enumerate(found):
        name = module_attribute(module, "__name__")
        current = paths[i]
        if not isinstance(name, str) or name == current or sys.modules.get(name) is not module:
            continue
        parts = name.split(".")
        if parts[0] != top or any(part.startswith("_") for part in parts) or name in paths:
            continue
        if name.rpartition(".")[0] not in paths:
            continue
        prefix = current + "."
        paths = [
            name + p[len(current) :] if p == current or p.startswith(prefix) else p for p in paths
        ]
    return paths
