"""A Sphinx extension: the Python domain's "fuzzy" lookup through an index, not a scan.

Every name in a signature's annotations becomes a cross-reference that Sphinx resolves in
its "specific" search mode. When the name is not found as written (``int``, ``float``, any
name from another package), Sphinx scans every object of the site for one ending in
``.name``: references x objects. On drjit (22,184 references, 50,000 objects) that scan was
a sixth of the whole build. This domain answers the same question from an index of objects
by their last name, built once per set of objects, and leaves every other path of the
lookup to Sphinx.

Its object directives also settle, as a signature is read, the text of each reference into
the documented package (config value ``nbapi_package``), which Sphinx would otherwise carry
as two alternatives through every pass over the page.

Enabled through ``stubgen.docs.scale`` (``nbapi docs`` writes it into ``conf.py``). It
replaces the Python domain through Sphinx's ``add_domain(..., override=True)``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import sphinx
from docutils import nodes
from sphinx.addnodes import pending_xref, pending_xref_condition
from sphinx.domains.python import ObjectEntry, PythonDomain
from sphinx.domains.python._object import PyObject

from stubgen.model.names import BUILTIN_NAMES


def _settle_texts(signode: nodes.Element, package: str) -> None:
    """Give each reference the one text it can show, where that is already known.

    With ``python_use_unqualified_type_names``, Sphinx puts two texts under each reference
    of a signature (the short name if it resolves, the full one otherwise) and picks one
    when it resolves references, after some fifty passes over the page. The pick is known
    as soon as the signature is read for two kinds of references, whose extra nodes then
    never exist (on drjit, a tenth of all for the first kind, 23,000 more for the second):

    * references into ``package``, in a build where each must resolve (``-n -W``): the
      short text;
    * references whose two texts are the same (``int``, ``None``): that text, whether or
      not the reference resolves (the reference itself stays, for intersphinx).
    """
    for xref in list(signode.findall(pending_xref)):
        conditions = [c for c in xref.children if isinstance(c, pending_xref_condition)]
        if not conditions:
            continue
        target = xref.get("reftarget", "")
        if target == package or target.startswith(f"{package}."):
            chosen = [c for c in conditions if c["condition"] == "resolved"]
        elif len({c.astext() for c in conditions}) == 1:
            chosen = conditions[:1]
        else:
            continue
        if len(chosen) == 1:
            texts = list(chosen[0].children)
            xref.clear()
            xref.extend(texts)


def _settling(directive: type[PyObject]) -> type[PyObject]:
    """Return ``directive`` whose signatures settle their references into the package."""

    class Settling(directive):  # type: ignore[valid-type,misc]
        def handle_signature(self, sig: str, signode: Any) -> Any:
            result = super().handle_signature(sig, signode)
            package = self.env.config.nbapi_package
            if package and self.env.config.python_use_unqualified_type_names:
                _settle_texts(signode, package)
            return result

    Settling.__name__ = Settling.__qualname__ = directive.__name__
    return Settling


class IndexedPythonDomain(PythonDomain):
    """Sphinx's Python domain with the "fuzzy" search answered from an index.

    Its object directives also settle, as they read a signature, the text of references
    into the documented package (``nbapi_package``) and those of one text (see
    ``_settle_texts``).
    """

    directives: ClassVar[dict[str, Any]] = {
        name: _settling(d) if isinstance(d, type) and issubclass(d, PyObject) else d
        for name, d in PythonDomain.directives.items()
    }

    # Built on first use; every change to the objects drops it.
    _index: dict[str, list[str]] | None = None

    def _by_last_name(self) -> dict[str, list[str]]:
        if self._index is None:
            index: dict[str, list[str]] = {}
            for name in self.objects:
                index.setdefault(name.rpartition(".")[2], []).append(name)
            self._index = index
        return self._index

    def note_object(self, *args: Any, **kwargs: Any) -> None:
        """Record an object (Sphinx's), and drop the index."""
        self._index = None
        super().note_object(*args, **kwargs)

    def clear_doc(self, docname: str) -> None:
        """Forget a page's objects (Sphinx's), and drop the index."""
        self._index = None
        super().clear_doc(docname)

    def merge_domaindata(self, docnames: Any, otherdata: dict[str, Any]) -> None:
        """Take a parallel reader's objects (Sphinx's), and drop the index."""
        self._index = None
        super().merge_domaindata(docnames, otherdata)

    def find_obj(
        self,
        env: Any,
        modname: str,
        classname: str,
        name: str,
        type: str | None,
        searchmode: int = 0,
    ) -> list[tuple[str, ObjectEntry]]:
        """Find a Python object as Sphinx does; the "fuzzy" step looks in an index.

        The exact lookups of search mode 1 are Sphinx's, in its order; other modes are
        Sphinx's own code.
        """
        name = name.removesuffix("()")
        if searchmode != 1 or not name:
            return super().find_obj(env, modname, classname, name, type, searchmode)
        objtypes = list(self.object_types) if type is None else self.objtypes_for_role(type)
        if objtypes is None:
            return []
        objects = self.objects
        for candidate in (
            f"{modname}.{classname}.{name}" if modname and classname else None,
            f"{modname}.{name}" if modname else None,
            name,
        ):
            if candidate in objects and objects[candidate].objtype in objtypes:
                return [(candidate, objects[candidate])]
        if name in BUILTIN_NAMES:
            # A builtin in an annotation (':type: type') is the builtin, never a member of
            # the package that happens to share its name (mitsuba's Field.type).
            return []
        suffix = f".{name}"
        return [
            (full, objects[full])
            for full in self._by_last_name().get(name.rpartition(".")[2], [])
            if full.endswith(suffix) and objects[full].objtype in objtypes
        ]

    def resolve_xref(
        self,
        env: Any,
        fromdocname: str,
        builder: Any,
        type: str,
        target: str,
        node: Any,
        contnode: Any,
    ) -> Any:
        """Resolve a reference as Sphinx 9 does, on every Sphinx.

        An annotation names a TypeVar or a type alias, documented as data or an attribute,
        with the class role; Sphinx 9 falls back to those object types, and before it the
        reference was left unresolved.
        """
        found = super().resolve_xref(env, fromdocname, builder, type, target, node, contnode)
        if found is None and type == "class" and sphinx.version_info < (9,):
            for fallback in ("data", "attr"):
                found = super().resolve_xref(
                    env, fromdocname, builder, fallback, target, node, contnode
                )
                if found is not None:
                    break
        return found


def setup(app: Any) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    app.add_domain(IndexedPythonDomain, override=True)
    app.add_config_value("nbapi_package", "", "env", types=[str])
    return {"parallel_read_safe": True, "parallel_write_safe": True}
