"""nanobind's objects.

Functions carry ``__nb_signature__`` (text, docstring, defaults per overload); classes have
the ``nb_type`` metaclass.
"""

from __future__ import annotations

import re
from typing import Any

from stubgen.load.declared import Declared
from stubgen.load.state import WalkState, parsed_overload, runtime_path, unknown_signature
from stubgen.model.api import FunctionKind, Overload
from stubgen.parse.signature import DefaultValue


def is_nb_function(obj: object) -> bool:
    """Tell whether ``obj`` is a nanobind function or method."""
    return type(obj).__name__ in ("nb_func", "nb_method")


def legacy_enum_entries(cls: type) -> dict[str, tuple[object, str | None]] | None:
    """Return a nanobind 1 enum's members (name -> value, docstring), or None for another class.

    nanobind 1 enums are no ``enum.Enum``: their members are in a private ``@entries`` dict
    (value -> name, docstring, member).
    """
    entries = vars(cls).get("@entries") if is_nb_type(cls) else None
    if not isinstance(entries, dict):
        return None
    result: dict[str, tuple[object, str | None]] = {}
    for value, entry in entries.items():
        if isinstance(entry, tuple) and len(entry) >= 2 and isinstance(entry[0], str):
            result[entry[0]] = (value, entry[1] if isinstance(entry[1], str) else None)
    return result


NbEntry = tuple[str, str | None, tuple[Any, ...] | None]
_LEGACY_NUMBERED = re.compile(r"^(\d+)\. ``(.*)``$")


def nb_entries(fn: Any) -> list[NbEntry]:
    """Return a nanobind function's overloads: text, docstring and defaults of each.

    nanobind 2 gives them as ``__nb_signature__``. nanobind 1 (wheels built before 2024)
    writes them into ``__doc__`` instead: one signature line per overload, a blank line,
    then the docstring, or ``Overloaded function.`` and numbered blocks (``1. ``sig````,
    its docstring); defaults are written as text there.
    """
    entries = getattr(fn, "__nb_signature__", None)
    if entries is not None:
        return list(entries)
    return legacy_entries(getattr(fn, "__name__", ""), getattr(fn, "__doc__", None) or "")


def legacy_entries(name: str, doc: str) -> list[NbEntry]:
    """Read nanobind 1's ``__doc__`` into ``__nb_signature__``-like entries."""
    lines = doc.splitlines()
    count = 0
    while count < len(lines) and lines[count].startswith((f"{name}(", "(")):
        count += 1
    signatures = [f"def {line}" for line in lines[:count]]
    rest = "\n".join(lines[count:]).strip("\n")
    if not signatures:
        return []
    docs: list[str | None] = [rest or None] * len(signatures)
    if rest.startswith("Overloaded function."):
        docs = [None] * len(signatures)
        number, block = -1, list[str]()
        for line in [*rest.splitlines()[1:], "1. ``end``"]:
            match = _LEGACY_NUMBERED.match(line)
            if match:
                if 0 <= number < len(docs):
                    docs[number] = "\n".join(block).strip() or None
                number, block = int(match.group(1)) - 1, []
            else:
                block.append(line)
    return [(text, d, None) for text, d in zip(signatures, docs, strict=True)]


def is_nb_type(obj: object) -> bool:
    """Tell whether ``obj`` is a nanobind class (metaclass ``nb_type``, or ``nb_type_N``)."""
    return isinstance(obj, type) and re.fullmatch(r"nb_type(_\d+)?", type(obj).__name__) is not None


def nb_overload(
    walk: WalkState, entry: tuple[str, str | None, tuple[Any, ...] | None], path: str
) -> Overload:
    """One overload of a nanobind function, from one ``__nb_signature__`` entry."""
    text, doc, raw_defaults = entry
    defaults = None
    if raw_defaults is not None:
        defaults = [_placeholder_default(walk, text, i, v) for i, v in enumerate(raw_defaults)]
    return parsed_overload(walk, text, defaults, walk.doc(doc), path)


def _placeholder_default(walk: WalkState, text: str, index: int, value: object) -> DefaultValue:
    # '\=N' means nb::arg().sig("TEXT"): the default is TEXT itself, pasted verbatim.
    if f"\\={index}" in text and isinstance(value, str):
        return DefaultValue(value, value)
    return walk.default_value(value)


class NanobindReader:
    """The :class:`~stubgen.load.readers.BindingReader` of nanobind."""

    binding = "nanobind"

    def owns_function(self, obj: object) -> bool:
        """Tell whether ``obj`` is a nanobind function or method."""
        return is_nb_function(obj)

    def owns_class(self, obj: object) -> bool:
        """Tell whether ``obj`` is a nanobind class."""
        return is_nb_type(obj)

    def runtime_path(self, fn: Any, name: str) -> str:
        """Return where the runtime says ``fn`` lives."""
        return runtime_path(fn)

    def overloads(
        self, walk: WalkState, fn: Any, name: str, path: str, kind: FunctionKind
    ) -> list[Overload]:
        """Read each ``__nb_signature__`` entry; none at all is one overload taking anything."""
        overloads = [nb_overload(walk, entry, path) for entry in nb_entries(fn)]
        if not overloads:
            reason = "no __nb_signature__, and no signature line in __doc__"
            overloads = [unknown_signature(Overload(signature=""), reason)]
        return overloads

    def accessor(self, walk: WalkState, fn: Any, path: str) -> Overload | None:
        """Read a property's getter or setter: its first ``__nb_signature__`` entry."""
        entries = nb_entries(fn)
        return nb_overload(walk, entries[0], path) if entries else None

    def declared(self, fn: Any, *, bound: bool, probe: bool) -> list[Declared]:
        """Return each overload's text and its live default objects (``__nb_signature__``)."""
        return [Declared(text, values=raw) for text, _, raw in nb_entries(fn)]
