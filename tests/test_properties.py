"""Property tests: parsers and renderers on arbitrary input never raise and never emit broken text.

The number of examples comes from ``NBAPI_HYPOTHESIS_EXAMPLES`` (CI keeps the default; a
local run can ask for 10,000).
"""

from __future__ import annotations

import ast
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stubgen.docs.prose import parses_cleanly
from stubgen.docs.rst import RstWriter
from stubgen.model.api import ApiModel, Function, Module, Overload
from stubgen.model.names import NameIndex
from stubgen.parse.docstring import numpydoc_text, parse_docstring
from stubgen.parse.signature import DefaultValue, SignatureError, parse_signature
from stubgen.stubs.render import render_stubs

EXAMPLES = int(os.environ.get("NBAPI_HYPOTHESIS_EXAMPLES", "300"))
PROFILE = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

identifiers = st.from_regex(r"[A-Za-zé_][A-Za-z0-9_é]{0,8}", fullmatch=True)
cpp_names = st.from_regex(r"[a-z]{1,4}::[A-Z][a-z]{0,5}(<int(, float)?>)?", fullmatch=True)
dotted = st.lists(identifiers, min_size=1, max_size=3).map(".".join)
leaf = st.one_of(
    dotted,
    st.sampled_from(["int", "float", "None", "typing.Any", "collections.abc.Sequence[int]"]),
    cpp_names.map(lambda n: f'"{n}"'),
    st.just("ndarray[dtype=float32, shape=(*, 3), order='C']"),
)


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(dotted, st.lists(children, min_size=1, max_size=3)).map(
            lambda t: f"{t[0]}[{', '.join(t[1])}]"
        ),
        st.lists(children, min_size=2, max_size=3).map(" | ".join),
    )


annotations = st.recursive(leaf, _extend, max_leaves=8)
parameters = st.tuples(
    st.one_of(identifiers, st.sampled_from(["from", "lambda", "", "arg0", "self"])),
    st.one_of(st.none(), annotations),
    st.booleans(),
)


@st.composite
def signatures(draw: st.DrawFn) -> tuple[str, list[DefaultValue]]:
    params = draw(st.lists(parameters, max_size=5))
    defaults: list[DefaultValue] = []
    pieces = []
    for name, annotation, has_default in params:
        text = name + (f": {annotation}" if annotation else "")
        if has_default:
            text += f" = \\{len(defaults)}"
            defaults.append(
                draw(
                    st.sampled_from(
                        [
                            DefaultValue("1", "1"),
                            DefaultValue(None, "Obj(\n)"),
                            DefaultValue("X.y", "X.y"),
                        ]
                    )
                )
            )
        pieces.append(text)
    if pieces and draw(st.booleans()):
        pieces.insert(draw(st.integers(0, len(pieces))), "/")
    returns = draw(st.one_of(st.just(""), annotations))
    return f"def {draw(identifiers)}({', '.join(pieces)}) -> {returns}", defaults


@pytest.mark.slow
@PROFILE
@given(st.text(max_size=200))
def test_signature_parser_never_raises_unexpectedly(text: str) -> None:
    try:
        parse_signature(text)
    except SignatureError:
        pass


@pytest.mark.slow
@PROFILE
@given(signatures())
def test_generated_signatures_parse_and_give_valid_stubs(
    case: tuple[str, list[DefaultValue]],
) -> None:
    text, defaults = case
    parsed = parse_signature(text, defaults)
    overload = Overload(
        signature=parsed.text,
        parameters=parsed.parameters,
        returns=parsed.returns,
        source=parsed.source,
        unbound_types=parsed.unbound_types,
    )
    fn = Function(name="f", path="m.f", runtime_path="m.f", overloads=[overload])
    stubs = render_stubs(ApiModel(module=Module("m", "m", "m", functions=[fn])))
    compile(stubs.files["m.pyi"], "m.pyi", "exec", ast.PyCF_ONLY_AST)
    compile(stubs.files["m.pyi"], "m.pyi", "exec")  # duplicate names etc.


docstring_text = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Parameters",
                    "----------",
                    "Returns",
                    "-------",
                    "Raises",
                    "------",
                    "See Also",
                    "--------",
                    "Examples",
                    "--------",
                    ">>> f(1)",
                    "Args:",
                    "    x: y",
                    ":param x: y",
                    "@param x y",
                    "@return z",
                    ".. raw:: html",
                    "   <b>x</b>",
                    "x : int",
                    "    The `x` value.",
                    "a *b",
                    "``c",
                    ":func:`g`",
                    ":ref:`lbl`",
                    "",
                    "  ",
                    "\t",
                    "Notes",
                    "-----",
                    ".. include:: x",
                    "Summary line.",
                ]
            ),
            st.text(max_size=40),
        ),
        max_size=25,
    ).map("\n".join),
)


@pytest.mark.slow
@PROFILE
@given(docstring_text)
def test_docstring_parser_and_numpydoc_text_never_raise(text: str) -> None:
    doc = parse_docstring(text)
    assert doc.raw == text
    numpydoc_text(doc)


@pytest.mark.slow
@PROFILE
@given(docstring_text)
@example("PARAMETERS\n=\n0\r 0")  # a carriage return inside a parameter's name
@example("RETURNS\n=\n0\r0\n\x850")  # \r and NEL inside a Returns entry
@example("=\r=")  # a simple table's border once the \r is a space
def test_rendered_docs_source_always_parses_cleanly(text: str) -> None:
    model = ApiModel(module=Module("m", "m", "m"))
    lines = RstWriter(NameIndex.from_model(model)).docstring(parse_docstring(text), ["m"])
    # code-block is Sphinx's; docutils' own code directive is its literal equivalent.
    rst = "\n".join(lines).replace(".. code-block:: pycon", ".. code::")
    assert parses_cleanly(rst, as_notes=False), rst


@pytest.mark.slow
@PROFILE
@given(
    st.lists(
        st.sampled_from(["value_t", "arg", "(", ")", "[", "]", " or ", ", ", "x", "|"]), max_size=12
    ).map("".join)
)
def test_linked_types_keep_their_markup_valid(text: str) -> None:
    from stubgen.docs.rst import Linker
    from stubgen.model.api import Function

    functions = [Function(n, f"m.{n}", f"m.{n}") for n in ("value_t", "arg")]
    linker = Linker(
        NameIndex.from_model(ApiModel(module=Module("m", "m", "m", functions=functions)))
    )
    line = linker.types(text, ["m"])
    assert (
        parses_cleanly(f"**x** : {line}\n   description", as_notes=False) if line.strip() else True
    )
