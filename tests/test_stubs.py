"""Stubs: golden files, validity under mypy --strict, the stale check and the type map."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_CONFIG, Golden
from mypy import api as mypy_api

from stubgen.check.mypy_pass import typecheck_stubs
from stubgen.cli import main
from stubgen.files.writes import diff_tree, remove_stale_stubs, stale_stubs, write_tree
from stubgen.load.isolate import load_model
from stubgen.model.api import ApiModel
from stubgen.model.names import NameIndex
from stubgen.stubs.file_names import StubNames
from stubgen.stubs.render import render_stubs

ROOT = Path(__file__).parent.parent
COMMITTED = ROOT / "stubs"
HAZARDS_GOLDEN = Path(__file__).parent / "golden" / "stubs"
TWIN_GOLDEN = Path(__file__).parent / "golden" / "twin-stubs"


def run_mypy(directory: Path) -> tuple[str, int]:
    out, err, status = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", "/dev/null", str(directory)]
    )
    return out + err, status


@pytest.mark.extension
@pytest.mark.parametrize(
    ("model_fixture", "folder"),
    [
        ("shipped_model", COMMITTED),
        ("hazards_model", HAZARDS_GOLDEN),
        ("twin_model", TWIN_GOLDEN),
    ],
)
def test_stubs_match_golden(
    model_fixture: str, folder: Path, request: pytest.FixtureRequest, golden: Golden
) -> None:
    model: ApiModel = request.getfixturevalue(model_fixture)
    golden.tree(folder, render_stubs(model).files)


@pytest.mark.extension
@pytest.mark.parametrize("model_fixture", ["demo_model", "hazards_model", "twin_model"])
def test_stubs_parse_and_pass_mypy_strict(
    model_fixture: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    model: ApiModel = request.getfixturevalue(model_fixture)
    files = render_stubs(model).files
    for name, text in files.items():
        if name.endswith(".pyi"):
            ast.parse(text, filename=name)
    write_tree(tmp_path, files)
    output, status = run_mypy(tmp_path)
    assert status == 0, output


def test_stubs_deterministic(demo_model: ApiModel) -> None:
    assert render_stubs(demo_model).files == render_stubs(demo_model).files


def test_each_overload_keeps_its_docstring(demo_model: ApiModel) -> None:
    ops = render_stubs(demo_model).files["tinyfuser/ops.pyi"]
    tree = ast.parse(ops)
    relu = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "relu"]
    assert [ast.get_docstring(n) is not None for n in relu] == [False, False, True]
    assert "Rectified linear unit" in (ast.get_docstring(relu[-1]) or "")


def test_hazard_findings(hazards_model: ApiModel) -> None:
    codes = {(f.path, f.code) for f in render_stubs(hazards_model).findings}
    assert {
        ("nbhazards.Widget.create", "STB005"),
        ("nbhazards.Widget.create", "STB006"),
        ("nbhazards.copy_range", "STB007"),
        ("nbhazards.empty_name", "STB007"),
        ("nbhazards.configure", "STB004"),
        ("nbhazards.set_mode", "STB004"),
        ("nbhazards.gather", "STB001"),
        ("nbhazards.maybe_box", "STB001"),
        ("nbhazards.collapse", "STB009"),
        ("nbhazards.Mode", "STB010"),
        ("nbhazards.Orphan", "STB002"),
    } <= codes


def test_overrides_and_shadowed_overloads_written_clean(hazards_model: ApiModel) -> None:
    stubs = render_stubs(hazards_model)
    init = stubs.files["nbhazards/__init__.pyi"]
    # An override with other arguments gets the targeted ignore for both checkers.
    assert (
        "def describe(self, x: str, y: int) -> str: ...  # type: ignore[override]"
        "  # pyright: ignore[reportIncompatibleMethodOverride]" in init
    )
    # The narrower overload comes first (nanobind's first pass takes it without converting
    # the int): nothing to silence.
    assert init.index("def shadow(v: int)") < init.index("def shadow(v: float)")
    # A subclass needs no conversion: the Base overload, bound first, takes Derived too. The
    # runtime's order stays; the overload it never calls is reported and marked.
    assert init.index("def classify(item: Base)") < init.index("def classify(item: Derived)")
    # pass_through too, without a trace (tests/test_trace.py gives it one).
    assert init.count("overload-cannot-match") == 2
    marked = {(f.path, f.code) for f in stubs.findings if f.code in ("STB016", "STB027")}
    assert marked == {
        ("nbhazards.Derived.describe", "STB016"),
        ("nbhazards.classify", "STB027"),
        ("nbhazards.pass_through", "STB027"),
        # __eq__ = eq (islpy): a method of its own, held to object's __eq__, marked.
        ("nbhazards.Version.__eq__", "STB016"),
        # name = "hazards" over pathlib.PurePath's property: pyright's ignore.
        ("nbhazards.shapes.Named.name", "STB016"),
    }
    assert typecheck_stubs(stubs.files) == []


def test_known_shapes_written_from_the_runtime(hazards_model: ApiModel) -> None:
    init = render_stubs(hazards_model).files["nbhazards/__init__.pyi"]
    # C slot wrappers get the types Python's data model fixes, the rest stays Any.
    for line in (
        "def __repr__(self, /) -> str:",
        "def __len__(self, /) -> int:",
        "def __hash__(self, /) -> int:",
        "def __getitem__(self, key: Any, /) -> Any:",
    ):
        assert line in init
    # Runtime aliases are declarations; a private one survives because a signature names it.
    assert "Number: TypeAlias = int | float" in init
    assert "_Scalar: TypeAlias = int | float | Any" in init
    assert "def scale_by(x: _Scalar) -> float: ..." in init
    # A private class a public signature returns is defined, not Any.
    assert "class _Context:" in init and "def context() -> _Context: ..." in init
    # A bool default for a class-typed parameter widens the annotation instead of an error.
    assert "def toggle(flag: Slotted | bool = True) -> None: ..." in init


def test_shapes_type_checkers_reject_written_clean(hazards_model: ApiModel) -> None:
    stubs = render_stubs(hazards_model)
    init, shapes = stubs.files["nbhazards/__init__.pyi"], stubs.files["nbhazards/shapes.pyi"]
    codes = {(f.path, f.code) for f in stubs.findings}
    # A property T hides the module's TypeVar T inside the class: qualified through the module.
    assert "def apply(self, v: Generic[nbhazards.T], /) -> Generic[nbhazards.T]: ..." in init
    # __isub__ next to an overloaded __sub__: mypy reports the pair, so a targeted ignore.
    assert "def __isub__(self, arg: int, /) -> Counter: ...  # type: ignore[misc]" in init
    assert ("nbhazards.Counter.__isub__", "STB019") in codes
    # Callable[float, float] in nb::sig, and the package's alias hz. that the stub lacks.
    assert "def resample(filter: Callable[[float], float]) -> Slotted: ..." in init
    assert ("nbhazards.resample", "STB020") in codes
    # A Python Generic class named bare is parametrized, in annotations and in bases; a
    # forward reference inside an annotation is unquoted; 'from __future__' is no API.
    assert "class PlainStore(Store[Any]):" in shapes
    assert "def keep(store: Store[Any], weight: Union[int, Point]) -> Slotted:" in shapes
    assert "annotations:" not in shapes and "__future__" not in shapes
    # One argument or a catch-all *args returning a tuple: the overlap the API means, with
    # the ignore each checker needs (mypy for a TypeVarTuple, pyright for Any).
    overlap = "  # type: ignore[overload-overlap]"
    assert f"def gather_all(arg: Slotted, /) -> Slotted: ...{overlap}" in init
    pyright = "  # pyright: ignore[reportOverlappingOverload]"
    assert f"def spread(arg: int, /) -> int: ...{pyright}" in init
    assert ("nbhazards.gather_all", "STB022") in codes
    # A Python function made a method later is bound whatever its first parameter's name.
    assert "    def __eq__(self, _other: object) -> bool: ..." in init
    # Literal of a class's int constants (no enum members): written as the values.
    assert "def info(key: Literal[4528, 4529]) -> int: ..." in init
    assert ("nbhazards.info", "STB023") in codes
    # The authors' own override ignore on a Python method's def line travels with it.
    assert "    def keys(self) -> list[str]:  # type: ignore[override, unused-ignore]" in shapes
    assert ("nbhazards.shapes.Names.keys", "STB021") in codes
    # Overriding a method that takes *args: Any, **kwargs: Any is no incompatible override.
    assert "def run(self, name: str, count: int = 1) -> None:\n" in shapes


SOURCE_CASES = {
    # (module, file -> text, attribute): found without importing?
    "class in a module file": (
        "ext1.sub",
        {"ext1/__init__.py": "", "ext1/sub.py": "class Foo: ..."},
        "Foo",
        True,
    ),
    "stub preferred to source": (
        "ext2",
        {"ext2/__init__.py": "Foo = 1", "ext2/__init__.pyi": "class Bar: ..."},
        "Bar",
        True,
    ),
    "re-exported by an import": ("ext3", {"ext3.py": "from os import sep as Foo"}, "Foo", True),
    "a word in a comment binds nothing": ("ext4", {"ext4.py": "# Foo is elsewhere"}, "Foo", False),
    "a namespace package is left to the import": (
        "ext5.sub",
        {"ext5/sub.py": "Foo = 1"},
        "Foo",
        False,
    ),
    "no such module": ("ext6", {}, "Foo", False),
}


@pytest.mark.parametrize("case", SOURCE_CASES.values(), ids=SOURCE_CASES.keys())
def test_external_names_found_on_disk_without_importing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: tuple[str, dict[str, str], str, bool]
) -> None:
    from stubgen.load.external import _declared_in_source

    module, files, attribute, expected = case
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _declared_in_source(module, attribute) is expected
    assert module not in sys.modules  # nothing was imported


@pytest.mark.extension
def test_names_outside_the_run_resolved_live() -> None:
    model = load_model("nbhazards._hazards")
    assert model.external["nbhazards.shapes.Point"] == "nbhazards.shapes"
    assert model.external["nbhazards.shapes.Nope"] is None
    stubs = render_stubs(model)
    text = stubs.files["nbhazards/_hazards/__init__.pyi"]
    assert "import nbhazards.shapes" in text
    assert "def place(p: nbhazards.shapes.Point, q: Any | None = None)" in text
    assert "-> nbhazards.shapes.Point" in text
    found = {(f.path, f.code) for f in stubs.findings}
    assert ("nbhazards._hazards.place", "STB013") in found


def test_bare_generics_are_parametrized() -> None:
    names = StubNames("m", None, {"list"}, NameIndex(), {})
    assert names.annotation("tuple", "m.f") == "tuple[Any, ...]"
    assert names.annotation("dict[str, list]", "m.f") == "dict[str, list]"
    assert names.annotation("typing.Callable", "m.f") == "Callable[..., Any]"
    # Dotted standard-library generics too (pybind11 writes os.PathLike for a path).
    assert names.annotation("os.PathLike | str", "m.f") == "os.PathLike[Any] | str"
    assert names.annotation("os.PathLike[str]", "m.f") == "os.PathLike[str]"
    assert names.annotation("numpy.ndarray[writable=False]", "m.f") == (
        "Annotated[NDArray[Any], dict(writable=False)]"
    )


def test_type_map_replaces_unbound_types(demo_model: ApiModel) -> None:
    stubs = render_stubs(demo_model, {"tf::Opaque": "numpy.ndarray", "re:tf::Dev.*": "int"})
    init = stubs.files["tinyfuser/__init__.pyi"]
    assert "value: float | int | bool | numpy.ndarray" in init
    assert "device: int | None = None" in init
    assert [f.message for f in stubs.findings if f.code == "STB001"] == [
        "unbound C++ type 'tf::Opaque' written as numpy.ndarray",
        "unbound C++ type 'tf::Device' written as int",
    ]


def test_type_map_replaces_pybind11_cpp_names(twin_model: ApiModel) -> None:
    stubs = render_stubs(twin_model, {"tf::Opaque": "numpy.ndarray", "re:tf::Dev.*": "int"})
    init = stubs.files["pyfuser/__init__.pyi"]
    assert "bool | numpy.ndarray, dtype: DataType | None = None" in init
    assert "device: int | None = None" in init
    assert not [f for f in stubs.findings if f.code == "STB001" and "as Any" in f.message]


@pytest.mark.extension
def test_check_fresh_stale_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "stubs"
    shutil.copytree(COMMITTED, out)
    demo = ["--config", str(DEMO_CONFIG)]  # the demo's pattern file shaped the stubs
    assert main(["stubs", "tinyfuser", *demo, "--check", "-o", str(out)]) == 0
    capsys.readouterr()
    ops = out / "tinyfuser" / "ops.pyi"
    ops.write_text(ops.read_text().replace("def relu(", "def relu_old("))
    (out / "tinyfuser" / "extra.pyi").write_text("x: int\n")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["stubs", "tinyfuser", *demo, "--check", "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "-def relu_old(" in captured.out and "+def relu(" in captured.out
    assert "--- a/tinyfuser/extra.pyi" in captured.out
    assert "stale" in captured.err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.extension
def test_stubs_verb_writes_layout(tmp_path: Path) -> None:
    assert main(["stubs", "nbhazards", "-o", str(tmp_path)]) == 0
    assert sorted(
        p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()
    ) == [
        "nbhazards/__init__.pyi",
        "nbhazards/alpha.pyi",
        "nbhazards/beta.pyi",
        "nbhazards/empty.pyi",
        "nbhazards/py.typed",
        "nbhazards/shapes.pyi",
        "nbhazards/sub.pyi",
    ]


def test_bad_type_map_is_usage_error(tmp_path: Path) -> None:
    assert main(["stubs", "tinyfuser", "-o", str(tmp_path), "--type-map", "nonsense"]) == 2


@pytest.mark.extension
@pytest.mark.parametrize("model_fixture", ["demo_model", "hazards_model", "twin_model"])
def test_stubs_pass_basedpyright_standard(
    model_fixture: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # IDE users run pyright (VS Code's Pylance); the stubs must be clean there too.
    model: ApiModel = request.getfixturevalue(model_fixture)
    write_tree(tmp_path, render_stubs(model).files)
    (tmp_path / "pyrightconfig.json").write_text('{"typeCheckingMode": "standard"}\n')
    binary = Path(sys.executable).parent / "basedpyright"
    result = subprocess.run(
        [str(binary), "--outputjson"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    summary = json.loads(result.stdout)
    errors = [d for d in summary["generalDiagnostics"] if d["severity"] == "error"]
    assert summary["summary"]["filesAnalyzed"] >= 2
    assert errors == [], errors


def test_stale_stubs_are_removed_and_checked_alike(tmp_path: Path) -> None:
    files = {"pkg/__init__.pyi": "x: int\n", "pkg/py.typed": ""}
    write_tree(tmp_path, files)
    (tmp_path / "pkg" / "gone.pyi").write_text("def gone() -> int: ...\n")  # a removed module
    (tmp_path / "pkg" / "kept.py").write_text("")  # a module of an installed package ...
    (tmp_path / "pkg" / "kept.pyi").write_text("y: int\n")  # ... with its own stub
    (tmp_path / "pkg" / "notes.txt").write_text("not a stub\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "mod.pyi").write_text("z: int\n")  # another package's stubs
    assert stale_stubs(tmp_path, files) == ["pkg/gone.pyi"]
    assert "pkg/gone.pyi" in diff_tree(tmp_path, files)
    assert remove_stale_stubs(tmp_path, files) == ["pkg/gone.pyi"]
    assert diff_tree(tmp_path, files) == ""
    remaining = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert remaining == {
        "pkg/__init__.pyi", "pkg/py.typed", "pkg/kept.py", "pkg/kept.pyi", "pkg/notes.txt",
        "other/mod.pyi",
    }  # fmt: skip
