"""Restate a model as verify's facts, for a run with no runtime (``--model FILE``).

A recorded model is all a machine without the extension has (nvFuser's CI has no GPU): the
stubs are then compared with it instead. Comparing with the runtime is the default, since
it catches an error already in the model.
"""

from __future__ import annotations

from stubgen.model.api import ApiModel, Class, Function, Module, Overload
from stubgen.stubs import defined_names
from stubgen.verify.compare import Curation
from stubgen.verify.facts import (
    HAS_TYPE_DEFAULT,
    Member,
    RuntimeOverload,
    Scope,
    comparable_default,
    signature_of,
)


def _signature(overload: Overload) -> RuntimeOverload:
    if overload.source in ("none", "docstring"):
        return RuntimeOverload(known=False)
    return signature_of(overload.parameters)


def _function(fn: Function) -> Member:
    bound = fn.kind in ("method", "classmethod")
    return Member("function", overloads=[_signature(o) for o in fn.overloads], bound=bound)


def _class(cls: Class) -> Scope:
    scope = Scope(cls.path)
    for member in cls.members:
        scope.members[member.name] = Member("enum_member", value=comparable_default(member.value))
    for fn in cls.functions:
        scope.members[fn.name] = _function(fn)
    for prop in cls.properties:
        scope.members[prop.name] = Member("property")
    for attribute in cls.attributes:
        scope.members[attribute.name] = Member("value")
    for alias, target in cls.aliases.items():
        scope.members[alias] = Member("alias", target=target)
    for inner in cls.classes:
        scope.members[inner.name] = Member("class", scope=_class(inner))
    return scope


_TYPE_PARAMETERS = ("typing.TypeVar", "typing.ParamSpec", "typing.TypeVarTuple")


def _module(module: Module) -> Scope:
    scope = Scope(module.path, is_package=module.is_package)
    for fn in module.functions:
        scope.members[fn.name] = _function(fn)
    for cls in module.classes:
        scope.members[cls.name] = Member("class", scope=_class(cls))
    for attribute in module.attributes:
        defaulted = attribute.type in _TYPE_PARAMETERS and "default=" in (attribute.value or "")
        scope.members[attribute.name] = Member(
            "value", value=HAS_TYPE_DEFAULT if defaulted else None
        )
    for name in module.aliases:
        scope.members[name] = Member("value")
    for sub in module.submodules:
        scope.members[sub.name] = Member("module", scope=_module(sub))
    return scope


def scope_from_model(model: ApiModel) -> Scope:
    """Return ``model`` as the facts :func:`~stubgen.verify.compare.verify_stubs` compares."""
    return _module(model.module)


def curation_of(model: ApiModel) -> Curation:
    """Collect what pattern files wrote: replaced objects' paths and the names they define."""
    curation = Curation(paths=set(model.removed))

    def visit_class(cls: Class) -> None:
        if cls.replacement is not None:
            curation.paths.add(cls.path)
            curation.names |= defined_names(cls.replacement)
        for edge in (cls.prefix, cls.suffix, *(p.replacement for p in cls.properties)):
            curation.names |= defined_names(edge)
        for member in cls.members:
            if member.replacement is not None:
                curation.paths.add(f"{cls.path}.{member.name}")
        for fn in cls.functions:
            visit_function(fn)
        for inner in cls.classes:
            visit_class(inner)

    def visit_function(fn: Function) -> None:
        if fn.replacement is not None:
            curation.paths.add(fn.path)
            curation.names |= defined_names(fn.replacement)

    def visit_module(module: Module) -> None:
        curation.names |= defined_names(module.prefix) | defined_names(module.suffix)
        for fn in module.functions:
            visit_function(fn)
        for cls in module.classes:
            visit_class(cls)
        for sub in module.submodules:
            visit_module(sub)

    visit_module(model.module)
    return curation
