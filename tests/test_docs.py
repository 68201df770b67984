"""Docs: built from the model with the extension unimportable, -W -n clean, every object there."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import http.server
import json
import os
import pickle
import posixpath
import re
import shutil
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.addnodes import pending_xref_condition
from sphinx.util.inventory import InventoryFile

from stubgen.docs.pages import render_pages
from stubgen.model.api import ApiModel, Function
from stubgen.model.json_io import model_to_json
from stubgen.model.walk import iter_classes, iter_functions, iter_modules

ROOT = Path(__file__).parent.parent
ARTIFACTS = ROOT / "out" / "test-artifacts"

# Runs the docs verb in a process where importing tinyfuser raises: the build must not need it.
BLOCKED_RUN = """
import sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name == "tinyfuser" or name.startswith("tinyfuser."):
            raise ImportError("tinyfuser is not importable on this docs host")
sys.meta_path.insert(0, Blocker())
from stubgen.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, demo_model: ApiModel) -> Path:
    root = tmp_path_factory.mktemp("docs")
    source = root / "source"
    shutil.copytree(ROOT / "docs" / "source", source, ignore=shutil.ignore_patterns("api"))
    model = root / "tinyfuser.model.json"
    model.write_text(model_to_json(demo_model))
    args = [
        "docs",
        "tinyfuser",
        "--model",
        str(model),
        "--source",
        str(source),
        "-o",
        str(root / "html"),
    ]
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED_RUN, *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr
    return root / "html"


@functools.cache
def html_of(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text() for p in site.rglob("*.html")}


def all_ids(site: Path) -> set[str]:
    return {m for text in html_of(site).values() for m in re.findall(r'id="([^"]+)"', text)}


def public_paths(model: ApiModel) -> Iterator[str]:
    yield from (fn.path for fn in iter_functions(model))
    for module in iter_modules(model.module):
        yield module.path
        yield from (a.path for a in module.attributes)
        for cls in iter_classes(module.classes):
            yield cls.path
            yield from (p.path for p in cls.properties)
            yield from (f"{cls.path}.{m.name}" for m in cls.members)


def test_every_public_object_has_an_entry(site: Path, demo_model: ApiModel) -> None:
    ids = all_ids(site)
    # A single __init__ is shown as the class signature, under the class's entry.
    missing = [
        p
        for p in public_paths(demo_model)
        if p not in ids
        and f"module-{p}" not in ids
        and not (p.endswith(".__init__") and p.removesuffix(".__init__") in ids)
    ]
    assert missing == []


def test_each_overloads_docstring_is_on_the_page(site: Path, demo_model: ApiModel) -> None:
    pages = html_of(site)
    text = re.sub(r"<[^>]+>", "", "".join(pages.values()))
    for fn in iter_functions(demo_model):
        for overload in fn.overloads:
            if overload.doc is not None and overload.doc.summary:
                words = re.findall(r"[A-Za-z]+", overload.doc.summary)[:3]
                assert re.search(r"\W+".join(words), text), f"{fn.path}: {words} not in the docs"
    ops = pages["api/tinyfuser.ops.html"]
    assert ops.count('<dt class="sig sig-object py"') >= 40  # every overload has its own entry


def test_see_also_links_to_the_right_anchor(site: Path) -> None:
    page = html_of(site)["api/tinyfuser.FusionExecutorCache.html"]
    assert 'href="tinyfuser.Fusion.html#tinyfuser.Fusion.add_output"' in page
    assert 'id="tinyfuser.Fusion.add_output"' in html_of(site)["api/tinyfuser.Fusion.html"]


def test_sections_render(site: Path) -> None:
    page = html_of(site)["api/tinyfuser.Fusion.html"]
    for title in ("Parameters", "Returns", "Raises", "See Also", "Examples"):
        assert f'<p class="rubric">{title}</p>' in page
    assert 'class="highlight-pycon' in page
    assert 'href="tinyfuser.FusionError.html#tinyfuser.FusionError"' in page  # Raises links


def test_inventory_and_coverage_page(site: Path) -> None:
    with open(site / "objects.inv", "rb") as f:
        inventory = InventoryFile.load(f, "", posixpath.join)
    names = {name for entries in inventory.values() for name in entries}
    assert {
        "tinyfuser.ops.add",
        "tinyfuser.Fusion.define_tensor",
        "tinyfuser.DataType.Float",
    } <= names
    coverage = html_of(site)["api/coverage.html"]
    assert "coverage-badge.svg" in coverage and "tinyfuser.ops" in coverage


def test_sidebar_holds_the_current_branch_only(site: Path) -> None:
    # furo's full tree on every page costs pages x pages; the current branch is enough to
    # reach every class of the module being read, and every module.
    def sidebar(page: str) -> str:
        html = (site / "api" / page).read_text()
        return html[html.index('class="sidebar-tree"') : html.index('class="main"')]

    fusion, target = sidebar("tinyfuser.Fusion.html"), sidebar("tinyfuser.targets.Target.html")
    assert "tinyfuser.targets.html" in fusion and "tinyfuser.targets.Target.html" not in fusion
    assert 'href="#"' in target and "tinyfuser.Fusion.html" in target  # its own entry, open


# Sphinx's own collapsed tree through furo's markup, beside ours, on every page of a site
# with captions, explicit titles, a hidden toctree, an external link, folders and an orphan.
NAVIGATION_PAGES = {
    "index.rst": "Top\n===\n\n.. toctree::\n   :caption: Guide\n\n   guide/intro\n"
    "   Custom title <guide/deep>\n\n.. toctree::\n   :hidden:\n\n   api/index\n"
    "   Python <https://www.python.org>\n",
    "guide/intro.rst": "Intro\n=====\n",
    "guide/deep.rst": "Deep\n====\n\n.. toctree::\n\n   deeper/a\n   deeper/b\n",
    "guide/deeper/a.rst": "A <&>\n=====\n",
    "guide/deeper/b.rst": "B\n=\n\n.. toctree::\n\n   c\n",
    "guide/deeper/c.rst": "C\n=\n",
    "api/index.rst": "API\n===\n\n.. toctree::\n\n   self\n   x\n   y\n",
    "api/x.rst": "X\n=\n",
    "api/y.rst": "Y\n=\n",
    "orphan.rst": ":orphan:\n\nOrphan\n======\n",
    "navcheck.py": """
import furo

def compare(app, pagename, templatename, context, doctree):
    theirs = furo.get_navigation_tree(context["toctree"](
        collapse=True, titles_only=True, maxdepth=-1, includehidden=True))
    if theirs != context["furo_navigation_tree"]:
        with open(app.outdir / "nav-mismatch.txt", "a") as out:
            out.write(f"{pagename}\\n{theirs}\\n----\\n{context['furo_navigation_tree']}\\n")

def setup(app):
    app.connect("html-page-context", compare, priority=900)
""",
    "conf.py": "import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n"
    "html_theme = 'furo'\nextensions = ['stubgen.docs.navigation', 'navcheck']\n",
}


@pytest.mark.slow
def test_sidebar_is_sphinx_collapsed_tree_in_furo_markup(tmp_path: Path) -> None:
    for name, text in NAVIGATION_PAGES.items():
        (tmp_path / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / name).write_text(text)
    out = tmp_path / "html"
    build(tmp_path / "src", out)
    assert (out / "guide" / "deeper" / "c.html").is_file()
    mismatch = out / "nav-mismatch.txt"
    assert not mismatch.exists(), mismatch.read_text()[:3000]


LOOKUP_PAGE = """
Objects
=======

.. py:module:: pkg.sub

.. py:class:: Node

   .. py:method:: grow(x)

   .. py:attribute:: size

.. py:function:: grow()

.. py:module:: pkg

.. py:class:: Node

.. py:data:: size

.. py:exception:: Failure
"""

LOOKUP_CHECK = """
from sphinx.domains.python import PythonDomain

QUERIES = [
    (mod, cls, name, kind, mode)
    for mod in ("", "pkg", "pkg.sub", "other")
    for cls in ("", "Node", "Missing")
    for name in ("Node", "grow", "size", "Node.grow", "sub.Node", "Failure", "int", "grow()",
                 "ub.Node", "")
    for kind in (None, "class", "meth", "attr", "exc", "obj")
    for mode in (0, 1)
]

def compare(app, exception):
    domain = app.env.domains["py"]
    assert type(domain).__name__ == "IndexedPythonDomain"
    with open(app.outdir / "lookups.txt", "w") as out:
        for mod, cls, name, kind, mode in QUERIES:
            ours = domain.find_obj(app.env, mod, cls, name, kind, mode)
            theirs = PythonDomain.find_obj(domain, app.env, mod, cls, name, kind, mode)
            out.write(f"{(mod, cls, name, kind, mode)} {ours == theirs} {len(theirs)}\\n")

def setup(app):
    app.connect("build-finished", compare)
"""


@pytest.mark.slow
def test_lookup_answers_as_sphinx_does(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "index.rst").write_text(LOOKUP_PAGE)
    (source / "lookupcheck.py").write_text(LOOKUP_CHECK)
    (source / "conf.py").write_text(
        "import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n"
        "extensions = ['stubgen.docs.lookup', 'lookupcheck']\n"
    )
    build(source, tmp_path / "html")
    lines = (tmp_path / "html" / "lookups.txt").read_text().splitlines()
    assert len(lines) == 4 * 3 * 10 * 6 * 2
    assert not [line for line in lines if " False " in line]
    # The table reaches the index: several fuzzy matches, and none.
    assert any(line.endswith(" 2") and ", 1)" in line for line in lines)
    assert any(line.endswith(" 0") and "'int'" in line for line in lines)


def test_no_change_rebuild_reads_nothing(site: Path, tmp_path: Path, demo_model: ApiModel) -> None:
    source = site.parent / "source"
    model = site.parent / "tinyfuser.model.json"
    args = ["docs", "tinyfuser", "--model", str(model), "--source", str(source), "-o", str(site)]
    before = {p: p.stat().st_mtime_ns for p in (source / "api").iterdir()}
    result = subprocess.run(
        [sys.executable, "-m", "stubgen", *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert {p: p.stat().st_mtime_ns for p in (source / "api").iterdir()} == before


def published(site: Path) -> dict[str, int]:
    """Inode of each published file: a file the rebuild left alone keeps its inode."""
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.html")}


def test_one_docstring_changed_rewrites_its_page_only(tmp_path: Path, demo_model: ApiModel) -> None:
    model, source, html = tmp_path / "model.json", tmp_path / "source", tmp_path / "html"
    args = ["docs", "tinyfuser", "--model", str(model), "--source", str(source), "-o", str(html)]
    model.write_text(model_to_json(demo_model))
    run = [sys.executable, "-m", "stubgen", *args]
    assert subprocess.run(run, capture_output=True, check=False).returncode == 0
    before = published(html)
    changed = copy.deepcopy(demo_model)
    fusion = next(c for c in changed.module.classes if c.name == "Fusion")
    overload = next(f for f in fusion.functions if f.overloads[0].doc).overloads[0]
    assert overload.doc is not None
    overload.doc = dataclasses.replace(overload.doc, summary=overload.doc.summary + " Now changed.")
    model.write_text(model_to_json(changed))
    assert subprocess.run(run, capture_output=True, check=False).returncode == 0
    after = published(html)
    assert after.keys() == before.keys()
    rewritten = {page for page in after if after[page] != before[page]}
    # Not its module page, whose toctree holds it (Sphinx alone would rewrite that too).
    assert rewritten == {"api/tinyfuser.Fusion.html"}
    assert "Now changed." in (html / "api" / "tinyfuser.Fusion.html").read_text()
    # Nothing changed: Sphinx is not even started, and the site is left as it is.
    assert subprocess.run(run, capture_output=True, check=False).returncode == 0
    assert published(html) == after


@pytest.mark.slow
def test_parents_are_rewritten_when_a_childs_outline_changes(tmp_path: Path) -> None:
    source, out = tmp_path / "src", tmp_path / "html"
    source.mkdir()
    (source / "conf.py").write_text("extensions = ['stubgen.docs.scale']\n")
    (source / "index.rst").write_text("Top\n===\n\n.. toctree::\n\n   parent\n")
    (source / "parent.rst").write_text(
        "Parent\n======\n\n.. toctree::\n   :maxdepth: 2\n\n   child\n"
    )

    def edit_child(body: str, section: str) -> dict[str, int]:
        child = source / "child.rst"
        child.write_text(f"Child\n=====\n\n{body}\n\n{section}\n{'-' * len(section)}\n\ntext\n")
        stamp = time.time_ns() + 10**9 * (len(list(out.glob("*.html"))) + 1)
        os.utime(child, ns=(stamp, stamp))
        build(source, out)
        return {p.name: p.stat().st_mtime_ns for p in out.glob("*.html")}

    first = edit_child("Some text.", "Part A")
    second = edit_child("Other text.", "Part A")
    assert second["child.html"] != first["child.html"]
    assert second["parent.html"] == first["parent.html"]  # its toctree shows the same outline
    third = edit_child("Other text.", "Part B")
    assert third["parent.html"] != second["parent.html"]
    assert "Part B" in (out / "parent.html").read_text()


# -- the Sphinx extension, on projects with their own conf.py ---------------------------------

EXTENSION_CONF = """
project = "ext"
extensions = ["stubgen.docs.sphinxext", "sphinx_autodoc_typehints"]
nitpicky = True
nitpick_ignore_regex = [(r"py:.*", r"(?!tinyfuser(\\.|$)).*")]
"""


def build(source: Path, out: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", str(source), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    assert result.returncode == 0 and not errors, result.stderr
    return (out / "index.html").read_text()


def test_settled_references_render_as_sphinx_renders_them(site: Path, tmp_path: Path) -> None:
    # The demo's pages again, with Sphinx left to pick each reference's text itself, and to
    # take all its own steps (no stubgen.docs.passes: bullet-list tables, every pass).
    source = tmp_path / "source"
    shutil.copytree(site.parent / "source", source)
    conf = source / "conf.py"
    text = conf.read_text().replace('nbapi_package = "tinyfuser"', 'nbapi_package = ""')
    own = '["stubgen.docs.navigation", "stubgen.docs.lookup", "stubgen.docs.rebuild"]'
    from stubgen.docs.scale import STATIC

    style = f"\nhtml_static_path = [{str(STATIC)!r}]\nhtml_css_files = ['nbapi.css']\n"
    conf.write_text(text.replace('["stubgen.docs.scale"]', own) + style)
    assert conf.read_text().count("stubgen.docs.") == 3
    build(source, tmp_path / "html")
    api = [page for page in html_of(site) if page.startswith("api/") or page == "index.html"]
    assert len(api) > 10
    for page in api:
        assert (tmp_path / "html" / page).read_text() == html_of(site)[page], page

    def targets(doctrees: Path) -> list[str]:
        """The targets of the references that still hold two texts (conditions)."""
        trees = [pickle.loads(p.read_bytes()) for p in (doctrees / "api").glob("*.doctree")]
        conditions = [c for tree in trees for c in tree.findall(pending_xref_condition)]
        return [c.parent["reftarget"] for c in conditions]

    unsettled = targets(tmp_path / "html" / ".doctrees")
    settled = targets(site.parent / ".html.sphinx" / ".doctrees")
    assert sum(t.startswith("tinyfuser.") for t in unsettled) > 100
    assert sum(t in ("int", "None") for t in unsettled) > 10
    # Only references whose two texts differ keep both: typing.Any ("Any" if it resolves).
    assert settled and all("." in t and not t.startswith("tinyfuser.") for t in settled)


# Summary tables whose cells the line-by-line reader must leave to docutils (a bullet, an
# enumerator, a literal-block marker, a field), beside ones it reads, and the rest of a page.
SUMMARY_TABLES = """
.. list-table::
   :class: nbapi-summary

   * - :py:func:`f`
     - Return *x*, ``y`` and :math:`z`.
   * - "quoted" [bracket] (paren)
     -

.. list-table::
   :widths: 30 70
   :class: nbapi-summary

   * - one
     - {cell}
"""
PAGE_REST = """
.. list-table::

   * - a plain table
     - read by docutils

.. py:function:: f()

   See Tables_, target_ and this footnote [#]_; ``code``.

   .. _target: https://example.org

   .. [#] A footnote.

   ::

      a literal block
"""
TRICKY_CELLS = ["- a bullet", "1. an enumerator", "(a) another", "ends with::", ":param x: y"]


@pytest.mark.slow
def test_summary_tables_read_line_by_line_build_as_docutils_builds_them(tmp_path: Path) -> None:
    # One page with the tables of every cell, built with the line-by-line reader and by
    # docutils alone: the same HTML.
    cells = ["Plain text.", *TRICKY_CELLS]
    text = "Tables\n======\n" + "".join(SUMMARY_TABLES.format(cell=c) for c in cells)
    pages = {}
    for name, extensions in (("fast", ["stubgen.docs.passes"]), ("docutils", [])):
        source = tmp_path / name
        source.mkdir()
        (source / "conf.py").write_text(f"extensions = {extensions!r}\n")
        (source / "index.rst").write_text(text + PAGE_REST)
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", str(source)]
        subprocess.run([*command, str(tmp_path / f"{name}-html")], check=True, capture_output=True)
        pages[name] = (tmp_path / f"{name}-html" / "index.html").read_text()
    assert pages["fast"] == pages["docutils"]
    assert pages["fast"].count("nbapi-summary") == 2 * len(cells)


def test_overloads_with_one_docstring_share_a_directive(shipped_model: ApiModel) -> None:
    # The pattern file gives every overload of abs one docstring; exp keeps nanobind's shape.
    ops = render_pages(shipped_model)["api/tinyfuser.ops.rst"]
    directives = ops.split("\n.. ")
    abs_ = [d for d in directives if d.startswith("py:function:: abs(")]
    assert len(abs_) == 1 and abs_[0].count("abs(") == 3
    assert abs_[0].count("Absolute value") == 1 and "Overload" not in abs_[0]
    # Only the last overload of exp has a docstring.
    exp = [d for d in directives if d.startswith("py:function:: exp(")]
    assert [d.count("exp(") for d in exp] == [2, 1]
    assert "*Overloads 1 to 2 of 3.*" in exp[0] and "Exponential" not in exp[0]
    assert "*Overload 3 of 3.*" in exp[1] and "Exponential" in exp[1]


def test_directive_renders_a_module_from_the_model(tmp_path: Path, demo_model: ApiModel) -> None:
    (tmp_path / "model.json").write_text(model_to_json(demo_model))
    (tmp_path / "conf.py").write_text(EXTENSION_CONF)
    (tmp_path / "index.rst").write_text(
        "API\n===\n\n.. nbapi-module:: tinyfuser\n   :model: model.json\n\n"
        ".. nbapi-module:: tinyfuser.ops\n   :model: model.json\n\n"
        ".. nbapi-module:: tinyfuser.targets\n   :model: model.json\n"
    )
    page = build(tmp_path, tmp_path / "out")
    assert 'id="tinyfuser.ops.relu"' in page and 'id="tinyfuser.Fusion.define_tensor"' in page
    assert page.count("Rectified linear unit") == 1


@pytest.mark.extension
def test_autodoc_bridge_documents_functions_with_every_overload(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(EXTENSION_CONF)
    # run and compile_fusion document *args and **kwargs, which sphinx-autodoc-typehints
    # (not nbapi) renders as unclosed emphasis.
    (tmp_path / "index.rst").write_text(
        "API\n===\n\n.. automodule:: tinyfuser\n   :members:\n"
        "   :exclude-members: run, compile_fusion\n\n"
        ".. automodule:: tinyfuser.ops\n   :members:\n\n"
        ".. automodule:: tinyfuser.targets\n   :members:\n"
    )
    page = build(tmp_path, tmp_path / "out")
    entry = page[page.index('id="tinyfuser.ops.add"') :]
    entry = entry[: entry.index("</dl>")]
    assert entry.count('<span class="sig-name descname"><span class="pre">add</span>') == 5
    assert '<dl class="py function">' in page and '<dl class="py data">' not in page
    # sphinx-autodoc-typehints rendered the types of the documented overload.
    text = re.sub(r"<[^>]+>", "", page[page.index('id="tinyfuser.set_num_threads"') :])
    assert "Return type:" in text[:600]


# -- a real browser ---------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on a free local port; yield its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    with socketserver.TCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def chromium(url: str, profile: Path, *extra: str) -> str:
    result = subprocess.run(
        [
            CHROMIUM or "chromium",
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=10000",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_browser_search_reaches_the_op(served: str, tmp_path: Path) -> None:
    dom = chromium(f"{served}/search.html?q=relu", tmp_path / "profile", "--dump-dom")
    links = re.findall(r'href="([^"]*tinyfuser\.ops\.relu[^"]*)"', dom)
    assert links, "searching the site for 'relu' found no link to tinyfuser.ops.relu"
    assert re.search(r"relu</span></a><span> \(Python function, in tinyfuser\.ops\)", dom)
    parts = urllib.parse.urlsplit(links[0])
    target = urllib.parse.urlunsplit(("", "", parts.path, "", parts.fragment))
    page = chromium(f"{served}/{target.lstrip('/')}", tmp_path / "profile", "--dump-dom")
    assert 'id="tinyfuser.ops.relu"' in page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    results = ARTIFACTS / "docs-search-results.png"
    chromium(
        f"{served}/search.html?q=relu",
        tmp_path / "profile",
        f"--screenshot={results}",
        "--window-size=1280,900",
    )
    assert results.is_file()
    shot = ARTIFACTS / "docs-search-relu.png"
    chromium(
        f"{served}/{target.lstrip('/')}",
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,900",
    )
    assert shot.is_file() and shot.stat().st_size > 1000


def docs_run(
    tmp_path: Path, data: dict[str, object], *flags: str
) -> subprocess.CompletedProcess[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    model = tmp_path / "model.json"
    model.write_text(json.dumps(data))
    source, html = tmp_path / "source", tmp_path / "html"
    args = ["docs", "tinyfuser", "--model", str(model), "--source", str(source), "-o", str(html)]
    args += flags
    return subprocess.run(
        [sys.executable, "-m", "stubgen", *args], capture_output=True, text=True, check=False
    )


INJECTIONS = {
    "raw html directive": ".. raw:: html\n\n   <script>alert('owned')</script>",
    "include directive": ".. include:: /etc/passwd",
    "html in text": "Returns <b>bold</b> and <script>alert('owned')</script> as text.",
    "broken markup": "Broken `markup and *emphasis and :ref:`missing-label`.",
}


@pytest.mark.parametrize("text", INJECTIONS.values(), ids=INJECTIONS.keys())
def test_docstrings_cannot_inject_markup_or_break_the_build(
    tmp_path: Path, demo_model: ApiModel, text: str
) -> None:
    data = json.loads(model_to_json(demo_model))
    target = next(f for f in data["module"]["functions"] if f["name"] == "set_num_threads")
    target["overloads"][0]["doc"]["extended_summary"] = text
    result = docs_run(tmp_path, data)
    assert result.returncode == 0, result.stderr
    html = "".join(p.read_text() for p in (tmp_path / "html").rglob("*.html"))
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "root:" not in html  # nothing was included


def test_a_broken_hand_written_page_fails_the_build(tmp_path: Path, demo_model: ApiModel) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "index.rst").write_text("Title\n=====\n\nBroken `markup.\n")
    result = docs_run(tmp_path, json.loads(model_to_json(demo_model)))
    assert result.returncode == 1
    assert "WARNING" in result.stderr and "treated as errors" in result.stderr
    assert (tmp_path / "source" / "conf.py").is_file()  # a starter conf.py was written


def test_a_warning_the_docstrings_cause_is_a_finding_and_the_site_is_published(
    tmp_path: Path, demo_model: ApiModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sphinx colours its warnings under FORCE_COLOR (any value), as on CI: still read.
    monkeypatch.setenv("FORCE_COLOR", "0")
    data = json.loads(model_to_json(demo_model))
    target = next(f for f in data["module"]["functions"] if f["name"] == "set_num_threads")
    doc = target["overloads"][0]["doc"]
    doc["notes"] = ".. code-block:: nosuchlanguage\n\n   x = 1"
    doc["sections"] = [*doc["sections"], "Notes"]
    result = docs_run(tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert "tinyfuser.set_num_threads: DOC008 Sphinx warns on its page" in result.stderr
    assert "nosuchlanguage" in result.stderr and (tmp_path / "html" / "index.html").is_file()
    again = docs_run(tmp_path, data)  # nothing changed: the recorded warning is reported again
    assert again.returncode == 0 and "DOC008" in again.stderr
    # Another page changed: only it is read again (the warning's page is not), and the
    # warning of the page left alone is still reported.
    cls = next(c for c in data["module"]["classes"] if c["name"] == "Fusion")
    method = next(f for f in cls["functions"] if f["overloads"][0].get("doc"))
    method["overloads"][0]["doc"]["summary"] += " Now changed."
    changed = docs_run(tmp_path, data)
    assert changed.returncode == 0 and "DOC008" in changed.stderr, changed.stderr
    read = (tmp_path / ".html.sphinx" / ".doctrees" / "nbapi-read-docs.txt").read_text()
    assert read.split() == ["api/tinyfuser.Fusion"]
    strict = docs_run(tmp_path / "strict", data, "--fail-on-warning")
    assert strict.returncode == 1 and "treated as errors" in strict.stderr
    assert not (tmp_path / "strict" / "html").exists()  # nothing published


@pytest.mark.extension
def test_hazards_docs_build_clean(tmp_path: Path) -> None:
    args = ["docs", "nbhazards", "--source", str(tmp_path / "src"), "-o", str(tmp_path / "html")]
    result = subprocess.run(
        [sys.executable, "-m", "stubgen", *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "html" / "api" / "nbhazards.html").read_text()
    assert 'id="nbhazards.copy_range"' in page and 'id="nbhazards.global_"' in page


# A generated API of 2,180 functions (3,500 overloads, 160 classes, 10 modules): the sidebar
# must lead from the top page to a method deep in a submodule, and search must find it.
@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from synthetic_api import make_model
    finally:
        sys.path.remove(str(ROOT / "bench"))
    work = tmp_path_factory.mktemp("big-site")
    (work / "model.json").write_text(model_to_json(make_model(3500, 10)))
    args = ["docs", "scalepkg", "--model", "model.json", "--source", "src", "-o", "html"]
    result = subprocess.run(
        [sys.executable, "-m", "stubgen", *args],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with serve(work / "html") as url:
        yield url


def sidebar_links(dom: str) -> list[str]:
    tree = dom[dom.index('class="sidebar-tree"') :]
    return re.findall(
        r'<a class="[^"]*reference internal[^"]*" href="([^"#]+)"', tree[: tree.index("</div>")]
    )


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_browser_sidebar_and_search_reach_a_deep_method(big_site: str, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    url = f"{big_site}/index.html"
    # Top page -> API index -> package -> module scalepkg.m004 -> its class Node5x3, each by
    # a link of the sidebar of the page before.
    steps = ("api/index.html", "scalepkg.html", "scalepkg.m004.html", "scalepkg.m004.Node5x3.html")
    for wanted in steps:
        links = sidebar_links(chromium(url, profile, "--dump-dom"))
        found = [link for link in links if link.endswith(wanted.rsplit("/", 1)[-1])]
        assert found, f"no sidebar link to {wanted} on {url}: {links[:20]}"
        url = urllib.parse.urljoin(url, found[0])
    page = chromium(url, profile, "--dump-dom")
    assert 'id="scalepkg.m004.Node5x3.op_7"' in page
    # Search finds a function of that module by its name.
    dom = chromium(f"{big_site}/search.html?q=make5_4_5", profile, "--dump-dom")
    assert re.search(r'href="[^"]*scalepkg\.m004\.html#scalepkg\.m004\.make5_4_5"', dom), dom[
        -3000:
    ]


def test_the_landing_page_leads_to_every_module(site: Path) -> None:
    page = html_of(site)["index.html"]
    # The package's summary, then one row per module: link, summary, counts.
    assert "a miniature elementwise fusion compiler" in page
    for module in ("tinyfuser.ops", "tinyfuser.targets"):
        assert f'href="api/{module}.html#module-{module}"' in page
    assert "Elementwise operations on values and tensors." in page
    row = re.search(r"tinyfuser\.ops</span>.*?</tr>", page, re.DOTALL)
    assert row is not None and "<td><p>0</p></td>" in row.group(0)  # classes
    assert "<td><p>11</p></td>" in row.group(0)  # its ops


def test_module_pages_open_with_summary_tables_by_kind_sorted_by_name(site: Path) -> None:
    page = html_of(site)["api/tinyfuser.html"]
    rubrics = re.findall(r'<p class="rubric">([^<]+)</p>', page)
    assert rubrics[:5] == ["Submodules", "Classes", "Enums", "Exceptions", "Functions"]
    table = page[page.index(">Classes<") : page.index(">Enums<")]
    names = re.findall(
        r'<tr[^>]*><td><p><a [^>]*><code [^>]*><span class="pre">(\w+)</span>', table
    )
    assert names == sorted(names, key=str.lower) and "Fusion" in names
    assert "Tuning knobs of the pointwise scheduler." in table  # the one-line summary
    members = html_of(site)["api/tinyfuser.Fusion.html"]
    assert '<p class="rubric">Methods</p>' in members
    assert '<p class="rubric">Properties</p>' in members


def test_sidebar_and_on_this_page_use_short_names(site: Path) -> None:
    page = html_of(site)["api/tinyfuser.Fusion.html"]
    sidebar = page[page.index('class="sidebar-tree"') : page.index('class="toc-tree"')]
    assert ">FusionExecutorCache</a>" in sidebar and "tinyfuser.FusionExecutorCache<" not in sidebar
    toc = page[page.index('class="toc-tree"') :]
    assert '<span class="pre">add_output()</span>' in toc
    assert "Fusion.add_output()" not in toc
    assert "<h1>tinyfuser.Fusion" in page  # the full path stays the page's title


def test_summary_groups_and_order_come_from_the_settings(demo_model: ApiModel) -> None:
    from stubgen.config import DocsConfig

    grouped = DocsConfig(groups={"Activations": ["relu", "ex*"], "Signs": ["neg", "abs"]})
    page = render_pages(demo_model, docs=grouped)["api/tinyfuser.ops.rst"]
    rubrics = re.findall(r"^\.\. rubric:: (.+)$", page, re.MULTILINE)
    assert rubrics == ["Activations", "Signs", "Other functions"]
    activations = page[page.index("rubric:: Activations") : page.index("rubric:: Signs")]
    assert re.findall(r"ops\.(\w+)`", activations) == ["exp", "relu"]
    binding = render_pages(demo_model, docs=DocsConfig(order="binding"))["api/tinyfuser.ops.rst"]
    in_binding = re.findall(r"\* - :py:func:`~tinyfuser\.ops\.(\w+)`", binding)
    ops = next(m for m in iter_modules(demo_model.module) if m.path == "tinyfuser.ops")
    assert in_binding == [f.name for f in ops.functions] != sorted(in_binding)
    facts = DocsConfig(project="tinyfuser", authors=["Ada", "Grace"])
    overview = render_pages(demo_model, docs=facts)["api/overview.inc"]
    assert overview.rstrip().endswith("Ada, Grace")


LAYOUT_PROBE = """<!doctype html><html><body>
<iframe id="f" src="{page}" style="width:1280px;height:900px;border:0"></iframe>
<script>
document.getElementById("f").onload = function () {{
  var d = this.contentDocument, root = d.documentElement;
  var toc = d.querySelector(".toc-tree");
  var shown = toc !== null && toc.getBoundingClientRect().width > 0;
  document.body.setAttribute("data-overflow", root.scrollWidth > root.clientWidth);
  document.body.setAttribute("data-toc", shown);
  var tables = d.querySelectorAll("table"), clipped = 0;
  for (var i = 0; i < tables.length; i++) {{
    var box = tables[i].parentElement;
    if (box.scrollWidth > box.clientWidth + 1) clipped++;
  }}
  document.body.setAttribute("data-tables", tables.length);
  document.body.setAttribute("data-clipped", clipped);
}};
</script></body></html>"""
LAYOUT_PAGES = {
    "landing": "index.html",
    "module": "api/tinyfuser.html",
    "class": "api/tinyfuser.Fusion.html",
    "overloads": "api/tinyfuser.ops.html",
    "coverage": "api/coverage.html",
}


def layout_of(site: Path, page: str, profile: Path) -> str:
    """Load ``page`` of ``site`` at 1280 px in Chromium; return the probe's findings."""
    probe = site / f"probe-{page.replace('/', '-')}"
    probe.write_text(LAYOUT_PROBE.format(page=page))
    try:
        with serve(site) as url:
            return chromium(f"{url}/{probe.name}", profile, "--dump-dom")
    finally:
        probe.unlink()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("page", LAYOUT_PAGES.values(), ids=LAYOUT_PAGES.keys())
def test_browser_layout_at_1280_px(site: Path, tmp_path: Path, page: str) -> None:
    if not (site / page).is_file():
        pytest.skip(f"{page} is not part of this site")
    dom = layout_of(site, page, tmp_path / "profile")
    with serve(site) as url:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"docs-{page.replace('/', '-')}.png"
        chromium(
            f"{url}/{page}", tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,900"
        )
    assert 'data-overflow="false"' in dom, f"{page} scrolls sideways at 1280 px"
    assert 'data-tables="0"' not in dom, f"{page} has no summary table"
    assert 'data-clipped="0"' in dom, f"a table of {page} is cut off behind a scrollbar"
    if page.startswith("api/tinyfuser"):
        assert 'data-toc="true"' in dom, f"{page} shows no 'on this page'"
    assert shot.is_file() and shot.stat().st_size > 1000


def test_a_module_valued_attribute_links_to_its_module_page() -> None:
    from stubgen.model.api import Attribute, Class, Module

    front = Class(
        "Front",
        "m.Front",
        "m.Front",
        attributes=[Attribute("ops", "m.Front.ops", "types.ModuleType", "m.ops")],
    )
    root = Module("m", "m", "m", classes=[front], submodules=[Module("ops", "m.ops", "m.ops")])
    page = render_pages(ApiModel(module=root))["api/m.Front.rst"]
    assert "The module :py:mod:`m.ops`." in page


def test_parameters_named_otherwise_in_the_docstring_show_the_signatures_names(
    demo_model: ApiModel,
) -> None:
    page = render_pages(demo_model)["api/tinyfuser.ops.rst"]
    relu = page[page.index(".. py:function:: relu(arg: tinyfuser.Val") :]
    relu = relu[: relu.index(".. py:function::", 10)]
    assert "**arg** :" in relu and "**x** :" not in relu
    assert "*The docstring calls them* ``x``; *the signature names them* ``arg``." in relu


def two_clicks(site: Path) -> set[str]:
    """Return the ``page#anchor`` targets two clicks (or fewer) from the landing page."""
    seen: set[str] = set()
    frontier = {"index.html"}
    reached: set[str] = set()
    for _ in range(2):
        following: set[str] = set()
        for page in frontier - seen:
            seen.add(page)
            path = site / page
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            folder = posixpath.dirname(page)
            for href, anchor in re.findall(r'href="([^"#]*\.html|)(#[^"]*)?"', text):
                target = posixpath.normpath(posixpath.join(folder, href)) if href else page
                reached.add(target + anchor)
                following.add(target)
        frontier = following
    return reached


def functions_of(model: ApiModel) -> list[tuple[str, Function]]:
    """Return (page, function) for every module function and class method of ``model``."""
    found = []
    for module in iter_modules(model.module):
        found += [(f"api/{module.path}.html", f) for f in module.functions]
        for cls in iter_classes(module.classes):
            found += [(f"api/{cls.path}.html", f) for f in cls.functions]
    return found


def out_of_reach(site: Path, model: ApiModel) -> list[str]:
    """Return the functions and methods neither two clicks from the landing page nor found
    by one search (in the site's object inventory, which the search page reads)."""
    reached = two_clicks(site)
    with (site / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "", posixpath.join)
    searchable = {name for entries in inventory.values() for name in entries}
    return [
        f.path
        for page, f in functions_of(model)
        if f"{page}#{f.path}" not in reached
        and f.path not in searchable
        and not f.name.startswith("__")
    ]


def test_every_module_function_is_two_clicks_from_the_landing_page(
    site: Path, demo_model: ApiModel
) -> None:
    reached = two_clicks(site)
    functions = [
        f"api/{m.path}.html#{f.path}" for m in iter_modules(demo_model.module) for f in m.functions
    ]
    assert functions and [f for f in functions if f not in reached] == []
    # Methods too: two clicks or one search.
    assert out_of_reach(site, demo_model) == []
