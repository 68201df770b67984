"""What the runtime says about a module, read apart from the loader: the ground truth of verify.

A :class:`Scope` is a module or a class: its members by name. A member is a function (its
overloads, each a list of parameters as stubs write them), a class or submodule (a nested
scope), a property, an enum member (with its value), an alias (another name of a member of
the same scope) or a plain value. Defaults are kept in a comparable spelling
(:func:`comparable_default`): ``1.5``, ``'x'``, ``None``, ``Mode.Fast``; None where the
value has no spelling to compare.
"""

from __future__ import annotations

import ast
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from stubgen.model.api import Parameter

MemberKind = Literal["function", "class", "module", "property", "enum_member", "alias", "value"]
# The value of a TypeVar, ParamSpec or TypeVarTuple member that has a PEP 696 default.
HAS_TYPE_DEFAULT = "<has a PEP 696 default>"


@dataclass
class RuntimeParam:
    """One parameter of one overload, as the runtime declares it."""

    name: str
    kind: str
    has_default: bool = False
    default: str | None = None


@dataclass
class RuntimeOverload:
    """One overload: its parameters, or ``known=False`` when the runtime gives none.

    A function with no overloads at all (a slot wrapper: ``__len__`` from ``tp_as_sequence``)
    declares nothing to compare but its presence.
    """

    params: list[RuntimeParam] = field(default_factory=list)
    known: bool = True
    annotations: list[str] = field(default_factory=list)


@dataclass
class Member:
    """One name in a scope.

    ``target`` is, for an alias, the name of the member it is another name of; for a class
    read before under another name, the path it was first read at.
    """

    kind: MemberKind
    overloads: list[RuntimeOverload] = field(default_factory=list)
    bound: bool = False
    value: str | None = None
    target: str | None = None
    scope: Scope | None = None


@dataclass
class Scope:
    """A module or class: its public path and its members by name.

    ``other_names`` lists the other names a class answers to (``dir``: from its bases, or
    its own machinery): a stub may write those too.
    """

    path: str
    members: dict[str, Member] = field(default_factory=dict)
    is_package: bool = False
    other_names: list[str] = field(default_factory=list)


_ENUM_REPR = re.compile(r"<([\w.]+)\.(\w+): [^<>]*>")


def comparable_default(text: str | None) -> str | None:
    """Spell a default so that the runtime's and the stub's can be compared.

    Parameters
    ----------
    text : str or None
        A default's expression or repr: ``1.0``, ``'a'``, ``pkg.Mode.Fast``,
        ``<Mode.Fast: 1>``.

    Returns
    -------
    str or None
        ``repr`` of a literal, ``Class.member`` for a dotted name or an enum repr; None when
        the text is neither (an object repr, a call, ``...``).
    """
    if text is None:
        return None
    text = text.strip()
    match = _ENUM_REPR.fullmatch(text)
    if match:
        return f"{match.group(1).rsplit('.', 1)[-1]}.{match.group(2)}"
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        pass
    else:
        return repr(value)
    if re.fullmatch(r"[^\W\d]\w*(\.[^\W\d]\w*)+", text):
        return ".".join(text.split(".")[-2:])
    return None


def signature_of(parameters: list[Parameter]) -> RuntimeOverload:
    """Restate parsed parameters (a signature text's, or a model's) as verify compares them."""
    return RuntimeOverload(
        params=[
            RuntimeParam(p.name, p.kind, p.has_default, comparable_default(p.default))
            for p in parameters
        ],
        annotations=[p.annotation or "" for p in parameters],
    )


def scope_to_json(scope: Scope) -> dict[str, Any]:
    """Return ``scope`` as JSON-ready data."""
    return asdict(scope)


def scope_from_json(data: dict[str, Any]) -> Scope:
    """Rebuild a :class:`Scope` from :func:`scope_to_json`'s data."""
    members = {
        name: Member(
            kind=m["kind"],
            overloads=[
                RuntimeOverload(
                    params=[RuntimeParam(**p) for p in s["params"]],
                    known=s["known"],
                    annotations=list(s["annotations"]),
                )
                for s in m["overloads"]
            ],
            bound=m["bound"],
            value=m["value"],
            target=m["target"],
            scope=scope_from_json(m["scope"]) if m["scope"] is not None else None,
        )
        for name, m in data["members"].items()
    }
    return Scope(
        path=data["path"],
        members=members,
        is_package=data["is_package"],
        other_names=list(data["other_names"]),
    )
