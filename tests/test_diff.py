"""nbapi diff: a table of small before/after models, one per change kind, with code and severity.

Each case is the smallest old and new module showing one kind of change; the test checks that
exactly the expected codes are reported (the others stay quiet), each with the catalogue's
severity. The demo's older version, the git-ref side and the verb are tested below.
"""

from __future__ import annotations

import copy
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from builders import function, module, overload, param
from conftest import DEMO_CONFIG, Golden

from stubgen.cli import main
from stubgen.diff import DiffReport, diff_models
from stubgen.diff.report import render_text
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
from stubgen.model.json_io import model_to_json, read_model_file
from stubgen.stubs import model_from_stubs

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
    # Neither wider nor narrower, and a type is not known here: may break.
    "parameter type changed": Case(f(X), f(param("x", "numpy.ndarray")), ["API020"]),
    # Neither wider nor narrower, every type known: a value of the old one is refused.
    "parameter refuses what it took": Case(f(X), f(param("x", "str")), ["API023"]),
    "Mapping then Sequence refuses a dict": Case(
        f(param("x", "collections.abc.Mapping[str, int]")),
        f(param("x", "collections.abc.Sequence[int]")),
        ["API023"],
    ),
    # manifold3d 2.5.1 -> 3.0.0: nothing here says what FloatNx2 and DoubleNx2 take.
    "a Sequence of an alias not known here": Case(
        f(param("x", "list[FloatNx2]")),
        f(param("x", "collections.abc.Sequence[DoubleNx2]")),
        ["API020"],
    ),
    "one member of a union refused": Case(
        f(param("x", "int | str")), f(param("x", "int | bytes")), ["API023"]
    ),
    "replaced by a deprecation wrapper": Case(
        f(X, param("y", "str")),
        f(param("args", None, kind="var_positional"), param("kwargs", None, kind="var_keyword")),
        ["API024"],
    ),
    "a signature unknown on one side": Case(
        f(X), module(function("f", overload([], source="none"))), ["API022"]
    ),
    "property became read-only": Case(
        klass(properties=[Property("p", "m.C.p", "int", readonly=False)]),
        klass(properties=[Property("p", "m.C.p", "int")]),
        ["API021"],
    ),
    "constant value changed": Case(
        Module("m", "m", "m", attributes=[Attribute("K", "m.K", "int", "1")]),
        Module("m", "m", "m", attributes=[Attribute("K", "m.K", "int", "2")]),
        ["API021"],
    ),
    "version constant changed": Case(
        Module("m", "m", "m", attributes=[Attribute("__version__", "m.__version__", "str", "'1'")]),
        Module("m", "m", "m", attributes=[Attribute("__version__", "m.__version__", "str", "'2'")]),
        ["API111"],
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
    "property became writable": Case(
        klass(properties=[Property("p", "m.C.p", "int")]),
        klass(properties=[Property("p", "m.C.p", "int", readonly=False)]),
        ["API112"],
    ),
    "parameter widened to object": Case(
        f(param("other", "m.C")), f(param("other", "object")), ["API104"]
    ),
    "bare tuple narrowed to tuple[bool, ...] as a return": Case(
        f(X, returns="tuple"), f(X, returns="tuple[bool, ...]"), ["API108"]
    ),
    # nanobind writes writable=False where the binding takes read-only arrays too (nb::ro).
    "an array that now takes read-only ones": Case(
        f(param("x", "numpy.ndarray[dtype=float64]")),
        f(param("x", "numpy.ndarray[dtype=float64, writable=False]")),
        ["API104"],
    ),
    "an array that no longer takes read-only ones": Case(
        f(param("x", "numpy.ndarray[dtype=float64, writable=False]")),
        f(param("x", "numpy.ndarray[dtype=float64]")),
        ["API013"],
    ),
    "an array that no longer wants an order": Case(
        f(param("x", "numpy.ndarray[dtype=float64, order='C']")),
        f(param("x", "numpy.ndarray[dtype=float64]")),
        ["API104"],
    ),
    # mapbox_earcut 1.0.3 -> 2.0.0: lists and read-only arrays raise TypeError in 2.0.0
    # (checked by calling both); the result is the same 1-D uint32 array.
    "pybind11's array_t became nanobind's ndarray": Case(
        f(param("x", "numpy.ndarray[numpy.float32]"), returns="numpy.ndarray[numpy.uint32]"),
        f(
            param("x", "ndarray[dtype=float32, shape=(*, 2), device='cpu']"),
            returns="numpy.ndarray[dtype=uint32, shape=(*)]",
        ),
        ["API013", "API108"],
    ),
    "an array that now wants a shape": Case(
        f(param("x", "numpy.ndarray[dtype=float64]")),
        f(param("x", "numpy.ndarray[dtype=float64, shape=(3)]")),
        ["API013"],
    ),
    "an array result with a new constraint": Case(
        f(X, returns="numpy.ndarray[dtype=float64]"),
        f(X, returns="numpy.ndarray[dtype=float64, order='C']"),
        ["API108"],
    ),
    "positional-only renamed": Case(
        f(param("x", kind="positional_only")), f(param("value", kind="positional_only")), ["API109"]
    ),
    "curated text changed": Case(
        klass(replacement=Replacement("m.C$", "p.pat:1", "class C: ...")),
        klass(replacement=Replacement("m.C$", "p.pat:1", "class C:\n    x: int")),
        ["API110"],
    ),
    "list widened to Sequence": Case(
        f(param("x", "list[m.C]")), f(param("x", "collections.abc.Sequence[m.C]")), ["API104"]
    ),
    # Nothing changed in what callers see.
    "typing and collections.abc spell one type": Case(
        f(param("x", "typing.Callable[[int], int]")),
        f(param("x", "collections.abc.Callable[[int], int]")),
        [],
    ),
    "ndarray options in another order": Case(
        f(param("x", "numpy.ndarray[dtype=float32, order='C', writable=False]")),
        f(param("x", "numpy.ndarray[dtype=float32, writable=False, order='C']")),
        [],
    ),
    "union reordered": Case(f(param("x", "int | str")), f(param("x", "str | int")), []),
    "overloads reordered": Case(fo([X], [param("x", "str")]), fo([param("x", "str")], [X]), []),
    "Any is unknown, not a change": Case(f(param("x", None)), f(X), []),
    "a class written bare in one version and qualified in the other": Case(
        Module(
            "m",
            "m",
            "m",
            functions=[function("f", overload([param("x", "Rotation3d")], "Rotation3d"))],
            classes=[Class("Rotation3d", "m.Rotation3d", "m.Rotation3d")],
            attributes=[Attribute("R", "m.R", "Rotation3d")],
        ),
        Module(
            "m",
            "m",
            "m",
            functions=[function("f", overload([param("x", "m.Rotation3d")], "m.Rotation3d"))],
            classes=[Class("Rotation3d", "m.Rotation3d", "m.Rotation3d")],
            attributes=[Attribute("R", "m.R", "m.Rotation3d")],
        ),
        [],
    ),
    "a bare name no class of the model has stays a change": Case(
        f(param("x", "m.Other")), f(param("x", "Other")), ["API020"]
    ),
    # pypcode 3.2.1 -> 3.3.0: the default type arguments written out or not.
    "Generator[X] is Generator[X, None, None]": Case(
        f(X, returns="collections.abc.Generator[int, None, None]"),
        f(X, returns="typing.Generator[int]"),
        [],
    ),
    # pypcode 3.2.1 -> 3.3.0: classes moved into pypcode.printing, re-exported where they were.
    "a class moved to a submodule and re-exported": Case(
        Module(
            "m",
            "m",
            "m",
            classes=[
                Class("Base", "m.Base", "m.Base"),
                Class("D", "m.D", "m.D", bases=["m.Base"]),
            ],
            attributes=[Attribute("DEFAULT", "m.DEFAULT", "m.Base", "<m.Base object at 0x...>")],
        ),
        Module(
            "m",
            "m",
            "m",
            submodules=[
                Module(
                    "sub",
                    "m.sub",
                    "m.sub",
                    classes=[
                        Class("Base", "m.sub.Base", "m.sub.Base"),
                        Class("D", "m.sub.D", "m.sub.D", bases=["m.sub.Base"]),
                    ],
                )
            ],
            aliases={"Base": "m.sub.Base", "D": "m.sub.D"},
            attributes=[
                Attribute("DEFAULT", "m.DEFAULT", "m.sub.Base", "<m.sub.Base object at 0x...>")
            ],
        ),
        ["API101"],
        ["m.sub"],
    ),
    "a class method became a static method": Case(
        klass(
            functions=[
                function("g", overload([param("cls", None), X]), kind="classmethod", path="m.C.g")
            ]
        ),
        klass(functions=[function("g", overload([X]), kind="staticmethod", path="m.C.g")]),
        ["API113"],
    ),
    "a version-like name of the settings": Case(
        Module("m", "m", "m", attributes=[Attribute("BUILD_SHA", "m.BUILD_SHA", "str", "'a'")]),
        Module("m", "m", "m", attributes=[Attribute("BUILD_SHA", "m.BUILD_SHA", "str", "'b'")]),
        ["API111"],
    ),
}
# Settings of the cases that need them: globs of version-like constants.
VERSION_NAMES = {"a version-like name of the settings": ("BUILD_*",)}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_change_kind(case: Case) -> None:
    names = next((v for k, v in VERSION_NAMES.items() if CASES[k] is case), ())
    found = diff_models(ApiModel(module=case.old), ApiModel(module=case.new), names)
    assert sorted(x.code for x in found) == sorted(case.codes)
    for item in found:
        assert item.severity == CATALOGUE[item.code][0]
    if case.paths:
        assert [x.path for x in found] == case.paths


def test_every_change_kind_has_a_case() -> None:
    codes = {code for code in CATALOGUE if code.startswith("API")}
    assert codes - {c for case in CASES.values() for c in case.codes} == set()


@pytest.mark.extension
def test_the_demo_since_its_release_0_9(shipped_model: ApiModel, golden: Golden) -> None:
    # demo/history holds the demo's API as recorded at "release 0.9": one change of every
    # kind separates it from today's bindings.
    old = read_model_file(OLD_DEMO)
    found = diff_models(old, shipped_model)
    codes = {code for code in CATALOGUE if code.startswith("API")}
    assert {x.code for x in found} == codes
    report = DiffReport(OLD_DEMO.name, "tinyfuser", found)
    golden.text("tinyfuser-0.9.diff.txt", render_text(report))


@pytest.mark.extension
def test_verb_gates_breaking_changes_and_writes_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo's configuration reports without gating (diff-fail-on = "none").
    demo = ["--config", str(DEMO_CONFIG), "--fail-on", "breaking"]
    assert main(["diff", str(OLD_DEMO), *demo]) == 1
    assert "tinyfuser.reset_cache\n  API003 breaking: function removed" in capsys.readouterr().out
    assert main(["diff", str(OLD_DEMO), "--config", str(DEMO_CONFIG)]) == 0
    for name in ("json", "github", "markdown", "junit"):
        out = tmp_path / f"report.{name}"
        assert main(["diff", str(OLD_DEMO), *demo, "--format", name, "-o", str(out)]) == 1
        assert "reset_cache" in out.read_text()
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["counts"] == {"breaking": 22, "may break": 6, "compatible": 15}
    # Accepted breaks: recorded, then the gate passes; a new break would fail it again.
    allow = tmp_path / "allow.json"
    assert main(["diff", str(OLD_DEMO), *demo, "--write-allowlist", str(allow)]) == 0
    assert main(["diff", str(OLD_DEMO), *demo, "--allowlist", str(allow)]) == 0
    capsys.readouterr()
    assert main(["diff", str(OLD_DEMO), *demo, "--allowlist", str(tmp_path / "none.json")]) == 2
    assert "allowlist" in capsys.readouterr().err


@pytest.mark.extension
def test_a_module_side_is_loaded_with_the_pattern_files(
    shipped_model: ApiModel, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = tmp_path / "today.json"
    recorded.write_text(model_to_json(shipped_model))
    # The module, loaded and patterned as the recorded model was: nothing changed.
    assert main(["diff", "tinyfuser", str(recorded), "--config", str(DEMO_CONFIG)]) == 0
    assert "0 breaking, 0 may break, 0 compatible" in capsys.readouterr().out
    assert main(["diff", "old.json", "--against", "HEAD", "--config", str(DEMO_CONFIG)]) == 2
    assert "give no OLD or NEW" in capsys.readouterr().err


def test_two_model_files_need_no_module(tmp_path: Path) -> None:
    model = ApiModel(module=f(X))
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(model_to_json(model))
    new.write_text(model_to_json(ApiModel(module=f(param("x", "str")))))
    (tmp_path / "pyproject.toml").write_text("[tool.nbapi]\n")
    assert main(["diff", str(old), str(old), "--config", str(tmp_path / "pyproject.toml")]) == 0
    code = main(["diff", str(old), str(new), "--fail-on", "warning"])
    assert code == 1  # parameter type changed: API020, a warning


@pytest.mark.extension
def test_against_a_git_ref_reads_its_committed_stubs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    (repo / "stubs").mkdir(parents=True)
    config = repo / "pyproject.toml"
    config.write_text('[tool.nbapi]\nmodule = "tinyfuser"\nstubs-dir = "stubs"\n')
    assert main(["stubs", "--config", str(config)]) == 0
    init = repo / "stubs" / "tinyfuser" / "__init__.pyi"
    text = init.read_text()
    # The committed version had one more function and another parameter name.
    text += "\ndef retired(x: int) -> int: ...\n"
    init.write_text(text.replace("def set_num_threads(n: int)", "def set_num_threads(count: int)"))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo)]
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "v1"], ["tag", "v1"]):
        subprocess.run([*git, *command], check=True, capture_output=True)
    capsys.readouterr()
    assert main(["diff", "--against", "v1", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "tinyfuser.retired\n  API003 breaking: function removed" in out
    assert "API009 breaking: parameter 'count' renamed 'n'" in out
    assert "v1 (stubs) -> tinyfuser" in out
    assert main(["diff", "--against", "no-such-ref", "--config", str(config)]) == 2


def test_stubs_read_back_as_a_model() -> None:
    files = {
        "p/__init__.pyi": (
            "import enum\nfrom typing import overload\nfrom p._impl import X as X\n"
            "K: int = 3\n"
            "class Mode(enum.Enum):\n    A = 0\n    B = 1\n"
            "class C(Base):\n    @property\n    def size(self) -> int: ...\n"
            "    @staticmethod\n    def make() -> C: ...\n    alias = make\n"
            "@overload\ndef f(x: int, /) -> int: ...\n"
            "@overload\ndef f(x: str, *, y: int = ...) -> str: ...\n"
        ),
        "p/sub.pyi": "def g(*args: int, **kwargs: str) -> None: ...\n",
    }
    model = model_from_stubs(files, "p")
    root = model.module
    assert [s.path for s in root.submodules] == ["p.sub"]
    assert root.aliases == {"X": "p._impl.X"} and [a.name for a in root.attributes] == ["K"]
    mode, c = root.classes
    assert [(m.name, m.value) for m in mode.members] == [("A", "0"), ("B", "1")]
    assert c.bases == ["Base"] and [p.name for p in c.properties] == ["size"]
    assert c.functions[0].kind == "staticmethod" and c.aliases == {"alias": "make"}
    (fn,) = root.functions
    assert [[(p.name, p.kind, p.has_default) for p in o.parameters] for o in fn.overloads] == [
        [("x", "positional_only", False)],
        [("x", "positional_or_keyword", False), ("y", "keyword_only", True)],
    ]


def test_a_module_side_is_loaded_with_the_runs_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A pure-Python package with a private function, documented with include-private: the
    # module side of 'nbapi diff old.json pkgx' keeps it, as the recorded side did.
    package = tmp_path / "pkgx"
    package.mkdir()
    (package / "__init__.py").write_text(
        "def f(x: int) -> int:\n    return x\n\n\ndef _g() -> None: ...\n"
    )
    config = tmp_path / "pyproject.toml"
    config.write_text(f'[tool.nbapi]\npaths = ["{tmp_path}"]\ninclude-private = true\n')
    old = tmp_path / "old.json"
    assert main(["model", "pkgx", "-o", str(old), "--config", str(config)]) == 0
    assert "pkgx._g" in old.read_text()
    capsys.readouterr()
    argv = ["diff", str(old), "pkgx", "--config", str(config), "--fail-on", "warning"]
    assert main(argv) == 0, capsys.readouterr().out
    assert "0 breaking, 0 may break, 0 compatible" in capsys.readouterr().out
    # Without the setting, the module side drops _g: its removal is reported.
    config.write_text(f'[tool.nbapi]\npaths = ["{tmp_path}"]\n')
    assert main(argv) == 1
    assert "pkgx._g" in capsys.readouterr().out


@pytest.mark.extension
def test_fail_on_warning_passes_what_no_user_notices(
    shipped_model: ApiModel, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A release that changed only what no caller can notice: the version, a class written
    # bare where the other version qualifies it, a property that gained a setter.
    old = copy.deepcopy(shipped_model)
    (version,) = [a for a in old.module.attributes if a.name == "__version__"]
    version.value = "'0.0.9'"
    fusion = next(c for c in old.module.classes if c.name == "Fusion")
    (name,) = [p for p in fusion.properties if p.name == "name"]
    name.readonly = True
    for fn in fusion.functions:
        for o in fn.overloads:
            o.returns = (o.returns or "").replace("tinyfuser.TensorView", "TensorView") or None
    file = tmp_path / "old.json"
    file.write_text(model_to_json(old), encoding="utf-8")
    demo = ["--config", str(DEMO_CONFIG), "--fail-on", "warning"]
    assert main(["diff", str(file), *demo]) == 0
    out = capsys.readouterr().out
    assert "API111" in out and "API112" in out and "API014" not in out
    # Each real narrowing of the demo's history fails the same gate.
    assert main(["diff", str(OLD_DEMO), *demo]) == 1
