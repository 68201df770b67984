"""Ctrl-C and SIGTERM in the middle of a stage: exit 130, nothing left running or half-written.

Each test runs the real command in a session of its own, as a shell's background job, and
signals its whole process group while the stage works (the models are big enough for the
stage to last several seconds on two cores).
"""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stubgen.model.json_io import model_to_json

BENCH = Path(__file__).parent.parent / "bench"


def _synthetic_model(path: Path, overloads: int, modules: int) -> Path:
    sys.path.insert(0, str(BENCH))
    try:
        from synthetic_api import make_model
    finally:
        sys.path.remove(str(BENCH))
    path.write_text(model_to_json(make_model(overloads, modules), compact=True))
    return path


def _interrupt(args: list[str], tmp: Path, after: float, signum: int) -> tuple[int, str]:
    """Run ``nbapi ARGS``, signal its process group ``after`` seconds in; return exit, stderr."""
    env = dict(os.environ, TMPDIR=str(tmp))
    process = subprocess.Popen(
        [sys.executable, "-m", "stubgen", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(after)
    assert process.poll() is None, "the stage ended before the signal: make the model bigger"
    os.killpg(process.pid, signum)
    _, err = process.communicate(timeout=60)
    time.sleep(0.5)
    return process.returncode, err


def _nothing_left(tmp: Path, pattern: str) -> None:
    left = subprocess.run(["pgrep", "-f", pattern], capture_output=True, check=False)
    assert left.stdout == b"", "a process of the run is still running"
    assert list(tmp.iterdir()) == [], "a temporary file or folder was left behind"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_during_stubs_leaves_whole_files(tmp_path: Path, signum: int) -> None:
    model = _synthetic_model(tmp_path / "big.json", 60_000, 20)
    out = tmp_path / "out"
    old = out / "scalepkg" / "__init__.pyi"
    old.parent.mkdir(parents=True)
    old.write_text("# the previous run's stub\n")
    temp = tmp_path / "tmp"
    temp.mkdir()
    code, err = _interrupt(["stubs", "--model", str(model), "-O", str(out)], temp, 2.0, signum)
    assert code == 130, err
    assert err.strip().splitlines()[-1] == "nbapi: interrupted"
    _nothing_left(temp, str(model))
    for file in out.rglob("*"):
        assert not file.name.endswith(".tmp"), f"a half-written file is left: {file}"
        if file.suffix == ".pyi":
            ast.parse(file.read_text())  # each stub is the old one or a whole new one


@pytest.mark.slow
def test_an_interrupt_during_docs_keeps_the_published_site(tmp_path: Path) -> None:
    model = _synthetic_model(tmp_path / "mid.json", 1_500, 3)
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<p>the published site</p>\n")
    temp = tmp_path / "tmp"
    temp.mkdir()
    args = ["docs", "--model", str(model), "-o", str(out), "--source", str(tmp_path / "src")]
    code, err = _interrupt(args, temp, 4.0, signal.SIGINT)
    assert code == 130, err
    # Sphinx catches the interrupt and says "Interrupted!": the run still reports it as such.
    assert err.strip().splitlines()[-1] == "nbapi: interrupted"
    _nothing_left(temp, str(model))
    assert (out / "index.html").read_text() == "<p>the published site</p>\n"
    assert not (tmp_path / ".site.sphinx").exists(), "a cut-short Sphinx work folder is kept"
