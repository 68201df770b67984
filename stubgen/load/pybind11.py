"""pybind11's objects.

Functions are builtins bound to a function record whose ``__doc__`` holds the signature
lines; classes have the ``pybind11_type`` metaclass; a classic ``py::enum_`` has
``__members__``.
"""

from __future__ import annotations

import re
import types
from typing import Any

from stubgen.load.declared import Declared
from stubgen.load.python import python_overload
from stubgen.load.state import WalkState, docstring_signature, parsed_overload, unknown_signature
from stubgen.model.api import FunctionKind, Overload, SignatureSource
from stubgen.parse.pybind11 import split_overloads, translate
from stubgen.parse.signature import SignatureError


def is_pb_function(obj: object) -> bool:
    """Tell whether ``obj`` is a pybind11 function: a builtin bound to a function record.

    pybind11 3 binds it to a ``pybind11_detail_function_record_*`` object, pybind11 2 to a
    capsule; ``__doc__`` holds its signatures.
    """
    if not isinstance(obj, types.BuiltinFunctionType):
        return False
    owner = type(getattr(obj, "__self__", None)).__name__
    return owner == "PyCapsule" or owner.startswith("pybind11_detail_function_record")


def is_pb_type(obj: object) -> bool:
    """Tell whether ``obj`` is a pybind11 class (metaclass ``pybind11_type``)."""
    return isinstance(obj, type) and type(obj).__name__ == "pybind11_type"


def is_pb_enum(obj: object) -> bool:
    """Tell whether ``obj`` is a classic ``py::enum_``: a pybind11 class with ``__members__``."""
    return is_pb_type(obj) and "__members__" in vars(obj)


def pb_overload(
    walk: WalkState,
    line: str,
    doc: str | None,
    path: str,
    method: bool,
    source: SignatureSource = "generated",
) -> Overload:
    """One overload of a pybind11 function, from its signature line and its docstring.

    pybind11 writes every signature from the C++ types: ``"generated"``, as nanobind's are;
    ``"probe"`` when the line comes from :func:`pb_probe`.
    """
    try:
        signature = translate(line, method=method)
    except SignatureError as exc:
        walk.errors.append(f"{path}: unparsable signature {line!r}: {exc}")
        overload = Overload(signature=line, doc=walk.doc(doc))
        return unknown_signature(overload, f"unparsable signature {line!r}: {exc}")
    return parsed_overload(
        walk, signature.text, signature.defaults, walk.doc(doc), path, source=source
    )


class _Probe:
    """The probe's argument: an object of a class no binding knows, so none converts it."""


# The keyword the probe passes: no binding names a parameter so.
PROBE_KEYWORD = "_nbapi_probe_"
_SUPPORTED = "The following argument types are supported:"
_PROBE_LINE = re.compile(r"^    (\d+)\. (\(.*)$")


def pb_probe(fn: Any, name: str) -> list[str]:
    """Ask pybind11 for the overloads of ``fn`` when its ``__doc__`` lists none.

    A pybind11 module bound with ``py::options().disable_function_signatures()`` writes no
    signature line, but pybind11 keeps every overload's signature and lists them all in the
    ``TypeError`` of a call that no overload accepts. The probe is such a call: one
    positional argument of a class no binding knows (:class:`_Probe`) and one keyword,
    ``_nbapi_probe_``, that no binding names. pybind11 rejects an overload before running it
    when an argument does not convert or a keyword matches no parameter, so only an
    overload taking ``py::kwargs`` together with ``py::args`` (or a ``py::object`` first
    parameter) could accept the call; the TypeError also comes before any overload runs.
    The probe runs in the loader's child process only, and ``probe = false`` in
    ``[tool.nbapi]`` (``--no-probe``) turns it off.

    Parameters
    ----------
    fn : Any
        A pybind11 function whose ``__doc__`` has no signature line.
    name : str
        Its name, put in front of each signature.

    Returns
    -------
    list of str
        One signature line per overload (``name(arg0: int) -> int``), in pybind11's order;
        empty when the call did not fail as expected.
    """
    try:
        fn(_Probe(), **{PROBE_KEYWORD: _Probe()})
    except TypeError as exc:
        message = str(exc)
    except Exception:
        return []
    else:  # pragma: no cover - a catch-all overload accepted the probe
        return []
    if _SUPPORTED not in message:
        return []
    lines: list[str] = []
    for line in message.split(_SUPPORTED, 1)[1].split("\n"):
        match = _PROBE_LINE.match(line)
        if match is not None and int(match.group(1)) == len(lines) + 1:
            lines.append(name + match.group(2))
    return lines


def is_pb_root(base: object) -> bool:
    """pybind11's common base of its classes, which no user code names."""
    return isinstance(base, type) and f"{base.__module__}.{base.__qualname__}" == (
        "pybind11_builtins.pybind11_object"
    )


def pb_accessor(walk: WalkState, fn: Any, path: str) -> Overload | None:
    """Read a ``def_property``/``def_readwrite`` accessor, whose signature line has no name."""
    doc = fn.__doc__ or ""
    entries = split_overloads("", doc) or split_overloads(fn.__name__, doc)
    if not entries:
        return None
    return pb_overload(walk, entries[0][0], entries[0][1], path, method=True)


def pb_enum_doc(cls: type) -> str | None:
    """Return a ``py::enum_``'s docstring without the member list pybind11 appends to it.

    Its ``__doc__`` is a property that adds "Members:" and each member's docstring; the
    members keep theirs (:func:`pb_enum_member_docs`).
    """
    doc = getattr(cls, "__doc__", None)
    return doc.split("\n\nMembers:\n", 1)[0] if isinstance(doc, str) else None


def pb_enum_member_docs(cls: type) -> dict[str, object]:
    """Return each member's docstring, from the private ``__entries``: name -> (value, doc)."""
    entries = vars(cls).get("__entries", {})
    return {
        name: entry[1]
        for name, entry in (entries.items() if isinstance(entries, dict) else ())
        if isinstance(entry, tuple) and len(entry) == 2
    }


class Pybind11Reader:
    """The :class:`~stubgen.load.readers.BindingReader` of pybind11."""

    binding = "pybind11"

    def owns_function(self, obj: object) -> bool:
        """Tell whether ``obj`` is a pybind11 function."""
        return is_pb_function(obj)

    def owns_class(self, obj: object) -> bool:
        """Tell whether ``obj`` is a pybind11 class."""
        return is_pb_type(obj)

    def runtime_path(self, fn: Any, name: str) -> str:
        """Name the module: a pybind11 builtin's qualified name is its function record's type's.

        A class's member is renamed by the class.
        """
        return f"{getattr(fn, '__module__', None) or 'builtins'}.{name}"

    def overloads(
        self, walk: WalkState, fn: Any, name: str, path: str, kind: FunctionKind
    ) -> list[Overload]:
        """Read the signature lines of ``__doc__``, each with its docstring; else probe."""
        method = kind in ("method", "classmethod")
        entries = split_overloads(fn.__name__, fn.__doc__ or "")
        if entries:
            return [pb_overload(walk, line, doc, path, method) for line, doc in entries]
        return _without_signatures(walk, fn, path, method)

    def accessor(self, walk: WalkState, fn: Any, path: str) -> Overload | None:
        """Read a ``def_property`` accessor (a signature line without a name), else as Python."""
        return pb_accessor(walk, fn, path) or python_overload(walk, fn, fn.__name__ or "")

    def declared(self, fn: Any, *, bound: bool, probe: bool) -> list[Declared]:
        """Return each signature line translated; one pybind11 cannot be read is unknown."""
        lines = [line for line, _ in split_overloads(fn.__name__, fn.__doc__ or "")]
        if not lines and probe:
            lines = pb_probe(fn, fn.__name__)
        result = []
        for line in lines:
            try:
                signature = translate(line, method=bound)
            except SignatureError:
                result.append(Declared(None))
                continue
            result.append(Declared(signature.text, defaults=signature.defaults))
        return result


def _without_signatures(walk: WalkState, fn: Any, path: str, method: bool) -> list[Overload]:
    """Read the overloads of a pybind11 function whose ``__doc__`` has no signature line.

    pybind11 lists them when probed (:func:`pb_probe`); the docstring, one text for all of
    them, goes to the last. Without the probe, one overload that takes anything.
    """
    doc = fn.__doc__ if isinstance(fn.__doc__, str) else None
    lines = pb_probe(fn, fn.__name__) if walk.probe else []
    if not lines:
        reason = "pybind11 wrote no signature (disable_function_signatures)"
        reason += "" if walk.probe else "; the probe is off"
        return [docstring_signature(walk, Overload(signature="", doc=walk.doc(doc)), reason)]
    overloads = [pb_overload(walk, line, None, path, method, source="probe") for line in lines]
    overloads[-1].doc = walk.doc(doc)
    return overloads
