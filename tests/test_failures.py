"""Failure behaviour: per-object errors become findings, failed runs keep outputs, determinism."""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stubgen.cli import main
from stubgen.model.api import ApiModel, Function
from stubgen.stubs import render as stubs_module
from stubgen.stubs.render import render_stubs

ROOT = Path(__file__).parent.parent


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in directory.rglob("*")
        if p.is_file()
    }


def test_one_object_failing_becomes_a_finding(
    demo_model: ApiModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = stubs_module._ModuleStub._function_lines

    def broken(self: object, fn: Function, depth: int, **flags: object) -> list[str]:
        if fn.name == "relu":
            raise RuntimeError("planted")
        return original(self, fn, depth, **flags)  # type: ignore[arg-type]

    monkeypatch.setattr(stubs_module._ModuleStub, "_function_lines", broken)
    result = render_stubs(demo_model)
    ops = result.files["tinyfuser/ops.pyi"]
    ast.parse(ops)
    assert "def relu(*args: Any, **kwargs: Any) -> Any: ..." in ops
    assert [(f.path, f.code) for f in result.findings if f.code == "STB015"] == [
        ("tinyfuser.ops.relu", "STB015")
    ]


@pytest.mark.extension
def test_a_run_failing_midway_leaves_the_previous_stubs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "stubs"
    shutil.copytree(ROOT / "stubs", out)
    (out / "tinyfuser" / "ops.pyi").write_text("# an older version\n")
    before = snapshot(out)
    calls = []
    original = stubs_module._ModuleStub.render

    def fails_on_second(self: stubs_module._ModuleStub) -> tuple[str, list[object]]:
        calls.append(self.module.path)
        if len(calls) == 2:
            raise OSError("disk full (planted)")
        return original(self)  # type: ignore[return-value]

    monkeypatch.setattr(stubs_module._ModuleStub, "render", fails_on_second)
    assert main(["stubs", "tinyfuser", "-o", str(out), "--no-typecheck"]) == 2
    assert "disk full (planted)" in capsys.readouterr().err
    assert snapshot(out) == before


def test_a_failed_docs_build_leaves_the_previous_site(tmp_path: Path, demo_model: ApiModel) -> None:
    from stubgen.model.json_io import model_to_json

    model = tmp_path / "model.json"
    model.write_text(model_to_json(demo_model))
    source, html = tmp_path / "source", tmp_path / "html"
    args = ["docs", "tinyfuser", "--model", str(model), "--source", str(source), "-o", str(html)]
    assert main(args) == 0
    before = snapshot(html)
    (source / "broken.rst").write_text("Broken\n======\n\n`unclosed\n")
    assert main(args) == 1
    assert snapshot(html) == before
    assert not list(tmp_path.glob(".html.*"))  # no staging or work directory left behind
    # A failure is not forgotten by the next build, which reads the page again.
    assert main(args) == 1
    (source / "broken.rst").unlink()
    assert main(args) == 0


def test_model_output_kept_when_the_import_crashes(tmp_path: Path) -> None:
    (tmp_path / "crashy.py").write_text("import ctypes\nctypes.string_at(0)\n")
    target = tmp_path / "model.json"
    target.write_text("previous")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "stubgen", "model", "crashy", "-o", str(target)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2 and target.read_text() == "previous"


def outputs(seed: str, work: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    run = [sys.executable, "-m", "stubgen"]
    out = work / seed
    subprocess.run([*run, "model", "tinyfuser", "-o", str(out / "model.json")], env=env, check=True)
    subprocess.run(
        [*run, "stubs", "tinyfuser", "-o", str(out / "stubs")],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*run, "coverage", "tinyfuser", "--format", "json", "-o", str(out / "c.json")],
        env=env,
        check=False,
    )
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in out.rglob("*")
        if p.is_file()
    }


@pytest.mark.extension
def test_outputs_identical_across_hash_seeds(tmp_path: Path) -> None:
    first = outputs("0", tmp_path)
    assert len(first) >= 5
    assert outputs("1", tmp_path) == first
    assert outputs("12345", tmp_path) == first
