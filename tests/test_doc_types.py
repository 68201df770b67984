"""The docs show the types the stubs write: every parameter and result type of every rendered
signature is, name for name, one the stub of that function writes (demo, twin, nvFuser)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from stubgen.docs.pages import render_pages
from stubgen.model.api import ApiModel
from stubgen.model.json_io import read_model_file
from stubgen.model.walk import iter_modules
from stubgen.stubs import render_stubs

HERE = Path(__file__).parent
_SIGNATURE = re.compile(r"^(\s*)\.\. py:(?:function|method):: (.*)$")
_NESTED_CLASS = re.compile(r"^\s+\.\. py:(?:class|exception):: (\w+)")


def short(text: str) -> str:
    """Drop module paths: ``typing.Any`` and ``Any`` are the same name to a reader."""
    return re.sub(r"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_])", "", text).replace(" ", "")


def annotations(node: ast.FunctionDef) -> set[str]:
    args = node.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    found = {short(ast.unparse(a.annotation)) for a in every if a and a.annotation}
    if node.returns is not None:
        found.add(short(ast.unparse(node.returns)))
    return found


def _visit(
    body: list[ast.stmt], prefix: str, renamed: dict[str, str], by_path: dict[str, set[str]]
) -> None:
    for node in body:
        if isinstance(node, ast.FunctionDef):
            written = {
                re.sub(r"\b\w+\b", lambda m: renamed.get(m[0], m[0]), t) for t in annotations(node)
            }
            by_path.setdefault(f"{prefix}.{node.name}", set()).update(written)
        elif isinstance(node, ast.ClassDef):
            _visit(node.body, f"{prefix}.{node.name}", renamed, by_path)


def stub_types(model: ApiModel) -> dict[str, set[str]]:
    """Map each function's public path to the annotations its stub writes."""
    by_path: dict[str, set[str]] = {}
    files = render_stubs(model).files
    for module in iter_modules(model.module):
        text = next(
            (
                t
                for f, t in files.items()
                if f.removesuffix(".pyi").removesuffix("/__init__").replace("/", ".") == module.path
            ),
            None,
        )
        if text is None:
            continue

        tree = ast.parse(text)
        # "from collections.abc import Iterable as _Iterable" (the module has an Iterable of
        # its own): the name the stub writes is the imported object's.
        renamed = {
            a.asname: a.name
            for node in tree.body
            if isinstance(node, ast.ImportFrom)
            for a in node.names
            if a.asname and a.asname != a.name
        }

        _visit(tree.body, module.path, renamed, by_path)
    return by_path


def doc_types(model: ApiModel) -> dict[str, set[str]]:
    """Map each function's public path to the annotations its docs page shows."""
    by_path: dict[str, set[str]] = {}
    for name, page in render_pages(model).items():
        if not name.endswith(".rst"):
            continue
        page_owner = name.removeprefix("api/").removesuffix(".rst")
        signatures: list[tuple[str, str]] = []  # (owner, signature)
        continuation = ""
        nested: list[tuple[int, str]] = []  # classes documented inside the page's own
        for line in page.splitlines():
            depth = len(line) - len(line.lstrip())
            if line.strip():
                nested = [(d, n) for d, n in nested if d < depth]
            owner = ".".join([page_owner, *(n for _, n in nested)])
            match = _SIGNATURE.match(line)
            inner = _NESTED_CLASS.match(line)
            if match is not None:
                signatures.append((owner, match.group(2)))
                continuation = " " * (len(line) - len(match.group(2)))
            elif continuation and line.startswith(continuation) and line.strip()[:1].isalpha():
                signatures.append((signatures[-1][0], line.strip()))  # one directive, several
            else:
                continuation = ""
            if inner is not None and depth > 0:
                nested.append((depth, inner.group(1)))
        for owner, signature in signatures:
            fn = signature.split("(", 1)[0]
            text = f"def {signature}: ..."
            try:
                node = ast.parse(text).body[0]
            except SyntaxError:
                continue
            assert isinstance(node, ast.FunctionDef)
            by_path.setdefault(f"{owner}.{fn}", set()).update(annotations(node))
    return by_path


@pytest.mark.parametrize(
    "which",
    [
        pytest.param("demo", marks=pytest.mark.extension),
        pytest.param("twin", marks=pytest.mark.extension),
        pytest.param("nvFuser", marks=pytest.mark.slow),  # a recorded model: a second
    ],
)
def test_every_rendered_type_is_the_stubs(which: str, request: pytest.FixtureRequest) -> None:
    if which == "nvFuser":
        model = read_model_file(HERE / "nvfuser" / "nvfuser_direct.model.json.gz")
    else:
        model = request.getfixturevalue(f"{which}_model")
    stubs, docs = stub_types(model), doc_types(model)
    assert docs, "no signature rendered"
    wrong = {
        (path, text)
        for path, texts in docs.items()
        if path in stubs
        for text in texts - stubs[path]
    }
    assert sorted(wrong)[:20] == []


def test_a_modules_own_typevar_is_the_stubs_not_any() -> None:
    # drjit's 'def abs(arg: ArrayT) -> ArrayT' in nb::sig text: ArrayT is the module's own
    # TypeVar, in the stub and on the page; typing's Callable, re-exported, stays typing's.
    from stubgen.model.api import Attribute, Function, Module, Overload, Parameter

    arg = Parameter("arg", "positional_only", "ArrayT")
    call = Parameter("fn", "positional_or_keyword", "Optional[Callable]")
    functions = [
        Function("abs", "m.sub.abs", "m.sub.abs", overloads=[Overload("", [arg], "ArrayT")]),
        Function(
            "freeze", "m.sub.freeze", "m.sub.freeze", overloads=[Overload("", [call], "None")]
        ),
    ]
    typevar = Attribute("ArrayT", "m.sub.ArrayT", "typing.TypeVar", "'ArrayT'")
    sub = Module("sub", "m.sub", "m.sub", functions=functions, attributes=[typevar])
    sub.aliases = {"Callable": "typing.Callable", "Optional": "typing.Optional"}
    # The top module has a TypeVar of the same name (drjit's modules each declare theirs).
    top_typevar = Attribute("ArrayT", "m.ArrayT", "typing.TypeVar", "'ArrayT'")
    model = ApiModel(module=Module("m", "m", "m", submodules=[sub], attributes=[top_typevar]))
    page = render_pages(model)["api/m.sub.rst"]
    assert ".. py:function:: abs(arg: m.sub.ArrayT, /) -> m.sub.ArrayT" in page
    assert "collections.abc.Callable[..., typing.Any]" in page
    stubs, docs = stub_types(model), doc_types(model)
    assert docs["m.sub.abs"] == stubs["m.sub.abs"] == {"ArrayT"}
    assert docs["m.sub.freeze"] <= stubs["m.sub.freeze"]
