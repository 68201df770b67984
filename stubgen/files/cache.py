"""Content hashes that decide whether a stage's last output is still valid.

A stage's key hashes what it reads: the built extension's files (found without importing
anything), the configuration, the tool's version, and the stage's own inputs (the stubs on
disk, the check files, the hand-written docs pages). When the key is the one recorded after
the stage last succeeded, and its outputs are still as it left them, the stage is skipped.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from stubgen import __version__
from stubgen.files.writes import write_atomic

CACHE_DIR = Path(".nbapi-cache")


def hash_files(paths: Iterable[Path], root: Path | None = None) -> str:
    """Hash the names and bytes of files (directories are walked, ``__pycache__`` skipped)."""
    digest = hashlib.sha256()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        elif path.is_file():
            files.append(path)
    for file in sorted(set(files)):
        name = (
            file.relative_to(root).as_posix() if root and file.is_relative_to(root) else str(file)
        )
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def module_files(module: str, paths: list[str]) -> list[Path]:
    """Find the files of the top-level package of ``module`` without importing it.

    Returns
    -------
    list of Path
        The package directory (or the single extension file); empty when it is not found,
        which makes the key change on every run, so nothing stale is reused.
    """
    top = module.split(".")[0]
    spec = importlib.machinery.PathFinder.find_spec(top, [*paths, *sys.path])
    if spec is None:
        return []
    if spec.submodule_search_locations:
        return [Path(p) for p in spec.submodule_search_locations]
    return [Path(spec.origin)] if spec.origin else []


def stage_key(*parts: str) -> str:
    """Combine the tool version, the Python version and the given parts into one key."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


class StageCache:
    """The keys recorded after each stage last succeeded, in ``.nbapi-cache/state.json``."""

    def __init__(self, directory: Path = CACHE_DIR, enabled: bool = True) -> None:
        self.directory = directory
        self.enabled = enabled
        self.file = directory / "state.json"
        self.state: dict[str, str] = {}
        if enabled and self.file.is_file():
            try:
                self.state = dict(json.loads(self.file.read_text(encoding="utf-8")))
            except (ValueError, TypeError):
                self.state = {}

    def fresh(self, stage: str, key: str) -> bool:
        """Tell whether ``stage`` last succeeded with ``key``."""
        return self.enabled and self.state.get(stage) == key

    def record(self, stage: str, key: str) -> None:
        """Remember that ``stage`` succeeded with ``key``."""
        if self.enabled:
            self.state[stage] = key
            write_atomic(self.file, json.dumps(self.state, indent=2, sort_keys=True) + "\n")

    def forget(self, stage: str) -> None:
        """Forget ``stage`` (it failed, or its outputs changed)."""
        if self.enabled and self.state.pop(stage, None) is not None:
            write_atomic(self.file, json.dumps(self.state, indent=2, sort_keys=True) + "\n")
