"""The names one scope (a module or a class) defines, each with what it is: one view of them.

The diff compares two versions scope by scope through it, and verify looks up what a stub
file defines through it (the stub reader gives it the same model nodes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stubgen.model.api import Attribute, Class, EnumMember, Function, Module, Property

MemberKind = Literal["module", "class", "function", "property", "attribute", "enum_member", "alias"]
Node = Module | Class | Function | Property | Attribute | EnumMember


@dataclass(frozen=True)
class ScopeMember:
    """One name of a scope: its kind and its node, or for an alias the path it names.

    A module's alias is a re-export (``from ._core import X as X``: the dotted path of
    ``X``); a class's is a second name of one of its methods (the method's name).
    """

    kind: MemberKind
    node: Node | None = None
    target: str | None = None


def scope_members(scope: Module | Class) -> dict[str, ScopeMember]:
    """Return the names ``scope`` defines, by name.

    Where two entries share a name, the later kind in this order wins: attribute, alias,
    submodule, class, function for a module; enum member, attribute, property, class,
    function for a class, whose aliases never hide a name.
    """
    members: dict[str, ScopeMember] = {}
    if isinstance(scope, Module):
        members.update((a.name, ScopeMember("attribute", a)) for a in scope.attributes)
        members.update((n, ScopeMember("alias", target=t)) for n, t in scope.aliases.items())
        members.update((m.name, ScopeMember("module", m)) for m in scope.submodules)
    else:
        members.update((m.name, ScopeMember("enum_member", m)) for m in scope.members)
        members.update((a.name, ScopeMember("attribute", a)) for a in scope.attributes)
        members.update((p.name, ScopeMember("property", p)) for p in scope.properties)
    members.update((c.name, ScopeMember("class", c)) for c in scope.classes)
    members.update((f.name, ScopeMember("function", f)) for f in scope.functions)
    if isinstance(scope, Class):
        for name, target in scope.aliases.items():
            members.setdefault(name, ScopeMember("alias", target=target))
    return members
