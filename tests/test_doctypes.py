"""numpydoc type phrases read as annotations (docstub's grammar): a table of phrases."""

from __future__ import annotations

import pytest

from stubgen.parse.doctypes import DocType, doctype

CASES = {
    "Val or TensorView": DocType("Val | TensorView", False),
    "int, optional": DocType("int", True),
    "list of int": DocType("list[int]", False),
    "list or tuple": DocType("list | tuple", False),
    "tuple of int": DocType("tuple[int, ...]", False),
    "dict[str, Val]": DocType("dict[str, Val]", False),
    "Sequence[int] or None": DocType("Sequence[int] | None", False),
    "bool, optional, default True": DocType("bool", True),
    "int, default: 0": DocType("int", True),
    "array-like": DocType("numpy.typing.ArrayLike", False),
    "{'a', 'b'}": DocType("typing.Literal['a', 'b']", False),
    "callable": DocType("collections.abc.Callable", False),
    "int or int": DocType("int", False),
}
UNREADABLE = ["Val, TensorView or float", "not a type at all (really)", ""]


@pytest.mark.parametrize(("text", "expected"), CASES.items(), ids=CASES.keys())
def test_phrase(text: str, expected: DocType) -> None:
    assert doctype(text) == expected


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_phrase_is_none(text: str) -> None:
    assert doctype(text) is None
