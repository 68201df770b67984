"""Two API models compared object by object: what a new version removed, changed and added.

Each module and class is a scope of names, each of one kind (module, class, function,
property, attribute, enum member). A name gone is a removal, a name whose kind changed is
API017, a name new is an addition; functions are compared overload by overload
(:mod:`stubgen.diff.signatures`), classes by their bases and members, enum members by value.
What pattern files wrote is compared as written: a curated function by the overloads of its
text, any other curated entry by its text.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from stubgen.diff.signatures import Hierarchy, compare_overloads, relation
from stubgen.findings import Finding, finding
from stubgen.model.api import ApiModel, Attribute, Class, Function, Module, Overload, Property
from stubgen.model.members import scope_members
from stubgen.model.walk import iter_classes, iter_modules

# The code of a removal, per kind of name; the words of an addition.
_REMOVED = {
    "module": "API001",
    "class": "API002",
    "function": "API003",
    "attribute": "API005",
    "property": "API006",
    "enum_member": "API007",
}
_FUNCTION_KINDS = {
    "function": "function",
    "method": "method",
    "staticmethod": "static method",
    "classmethod": "class method",
}


@dataclass(frozen=True)
class _Alias:
    """A module's re-export of an object defined elsewhere (``from ._core import X``)."""

    target: str


@dataclass(frozen=True)
class _Context:
    """What a comparison needs besides the two nodes.

    The classes of both versions, the version-like names, and each version's classes and
    functions by path (where a re-export leads).
    """

    hierarchy: Hierarchy
    version_names: tuple[str, ...] = ()
    old_nodes: dict[str, tuple[str, Any]] = field(default_factory=dict)
    new_nodes: dict[str, tuple[str, Any]] = field(default_factory=dict)


def diff_models(old: ApiModel, new: ApiModel, version_names: tuple[str, ...] = ()) -> list[Finding]:
    """Compare two models of one module: the changes from ``old`` to ``new``.

    Parameters
    ----------
    old, new : ApiModel
        The two versions, each with the same pattern files applied.
    version_names : tuple of str, optional
        Globs of module constants whose change is information (a version, a build string);
        module dunders (``__version__``) always are.

    Returns
    -------
    list of Finding
        One finding per change, sorted; codes ``API0xx`` break callers (``error``) or may
        (``warning``), ``API1xx`` do not (``info``).
    """
    ctx = _Context(Hierarchy.of(old, new), version_names, _nodes(old), _nodes(new))
    return sorted(_module(old.module, new.module, ctx))


def _nodes(model: ApiModel) -> dict[str, tuple[str, Any]]:
    """Index a model's classes and module functions by path, with their kind."""
    nodes: dict[str, tuple[str, Any]] = {}
    for module in iter_modules(model.module):
        nodes.update((c.path, ("class", c)) for c in iter_classes(module.classes))
        nodes.update((f.path, ("function", f)) for f in module.functions)
    return nodes


def _word(kind: str) -> str:
    """Write a kind of name as the findings say it (``enum_member``: "enum member")."""
    return kind.replace("_", " ")


def _names(scope: Module | Class) -> dict[str, tuple[str, Any]]:
    """Return the names of a scope as the diff compares them (:func:`scope_members`).

    A module's re-export is an attribute that leads to what it names; a class's second name
    of a method is that function (compared where the method is).
    """
    names: dict[str, tuple[str, Any]] = {}
    for name, member in scope_members(scope).items():
        if member.kind != "alias":
            names[name] = (member.kind, member.node)
        elif isinstance(scope, Module):
            names[name] = ("attribute", _Alias(member.target or ""))
        else:
            names[name] = ("function", None)
    return names


def _module(old: Module, new: Module, ctx: _Context) -> Iterator[Finding]:
    yield from _scope(new.path, _names(old), _names(new), ctx)


def _scope(
    path: str,
    before: dict[str, tuple[str, Any]],
    after: dict[str, tuple[str, Any]],
    ctx: _Context,
) -> Iterator[Finding]:
    for name, (kind, old) in before.items():
        where = f"{path}.{name}"
        if name not in after:
            yield finding(_REMOVED[kind], where)
            continue
        new_kind, new = after[name]
        if new_kind != kind:
            # A class or function moved to another module and re-exported here: the same
            # name still reaches it.
            kind, old = _through_alias(kind, old, ctx.old_nodes)
            new_kind, new = _through_alias(new_kind, new, ctx.new_nodes)
        if new_kind != kind:
            yield finding("API017", where, old=_word(kind), new=_word(new_kind))
        elif _compared(old) and _compared(new):
            yield from _compare(where, kind, old, new, ctx)
    for name, (kind, _) in after.items():
        if name not in before:
            yield finding("API101", f"{path}.{name}", kind=_word(kind))


def _through_alias(kind: str, node: Any, nodes: dict[str, tuple[str, Any]]) -> tuple[str, Any]:
    """Follow a re-export to the class or function it names in the same version."""
    if isinstance(node, _Alias) and node.target in nodes:
        return nodes[node.target]
    return kind, node


def _compared(node: Any) -> bool:
    """Tell whether a name's node is compared: an alias is, where it is followed."""
    return node is not None and not isinstance(node, _Alias)


def _compare(where: str, kind: str, old: Any, new: Any, ctx: _Context) -> Iterator[Finding]:
    if _curated_text(old) != _curated_text(new) and not isinstance(old, Function):
        yield finding("API110", where)
        return
    if kind == "module":
        yield from _module(old, new, ctx)
    elif kind == "class":
        yield from _class(old, new, ctx)
    elif kind == "function":
        yield from _function(old, new, ctx)
    elif kind == "property":
        yield from _property(old, new, ctx)
    elif kind == "attribute":
        yield from _attribute(old, new, ctx)


def _curated_text(entry: Any) -> str | None:
    replacement = getattr(entry, "replacement", None)
    return replacement.text if replacement is not None else None


def _class(old: Class, new: Class, ctx: _Context) -> Iterator[Finding]:
    kept = set(ctx.hierarchy.new.ancestors(new.path) or new.bases)
    for base in old.bases:
        if ctx.hierarchy.now(base) not in kept and base not in ("object", "builtins.object"):
            yield finding("API016", new.path, base=base)
    yield from _scope(new.path, _names(old), _names(new), ctx)
    members = {m.name: m for m in new.members}
    for member in old.members:
        now = members.get(member.name)
        if now is not None and now.value != member.value and "..." not in (now.value, member.value):
            yield finding("API018", f"{new.path}.{member.name}", old=member.value, new=now.value)


def _function(old: Function, new: Function, ctx: _Context) -> Iterator[Finding]:
    if {old.kind, new.kind} == {"classmethod", "staticmethod"}:
        # Called through the class or an instance alike: compare what callers pass.
        yield finding(
            "API113", new.path, old=_FUNCTION_KINDS[old.kind], new=_FUNCTION_KINDS[new.kind]
        )
        yield from compare_overloads(
            new.path,
            _unbound(old),
            _unbound(new),
            bound=False,
            hierarchy=ctx.hierarchy,
        )
        return
    if old.kind != new.kind:
        yield finding(
            "API017", new.path, old=_FUNCTION_KINDS[old.kind], new=_FUNCTION_KINDS[new.kind]
        )
        return
    bound = new.kind in ("method", "classmethod")
    yield from compare_overloads(
        new.path, old.overloads, new.overloads, bound=bound, hierarchy=ctx.hierarchy
    )


def _unbound(fn: Function) -> list[Overload]:
    """Return the overloads as callers see them: a class method's ``cls`` left out."""
    if fn.kind != "classmethod":
        return fn.overloads
    return [replace(o, parameters=o.parameters[1:]) for o in fn.overloads]


def _property(old: Property, new: Property, ctx: _Context) -> Iterator[Finding]:
    if not old.readonly and new.readonly:
        yield finding("API021", new.path, what="property", old="read-write", new="read-only")
    elif old.readonly and not new.readonly:
        yield finding("API112", new.path)
    change = relation(old.type, new.type, ctx.hierarchy)
    if change in ("wider", "changed", "refuses"):
        yield finding("API021", new.path, what="type", old=old.type, new=new.type)


def _attribute(old: Attribute, new: Attribute, ctx: _Context) -> Iterator[Finding]:
    version_like = _version_like(new.path, ctx.version_names)
    if version_like and old.value != new.value:
        yield finding("API111", new.path, old=old.value, new=new.value)
    elif relation(old.type, new.type, ctx.hierarchy) in ("wider", "narrower", "changed", "refuses"):
        yield finding("API021", new.path, what="type", old=old.type, new=new.type)
    elif _values(old.value, new.value) and old.value != new.value:
        yield finding("API021", new.path, what="value", old=old.value, new=new.value)


def _values(*texts: str | None) -> bool:
    """Tell whether two recorded values can be compared.

    Both must be known, and neither an object's default repr (``<pkg.Format object at
    0x...>`` shows its address, not its value).
    """
    return all(t is not None and "object at 0x" not in t for t in texts)


def _version_like(path: str, version_names: tuple[str, ...]) -> bool:
    """Tell whether a module constant names a version or a build (it changes every release).

    A module dunder (``__version__``, ``__build__``) always; any other name when it matches
    one of ``version_names`` (globs on the name or the path, ``[tool.nbapi] diff-version-names``).
    """
    name = path.rpartition(".")[2]
    if name.startswith("__") and name.endswith("__"):
        return True
    return any(fnmatch.fnmatchcase(name, g) or fnmatch.fnmatchcase(path, g) for g in version_names)
