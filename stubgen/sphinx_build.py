"""Build HTML from a Sphinx source directory, warnings as errors, nitpicky."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from stubgen.errors import ToolError


def build_html(source: Path, output: Path) -> list[str]:
    """Run Sphinx's HTML builder (``-W -n --keep-going -j auto``); return the warnings.

    Parameters
    ----------
    source : Path
        The Sphinx source directory (with ``conf.py``).
    output : Path
        The HTML output directory; doctrees are kept in ``output/.doctrees`` so that a
        rebuild reads only what changed.

    Returns
    -------
    list of str
        The warning lines Sphinx printed; empty when the build is clean.

    Raises
    ------
    ToolError
        If Sphinx is not installed or could not run at all.
    """
    try:
        from sphinx.cmd.build import build_main
    except ImportError as exc:  # pragma: no cover - Sphinx is a dependency
        raise ToolError(f"Sphinx is not installed: {exc}") from exc
    stderr = io.StringIO()
    args = ["-b", "html", "-q", "-n", "-W", "--keep-going", "-j", "auto"]
    args += ["-d", str(output / ".doctrees")]
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        status = build_main([*args, str(source), str(output)])
    warnings = [line for line in stderr.getvalue().splitlines() if line.strip()]
    if status != 0 and not warnings:
        raise ToolError(f"Sphinx failed on {source} (exit code {status})")
    return warnings
