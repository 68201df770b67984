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
from dataclasses import dataclass
from typing import Any

from stubgen.diff.signatures import Hierarchy, compare_overloads, relation
from stubgen.findings import Finding, finding
from stubgen.model.api import ApiModel, Attribute, Class, Function, Module, Property

# The code of a removal, per kind of name; the words of an addition.
_REMOVED = {
    "module": "API001",
    "class": "API002",
    "function": "API003",
    "attribute": "API005",
    "property": "API006",
    "enum member": "API007",
}
_FUNCTION_KINDS = {
    "function": "function",
    "method": "method",
    "staticmethod": "static method",
    "classmethod": "class method",
}


@dataclass(frozen=True)
class _Context:
    """What a comparison needs besides the two nodes: the classes, the version-like names."""

    hierarchy: Hierarchy
    version_names: tuple[str, ...] = ()


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
    ctx = _Context(Hierarchy.of(old, new), version_names)
    return sorted(_module(old.module, new.module, ctx))


def _module_names(module: Module) -> dict[str, tuple[str, Any]]:
    names: dict[str, tuple[str, Any]] = {}
    for attr in module.attributes:
        names[attr.name] = ("attribute", attr)
    for alias in module.aliases:
        names[alias] = ("attribute", None)
    for sub in module.submodules:
        names[sub.name] = ("module", sub)
    for cls in module.classes:
        names[cls.name] = ("class", cls)
    for fn in module.functions:
        names[fn.name] = ("function", fn)
    return names


def _class_names(cls: Class) -> dict[str, tuple[str, Any]]:
    names: dict[str, tuple[str, Any]] = {}
    for member in cls.members:
        names[member.name] = ("enum member", member)
    for attr in cls.attributes:
        names[attr.name] = ("attribute", attr)
    for prop in cls.properties:
        names[prop.name] = ("property", prop)
    for nested in cls.classes:
        names[nested.name] = ("class", nested)
    for fn in cls.functions:
        names[fn.name] = ("function", fn)
    for alias in cls.aliases:
        names.setdefault(alias, ("function", None))  # the same function under a second name
    return names


def _module(old: Module, new: Module, ctx: _Context) -> Iterator[Finding]:
    yield from _scope(new.path, _module_names(old), _module_names(new), ctx)


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
            yield finding("API017", where, old=kind, new=new_kind)
        elif old is not None and new is not None:
            yield from _compare(where, kind, old, new, ctx)
    for name, (kind, _) in after.items():
        if name not in before:
            yield finding("API101", f"{path}.{name}", kind=kind)


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
        if base not in kept and base not in ("object", "builtins.object"):
            yield finding("API016", new.path, base=base)
    yield from _scope(new.path, _class_names(old), _class_names(new), ctx)
    members = {m.name: m for m in new.members}
    for member in old.members:
        now = members.get(member.name)
        if now is not None and now.value != member.value and "..." not in (now.value, member.value):
            yield finding("API018", f"{new.path}.{member.name}", old=member.value, new=now.value)


def _function(old: Function, new: Function, ctx: _Context) -> Iterator[Finding]:
    if old.kind != new.kind:
        yield finding(
            "API017", new.path, old=_FUNCTION_KINDS[old.kind], new=_FUNCTION_KINDS[new.kind]
        )
        return
    bound = new.kind in ("method", "classmethod")
    yield from compare_overloads(
        new.path, old.overloads, new.overloads, bound=bound, hierarchy=ctx.hierarchy
    )


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
    elif old.value is not None and new.value is not None and old.value != new.value:
        yield finding("API021", new.path, what="value", old=old.value, new=new.value)


def _version_like(path: str, version_names: tuple[str, ...]) -> bool:
    """Tell whether a module constant names a version or a build (it changes every release).

    A module dunder (``__version__``, ``__build__``) always; any other name when it matches
    one of ``version_names`` (globs on the name or the path, ``[tool.nbapi] diff-version-names``).
    """
    name = path.rpartition(".")[2]
    if name.startswith("__") and name.endswith("__"):
        return True
    return any(fnmatch.fnmatchcase(name, g) or fnmatch.fnmatchcase(path, g) for g in version_names)
