"""A Sphinx extension: an incremental build rewrites a page's parents only when they change.

When a page is read again, Sphinx also rewrites every page whose toctree includes it, in
case the page's title or sections changed. On big APIs the parent is a module page, often
the largest page of the site: drjit's is 1.3 MB of HTML, and rewriting it was most of the
cost of a rebuild after one docstring changed. This extension compares the title and the
table of contents of each page read again with what they were before; where neither
changed, the parents' toctrees cannot change, and they are left alone for this build.
Pages whose sources changed are always rewritten.

It also records which pages Sphinx reads in a build (``READ_DOCS`` in the doctree
directory): a page not read again keeps the warnings it had (``nbapi docs`` shows them
again without reading it).

Enabled through ``stubgen.docs.scale``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stubgen.files.writes import write_atomic

# In the doctree directory: the pages the last build read, one name per line.
READ_DOCS = "nbapi-read-docs.txt"

# Per environment: the title and contents of each page about to be read again.
_BEFORE: dict[int, dict[str, str]] = {}


def _outline(env: Any, doc: str) -> str:
    title = env.titles.get(doc)
    toc = env.tocs.get(doc)
    return f"{title.astext() if title is not None else ''}\0{toc.pformat() if toc else ''}"


def _remember(app: Any, env: Any, docnames: list[str]) -> None:
    _BEFORE[id(env)] = {doc: _outline(env, doc) for doc in docnames if doc in env.titles}
    write_atomic(Path(app.doctreedir) / READ_DOCS, "".join(f"{d}\n" for d in sorted(docnames)))


def _spare_parents(app: Any, builder: Any) -> None:
    env = builder.env
    before = _BEFORE.pop(id(env), {})
    for doc, outline in before.items():
        if doc in env.files_to_rebuild and _outline(env, doc) == outline:
            # The environment was saved before writing began: only this build sees this.
            del env.files_to_rebuild[doc]


def setup(app: Any) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    app.connect("env-before-read-docs", _remember)
    app.connect("write-started", _spare_parents)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
