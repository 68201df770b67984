"""``nbapi trace`` and ``nbapi verify --calls``: calls recorded from real runs of the demo
(nanobind) and the twin (pybind11), then held against the stubs; a stub that rejects a call
that ran is caught (mutation tests)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path

import pytest

from stubgen.errors import ToolError
from stubgen.stubs import render_stubs
from stubgen.trace.calls import Call, read_calls
from stubgen.trace.recorder import Recorder
from stubgen.verify.calls import among_results, call_expression, result_type

ROOT = Path(__file__).resolve().parent.parent


def _make_local() -> type:
    class Hidden:  # defined in a function: no import can name it
        pass

    return Hidden


_Local = _make_local()
pytestmark = pytest.mark.extension

DEMO_PROGRAM = """
import numpy as np
import tinyfuser as tf
fusion = tf.Fusion()
tv = fusion.define_tensor(ndim=2, dtype=tf.DataType.Float)
s = fusion.define_scalar(1.5, dtype=tf.DataType.Double)
fusion.add_output(value=tf.ops.neg(fusion.define_tensor(1)))
fusion.name = "mine"
print(fusion.num_outputs, fusion.inputs, tf.Fusion.supported_ops(), s.is_tensor())
try:
    fusion.define_tensor(ndims=2)
except TypeError:
    pass
raise SystemExit(3)
"""

TWIN_PROGRAM = """
import pyfuser as pf
fusion = pf.Fusion()
fusion.define_tensor(2)
pf.FusionExecutorCache.cache_limit = 4
print(pf.FusionExecutorCache.cache_limit, pf.DataType.__members__)
print(pf.DataType.Float < pf.DataType.Double, pf.build_info()["threads"])
"""


def nbapi(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stubgen", *args], cwd=cwd, capture_output=True, text=True
    )


def trace(tmp_path: Path, module: str, program: str) -> tuple[int, Path]:
    script = tmp_path / "program.py"
    script.write_text(program)
    calls = tmp_path / "calls.json"
    result = nbapi("trace", "-m", module, "-o", str(calls), "--", sys.executable, str(script))
    assert calls.is_file(), result.stderr
    return result.returncode, calls


def by_callee(calls: Path) -> dict[str, list[Call]]:
    found: dict[str, list[Call]] = {}
    for call in read_calls(calls).calls:
        found.setdefault(call.callee, []).append(call)
    return found


def test_trace_records_each_kind_of_call_of_a_nanobind_module(tmp_path: Path) -> None:
    status, calls = trace(tmp_path, "tinyfuser", DEMO_PROGRAM)
    assert status == 3  # the command's own exit status
    found = by_callee(calls)
    (scalar,) = found["tinyfuser.Fusion.define_scalar"]
    assert (scalar.kind, scalar.args, scalar.kwargs) == (
        "method",
        ["tinyfuser.Fusion", "float"],
        {"dtype": "tinyfuser.DataType"},
    )
    assert scalar.returns == "tinyfuser.Val" and scalar.site.endswith("program.py:6")
    # A submodule the binding made is traced under its public path, not tinyfuser._C.ops.
    assert found["tinyfuser.ops.neg"][0].returns == "tinyfuser.TensorView"
    assert found["tinyfuser.Fusion.inputs"][0].returns == "list[tinyfuser.TensorView]"
    assert found["tinyfuser.Fusion.name"][0].kind == "set"
    assert found["tinyfuser.Fusion.supported_ops"][0].kind == "static"
    # The call the binding refused (a misspelled keyword) is no evidence.
    assert all("ndims" not in c.kwargs for c in found["tinyfuser.Fusion.define_tensor"])
    again = tmp_path / "again"
    again.mkdir()
    assert (
        trace(again, "tinyfuser", DEMO_PROGRAM)[1].read_text().replace(str(again), str(tmp_path))
        == calls.read_text()
    )  # deterministic


def test_trace_records_pybind11_constructors_static_properties_and_operators(
    tmp_path: Path,
) -> None:
    status, calls = trace(tmp_path, "pyfuser", TWIN_PROGRAM)
    assert status == 0
    found = by_callee(calls)
    assert found["pyfuser.Fusion.__init__"][0].kind == "method"
    kinds = {c.kind for c in found["pyfuser.FusionExecutorCache.cache_limit"]}
    assert kinds == {"static-get", "static-set"}
    assert found["pyfuser.DataType.__members__"][0].returns == "dict[str, pyfuser.DataType]"
    assert found["pyfuser.DataType.__lt__"][0].returns == "bool"


@pytest.mark.parametrize(
    ("config", "module", "program", "stubs"),
    [
        ("demo/pyproject.toml", "tinyfuser", DEMO_PROGRAM, "stubs"),
        ("demo/pybind11/pyproject.toml", "pyfuser", TWIN_PROGRAM, "tests/golden/twin-stubs"),
    ],
    ids=["nanobind", "pybind11"],
)
def test_every_traced_call_is_accepted_by_the_stubs(
    tmp_path: Path, config: str, module: str, program: str, stubs: str
) -> None:
    _, calls = trace(tmp_path, module, program)
    result = nbapi("verify", "--config", config, "--stubs", stubs, "--calls", str(calls))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 rejected" in result.stderr


def mutated(tmp_path: Path, source: str, old: str, new: str) -> Path:
    copy = tmp_path / "mutated"
    shutil.copytree(ROOT / source, copy)
    for file in copy.rglob("*.pyi"):
        text = file.read_text()
        file.write_text(text.replace(old, new))
    assert any(new in f.read_text() for f in copy.rglob("*.pyi")), "mutation did not apply"
    return copy


MUTATIONS = {
    # The shapes of issue 29, reverted in the twin's stubs: each must be a rejected call.
    "static property as instance property": (
        "    cache_limit: ClassVar[int] = ...",
        "    @property\n    def cache_limit(self) -> int: ...",
        "VFY014",
    ),
    "enum operator dropped": (
        "    def __lt__(self, other: DataType, /) -> bool: ...\n\n"
        "    def __gt__(self, other: DataType, /) -> bool: ...",
        "    def _dropped(self) -> None: ...",
        "VFY014",
    ),
    "untyped result as object": (
        "def build_info() -> Any:",
        "def build_info() -> object:",
        "VFY015",
    ),
}


@pytest.mark.parametrize(("old", "new", "code"), MUTATIONS.values(), ids=MUTATIONS.keys())
def test_a_stub_that_rejects_a_call_that_ran_is_caught(
    tmp_path: Path, old: str, new: str, code: str
) -> None:
    _, calls = trace(tmp_path, "pyfuser", TWIN_PROGRAM)
    stubs = mutated(tmp_path, "tests/golden/twin-stubs", old, new)
    config = "demo/pybind11/pyproject.toml"
    result = nbapi("verify", "--config", config, "--stubs", str(stubs), "--calls", str(calls))
    assert result.returncode == 1, result.stdout + result.stderr
    assert code in {"VFY014", "VFY015"} and code in result.stdout
    assert "program.py:" in result.stdout


def test_a_wrong_result_type_is_a_finding(tmp_path: Path) -> None:
    _, calls = trace(tmp_path, "tinyfuser", DEMO_PROGRAM)
    stubs = mutated(
        tmp_path,
        "stubs",
        "def neg(x: TensorView, /) -> TensorView:",
        "def neg(x: TensorView, /) -> Val:",
    )
    result = nbapi(
        "verify", "--config", "demo/pyproject.toml", "--stubs", str(stubs), "--calls", str(calls)
    )
    assert result.returncode == 1
    assert (
        "tinyfuser.ops.neg: VFY015 a call that ran returned tinyfuser.TensorView" in result.stdout
    )
    assert "stub at tinyfuser/ops.pyi:" in result.stdout


EXPRESSIONS = {
    "function": (Call("m.f", "function", ["int"], {"x": "str"}), "m.f(a0, x=k_x)"),
    "method": (Call("m.C.g", "method", ["m.C", "int"]), "a0.g(a1)"),
    "static": (Call("m.C.s", "static", ["int"]), "m.C.s(a0)"),
    "classmethod": (Call("m.C.c", "class", ["type[m.C]", "int"]), "m.C.c(a1)"),
    "constructor": (Call("m.C.__init__", "method", ["m.C", "int"]), "m.C(a1)"),
    "operator": (Call("m.C.__add__", "method", ["m.C", "int"]), "a0 + a1"),
    "reflected": (Call("m.C.__rfloordiv__", "method", ["m.C", "int"]), "a1 // a0"),
    "in place": (Call("m.C.__iadd__", "method", ["m.C", "int"]), "a0 += a1"),
    "comparison": (Call("m.C.__lt__", "method", ["m.C", "m.C"]), "a0 < a1"),
    "unary": (Call("m.C.__neg__", "method", ["m.C"]), "-a0"),
    "builtin": (Call("m.C.__len__", "method", ["m.C"]), "len(a0)"),
    "item": (Call("m.C.__setitem__", "method", ["m.C", "int", "float"]), "a0[a1] = a2"),
    "property get": (Call("m.C.p", "get", ["m.C"]), "a0.p"),
    "property set": (Call("m.C.p", "set", ["m.C", "int"]), "a0.p = a1"),
    "class-level get": (Call("m.C.p", "static-get", ["type[m.C]"]), "m.C.p"),
    "class-level set": (Call("m.C.p", "static-set", ["type[m.C]", "int"]), "m.C.p = a1"),
}


@pytest.mark.parametrize(("call", "expected"), EXPRESSIONS.values(), ids=EXPRESSIONS.keys())
def test_a_call_is_written_as_its_program_made_it(call: Call, expected: str) -> None:
    made = call_expression(call)
    assert made is not None and made[0] == expected


def test_a_keyword_that_is_no_identifier_cannot_be_written() -> None:
    assert call_expression(Call("m.f", "function", [], {"not valid": "int"})) is None


@pytest.mark.parametrize(
    "text",
    ["not json", json.dumps({"format": "other"}), json.dumps({"format": "nbapi-calls/1"})],
)
def test_a_file_that_is_no_calls_file_is_a_clear_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "calls.json"
    path.write_text(text)
    with pytest.raises(ToolError):
        read_calls(path)
    result = nbapi("verify", "--config", "demo/pyproject.toml", "--calls", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_trace_without_a_command_or_with_a_missing_one_exits_2(tmp_path: Path) -> None:
    assert nbapi("trace", "-m", "tinyfuser", "-o", str(tmp_path / "c.json")).returncode == 2
    missing = nbapi("trace", "-m", "tinyfuser", "-o", str(tmp_path / "c.json"), "--", "no-such-cmd")
    assert missing.returncode == 2 and "no such command" in missing.stderr


def test_the_environments_own_sitecustomize_still_runs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import os\nos.environ['SEEN_SITE'] = '1'\n")
    script = tmp_path / "p.py"
    script.write_text("import os, tinyfuser\nassert os.environ.get('SEEN_SITE') == '1'\n")
    result = nbapi(
        "trace", "-m", "tinyfuser", "-p", str(site), "-o", str(tmp_path / "c.json"),
        "--", sys.executable, str(script),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Error in sitecustomize" not in result.stderr


def test_a_container_result_is_held_to_its_protocol() -> None:
    assert result_type("dict[str, list[m.C]]") == (
        "collections.abc.Mapping[str, collections.abc.Sequence[m.C]]"
    )
    assert result_type("frozenset[int] | m.list[int]") == "collections.abc.Set[int] | m.list[int]"


HAZARDS_PROGRAM = """
import decimal
import nbhazards
print(nbhazards.pass_through(nbhazards.Leaf()), nbhazards.pass_through(nbhazards.Node()))
print(nbhazards.rms_norm(1.0, scale=2.0, eps=0.5), nbhazards.rms_norm(1.0, None, 2.0, 0.5))
"""
# nanobind's float converts anything with __float__ in its second pass: the call runs.
CONVERTED = "print(nbhazards.rms_norm(decimal.Decimal('2.5'), scale=1.0, eps=0.5))\n"


def test_a_default_before_required_parameters_is_kept(tmp_path: Path) -> None:
    # rms_norm(x, bias=None, scale, eps): the call omitting bias runs; the stub takes it.
    _, calls = trace(tmp_path, "nbhazards", HAZARDS_PROGRAM)
    golden = "tests/golden/stubs"
    kept = nbapi("verify", "nbhazards", "--stubs", golden, "--calls", str(calls))
    # Both shapes match the runtime's signature (no VFY003), and take both calls. (The
    # golden stubs were made without a trace: pass_through's result is VFY015 there.)
    assert "rms_norm" not in kept.stdout and "VFY003" not in kept.stdout, kept.stdout
    tail = "def rms_norm(x: float, bias: float | None = None, *, scale: float, eps: float)"
    stubs = mutated(
        tmp_path,
        golden,
        tail,
        "def rms_norm(x: float, bias: float | None, *, scale: float, eps: float)",
    )
    rejected = nbapi("verify", "nbhazards", "--stubs", str(stubs), "--calls", str(calls))
    assert "nbhazards.rms_norm: VFY014" in rejected.stdout


def test_traced_results_order_the_overloads(tmp_path: Path) -> None:
    # pass_through(Leaf()) runs the Node overload, tried first, and returns the Leaf itself.
    _, calls = trace(tmp_path, "nbhazards", HAZARDS_PROGRAM)
    assert (
        "nanobind: leaked"
        not in nbapi(
            "trace",
            "-m",
            "nbhazards",
            "-o",
            str(tmp_path / "c"),
            "--",
            sys.executable,
            "-c",
            HAZARDS_PROGRAM,
        ).stderr
    )
    plain, ordered = tmp_path / "plain", tmp_path / "ordered"
    assert nbapi("stubs", "nbhazards", "-O", str(plain), "-q").returncode == 0
    result = nbapi("stubs", "nbhazards", "-O", str(ordered), "--calls", str(calls))
    assert result.returncode == 0, result.stderr
    assert "nbhazards.pass_through: STB033 overload 2 written before overload 1" in result.stderr
    text = (ordered / "nbhazards" / "__init__.pyi").read_text()
    assert text.index("def pass_through(node: Leaf) -> Leaf") < text.index(
        "def pass_through(node: Node) -> Node"
    )
    # Without the evidence the stub types the Leaf as a Node: the trace catches it.
    before = nbapi("verify", "nbhazards", "--stubs", str(plain), "--calls", str(calls))
    assert before.returncode == 1 and "pass_through: VFY015" in before.stdout
    after = nbapi("verify", "nbhazards", "--stubs", str(ordered), "--calls", str(calls))
    assert after.returncode == 0, after.stdout  # the order is the evidence's: no VFY010


def test_a_constructor_with_keywords_is_written_as_a_construction() -> None:
    made = call_expression(Call("m.C.__init__", "method", ["m.C", "int"], {"upper": "bool"}))
    assert made == ("m.C(a1, upper=k_upper)", False)


def test_traced_results_the_binding_does_not_declare_widen_the_result() -> None:
    from builders import function, overload, param

    from stubgen.model.api import ApiModel, Class, Module

    self_ = param("self", None)
    get = function(
        "get", overload([self_, param("key")], "m.Base"), kind="method", path="m.Base.get"
    )
    copy = function("copy", overload([self_], "m.Base"), kind="method", path="m.Base.copy")
    base = Class("Base", "m.Base", "m.Base", functions=[get, copy])
    derived = Class("Derived", "m.Derived", "m.Derived", bases=["m.Base"])
    model = ApiModel(module=Module("m", "m", "m", classes=[base, derived]))
    calls = [
        # pikepdf's Object.__getitem__ converts scalars: declared Object, returned int.
        Call("m.Base.get", "method", ["m.Base", "int"], returns="int", site="t.py:1"),
        # A method that hands back its receiver: Self.
        Call("m.Base.copy", "method", ["m.Derived"], returns="m.Derived", site="t.py:2"),
    ]
    stubs = render_stubs(model, calls=calls)
    text = stubs.files["m.pyi"]
    assert "def get(self, key: int) -> Base | int: ..." in text
    assert "def copy(self) -> Self: ..." in text
    codes = sorted((f.path, f.code) for f in stubs.findings if f.code == "STB034")
    assert codes == [("m.Base.copy", "STB034"), ("m.Base.get", "STB034")]


AMONG = {
    "one of a union": ('expression has type "Object | Decimal | int", variable', "int", True),
    "bool of an int union": ('Type "Object | int" is not assignable to declared', "bool", True),
    "a broader single class": ('expression has type "Val", variable has type', "m.TV", False),
    "not in the union": ('expression has type "Object | int", variable', "str", False),
}


@pytest.mark.parametrize(("message", "observed", "among"), AMONG.values(), ids=AMONG.keys())
def test_a_result_among_a_unions_members_is_no_wrong_result(
    message: str, observed: str, among: bool
) -> None:
    assert among_results(message, observed) is among


NAMES = {
    "list iterator": (iter([]), "collections.abc.Iterator[typing.Any]"),
    "dict items": ({}.items(), "collections.abc.ItemsView[typing.Any, typing.Any]"),
    "NotImplemented": (NotImplemented, "types.NotImplementedType"),
    "a builtin": (1.5, "float"),
    "a private module's class by its public path": (OrderedDict(), "collections.OrderedDict"),
    "nothing nameable": (_Local(), "typing.Any"),
}


@pytest.mark.parametrize(("value", "name"), NAMES.values(), ids=NAMES.keys())
def test_the_recorder_names_runtime_types_a_checker_can_read(value: object, name: str) -> None:
    recorder = Recorder("nopackage")
    assert recorder.spell(recorder.describe(value)) == name


def test_a_parameter_that_converted_what_it_was_passed_admits_it(tmp_path: Path) -> None:
    _, calls = trace(tmp_path, "nbhazards", HAZARDS_PROGRAM + CONVERTED)
    plain, widened = tmp_path / "plain", tmp_path / "widened"
    assert nbapi("stubs", "nbhazards", "-O", str(plain), "-q").returncode == 0
    result = nbapi("stubs", "nbhazards", "-O", str(widened), "--calls", str(calls))
    assert "nbhazards.rms_norm: STB035 overload 1 declares parameter 'x' as float" in result.stderr
    text = (widened / "nbhazards" / "__init__.pyi").read_text()
    assert "def rms_norm(x: float | decimal.Decimal, bias: float | None = None, *," in text
    assert "import decimal" in text
    # Only the parameter that converted widens, in both shapes of rms_norm.
    assert text.count("decimal.Decimal") == 2
    before = nbapi("verify", "nbhazards", "--stubs", str(plain), "--calls", str(calls))
    assert "nbhazards.rms_norm: VFY014" in before.stdout and "Decimal" in before.stdout
    after = nbapi("verify", "nbhazards", "--stubs", str(widened), "--calls", str(calls))
    assert after.returncode == 0, after.stdout


def test_mypys_reading_of_dunder_keywords_is_no_rejection(tmp_path: Path) -> None:
    program = "import pyfuser as pf\np = pf.SchedulerParams()\nprint(p.__eq__(other=p))\n"
    _, calls = trace(tmp_path, "pyfuser", program)
    config = "demo/pybind11/pyproject.toml"
    stubs = "tests/golden/twin-stubs"
    result = nbapi("verify", "--config", config, "--stubs", stubs, "--calls", str(calls))
    assert "pyfuser.SchedulerParams.__eq__: VFY016" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0 and ", 0 rejected" in result.stderr


EIGEN_PROGRAM = """
import numpy as np
import pyfuser as pf
matrix = np.ones((2, 2))
pf.scale_in_place(matrix, 2.0)
print(pf.unit([3.0, 0.0, 4.0]), matrix)
"""


def test_eigen_shape_strings_are_metadata_not_types(tmp_path: Path) -> None:
    # pybind11's Eigen caster: Annotated[NDArray[float64], "[m, n]", "flags.writeable"].
    _, calls = trace(tmp_path, "pyfuser", EIGEN_PROGRAM)
    config = "demo/pybind11/pyproject.toml"
    golden = "tests/golden/twin-stubs"
    result = nbapi("verify", "--config", config, "--stubs", golden, "--calls", str(calls))
    assert result.returncode == 0, result.stdout
    # The shape read as a type: "flags.writeable" was an import of a module named flags.
    written = '"[m, n]", "flags.writeable"]'
    stubs = mutated(tmp_path, golden, written, "Any, flags.writeable]")
    for file in stubs.rglob("__init__.pyi"):
        file.write_text(file.read_text().replace("import numpy\n", "import flags\nimport numpy\n"))
    broken = nbapi("verify", "--config", config, "--stubs", str(stubs), "--calls", str(calls))
    assert broken.returncode == 1
    assert "pyfuser: VFY017 the stubs do not type-check" in broken.stdout
    assert 'module named "flags"' in broken.stdout


def test_a_value_another_host_sets_is_typed_from_the_source(tmp_path: Path) -> None:
    # DEVICE_PROPERTIES is None here and a dict where the hardware is (NBHAZARDS_DEVICE
    # stands for that host): the stub types it from what the source assigns.
    golden = "tests/golden/stubs"
    text = (ROOT / golden / "nbhazards" / "shapes.pyi").read_text()
    assert "DEVICE_PROPERTIES: dict[str, int] | None\n" in text
    script = tmp_path / "program.py"
    script.write_text("import nbhazards.shapes as s\nprint(s.DEVICE_PROPERTIES)\n")
    calls = tmp_path / "calls.json"
    env = {**os.environ, "NBHAZARDS_DEVICE": "1"}
    command = ["trace", "-m", "nbhazards", "-o", str(calls), "--", sys.executable, str(script)]
    done = subprocess.run(
        [sys.executable, "-m", "stubgen", *command], cwd=ROOT, env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    (value,) = [c for c in read_calls(calls).calls if c.callee.endswith("DEVICE_PROPERTIES")]
    assert (value.kind, value.returns) == ("value", "dict[str, int]")
    kept = nbapi("verify", "nbhazards", "--stubs", golden, "--calls", str(calls))
    assert "DEVICE_PROPERTIES" not in kept.stdout, kept.stdout
    # Reverted: the value this host has (None) frozen into the stub.
    stubs = mutated(
        tmp_path, golden, "DEVICE_PROPERTIES: dict[str, int] | None", "DEVICE_PROPERTIES: None"
    )
    frozen = nbapi("verify", "nbhazards", "--stubs", str(stubs), "--calls", str(calls))
    assert "nbhazards.shapes.DEVICE_PROPERTIES: VFY015" in frozen.stdout


SHAPES_PROGRAM = """
import nbhazards
registry = nbhazards.Registry()
print(registry.size, registry.property("name"), nbhazards.head_of([4, 5]))
"""
# Each shape's fix reverted in the golden stubs: the calls that ran catch it.
HAZARD_MUTATIONS = {
    # 7: a member named property hides the decorator of the properties after it.
    "decorator hidden by a member": (
        "    @builtins.property\n    def size(self) -> int:",
        "    @property\n    def size(self) -> int:",
        "nbhazards.Registry.size: VFY015",
    ),
    # 12: a TypeVar's PEP 696 default dropped (no call shows it; verify compares it).
    "type parameter default dropped": (
        'Scale = _TypeVar("Scale", bound=float, default=int)',
        'Scale = _TypeVar("Scale", bound=float)',
        "nbhazards.shapes.Scale: VFY018",
    ),
    # 9: an unbound template keeps its type arguments, Any[int], which raises at runtime
    # and which neither checker reports: verify does.
    "type arguments on Any": (
        "def head_of(values: Any) -> int: ...",
        "def head_of(values: Any[int]) -> int: ...",
        "nbhazards: VFY017 the stubs do not type-check, so calls through them go unchecked:"
        " python reports nbhazards/__init__.pyi",
    ),
}


@pytest.mark.parametrize(
    ("old", "new", "caught"), HAZARD_MUTATIONS.values(), ids=HAZARD_MUTATIONS.keys()
)
def test_a_reverted_hazard_shape_is_caught(tmp_path: Path, old: str, new: str, caught: str) -> None:
    # Caught as a wrong result (VFY015), an error in the stubs (VFY017) or a type
    # parameter's lost default (VFY018), each named in the table.
    _, calls = trace(tmp_path, "nbhazards", SHAPES_PROGRAM)
    golden = "tests/golden/stubs"
    kept = nbapi("verify", "nbhazards", "--stubs", golden, "--calls", str(calls))
    assert "VFY01" not in kept.stdout.replace("VFY015 a call that ran returned", ""), kept.stdout
    stubs = mutated(tmp_path, golden, old, new)
    reverted = nbapi("verify", "nbhazards", "--stubs", str(stubs), "--calls", str(calls))
    assert reverted.returncode == 1 and caught in reverted.stdout, reverted.stdout


def test_none_for_a_callable_of_another_module_is_admitted(tmp_path: Path) -> None:
    # 8: pybind11 writes "cb: Callable[[], None] = None"; the None default widens it.
    program = "import pyfuser as pf\npf.on_done(None)\npf.on_done()\n"
    _, calls = trace(tmp_path, "pyfuser", program)
    config = "demo/pybind11/pyproject.toml"
    golden = "tests/golden/twin-stubs"
    kept = nbapi("verify", "--config", config, "--stubs", golden, "--calls", str(calls))
    assert kept.returncode == 0, kept.stdout
    stubs = mutated(
        tmp_path,
        golden,
        "def on_done(cb: Callable[[], None] | None = None)",
        "def on_done(cb: Callable[[], None] = None)",
    )
    reverted = nbapi("verify", "--config", config, "--stubs", str(stubs), "--calls", str(calls))
    assert "pyfuser.on_done: VFY014" in reverted.stdout, reverted.stdout
