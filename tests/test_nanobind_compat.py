"""The copies of nanobind.stubgen code follow the installed nanobind (parse.nanobind_compat)."""

from __future__ import annotations

from pathlib import Path

import nanobind
import pytest
from nanobind import stubgen as nb_stubgen

from stubgen.errors import ToolError
from stubgen.parse.nanobind_compat import FOLLOWS, ImportTable, read_pattern_blocks

ROOT = Path(__file__).resolve().parent.parent

TRICKY = """\
# a comment
pkg.a$:
    def a(x: int) -> int:
        \\doc

        return 1

pkg.removed$:

pkg.(b|c)$:
      def \\1() -> None: ...
    # an indented comment stays text
"""


def test_installed_nanobind_is_one_the_copies_follow() -> None:
    installed = tuple(int(p) for p in nanobind.__version__.split(".")[:2])
    low, high = FOLLOWS
    assert low <= installed <= high, (
        f"nanobind {nanobind.__version__} is outside {FOLLOWS}: compare "
        "stubgen/parse/nanobind_compat.py with its stubgen.py, then update FOLLOWS"
    )


@pytest.mark.parametrize("name", ["demo", "tricky"])
def test_pattern_blocks_read_as_nanobind_reads_them(name: str, tmp_path: Path) -> None:
    path = ROOT / "demo" / "tinyfuser.pat"
    if name == "tricky":
        path = tmp_path / "tricky.pat"
        path.write_text(TRICKY, encoding="utf-8")
    ours = read_pattern_blocks(path)
    theirs = nb_stubgen.load_pattern_file(str(path))
    assert [b.query for b in ours] == [p.query.pattern for p in theirs]
    # nanobind ends each block with one empty line and empties blocks of only blank lines.
    assert [[*b.lines, ""] if b.lines else [] for b in ours] == [p.lines for p in theirs]


def test_a_bad_top_level_line_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.pat"
    path.write_text("pkg.a$:\n    pass\nnot a query\n", encoding="utf-8")
    with pytest.raises(ToolError, match=r"bad.pat:3: cannot parse"):
        read_pattern_blocks(path)


def test_import_table_picks_free_names_as_stubgen_bind_does() -> None:
    import types

    module = types.ModuleType("pkg")
    module.Tensor = object()  # type: ignore[attr-defined]
    table = ImportTable(module, quiet=True)
    # The stubbed module has a Tensor of its own: the import takes a free name instead.
    assert table.bind("torch", "Tensor") == "_Tensor"
    assert table.bind("torch", "Tensor") == "_Tensor"
    assert table.bind("numpy", "ndarray") == "ndarray"
