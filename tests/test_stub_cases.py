"""Table tests for the stub renderer on small model snippets: model, expected lines, codes."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

import pytest
from builders import function, module, overload, param

from stubgen.model.api import (
    ApiModel,
    Attribute,
    Class,
    EnumMember,
    Function,
    Module,
    Overload,
    Property,
)
from stubgen.stubs.render import render_stubs


@dataclass
class Case:
    """A model snippet, the lines its stub must contain, and exactly the codes it reports.

    ``model`` sets further :class:`ApiModel` fields (``external``, ``untyped_modules``);
    ``file`` is the stub file the lines are in; ``absent`` lists lines it must not hold.
    """

    module: Module
    lines: list[str]
    codes: list[str] = field(default_factory=list)
    model: dict[str, Any] = field(default_factory=dict)
    file: str = "m.pyi"
    absent: list[str] = field(default_factory=list)


def method(cls: str, name: str, *overloads: Overload) -> Function:
    return function(name, *overloads, kind="method", path=f"m.{cls}.{name}")


SELF = param("self", None)


def _header_classes(*, readonly: bool) -> list[Class]:
    """B.header -> H; D.header -> H2 (unrelated: an override checkers reject); F.header -> H."""
    classes = [Class(n, f"m.{n}", f"m.{n}") for n in ("H", "H2")]
    classes.append(Class("B", "m.B", "m.B", properties=[Property("header", "m.B.header", "m.H")]))
    for name, returns in (("D", "m.H2"), ("F", "m.H")):
        prop = Property("header", f"m.{name}.header", returns, readonly=readonly)
        classes.append(Class(name, f"m.{name}", f"m.{name}", bases=["m.B"], properties=[prop]))
    return classes


CASES = {
    "default before a required parameter": Case(
        Module(
            "m",
            "m",
            "m",
            functions=[
                function("f", overload([param("a", has_default=True, default="1"), param("b")]))
            ],
        ),
        # Both shapes: all positional, and the default kept with b keyword-only.
        [
            "@overload",
            "def f(a: int, b: int) -> None: ...",
            "",
            "@overload",
            "def f(a: int = 1, *, b: int) -> None: ...",
        ],
        ["STB008"],
    ),
    "keyword-only after a renamed keyword": Case(
        Module(
            "m",
            "m",
            "m",
            functions=[function("f", overload([param("lambda"), param("x", kind="keyword_only")]))],
        ),
        ["def f(lambda_: int, /, *, x: int) -> None: ..."],
        ["STB007"],
    ),
    "python property getter": Case(
        Module(
            "m",
            "m",
            "m",
            classes=[
                Class(
                    "C",
                    "m.C",
                    "m.C",
                    properties=[
                        Property(
                            "size", "m.C.size", type=None, getter=overload([SELF], None, "python")
                        ),
                    ],
                )
            ],
        ),
        ["class C:", "    @property", "    def size(self) -> Any:", "        ..."],
    ),
    "__class_getitem__ without a generic signature": Case(
        Module(
            "m",
            "m",
            "m",
            classes=[
                Class(
                    "Box",
                    "m.Box",
                    "m.Box",
                    functions=[
                        function(
                            "__class_getitem__",
                            overload([param("arg", "object")], "object"),
                            kind="staticmethod",
                            path="m.Box.__class_getitem__",
                        ),
                    ],
                )
            ],
        ),
        ["class Box:", "    ..."],
        ["STB011"],
    ),
    "classmethod gets cls": Case(
        Module(
            "m",
            "m",
            "m",
            classes=[
                Class(
                    "C",
                    "m.C",
                    "m.C",
                    functions=[
                        function(
                            "make",
                            overload([param("klass", None)], "m.C"),
                            kind="classmethod",
                            path="m.C.make",
                        ),
                    ],
                )
            ],
        ),
        ["class C:", "    @classmethod", "    def make(cls) -> C: ..."],
    ),
    "unbound C++ default and annotation": Case(
        Module(
            "m",
            "m",
            "m",
            functions=[
                function(
                    "f",
                    overload(
                        [
                            param(
                                "d",
                                '"ns::Dev" | None',
                                has_default=True,
                                default=None,
                                default_representable=False,
                                default_repr="<Dev>",
                            )
                        ]
                    ),
                )
            ],
        ),
        ["def f(d: Any | None = ...) -> None: ..."],
        ["STB001", "STB004"],
    ),
    "same-module alias and __all__": Case(
        Module(
            "m",
            "m",
            "m",
            functions=[function("f", overload([]))],
            aliases={"g": "m.f"},
            all=["f", "g", "gone"],
        ),
        ["__all__ = [", '    "f",', '    "g",', "]", "", "def f() -> None: ...", "", "g = f"],
    ),
    "invalid annotation text": Case(
        Module("m", "m", "m", functions=[function("f", overload([param("x", "list[int")]))]),
        ["def f(x: Any) -> None: ..."],
        ["STB003"],
    ),
    "unresolvable name": Case(
        module(function("f", overload([param("x", "Nowhere")]))),
        ["def f(x: Any) -> None: ..."],
        ["STB002"],
    ),
    "static function bound as a method": Case(
        module(
            classes=[
                Class(
                    "C",
                    "m.C",
                    "m.C",
                    functions=[method("C", "make", overload([param("x")], "int"))],
                )
            ]
        ),
        ["    @staticmethod", "    def make(x: int) -> int: ..."],
        ["STB005"],
    ),
    "no return annotation": Case(
        module(function("f", overload([param("x")], None))),
        ["def f(x: int) -> Any: ..."],
        ["STB006"],
    ),
    "overloads collapsing to one": Case(
        module(function("f", overload([param("x")]), overload([param("x")]))),
        ["def f(x: int) -> None: ..."],
        ["STB009"],
    ),
    "a property returning an unrelated type than the base's": Case(
        module(classes=_header_classes(readonly=True)),
        [
            "class D(B):",
            "    @property",
            "    def header(self) -> H2:  # type: ignore[override]"
            "  # pyright: ignore[reportIncompatibleMethodOverride]",
        ],
        ["STB016"],
    ),
    "a settable property returning an unrelated type than the base's": Case(
        module(classes=_header_classes(readonly=False)),
        [
            "class D(B):",
            "    @property  # type: ignore[override]",
            "    def header(self) -> H2:  # pyright: ignore[reportIncompatibleMethodOverride]",
        ],
        ["STB016"],
    ),
    "overloads told apart only by a C++ result": Case(
        module(
            function(
                "f",
                overload([param("x")], returns="int"),
                overload([param("x")], returns='"ns::Matrix<float, 4>"'),
            )
        ),
        ["def f(x: int) -> int: ..."],
        ["STB009"],
        absent=["@overload"],
    ),
    "enum member that is no identifier": Case(
        module(
            classes=[
                Class(
                    "E",
                    "m.E",
                    "m.E",
                    is_enum=True,
                    bases=["enum.Enum"],
                    members=[EnumMember("None", "0"), EnumMember("A", "1")],
                )
            ]
        ),
        ["class E(enum.Enum):", "    A = 1"],
        ["STB010"],
    ),
    "unresolvable decorator": Case(
        module(function("f", overload([param("x")], decorators=["@mystery"]))),
        ["def f(x: int) -> None: ..."],
        ["STB012"],
    ),
    "sibling module outside the run": Case(
        Module(
            "_ext",
            "m._ext",
            "m._ext",
            functions=[function("f", overload([param("x", "m.cuda.UInt32")]), path="m._ext.f")],
        ),
        ["def f(x: Any) -> None: ..."],
        ["STB013"],
        file="m/_ext.pyi",
    ),
    "compiled sibling without stubs": Case(
        module(function("f", overload([param("x", "q._ext2.Qubit")]))),
        ["import q._ext2", "", "", "def f(x: q._ext2.Qubit) -> None: ..."],
        ["STB017"],
        model={"external": {"q._ext2.Qubit": "q._ext2"}, "untyped_modules": ["q._ext2"]},
    ),
    "default of a type the annotation lacks": Case(
        module(
            function(
                "f",
                overload([param("mask", "m.Bool", has_default=True, default="True")]),
            ),
            classes=[Class("Bool", "m.Bool", "m.Bool")],
        ),
        ["def f(mask: Bool | bool = True) -> None: ..."],
        ["STB018"],
    ),
    "incompatible override": Case(
        module(
            classes=[
                Class(
                    "Base",
                    "m.Base",
                    "m.Base",
                    functions=[method("Base", "describe", overload([SELF], "str"))],
                ),
                Class(
                    "Derived",
                    "m.Derived",
                    "m.Derived",
                    bases=["m.Base"],
                    functions=[method("Derived", "describe", overload([SELF, param("x")], "str"))],
                ),
            ]
        ),
        [
            "    def describe(self, x: int) -> str: ...  # type: ignore[override]  "
            "# pyright: ignore[reportIncompatibleMethodOverride]"
        ],
        ["STB016"],
    ),
    "in-place operator beside an overloaded forward one": Case(
        module(
            classes=[
                Class(
                    "Counter",
                    "m.Counter",
                    "m.Counter",
                    functions=[
                        method(
                            "Counter",
                            "__sub__",
                            overload([SELF, param("o", "m.Counter")], "m.Counter"),
                            overload([SELF, param("o", "float")], "m.Counter"),
                        ),
                        method("Counter", "__isub__", overload([SELF, param("o")], "m.Counter")),
                    ],
                )
            ]
        ),
        ["    def __isub__(self, o: int) -> Counter: ...  # type: ignore[misc]"],
        ["STB019"],
    ),
    "Callable without brackets": Case(
        module(function("f", overload([param("cb", "collections.abc.Callable[float, float]")]))),
        ["def f(cb: Callable[[float], float]) -> None: ..."],
        ["STB020"],
    ),
    "override ignore from the Python source": Case(
        module(
            classes=[
                Class(
                    "Names",
                    "m.Names",
                    "m.Names",
                    functions=[
                        method(
                            "Names",
                            "keys",
                            overload(
                                [SELF],
                                "list[str]",
                                source="python",
                                ignore="type: ignore[override]",
                            ),
                        )
                    ],
                )
            ]
        ),
        ["    def keys(self) -> list[str]: ...  # type: ignore[override, unused-ignore]"],
        ["STB021"],
    ),
    "catch-all overlapping an earlier overload": Case(
        module(
            function(
                "f",
                overload([param("x", kind="positional_only")], "int"),
                overload([param("args", "object", kind="var_positional")], "tuple[object, ...]"),
            )
        ),
        [
            "@overload",
            "def f(x: int, /) -> int: ...  # type: ignore[overload-overlap]  "
            "# pyright: ignore[reportOverlappingOverload]",
        ],
        ["STB022"],
    ),
    "an overload bound after a broader one (subclass: never called)": Case(
        module(
            function("f", overload([param("x", "m.Base")]), overload([param("x", "m.Derived")])),
            classes=[
                Class("Base", "m.Base", "m.Base"),
                Class("Derived", "m.Derived", "m.Derived", bases=["m.Base"]),
            ],
        ),
        [
            "def f(x: Base) -> None: ...",
            "",
            "@overload",
            "def f(x: Derived) -> None: ...  # type: ignore[overload-cannot-match]  "
            "# pyright: ignore[reportOverlappingOverload]",
        ],
        ["STB027"],
    ),
    "a positional-only overload after one taking the same type with a default: never called": (
        Case(
            module(
                function(
                    "f",
                    overload([param("size", "int", has_default=True, default="1")]),
                    overload([param("arg", "int", kind="positional_only")]),
                )
            ),
            [
                "def f(size: int = 1) -> None: ...",
                "",
                "@overload",
                "def f(arg: int, /) -> None: ...  # type: ignore[overload-cannot-match]  "
                "# pyright: ignore[reportOverlappingOverload]",
            ],
            ["STB027"],
        )
    ),
    "an overload taking an unbound C++ type goes last (it hides nothing there)": Case(
        module(
            function(
                "f",
                overload([param("x", "int")]),
                overload([param("x", '"cpp::Opaque"')], unbound_types=["cpp::Opaque"]),
                overload([param("x", "str")]),
            )
        ),
        [
            "def f(x: int) -> None: ...",
            "",
            "@overload",
            "def f(x: str) -> None: ...",
            "",
            "@overload",
            "def f(x: Any) -> None: ...",
        ],
        ["STB001"],
    ),
    "a name bound as an alias of a class resolves to the class": Case(
        Module(
            "m",
            "m",
            "m",
            classes=[Class("Color", "m.Color", "m.Color")],
            functions=[function("f", overload([param("c", "m.Spectrum")]))],
            aliases={"Spectrum": "m.Color"},
        ),
        ["def f(c: Color) -> None: ..."],
    ),
    "__contains__ of a Mapping subclass narrower than object: a checked override": Case(
        module(
            classes=[
                Class(
                    "P",
                    "m.P",
                    "m.P",
                    bases=["collections.abc.Mapping[str, int]"],
                    functions=[
                        method("P", "__contains__", overload([SELF, param("key", "str")], "bool"))
                    ],
                )
            ],
        ),
        [
            "    def __contains__(self, key: str) -> bool: ...  # type: ignore[override]  "
            "# pyright: ignore[reportIncompatibleMethodOverride]"
        ],
        ["STB016"],
    ),
    "a method returning a longer tuple than the one it overrides: a checked override": Case(
        module(
            classes=[
                Class(
                    "B",
                    "m.B",
                    "m.B",
                    functions=[method("B", "run", overload([SELF], "tuple[int, int]"))],
                ),
                Class(
                    "D",
                    "m.D",
                    "m.D",
                    bases=["m.B"],
                    functions=[method("D", "run", overload([SELF], "tuple[int, int, str]"))],
                ),
            ],
        ),
        [
            "    def run(self) -> tuple[int, int, str]: ...  # type: ignore[override]  "
            "# pyright: ignore[reportIncompatibleMethodOverride]"
        ],
        ["STB016"],
    ),
    "an override is held to every base that defines the method, not only the nearest": Case(
        module(
            classes=[
                Class("A", "m.A", "m.A", functions=[method("A", "run", overload([SELF], "int"))]),
                Class(
                    "B",
                    "m.B",
                    "m.B",
                    bases=["m.A"],
                    functions=[method("B", "run", overload([SELF], "str"))],
                ),
                Class(
                    "C",
                    "m.C",
                    "m.C",
                    bases=["m.B"],
                    functions=[method("C", "run", overload([SELF], "str"))],
                ),
            ],
        ),
        [
            "class C(B):",
            "    def run(self) -> str: ...  # type: ignore[override]  "
            "# pyright: ignore[reportIncompatibleMethodOverride]",
        ],
        ["STB016", "STB016"],
    ),
    "an IntEnum's operator narrower than int's: a checked override": Case(
        module(
            classes=[
                Class(
                    "Format",
                    "m.Format",
                    "m.Format",
                    bases=["enum.IntEnum"],
                    is_enum=True,
                    members=[EnumMember("A", "1")],
                    functions=[
                        method(
                            "Format",
                            "__or__",
                            overload([SELF, param("arg", "m.Format")], "m.Formats"),
                        )
                    ],
                ),
                Class("Formats", "m.Formats", "m.Formats"),
            ],
        ),
        [
            "    def __or__(self, arg: Format) -> Formats: ...  # type: ignore[override]  "
            "# pyright: ignore[reportIncompatibleMethodOverride]"
        ],
        ["STB016"],
    ),
    "pybind11's one-dtype numpy.ndarray is an NDArray of that dtype": Case(
        module(function("f", overload([], "numpy.ndarray[numpy.complex64]"))),
        ["def f() -> NDArray[numpy.complex64]: ..."],
        model={"external": {"numpy.ndarray": "numpy", "numpy.complex64": "numpy"}},
    ),
    "a name the file re-exports is written as that name (the package's own is shadowed)": Case(
        Module(
            "zx",
            "zx",
            "zx",
            is_package=True,
            attributes=[Attribute("NONE", "zx.NONE", "zx.zx.ErrorType")],
            aliases={"zx": "zx.zx", "ErrorType": "zx.zx.ErrorType"},
            submodules=[
                Module(
                    "zx",
                    "zx.zx",
                    "zx.zx",
                    classes=[Class("ErrorType", "zx.zx.ErrorType", "zx.zx.ErrorType")],
                )
            ],
        ),
        ["NONE: ErrorType"],
        file="zx/__init__.pyi",
    ),
    "a builtin default widens a class of another package": Case(
        module(
            function(
                "f",
                overload([param("active", "other.Bool", has_default=True, default="True")]),
            )
        ),
        ["def f(active: other.Bool | bool = True) -> None: ..."],
        ["STB018"],
        model={"external": {"other.Bool": "other"}},
    ),
    "a default the annotation spells out is no reason to widen it": Case(
        module(
            function(
                "median",
                overload(
                    [
                        param("axis", "typing.Union[int, None]", has_default=True, default="-1"),
                        param("flag", "typing.Literal[False]", has_default=True, default="False"),
                    ]
                ),
            )
        ),
        ["def median(axis: Union[int, None] = -1, flag: Literal[False] = False) -> None: ..."],
    ),
    "overloads told apart only by Annotated metadata are one to a checker": Case(
        module(
            function(
                "fmt",
                overload(
                    [param("M", "typing.Annotated[list[float], dict(shape=(None, None))]")], "str"
                ),
                overload([param("M", "typing.Annotated[list[float], dict(shape=(None,))]")], "str"),
                overload([param("v", "float")], "str"),
            )
        ),
        [
            "@overload",
            "def fmt(M: Annotated[list[float], dict(shape=(None, None))]) -> str: ...",
            "",
            "@overload",
            "def fmt(v: float) -> str: ...",
        ],
        ["STB009"],
    ),
    "a builtin dtype of a one-dtype ndarray is numpy's scalar type": Case(
        module(function("f", overload([param("a", "numpy.ndarray[int]")], "numpy.ndarray[float]"))),
        ["def f(a: NDArray[numpy.int_]) -> NDArray[numpy.float64]: ..."],
        model={"external": {"numpy.ndarray": "numpy"}},
    ),
    "a member the stubs do not have is Any, and said": Case(
        module(
            function("f", overload([param("d", "list[m.Stats._Datum]")])),
            classes=[Class("Stats", "m.Stats", "m.Stats")],
        ),
        ["def f(d: list[Any]) -> None: ..."],
        ["STB002"],
    ),
    "a bare generic class of another package gets its parameters": Case(
        module(function("f", overload([param("a", "other.Base")]))),
        ["def f(a: other.Base[Any, Any]) -> None: ..."],
        model={"external": {"other.Base": "other"}, "external_generics": {"other.Base": 2}},
    ),
    "typing overloads selected by their own self type keep it, and none hides another": Case(
        Module(
            "m",
            "m",
            "m",
            attributes=[Attribute("T", "m.T", "typing.TypeVar", "'T'")],
            classes=[
                Class(
                    "H",
                    "m.H",
                    "m.H",
                    signature="class H(typing.Generic[T])",
                    functions=[
                        method(
                            "H",
                            "view",
                            overload([param("self", "m.H[int]")], "int", source="python"),
                            overload([param("self", None)], "int | str", source="python"),
                        )
                    ],
                )
            ],
        ),
        [
            "    def view(self: H[int]) -> int: ...",
            "",
            "    @overload",
            "    def view(self) -> int | str: ...",
        ],
    ),
    "a required __init_subclass__ keyword is passed by the subclasses": Case(
        module(
            classes=[
                Class(
                    "Storage",
                    "m.Storage",
                    "m.Storage",
                    functions=[
                        function(
                            "__init_subclass__",
                            overload(
                                [
                                    param("cls", None),
                                    param("family", "object", kind="keyword_only"),
                                ],
                                source="python",
                            ),
                            kind="classmethod",
                            path="m.Storage.__init_subclass__",
                        )
                    ],
                ),
                Class("Double", "m.Double", "m.Double", bases=["m.Storage"]),
            ],
        ),
        ["class Double(Storage, family=...):"],
    ),
    "a plain generic numpy.ndarray base is no nanobind ndarray": Case(
        module(
            classes=[
                Class("View", "m.View", "m.View", bases=["numpy.ndarray[typing.Any, typing.Any]"])
            ]
        ),
        ["class View(numpy.ndarray[Any, Any]):"],
        model={"external": {"numpy.ndarray": "numpy"}},
    ),
    "an overload bound after one that must convert (int after float): moved first": Case(
        module(
            function("f", overload([param("x", "float")]), overload([param("x", "int")], "int"))
        ),
        ["def f(x: int) -> int: ...", "", "@overload", "def f(x: float) -> None: ..."],
    ),
    "PEP 695 class type parameters": Case(
        module(
            classes=[
                Class("Box", "m.Box", "m.Box", signature="class Box[T: int = bool]"),
                Class("Pack", "m.Pack", "m.Pack", signature="class Pack[*Ts, **P](m.Box[int])"),
            ]
        ),
        [
            'T = TypeVar("T", bound=int, default=bool)',
            'Ts = TypeVarTuple("Ts")',
            'P = ParamSpec("P")',
            "",
            "class Box(Generic[T]):",
            "    ...",
            "",
            "class Pack(Box[int], Generic[Unpack[Ts], P]):",
        ],
    ),
    "one type parameter name, two declarations": Case(
        module(
            function("f", overload([param("x", "T")], "T", type_params=["T: int"])),
            classes=[Class("Box", "m.Box", "m.Box", signature="class Box[T]")],
        ),
        ['T = TypeVar("T", bound=int)'],
        ["STB028"],
    ),
    "an array of a framework not installed: Any, and no import": Case(
        module(function("f", overload([param("a", "torch.Tensor[dtype=float32, shape=(*)]")]))),
        ["def f(a: Any) -> None: ..."],
        ["STB029"],
        model={"external": {"torch.Tensor": None}},
        absent=["import torch"],
    ),
    "an array of an installed framework": Case(
        module(function("f", overload([param("a", "torch.Tensor[dtype=float32]")]))),
        [
            "import torch",
            "",
            "",
            "def f(a: Annotated[torch.Tensor, dict(dtype='float32')]) -> None: ...",
        ],
        model={"external": {"torch.Tensor": "torch"}},
    ),
    "type arguments given to a class that is not generic": Case(
        module(
            function("f", overload([param("w", "m.W[int]"), param("b", "m.Box[int]")], "m.W[str]")),
            classes=[
                Class("W", "m.W", "m.W"),
                Class("Box", "m.Box", "m.Box", signature="class Box[T]"),
            ],
        ),
        ["def f(w: W, b: Box[int]) -> W: ..."],
        ["STB030", "STB030"],
    ),
    "a variant of several unbound C++ types": Case(
        module(function("f", overload([param("v", '"ns::A" | "ns::B" | int')]))),
        ["def f(v: Any | int) -> None: ..."],
        ["STB001", "STB001"],
    ),
    "enum members named like Enum's properties": Case(
        module(
            function(
                "pick",
                overload([param("item", "m.Item", has_default=True, default="m.Item.name")]),
            ),
            classes=[
                Class(
                    "Item",
                    "m.Item",
                    "m.Item",
                    is_enum=True,
                    bases=["enum.Enum"],
                    members=[EnumMember("name", "0"), EnumMember("value", "1")],
                )
            ],
        ),
        [
            "class Item(enum.Enum):",
            "    name = 0  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]",
            "    value = 1  # pyright: ignore[reportAssignmentType, "
            "reportIncompatibleMethodOverride]",
            "",
            "def pick(item: Item = ...) -> None: ...",
        ],
        ["STB004", "STB026", "STB026"],
    ),
    "PEP 695 type parameters": Case(
        module(
            function(
                "g",
                overload(
                    [param("x", "T", kind="positional_only"), param("rest", "U")],
                    "T",
                    source="nb_sig",
                    type_params=["T: (int, str)", "U = float", "*Ts", "**P"],
                ),
            )
        ),
        [
            'T = TypeVar("T", int, str)',
            'U = _TypeVar("U", default=float)',
            'Ts = TypeVarTuple("Ts")',
            'P = ParamSpec("P")',
            "",
            "def g(x: T, /, rest: U) -> T: ...",
        ],
    ),
    "no signature could be read": Case(
        module(
            function(
                "f",
                overload(
                    [param("args", None, "var_positional"), param("kwargs", None, "var_keyword")],
                    None,
                    source="none",
                    parse_error="pybind11 wrote no signature",
                ),
            )
        ),
        ["def f(*args: Any, **kwargs: Any) -> Any: ..."],
        ["STB024"],
    ),
    "an unbound template with type arguments": Case(
        # span[X] for an unbound std::span: Any takes no arguments (Any[X] raises at runtime).
        module(
            function(
                "f",
                overload(
                    [
                        param("x", "span[int]"),
                        param("y", '"std::span<T>"[int]'),
                        param("z", "list[span[int]]"),
                    ]
                ),
            )
        ),
        ["def f(x: Any, y: Any, z: list[Any]) -> None: ..."],
        ["STB001", "STB002"],
    ),
    "a name the file re-exports, spelled with its module": Case(
        # osmium: from datetime import datetime, then timestamp: datetime.datetime.
        Module(
            "m",
            "m",
            "m",
            functions=[function("f", overload([param("t", "datetime.datetime")]))],
            aliases={"datetime": "datetime.datetime"},
        ),
        ["def f(t: datetime) -> None: ..."],
        [],
    ),
    "a function named as a type": Case(
        # openjij: bqm: BinaryQuadraticModel, a factory function of its package.
        module(
            function("BinaryQuadraticModel", overload([param("n")], "m.Model")),
            function("sample", overload([param("bqm", "m.BinaryQuadraticModel")])),
            classes=[Class("Model", "m.Model", "m.Model")],
        ),
        ["def sample(bqm: Any) -> None: ..."],
        ["STB036"],
    ),
    "a read-only property over a base's attribute": Case(
        # openjij: BaseSampler.parameters is a dict attribute, SASampler's a property.
        module(
            classes=[
                Class("Base", "m.Base", "m.Base", attributes=[Attribute("p", "m.Base.p", "int")]),
                Class(
                    "Derived",
                    "m.Derived",
                    "m.Derived",
                    bases=["m.Base"],
                    properties=[Property("p", "m.Derived.p", "int")],
                ),
            ],
        ),
        [
            "    @property",
            "    def p(self) -> int:  # type: ignore[override]  # pyright: ignore"
            "[reportIncompatibleVariableOverride]",
        ],
        ["STB016"],
    ),
    "a member named property": Case(
        # A method named 'property' (a C++ accessor) hides the builtin in the class body.
        module(
            classes=[
                Class(
                    "Node",
                    "m.Node",
                    "m.Node",
                    functions=[
                        method("Node", "property", overload([SELF, param("key", "str")], "str")),
                        method("Node", "make", overload([param("n", "int")], "m.Node")),
                    ],
                    properties=[Property("size", "m.Node.size", "int")],
                )
            ],
        ),
        [
            "class Node:",
            "    @builtins.property",
            "    def size(self) -> int:",
            "        ...",
            "",
            "    def property(self, key: str) -> str: ...",
            "",
            "    @staticmethod",
            "    def make(n: int) -> Node: ...",
        ],
        ["STB005"],
    ),
    "an attribute holding a module": Case(
        Module(
            "m",
            "m",
            "m",
            classes=[
                Class(
                    "Front",
                    "m.Front",
                    "m.Front",
                    attributes=[Attribute("ops", "m.Front.ops", "types.ModuleType", "m.ops")],
                )
            ],
            submodules=[
                Module(
                    "ops",
                    "m.ops",
                    "m.ops",
                    functions=[
                        function(
                            "add",
                            overload([param("x", "int"), param("y", "int")], "int"),
                            overload([param("x", "str"), param("y", "str")], "str"),
                            path="m.ops.add",
                        ),
                        function(
                            "float", overload([param("x", "int")], "float"), path="m.ops.float"
                        ),
                    ],
                    classes=[Class("Thing", "m.ops.Thing", "m.ops.Thing")],
                )
            ],
        ),
        # mypy types a module-valued attribute as ModuleType (members Any): a mirror class
        # makes calls through it checked; the overloads stay (staticmethod() would drop them).
        [
            "class Front:",
            "    class _ops_module:",
            '        """The module :mod:`m.ops`, as the type of ``ops``."""',
            "",
            "        Thing = m.ops.Thing",
            "",
            "        @overload",
            "        @staticmethod",
            "        def add(x: int, y: int) -> int: ...",
            "",
            "        @overload",
            "        @staticmethod",
            "        def add(x: str, y: str) -> str: ...",
            "",
            "        @staticmethod",
            "        def float(x: int) -> builtins.float: ...",
            "",
            "    ops: _ops_module",
        ],
        ["STB025"],
        file="m/__init__.pyi",
    ),
    "Literal naming a class constant": Case(
        module(
            function("f", overload([param("x", "typing.Literal[m.K.A]")])),
            classes=[Class("K", "m.K", "m.K", attributes=[Attribute("A", "m.K.A", "int", "4528")])],
        ),
        ["def f(x: Literal[4528]) -> None: ..."],
        ["STB023"],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_stub_case(case: Case) -> None:
    stubs = render_stubs(ApiModel(module=case.module, **case.model))
    text = stubs.files[case.file]
    ast.parse(text)
    body = text[text.index(case.lines[0]) :].rstrip("\n").split("\n")
    assert body[: len(case.lines)] == case.lines
    assert sorted(f.code for f in stubs.findings) == sorted(case.codes)
    assert [line for line in case.absent if line in text.split("\n")] == []


@pytest.mark.extension
def test_extension_itself_requested(tmp_path: object) -> None:
    from stubgen.load.isolate import load_model

    stubs = render_stubs(load_model("nbhazards._hazards"))
    assert "nbhazards/_hazards/__init__.pyi" in stubs.files
    # A name of the parent package (nbhazards.shapes.Point in nb::sig) is imported.
    assert "import nbhazards.shapes" in stubs.files["nbhazards/_hazards/__init__.pyi"].split("\n")
    assert "nbhazards/_hazards/sub.pyi" in stubs.files
