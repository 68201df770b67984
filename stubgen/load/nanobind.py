"""nanobind's objects.

Functions carry ``__nb_signature__`` (text, docstring, defaults per overload); classes have
the ``nb_type`` metaclass.
"""

from __future__ import annotations

import re
from typing import Any

from stubgen.load.state import Walk, parsed_overload
from stubgen.model.api import Overload
from stubgen.parse.signature import DefaultValue


def is_nb_function(obj: object) -> bool:
    """Tell whether ``obj`` is a nanobind function or method (it has ``__nb_signature__``)."""
    return type(obj).__name__ in ("nb_func", "nb_method") and hasattr(obj, "__nb_signature__")


def is_nb_type(obj: object) -> bool:
    """Tell whether ``obj`` is a nanobind class (metaclass ``nb_type``, or ``nb_type_N``)."""
    return isinstance(obj, type) and re.fullmatch(r"nb_type(_\d+)?", type(obj).__name__) is not None


def nb_overload(
    walk: Walk, entry: tuple[str, str | None, tuple[Any, ...] | None], path: str
) -> Overload:
    """One overload of a nanobind function, from one ``__nb_signature__`` entry."""
    text, doc, raw_defaults = entry
    defaults = None
    if raw_defaults is not None:
        defaults = [_placeholder_default(walk, text, i, v) for i, v in enumerate(raw_defaults)]
    return parsed_overload(walk, text, defaults, walk.doc(doc), path)


def _placeholder_default(walk: Walk, text: str, index: int, value: object) -> DefaultValue:
    # '\=N' means nb::arg().sig("TEXT"): the default is TEXT itself, pasted verbatim.
    if f"\\={index}" in text and isinstance(value, str):
        return DefaultValue(value, value)
    return walk.default_value(value)
