"""Run a command with the package's calls recorded: ``nbapi trace -- pytest tests/``.

The command runs as it would, with one folder put first on its ``PYTHONPATH``: it holds a
``sitecustomize`` that loads :mod:`stubgen.trace.recorder` by its file location and then
hands over to the ``sitecustomize`` the environment had, if any. Every Python process the
command starts inherits it, so subprocesses and test workers are traced too; each writes its
calls to a shared folder at exit, and they are merged into one calls file.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from stubgen.errors import ToolError
from stubgen.trace.calls import CallsFile, merge, read_process_file, write_calls

_SITECUSTOMIZE = '''\
"""nbapi trace: record the calls into {package!r}, then run the sitecustomize this replaced."""
import importlib.util as _util
import os as _os
import sys as _sys

_spec = _util.spec_from_file_location("_nbapi_trace_recorder", {recorder!r})
_recorder = _util.module_from_spec(_spec)
_spec.loader.exec_module(_recorder)
_recorder.install(_os.environ["NBAPI_TRACE_PACKAGE"], _os.environ["NBAPI_TRACE_DIR"])

# The environment's own sitecustomize, when it has one, runs as it would have.
from importlib.machinery import PathFinder as _PathFinder

_here = _os.path.dirname(_os.path.abspath(__file__))
_others = [p for p in _sys.path if _os.path.abspath(p or ".") != _here]
_next = _PathFinder.find_spec("sitecustomize", _others)
if _next is not None and _next.loader is not None:
    _next.loader.exec_module(_util.module_from_spec(_next))
'''


def trace_command(
    package: str, command: list[str], output: Path, *, paths: list[str] | None = None
) -> tuple[int, CallsFile]:
    """Run ``command`` with the calls into ``package`` recorded; write them to ``output``.

    Parameters
    ----------
    package : str
        Import name of the traced package (its submodules are traced too).
    command : list of str
        The command and its arguments (``["pytest", "tests/"]``).
    output : Path
        The calls file to write (:mod:`stubgen.trace.calls`), also when the command fails.
    paths : list of str, optional
        Folders put in front of the command's import path (the built extension).

    Returns
    -------
    tuple of (int, CallsFile)
        The command's exit status and the calls it made.

    Raises
    ------
    ToolError
        When the command cannot be started.
    """
    if not command:
        raise ToolError("nothing to trace: give the command after '--' (nbapi trace -- pytest)")
    recorder = Path(__file__).with_name("recorder.py")
    with tempfile.TemporaryDirectory(prefix="nbapi-trace-") as tmp:
        boot, folder = Path(tmp, "boot"), Path(tmp, "calls")
        boot.mkdir()
        folder.mkdir()
        text = _SITECUSTOMIZE.format(package=package, recorder=str(recorder))
        (boot / "sitecustomize.py").write_text(text, encoding="utf-8")
        env = dict(os.environ)
        search = [str(boot), *(str(Path(p).resolve()) for p in paths or [])]
        env["PYTHONPATH"] = os.pathsep.join([*search, *filter(None, [env.get("PYTHONPATH")])])
        env["NBAPI_TRACE_PACKAGE"] = package
        env["NBAPI_TRACE_DIR"] = str(folder)
        try:
            status = subprocess.run(command, env=env, check=False).returncode
        except FileNotFoundError:
            raise ToolError(f"cannot run {command[0]!r}: no such command") from None
        except PermissionError:
            raise ToolError(f"cannot run {command[0]!r}: not executable") from None
        parts = [read_process_file(path)[1] for path in sorted(folder.glob("calls-*.json"))]
    calls = merge(package, parts)
    write_calls(output, calls)
    return status, calls
