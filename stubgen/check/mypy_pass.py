"""Type-check rendered stubs with mypy: the optional check behind ``stubs --typecheck``.

The renderer writes stubs that are clean by construction; this pass only reports (as STB014
findings naming the object) what mypy still finds, and changes nothing.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from stubgen.errors import ToolError
from stubgen.files.writes import write_tree
from stubgen.findings import Finding, finding

_ERROR = re.compile(
    r"^(?P<file>.+?\.pyi?):(?P<line>\d+): error: (?P<message>.*?)(?:  \[(?P<code>[\w-]+)\])?$"
)
_MYPY_FLAGS = [
    "--strict",
    "--explicit-package-bases",
    "--no-error-summary",
    "--hide-error-context",
    "--no-pretty",
    "--show-error-codes",
    "--no-color-output",
]


def run_mypy(root: Path, package: str, cache_dir: Path) -> list[tuple[str, int, str, str]]:
    """Run mypy on ``package`` under ``root``; return ``(file, line, message, code)`` per error.

    Parameters
    ----------
    root : Path
        Directory holding the stub tree.
    package : str
        Top-level folder to check, relative to ``root``.
    cache_dir : Path
        mypy's incremental cache (kept between the runs of one pass).

    Returns
    -------
    list of tuple
        The errors mypy reported, in its order.
    """
    command = [sys.executable, "-m", "mypy", *_MYPY_FLAGS, "--cache-dir", str(cache_dir), package]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    return parse_mypy_output(result.stdout, result.returncode, result.stderr)


def parse_mypy_output(text: str, status: int, stderr: str = "") -> list[tuple[str, int, str, str]]:
    """Read mypy's ``file:line: error: message  [code]`` lines (run with --show-error-codes).

    Parameters
    ----------
    text : str
        mypy's standard output (run with ``--no-color-output``: ``FORCE_COLOR`` in the
        environment would otherwise wrap each line in escape codes).
    status : int
        mypy's exit status.
    stderr : str, optional
        mypy's standard error, quoted when its run cannot be read.

    Returns
    -------
    list of tuple of (str, int, str, str)
        ``(file, line, message, code)`` per error, in mypy's order; notes are left out.

    Raises
    ------
    ToolError
        When mypy failed but no error line can be read: a gate must never pass on a run it
        did not understand.
    """
    errors = []
    for line in text.splitlines():
        match = _ERROR.match(line)
        if match:
            errors.append(
                (match["file"], int(match["line"]), match["message"], match["code"] or "")
            )
    if status != 0 and not errors:
        said = (stderr.strip() or text.strip() or "nothing").splitlines()[-1]
        raise ToolError(
            f"mypy failed (exit code {status}) and none of its output could be read: {said}"
        )
    return errors


def mypy_cache_dir() -> Path:
    """Return mypy's cache directory for the stubs pass, kept between runs.

    Most of a cold mypy run goes into the standard library's and numpy's stubs; keeping the
    cache (``$NBAPI_CACHE_DIR``, else ``$XDG_CACHE_HOME/nbapi``, else ``~/.cache/nbapi``)
    makes later runs several times faster. The results do not depend on it.
    """
    base = os.environ.get("NBAPI_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "nbapi",
    )
    version = f"py{sys.version_info.major}{sys.version_info.minor}"
    return Path(base) / f"mypy-{version}"


def _object_at(text: str, line: int, module: str) -> str:
    """Return the public path of the innermost class or function defined at ``line``."""
    path = module
    nodes: list[ast.stmt] = list(ast.parse(text).body)
    while nodes:
        node = nodes.pop(0)
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            end = node.end_lineno or node.lineno
            if start <= line <= end:
                path = f"{path}.{node.name}"
                nodes = list(node.body) if isinstance(node, ast.ClassDef) else []
    return path


def _module_of(file: str) -> str:
    return file.removesuffix(".pyi").removesuffix("/__init__").replace("/", ".")


def typecheck_stubs(files: dict[str, str]) -> list[Finding]:
    """Type-check stub files with ``mypy --strict``; return one finding per error.

    The stubs are written clean by construction; this is the check that they are (the
    ``stubs --typecheck`` option). Nothing is silenced.

    Parameters
    ----------
    files : dict of str to str
        Stub files, relative path -> text (as :func:`stubgen.stubs.render.render_stubs` gives).

    Returns
    -------
    list of Finding
        One STB014 finding per error mypy reports in these files, at the object it names.
    """
    package = next(iter(sorted(files))).split("/")[0]
    with tempfile.TemporaryDirectory(prefix="nbapi-mypy-") as tmp:
        root = Path(tmp)
        write_tree(root / "stubs", files)
        errors = run_mypy(root / "stubs", package, mypy_cache_dir())
    findings = []
    for file, line, message, code in errors:
        if file in files:
            where = _object_at(files[file], line, _module_of(file))
            findings.append(finding("STB014", where, message=message, mypy_code=code))
    return sorted(findings)
