"""Pattern files (nanobind's format) on the real demo model: stubs, verify, findings, errors."""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest

from stubgen.cli import main
from stubgen.errors import ToolError
from stubgen.load.patterns import apply_patterns, load_pattern_file
from stubgen.model.api import ApiModel
from stubgen.stubs.render import render_stubs, stub_file_name
from stubgen.verify import curation_of, read_runtime, verify_stubs

DEMO_PATTERNS = r"""# comments are skipped
tinyfuser.__prefix__:
    \from typing import TypeAlias
    Scalar: TypeAlias = int | float

tinyfuser.ops.(neg)$:
    def \1(x: Scalar, /) -> Scalar:
        \doc

tinyfuser.ops.abs$:

tinyfuser.ops.__suffix__:
    END_OF_OPS: int

tinyfuser.Fusion.__prefix__:
    LIMIT: int

tinyfuser.nothing_here$:
    x: int
"""


@pytest.fixture
def patterned(demo_model: ApiModel, tmp_path: Path) -> tuple[ApiModel, list[str]]:
    file = tmp_path / "demo.pat"
    file.write_text(DEMO_PATTERNS)
    model = copy.deepcopy(demo_model)
    result = apply_patterns(model, load_pattern_file(file))
    assert (result.applied, result.removed) == (4, 1)
    return model, [f"{f.code} {f.message}" for f in result.findings]


def test_patterns_shape_the_stubs(patterned: tuple[ApiModel, list[str]]) -> None:
    model, _ = patterned
    files = render_stubs(model).files
    init, ops = files["tinyfuser/__init__.pyi"], files["tinyfuser/ops.pyi"]
    assert "from typing import" in init and "TypeAlias" in init
    assert "Scalar: TypeAlias = int | float" in init
    assert "class Fusion:" in init and "    LIMIT: int" in init
    tree = ast.parse(ops)
    neg = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "neg"]
    assert len(neg) == 1 and "Negation" in (ast.get_docstring(neg[0]) or "")
    assert "def abs(" not in ops
    assert ops.rstrip().endswith("END_OF_OPS: int")


def test_patterns_reach_the_model(patterned: tuple[ApiModel, list[str]]) -> None:
    model, findings = patterned
    ops = model.module.submodules[0]
    assert "abs" not in {f.name for f in ops.functions}
    neg = next(f for f in ops.functions if f.name == "neg")
    assert neg.replacement is not None and neg.replacement.origin == "demo.pat:6"
    # Docs and coverage see the curated signature, with its docstring.
    [overload] = neg.overloads
    assert overload.source == "pattern" and overload.returns == "Scalar"
    assert [p.name for p in overload.parameters] == ["x"]
    assert overload.doc is not None and overload.doc.summary.startswith("Negation")
    assert findings == ["PAT001 pattern 'tinyfuser.nothing_here$' (demo.pat:18) matched no entry"]


def test_verify_accepts_what_patterns_wrote(
    patterned: tuple[ApiModel, list[str]], tmp_path: Path
) -> None:
    model, _ = patterned
    out = tmp_path / "stubs"
    for name, text in render_stubs(model).files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)
    assert verify_stubs(read_runtime("tinyfuser"), out, curation_of(model)) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tinyfuser.f\n    def f() -> int: ...\n", "must end in ':'"),
        ("tinyfuser.(f:\n    x: int\n", "is not a regular expression"),
        ("tinyfuser.f:\n    \\from typing Any\n", "could not parse import declaration"),
    ],
)
def test_bad_pattern_files_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    file = tmp_path / "bad.pat"
    file.write_text(text)
    with pytest.raises(ToolError, match=message):
        load_pattern_file(file)


def test_bad_pattern_file_exits_2_before_importing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "bad.pat"
    file.write_text("no colon here\n")
    assert main(["stubs", "no_such_module", "--pattern-file", str(file)]) == 2
    assert "bad.pat:1" in capsys.readouterr().err


def test_single_file_module_gets_its_stub_beside_it(hazards_model: ApiModel) -> None:
    # nbhazards is a package; its extension module nbhazards._hazards is one file.
    ext = ApiModel(module=copy.deepcopy(hazards_model.module))
    ext.module.path, ext.module.is_package, ext.module.submodules = "pkg._ext", False, []
    assert stub_file_name(ext.module) == "pkg/_ext.pyi"
    assert set(render_stubs(ext).files) == {"pkg/_ext.pyi", "pkg/py.typed"}


def test_a_pattern_signature_keeps_what_the_loader_keeps(tmp_path: Path) -> None:
    # One conversion of a parsed signature into an overload: the C++ names a pattern writes
    # reach the model (the stubs type them, STB011) as they do from a binding's own text.
    from builders import function, model, module, overload, param

    api = model(module(function("f", overload([param("x")]))))
    file = tmp_path / "p.pat"
    file.write_text(
        'm.f:\n    def f(x: int, y: "std::vector<int>") -> int: ...\n', encoding="utf-8"
    )
    apply_patterns(api, load_pattern_file(file))
    (written,) = api.module.functions[0].overloads
    assert written.source == "pattern"
    assert [p.name for p in written.parameters] == ["x", "y"]
    assert written.unbound_types == ["std::vector<int>"]
