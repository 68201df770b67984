"""Sphinx at the scale of big bindings: one extension that sets up four others.

``nbapi docs`` lists it in the ``conf.py`` it writes. They keep a build linear in the size of
the API, and cheap:

* :mod:`stubgen.docs.navigation`: furo's sidebar, written once per branch;
* :mod:`stubgen.docs.lookup`: the Python domain's cross-reference lookup through an index,
  and signature references into the package settled as they are read;
* :mod:`stubgen.docs.rebuild`: parents of a page read again are rewritten only if needed;
* :mod:`stubgen.docs.passes`: the summary tables read line by line, and passes over whole
  pages skipped on pages they do not change.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    """Register the extensions with Sphinx."""
    names = ("navigation", "lookup", "rebuild", "passes")
    for name in (f"stubgen.docs.{n}" for n in names):
        app.setup_extension(name)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
