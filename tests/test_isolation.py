"""The loader imports in a child: a raising, crashing or hanging import gives one clear line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stubgen.errors import LoadError
from stubgen.load.isolate import load_model

MODULES = {
    "raises_on_import": "raise RuntimeError('no GPU found')\n",
    "crashes_on_import": "import ctypes\nctypes.string_at(0)\n",
    "hangs_on_import": "import time\ntime.sleep(600)\n",
    "exits_on_import": "import sys\nsys.exit(7)\n",
    "prints_on_import": "print('noise on stdout')\nX = 1\n",
    "has_private": "def visible() -> int:\n    return 1\n\n\ndef _hidden() -> int:\n    return 2\n",
}


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mods")
    for name, body in MODULES.items():
        (root / f"{name}.py").write_text(body)
    return root


def run_cli(*args: str, path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(path))
    return subprocess.run(
        [sys.executable, "-m", "stubgen", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("module", "message"),
    [
        ("raises_on_import", "importing 'raises_on_import' failed: RuntimeError: no GPU found"),
        ("crashes_on_import", "importing 'crashes_on_import' crashed the interpreter (SIGSEGV)"),
        ("exits_on_import", "importing 'exits_on_import' failed: SystemExit: 7"),
        ("no_such_module", "importing 'no_such_module' failed: ModuleNotFoundError"),
    ],
)
def test_bad_import_is_one_line_exit_2(module_dir: Path, module: str, message: str) -> None:
    result = run_cli("model", module, path=module_dir)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"nbapi: error: {message}")


@pytest.mark.slow
def test_hanging_import_times_out(module_dir: Path) -> None:
    start = time.monotonic()
    result = run_cli("model", "hangs_on_import", "--timeout", "2", path=module_dir)
    assert time.monotonic() - start < 30
    assert result.returncode == 2
    assert result.stderr.strip() == "nbapi: error: importing 'hangs_on_import' timed out after 2 s"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_during_the_import_leaves_nothing_behind(
    module_dir: Path, tmp_path: Path, signum: int
) -> None:
    # Started in a session of its own, as a script's background job: SIGINT comes ignored.
    env = dict(os.environ, PYTHONPATH=str(module_dir), TMPDIR=str(tmp_path))
    command = [sys.executable, "-m", "stubgen", "model", "hangs_on_import", "--timeout", "60"]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    time.sleep(3)  # the child is importing by now
    os.killpg(process.pid, signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1] == "nbapi: interrupted"
    time.sleep(0.5)
    left = subprocess.run(
        ["pgrep", "-f", "stubgen.load.child hangs_on_import"], capture_output=True
    )
    assert left.stdout == b"", "the loader's child is still running"
    assert list(tmp_path.iterdir()) == [], "a temporary folder was left behind"


def test_load_error_from_api(module_dir: Path) -> None:
    with pytest.raises(LoadError, match="crashed the interpreter"):
        load_model("crashes_on_import", paths=[str(module_dir)])


def test_module_output_does_not_corrupt_json(module_dir: Path) -> None:
    model = load_model("prints_on_import", paths=[str(module_dir)])
    assert [a.name for a in model.module.attributes] == ["X"]


NO_IMPORT_IN_PARENT = r"""
import sys
from pathlib import Path
from stubgen.load.isolate import load_model
from stubgen.load.patterns import apply_patterns, load_pattern_file
from stubgen.stubs.render import render_stubs

Path(sys.argv[1]).write_text("tinyfuser.__suffix__:\n    \\from tinyfuser._C import Fusion\n")
model = load_model("tinyfuser")
apply_patterns(model, load_pattern_file(Path(sys.argv[1])))
init = render_stubs(model).files["tinyfuser/__init__.pyi"]
assert "from tinyfuser._C import Fusion as _Fusion" in init, init
print(sorted(m for m in sys.modules if m.startswith("tinyfuser")))
"""


@pytest.mark.extension
def test_rendering_never_imports_the_extension(tmp_path: Path) -> None:
    # nanobind's import table imports a module to settle a name clash (a pattern's
    # \from import of a name the stub also defines); ours settles it from the model.
    result = subprocess.run(
        [sys.executable, "-c", NO_IMPORT_IN_PARENT, str(tmp_path / "clash.pat")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_shell_environment_never_sets_the_childs_options(
    module_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The options reach the child on its command line; names left in the shell are inert.
    for name, value in [
        ("NBAPI_PRIVATE", "1"),
        ("NBAPI_SETUP", "raise SystemExit(9)"),
        ("NBAPI_PROBE", "0"),
        ("NBAPI_DOCS", "0"),
    ]:
        monkeypatch.setenv(name, value)
    model = load_model("has_private", paths=[str(module_dir)])
    assert [f.name for f in model.module.functions] == ["visible"]
    assert model.setup is None
    private = load_model("has_private", paths=[str(module_dir)], include_private=True)
    assert sorted(f.name for f in private.module.functions) == ["_hidden", "visible"]
