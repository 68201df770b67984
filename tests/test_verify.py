"""verify: mismatches between stubs and the live module are each reported.

Two tables: edits planted in the demo's committed stubs, and faults injected into a correct
model before rendering (the mutation test): verify reads the runtime apart from the model, so
it catches an error the model already carries.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from conftest import DEMO_CONFIG, find

from stubgen.cli import main
from stubgen.files.writes import write_tree
from stubgen.model.api import ApiModel, Class, Function, Overload
from stubgen.stubs import render_stubs
from stubgen.verify import curation_of, read_runtime, scope_from_model, verify_stubs
from stubgen.verify.facts import Member, RuntimeOverload, RuntimeParam, Scope

COMMITTED = Path(__file__).parent.parent / "stubs"


@dataclass
class Case:
    file: str
    old: str
    new: str
    expected: list[tuple[str, str]]


CASES = {
    "renamed parameter": Case(
        "__init__.pyi",
        "def set_num_threads(n: int)",
        "def set_num_threads(count: int)",
        [("tinyfuser.set_num_threads", "VFY004")],
    ),
    "keyword made positional-only": Case(
        "__init__.pyi",
        "def set_num_threads(n: int)",
        "def set_num_threads(n: int, /)",
        [("tinyfuser.set_num_threads", "VFY005")],
    ),
    "default added": Case(
        "__init__.pyi",
        "def set_num_threads(n: int)",
        "def set_num_threads(n: int = 1)",
        [("tinyfuser.set_num_threads", "VFY006")],
    ),
    "default removed": Case(
        "__init__.pyi",
        "kind: ParallelType = ParallelType.Serial",
        "kind: ParallelType",
        [("tinyfuser.TensorView.parallelize", "VFY006")],
    ),
    "overload removed": Case(
        "ops.pyi",
        "@overload\ndef relu(arg: float, /) -> float: ...\n",
        "",
        [("tinyfuser.ops.relu", "VFY003")],
    ),
    "function missing": Case(
        "__init__.pyi",
        "def get_num_threads() -> int:",
        "def get_num_threadz() -> int:",
        [("tinyfuser.get_num_threads", "VFY001"), ("tinyfuser.get_num_threadz", "VFY002")],
    ),
    "method turned into a property": Case(
        "__init__.pyi",
        "    def print_math(self) -> str:",
        "    @property\n    def print_math(self) -> str:",
        [("tinyfuser.Fusion.print_math", "VFY007")],
    ),
    "extra class": Case(
        "ops.pyi",
        "from typing import overload\n",
        "from typing import overload\nclass Ghost: ...\n",
        [("tinyfuser.ops.Ghost", "VFY002")],
    ),
    "unparsable stub": Case("ops.pyi", "def abs(", "def abs((", [("tinyfuser.ops", "VFY008")]),
}


@pytest.fixture
def stub_copy(tmp_path: Path) -> Path:
    shutil.copytree(COMMITTED, tmp_path / "stubs")
    return tmp_path / "stubs"


@pytest.fixture(scope="module")
def demo_runtime() -> Scope:
    return read_runtime("tinyfuser")


@pytest.fixture(scope="module")
def hazards_runtime() -> Scope:
    return read_runtime("nbhazards")


@pytest.mark.extension
def test_committed_stubs_verify_clean(shipped_model: ApiModel, demo_runtime: Scope) -> None:
    assert verify_stubs(demo_runtime, COMMITTED, curation_of(shipped_model)) == []
    # Without a runtime (a recorded model), the stubs are compared with the model.
    assert (
        verify_stubs(scope_from_model(shipped_model), COMMITTED, curation_of(shipped_model)) == []
    )


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_planted_mismatch_is_reported(
    shipped_model: ApiModel, demo_runtime: Scope, stub_copy: Path, case: Case
) -> None:
    path = stub_copy / "tinyfuser" / case.file
    text = path.read_text()
    assert case.old in text, "the case no longer matches the committed stubs"
    path.write_text(text.replace(case.old, case.new, 1))
    found = verify_stubs(demo_runtime, stub_copy, curation_of(shipped_model))
    assert [(f.path, f.code) for f in found] == case.expected


def _fn(model: ApiModel, path: str) -> Function:
    found = find(model.module, path)
    assert isinstance(found, Function)
    return found


def _cls(model: ApiModel, path: str) -> Class:
    found = find(model.module, path)
    assert isinstance(found, Class)
    return found


def _drop_parameter(model: ApiModel) -> None:
    _fn(model, "nbhazards.copy_range").overloads[0].parameters.pop()


def _no_parameters(model: ApiModel) -> None:
    # What an unreadable signature once became: a function that takes nothing.
    _fn(model, "nbhazards.run").overloads = [Overload(signature="def run()")]


def _reorder_overloads(model: ApiModel) -> None:
    _fn(model, "nbhazards.classify").overloads.reverse()


def _drop_overload(model: ApiModel) -> None:
    _fn(model, "nbhazards.shadow").overloads.pop()


def _rename_enum_member(model: ApiModel) -> None:
    _cls(model, "nbhazards.Mode").members[-1].name = "Quick"


def _change_enum_value(model: ApiModel) -> None:
    _cls(model, "nbhazards.Item").members[-1].value = "7"


def _lose_property(model: ApiModel) -> None:
    _cls(model, "nbhazards.Widget").properties.clear()


def _change_default(model: ApiModel) -> None:
    scale = _fn(model, "nbhazards.run").overloads[0].parameters[-1]
    scale.default = scale.default_repr = "0.25"


def _remove_default(model: ApiModel) -> None:
    _fn(model, "nbhazards.run").overloads[0].parameters[-1].has_default = False


def _positional_only(model: ApiModel) -> None:
    for p in _fn(model, "nbhazards.copy_range").overloads[0].parameters:
        p.kind = "positional_only"


def _alias_as_copy(model: ApiModel) -> None:
    base = _cls(model, "nbhazards.Base")
    del base.aliases["lt_alias"]
    lt = next(f for f in base.functions if f.name == "__lt__")
    base.functions.append(replace(lt, name="lt_alias", path="nbhazards.Base.lt_alias"))


def _drop_function(model: ApiModel) -> None:
    model.module.functions = [f for f in model.module.functions if f.name != "pick"]


def _drop_class(model: ApiModel) -> None:
    model.module.classes = [c for c in model.module.classes if c.name != "Orphan"]


MUTATIONS: dict[str, tuple[Callable[[ApiModel], None], list[tuple[str, str]]]] = {
    "drop a parameter": (_drop_parameter, [("nbhazards.copy_range", "VFY004")]),
    "a function that takes nothing": (_no_parameters, [("nbhazards.run", "VFY004")]),
    "reorder overloads": (_reorder_overloads, [("nbhazards.classify", "VFY010")]),
    "drop an overload": (_drop_overload, [("nbhazards.shadow", "VFY003")]),
    "rename an enum member": (_rename_enum_member, [("nbhazards.Mode.Fast", "VFY001")]),
    "change an enum value": (_change_enum_value, [("nbhazards.Item.other", "VFY012")]),
    "lose a property": (_lose_property, [("nbhazards.Widget.count", "VFY001")]),
    "change a default": (_change_default, [("nbhazards.run", "VFY011")]),
    # A default before a required parameter then: the stub writes two shapes (STB008), the
    # module has one overload.
    "remove a default": (_remove_default, [("nbhazards.run", "VFY003")]),
    "keywords made positional-only": (
        _positional_only,
        [("nbhazards.copy_range", "VFY005")],  # 'from' is positional-only in stubs anyway
    ),
    "an alias written as a copy": (_alias_as_copy, [("nbhazards.Base.lt_alias", "VFY013")]),
    "drop a function": (_drop_function, [("nbhazards.pick", "VFY001")]),
    "drop a class": (_drop_class, [("nbhazards.Orphan", "VFY001")]),
}


def _verify_rendered(model: ApiModel, runtime: Scope, out: Path) -> list[tuple[str, str]]:
    write_tree(out, render_stubs(model).files)
    return [(f.path, f.code) for f in verify_stubs(runtime, out, curation_of(model))]


@pytest.mark.extension
def test_a_correct_model_verifies_clean(
    hazards_model: ApiModel, hazards_runtime: Scope, tmp_path: Path
) -> None:
    assert _verify_rendered(hazards_model, hazards_runtime, tmp_path) == []


@pytest.mark.extension
@pytest.mark.parametrize("name", MUTATIONS)
def test_every_injected_fault_is_caught(
    hazards_model: ApiModel, hazards_runtime: Scope, tmp_path: Path, name: str
) -> None:
    mutate, expected = MUTATIONS[name]
    model = copy.deepcopy(hazards_model)
    mutate(model)
    assert _verify_rendered(model, hazards_runtime, tmp_path) == expected


@pytest.mark.extension
def test_verify_cli_exit_codes(stub_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo = ["--config", str(DEMO_CONFIG)]  # the demo's pattern file shaped the stubs
    assert main(["verify", "tinyfuser", *demo, "--stubs", str(stub_copy)]) == 0
    (stub_copy / "tinyfuser" / "ops.pyi").unlink()
    assert main(["verify", "tinyfuser", *demo, "--stubs", str(stub_copy)]) == 1
    assert "tinyfuser.ops: VFY001" in capsys.readouterr().out
    assert main(["verify", "tinyfuser", *demo, "--stubs", str(stub_copy / "nowhere")]) == 2


@pytest.mark.extension
def test_twin_stubs_verify_clean_and_an_unknown_signature_needs_a_catch_all(
    twin_model: ApiModel, tmp_path: Path
) -> None:
    write_tree(tmp_path, render_stubs(twin_model).files)
    assert verify_stubs(read_runtime("pyfuser"), tmp_path) == []
    # Without the probe, the twin's `direct` functions declare no signature: stubs written
    # with the probe's signatures are then narrower than anything the runtime states.
    blind = verify_stubs(read_runtime("pyfuser", probe=False), tmp_path)
    assert blind and {f.code for f in blind} == {"VFY009"}
    assert all(f.path.startswith("pyfuser.direct.") for f in blind)


def test_overloads_told_apart_only_by_a_class_alias_are_one(tmp_path: Path) -> None:
    # mitsuba: __setitem__(key, value: Color3f) and (key, value: Spectrum), Spectrum being
    # Color3f in the selected variant; the stub writes the class once (STB009).
    def overload(annotation: str) -> RuntimeOverload:
        params = [RuntimeParam("key", "positional_only"), RuntimeParam("value", "positional_only")]
        return RuntimeOverload(params=params, annotations=["str", annotation])

    runtime = Scope("m")
    runtime.members["Color"] = Member("class", scope=Scope("m.Color"))
    runtime.members["Spectrum"] = Member("class", target="m.Color")
    runtime.members["put"] = Member(
        "function", overloads=[overload("m.Color"), overload("m.Spectrum"), overload("int")]
    )
    stub = (
        "from typing import overload\n\nclass Color: ...\n\nSpectrum = Color\n\n"
        "@overload\ndef put(key: str, value: Color, /) -> None: ...\n"
        "@overload\ndef put(key: str, value: int, /) -> None: ...\n"
    )
    (tmp_path / "m.pyi").write_text(stub)
    assert verify_stubs(runtime, tmp_path) == []
    runtime.members["Spectrum"] = Member("class", scope=Scope("m.Spectrum"))  # another class
    runtime.members["put"].overloads[1] = overload("m.Spectrum")
    assert [f.code for f in verify_stubs(runtime, tmp_path)] == ["VFY003"]
