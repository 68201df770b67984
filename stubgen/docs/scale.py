"""Sphinx at the scale of big bindings: one extension that sets up three others.

``nbapi docs`` lists it in the ``conf.py`` it writes. The three keep a build linear in the
size of the API:

* :mod:`stubgen.docs.navigation`: furo's sidebar, written once per branch;
* :mod:`stubgen.docs.lookup`: the Python domain's cross-reference lookup through an index,
  and signature references into the package settled as they are read;
* :mod:`stubgen.docs.rebuild`: parents of a page read again are rewritten only if needed.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    """Register the extensions with Sphinx."""
    for name in ("stubgen.docs.navigation", "stubgen.docs.lookup", "stubgen.docs.rebuild"):
        app.setup_extension(name)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
