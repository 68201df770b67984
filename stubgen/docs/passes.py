"""A Sphinx extension: cheaper equivalents of steps Sphinx and docutils take on every page.

Each gives the doctree the standard step gives; each only avoids work on pages where it
provably changes nothing, and any other page takes the standard step:

* the summary tables (``list-table`` of class ``nbapi-summary``, one line per cell, which
  ``nbapi docs`` writes) are built from their lines, not by parsing a two-level bullet list
  with a state machine per item (a seventh of the reading of drjit's pages);
* three passes that walk the whole page for what most API pages do not hold skip pages
  without it: the highlighting settings of literal blocks (a visitor over every node), the
  footnotes' page names of the LaTeX builder, and the resolution of named hyperlink
  references (``name_``; the parser notes each in ``document.refnames``).

Enabled through ``stubgen.docs.scale``. Without it, the same pages build to the same HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docutils import nodes
from docutils.parsers.rst.directives.tables import ListTable
from docutils.utils import SystemMessagePropagation
from sphinx import addnodes

SUMMARY_CLASS = "nbapi-summary"

# The rows nbapi writes: "* - <cell>" then "  - <cell>" (an empty cell is a bare "-").
_FIRST_CELL = re.compile(r"^\* -(?: (?P<text>.*))?$")
_NEXT_CELL = re.compile(r"^  -(?: (?P<text>.*))?$")
# Text a bullet item reads as one plain paragraph: it opens with a letter, a quote, a
# bracket or a role, is no enumerator ("a. ", "(1) ") and announces no literal block.
_PARAGRAPH_START = re.compile(r"[A-Za-z(\[\"'`]|:[\w.+-]+(?::[\w.+-]+)*:`")
_ENUMERATOR = re.compile(r"(?:\w{1,3}|#)[.)]\s|\((?:\w{1,3}|#)\)\s")


class SummaryTable(ListTable):
    """``list-table``, whose rows of ``nbapi-summary`` tables are read line by line."""

    def run(self) -> Sequence[nodes.table | nodes.system_message]:
        """Build the table as ``list-table`` does; see the module docstring."""
        ours = SUMMARY_CLASS in self.options.get("class", []) and not self.arguments
        rows = self._rows() if ours else None
        if rows is None:
            return super().run()
        table_data = [[self._cell(text, offset) for text, offset in row] for row in rows]
        widths = self.get_column_widths(len(table_data[0]))  # type: ignore[no-untyped-call]
        header_rows = self.options.get("header-rows", 0)
        stub_columns = self.options.get("stub-columns", 0)
        try:
            self.check_table_dimensions(table_data, header_rows, stub_columns)
        except SystemMessagePropagation:
            return super().run()  # docutils reports it
        table = self.build_table_from_list(table_data, widths, header_rows, stub_columns)
        table["classes"] += self.options.get("class", [])
        self.set_table_width(table)
        self.add_name(table)
        return [table]

    def _rows(self) -> list[list[tuple[str, int]]] | None:
        """Return each row's cells (text, line offset); None when a line is another shape."""
        rows: list[list[tuple[str, int]]] = []
        for offset, line in enumerate(self.content):
            if not line.strip():
                continue
            first, following = _FIRST_CELL.match(line), _NEXT_CELL.match(line)
            match = first or following
            if match is None or (following and not rows):
                return None
            text = match.group("text") or ""
            if text and (not _PARAGRAPH_START.match(text) or _ENUMERATOR.match(text)):
                return None
            if text.rstrip().endswith("::"):
                return None
            cell = (text, self.content_offset + offset)
            if first:
                rows.append([cell])
            else:
                rows[-1].append(cell)
        if not rows or len({len(row) for row in rows}) != 1:
            return None
        return rows

    def _cell(self, text: str, offset: int) -> list[nodes.Node]:
        """Return what a bullet item holding ``text`` parses to: one paragraph, or nothing."""
        if not text:
            return []
        source, line = self.state_machine.get_source_and_line(offset)
        inline, messages = self.state.inline_text(text, line or 0)
        paragraph = nodes.paragraph(text, "", *inline)
        paragraph.source, paragraph.line = source, line
        return [paragraph, *messages]


def _only_with(step: type[Any], *kinds: type[nodes.Node]) -> type[Any]:
    """Return ``step``, skipped on a page that holds no node of ``kinds``."""

    class Skipping(step):  # type: ignore[misc]
        def apply(self, **kwargs: Any) -> None:
            if any(next(self.document.findall(kind), None) is not None for kind in kinds):
                super().apply(**kwargs)

    Skipping.__name__ = Skipping.__qualname__ = step.__name__
    return Skipping


class _NamedReferencesSkipping:
    """Mixed into Sphinx's dangling-references pass: skipped where no reference is named.

    It resolves the references the parser noted by name (``document.refnames``) and reports
    unreferenced targets at the INFO level, which Sphinx's pass silences.
    """

    document: nodes.document

    def apply(self, **kwargs: Any) -> None:
        if self.document.refnames:
            super().apply(**kwargs)  # type: ignore[misc]


def _replace(steps: list[type[Any]], step: type[Any], by: type[Any]) -> None:
    for index, registered in enumerate(steps):
        if registered is step:
            steps[index] = by


def _skip_passes(app: Any) -> None:
    """Put the skipping passes in the place of Sphinx's, once the builder is known."""
    from sphinx.builders.latex.transforms import FootnoteDocnameUpdater
    from sphinx.transforms.post_transforms.code import HighlightLanguageTransform
    from sphinx.transforms.references import SphinxDanglingReferences

    registry = app.registry
    highlight = _only_with(HighlightLanguageTransform, nodes.literal_block, addnodes.highlightlang)
    _replace(registry.post_transforms, HighlightLanguageTransform, highlight)
    if app.builder.format != "latex":
        footnotes = _only_with(FootnoteDocnameUpdater, nodes.footnote, nodes.footnote_reference)
        _replace(registry.transforms, FootnoteDocnameUpdater, footnotes)
    named = type(
        "SphinxDanglingReferences", (_NamedReferencesSkipping, SphinxDanglingReferences), {}
    )
    _replace(registry.transforms, SphinxDanglingReferences, named)


def setup(app: Any) -> dict[str, Any]:
    """Register the table directive and the skipping passes with Sphinx."""
    app.add_directive("list-table", SummaryTable, override=True)
    app.connect("builder-inited", _skip_passes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
