"""nbapi diff: a table of small before/after models, one per change kind, with code and severity.

Each case is the smallest old and new module showing one kind of change; the test checks that
exactly the expected codes are reported (the others stay quiet), each with the catalogue's
severity. The demo's older version, the git-ref side and the verb are tested below.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from builders import function, module, overload, param
from conftest import DEMO_CONFIG, Golden

from stubgen.cli import main
from stubgen.diff import diff_models
from stubgen.diff.stub_reader import model_from_stubs
from stubgen.findings import CATALOGUE
from stubgen.model.api import (
    ApiModel,
    Attribute,
    Class,
    EnumMember,
    Module,
    Property,
    Replacement,
)
from stubgen.stubs import render_stubs

ROOT = Path(__file__).parent.parent
OLD_DEMO = ROOT / "demo" / "history" / "tinyfuser-0.9.model.json"


@dataclass
class Case:
    old: Module
    new: Module
    codes: list[str]
    paths: list[str] = field(default_factory=list)


def f(*params: object, returns: str = "None", name: str = "f") -> Module:
    """Module m with one function ``f`` of one overload."""
    return module(function(name, overload(list(params), returns)))  # type: ignore[arg-type]


def fo(*overloads: list[object]) -> Module:
    """Module m with one function ``f`` of several overloads (parameter lists)."""
    return module(function("f", *(overload(list(ps)) for ps in overloads)))  # type: ignore[arg-type]


def klass(**kw: object) -> Module:
    return Module("m", "m", "m", classes=[Class("C", "m.C", "m.C", **kw)])  # type: ignore[arg-type]


def enum(*members: tuple[str, str]) -> Module:
    return klass(is_enum=True, members=[EnumMember(n, v) for n, v in members])


X = param("x")
OPT = param("x", has_default=True, default="1")

CASES = {
    "module removed": Case(
        Module("m", "m", "m", submodules=[Module("sub", "m.sub", "m.sub")]),
        Module("m", "m", "m"),
        ["API001"],
        ["m.sub"],
    ),
    "class removed": Case(klass(), Module("m", "m", "m"), ["API002"], ["m.C"]),
    "function removed": Case(f(X), Module("m", "m", "m"), ["API003"], ["m.f"]),
    "overload removed": Case(fo([X], [param("x", "str")]), fo([X]), ["API004"]),
    "attribute removed": Case(
        Module("m", "m", "m", attributes=[Attribute("K", "m.K", "int", "1")]),
        Module("m", "m", "m"),
        ["API005"],
        ["m.K"],
    ),
    "re-export removed": Case(
        Module("m", "m", "m", aliases={"X": "m._impl.X"}), Module("m", "m", "m"), ["API005"]
    ),
    "property removed": Case(
        klass(properties=[Property("p", "m.C.p", "int")]), klass(), ["API006"], ["m.C.p"]
    ),
    "enum member removed": Case(
        enum(("A", "0"), ("B", "1")), enum(("A", "0")), ["API007"], ["m.C.B"]
    ),
    "parameter removed": Case(f(X, param("y")), f(X), ["API008"]),
    "*args removed": Case(f(param("args", None, kind="var_positional")), f(), ["API008"]),
    "parameter renamed": Case(f(X), f(param("value")), ["API009"]),
    "default removed": Case(f(OPT), f(X), ["API010"]),
    "new required parameter": Case(f(X), f(X, param("y")), ["API011"]),
    "keyword made positional-only": Case(f(X), f(param("x", kind="positional_only")), ["API012"]),
    "positional made keyword-only": Case(f(X), f(param("x", kind="keyword_only")), ["API012"]),
    "parameter type narrowed": Case(f(param("x", "int | str")), f(X), ["API013"]),
    "parameter type narrowed to a subclass": Case(
        Module(
            "m",
            "m",
            "m",
            functions=[function("f", overload([param("x", "m.Base")]))],
            classes=[Class("Base", "m.Base", "m.Base"), Class("D", "m.D", "m.D", bases=["m.Base"])],
        ),
        Module(
            "m",
            "m",
            "m",
            functions=[function("f", overload([param("x", "m.D")]))],
            classes=[Class("Base", "m.Base", "m.Base"), Class("D", "m.D", "m.D", bases=["m.Base"])],
        ),
        ["API013"],
    ),
    "return type changed": Case(f(X, returns="int"), f(X, returns="str"), ["API014"]),
    "return type widened": Case(f(X, returns="int"), f(X, returns="int | None"), ["API014"]),
    "parameter moved": Case(f(X, param("y", "str")), f(param("y", "str"), X), ["API015", "API015"]),
    "base class removed": Case(
        Module(
            "m",
            "m",
            "m",
            classes=[Class("B", "m.B", "m.B"), Class("C", "m.C", "m.C", bases=["m.B"])],
        ),
        Module("m", "m", "m", classes=[Class("B", "m.B", "m.B"), Class("C", "m.C", "m.C")]),
        ["API016"],
    ),
    "function became a class": Case(f(X, name="C"), klass(), ["API017"], ["m.C"]),
    "method became static": Case(
        klass(
            functions=[function("g", overload([param("self", None)]), kind="method", path="m.C.g")]
        ),
        klass(functions=[function("g", overload([]), kind="staticmethod", path="m.C.g")]),
        ["API017"],
    ),
    "enum value changed": Case(enum(("A", "0")), enum(("A", "1")), ["API018"]),
    "default value changed": Case(f(OPT), f(param("x", has_default=True, default="2")), ["API019"]),
    "parameter type changed": Case(f(X), f(param("x", "str")), ["API020"]),
    "property became read-only": Case(
        klass(properties=[Property("p", "m.C.p", "int", readonly=False)]),
        klass(properties=[Property("p", "m.C.p", "int")]),
        ["API021"],
    ),
    "attribute type changed": Case(
        Module("m", "m", "m", attributes=[Attribute("K", "m.K", "int")]),
        Module("m", "m", "m", attributes=[Attribute("K", "m.K", "str")]),
        ["API021"],
    ),
    # Compatible changes.
    "function added": Case(Module("m", "m", "m"), f(X), ["API101"], ["m.f"]),
    "enum member added": Case(enum(("A", "0")), enum(("A", "0"), ("B", "1")), ["API101"]),
    "overload added": Case(fo([X]), fo([X], [param("x", "str")]), ["API102"]),
    "unnamed argN named": Case(
        f(param("arg0", kind="positional_only", auto_named=True)),
        f(param("x", kind="positional_only")),
        ["API103"],
    ),
    "argN named and made a keyword": Case(
        f(param("arg0", kind="positional_only", auto_named=True)), f(X), ["API103", "API107"]
    ),
    "parameter type widened": Case(f(X), f(param("x", "int | str")), ["API104"]),
    "int widened to float": Case(f(X), f(param("x", "float")), ["API104"]),
    "new optional parameter": Case(f(X), f(X, param("y", has_default=True)), ["API105"]),
    "default added": Case(f(X), f(OPT), ["API106"]),
    "positional-only made a keyword": Case(f(param("x", kind="positional_only")), f(X), ["API107"]),
    "return type narrowed": Case(f(X, returns="int | None"), f(X, returns="int"), ["API108"]),
    "positional-only renamed": Case(
        f(param("x", kind="positional_only")), f(param("value", kind="positional_only")), ["API109"]
    ),
    "curated text changed": Case(
        klass(replacement=Replacement("m.C$", "p.pat:1", "class C: ...")),
        klass(replacement=Replacement("m.C$", "p.pat:1", "class C:\n    x: int")),
        ["API110"],
    ),
    # Nothing changed in what callers see.
    "union reordered": Case(f(param("x", "int | str")), f(param("x", "str | int")), []),
    "overloads reordered": Case(fo([X], [param("x", "str")]), fo([param("x", "str")], [X]), []),
    "Any is unknown, not a change": Case(f(param("x", None)), f(X), []),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_change_kind(case: Case) -> None:
    found = diff_models(ApiModel(module=case.old), ApiModel(module=case.new))
    assert sorted(x.code for x in found) == sorted(case.codes)
    for item in found:
        assert item.severity == CATALOGUE[item.code][0]
    if case.paths:
        assert [x.path for x in found] == case.paths


def test_every_change_kind_has_a_case() -> None:
    codes = {code for code in CATALOGUE if code.startswith("API")}
    assert codes - {c for case in CASES.values() for c in case.codes} == set()
