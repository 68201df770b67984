"""Compare stub files on disk with what the runtime declares (what stubtest cannot do here).

mypy's stubtest calls every nanobind function "not a function" and does not notice a wrong
signature. This check reads the stubs with the stub reader (:mod:`stubgen.stubs.reader`, the
one diff uses too) and compares them, object by object, with
:mod:`stubgen.verify.runtime`'s reading of the live module, made apart from the loader's
model: an error in the model shows here as a difference. Per function it compares the
overloads in order (names, kinds, which parameters have defaults, the default values where
both sides spell one), per enum its members and their values, per class its methods,
properties and aliases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from stubgen.findings import Finding, finding
from stubgen.model.api import Attribute, Class, EnumMember, Function, Module, Overload, Parameter
from stubgen.model.members import scope_members
from stubgen.stubs import (
    defaults_dropped,
    keyword_tail,
    module_from_stub,
    stub_parameter_names,
)
from stubgen.verify.facts import (
    HAS_TYPE_DEFAULT,
    Member,
    RuntimeOverload,
    RuntimeParam,
    Scope,
    comparable_default,
)

_StubParam = tuple[str, str, bool, str | None]
# Numeric types a binding converts between: an overload may move before one that would have
# to convert its argument (stubgen.stubs' narrowest_first).
_NUMERIC = frozenset(
    {"bool", "int", "float", "complex", "SupportsInt", "SupportsFloat", "SupportsIndex"}
)


_OBJECT_NAMES = frozenset(dir(object))


@dataclass
class Curation:
    """What pattern files wrote on purpose: paths not compared, names not reported as extra."""

    paths: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)


@dataclass
class _StubScope:
    """The definitions of one stub module or class body, by name (read by the stub reader)."""

    functions: dict[str, list[Overload]] = field(default_factory=dict)
    properties: set[str] = field(default_factory=set)
    classes: dict[str, Class] = field(default_factory=dict)
    values: dict[str, str | None] = field(default_factory=dict)


def _scope(node: Module | Class) -> _StubScope:
    """Index a module or class the stub reader read: what verify looks names up in."""
    scope = _StubScope()
    for name, member in scope_members(node).items():
        if isinstance(member.node, Function):
            scope.functions[name] = member.node.overloads
        elif isinstance(member.node, Class):
            scope.classes[name] = member.node
        elif member.kind == "property":
            scope.properties.add(name)
        elif isinstance(member.node, Attribute | EnumMember):
            scope.values[name] = member.node.value
        elif member.kind == "alias":
            # A class's second name of a method says which; a module's re-export, a value.
            scope.values[name] = member.target if isinstance(node, Class) else None
    return scope


def _stub_parameters(overload: Overload) -> list[_StubParam]:
    return [
        (p.name, p.kind, p.has_default, comparable_default(p.default) if p.default else None)
        for p in overload.parameters
    ]


def _stub_annotations(overload: Overload) -> list[str]:
    return [
        _short(p.annotation or "")
        for p in overload.parameters
        if p.kind not in ("var_positional", "var_keyword")
    ]


def _short(annotation: str) -> str:
    """Spell an annotation for matching: C++ names as Any, dotted names by their last part."""
    text = re.sub(r'"[^"]*"', "Any", annotation)
    return re.sub(r"(?:[^\W\d]\w*\.)+([^\W\d]\w*)", r"\1", text).replace(" ", "")


def _runtime_parameters(signature: RuntimeOverload, bound: bool) -> list[_StubParam]:
    params = signature.params
    positional = bool(params) and params[0].kind in ("positional_only", "positional_or_keyword")
    if positional and (bound or params[0].name in ("self", "cls")):
        params = params[1:]  # as the stubs' side drops it (_drop_self)
    model = [Parameter(name=p.name, kind=p.kind) for p in params]  # type: ignore[arg-type]
    renamed = stub_parameter_names(model)
    return [
        (name, kind, p.has_default, p.default)
        for p, (name, kind) in zip(params, renamed, strict=True)
    ]


def _written_shapes(params: list[_StubParam]) -> list[list[_StubParam]]:
    """Return the overloads a stub writes for one runtime overload.

    Two where a default precedes a required parameter: all required, and the keyword-only
    tail (STB008).
    """
    model = [
        Parameter(name=n, kind=k, has_default=h, default=d)  # type: ignore[arg-type]
        for n, k, h, d in params
    ]
    shapes = [defaults_dropped(model)]
    tail = keyword_tail(model)
    if tail is not None:
        shapes.append(tail)
    return [[(p.name, p.kind, p.has_default, p.default) for p in shape] for shape in shapes]


def _drop_self(params: list[_StubParam], bound: bool) -> list[_StubParam]:
    """Leave out the bound first parameter: ``self``/``cls``, whatever a method calls it."""
    positional = bool(params) and params[0][1] in ("positional_only", "positional_or_keyword")
    if positional and (bound or params[0][0] in ("self", "cls")):
        return params[1:]
    return params


def _accepts_anything(params: list[_StubParam] | list[RuntimeParam]) -> bool:
    kinds = [p[1] if isinstance(p, tuple) else p.kind for p in params]
    return "var_positional" in kinds and "var_keyword" in kinds


def _shape(params: list[_StubParam]) -> list[tuple[str, str, bool]]:
    return [(name, kind, has_default) for name, kind, has_default, _ in params]


def _compare_function(path: str, member: Member, stub: list[Overload]) -> Iterator[Finding]:
    stubs = [_drop_self(_stub_parameters(node), member.bound) for node in stub]
    if not member.overloads:
        return  # a type slot: declared nothing but its name
    if any(not s.known for s in member.overloads):
        # Nothing to compare with: the stub must take every call (STB024).
        if not (len(stubs) == 1 and _accepts_anything(stubs[0])):
            yield finding("VFY009", path)
        return
    runtime: list[list[_StubParam]] = []
    annotations: list[list[str]] = []
    keys: set[tuple[object, ...]] = set()
    for signature in member.overloads:
        params = _runtime_parameters(signature, member.bound)
        if len(member.overloads) == 1 and _accepts_anything(params):
            return  # *args, **kwargs at runtime: stubs may say what it forwards to
        shorts = [_short(a) for a in signature.annotations]
        for written in _written_shapes(params):
            # C++ names are all Any in stubs: overloads told apart only by them are written
            # once.
            key = (
                tuple(_shape(written)),
                tuple(re.sub(r'"[^"]*"', "Any", a) for a in signature.annotations),
            )
            if key not in keys:  # overloads a stub writes alike are merged (STB009)
                keys.add(key)
                runtime.append(written)
                annotations.append(shorts)
    if len(stubs) != len(runtime):
        yield finding("VFY003", path, stub=len(stubs), runtime=len(runtime))
        return
    order = _match(stubs, [_stub_annotations(n) for n in stub], runtime, annotations)
    if order is None:
        yield from _compare_in_place(path, stubs, runtime)
        return
    for number, i in enumerate(order):
        passed = [j for j in order[number + 1 :] if j < i]
        if any(not _conversion_only(annotations[i], annotations[j]) for j in passed):
            yield finding("VFY010", path, index=number + 1, runtime=i + 1)
        yield from _compare_defaults(path, number, stubs[number], runtime[i])


def _match(
    stubs: list[list[_StubParam]],
    stub_annotations: list[list[str]],
    runtime: list[list[_StubParam]],
    annotations: list[list[str]],
) -> list[int] | None:
    """Pair each stub overload with the runtime's (shape, then annotations); None if one fails.

    Returns the runtime's index of each stub overload, in the stub's order.
    """
    free = list(range(len(runtime)))
    order: list[int] = []
    for number, params in enumerate(stubs):
        same = [i for i in free if _shape(runtime[i]) == _shape(params)]
        if not same:
            return None
        exact = [i for i in same if annotations[i] == stub_annotations[number]]
        choice = (exact or same)[0]
        free.remove(choice)
        order.append(choice)
    return order


def _conversion_only(moved: list[str], passed: list[str]) -> bool:
    """Tell whether two overloads differ only in numeric types the binding converts between."""
    differ = [(a, b) for a, b in zip(moved, passed, strict=False) if a != b]
    return bool(differ) and all(a in _NUMERIC and b in _NUMERIC for a, b in differ)


def _compare_in_place(
    path: str, stubs: list[list[_StubParam]], runtime: list[list[_StubParam]]
) -> Iterator[Finding]:
    for number, (s, r) in enumerate(zip(stubs, runtime, strict=True)):
        if [p[0] for p in s] != [p[0] for p in r]:
            yield finding(
                "VFY004", path, index=number, stub=[p[0] for p in s], runtime=[p[0] for p in r]
            )
            continue
        for (name, s_kind, s_default, _), (_, r_kind, r_default, _) in zip(s, r, strict=True):
            if s_kind != r_kind:
                yield finding("VFY005", path, index=number, name=name, stub=s_kind, runtime=r_kind)
            if s_default != r_default:
                where = "stubs" if s_default else "module"
                yield finding("VFY006", path, index=number, name=name, where=where)


def _compare_defaults(
    path: str, number: int, stub: list[_StubParam], runtime: list[_StubParam]
) -> Iterator[Finding]:
    for (name, _, _, s_value), (_, _, _, r_value) in zip(stub, runtime, strict=True):
        if s_value is not None and r_value is not None and s_value != r_value:
            yield finding("VFY011", path, index=number, name=name, stub=s_value, runtime=r_value)


def _compare_scope(
    runtime: Scope, stub: _StubScope, stubs_dir: Path, curation: Curation
) -> Iterator[Finding]:
    for name, member in runtime.members.items():
        path = f"{runtime.path}.{name}"
        if path in curation.paths:
            continue
        yield from _compare_member(path, name, member, stub, stubs_dir, curation)
    known = set(runtime.members) | set(runtime.other_names) | curation.names
    written = set(stub.functions) | set(stub.classes) | stub.properties
    # A stub's private names are its own helpers (a base class from a private module).
    private = {n for n in written if n.startswith("_") and not n.endswith("__")}
    for name in sorted(written - known - private):
        if f"{runtime.path}.{name}" not in curation.paths:
            yield finding("VFY002", f"{runtime.path}.{name}")


def _compare_member(
    path: str, name: str, member: Member, stub: _StubScope, stubs_dir: Path, curation: Curation
) -> Iterator[Finding]:
    if member.kind == "module":
        if member.scope is not None:
            yield from _compare_module(member.scope, stubs_dir, curation)
    elif member.kind == "function":
        if name in stub.functions:
            yield from _compare_function(path, member, stub.functions[name])
        elif name in stub.properties or name in stub.classes:
            yield finding("VFY007", path, runtime="function", stub="non-function")
        elif name not in stub.values and member.overloads:  # a type slot may go unwritten
            yield finding("VFY001", path)
    elif member.kind == "class":
        if name in stub.classes:
            if member.scope is not None:
                body = _scope(stub.classes[name])
                yield from _compare_scope(member.scope, body, stubs_dir, curation)
        elif name in stub.functions:
            yield finding("VFY007", path, runtime="class", stub="function")
        elif name not in stub.values:
            yield finding("VFY001", path)
    elif member.kind == "property":
        if name not in stub.properties and name not in stub.values:
            yield finding("VFY001", path)
    elif member.kind == "enum_member":
        if name not in stub.values:
            yield finding("VFY001", path)
            return
        written = comparable_default(stub.values[name])
        if written is not None and member.value is not None and written != member.value:
            yield finding("VFY012", path, stub=written, runtime=member.value)
    elif member.kind == "value" and member.value == HAS_TYPE_DEFAULT:
        written = stub.values.get(name)
        if written is not None and "default=" not in written:
            yield finding("VFY018", path)
    elif member.kind == "alias":
        # A name object defines is written as a method of its own (the override's ignore).
        if name in stub.functions and name not in _OBJECT_NAMES:
            yield finding("VFY013", path, target=member.target)
        elif name not in stub.values:
            yield finding("VFY001", path)


def _stub_file(scope: Scope, stubs_dir: Path) -> Path | None:
    base = stubs_dir / scope.path.replace(".", "/")
    for file in (base / "__init__.pyi", base.with_name(base.name + ".pyi")):
        if file.is_file():
            return file
    return None


def _compare_module(runtime: Scope, stubs_dir: Path, curation: Curation) -> Iterator[Finding]:
    file = _stub_file(runtime, stubs_dir)
    if file is None:
        yield finding("VFY001", runtime.path)
        return
    package = file.name == "__init__.pyi"
    try:
        text = file.read_text(encoding="utf-8")
        stub = module_from_stub(text, runtime.path, package=package, public=False)
    except (SyntaxError, ValueError) as exc:
        yield finding("VFY008", runtime.path, file=file.name, error=exc)
        return
    yield from _compare_scope(runtime, _scope(stub), stubs_dir, curation)


def verify_stubs(
    runtime: Scope, stubs_dir: Path, curation: Curation | None = None
) -> list[Finding]:
    """Compare the stubs under ``stubs_dir`` with what the runtime declares.

    Parameters
    ----------
    runtime : Scope
        The module as :func:`stubgen.verify.runtime.read_runtime` read it (or, without a
        runtime, as :func:`stubgen.verify.from_model.scope_from_model` restates a model).
    stubs_dir : Path
        The directory the stubs were written to (the ``-o`` of the ``stubs`` verb).
    curation : Curation, optional
        What pattern files wrote on purpose.

    Returns
    -------
    list of Finding
        One finding per mismatch, sorted; empty when the stubs match the module.
    """
    _name_objects_once(runtime)
    return sorted(_compare_module(runtime, stubs_dir, curation or Curation()))


_DOTTED = re.compile(r"(?<![\w.'\"])[^\W\d]\w*(?:\.[^\W\d]\w*)+")


def _name_objects_once(runtime: Scope) -> None:
    """Write each object's other names in annotations as the name it is an alias of.

    A signature may name a class by an alias the module binds (mitsuba's ``Spectrum``, the
    same object as ``Color3f`` in the selected variant); the stubs write the class, and an
    overload that then repeats another is written once (STB009).
    """
    scopes = list(_scopes(runtime))
    aliases: dict[str, str] = {}
    for scope in scopes:
        for name, member in scope.members.items():
            if member.kind == "alias" and member.target:
                aliases[f"{scope.path}.{name}"] = f"{scope.path}.{member.target}"
            elif member.kind == "class" and member.target:  # the path it was first read at
                aliases[f"{scope.path}.{name}"] = member.target
    if not aliases:
        return

    def canonical(match: re.Match[str]) -> str:
        return aliases.get(match.group(0), match.group(0))

    for scope in scopes:
        for member in scope.members.values():
            for signature in member.overloads:
                signature.annotations = [_DOTTED.sub(canonical, a) for a in signature.annotations]


def _scopes(root: Scope) -> Iterator[Scope]:
    """Yield ``root`` and every scope nested in it."""
    yield root
    for member in root.members.values():
        if member.scope is not None:
            yield from _scopes(member.scope)
