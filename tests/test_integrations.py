"""Integrations: pre-commit hooks, the GitHub Actions example, stubs shipped in the wheel."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.extension  # every test here runs a built extension

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


def test_pre_commit_hooks_run_on_the_demo() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"nbapi-stubs-check", "nbapi-coverage"}
    examples = {
        "nbapi-stubs-check": ["tinyfuser", "--config", "demo/pyproject.toml", "-o", "stubs"],
        "nbapi-coverage": ["tinyfuser", "--config", "demo/pyproject.toml"],
    }
    for hook_id, hook in hooks.items():
        assert hook["pass_filenames"] is False and hook["language"] == "system"
        command = shlex.split(hook["entry"]) + examples[hook_id]
        command[0] = str(BIN / command[0])
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        assert result.returncode == 0, (hook_id, result.stdout[-2000:], result.stderr[-2000:])


def test_github_actions_example_steps_pass(tmp_path: Path) -> None:
    workflow = yaml.safe_load((ROOT / "docs" / "integrations" / "github-actions.yml").read_text())
    steps = [s for s in workflow["jobs"]["api"]["steps"] if "nbapi " in s.get("run", "")]
    assert len(steps) >= 4
    summary = tmp_path / "summary.md"
    env = dict(os.environ, GITHUB_STEP_SUMMARY=str(summary), PATH=f"{BIN}:{os.environ['PATH']}")
    annotations = ""
    for step in steps:
        if "pip install" in step["run"]:
            continue  # the environment is already set up
        # The pull request's base branch is this checkout's HEAD here.
        run = step["run"].replace("origin/${{ github.base_ref }}", "HEAD")
        result = subprocess.run(
            ["bash", "-ec", run.replace("python ", f"{sys.executable} ")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (step["name"], result.stderr[-2000:])
        annotations += result.stdout
    assert "## API coverage of `tinyfuser`" in summary.read_text()
    assert "::error" not in annotations


def test_wheel_ships_stubs_that_type_check_user_code(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-build-isolation",
            "--no-deps",
            str(ROOT / "demo"),
            "-w",
            str(wheels),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("tinyfuser-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            str(wheel),
            "mypy",
            "numpy",
        ],
        check=True,
        capture_output=True,
    )
    user = tmp_path / "user.py"
    user.write_text(
        "from typing_extensions import assert_type\n"
        "import tinyfuser as tf\n"
        "fusion = tf.Fusion()\n"
        "assert_type(fusion.define_tensor(ndim=2), tf.TensorView)\n"
        "assert_type(tf.ops.relu(1.0), float)\n"
        "fusion.define_tensor(ndims=2)  # type: ignore[call-arg]\n"
    )
    result = subprocess.run(
        [
            str(python),
            "-m",
            "mypy",
            "--strict",
            "--warn-unused-ignores",
            "--no-incremental",
            str(user),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
