"""The sides of a diff that are not loaded as a run loads its module: the stubs at a git ref.

A model file or an importable module is loaded by the pipeline's loader
(:func:`stubgen.pipeline.load_side`), with every setting a run's own load takes. A git ref
is read through the stubs committed there; the other side is then the stubs the current
model renders, read back the same way (:mod:`stubgen.stubs.reader`).
"""

from __future__ import annotations

import subprocess
import sys
from importlib.machinery import PathFinder
from pathlib import Path

from stubgen.config import Config
from stubgen.errors import ToolError
from stubgen.model.api import ApiModel
from stubgen.stubs import model_from_stubs, render_stubs

MODEL_SUFFIXES = (".json", ".json.gz")


def is_git_ref(spec: str, paths: list[str]) -> bool:
    """Tell whether ``spec`` names a git ref: neither a model file nor an importable module.

    A dotted name of identifiers is a module when its top package can be found on the import
    path (``paths`` first); nothing is imported. ``v1.2``, ``HEAD~1``, ``origin/main`` are not.
    """
    if spec.endswith(MODEL_SUFFIXES):
        return False
    parts = spec.split(".")
    if not all(p.isidentifier() for p in parts):
        return True
    return PathFinder.find_spec(parts[0], [*paths, *sys.path]) is None


def side_label(spec: str) -> str:
    """Name a side in reports: a model file by its file name, a module by its name."""
    return Path(spec).name if spec.endswith(MODEL_SUFFIXES) else spec


def _git(args: list[str], cwd: Path) -> str:
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise ToolError("git is not installed: --against needs it") from None
    if result.returncode != 0:
        message = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise ToolError(f"git {' '.join(args)}: {message}")
    return result.stdout


def stubs_at_ref(ref: str, stubs_dir: Path) -> dict[str, str]:
    """Read the stub files committed under ``stubs_dir`` at git ``ref``.

    Returns
    -------
    dict of str to str
        Texts by path relative to ``stubs_dir``.

    Raises
    ------
    ToolError
        If git fails (no repository, unknown ref) or the ref has no stubs there.
    """
    folder = stubs_dir.resolve()
    cwd = folder if folder.is_dir() else folder.parent
    while not cwd.is_dir():
        cwd = cwd.parent
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        relative = folder.relative_to(top).as_posix()
    except ValueError:
        raise ToolError(f"{stubs_dir} is outside the git repository at {top}") from None
    names = _git(["ls-tree", "-r", "--name-only", ref, "--", relative], top).splitlines()
    files = {
        name[len(relative) + 1 :]: _git(["show", f"{ref}:{name}"], top)
        for name in names
        if name.endswith(".pyi")
    }
    if not files:
        raise ToolError(f"{ref} has no stubs under {relative}")
    return files


def stub_sides(
    ref: str, config: Config, model: ApiModel, files: dict[str, str] | None = None
) -> tuple[ApiModel, ApiModel]:
    """Return the stubs at ``ref`` and those of ``model``, both read back as models.

    ``files`` are ``model``'s stubs when they are rendered already (by the stubs stage);
    else they are rendered here, with the configured type map as the stubs stage does.
    """
    module = model.module.path
    old = model_from_stubs(stubs_at_ref(ref, config.stubs_dir), module)
    new = model_from_stubs(files or render_stubs(model, config.type_map).files, module)
    return old, new
