"""Guarded access to a live package: what a lazy ``__getattr__`` or a descriptor raises.

Light on purpose: the children import it before the extension, while the walker's heavier
modules (numpydoc, the parsers) import in parallel.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

_MISSING = object()


def module_attribute(module: Any, name: str, default: Any = None) -> Any:
    """Read a module's own attribute (``__all__``, ``__path__``) without its ``__getattr__``.

    A lazy module ``__getattr__`` may raise anything for a name it does not know; the
    module's dictionary holds the attributes a module really has.
    """
    try:
        found = vars(module).get(name, _MISSING)
    except TypeError:  # no __dict__
        found = _MISSING
    return default if found is _MISSING else found


def guarded_getattr(
    obj: Any, name: str, path: str, errors: list[str] | None = None
) -> tuple[bool, Any]:
    """Fetch ``obj.name`` whatever the access raises; return ``(found, value)``.

    ``hasattr`` swallows only AttributeError: a lazy ``__getattr__`` or a descriptor that
    raises ImportError or RuntimeError would end the whole walk. Here a missing name is
    ``(False, None)``, and any other exception also appends ``path: Type: first line`` to
    ``errors``.
    """
    try:
        return True, getattr(obj, name)
    except AttributeError:
        return False, None
    except Exception as exc:
        if errors is not None:
            record_error(errors, path, exc)
        return False, None


def record_error(errors: list[str], path: str, exc: BaseException) -> None:
    """Record ``path: Type: first line`` as a load error of one object.

    With ``NBAPI_DEBUG`` set, the traceback of the exception being handled goes to stderr,
    which reaches the user's terminal only then (:mod:`stubgen.load.isolate`).
    """
    errors.append(f"{path}: {exception_line(exc)}")
    if os.environ.get("NBAPI_DEBUG"):
        print(f"nbapi: load error at {path}:", file=sys.stderr)
        traceback.print_exc()


def exception_line(exc: BaseException) -> str:
    """Return ``Type: first line of the message`` for a load error."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
