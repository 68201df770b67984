"""Write the API pages and build HTML with Sphinx: nitpicky, every warning reported, atomically.

A warning on a hand-written page fails the build. One on a generated API page comes from the
package's docstrings (the pages' own markup never warns): it is reported, and the site is
published all the same unless the caller refuses (``docs-fail-on-warning``).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from stubgen.config import DocsConfig
from stubgen.coverage import CoverageReport
from stubgen.diff import DiffReport
from stubgen.docs.pages import API_DIR, render_pages, starter_files
from stubgen.docs.prose import load_checks, save_checks
from stubgen.docs.rebuild import READ_DOCS
from stubgen.errors import ToolError
from stubgen.files.writes import remove_stale, write_atomic, write_tree
from stubgen.model.api import ApiModel
from stubgen.model.heap import frozen_heap

# In the work directory: Sphinx's doctrees, the stamp of the sources of the last clean
# build, and the prose verdicts of the last render.
DOCTREES = ".doctrees"
STAMP = "source-stamp.txt"
WARNINGS = "warnings.txt"
PROSE_CHECKS = "prose-checks.json"
# From this many bytes of changed sources on, Sphinx reads and writes in parallel
# (-j auto); less builds faster in one process than its workers cost (the demo's 30 KB of
# pages: 2.1 s -> 1.7 s; mlx.core's 1 MB page, in two bench runs: 5.9 s in parallel, 12.1 s
# in one process).
PARALLEL_FROM = 256 * 1024


def build_html(
    source: Path,
    output: Path,
    *,
    changed: int | None = None,
    tolerate: Callable[[str], bool] | None = None,
) -> list[str]:
    """Run Sphinx's HTML builder (``-W -n --keep-going -j auto``); return the warnings.

    Sphinx builds in a work directory beside ``output`` (``.<name>.sphinx``) that stays
    from one run to the next, so a rebuild reads and writes only the pages whose sources
    changed (all of them when the site's objects changed, so that every reference is
    checked again, and after a failed build). When the build is clean, the site is
    published: a new copy of ``output`` is assembled next to it and swapped in, so a failed
    build leaves the previous site as it was, and readers never see half of one. Files that
    did not change since the last publication are hard links to the published ones, so
    publishing costs what changed.

    Parameters
    ----------
    source : Path
        The Sphinx source directory (with ``conf.py``).
    output : Path
        The HTML output directory.
    changed : int, optional
        How many bytes of sources changed since the last build, when the caller knows.
        Fewer than ``PARALLEL_FROM`` are read and written in this process: Sphinx's worker
        processes cost more than they save then.
    tolerate : callable, optional
        Tells which warning lines still let the site be published (those of the package's
        docstrings, :func:`docstring_warning`); by default none do.

    Returns
    -------
    list of str
        The warning lines Sphinx printed (recorded, so a run with nothing changed returns
        them again); empty when the build is clean.

    Raises
    ------
    ToolError
        If Sphinx is not installed or could not run at all.
    """
    try:
        from sphinx.cmd.build import build_main
    except ImportError as exc:  # pragma: no cover - Sphinx is a dependency
        raise ToolError(f"Sphinx is not installed: {exc}") from exc
    work = work_dir(output)
    stamp = _source_stamp(source)
    if (work / STAMP).is_file() and (work / STAMP).read_text(encoding="utf-8") == stamp:
        if not output.is_dir():
            _publish(work / "html", output)
        # Nothing Sphinx reads changed since the site was built: its warnings stand.
        return _recorded_warnings(work)
    inventory = work / "html" / "objects.inv"
    before = inventory.read_bytes() if inventory.is_file() else None
    few = changed is not None and changed < PARALLEL_FROM
    earlier = _recorded_warnings(work) if before is not None else []
    (work / DOCTREES / READ_DOCS).unlink(missing_ok=True)  # written again by this build
    try:
        warnings = _run_sphinx(build_main, source, work, fresh=False, jobs="1" if few else "auto")
        if not warnings and before is not None and inventory.read_bytes() != before:
            # Objects came or went: Sphinx resolves references only on the pages it
            # rewrites, so every page is built again, and a link to a removed object warns.
            earlier = []
            warnings = _run_sphinx(build_main, source, work, fresh=True, jobs="auto")
        warnings = _kept_warnings(earlier, source, work) + warnings
    except KeyboardInterrupt:
        # A build cut short leaves doctrees Sphinx would trust: the next one starts afresh.
        # The published site is untouched.
        shutil.rmtree(work, ignore_errors=True)
        raise
    if warnings and not (tolerate is not None and all(tolerate(w) for w in warnings)):
        # Sphinx would not read the failing pages again, nor warn again: start afresh.
        shutil.rmtree(work, ignore_errors=True)
        return warnings
    _publish(work / "html", output)
    write_atomic(work / WARNINGS, "".join(f"{w}\n" for w in warnings))
    write_atomic(work / STAMP, stamp)
    return warnings


def _recorded_warnings(work: Path) -> list[str]:
    """Return the warnings of the last published build."""
    recorded = work / WARNINGS
    return recorded.read_text(encoding="utf-8").splitlines() if recorded.is_file() else []


def _kept_warnings(earlier: list[str], source: Path, work: Path) -> list[str]:
    """Return the warnings of ``earlier`` on pages this build did not read again.

    Sphinx warns about a page only when it reads it: a page it left alone keeps the
    warnings of the build that read it, so a rebuild reports every warning of the site
    (the pages read are those :mod:`stubgen.docs.rebuild` recorded; unknown, none is kept).
    """
    try:
        read = set((work / DOCTREES / READ_DOCS).read_text(encoding="utf-8").splitlines())
    except OSError:
        return []
    kept = []
    for line in earlier:
        match = _WARNING_LINE.match(line)
        if match is None:
            continue
        page = Path(match.group("file"))
        try:
            doc = page.resolve().relative_to(source.resolve()).with_suffix("").as_posix()
        except ValueError:
            continue
        if doc not in read and page.is_file():
            kept.append(line)
    return kept


# "<file>:<line>: WARNING: <message>" (the line may be missing; Sphinx appends [type]).
_WARNING_LINE = re.compile(
    r"^(?P<file>.+?):(?:(?P<line>\d+):)? (?:WARNING|ERROR|CRITICAL): (?P<message>.*)$"
)


def docstring_warning(line: str, source: Path) -> tuple[str, str, str] | None:
    """Read a warning on a generated API page: the page's object, the line and the message.

    Returns None for any other line (a hand-written page, a warning without a place).
    """
    match = _WARNING_LINE.match(line)
    if match is None:
        return None
    page = Path(match.group("file"))
    api = (source / API_DIR).resolve()
    if page.suffix != ".rst" or page.resolve().parent != api or page.stem == "index":
        return None
    line = match.group("line")
    return _object_at(page, int(line) if line else 0), line or "?", match.group("message")


_DIRECTIVE = re.compile(r"^\s*\.\. py:\w+:: ([\w.]+)")


def _object_at(page: Path, line: int) -> str:
    """Return the public path of the object whose entry holds ``line`` of an API page."""
    try:
        lines = page.read_text(encoding="utf-8").splitlines()[:line]
    except OSError:
        return page.stem
    for text in reversed(lines):
        found = _DIRECTIVE.match(text)
        if found and not text.lstrip().startswith(".. py:currentmodule::"):
            name = found.group(1)
            # A class page's entries are its own name (the class) or its members'.
            if page.stem == name or page.stem.endswith("." + name):
                return page.stem
            return f"{page.stem}.{name}"
    return page.stem


def work_dir(output: Path) -> Path:
    """Return the directory Sphinx builds in for ``output``, kept from one run to the next."""
    return output.with_name(f".{output.name}.sphinx")


# The Sphinx extensions of this folder (and their static files): a change to one of them
# means a fresh build.
_EXTENSION_MODULES = ("lookup", "navigation", "passes", "rebuild", "scale", "sphinxext")


def _source_stamp(source: Path) -> str:
    """Sizes and times of every file Sphinx reads, and the versions of what reads them."""
    import docutils
    import sphinx

    try:
        import furo

        theme = furo.__version__
    except ImportError:  # pragma: no cover - furo is a dependency
        theme = ""
    here = Path(__file__).parent
    extensions = [here / f"{name}.py" for name in _EXTENSION_MODULES]
    extensions += sorted((here / "static").glob("*"))
    lines = [f"sphinx {sphinx.__version__} docutils {docutils.__version__} furo {theme}"]
    for path in [*sorted(p for p in source.rglob("*") if p.is_file()), *extensions]:
        status = path.stat()
        lines.append(f"{path.as_posix()} {status.st_size} {status.st_mtime_ns}")
    return "\n".join(lines) + "\n"


def build_docs(
    model: ApiModel,
    coverage: CoverageReport | None,
    source: Path,
    output: Path,
    *,
    changes: DiffReport | None = None,
    fail_on_warning: bool = False,
    docs: DocsConfig | None = None,
    type_map: dict[str, str] | None = None,
) -> tuple[int, list[str]]:
    """Write the API pages of ``model`` under ``source`` and build the HTML into ``output``.

    With ``changes``, the pages include a Changes page (what changed since the reference);
    ``docs`` orders and groups the summary tables and names the project; ``type_map`` is the
    stubs' map of unbound C++ types, so that the docs write the stubs' types.
    The site is published despite warnings on API pages (:func:`docstring_warning`) unless
    ``fail_on_warning``.

    Returns
    -------
    tuple of (int, list of str)
        The number of API pages and the warnings of the build (empty when it is clean).
    """
    checks = work_dir(output) / PROSE_CHECKS
    load_checks(checks)
    pages = render_pages(model, coverage, changes, docs, type_map)
    save_checks(checks)
    written = write_tree(source, {**starter_files(source, model, docs), **pages})
    removed = remove_stale(source, set(pages), API_DIR)
    changed = sum(path.stat().st_size for path in written) + len(removed)
    tolerate = (
        None if fail_on_warning else (lambda line: docstring_warning(line, source) is not None)
    )
    return len(pages), build_html(source, output, changed=changed, tolerate=tolerate)


def _run_sphinx(build_main: Any, source: Path, work: Path, *, fresh: bool, jobs: str) -> list[str]:
    stderr = io.StringIO()
    # --no-color: the warning lines are read back (docstring_warning), so no escape codes,
    # whatever the terminal or FORCE_COLOR says.
    args = ["-b", "html", "-q", "-n", "-W", "--keep-going", "--no-color", "-j", jobs]
    args += ["-E"] if fresh else []
    args += ["-d", str(work / DOCTREES), str(source), str(work / "html")]
    # The model and pages this process holds stay as they are: kept out of the collector's
    # scans (and copy-on-write friendly for Sphinx's forked workers), they would otherwise
    # cost Sphinx's build a fifth more time on a big API.
    with frozen_heap(), _interrupts_seen() as interrupted:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            status = build_main(args)
    if interrupted:
        # Sphinx catches KeyboardInterrupt, prints "Interrupted!" and returns an error code:
        # the run was interrupted, not failed.
        raise KeyboardInterrupt
    warnings = [line for line in stderr.getvalue().splitlines() if line.strip()]
    if status != 0 and not warnings:
        raise ToolError(f"Sphinx failed on {source} (exit code {status})")
    return warnings


@contextlib.contextmanager
def _interrupts_seen() -> Iterator[list[int]]:
    """Record the SIGINT and SIGTERM that arrive, then raise as the handlers before did."""
    seen: list[int] = []
    previous = {}

    def record(signum: int, frame: FrameType | None) -> None:
        seen.append(signum)
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        previous = {s: signal.signal(s, record) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield seen
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _publish(built: Path, output: Path) -> None:
    """Swap a copy of ``built`` in for ``output``; unchanged files are linked, not copied.

    Sphinx rewrites its files in place, so the published files must never be the work
    directory's own: each is a copy, made once, and hard-linked from one publication to the
    next for as long as its content does not change.
    """
    staging = output.with_name(f".{output.name}.publishing")
    shutil.rmtree(staging, ignore_errors=True)
    for path in sorted(built.rglob("*")):
        relative = path.relative_to(built)
        target = staging / relative
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        old = output / relative
        if _same_file(old, path):
            os.link(old, target)
        else:
            shutil.copy2(path, target)
    old_site = output.with_name(f".{output.name}.old")
    shutil.rmtree(old_site, ignore_errors=True)
    if output.exists():
        output.rename(old_site)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(output)
    shutil.rmtree(old_site, ignore_errors=True)


def _same_file(published: Path, built: Path) -> bool:
    """Tell whether ``published`` holds what ``built`` holds.

    Sphinx rewrites some pages, such as the search page, with the same text on every build.
    """
    try:
        old, new = published.stat(), built.stat()
    except OSError:
        return False
    if old.st_size != new.st_size:
        return False
    return old.st_mtime_ns == new.st_mtime_ns or published.read_bytes() == built.read_bytes()
