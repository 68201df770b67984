"""A Sphinx extension: furo's sidebar at a cost linear in the pages.

furo asks Sphinx for the whole navigation tree on every page and reworks it with
BeautifulSoup there. With one page per class that is pages x pages of work: drjit's 872
pages spent more than half their build in it, even with the tree collapsed, because Sphinx
resolves and copies every toctree of the site for each page before collapsing it.

This extension reads the site's toctrees once (which page includes which, their captions
and explicit titles) and writes the sidebar itself, in the markup furo's
``get_navigation_tree`` produces (checkbox and label on entries with children), collapsed to
the current page's branch as Sphinx's ``collapse=True`` does: every top-level entry, the
entries of each page on the way down to the current one, and the current page's own. The
tree of a branch is written once and shared by the pages of that branch, so a module's
hundreds of class pages cost one tree. Search still finds every object.

Enabled through ``stubgen.docs.scale`` (``nbapi docs`` writes it into ``conf.py``). The
only way in is furo's private ``_compute_navigation_tree``; the extension replaces it only
when the theme is furo and the function exists, and otherwise does nothing.
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass, field
from typing import Any

from sphinx import addnodes
from sphinx.util.osutil import relative_uri


@dataclass
class _Entry:
    """One toctree entry: an internal page (``doc``) or an external link (``uri``)."""

    title: str
    doc: str | None = None
    uri: str | None = None
    is_self: bool = False


@dataclass
class _Toctree:
    """One toctree directive of a page: its caption and entries."""

    caption: str | None
    entries: list[_Entry] = field(default_factory=list)


class Sidebar:
    """The site's navigation, read once from Sphinx's environment, written per branch.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The application, after its sources were read.
    """

    def __init__(self, app: Any) -> None:
        self._builder = app.builder
        self._root: str = app.config.root_doc
        env = app.env
        self._titles = {doc: title.astext() for doc, title in env.titles.items()}
        self._trees: dict[str, list[_Toctree]] = {}
        for doc in env.toctree_includes:
            if doc in env.all_docs:
                self._trees[doc] = self._read_toctrees(env, doc)
        self._parent: dict[str, str] = {}
        pending = [self._root]
        while pending:
            doc = pending.pop()
            for child in self._children(doc):
                if child not in self._parent and child != self._root:
                    self._parent[child] = doc
                    pending.append(child)
        self._branches: dict[tuple[str, tuple[str, int] | None], str] = {}
        self._checkboxes = 0

    def _read_toctrees(self, env: Any, doc: str) -> list[_Toctree]:
        trees = []
        # Sphinx keeps each page's toctrees in its table of contents: no doctree to load.
        nodes = list(env.tocs[doc].findall(addnodes.toctree)) if doc in env.tocs else []
        if not nodes:
            nodes = list(env.get_doctree(doc).findall(addnodes.toctree))
        for node in nodes:
            tree = _Toctree(node.get("caption"))
            for title, ref in node["entries"]:
                if ref == "self":
                    entry = _Entry(title or self._titles.get(doc, doc), doc=doc, is_self=True)
                    tree.entries.append(entry)
                elif ref in env.all_docs:
                    tree.entries.append(_Entry(title or self._titles.get(ref, ref), doc=ref))
                elif "://" in ref:
                    tree.entries.append(_Entry(title or ref, uri=ref))
            trees.append(tree)
        return trees

    def _children(self, doc: str) -> list[str]:
        return [
            e.doc
            for tree in self._trees.get(doc, [])
            for e in tree.entries
            if e.doc is not None and not e.is_self
        ]

    def html(self, page: str) -> str:
        """Return the sidebar tree of ``page`` in furo's markup."""
        branch: list[str] = []
        doc = page
        while doc in self._parent:
            doc = self._parent[doc]
            branch.insert(0, doc)
        if page == self._root or page in self._trees:
            return _mark_last_current(self._render(page, branch, page, None))
        # A leaf: its branch's tree, shared by the leaves of one toctree seen from one
        # folder, with the page's own entry marked current (the last current entry, so
        # furo's "current-page" too).
        holder = (branch[-1], self._tree_index(branch[-1], page)) if branch else None
        key = (self._folder(page), holder)
        if key not in self._branches:
            shared = self._render(page, branch, None, holder)
            self._branches[key] = shared.replace(_CURRENT_MARK, "")
        # The entry's own title: an explicit one ("Fusion <pkg.Fusion>") where given.
        trees = self._trees.get(branch[-1], []) if branch else []
        titles = [e.title for t in trees for e in t.entries if e.doc == page]
        title = html.escape(titles[0] if titles else self._titles.get(page, page))
        depth = len(branch)
        plain = f'<li class="toctree-l{depth}"><a class="reference internal" '
        plain += f'href="{self._href(page, page)}">{title}</a>'
        marked = f'<li class="toctree-l{depth} current current-page"><a class="current '
        marked += f'reference internal" href="#">{title}</a>'
        return self._branches[key].replace(plain, marked, 1)

    def _tree_index(self, parent: str, page: str) -> int:
        """Return which of the root's toctrees holds ``page`` (0 below the root)."""
        if parent != self._root:
            return 0
        trees = self._trees.get(parent, [])
        return next((i for i, t in enumerate(trees) if any(e.doc == page for e in t.entries)), 0)

    def _folder(self, page: str) -> str:
        """Return the folder of ``page``'s URI, with a trailing slash (empty at the top)."""
        return posixpath.join(posixpath.dirname(self._builder.get_target_uri(page)), "")

    def _href(self, page: str, doc: str) -> str:
        """Return the link to ``doc`` from ``page``'s folder, the same for every page there."""
        uri = relative_uri(self._folder(page), self._builder.get_target_uri(doc))
        return html.escape(uri, quote=True)

    def _render(
        self,
        page: str,
        branch: list[str],
        current: str | None,
        holder: tuple[str, int] | None,
    ) -> str:
        """Write the tree with the entries of ``branch`` (and ``current``) open, as Sphinx.

        Sphinx marks "current" upwards from each link to the current page: the entries on
        the way down and the lists holding them. ``holder`` (a page and which of its
        toctrees) is the list of a tree shared by leaves: current for each of them.
        """
        self._checkboxes = 0
        self._leaves_of = holder
        path = set(branch[1:]) | ({current} if current else set())
        parts = []
        for index, tree in enumerate(self._trees.get(self._root, [])):
            if tree.caption:
                caption = html.escape(tree.caption)
                parts.append(
                    f'<p class="caption" role="heading"><span class="caption-text">{caption}'
                    "</span></p>"
                )
            parts.append(self._list(page, tree.entries, 1, path, current, (self._root, index)))
        return "\n".join(parts) + "\n" if parts else ""

    def _list(
        self,
        page: str,
        entries: list[_Entry],
        depth: int,
        path: set[str],
        current: str | None,
        owner: tuple[str, int],
    ) -> str:
        on_path = any(e.doc in path and (not e.is_self or e.doc == current) for e in entries)
        on_path = on_path or owner == self._leaves_of
        opening = '<ul class="current">' if on_path else "<ul>"
        items = [self._item(page, e, depth, path, current) for e in entries]
        return opening + "\n" + "\n".join(items) + "\n</ul>"

    def _item(
        self, page: str, entry: _Entry, depth: int, path: set[str], current: str | None
    ) -> str:
        title = html.escape(entry.title)
        if entry.doc is None:
            href = html.escape(entry.uri or "", quote=True)
            link = f'<a class="reference external" href="{href}">{title}</a>'
            return f'<li class="toctree-l{depth}">{link}</li>'
        classes = [f"toctree-l{depth}"]
        on_path = entry.doc in path and (not entry.is_self or entry.doc == current)
        if on_path:
            classes.append("current")
        if entry.doc == current:
            link = f'<a class="current reference internal" href="#">{title}</a>'
        else:
            link = f'<a class="reference internal" href="{self._href(page, entry.doc)}">{title}</a>'
        subtree = []
        if on_path and not entry.is_self:
            subtree = [e for tree in self._trees.get(entry.doc, []) for e in tree.entries]
        mark = _CURRENT_MARK if on_path else ""
        if not subtree:
            return f'<li class="{" ".join(classes)}{mark}">{link}</li>'
        self._checkboxes += 1
        box = f"toctree-checkbox-{self._checkboxes}"
        checked = ' checked=""' if on_path else ""
        classes.append("has-children")
        return (
            f'<li class="{" ".join(classes)}{mark}">{link}'
            f'<input aria-label="Toggle navigation of {title}"{checked} class="toctree-checkbox"'
            f' id="{box}" name="{box}" role="switch" type="checkbox"/>'
            f'<label for="{box}"><span class="icon"><svg><use href="#svg-arrow-right"></use>'
            "</svg></span></label>"
            + self._list(page, subtree, depth + 1, path, current, (entry.doc, 0))
            + "\n</li>"
        )


# Put after the classes of each current entry; furo gives the last one "current-page".
_CURRENT_MARK = "\x00"


def _mark_last_current(text: str) -> str:
    head, mark, tail = text.rpartition(_CURRENT_MARK)
    if not mark:
        return text
    return head.replace(_CURRENT_MARK, "") + " current-page" + tail


def _use_sidebar(app: Any) -> None:
    if app.config.html_theme != "furo":
        return
    try:
        import furo
    except ImportError:
        return
    if not hasattr(furo, "_compute_navigation_tree"):
        return
    sidebars: list[Sidebar] = []

    def navigation_tree(context: dict[str, Any]) -> str:
        # Read once, when the first page is written (the sources are all read by then).
        if not sidebars:
            sidebars.append(Sidebar(app))
        return sidebars[0].html(context["pagename"])

    furo._compute_navigation_tree = navigation_tree


def setup(app: Any) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    app.connect("builder-inited", _use_sidebar)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
