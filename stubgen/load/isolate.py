"""Load a module's API model by importing it in a child process, with a timeout.

Importing someone else's binary may raise, crash the interpreter or hang. Doing it in a child
keeps the tool alive in all three cases and turns each into a one-line :class:`LoadError`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from stubgen.errors import LoadError
from stubgen.model.api import ApiModel
from stubgen.model.json_io import ModelFormatError, model_from_json

DEFAULT_TIMEOUT = 120.0
# The child's exit code when importing the module raised (written in its output file).
IMPORT_FAILED = 3


def load_model(
    module: str,
    *,
    paths: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    probe: bool = True,
    include_private: bool = False,
    setup: str | None = None,
) -> ApiModel:
    """Import ``module`` in a child process and return its API model.

    Parameters
    ----------
    module : str
        Import name, e.g. ``"tinyfuser"``.
    paths : sequence of str, optional
        Directories put in front of the child's import path.
    timeout : float, optional
        Seconds the child may take before it is killed.
    probe : bool, optional
        Ask pybind11 functions without signature lines for their overloads, with a call no
        overload accepts (:func:`stubgen.load.pybind11.pb_probe`).
    include_private : bool, optional
        Take members named ``_x`` as API (nanobind.stubgen's ``-P``).
    setup : str, optional
        Set-up code run after the import and before the walk
        (:func:`stubgen.load.setup_code.run_setup`).

    Returns
    -------
    ApiModel
        The model built in the child.

    Raises
    ------
    LoadError
        If the import raises, the child crashes or exceeds ``timeout``, or its output
        cannot be read.
    """
    env = {"NBAPI_PRIVATE": "1"} if include_private else {}
    text = run_child(
        "stubgen.load.child",
        module,
        paths=paths,
        timeout=timeout,
        probe=probe,
        env=env,
        setup=setup,
    )
    try:
        return model_from_json(text)
    except ModelFormatError as exc:
        raise LoadError(f"the model of {module!r} could not be read: {exc}") from exc


def run_child(
    entry: str,
    module: str,
    *,
    paths: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    probe: bool = True,
    env: dict[str, str] | None = None,
    setup: str | None = None,
) -> str:
    """Run ``python -m ENTRY MODULE OUTPUT`` in a session of its own; return what it wrote.

    Parameters
    ----------
    entry : str
        The child's module: it imports ``module`` and writes JSON to OUTPUT, or
        ``{"error": ...}`` with exit code :data:`IMPORT_FAILED` when the import raises.
    module : str
        Import name.
    paths : sequence of str, optional
        Directories put in front of the child's import path.
    timeout : float, optional
        Seconds the child may take before it is killed.
    probe : bool, optional
        Passed to the child as ``NBAPI_PROBE``.
    env : dict of str to str, optional
        More variables for the child's environment.
    setup : str, optional
        Set-up code the child runs after the import, as ``NBAPI_SETUP`` (always set, so
        a variable left in the shell never reaches the child).

    Returns
    -------
    str
        The text the child wrote.

    Raises
    ------
    LoadError
        If the import raises, the child crashes or exceeds ``timeout``, or writes nothing.
    """
    env = {**os.environ, **(env or {})}
    extra = [str(Path(p).resolve()) for p in paths]
    env["PYTHONPATH"] = os.pathsep.join(extra + [p for p in [env.get("PYTHONPATH")] if p])
    env["NBAPI_PROBE"] = "1" if probe else "0"
    env["NBAPI_SETUP"] = setup or ""
    with tempfile.TemporaryDirectory(prefix="nbapi-load-") as tmp:
        output = Path(tmp) / "out.json"
        command = [sys.executable, "-m", entry, module, str(output)]
        run = _run(command, env, timeout, module)
        text = output.read_text(encoding="utf-8") if output.exists() else ""
    _check_result(module, text, run)
    return text


def _run(command: list[str], env: dict[str, str], timeout: float, module: str) -> tuple[int, str]:
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise LoadError(f"importing {module!r} timed out after {timeout:g} s") from None
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): the child runs in a session of its own, which the
        # terminal's signal does not reach; it goes with us.
        _kill(process)
        raise
    return process.returncode, err.decode("utf-8", "replace")


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill the child and its process group, and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _check_result(module: str, text: str, run: tuple[int, str]) -> None:
    code, stderr = run
    if os.environ.get("NBAPI_DEBUG") and stderr.strip():
        # The child's tracebacks (an import that raised, each load error's cause).
        sys.stderr.write(stderr if stderr.endswith("\n") else stderr + "\n")
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        raise LoadError(f"importing {module!r} crashed the interpreter ({name})")
    if code == IMPORT_FAILED and text:
        raise LoadError(f"importing {module!r} failed: {json.loads(text)['error']}")
    if code != 0 or not text:
        last = stderr.strip().splitlines()[-1:] or ["no output"]
        raise LoadError(f"inspecting {module!r} failed (exit code {code}): {last[0]}")
