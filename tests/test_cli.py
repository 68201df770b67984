"""The command line: verbs, outputs, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stubgen.cli import main
from stubgen.model.api import SCHEMA_VERSION


@pytest.mark.extension
def test_model_json_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["model", "tinyfuser"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["module"]["path"] == "tinyfuser"
    assert [s["path"] for s in data["module"]["submodules"]] == [
        "tinyfuser.ops",
        "tinyfuser.targets",
    ]


@pytest.mark.extension
def test_model_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "sub" / "model.json"
    assert main(["model", "tinyfuser", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text())["schema_version"] == SCHEMA_VERSION
    assert [p.name for p in target.parent.iterdir()] == ["model.json"]


@pytest.mark.extension
def test_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["model", "tinyfuser", "--summary"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "tinyfuser"
    # 42 as bound; the demo's pattern file (this folder's [tool.nbapi]) names 6, removes 1.
    assert "unnamed args   35 overloads" in out
    assert "nb::sig        5 overloads" in out


@pytest.mark.parametrize(
    "argv",
    [[], ["nosuchverb", "tinyfuser"], ["model"], ["model", "tinyfuser", "--timeout", "x"]],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert main(argv) == 2


def test_unwritable_output_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], built: None
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["model", "tinyfuser", "-o", str(blocker / "model.json")]) == 2
    # The output the user chose is named, not a temporary file beside it.
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith(f"nbapi: error: cannot write {blocker / 'model.json'}: ")
    assert ".tmp" not in last


def test_python_dash_m_and_console_script() -> None:
    for command in (
        [sys.executable, "-m", "stubgen", "--help"],
        [str(Path(sys.executable).parent / "nbapi"), "--help"],
    ):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0 and "model" in result.stdout


def test_format_names_match_the_renderers() -> None:
    from stubgen.cli import FORMAT_NAMES
    from stubgen.coverage.report import FORMATS

    assert sorted(FORMAT_NAMES) == sorted(FORMATS)


@pytest.mark.parametrize("verb", ["model", "coverage", "docs", "verify", "check", "diff", "all"])
def test_the_import_path_flag_is_i_on_every_verb(verb: str) -> None:
    # -i/--path everywhere, as nanobind.stubgen's -i; -p still the path outside 'stubs'.
    from stubgen.cli import build_parser

    parser = build_parser()
    for flag in ("-i", "-p", "--path"):
        args = parser.parse_args([verb, flag, "somewhere"])
        assert args.path == ["somewhere"], (verb, flag)
    stubs = parser.parse_args(["stubs", "-i", "somewhere", "-p", "patterns.txt"])
    assert stubs.path == ["somewhere"] and [str(p) for p in stubs.pattern_file] == ["patterns.txt"]
