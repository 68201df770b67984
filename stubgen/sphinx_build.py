"""Write the API pages and build HTML with Sphinx: warnings as errors, nitpicky, atomically."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from stubgen.errors import ToolError
from stubgen.fileio import remove_stale, write_tree
from stubgen.model.api import ApiModel
from stubgen.render.docs import API_DIR, render_pages, starter_files
from stubgen.render.report import CoverageReport


def build_html(source: Path, output: Path) -> list[str]:
    """Run Sphinx's HTML builder (``-W -n --keep-going -j auto``); return the warnings.

    The site is built in a staging copy of ``output`` next to it and swapped in only when
    the build is clean, so a failed build leaves the previous site as it was. The copy keeps
    Sphinx's doctrees and pages, so a rebuild reads and writes only what changed.

    Parameters
    ----------
    source : Path
        The Sphinx source directory (with ``conf.py``).
    output : Path
        The HTML output directory.

    Returns
    -------
    list of str
        The warning lines Sphinx printed; empty when the build is clean (and swapped in).

    Raises
    ------
    ToolError
        If Sphinx is not installed or could not run at all.
    """
    try:
        from sphinx.cmd.build import build_main
    except ImportError as exc:  # pragma: no cover - Sphinx is a dependency
        raise ToolError(f"Sphinx is not installed: {exc}") from exc
    staging = output.with_name(f".{output.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    if output.is_dir():
        shutil.copytree(output, staging, symlinks=True)
    stderr = io.StringIO()
    args = ["-b", "html", "-q", "-n", "-W", "--keep-going", "-j", "auto"]
    args += ["-d", str(staging / ".doctrees"), str(source), str(staging)]
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            status = build_main(args)
        warnings = [line for line in stderr.getvalue().splitlines() if line.strip()]
        if status != 0 and not warnings:
            raise ToolError(f"Sphinx failed on {source} (exit code {status})")
        if not warnings:
            _swap(staging, output)
        return warnings
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def build_docs(
    model: ApiModel, coverage: CoverageReport | None, source: Path, output: Path
) -> tuple[int, list[str]]:
    """Write the API pages of ``model`` under ``source`` and build the HTML into ``output``.

    Returns
    -------
    tuple of (int, list of str)
        The number of API pages and the warnings of the build (empty when it is clean).
    """
    pages = render_pages(model, coverage)
    write_tree(source, {**starter_files(source, model), **pages})
    remove_stale(source, set(pages), API_DIR)
    return len(pages), build_html(source, output)


def _swap(staging: Path, output: Path) -> None:
    old = output.with_name(f".{output.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)
