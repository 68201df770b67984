"""Set-up code run in the child after the import and before the walk (``setup``).

A package may need a call before its API exists as users see it: mitsuba's
``mitsuba.set_variant("scalar_rgb")`` binds the variant's classes to ``mitsuba.*``. The
setting is either Python statements or ``module:function`` (a function called with no
arguments).
"""

from __future__ import annotations

import importlib
import os
import re
import types

from stubgen.load.guards import exception_line
from stubgen.load.submodules import import_package_files

# module:function, as in entry points (pkg.tools:select_default)
_ENTRY = re.compile(r"^\s*([A-Za-z_][\w.]*):([A-Za-z_][\w.]*)\s*$")


class SetupError(Exception):
    """The set-up code raised; the message says what, in one line."""


def run_setup(code: str) -> None:
    """Run the set-up ``code``: Python statements, or ``module:function`` to call.

    Parameters
    ----------
    code : str
        The ``setup`` setting; empty does nothing.

    Raises
    ------
    SetupError
        If the code does not compile or raises.
    """
    if not code.strip():
        return
    entry = _ENTRY.match(code)
    try:
        if entry is not None:
            target: object = importlib.import_module(entry.group(1))
            for part in entry.group(2).split("."):
                target = getattr(target, part)
            if not callable(target):
                raise TypeError(f"{code.strip()} is not callable")
            target()
        else:
            exec(compile(code, "<nbapi setup>", "exec"), {"__name__": "__nbapi_setup__"})
    except Exception as exc:
        raise SetupError(f"the setup code raised {exception_line(exc)}") from exc


def prepare(root: types.ModuleType, code: str) -> None:
    """Bring the imported package ``root`` to the state the walk reads, set-up included.

    The package's submodule files are imported first, so that the walk imports nothing
    later. Importing one may change the package as a side effect (mitsuba's
    ``mitsuba_stubs`` selects another variant, whose names stay in ``mitsuba``'s namespace):
    the names the imports added or changed are put back as the import and the set-up code
    left them (submodules stay), and the set-up code runs again.

    Raises
    ------
    SetupError
        If the set-up code raises.
    """
    run_setup(code)
    namespace = vars(root)
    selected = dict(namespace)
    import_package_files(root)
    for name in [n for n in namespace if n not in selected]:
        if not isinstance(namespace[name], types.ModuleType):
            del namespace[name]
    namespace.update(selected)
    run_setup(code)


def import_prepared(name: str, setup: str) -> types.ModuleType:
    """Import ``name`` as every child that reads the runtime does, and :func:`prepare` it.

    ``setup`` is the set-up code the parent passed (:class:`stubgen.load.isolate.ChildOptions`);
    ``NB_STUBGEN=1`` is set first, as nanobind's own stub generator does, so modules can skip
    heavy set-up. The loader and verify's reader thus see the same namespace.

    Raises
    ------
    SetupError
        If the set-up code raises; anything the import raises propagates.
    """
    os.environ.setdefault("NB_STUBGEN", "1")
    module = importlib.import_module(name)
    prepare(module, setup)
    return module


def failure_message(exc: BaseException) -> str:
    """Say in one line why a child could not import or prepare its module."""
    return str(exc).strip().splitlines()[0] if isinstance(exc, SetupError) else exception_line(exc)
