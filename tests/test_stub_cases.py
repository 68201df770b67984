"""Table tests for the stub renderer on small model snippets: model, expected lines, codes."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import pytest

from stubgen.model.api import ApiModel, Class, Function, Module, Overload, Parameter, Property
from stubgen.stubs.render import render_stubs


def fn(name: str, *overloads: Overload, kind: str = "function", path: str = "") -> Function:
    return Function(
        name=name,
        path=path or f"m.{name}",
        runtime_path=f"m.{name}",
        kind=kind,  # type: ignore[arg-type]
        overloads=list(overloads),
    )


def ov(
    params: list[Parameter], returns: str | None = "None", source: str = "generated"
) -> Overload:
    return Overload(signature="", parameters=params, returns=returns, source=source)  # type: ignore[arg-type]


def p(
    name: str, annotation: str | None = "int", kind: str = "positional_or_keyword", **kw: object
) -> Parameter:
    return Parameter(name=name, kind=kind, annotation=annotation, **kw)  # type: ignore[arg-type]


@dataclass
class Case:
    module: Module
    lines: list[str]
    codes: list[str] = field(default_factory=list)


SELF = p("self", None)

CASES = {
    "default before a required parameter": Case(
        Module(
            "m", "m", "m", functions=[fn("f", ov([p("a", has_default=True, default="1"), p("b")]))]
        ),
        ["def f(a: int, b: int) -> None: ..."],
        ["STB008"],
    ),
    "keyword-only after a renamed keyword": Case(
        Module("m", "m", "m", functions=[fn("f", ov([p("lambda"), p("x", kind="keyword_only")]))]),
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
                        Property("size", "m.C.size", type=None, getter=ov([SELF], None, "python")),
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
                        fn(
                            "__class_getitem__",
                            ov([p("arg", "object")], "object"),
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
                        fn(
                            "make",
                            ov([p("klass", None)], "m.C"),
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
                fn(
                    "f",
                    ov(
                        [
                            p(
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
            "m", "m", "m", functions=[fn("f", ov([]))], aliases={"g": "m.f"}, all=["f", "g", "gone"]
        ),
        ["__all__ = [", '    "f",', '    "g",', "]", "", "def f() -> None: ...", "", "g = f"],
    ),
    "invalid annotation text": Case(
        Module("m", "m", "m", functions=[fn("f", ov([p("x", "list[int")]))]),
        ["def f(x: Any) -> None: ..."],
        ["STB003"],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_stub_case(case: Case) -> None:
    stubs = render_stubs(ApiModel(module=case.module))
    text = stubs.files["m.pyi"]
    ast.parse(text)
    body = text[text.index(case.lines[0]) :].rstrip("\n").split("\n")
    assert body[: len(case.lines)] == case.lines
    assert sorted(f.code for f in stubs.findings) == sorted(case.codes)


@pytest.mark.extension
def test_extension_itself_requested(tmp_path: object) -> None:
    from stubgen.load.isolate import load_model

    stubs = render_stubs(load_model("nbhazards._hazards"))
    assert "nbhazards/_hazards/__init__.pyi" in stubs.files
    assert "nbhazards/_hazards/sub.pyi" in stubs.files
