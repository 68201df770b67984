"""Table tests for the signature parser (stubgen.parse.signature)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from stubgen.load.nanobind import legacy_entries
from stubgen.model.text import split_top_level
from stubgen.parse.signature import (
    DefaultValue,
    SignatureError,
    guess_source,
    parse_class_signature,
    parse_signature,
)


@dataclass
class Case:
    text: str
    # (name, kind, annotation, default, auto_named) per parameter
    params: list[tuple[str, str, str | None, str | None, bool]]
    returns: str | None
    defaults: list[DefaultValue] | None = None
    source: str = "generated"
    unbound: list[str] = field(default_factory=list)
    decorators: list[str] = field(default_factory=list)
    shown: str | None = None


P, PK, KO = "positional_only", "positional_or_keyword", "keyword_only"

CASES = {
    "plain": Case(
        "def f(x: int, y: str) -> bool",
        [("x", PK, "int", None, False), ("y", PK, "str", None, False)],
        "bool",
    ),
    "unnamed single arg": Case(
        "def relu(arg: float, /) -> float", [("arg", P, "float", None, True)], "float"
    ),
    "unnamed several args": Case(
        "def add(arg0: pkg._C.Val, arg1: pkg._C.Val, /) -> pkg._C.Val",
        [("arg0", P, "pkg._C.Val", None, True), ("arg1", P, "pkg._C.Val", None, True)],
        "pkg._C.Val",
    ),
    "method self unannotated": Case(
        "def same_as(self, arg: m.S, /) -> bool",
        [("self", P, None, None, False), ("arg", P, "m.S", None, True)],
        "bool",
    ),
    "placeholder default": Case(
        "def f(x: int = \\0) -> None",
        [("x", PK, "int", "3", False)],
        "None",
        defaults=[DefaultValue("3", "3")],
        shown="def f(x: int = 3) -> None",
    ),
    "unrepresentable default": Case(
        "def configure(cfg: m.Config = \\0) -> int",
        [("cfg", PK, "m.Config", None, False)],
        "int",
        defaults=[DefaultValue(None, "Config(\n  level=1\n)")],
        shown="def configure(cfg: m.Config = ...) -> int",
    ),
    "nb::arg().sig default": Case(
        "def set_mode(mode: int = \\=0) -> int",
        [("mode", PK, "int", "DEFAULT_MODE", False)],
        "int",
        defaults=[DefaultValue("DEFAULT_MODE", "DEFAULT_MODE")],
        shown="def set_mode(mode: int = DEFAULT_MODE) -> int",
    ),
    "keyword-only, *args, **kwargs": Case(
        "def mixed(a: int, *args, c: int = \\0, **kwargs) -> int",
        [
            ("a", PK, "int", None, False),
            ("args", "var_positional", None, None, False),
            ("c", KO, "int", "3", False),
            ("kwargs", "var_keyword", None, None, False),
        ],
        "int",
        defaults=[DefaultValue("3", "3")],
        shown="def mixed(a: int, *args, c: int = 3, **kwargs) -> int",
    ),
    "bare star": Case(
        "def f(a: int, *, b: int) -> None",
        [("a", PK, "int", None, False), ("b", KO, "int", None, False)],
        "None",
    ),
    "annotated var args": Case(
        "def f(*args: int, **kwargs: str) -> None",
        [
            ("args", "var_positional", "int", None, False),
            ("kwargs", "var_keyword", "str", None, False),
        ],
        "None",
    ),
    "unbound type in generic": Case(
        'def gather(items: collections.abc.Sequence["hz::Hidden"]) -> int',
        [("items", PK, 'collections.abc.Sequence["hz::Hidden"]', None, False)],
        "int",
        unbound=["hz::Hidden"],
    ),
    "unbound types in union and return": Case(
        'def f(v: float | "tf::Opaque", d: "tf::Device" | None = \\0) -> "ns::Box<int>" | None',
        [
            ("v", PK, 'float | "tf::Opaque"', None, False),
            ("d", PK, '"tf::Device" | None', "None", False),
        ],
        '"ns::Box<int>" | None',
        defaults=[DefaultValue("None", "None")],
        unbound=["tf::Opaque", "tf::Device", "ns::Box<int>"],
        shown='def f(v: float | "tf::Opaque", d: "tf::Device" | None = None)'
        ' -> "ns::Box<int>" | None',
    ),
    "unbound with comma inside template": Case(
        'def f(m: "std::map<int, float>") -> None',
        [("m", PK, '"std::map<int, float>"', None, False)],
        "None",
        unbound=["std::map<int, float>"],
    ),
    "ndarray annotation": Case(
        "def points(a: ndarray[dtype=float32, shape=(*, 3), order='C']) -> int",
        [("a", PK, "ndarray[dtype=float32, shape=(*, 3), order='C']", None, False)],
        "int",
    ),
    "ndarray with default": Case(
        "def f(a: numpy.ndarray[dtype=float64, shape=(*)] = \\0) -> None",
        [("a", PK, "numpy.ndarray[dtype=float64, shape=(*)]", "None", False)],
        "None",
        defaults=[DefaultValue("None", "None")],
        shown="def f(a: numpy.ndarray[dtype=float64, shape=(*)] = None) -> None",
    ),
    "callable annotation": Case(
        "def f(cb: collections.abc.Callable[[int, str], None]) -> None",
        [("cb", PK, "collections.abc.Callable[[int, str], None]", None, False)],
        "None",
    ),
    "nb::sig multi-line with decorator": Case(
        '@typing_extensions.deprecated("use g()")\ndef f(self) -> str',
        [("self", PK, None, None, False)],
        "str",
        source="nb_sig",
        decorators=['@typing_extensions.deprecated("use g()")'],
    ),
    "nb::sig literal default": Case(
        "def define_tensor(self, ndim: int, dtype: DataType = DataType.Double) -> TensorView",
        [
            ("self", PK, None, None, False),
            ("ndim", PK, "int", None, False),
            ("dtype", PK, "DataType", "DataType.Double", False),
        ],
        "TensorView",
        source="nb_sig",
    ),
    "nb::sig quoted forward reference is no C++ type": Case(
        'def f(x: "Node", y: "ns::Raw")',
        [("x", PK, '"Node"', None, False), ("y", PK, '"ns::Raw"', None, False)],
        None,
        source="nb_sig",
        unbound=["ns::Raw"],
    ),
    "property getter": Case("def (self) -> int", [("self", PK, None, None, False)], "int"),
    "property setter": Case(
        "def (self, arg: str, /) -> None",
        [("self", P, None, None, False), ("arg", P, "str", None, True)],
        "None",
    ),
    "keyword named like a Python keyword": Case(
        "def copy_range(from: int, to: int) -> int",
        [("from", PK, "int", None, False), ("to", PK, "int", None, False)],
        "int",
    ),
    "empty parameter name": Case("def f(: int) -> int", [("", PK, "int", None, False)], "int"),
    "empty return annotation": Case("def create() -> ", [], None),
    "no parameters": Case("def version() -> str", [], "str"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_parse_signature(case: Case) -> None:
    parsed = parse_signature(case.text, case.defaults)
    got = [(p.name, p.kind, p.annotation, p.default, p.auto_named) for p in parsed.parameters]
    assert got == case.params
    assert parsed.returns == case.returns
    assert parsed.source == case.source
    assert parsed.unbound_types == case.unbound
    assert parsed.decorators == case.decorators
    assert parsed.text == (case.shown or case.text)


def test_unrepresentable_default_keeps_repr() -> None:
    parsed = parse_signature("def f(c: m.C = \\0) -> None", [DefaultValue(None, "C(\n)")])
    (param,) = parsed.parameters
    assert param.has_default and not param.default_representable
    assert param.default_repr == "C(\n)"


@pytest.mark.parametrize(
    "text",
    ["def f(x: int -> int", "f(x)", "", "def f(x: list[int) -> None", "def f(x) junk"],
)
def test_malformed_signature_raises(text: str) -> None:
    with pytest.raises(SignatureError):
        parse_signature(text)


@pytest.mark.parametrize(
    ("text", "defaults", "source"),
    [
        ("def f(x: int) -> int", None, "generated"),
        ("def f(x: int = \\0) -> int", [DefaultValue("1", "1")], "generated"),
        ("def f(x: int = 1) -> int", None, "nb_sig"),
        ("def f(x: Optional[int]) -> int", None, "nb_sig"),
        ("def f(x: int)", None, "nb_sig"),
        ("def f(a: ndarray[dtype=float32, shape=(*, 3)]) -> int", None, "generated"),
        ("def f(x: typing.Any) -> collections.abc.Iterator[int]", None, "generated"),
    ],
)
def test_guess_source(text: str, defaults: list[DefaultValue] | None, source: str) -> None:
    assert guess_source(text, defaults) == source


def test_split_top_level_respects_brackets_and_quotes() -> None:
    assert split_top_level('a: dict[str, int], b: "x, y", c', ",") == [
        "a: dict[str, int]",
        ' b: "x, y"',
        " c",
    ]
    assert split_top_level("x: int = 1", "=") == ["x: int ", " 1"]
    assert split_top_level("x: bool = a == b", "=") == ["x: bool ", " a == b"]


@pytest.mark.parametrize(
    ("text", "params", "names"),
    [
        ("def first[T](items: list[T], /) -> T", ["T"], ["items"]),
        ("def g[T: int, *Ts, **P, U = str](x: T) -> U", ["T: int", "*Ts", "**P", "U = str"], ["x"]),
        ("def h[T: (int, str)](x: T) -> T", ["T: (int, str)"], ["x"]),
    ],
)
def test_pep695_type_parameters(text: str, params: list[str], names: list[str]) -> None:
    parsed = parse_signature(text, source="nb_sig")
    assert parsed.type_params == params
    assert [p.name for p in parsed.parameters] == names


def test_type_parameters_without_a_parameter_list_are_an_error() -> None:
    with pytest.raises(SignatureError, match="after the type parameters"):
        parse_signature("def f[T] -> T", source="nb_sig")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("class Box(typing.Generic[T])", ("Box", [], "typing.Generic[T]")),
        ("class Box[T]", ("Box", ["T"], None)),
        (
            "class Pair[K: (int, str), V = float](Base):",
            ("Pair", ["K: (int, str)", "V = float"], "Base"),
        ),
        ("@final\nclass P[*Ts, **P]()", ("P", ["*Ts", "**P"], None)),
        ("class Bad[T", None),
        ("def f()", None),
        ("class X(Base) extra", None),
    ],
)
def test_class_signatures(text: str, expected: tuple[str, list[str], str | None] | None) -> None:
    parsed = parse_class_signature(text)
    got = None if parsed is None else (parsed.name, parsed.type_params, parsed.bases)
    assert got == expected


@pytest.mark.parametrize(
    ("name", "doc", "expected"),
    [
        (
            "offset",
            "offset(self, delta: float, join: m.JoinType = m.JoinType.Round) -> m.C\n\nInflate.",
            [
                (
                    "def offset(self, delta: float, join: m.JoinType = m.JoinType.Round) -> m.C",
                    "Inflate.",
                )
            ],
        ),
        (
            "__init__",
            "__init__(self) -> None\n__init__(self, mesh: m.Mesh) -> None\n\n"
            "Overloaded function.\n\n"
            "1. ``__init__(self) -> None``\n\nEmpty.\n\n"
            "2. ``__init__(self, mesh: m.Mesh) -> None``\n\nFrom a mesh.",
            [
                ("def __init__(self) -> None", "Empty."),
                ("def __init__(self, mesh: m.Mesh) -> None", "From a mesh."),
            ],
        ),
        ("getter", "(self) -> int", [("def (self) -> int", None)]),
        ("f", "Some prose without a signature.", []),
    ],
)
def test_nanobind_1_signatures_from_doc(
    name: str, doc: str, expected: list[tuple[str, str | None]]
) -> None:
    # nanobind 1 has no __nb_signature__: its __doc__ starts with one line per overload.
    entries = legacy_entries(name, doc)
    assert [(text, d) for text, d, _ in entries] == expected
    for text, _, _ in entries:
        parse_signature(text, None)
