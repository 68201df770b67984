"""A Sphinx extension: furo's sidebar without the cost that grows with the square of the pages.

furo writes the whole navigation tree, every page of the site expanded, into every page and
reworks it with BeautifulSoup there. With one page per class that is pages x pages of work:
drjit's 872 pages spent most of their build in it. This extension gives furo the tree
Sphinx collapses to the current page's branch instead: every module stays in the sidebar,
and the classes of the module being read, so each class is one click from the sidebar of
its module's pages, and search finds every object.

Enabled by ``extensions = ["stubgen.sphinx_navigation"]`` in ``conf.py`` (``nbapi docs``
writes it); without furo it does nothing.
"""

from __future__ import annotations

from typing import Any


def _collapsed_tree(context: dict[str, Any]) -> str:
    import furo

    toctree = context.get("toctree")
    if toctree is None:
        return ""
    html = toctree(collapse=True, titles_only=True, maxdepth=-1, includehidden=True)
    navigation: str = furo.get_navigation_tree(html)
    return navigation


def _use_collapsed_tree(app: Any) -> None:
    if app.config.html_theme != "furo":
        return
    try:
        import furo
    except ImportError:
        return
    if hasattr(furo, "_compute_navigation_tree"):
        furo._compute_navigation_tree = _collapsed_tree


def setup(app: Any) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    app.connect("builder-inited", _use_collapsed_tree)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
