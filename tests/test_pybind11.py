"""pybind11: the signature text pybind11 writes, and its twin of the demo through the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Golden, find

from stubgen.cli import main
from stubgen.config import CoverageConfig
from stubgen.coverage.gate import build_report
from stubgen.files.writes import write_tree
from stubgen.findings import Finding
from stubgen.load.isolate import load_model
from stubgen.model.api import ApiModel, Class, Function
from stubgen.model.json_io import model_to_json
from stubgen.parse.pybind11 import default_value, quote_cpp, split_overloads, translate
from stubgen.parse.signature import DefaultValue
from stubgen.stubs import render_stubs
from stubgen.verify import read_runtime, verify_stubs

# __doc__ as pybind11 3.1 writes it (copied from the twin), and the overloads it holds.
SPLITS: dict[str, tuple[str, str, list[tuple[str, str | None]]]] = {
    "one, documented": (
        "f",
        "f(x: int) -> int\n\n\nDo it.\n\nReturns\n-------\nint\n\n",
        [("f(x: int) -> int", "Do it.\n\nReturns\n-------\nint\n")],
    ),
    "one, bare": ("f", "f(arg0: int) -> int\n", [("f(arg0: int) -> int", None)]),
    "overloaded, doc on the last": (
        "add",
        "add(*args, **kwargs)\nOverloaded function.\n\n1. add(arg0: float) -> float\n\n"
        "2. add(arg0: pkg.Val) -> pkg.Val\n\n\nAddition.\n\n",
        [("add(arg0: float) -> float", None), ("add(arg0: pkg.Val) -> pkg.Val", "Addition.\n")],
    ),
    "overloaded, a docstring that numbers lines": (
        "g",
        "g(*args, **kwargs)\nOverloaded function.\n\n1. g(x: int) -> None\n\nSteps:\n\n"
        "2. not an overload\n\n2. g(x: str) -> None\n\nText.\n",
        [("g(x: int) -> None", "Steps:\n\n2. not an overload\n"), ("g(x: str) -> None", "Text.\n")],
    ),
    "accessor": ("", "(arg0: pkg.Fusion) -> int\n", [("(arg0: pkg.Fusion) -> int", None)]),
    "signatures disabled": ("f", "Just a docstring.", []),
}


@pytest.mark.parametrize("case", SPLITS.values(), ids=SPLITS.keys())
def test_split_overloads(case: tuple[str, str, list[tuple[str, str | None]]]) -> None:
    name, doc, expected = case
    assert split_overloads(name, doc) == expected


TRANSLATIONS: dict[str, tuple[str, bool, str, list[DefaultValue]]] = {
    "unnamed arguments are positional-only": (
        "debug_dump(arg0: pkg.Fusion, arg1: bool) -> str",
        False,
        "def debug_dump(arg0: pkg.Fusion, arg1: bool, /) -> str",
        [],
    ),
    "self loses its class annotation": (
        "same_as(self: pkg.Statement, arg0: pkg.Statement) -> bool",
        True,
        "def same_as(self, arg0: pkg.Statement, /) -> bool",
        [],
    ),
    "enum default": (
        "f(self: pkg.F, dtype: pkg.DataType = <DataType.Double: 1>) -> None",
        True,
        "def f(self, dtype: pkg.DataType = \\0) -> None",
        [DefaultValue("pkg.DataType.Double", "<DataType.Double: 1>")],
    ),
    "object default has no expression": (
        "f(p: pkg.P = <pkg.P object at 0x7f00deadbeef>) -> int",
        False,
        "def f(p: pkg.P = \\0) -> int",
        [DefaultValue(None, "<pkg.P object at 0x...>")],
    ),
    "C++ types quoted, template commas kept": (
        "f(a: std::map<int, tf::X>, b: tf::Device | None = None) -> std::vector<int>",
        False,
        'def f(a: "std::map<int, tf::X>", b: "tf::Device" | None = \\0) -> "std::vector<int>"',
        [DefaultValue("None", "None")],
    ),
    "repeated union members dropped": (
        "f(v: typing.SupportsFloat | typing.SupportsIndex | typing.SupportsInt"
        " | typing.SupportsIndex) -> None",
        False,
        "def f(v: typing.SupportsFloat | typing.SupportsIndex | typing.SupportsInt) -> None",
        [],
    ),
    "accessor": ("(arg0: pkg.Fusion) -> int", True, "def (self) -> int", []),
    "anonymous namespace": (
        "f() -> list[(anonymous namespace)::P]",
        False,
        'def f() -> list["(anonymous namespace)::P"]',
        [],
    ),
}


@pytest.mark.parametrize("case", TRANSLATIONS.values(), ids=TRANSLATIONS.keys())
def test_translate(case: tuple[str, bool, str, list[DefaultValue]]) -> None:
    line, method, text, defaults = case
    result = translate(line, method=method)
    assert (result.text, result.defaults) == (text, defaults)


@pytest.mark.parametrize(
    ("text", "annotation", "expression"),
    [
        ("1.5", "float", "1.5"),
        ("'x'", "str", "'x'"),
        ("inf", "float", 'float("inf")'),
        ("<Kind.A: 0>", "pkg.Kind | None", "pkg.Kind.A"),
        ("<Kind.A: 0>", "int", None),
        ("<pkg.P object at 0x1>", "pkg.P", None),
        ("P()", "pkg.P", None),
    ],
)
def test_default_value(text: str, annotation: str, expression: str | None) -> None:
    assert default_value(text, annotation).expression == expression


def test_quote_cpp_leaves_python_alone() -> None:
    assert quote_cpp("dict[str, list[pkg.A]] | None") == "dict[str, list[pkg.A]] | None"
    assert quote_cpp("Eigen::Matrix<double, 3, 1>") == '"Eigen::Matrix<double, 3, 1>"'


def test_twin_model_matches_golden(twin_model: ApiModel, golden: Golden) -> None:
    golden.text("pyfuser.model.json", model_to_json(twin_model))


def test_twin_model_facts(twin_model: ApiModel) -> None:
    assert twin_model.load_errors == []
    add = find(twin_model.module, "pyfuser.ops.add")
    assert isinstance(add, Function) and add.binding == "pybind11"
    assert len(add.overloads) == 3 and add.doc_only_on_last
    assert all(p.auto_named for o in add.overloads for p in o.parameters)
    data_type = find(twin_model.module, "pyfuser.DataType")
    assert isinstance(data_type, Class) and data_type.is_enum
    assert [m.name for m in data_type.members] == ["Float", "Double", "Int", "Bool"]
    assert data_type.members[0].doc is not None and data_type.doc is not None
    assert "Members:" not in data_type.doc.raw
    parallel = find(twin_model.module, "pyfuser.ParallelType")
    assert isinstance(parallel, Class) and parallel.is_enum  # py::native_enum
    error = find(twin_model.module, "pyfuser.FusionError")
    assert isinstance(error, Class) and error.is_exception
    fusion = find(twin_model.module, "pyfuser.Fusion")
    assert isinstance(fusion, Class) and fusion.bases == []
    assert {p.name: p.type for p in fusion.properties}["num_outputs"] == "int"
    kinds = {f.name: f.kind for f in fusion.functions}
    assert kinds["supported_ops"] == "staticmethod" and kinds["define_tensor"] == "method"
    scalar = find(twin_model.module, "pyfuser.Fusion.define_scalar")
    assert isinstance(scalar, Function) and scalar.overloads[0].unbound_types == ["tf::Opaque"]
    # Defined before SchedulerParams was bound: pybind11 wrote the C++ name.
    late = find(twin_model.module, "pyfuser.default_scheduler_params")
    assert isinstance(late, Function)
    (overload,) = late.overloads
    assert overload.returns == "pyfuser.SchedulerParams" and overload.unbound_types == []
    assert overload.cpp_resolved == {
        "(anonymous namespace)::SchedulerParams": "pyfuser.SchedulerParams"
    }
    codes = {
        f.code for f in build_report(twin_model, CoverageConfig()).findings if f.path == late.path
    }
    assert "SIG005" in codes


# The bindings the twin shares with the nanobind demo: the same gaps must be flagged.
SHARED = ["Fusion.add_output", "Fusion.define_scalar", "debug_dump", "ops.add", "ops.div"]
SHARED += ["ops.maximum", "ops.relu", "set_num_threads", "Val.is_tensor", "Statement.same_as"]
SHARED += ["Statement", "SchedulerParams"]  # no __repr__ on either side: CLS001 on both


def test_twin_coverage_flags_the_demos_gaps(twin_model: ApiModel, demo_model: ApiModel) -> None:
    def codes(findings: list[Finding], root: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {name: set() for name in SHARED}
        for f in findings:
            name = f.path.removeprefix(root + ".")
            if name in found:
                found[name].add(f.code)
        return found

    twin_findings = build_report(twin_model, CoverageConfig()).findings
    twin = codes(twin_findings, "pyfuser")
    demo = codes(build_report(demo_model, CoverageConfig()).findings, "tinyfuser")
    assert twin == demo
    assert {"SIG001", "DOC002"} <= twin["ops.add"]
    assert "CLS001" in twin["Statement"]
    messages = [f.message for f in twin_findings]
    assert any('py::arg("...")' in m for m in messages)
    assert not any("nb::" in m for m in messages)


@pytest.mark.extension
def test_every_stage_of_all_passes_on_the_twin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    twin = Path(__file__).parent.parent / "demo" / "pybind11"
    (tmp_path / "pyproject.toml").write_text(f"""
[tool.nbapi]
module = "pyfuser"
stubs-dir = "stubs"
checks-dir = "{twin / "checks"}"
docs-source = "docs"
docs-output = "html"
reports-dir = "reports"

[tool.nbapi.coverage]
source-dir = "{twin / "src"}"
baseline = "{twin / "coverage-baseline.json"}"
""")
    status = main(["all", "--config", str(tmp_path / "pyproject.toml"), "-q"])
    out = capsys.readouterr().out
    assert status == 0, out
    rows = [line.split() for line in out.splitlines() if line.startswith("  ")]
    stages = {row[0]: row[1] for row in rows if row[0] not in ("stage", "total")}
    expected = {s: "ok" for s in ("load", "stubs", "verify", "check", "coverage", "docs")}
    assert stages == {**expected, "diff": "skipped"}  # no diff-against in the twin's settings
    report = json.loads((tmp_path / "reports" / "coverage.json").read_text())
    located = [f for f in report["findings"] if f["code"] == "SIG001"]
    assert located and all(f["file"].endswith("bindings.cpp") for f in located)
    # Bound with signatures disabled: every function flagged, the renaming named in py::arg.
    no_signature = {f["path"] for f in report["findings"] if f["code"] == "SIG006"}
    assert no_signature == {f"pyfuser.direct.{n}" for n in ("add", "square", "total")}
    renamed = [f["message"] for f in report["findings"] if f["code"] == "DOC005"]
    assert any('py::arg("lhs"), py::arg("rhs")' in m for m in renamed)
    assert (tmp_path / "html" / "api" / "pyfuser.ops.html").is_file()
    from test_docs import CHROMIUM, layout_of, out_of_reach

    from stubgen.model.json_io import read_model_file

    model = read_model_file(tmp_path / ".nbapi-cache" / "model.json")
    assert out_of_reach(tmp_path / "html", model) == []
    if CHROMIUM is None:
        return
    # The twin's site in a real browser: the landing page, the package, a class, the page of
    # overloaded ops and the coverage page.
    pages = ["index.html", "api/pyfuser.html", "api/pyfuser.Fusion.html", "api/pyfuser.ops.html"]
    for page in [*pages, "api/coverage.html"]:
        dom = layout_of(tmp_path / "html", page, tmp_path / "profile")
        assert 'data-overflow="false"' in dom and 'data-clipped="0"' in dom, page
        assert 'data-tables="0"' not in dom, page
        if page in pages[1:]:
            assert 'data-toc="true"' in dom, f"{page} shows no 'on this page'"


def test_signatures_disabled_read_by_probing(twin_model: ApiModel) -> None:
    total = find(twin_model.module, "pyfuser.direct.total")
    assert isinstance(total, Function) and total.binding == "pybind11"
    assert [o.source for o in total.overloads] == ["probe"] * 3
    assert [[p.name for p in o.parameters] for o in total.overloads] == [
        ["x"],
        ["x", "dim", "keepdim"],
        ["x", "dims", "keepdim"],
    ]
    # One docstring for all of them, kept on the last (the stubs show it there).
    assert [o.doc is not None for o in total.overloads] == [False, False, True]


def test_without_the_probe_the_stubs_take_anything(tmp_path: Path, built: None) -> None:
    model = load_model("pyfuser", probe=False)
    # The docstring's Parameters and Returns are the signature of last resort, for the docs.
    add = find(model.module, "pyfuser.direct.add")
    assert isinstance(add, Function)
    (overload,) = add.overloads
    assert overload.source == "docstring" and "probe is off" in (overload.parse_error or "")
    assert [(p.name, p.annotation) for p in overload.parameters] == [
        ("lhs", "pyfuser.Val | float"),
        ("rhs", "pyfuser.Val | float"),
    ]
    square = find(model.module, "pyfuser.direct.square")  # no docstring: nothing known
    assert isinstance(square, Function)
    assert [p.kind for p in square.overloads[0].parameters] == ["var_positional", "var_keyword"]
    # The stubs take anything either way; verify agrees with them.
    stubs = render_stubs(model)
    text = stubs.files["pyfuser/direct.pyi"]
    assert "def add(*args: Any, **kwargs: Any) -> Any:" in text
    assert "def square(*args: Any, **kwargs: Any) -> Any:" in text
    assert {("pyfuser.direct.add", "STB024"), ("pyfuser.direct.square", "STB024")} <= {
        (f.path, f.code) for f in stubs.findings
    }
    write_tree(tmp_path, stubs.files)
    runtime = read_runtime("pyfuser", probe=False)
    assert [f for f in verify_stubs(runtime, tmp_path) if "direct" in f.path] == []
