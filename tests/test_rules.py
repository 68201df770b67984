"""Table tests per rule: a small model that must fire the code and one that must not."""

from __future__ import annotations

from dataclasses import dataclass

import builders as build
import pytest
from builders import param

from stubgen.coverage.rules import Selection, run_rules
from stubgen.model.api import (
    ApiModel,
    Class,
    EnumMember,
    Function,
    Module,
    Overload,
    Parameter,
    Property,
)
from stubgen.parse.docstring import parse_docstring


def overload(
    params: list[Parameter], returns: str | None = "int", doc: str | None = None, **kw: object
) -> Overload:
    return build.overload(params, returns, doc, **kw)


def function(*overloads: Overload, name: str = "f") -> Module:
    fn = build.function(name, *overloads, runtime=f"m._C.{name}")
    ref = Class("Ref", "m.Ref", "m.Ref", doc=parse_docstring("A reference."))
    return Module("m", "m", "m", functions=[fn], classes=[ref])


def klass(cls: Class) -> Module:
    return Module("m", "m", "m", classes=[cls])


GOOD = """Compute a thing.

Parameters
----------
x : int
    The input.

Returns
-------
int
    The output.

Raises
------
ValueError
    If it fails.

See Also
--------
Ref : A reference.

Examples
--------
>>> 1
1
"""
GOOD_GOOGLE = """Compute a thing.

Args:
    x (int): The input.

Returns:
    int: The output.

Raises:
    ValueError: If it fails.

Examples:
    >>> 1
    1
"""


def ok(doc: str = GOOD) -> Module:
    return function(overload([param("x")], doc=doc))


@dataclass
class Case:
    code: str
    fires: Module
    quiet: Module


CASES = {
    "SIG001 unnamed": Case(
        "SIG001",
        function(overload([param("arg", kind="positional_only", auto_named=True)])),
        ok(),
    ),
    "SIG002 unbound": Case(
        "SIG002",
        function(overload([param("x", '"ns::T"')], unbound_types=["ns::T"])),
        ok(),
    ),
    "SIG003 object": Case("SIG003", function(overload([param("x", "object")])), ok()),
    "SIG004 ndarray": Case(
        "SIG004", function(overload([param("a", "ndarray[dtype=float32, shape=(*)]")])), ok()
    ),
    "SIG006 no signature from the binding": Case(
        "SIG006",
        function(
            overload(
                [
                    param("args", None, kind="var_positional"),
                    param("kwargs", None, kind="var_keyword"),
                ],
                None,
                doc=GOOD,
                source="none",
                parse_error="pybind11 wrote no signature",
            )
        ),
        ok(),
    ),
    "GL08 no docstring": Case("GL08", function(overload([param("x")])), ok()),
    "DOC002 last overload only": Case(
        "DOC002",
        function(overload([param("x")]), overload([param("x", "float")], doc=GOOD)),
        function(overload([param("x")], doc=GOOD), overload([param("x", "float")], doc=GOOD)),
    ),
    "DOC003 no Raises": Case("DOC003", ok(GOOD.replace("Raises", "Notes")), ok()),
    "DOC003 no Raises, Google style": Case(
        "DOC003", ok(GOOD_GOOGLE.replace("Raises:", "Note:")), ok(GOOD_GOOGLE)
    ),
    "DOC004 See Also unresolved": Case("DOC004", ok(GOOD.replace("Ref : A", "Nowhere : A")), ok()),
    "DOC005 x documented, arg in signature": Case(
        "DOC005",
        function(overload([param("arg", kind="positional_only", auto_named=True)], doc=GOOD)),
        ok(),
    ),
    "DOC006 short underline": Case("DOC006", ok(GOOD.replace("-------\nint", "---\nint")), ok()),
    "DOC007 not numpydoc": Case("DOC007", ok(GOOD_GOOGLE), ok()),
    "PR01 parameter not documented": Case(
        "PR01", function(overload([param("x"), param("y")], doc=GOOD)), ok()
    ),
    "PR02 unknown parameter": Case("PR02", function(overload([], doc=GOOD)), ok()),
    "RT01 no Returns": Case(
        "RT01", ok(GOOD.replace("Returns\n-------\nint\n    The output.\n", "")), ok()
    ),
    "RT01 no Returns, Google style": Case(
        "RT01", ok(GOOD_GOOGLE.replace("Returns:\n    int: The output.\n", "")), ok(GOOD_GOOGLE)
    ),
    "SA01 no See Also": Case(
        "SA01", ok(GOOD.replace("See Also\n--------\nRef : A reference.\n", "")), ok()
    ),
    "EX01 no Examples": Case("EX01", ok(GOOD.split("Examples")[0]), ok()),
    "MOD001 empty module": Case(
        "MOD001",
        Module("m", "m", "m", submodules=[Module("empty", "m.empty", "m.empty")]),
        ok(),
    ),
    "CLS001 no __repr__": Case(
        "CLS001",
        klass(Class("C", "m.C", "m._C.C", binding="nanobind", doc=parse_docstring(GOOD))),
        klass(
            Class(
                "C",
                "m.C",
                "m._C.C",
                binding="nanobind",
                doc=parse_docstring(GOOD),
                functions=[
                    Function(
                        "__repr__",
                        "m.C.__repr__",
                        "m._C.C.__repr__",
                        kind="method",
                        overloads=[overload([param("self", None)], "str")],
                    )
                ],
            )
        ),
    ),
    # Any binding library's class, not only nanobind's; a Python class is not the binding's.
    "CLS001 pybind11 class, no __repr__": Case(
        "CLS001",
        klass(Class("C", "m.C", "m._C.C", binding="pybind11", doc=parse_docstring(GOOD))),
        klass(Class("C", "m.C", "m.C", binding="python", doc=parse_docstring(GOOD))),
    ),
    "CLS002 enum member undocumented": Case(
        "CLS002",
        klass(Class("E", "m.E", "m._C.E", is_enum=True, members=[EnumMember("A", "0")])),
        klass(
            Class(
                "E",
                "m.E",
                "m._C.E",
                is_enum=True,
                members=[EnumMember("A", "0", parse_docstring("The A."))],
            )
        ),
    ),
    "GL08 undocumented property": Case(
        "GL08",
        klass(
            Class(
                "C",
                "m.C",
                "m.C",
                doc=parse_docstring(GOOD),
                properties=[Property("p", "m.C.p", "int")],
            )
        ),
        klass(
            Class(
                "C",
                "m.C",
                "m.C",
                doc=parse_docstring(GOOD),
                properties=[Property("p", "m.C.p", "int", doc=parse_docstring("The p."))],
            )
        ),
    ),
}


# numpydoc's own codes, each with a docstring that fires it and one close to it that does not.
# QUIET has an extended summary (ES01) besides GOOD's sections.
QUIET = GOOD.replace(
    "Compute a thing.\n", "Compute a thing.\n\nThe thing is computed from its input.\n"
)
NUMPYDOC = {
    "ES01": GOOD,
    "GL03": QUIET.replace("\n\nParameters", "\n\n\nParameters"),
    "GL06": QUIET.replace("Examples\n--------", "Exampels\n--------"),
    # See Also after Examples.
    "GL07": QUIET.replace("See Also\n--------\nRef : A reference.\n\n", "")
    + "\nSee Also\n--------\nRef : A reference.\n",
    "GL09": QUIET.replace("input.\n", "input.\n\n.. deprecated:: 1.0\n    Use g.\n", 1),
    "GL10": QUIET.replace("input.\n", "input.\n\n.. versionadded: 1.0\n", 1),
    "PR04": QUIET.replace("x : int\n", "x\n"),
    "PR05": QUIET.replace("x : int\n", "x : int.\n"),
    "PR06": QUIET.replace("x : int\n", "x : integer\n"),
    "PR07": QUIET.replace("x : int\n    The input.\n", "x : int\n"),
    "PR08": QUIET.replace("    The input.", "    the input."),
    "PR09": QUIET.replace("    The input.", "    The input"),
    "PR10": QUIET.replace("x : int", "x: int"),
    "RT02": QUIET.replace("int\n    The output.", "out : int\n    The output."),
    "RT03": QUIET.replace("int\n    The output.\n", "int\n"),
    "RT04": QUIET.replace("    The output.", "    the output."),
    "RT05": QUIET.replace("    The output.", "    The output"),
    "SA02": QUIET.replace("Ref : A reference.", "Ref : A reference"),
    "SA03": QUIET.replace("Ref : A reference.", "Ref : a reference."),
    "SA04": QUIET.replace("Ref : A reference.", "Ref"),
    "SS01": QUIET.replace("Compute a thing.\n\nThe thing is computed from its input.\n\n", ""),
    "SS02": QUIET.replace("Compute a thing.", "compute a thing."),
    "SS03": QUIET.replace("Compute a thing.", "Compute a thing"),
    "SS05": QUIET.replace("Compute a thing.", "Computes a thing."),
    "SS06": QUIET.replace("Compute a thing.", "Compute a\nthing."),
}
TWO = QUIET.replace("x : int\n    The input.\n", "x : int\n    The input.\ny : int\n    More.\n")
CASES.update({f"{code} numpydoc": Case(code, ok(doc), ok(QUIET)) for code, doc in NUMPYDOC.items()})
CASES["PR03 numpydoc"] = Case(
    "PR03",
    function(overload([param("y"), param("x")], doc=TWO)),
    function(overload([param("x"), param("y")], doc=TWO)),
)


def codes(module: Module) -> set[str]:
    found = run_rules(ApiModel(module=module), Selection(select=["ALL"]))
    return {f.code for f in found if f.path != "m.Ref"}  # Ref only gives See Also a target


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rule_fires_and_stays_quiet(case: Case) -> None:
    assert case.code in codes(case.fires)
    assert case.code not in codes(case.quiet)


def test_selection_ignore_and_exclude() -> None:
    module = function(overload([param("arg", kind="positional_only", auto_named=True)]))
    model = ApiModel(module=module)
    found = {(f.path, f.code) for f in run_rules(model)}
    assert {("m.f", "SIG001"), ("m.f", "GL08")} <= found
    assert ("m.f", "GL08") not in {
        (f.path, f.code) for f in run_rules(model, Selection(ignore=["GL08"]))
    }
    assert run_rules(model, Selection(select=["SIG001"], exclude=["m.*"])) == []


# Texts whose section titles numpydoc's own Validator finds by reading the text a second time;
# ModelValidator takes them from the blocks its parse read. Both must agree, on these titles.
SECTION_TEXTS: dict[str, tuple[str, list[str]]] = {
    "none": ("Summary only.", []),
    "summary and sections": (
        "Do it.\n\nMore.\n\nParameters\n----------\nx : int\n    X.\n\nReturns\n-------\nint\n",
        ["Parameters", "Returns"],
    ),
    "section first": (
        "Parameters\n----------\nx : int\n\nNotes\n-----\nN.",
        ["Parameters", "Notes"],
    ),
    "long underline": (
        "Do it.\n\nNotes\n----------\nN.\n\nExamples\n--------\n>>> 1\n",
        ["Examples"],
    ),
    "short underline": ("Do it.\n\nNotes\n--\nN.\n", []),
    "equals underline": ("Do it.\n\nNotes\n=====\nN.\n", []),
    "signature line": ("f(x, y)\n\nDo it.\n\nSee Also\n--------\ng\n", ["See Also"]),
    "indented": ("Do it.\n\n    Notes\n    -----\n    N.\n", ["Notes"]),
    "index": ("Do it.\n\n.. index:: x\n\nNotes\n-----\nN.\n", ["Notes"]),
    "unknown title": (
        "Do it.\n\nDetails\n-------\nD.\n\nWarnings\n--------\nW.\n",
        ["Details", "Warnings"],
    ),
    "dashes in prose": ("Do it.\n\nA line\n------\n\nmore\n---\n", ["A line"]),
}


@pytest.mark.filterwarnings("ignore:(Unknown section|potentially wrong underline):UserWarning")
@pytest.mark.parametrize("case", SECTION_TEXTS.values(), ids=SECTION_TEXTS.keys())
def test_section_titles_match_numpydoc(case: tuple[str, list[str]]) -> None:
    from numpydoc.validate import Validator

    from stubgen.coverage.rules.numpydoc_checks import ModelValidator

    text, expected = case
    validator = ModelValidator("object", text, (), returns=False, is_function=True)
    ours = validator.section_titles
    assert Validator.section_titles.fget(validator) == ours == expected


def test_an_empty_returns_section_is_named_as_such() -> None:
    empty = GOOD.replace("Returns\n-------\nint\n    The output.\n", "Returns\n-------\n\n")
    model = ApiModel(module=ok(empty))
    (found,) = [f for f in run_rules(model) if f.code == "RT01"]
    assert "The Returns section is empty" in found.message
    (missing,) = [
        f
        for f in run_rules(
            ApiModel(module=ok(GOOD.replace("Returns\n-------\nint\n    The output.\n", "")))
        )
        if f.code == "RT01"
    ]
    assert "No Returns section found" in missing.message
