"""check: user code against the stubs and the runtime; docstring Examples run and type-checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stubgen.check.cases import (
    Example,
    check_cases,
    check_examples,
    collect_cases,
    collect_examples,
)
from stubgen.check.mypy_pass import parse_mypy_output
from stubgen.cli import main
from stubgen.errors import ToolError
from stubgen.model.api import ApiModel

pytestmark = pytest.mark.extension  # every test here runs a built extension

ROOT = Path(__file__).parent.parent
CHECKS = ROOT / "checks"
STUBS = ROOT / "stubs"


def failing(results: list) -> dict[str, list[str]]:  # type: ignore[type-arg]
    return {r.name: r.problems for r in results if not r.passed}


@pytest.fixture
def stub_copy(tmp_path: Path) -> Path:
    shutil.copytree(STUBS, tmp_path / "stubs")
    return tmp_path / "stubs"


def mutate(stubs: Path, old: str, new: str) -> None:
    init = stubs / "tinyfuser" / "__init__.pyi"
    text = init.read_text()
    assert old in text, "the mutation no longer matches the committed stubs"
    init.write_text(text.replace(old, new, 1))


def test_demo_checks_are_numerous_and_pass() -> None:
    cases = collect_cases(CHECKS)
    must_fail = sum(
        1
        for c in cases
        if "type: ignore[" in "".join(c.file.read_text().splitlines(True)[c.start - 1 : c.end])
    )
    assert len(cases) - must_fail >= 15 and must_fail >= 8
    assert failing(check_cases(cases, STUBS, [])) == {}


def test_renamed_parameter_fails_specific_cases(stub_copy: Path) -> None:
    mutate(stub_copy, "def define_tensor(self, ndim: int,", "def define_tensor(self, ndims: int,")
    failed = failing(check_cases(collect_cases(CHECKS), stub_copy, []))
    assert "check_fusion.py::case_misspelled_keyword" in failed  # must-fail no longer fails
    assert any("unused" in p.lower() for p in failed["check_fusion.py::case_misspelled_keyword"])
    assert "check_fusion.py::case_define_inputs_by_keyword" in failed  # pass case breaks


def test_return_type_turned_into_any_fails_must_fail_case(stub_copy: Path) -> None:
    mutate(stub_copy, "def num_outputs(self) -> int:", "def num_outputs(self) -> Any:")
    failed = failing(check_cases(collect_cases(CHECKS), stub_copy, []))
    assert "check_fusion.py::case_wrong_return_use" in failed
    assert "check_fusion.py::case_outputs_and_properties" in failed  # assert_type(..., int)


def test_demo_examples_pass(demo_model: ApiModel) -> None:
    examples = collect_examples(demo_model)
    assert len(examples) >= 10
    assert failing(check_examples(examples, STUBS, [])) == {}


def test_broken_example_is_reported_with_object_and_line() -> None:
    examples = [
        Example(
            "tinyfuser.get_num_threads",
            ">>> import tinyfuser as tf\n>>> tf.get_num_threads() + 1\n7\n",
        ),
        Example(
            "tinyfuser.set_num_threads", ">>> import tinyfuser as tf\n>>> tf.set_num_threads('2')\n"
        ),
    ]
    failed = failing(check_examples(examples, STUBS, []))
    (problem,) = failed["tinyfuser.get_num_threads"]
    assert problem.startswith("runtime, Examples line 2: 'tf.get_num_threads() + 1' gave '")
    assert problem.endswith("expected '7'")
    problems = failed["tinyfuser.set_num_threads"]
    assert any(p.startswith("mypy, Examples line 2:") and "arg-type" in p for p in problems)
    assert any(p.startswith("runtime, Examples line 2:") and "TypeError" in p for p in problems)


@pytest.mark.parametrize(
    "colour", [None, "1", "0"], ids=["plain", "FORCE_COLOR=1", "FORCE_COLOR=0"]
)
def test_check_verb_exit_codes(
    stub_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    colour: str | None,
) -> None:
    # A CI that forces coloured output must not make mypy's errors unreadable (and pass).
    if colour is not None:
        monkeypatch.setenv("FORCE_COLOR", colour)
    assert main(["check", "tinyfuser", "--stubs", str(stub_copy), "--no-examples"]) == 0
    mutate(stub_copy, "def num_outputs(self) -> int:", "def num_outputs(self) -> Any:")
    assert main(["check", "tinyfuser", "--stubs", str(stub_copy), "--no-examples"]) == 1
    assert "FAIL  case    check_fusion.py::case_wrong_return_use" in capsys.readouterr().out
    assert main(["check", "tinyfuser", "--checks", str(tmp_path / "none")]) == 2


def test_a_failed_mypy_run_that_cannot_be_read_is_an_error() -> None:
    line = 'pkg/x.py:3: error: Name "y" is not defined  [name-defined]'
    assert parse_mypy_output(line, 1) == [
        ("pkg/x.py", 3, 'Name "y" is not defined', "name-defined")
    ]
    assert parse_mypy_output("", 0) == []
    with pytest.raises(ToolError, match=r"exit code 2.*unrecognized arguments"):
        parse_mypy_output("", 2, "mypy: error: unrecognized arguments: --bad")
    with pytest.raises(ToolError, match="exit code 1"):
        parse_mypy_output("\x1b[1mpkg/x.py:3: error\x1b[0m", 1)
