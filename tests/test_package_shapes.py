"""Real package shapes, on the test package nbsplit (tests/hazards/src/nbsplit).

Split private extension modules, a lazy ``__getattr__`` that raises, run-time variants
selected by set-up code, a submodule whose dependency is missing, keyword-named members and
a raw carriage return in a docstring. Each test runs the real command line on the built
package, in a folder of its own (the repo's pyproject.toml configures the demo).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from stubgen.cli import main
from stubgen.files.writes import stale_stubs, write_tree
from stubgen.findings import Finding
from stubgen.load.isolate import load_model
from stubgen.model.api import ApiModel, Module
from stubgen.stubs.render import _parsed_or_partial, render_stubs

pytestmark = pytest.mark.extension

SELECT_DOUBLE = "import nbsplit; nbsplit.set_variant('double')"


def _names(module: Module) -> set[str]:
    return {c.name for c in module.classes} | {f.name for f in module.functions}


def _submodule(model: ApiModel, path: str) -> Module | None:
    return next((s for s in model.module.submodules if s.path == path), None)


def test_walk_survives_lazy_getattr_broken_submodule_and_unselected_variants() -> None:
    model = load_model("nbsplit")
    errors = "\n".join(model.load_errors)
    assert "nbsplit.gpu: ImportError: the GPU backend is not initialised" in errors
    assert "nbsplit.broken: importing failed: ModuleNotFoundError" in errors
    for variant in ("single", "double"):
        assert f"nbsplit.{variant}: a run-time variant of 'nbsplit'" in errors
        assert _submodule(model, f"nbsplit.{variant}") is None
    # The rest is walked: the split modules' classes and functions, re-exported.
    assert {"Rect", "Point", "area", "centre", "square"} <= _names(model.module)
    # __all__ says what 'import *' takes: a base class it leaves out is still API.
    assert {"Circle", "Shape"} <= _names(model.module)
    assert "Color" not in _names(model.module)


def test_setup_selects_one_variant_and_resolves_by_identity() -> None:
    model = load_model("nbsplit", setup=SELECT_DOUBLE)
    assert model.setup == SELECT_DOUBLE
    assert {"Color", "luminance"} <= _names(model.module)
    # nbsplit.selects, imported by the walk, selects 'single': its Mono is not left behind.
    assert "Mono" not in _names(model.module)
    luminance = next(f for f in model.module.functions if f.name == "luminance")
    assert luminance.overloads[0].parameters[0].annotation == "nbsplit.Color"
    # The selected variant is its holder's: its module holds aliases, never copies.
    double = _submodule(model, "nbsplit.double")
    assert double is not None and not double.classes and not double.functions
    assert double.aliases["Color"] == "nbsplit.Color"
    assert _submodule(model, "nbsplit.single") is None
    assert any("nbsplit.single: a run-time variant" in e for e in model.load_errors)


def test_a_variant_walked_alone_is_its_own_objects_only() -> None:
    # nbsplit.single carries the package's __name__ and __path__: the package's files
    # (broken.py, selects.py) are not its submodules (mitsuba.scalar_rgb, as
    # nanobind.stubgen -m mitsuba.scalar_rgb sees it).
    model = load_model("nbsplit.single")
    assert {"Color", "Mono", "luminance"} == _names(model.module)
    assert model.module.submodules == []
    assert not any("broken" in e for e in model.load_errors)


def test_setup_that_raises_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["model", "nbsplit", "--setup", "import nbsplit; nbsplit.set_variant('x')"])
    assert code == 2
    err = capsys.readouterr().err
    assert "the setup code raised KeyError" in err and "Traceback" not in err


def test_setup_as_module_function(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pick.py").write_text(
        "def double():\n    import nbsplit\n    nbsplit.set_variant('double')\n"
    )
    model = load_model("nbsplit", paths=[str(tmp_path)], setup="pick:double")
    assert "Color" in _names(model.module)


def test_per_module_runs_keep_each_other_and_import_sibling_classes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "stubs"
    for module in ("nbsplit._render", "nbsplit._structs", "nbsplit._render"):
        assert main(["stubs", module, "-o", str(out), "-q"]) == 0
    render = (out / "nbsplit" / "_render.pyi").read_text()
    structs = (out / "nbsplit" / "_structs.pyi").read_text()
    assert "import nbsplit._structs" in render
    assert "class Rect" not in render and "class Rect" in structs
    assert "def area(rect: nbsplit._structs.Rect) -> float:" in render
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "-p", "nbsplit"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout
    # Run by run, the check agrees: nothing is stale.
    for module in ("nbsplit._render", "nbsplit._structs"):
        assert main(["stubs", module, "-o", str(out), "--check", "-q"]) == 0


def test_keyword_members_and_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "stubs"
    assert main(["stubs", "nbsplit", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert "nbsplit.Point.global: STB031" in printed
    assert "nbsplit.Point.lambda: STB031" in printed
    for stub in out.rglob("*.pyi"):
        ast.parse(stub.read_text(), filename=str(stub))  # every written file parses
    text = (out / "nbsplit" / "__init__.pyi").read_bytes()
    assert b"\r" not in text and b"The centre.\\x0d" in text
    assert main(["stubs", "nbsplit", "-o", str(out), "--check", "-q"]) == 0


@pytest.mark.parametrize(
    ("text", "parses"),
    [
        ("def f() -> int: ...\n", True),
        ("class C:\n    def global(self) -> int: ...\n", False),
        ("from ctypes.CFUNCTYPE.<locals> import CFunctionType\n", False),
    ],
)
def test_a_stub_that_does_not_parse_is_replaced_and_reported(text: str, parses: bool) -> None:
    findings: list[Finding] = []
    written = _parsed_or_partial(text, Module(name="m", path="m", runtime_path="m"), findings)
    ast.parse(written)
    assert (written == text) is parses
    assert [f.code for f in findings] == ([] if parses else ["STB032"])


def test_stale_stubs_only_within_the_run(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/_structs.pyi": "x: int\n", "pkg/_old/__init__.pyi": "y: int\n"})
    # A run on pkg._render never removes its siblings' stubs ...
    assert stale_stubs(tmp_path, {"pkg/_render.pyi": "z: int\n"}) == []
    # ... a run on pkg removes what it no longer writes, its submodules included.
    assert stale_stubs(tmp_path, {"pkg/__init__.pyi": ""}) == [
        "pkg/_old/__init__.pyi",
        "pkg/_structs.pyi",
    ]


def test_verify_reads_the_selected_variant_as_the_loader_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    out = str(tmp_path / "stubs")
    assert main(["stubs", "nbsplit", "--setup", SELECT_DOUBLE, "-o", out, "-q"]) == 0
    # The held variant is an alias module; the other is no API; nothing is missing.
    assert main(["verify", "nbsplit", "--setup", SELECT_DOUBLE, "--stubs", out]) == 0, (
        capsys.readouterr()
    )


def test_a_package_without_nanobind_or_pybind11_is_said_so(tmp_path: Path) -> None:
    (tmp_path / "purepkg").mkdir()
    (tmp_path / "purepkg" / "__init__.py").write_text("def f(x: int) -> int:\n    return x\n")
    errors = load_model("purepkg", paths=[str(tmp_path)]).load_errors
    assert any("purepkg: no nanobind or pybind11 objects found" in e for e in errors)
    assert not any("no nanobind" in e for e in load_model("nbsplit").load_errors)


def test_the_binding_is_named_where_it_shows() -> None:
    pytest.importorskip("yaml._yaml")  # PyYAML's compiled part, made with Cython
    errors = load_model("yaml").load_errors
    assert any("compiled modules: yaml._yaml (Cython)" in e for e in errors), errors


def test_an_aliased_submodule_is_written_at_its_import_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "stubs"
    assert main(["stubs", "nbsplit", "-o", str(out), "-q"]) == 0
    syntax = out / "nbsplit" / "core" / "syntax.pyi"
    assert "def tokens(text: str) -> int:" in syntax.read_text()
    assert not (out / "nbsplit" / "syntax.pyi").exists()
    init = (out / "nbsplit" / "__init__.pyi").read_text()
    assert "from nbsplit.core import syntax as syntax" in init
    (out / "use.py").write_text(
        "import nbsplit\nimport nbsplit.core.syntax\n"
        'a: int = nbsplit.syntax.tokens("x")\nb: int = nbsplit.core.syntax.tokens("x")\n'
        "nbsplit.syntax.tokens(3)\n"
    )
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "use.py"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.stdout.count("error:") == 1 and "use.py:5:" in checked.stdout, checked.stdout
    # verify reads the file where it was written: a fault planted there is found.
    assert main(["verify", "nbsplit", "--stubs", str(out)]) == 0
    syntax.write_text(syntax.read_text().replace("def tokens(", "def tokens(:"))
    capsys.readouterr()
    assert main(["verify", "nbsplit", "--stubs", str(out)]) == 1
    assert "nbsplit.core.syntax: VFY008" in capsys.readouterr().out


PY_SHAPES = {
    "__init__.py": """
from __future__ import annotations

import functools
from typing import Dict, Iterable, NamedTuple, Tuple, TypeAlias, TypedDict

from numpy.typing import NDArray

from ._core import Mean

__all__ = ["Args", "Options", "Mean", "area", "combine", "field_of", "values", "NDArray", "__doc__"]

Mean.__module__ = __name__  # as boost-histogram renames its bound classes

Side: TypeAlias = "int | Mean"


class Options(TypedDict):
    sparse: bool


def area(side: Side) -> float:
    return 1.0


def combine(m: "pyshapes._core.Mean") -> None:
    pass


class Args(NamedTuple):
    output: str
    changelog: str = ""


@functools.lru_cache(maxsize=None)
def field_of(code: int) -> str:
    return ""


def values(args: Iterable) -> NDArray:
    return None
""",
    "_core.py": "class Mean:\n    pass\n",
}


def test_python_layer_shapes_of_real_packages(tmp_path: Path) -> None:
    # Shapes of boost-histogram: a TypeAlias written as a string that __all__ leaves out, a
    # TypedDict (its runtime bases say dict), a class whose __module__ was rewritten and
    # that an annotation names at the path it was defined at.
    for name, text in PY_SHAPES.items():
        (tmp_path / "pyshapes" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "pyshapes" / name).write_text(text)
    model = load_model("pyshapes", paths=[str(tmp_path)])
    init = render_stubs(model).files["pyshapes/__init__.pyi"]
    assert "Side: TypeAlias = int | Mean" in init
    assert "class Options(TypedDict):" in init and "    sparse: bool" in init
    assert "def area(side: Side) -> float:" in init
    assert "def combine(m: Mean) -> None:" in init
    # onnx's shapes: a NamedTuple (fields, not _tuplegetter attributes; a default stays
    # optional) and a function behind functools.lru_cache.
    assert "class Args(NamedTuple):" in init
    assert "    output: str\n    changelog: str = ...\n" in init
    assert "@functools.lru_cache\ndef field_of(code: int) -> str:" in init
    # iminuit's: numpy's NDArray re-exported is numpy's alias; a bare typing generic gets its
    # parameters.
    assert "from numpy.typing import NDArray as NDArray" in init
    assert "def values(args: Iterable[Any]) -> NDArray[Any]:" in init
    assert "__doc__" not in init.split("__all__ = [")[1].split("]")[1]  # highspy lists it
    # pypcode 3.2.1's: typing's own Dict and Tuple, imported and left out of __all__, are no
    # alias of the package (3.3.0 dropped the import, and nothing of its API changed).
    assert "Dict" not in model.module.aliases and "Tuple" not in model.module.aliases
    assert "import Dict" not in init and "Dict:" not in init and " Dict," not in init


def test_a_set_value_is_written_the_same_whatever_the_hash_seed() -> None:
    from stubgen.load.state import safe_repr

    assert safe_repr({"right", "top", "left"}) == "{'left', 'right', 'top'}"
    assert safe_repr(frozenset({2, 1})) == "frozenset({1, 2})"
    assert safe_repr(set()) == "set()"
