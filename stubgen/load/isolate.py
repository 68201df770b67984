"""Load a module's API model by importing it in a child process, with a timeout.

Importing someone else's binary may raise, crash the interpreter or hang. Doing it in a child
keeps the tool alive in all three cases and turns each into a one-line :class:`LoadError`.

On Linux the child is a fork of this process: it starts with the tool's modules already
imported, where a new interpreter would start and import them again (most of a small
extension's time). Elsewhere, or when this process runs other threads (a fork copies their
locks, not the threads), it is a new interpreter, ``python -m ENTRY``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from stubgen.errors import IMPORT_FAILED, LoadError
from stubgen.model.api import ApiModel
from stubgen.model.json_io import ModelFormatError, model_from_json

DEFAULT_TIMEOUT = 120.0
__all__ = ["DEFAULT_TIMEOUT", "IMPORT_FAILED", "can_fork", "load_model", "run_child", "run_in_fork"]


def load_model(
    module: str,
    *,
    paths: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    probe: bool = True,
    include_private: bool = False,
    setup: str | None = None,
    parse_docs: bool = True,
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
    parse_docs : bool, optional
        Parse docstrings into their sections; False leaves them raw, which is all the
        stubs need (:func:`stubgen.load.runtime.inspect_module`).

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
    options = ChildOptions(probe, include_private, parse_docs, setup or "")
    text = run_child("stubgen.load.child", module, options, paths=paths, timeout=timeout)
    try:
        return model_from_json(text)
    except ModelFormatError as exc:
        raise LoadError(f"the model of {module!r} could not be read: {exc}") from exc


@dataclass(frozen=True)
class ChildOptions:
    """What a child that reads the runtime is told, on its command line (never inherited).

    Attributes
    ----------
    probe : bool
        Ask pybind11 functions without signature lines for their overloads.
    include_private : bool
        Take members named ``_x`` as API.
    parse_docs : bool
        Parse docstrings into their sections.
    setup : str
        Set-up code run after the import (:func:`stubgen.load.setup_code.run_setup`).
    """

    probe: bool = True
    include_private: bool = False
    parse_docs: bool = True
    setup: str = ""

    def to_argument(self) -> str:
        """Return the options as the child's third argument (JSON)."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_argument(cls, text: str) -> ChildOptions:
        """Read the options from the child's third argument."""
        return cls(**json.loads(text))


def run_child(
    entry: str,
    module: str,
    options: ChildOptions,
    *,
    paths: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Run ``python -m ENTRY MODULE OUTPUT OPTIONS`` in a session of its own; return its text.

    Parameters
    ----------
    entry : str
        The child's module: it imports ``module`` and writes JSON to OUTPUT, or
        ``{"error": ...}`` with exit code :data:`IMPORT_FAILED` when the import raises.
        Its ``main(argv)`` is what a forked child runs.
    module : str
        Import name.
    paths : sequence of str, optional
        Directories put in front of the child's import path.
    timeout : float, optional
        Seconds the child may take before it is killed.
    options : ChildOptions
        What the child is told, as its third argument: nothing reaches it through the
        environment, so a variable left in the shell cannot change what it reads.

    Returns
    -------
    str
        The text the child wrote.

    Raises
    ------
    LoadError
        If the import raises, the child crashes or exceeds ``timeout``, or writes nothing.
    """

    def start(output: str, child_env: dict[str, str]) -> tuple[int, str]:
        if can_fork():
            main = importlib.import_module(entry).main  # imported here: the fork inherits it
            argv = [module, output, options.to_argument()]
            return _run_forked(lambda: main(argv), child_env, paths, timeout, module)
        command = [sys.executable, "-m", entry, module, output, options.to_argument()]
        return _run(command, child_env, timeout, module)

    return _isolated(module, start, _environment(paths))


def can_fork() -> bool:
    """Tell whether the child can be a fork of this process (see the module's docstring)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def run_in_fork(
    work: Callable[[str], int],
    module: str,
    *,
    paths: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Run ``work(OUTPUT)`` in a fork set up as :func:`run_child`'s child; return what it wrote.

    For a stage that works on the model where it is built (``nbapi stubs`` alone renders and
    writes in the child), so the model never crosses processes. Only where
    :func:`can_fork`.

    Raises
    ------
    LoadError
        As :func:`run_child`.
    """

    def start(output: str, child_env: dict[str, str]) -> tuple[int, str]:
        return _run_forked(lambda: work(output), child_env, paths, timeout, module)

    return _isolated(module, start, _environment(paths))


def _isolated(
    module: str, start: Callable[[str, dict[str, str]], tuple[int, str]], env: dict[str, str]
) -> str:
    """Start the child with an output file of its own; check how it ended; return its text."""
    with tempfile.TemporaryDirectory(prefix="nbapi-load-") as tmp:
        output = str(Path(tmp) / "out.json")
        run = start(output, env)
        text = Path(output).read_text(encoding="utf-8") if os.path.exists(output) else ""
    _check_result(module, text, run)
    return text


def _environment(paths: Sequence[str]) -> dict[str, str]:
    """Return the child's environment: ours, with ``paths`` in front of the import path."""
    result = dict(os.environ)
    extra = [str(Path(p).resolve()) for p in paths]
    result["PYTHONPATH"] = os.pathsep.join(extra + [p for p in [result.get("PYTHONPATH")] if p])
    return result


def _run_forked(
    call: Callable[[], int],
    env: dict[str, str],
    paths: Sequence[str],
    timeout: float,
    module: str,
) -> tuple[int, str]:
    """Run ``call()`` in a fork, as ``python -m`` would run the child; return code and stderr.

    The child gets a session of its own, ``env`` as its environment, the working directory
    and ``paths`` in front of its import path, and its stderr in a file the parent reads.
    """
    with tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.setsid()
                devnull = os.open(os.devnull, os.O_RDWR)
                os.dup2(devnull, 0)
                os.dup2(devnull, 1)
                os.dup2(err.fileno(), 2)
                # The streams may be objects without a descriptor (a test's capture).
                sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)
                sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)
                os.environ.clear()
                os.environ.update(env)
                sys.path[0:0] = [os.getcwd(), *(str(Path(p).resolve()) for p in paths)]
                code = call()
            except BaseException:
                traceback.print_exc()
            finally:
                with contextlib.suppress(BaseException):
                    sys.stderr.flush()
                os._exit(code)
        code = _wait(pid, timeout, module)
        err.seek(0)
        return code, err.read().decode("utf-8", "replace")


def _wait(pid: int, timeout: float, module: str) -> int:
    """Wait for the forked child; kill its session on timeout or interruption."""
    deadline = time.monotonic() + timeout
    ready = _exit_notifier(pid)
    try:
        pause = 0.0005
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            left = deadline - time.monotonic()
            if left <= 0:
                _kill_session(pid)
                raise LoadError(f"importing {module!r} timed out after {timeout:g} s")
            if ready is not None:
                select.select([ready], [], [], left)
            else:
                time.sleep(min(pause, left))
                pause = min(pause * 2, 0.02)
    except BaseException:
        _kill_session(pid)
        raise
    finally:
        if ready is not None:
            os.close(ready)


def _exit_notifier(pid: int) -> int | None:
    """Return a descriptor readable when ``pid`` exits (Linux's pidfd), or None."""
    with contextlib.suppress(AttributeError, OSError):
        return os.pidfd_open(pid)
    return None


def _kill_session(pid: int) -> None:
    """Kill the forked child's session and reap the child, if it is still there."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


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
