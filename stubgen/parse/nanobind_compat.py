"""What this tool takes from ``nanobind.stubgen``, in one place.

Two copies, kept line for line with nanobind's so that a project's existing files and
habits carry over: the reading of a pattern file (``load_pattern_file``) and the search for a
free local name (``StubGen.bind``, without the import it makes). Two uses: the import table
and the docstring formatting of ``StubGen``. :data:`FOLLOWS` names the nanobind versions these
were checked against; a test pins it to the installed nanobind and compares our reading of a
pattern file with nanobind's own.
"""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass
from pathlib import Path

from nanobind.stubgen import StubGen

from stubgen.errors import ToolError

# The oldest and newest nanobind (major, minor) the copies below were compared with.
FOLLOWS = ((3, 0), (3, 1))


@dataclass
class PatternBlock:
    """One entry of a pattern file as nanobind reads it: the query, its line, its block."""

    query: str
    number: int
    lines: list[str]


def read_pattern_blocks(path: Path) -> list[PatternBlock]:
    """Read a pattern file into its entries, as ``nanobind.stubgen.load_pattern_file`` does.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    list of PatternBlock
        The entries in file order; each query without its closing ``:``, each block dedented
        as nanobind dedents it, without trailing blank lines.

    Raises
    ------
    ToolError
        If the file cannot be read or a top-level line does not end in ``:``.
    """
    try:
        file_lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ToolError(f"cannot read pattern file {path}: {exc}") from exc
    blocks: list[PatternBlock] = []
    lines: list[str] = []
    query: tuple[str, int] | None = None
    dedent = 0

    def add(text: str, number: int, block: list[str]) -> None:
        while block and not block[-1].strip():
            block.pop()
        blocks.append(PatternBlock(text[:-1], number, block))

    for number, raw in enumerate(file_lines, 1):
        line = raw.rstrip()
        if line.startswith("#"):
            continue
        if not line or line[0].isspace():
            if not lines:
                stripped = line.lstrip()
                dedent = len(line) - len(stripped)
                lines.append(stripped)
            else:
                s1, s2 = line.lstrip(), line[dedent:]
                lines.append(s2 if len(s2) > len(s1) else s1)
            continue
        if not line.endswith(":"):
            raise ToolError(
                f"{path}:{number}: cannot parse {line[:60]!r}: a pattern line must end in ':'"
            )
        if query is not None:
            add(query[0], query[1], lines)
        query, lines = (line, number), []
    if query is not None:
        add(query[0], query[1], lines)
    return blocks


@functools.cache
def _formatter() -> StubGen:
    return StubGen(types.ModuleType("patterns"), quiet=True)


def format_docstring(doc: str, depth: int) -> str:
    """Return ``doc`` as nanobind.stubgen writes a docstring ``depth`` levels in."""
    text: str = _formatter().format_docstr(doc, depth)
    return text


class ImportTable(StubGen):
    """nanobind's import table, choosing conflict-free local names without importing.

    ``StubGen.bind`` imports a module to ask whether one of its members is the very object
    a stubbed module's attribute of the same name holds. Our stubbed module is a stand-in
    whose attributes are placeholders, so the answer is always no, and the import would load
    the extension (or anything a pattern names) into the process that must not import it.
    """

    def bind(
        self,
        module: str,
        member: str | None = None,
        name: str | None = None,
        export: bool = False,
    ) -> str:
        """Record an import as :meth:`StubGen.bind` does; return the local name."""
        if name is None and member is not None and module != "builtins":
            name = member
            while True:  # StubGen's search for a free name, minus its import
                bound = self.bindings.get(name)
                if bound is None and not hasattr(self.module, name):
                    break
                if bound is not None and bound[:2] == (module, member):
                    break
                name = "_" + name
        return super().bind(module, member, name=name, export=export)
