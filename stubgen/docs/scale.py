"""Sphinx at the scale of big bindings: one extension that sets up four others.

``nbapi docs`` lists it in the ``conf.py`` it writes. They keep a build linear in the size of
the API, and cheap:

* :mod:`stubgen.docs.navigation`: furo's sidebar, written once per branch;
* :mod:`stubgen.docs.lookup`: the Python domain's cross-reference lookup through an index,
  and signature references into the package settled as they are read;
* :mod:`stubgen.docs.rebuild`: parents of a page read again are rewritten only if needed;
* :mod:`stubgen.docs.passes`: the summary tables read line by line, and passes over whole
  pages skipped on pages they do not change.

It also adds ``nbapi.css``: long dotted names in nbapi's tables wrap instead of pushing
columns behind a scrollbar.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

STATIC = Path(__file__).parent / "static"


def _add_static(app: Any, config: Any) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app: Any) -> dict[str, Any]:
    """Register the extensions with Sphinx."""
    names = ("navigation", "lookup", "rebuild", "passes")
    for name in (f"stubgen.docs.{n}" for n in names):
        app.setup_extension(name)
    app.connect("config-inited", _add_static)
    app.add_css_file("nbapi.css", priority=800)  # after the theme's, as html_css_files
    return {"parallel_read_safe": True, "parallel_write_safe": True}
