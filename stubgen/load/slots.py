"""Signatures that Python's data model fixes for C-level slot wrappers.

A class that fills a type slot (``tp_repr``, ``mp_subscript``, ``nb::type_slots``) exposes a
``wrapper_descriptor`` whose ``__text_signature__`` names the parameters but types nothing.
What the interpreter demands of the slot's result is known, though: ``repr()`` raises unless
``__repr__`` returns a ``str``, ``hash()`` needs an ``int``, ``len()`` an ``int``. The table
below writes those as typeshed writes them for ``object`` and the protocols of
``collections.abc``; parameters and results the data model leaves open stay unannotated
(``Any`` in the stub, counted like every other ``Any``).
"""

from __future__ import annotations

# name -> (annotations of the parameters after self, return annotation); None = unknown.
SLOT_SIGNATURES: dict[str, tuple[tuple[str | None, ...], str | None]] = {
    "__repr__": ((), "str"),
    "__str__": ((), "str"),
    "__hash__": ((), "int"),
    "__len__": ((), "int"),
    "__length_hint__": ((), "int"),
    "__bool__": ((), "bool"),
    "__index__": ((), "int"),
    "__int__": ((), "int"),
    "__float__": ((), "float"),
    "__complex__": ((), "complex"),
    "__bytes__": ((), "bytes"),
    "__format__": (("str",), "str"),
    "__eq__": (("object",), "bool"),
    "__ne__": (("object",), "bool"),
    "__contains__": (("object",), "bool"),
    "__setitem__": ((None, None), "None"),
    "__delitem__": ((None,), "None"),
    "__set__": ((None, None), "None"),
    "__delete__": ((None,), "None"),
    "__getattr__": (("str",), None),
    "__getattribute__": (("str",), None),
    "__setattr__": (("str", None), "None"),
    "__delattr__": (("str",), "None"),
    "__iter__": ((), "collections.abc.Iterator[typing.Any]"),
    "__aiter__": ((), "collections.abc.AsyncIterator[typing.Any]"),
    "__anext__": ((), "collections.abc.Awaitable[typing.Any]"),
    "__await__": ((), "collections.abc.Generator[typing.Any, None, typing.Any]"),
    "__release_buffer__": (("memoryview",), "None"),
    "__buffer__": (("int",), "memoryview"),
}


# The slots whose result the interpreter checks: repr() raises TypeError unless __repr__
# returns a str, and so on. A binding that says ``object`` (pybind11's py::object) returns
# one of these or the call fails, so the stub may say the precise type.
ENFORCED_RESULTS = frozenset(
    "__repr__ __str__ __format__ __hash__ __len__ __length_hint__ __bool__ __index__ __int__"
    " __float__ __complex__ __bytes__".split()
)


def enforced_result(name: str, returns: str | None) -> str | None:
    """Return the result type the interpreter enforces for ``name`` in place of ``object``.

    Parameters
    ----------
    name : str
        The method name, e.g. ``"__repr__"``.
    returns : str or None
        The return annotation the binding gave.

    Returns
    -------
    str or None
        The data model's type (``"str"`` for ``__repr__``) when the binding said ``object``
        or nothing for a slot the interpreter checks; None to keep what the binding said.
    """
    if name not in ENFORCED_RESULTS or returns not in (None, "object", "typing.Any", "Any"):
        return None
    return SLOT_SIGNATURES[name][1]


def slot_annotations(name: str, arity: int) -> tuple[list[str | None], str | None] | None:
    """Return the data-model annotations of slot ``name`` taking ``arity`` arguments after self.

    Parameters
    ----------
    name : str
        The dunder name, e.g. ``"__repr__"``.
    arity : int
        Number of parameters after ``self`` in the wrapper's text signature.

    Returns
    -------
    tuple of (list of str or None, str or None), or None
        Parameter annotations and return annotation (None where the data model leaves the
        type open), or None when the slot is unknown or its arity differs from the table's.
    """
    entry = SLOT_SIGNATURES.get(name)
    if entry is None or len(entry[0]) != arity:
        return None
    return list(entry[0]), entry[1]
