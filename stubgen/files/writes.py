"""Writing outputs atomically: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import difflib
import os
import posixpath
import tempfile
from pathlib import Path

from stubgen.errors import ToolError


def _file_mode() -> int:
    """Return the mode a new file gets from the umask (0644 under the usual 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def write_atomic(path: str | Path, text: str | bytes) -> None:
    r"""Write ``text`` to ``path`` through a temporary file in the same directory and a rename.

    Parameters
    ----------
    path : str or Path
        The file to create or replace; missing parent directories are created.
    text : str or bytes
        The content: text is written as UTF-8 with ``\\n`` line endings, bytes as they are.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ToolError(f"cannot write {target}: {_reason(exc)}") from exc
    try:
        os.chmod(tmp, _FILE_MODE)  # mkstemp's 0600 would outlive the rename
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        os.unlink(tmp)
        raise ToolError(f"cannot write {target}: {_reason(exc)}") from exc
    except BaseException:
        os.unlink(tmp)
        raise


def _reason(exc: OSError) -> str:
    """Say why a write failed, naming the user's path rather than a temporary file."""
    reason = exc.strerror or type(exc).__name__
    where = exc.filename if isinstance(exc.filename, str) else None
    if where and not Path(where).name.endswith(".tmp"):
        return f"{reason} ({where})"
    return reason


def write_tree(root: str | Path, files: dict[str, str]) -> list[Path]:
    """Write each file of ``files`` (relative path -> text) under ``root``, atomically.

    Parameters
    ----------
    root : str or Path
        The output directory; created if missing.
    files : dict of str to str
        The files to write.

    Returns
    -------
    list of Path
        The paths written, in sorted order. Files already holding the same text are left
        untouched (their modification time does not change).
    """
    written = []
    for relative in sorted(files):
        target = Path(root) / relative
        if target.is_file() and target.read_text(encoding="utf-8") == files[relative]:
            continue
        write_atomic(target, files[relative])
        written.append(target)
    return written


def stale_stubs(root: str | Path, files: dict[str, str]) -> list[str]:
    """Return the ``.pyi`` files a stubs run no longer writes, which it should remove.

    Only the stubs of the module tree the run wrote are looked at (a run on ``pkg._structs``
    never removes ``pkg/_render.pyi``, which a run on that sibling wrote), and a stub beside
    the module it describes (``pkg/_ext.pyi`` next to ``pkg/_ext.py`` or its ``.so``, in an
    installed package) is kept: it stands for a module that exists, hand-written or not.
    What remains is a stub of a module that is gone (a removed submodule).

    Parameters
    ----------
    root : str or Path
        The stubs directory.
    files : dict of str to str
        The files of this run, relative path -> text.

    Returns
    -------
    list of str
        Relative paths, sorted.
    """
    base = Path(root)
    written = [_stub_module(r) for r in files if r.endswith(".pyi")]
    scope = _common_module(written) if written else None
    stale = []
    for top in sorted({relative.split("/")[0] for relative in files if "/" in relative}):
        folder = base / top
        for path in sorted(folder.rglob("*.pyi")) if folder.is_dir() else []:
            relative = path.relative_to(base).as_posix()
            module = _stub_module(relative)
            inside = scope is not None and (module == scope or module.startswith(scope + "."))
            if inside and relative not in files and not _has_module(path):
                stale.append(relative)
    return stale


def _stub_module(relative: str) -> str:
    """Name the module a stub file describes: ``pkg/sub/__init__.pyi`` -> ``pkg.sub``."""
    parts = relative.removesuffix(".pyi").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _common_module(modules: list[str]) -> str:
    """Return the deepest module every one of ``modules`` lies in (or is)."""
    return posixpath.commonpath([m.replace(".", "/") for m in modules]).replace("/", ".")


def _has_module(stub: Path) -> bool:
    """Tell whether the module a stub describes is there beside it (source or extension)."""
    folder, stem = stub.parent, stub.stem
    if stem == "__init__":
        return (folder / "__init__.py").exists()
    return (
        (folder / f"{stem}.py").exists()
        or (folder / stem / "__init__.py").exists()
        or any(folder.glob(f"{stem}.*.so"))
        or any(folder.glob(f"{stem}.*.pyd"))
        or (folder / f"{stem}.so").exists()
        or (folder / f"{stem}.pyd").exists()
    )


def remove_stale_stubs(root: str | Path, files: dict[str, str]) -> list[str]:
    """Remove the :func:`stale_stubs` of a run; return their relative paths."""
    stale = stale_stubs(root, files)
    for relative in stale:
        (Path(root) / relative).unlink()
    return stale


def diff_tree(root: str | Path, files: dict[str, str]) -> str:
    """Return a unified diff from the stubs under ``root`` to ``files``; empty when equal.

    The stubs a run would remove (:func:`stale_stubs`) are shown as deleted, so that a
    check and a run agree: what the check flags, the run fixes.

    Parameters
    ----------
    root : str or Path
        The directory holding the files on disk.
    files : dict of str to str
        The expected files, relative path -> text.

    Returns
    -------
    str
        The diff text.
    """
    base = Path(root)
    on_disk = {r for r in files if (base / r).is_file()} | set(stale_stubs(base, files))
    chunks = []
    for relative in sorted(on_disk | set(files)):
        path = base / relative
        old = path.read_text(encoding="utf-8") if relative in on_disk else None
        new = files.get(relative)
        if old == new:
            continue
        if not old and not new:  # an empty file (py.typed) that is missing on one side
            chunks += [
                f"--- {'a/' + relative if old is not None else '/dev/null'}\n",
                f"+++ {'b/' + relative if new is not None else '/dev/null'}\n",
            ]
            continue
        chunks.extend(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                (new or "").splitlines(keepends=True),
                fromfile=f"a/{relative}" if old is not None else "/dev/null",
                tofile=f"b/{relative}" if new is not None else "/dev/null",
            )
        )
    return "".join(chunk if chunk.endswith("\n") else chunk + "\n" for chunk in chunks)


def remove_stale(root: str | Path, keep: set[str], under: str) -> list[Path]:
    """Delete files under ``root/under`` that are not in ``keep`` (paths relative to ``root``).

    Only the generated directory ``under`` is touched, so hand-written files elsewhere in
    ``root`` stay.

    Returns
    -------
    list of Path
        The files removed.
    """
    base = Path(root) / under
    removed = []
    if base.is_dir():
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.relative_to(root).as_posix() not in keep:
                path.unlink()
                removed.append(path)
    return removed
