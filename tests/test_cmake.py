"""The CMake helper: nbapi_add_stub() takes nanobind_add_stub()'s arguments.

The wheel built through it at install time is tested in test_integrations.py; here a small
project calls it at build time, and a wrong call fails at configure time with its reason.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stubgen.cli import CMAKE_DIR

pytestmark = [
    pytest.mark.extension,
    pytest.mark.skipif(shutil.which("cmake") is None, reason="needs cmake"),
]

PROJECT = """cmake_minimum_required(VERSION 3.18)
project(stubs_only NONE)
set(nbapi_DIR "{cmake_dir}")
find_package(nbapi CONFIG REQUIRED)
nbapi_add_stub({call})
"""


def _configure(tmp_path: Path, call: str) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "src"
    source.mkdir()
    text = PROJECT.format(cmake_dir=CMAKE_DIR.as_posix(), call=call)
    (source / "CMakeLists.txt").write_text(text)
    command = ["cmake", "-S", str(source), "-B", str(tmp_path / "build")]
    command.append(f"-DPython_EXECUTABLE={sys.executable}")
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_a_nanobind_add_stub_call_builds_the_stub(tmp_path: Path) -> None:
    call = (
        "tinyfuser_stub MODULE tinyfuser OUTPUT tinyfuser.pyi MARKER_FILE py.typed"
        " EXCLUDE_DOCSTRINGS EXCLUDE_VALUES"
    )
    configured = _configure(tmp_path, call)
    assert configured.returncode == 0, configured.stderr
    built = subprocess.run(
        ["cmake", "--build", str(tmp_path / "build")], capture_output=True, text=True, check=False
    )
    assert built.returncode == 0, built.stdout + built.stderr
    stub = (tmp_path / "build" / "tinyfuser.pyi").read_text()
    assert "class Fusion" in stub and '"""' not in stub  # EXCLUDE_DOCSTRINGS
    assert "MAX_DIMS: int\n" in stub  # EXCLUDE_VALUES
    assert (tmp_path / "build" / "ops.pyi").is_file()  # submodules go beside it
    assert (tmp_path / "build" / "py.typed").is_file()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("s OUTPUT x.pyi", "a MODULE argument must be given"),
        ("s MODULE tinyfuser", "an OUTPUT argument must be given"),
        ("s MODULE tinyfuser OUTPUT a.pyi OUTPUT_PATH out", "go together only with RECURSIVE"),
        ("s NO_SUCH_OPTION MODULE tinyfuser OUTPUT x.pyi", "unknown arguments: NO_SUCH_OPTION"),
    ],
)
def test_a_wrong_call_fails_at_configure_time(tmp_path: Path, call: str, message: str) -> None:
    configured = _configure(tmp_path, call)
    assert configured.returncode != 0
    assert message in " ".join(configured.stderr.split())
