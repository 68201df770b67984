"""verify: planted mismatches between stubs and the live module are each reported."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DEMO_CONFIG

from stubgen.cli import main
from stubgen.model.api import ApiModel
from stubgen.verify.compare import verify_stubs

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


def test_committed_stubs_verify_clean(shipped_model: ApiModel) -> None:
    assert verify_stubs(shipped_model, COMMITTED) == []


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_planted_mismatch_is_reported(shipped_model: ApiModel, stub_copy: Path, case: Case) -> None:
    path = stub_copy / "tinyfuser" / case.file
    text = path.read_text()
    assert case.old in text, "the case no longer matches the committed stubs"
    path.write_text(text.replace(case.old, case.new, 1))
    found = [(f.path, f.code) for f in verify_stubs(shipped_model, stub_copy)]
    assert found == case.expected


@pytest.mark.extension
def test_verify_cli_exit_codes(stub_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo = ["--config", str(DEMO_CONFIG)]  # the demo's pattern file shaped the stubs
    assert main(["verify", "tinyfuser", *demo, "--stubs", str(stub_copy)]) == 0
    (stub_copy / "tinyfuser" / "ops.pyi").unlink()
    assert main(["verify", "tinyfuser", *demo, "--stubs", str(stub_copy)]) == 1
    assert "tinyfuser.ops: VFY001" in capsys.readouterr().out
    assert main(["verify", "tinyfuser", *demo, "--stubs", str(stub_copy / "nowhere")]) == 2
