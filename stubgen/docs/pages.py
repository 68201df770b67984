"""Render the model as Sphinx source pages (jinja2 templates), without importing anything.

Pages go under ``<source>/api/``: an index, one page per module, one per class, and a
coverage page. Hand-written pages beside them are never touched; ``conf.py`` and
``index.rst`` are only written when the source directory has none.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jinja2

from stubgen.config import DocsConfig
from stubgen.coverage import CoverageReport, format_percent, render_badge
from stubgen.diff import DiffReport
from stubgen.docs.rst import Linker, RstWriter, escape
from stubgen.docs.summary import Summarize, class_groups, counts, module_groups, table_lines
from stubgen.model.api import ApiModel, Class, Docstring, Module
from stubgen.model.names import NameIndex
from stubgen.model.walk import iter_modules

API_DIR = "api"

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("stubgen.docs", "templates"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    autoescape=False,  # the output is reST, not HTML
)


def _render(template: str, **context: object) -> str:
    text = _ENV.get_template(template).render(**context)
    lines = [line.rstrip() for line in text.splitlines()]
    collapsed: list[str] = []
    for line in lines:
        if line or (collapsed and collapsed[-1]):
            collapsed.append(line)
    return "\n".join(collapsed).strip("\n") + "\n"


def _summarizer(writer: RstWriter) -> Summarize:
    def summarize(doc: Docstring | None, scopes: list[str]) -> str:
        if doc is None or not doc.summary:
            return ""
        lines = writer.prose(doc.summary, scopes)
        # One line of checked prose fits a table cell; anything else is left out there.
        return lines[0] if len(lines) == 1 else ""

    return summarize


def _class_page(writer: RstWriter, cls: Class, module: Module, docs: DocsConfig) -> str:
    tables = table_lines(class_groups(cls, _summarizer(writer), docs))
    return _render(
        "class.rst.jinja",
        title=cls.path,
        module=module,
        tables=tables,
        body=writer.klass(cls, module),
    )


def _module_page(writer: RstWriter, module: Module, docs: DocsConfig) -> str:
    doc = writer.docstring(module.doc, [module.path])
    return _render(
        "module.rst.jinja",
        title=module.path,
        module=module,
        doc=doc,
        tables=table_lines(module_groups(module, _summarizer(writer), docs)),
        body=writer.module_functions(module),
    )


def _overview(
    writer: RstWriter,
    modules: list[Module],
    docs: DocsConfig,
    coverage: CoverageReport | None,
    changes: DiffReport | None,
) -> str:
    """Render the landing page's content: what the package is, its modules, where to go."""
    summarize = _summarizer(writer)
    root = modules[0]
    about = summarize(root.doc, [root.path]) or escape(docs.description or "")
    rows = []
    for module in modules:
        classes, functions = counts(module)
        rows.append(
            (f":py:mod:`{module.path}`", summarize(module.doc, [module.path]), classes, functions)
        )
    return _render(
        "overview.rst.jinja",
        about=about,
        rows=rows,
        authors=", ".join(escape(a) for a in docs.authors),
        coverage=coverage is not None,
        changes=changes is not None,
    )


def _coverage_page(report: CoverageReport) -> str:
    modules = [(path, scores.as_dict()) for path, scores in report.scores.items() if path]
    rows = [
        (path, _Row(**{k: format_percent(v) for k, v in values.items()}))
        for path, values in modules
    ]
    counts = sorted(Counter(f.code for f in report.findings).items())
    return _render("coverage.rst.jinja", overall=report.overall, modules=rows, counts=counts)


class _Row:
    def __init__(self, **values: str) -> None:
        self.__dict__.update(values)


def render_pages(
    model: ApiModel,
    coverage: CoverageReport | None = None,
    changes: DiffReport | None = None,
    docs: DocsConfig | None = None,
    type_map: dict[str, str] | None = None,
) -> dict[str, str]:
    """Return the API pages of ``model``, keyed by path relative to the source directory.

    Parameters
    ----------
    model : ApiModel
        The API model (from JSON; nothing is imported).
    coverage : CoverageReport, optional
        When given, a coverage page with the table by module and the badge is added.
    changes : DiffReport, optional
        When given, a Changes page lists what changed since the reference, linked.
    docs : DocsConfig, optional
        The order and groups of the summary tables, the landing page's project facts.
    type_map : dict of str to str, optional
        The stubs' map of unbound C++ types: the docs write the types the stubs write.

    Returns
    -------
    dict of str to str
        ``api/index.rst``, its overview (``api/overview.inc``, which a landing page
        includes), one page per module and class, and the coverage files.
    """
    docs = docs or DocsConfig()
    writer = RstWriter(NameIndex.from_model(model), type_map)
    modules = list(iter_modules(model.module))
    pages = {
        f"{API_DIR}/overview.inc": _overview(writer, modules, docs, coverage, changes),
        f"{API_DIR}/index.rst": _render(
            "api_index.rst.jinja",
            modules=modules[:1],
            coverage=coverage is not None,
            changes=changes is not None,
        ),
    }
    for module in modules:
        writer.enter(module)
        pages[f"{API_DIR}/{module.path}.rst"] = _module_page(writer, module, docs)
        for cls in module.classes:
            pages[f"{API_DIR}/{cls.path}.rst"] = _class_page(writer, cls, module, docs)
    if coverage is not None:
        pages[f"{API_DIR}/coverage.rst"] = _coverage_page(coverage)
        pages[f"{API_DIR}/coverage-badge.svg"] = render_badge(coverage)
    if changes is not None:
        pages[f"{API_DIR}/changes.rst"] = _changes_page(changes, writer.linker)
    return pages


_GROUPS = (("error", "Breaking"), ("warning", "May break"), ("info", "Compatible"))


def _changes_page(report: DiffReport, linker: Linker) -> str:
    """List the changes by kind: each object linked where it still exists, else literal."""
    groups = []
    for severity, title in _GROUPS:
        entries = []
        for f in report.findings:
            if f.severity != severity:
                continue
            known = f.path in linker.index.objects or f.path in linker.index.modules
            parent, _, name = f.path.rpartition(".")
            member = name in linker.index.members.get(parent, set())
            known = known or (member and not name.startswith("__"))  # dunders have no entry
            where = f":{linker.role(f.path)}:`{f.path}`" if known else f"``{f.path}``"
            entries.append(f"{where}: {escape(f.message)} ({f.code})")
        if entries:
            groups.append((title, entries))
    summary = ", ".join(f"{n} {kind}" for kind, n in report.counts().items())
    return _render(
        "changes.rst.jinja", old=report.old, new=report.new, summary=summary, groups=groups
    )


def starter_files(source: Path, model: ApiModel, docs: DocsConfig | None = None) -> dict[str, str]:
    """Return ``conf.py`` and ``index.rst`` for a source directory that has none."""
    project = (docs.project if docs else None) or model.module.path
    authors = ", ".join(docs.authors) if docs else ""
    files = {}
    if not (source / "conf.py").exists():
        files["conf.py"] = _render(
            "conf.py.jinja", project=project, top=model.module.path.split(".")[0], author=authors
        )
    if not (source / "index.rst").exists():
        files["index.rst"] = _render("index.rst.jinja", project=project)
    return files
