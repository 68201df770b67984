"""Writing outputs atomically: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import difflib
import os
import tempfile
from pathlib import Path


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
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, _FILE_MODE)  # mkstemp's 0600 would outlive the rename
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


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


def diff_tree(root: str | Path, files: dict[str, str], *, suffixes: tuple[str, ...]) -> str:
    """Return a unified diff from the files under ``root`` to ``files``; empty when equal.

    Files under ``root`` with one of ``suffixes`` that ``files`` does not contain are shown
    as deleted, so a stale file left from an older run is reported too.

    Parameters
    ----------
    root : str or Path
        The directory holding the files on disk.
    files : dict of str to str
        The expected files, relative path -> text.
    suffixes : tuple of str
        Suffixes of the files on disk that take part in the comparison.

    Returns
    -------
    str
        The diff text.
    """
    base = Path(root)
    on_disk = (
        {
            p.relative_to(base).as_posix()
            for p in base.rglob("*")
            if p.is_file() and p.name.endswith(suffixes)
        }
        if base.is_dir()
        else set()
    )
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
