"""Summary tables: one row per member, its link and one-line summary, grouped by kind.

numpy, scipy and torch open each module page with such tables; the landing page has one of
the modules. Rows are sorted by name unless the settings keep the binding's order, and a
module's functions and classes can be grouped under titles of the settings
(``[tool.nbapi.docs] groups``: nvFuser's ops as "Pointwise", "Reductions", "Shape").
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from stubgen.config import DocsConfig
from stubgen.model.api import Class, Docstring, Function, Module


@dataclass
class Row:
    """One table row: the reference (reST) and the summary (one line of checked reST)."""

    name: str
    ref: str
    summary: str


@dataclass
class Group:
    """A titled table."""

    title: str
    rows: list[Row] = field(default_factory=list)


# A one-line summary of prose in the page's scope, "" when it is no single checked line.
Summarize = Callable[[Docstring | None, list[str]], str]


def _function_doc(fn: Function) -> Docstring | None:
    return next((o.doc for o in fn.overloads if o.doc is not None and o.doc.summary), None)


def _sorted(rows: list[Row], docs: DocsConfig) -> list[Row]:
    return rows if docs.order == "binding" else sorted(rows, key=lambda r: r.name.lower())


def _grouped(
    kinds: Iterable[tuple[str, list[Row]]], docs: DocsConfig, custom: set[str]
) -> list[Group]:
    """Put rows of the ``custom`` kinds into the settings' groups first, then by kind."""
    groups = [Group(title) for title in docs.groups]
    result: list[Group] = []
    for title, rows in kinds:
        rest: list[Row] = []
        for row in rows:
            target = None
            if title in custom:
                target = next(
                    (
                        g
                        for g in groups
                        if any(fnmatch.fnmatchcase(row.name, p) for p in docs.groups[g.title])
                    ),
                    None,
                )
            (target.rows if target is not None else rest).append(row)
        if rest:
            label = f"Other {title.lower()}" if any(g.rows for g in groups) else title
            result.append(Group(label, _sorted(rest, docs)))
    custom_groups = [Group(g.title, _sorted(g.rows, docs)) for g in groups if g.rows]
    return custom_groups + result


def module_groups(module: Module, summarize: Summarize, docs: DocsConfig) -> list[Group]:
    """Return the summary tables of a module page: submodules, classes, functions, data."""
    scopes = [module.path]

    def class_row(cls: Class) -> Row:
        role = "py:exc" if cls.is_exception else "py:class"
        return Row(cls.name, f":{role}:`~{cls.path}`", summarize(cls.doc, [cls.path, *scopes]))

    plain = [c for c in module.classes if not c.is_enum and not c.is_exception]
    kinds = [
        (
            "Submodules",
            [
                Row(m.name, f":py:mod:`~{m.path}`", summarize(m.doc, [m.path]))
                for m in module.submodules
            ],
        ),
        ("Classes", [class_row(c) for c in plain]),
        ("Enums", [class_row(c) for c in module.classes if c.is_enum]),
        ("Exceptions", [class_row(c) for c in module.classes if c.is_exception]),
        (
            "Functions",
            [
                Row(f.name, f":py:func:`~{f.path}`", summarize(_function_doc(f), scopes))
                for f in module.functions
            ],
        ),
        (
            "Attributes",
            [
                Row(a.name, f":py:data:`~{a.path}`", "")
                for a in module.attributes
                if not a.name.startswith("_") or a.name.startswith("__")
            ],
        ),
    ]
    return _grouped(kinds, docs, {"Classes", "Functions"})


def class_groups(cls: Class, summarize: Summarize, docs: DocsConfig) -> list[Group]:
    """Return the summary tables of a class page: methods, properties, attributes, members."""
    scopes = [cls.path]
    methods = [f for f in cls.functions if not (f.name.startswith("__") and f.name != "__init__")]
    kinds = [
        (
            "Methods",
            [
                Row(f.name, f":py:meth:`~{f.path}`", summarize(_function_doc(f), scopes))
                for f in methods
                if f.name != "__init__"
            ],
        ),
        (
            "Properties",
            [
                Row(p.name, f":py:attr:`~{p.path}`", summarize(p.doc, scopes))
                for p in cls.properties
            ],
        ),
        (
            "Attributes",
            [Row(a.name, f":py:attr:`~{a.path}`", "") for a in cls.attributes],
        ),
        (
            "Nested classes",
            [
                Row(c.name, f":py:class:`~{c.path}`", summarize(c.doc, [c.path, *scopes]))
                for c in cls.classes
            ],
        ),
    ]
    return _grouped(kinds, DocsConfig(order=docs.order), set())


def table_lines(groups: list[Group]) -> list[str]:
    """Write ``groups`` as reST: a rubric and a two-column list-table each."""
    lines: list[str] = []
    for group in groups:
        lines += [f".. rubric:: {group.title}", "", ".. list-table::", "   :widths: 30 70"]
        lines += ["   :width: 100%"]
        lines += ["   :class: nbapi-summary", ""]
        for row in group.rows:
            lines += [f"   * - {row.ref}", f"     - {row.summary}" if row.summary else "     -"]
        lines.append("")
    return lines


def counts(module: Module) -> tuple[int, int]:
    """Return how many classes (nested ones too) and functions a module defines."""
    classes = 0
    pending = list(module.classes)
    while pending:
        cls = pending.pop()
        classes += 1
        pending += cls.classes
    return classes, len(module.functions)
