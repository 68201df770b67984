"""numpydoc type phrases ("Val or TensorView", "int, optional", "list of int") as annotations.

The grammar is docstub's (scientific-python's stub generator for Python sources reads
numpydoc types with it): its ``doctype.lark`` is loaded from the installed package, and the
parse tree is written out here as annotation text whose names are left as the docstring
spells them (the loader resolves them against the package).
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass
from typing import Any

import lark

# Words numpydoc docstrings use for types, and the annotations they mean.
_WORDS = {
    "array-like": "numpy.typing.ArrayLike",
    "array_like": "numpy.typing.ArrayLike",
    "array": "numpy.ndarray",
    "ndarray": "numpy.ndarray",
    "callable": "collections.abc.Callable",
    "function": "collections.abc.Callable",
    "sequence": "collections.abc.Sequence",
    "iterable": "collections.abc.Iterable",
    "mapping": "collections.abc.Mapping",
    "string": "str",
    "integer": "int",
    "boolean": "bool",
    "scalar": "int | float | complex",
}
# Containers written "X of Y": the parameters Y fills.
_ONE_ITEM = {"list", "set", "frozenset", "Sequence", "Iterable", "Iterator"}


@dataclass(frozen=True)
class DocType:
    """A parameter's documented type: its annotation text and whether it was ``optional``."""

    annotation: str
    optional: bool


@functools.cache
def _parser() -> lark.Lark:
    grammar = importlib.resources.files("docstub").joinpath("doctype.lark").read_text("utf-8")
    return lark.Lark(grammar)


def doctype(text: str) -> DocType | None:
    """Translate a numpydoc type phrase into an annotation; None when it cannot be read.

    Parameters
    ----------
    text : str
        The type part of a Parameters or Returns entry (``"list of int, optional"``).

    Returns
    -------
    DocType or None
        ``"list[int]"`` and ``optional`` True for the example; the names as written.
    """
    try:
        tree = _parser().parse(text.strip())
    except lark.exceptions.LarkError:
        return None
    if not isinstance(tree, lark.Tree):
        return None
    parts = [c for c in tree.children if isinstance(c, lark.Tree)]
    kinds = {p.data for p in parts}
    if "extra_info" in kinds and "optional" not in kinds:
        return None  # "Val, TensorView or float": the grammar reads the rest as a remark
    main = next((p for p in parts if p.data == "type_or"), None)
    if main is None:
        return None
    try:
        annotation = _union(main)
    except ValueError:
        return None
    return DocType(annotation, "optional" in kinds)


def _union(node: lark.Tree[Any]) -> str:
    members: list[str] = []
    for child in node.children:
        for member in _type(child).split(" | "):
            if member not in members:
                members.append(member)
    return " | ".join(members)


def _type(node: lark.Tree[Any] | lark.Token) -> str:
    if isinstance(node, lark.Token):
        raise ValueError(node)
    if node.data == "type_or":
        return _union(node)
    if node.data == "qualname":
        names = [str(c) for c in node.children if isinstance(c, lark.Token)]
        name = _WORDS.get(".".join(names), ".".join(names))
        contains = [c for c in node.children if isinstance(c, lark.Tree)]
        if contains:
            arguments = [_type(c) for c in contains[0].children if isinstance(c, lark.Tree)]
            ellipsis = any(isinstance(c, lark.Token) for c in contains[0].children)
            return f"{name}[{', '.join(arguments)}{', ...' if ellipsis else ''}]"
        return name
    if node.data == "container_of":
        container = _WORDS.get(str(node.children[0]), str(node.children[0]))
        item = _type(node.children[1])
        if container == "tuple":
            return f"tuple[{item}, ...]"
        if container.rpartition(".")[2] in _ONE_ITEM:  # list, collections.abc.Sequence
            return f"{container}[{item}]"
        return container
    if node.data == "literals":
        values = [str(c.children[0]) for c in node.children if isinstance(c, lark.Tree)]
        return f"typing.Literal[{', '.join(values)}]"
    if node.data == "shape_n_dtype":
        return "numpy.ndarray"
    raise ValueError(node.data)
