"""nanobind.stubgen's command line on the stubs verb: each flag and its effect.

A user who swaps ``python -m nanobind.stubgen`` for ``nbapi stubs`` keeps the arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stubgen.cli import main

ROOT = Path(__file__).parent.parent
PATTERNS = ROOT / "demo" / "tinyfuser.pat"
Effect = Callable[[Path], bool]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


FLAGS: dict[str, tuple[list[str], Effect]] = {
    "-m MODULE": (
        ["-m", "tinyfuser", "-O", "out"],
        lambda t: (t / "out/tinyfuser/ops.pyi").is_file(),
    ),
    "-O DIR": (["tinyfuser", "-O", "out"], lambda t: (t / "out/tinyfuser/__init__.pyi").is_file()),
    "-o FILE.pyi": (
        ["-m", "tinyfuser", "-o", "single/tinyfuser.pyi"],
        lambda t: (
            "class Fusion" in _text(t / "single/tinyfuser.pyi") and (t / "single/ops.pyi").is_file()
        ),
    ),
    "-o DIR (nbapi's)": (
        ["tinyfuser", "-o", "out"],
        lambda t: (t / "out/tinyfuser/ops.pyi").is_file(),
    ),
    "-i PATH": (["tinyfuser", "-i", ".", "-O", "out"], lambda t: (t / "out/tinyfuser").is_dir()),
    "-r": (["tinyfuser", "-r", "-O", "out"], lambda t: (t / "out/tinyfuser/ops.pyi").is_file()),
    "-M FILE": (
        ["tinyfuser", "-O", "out", "-M", "marker/py.typed"],
        lambda t: (t / "marker/py.typed").is_file(),
    ),
    "-p PATTERN_FILE": (
        ["tinyfuser", "-O", "out", "-p", str(PATTERNS)],
        lambda t: "def debug_dump" not in _text(t / "out/tinyfuser/__init__.pyi"),
    ),
    "-D": (
        ["tinyfuser", "-O", "out", "-D"],
        lambda t: '"""' not in _text(t / "out/tinyfuser/ops.pyi"),
    ),
    "--exclude-values": (
        ["tinyfuser", "-O", "out", "--exclude-values"],
        lambda t: (
            "MAX_DIMS: int\\n" in _text(t / "out/tinyfuser/__init__.pyi").replace("\n", "\\n")
        ),
    ),
    "-q": (["tinyfuser", "-O", "out", "-q"], lambda t: (t / "out/tinyfuser/ops.pyi").is_file()),
    "-P": (
        ["nbhazards", "-O", "out", "-P"],
        lambda t: "    def _reset(self) -> None: ..." in _text(t / "out/nbhazards/__init__.pyi"),
    ),
    "without -P": (
        ["nbhazards", "-O", "out"],
        lambda t: "_reset" not in _text(t / "out/nbhazards/__init__.pyi"),
    ),
}


@pytest.mark.extension
@pytest.mark.parametrize(("argv", "effect"), FLAGS.values(), ids=FLAGS.keys())
def test_flag(
    argv: list[str], effect: Effect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.nbapi]\n")
    assert main(["stubs", *argv]) == 0
    assert effect(tmp_path)


@pytest.mark.extension
def test_quiet_prints_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.nbapi]\n")
    assert main(["stubs", "tinyfuser", "-O", "out", "-q"]) == 0
    assert capsys.readouterr().err == ""
