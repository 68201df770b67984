"""Compare stub files on disk with the live module's API model (what stubtest cannot do here).

mypy's stubtest calls every nanobind function "not a function" and does not notice a wrong
signature. This check reads the stubs with ``ast`` and compares, object by object, with the
model built from ``__nb_signature__``: missing and extra objects, kinds, overload counts, and
per overload the parameter names, kinds and which parameters have defaults.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from stubgen.findings import Finding, finding
from stubgen.model.api import ApiModel, Class, Function, Parameter
from stubgen.model.names import NameIndex
from stubgen.model.text import DOUBLE_QUOTED
from stubgen.model.walk import iter_modules
from stubgen.stubs import (
    SKIPPED_MEMBERS,
    defined_names,
    stub_file_name,
    stub_parameter_names,
    written_parameters,
)


@dataclass
class _StubScope:
    """The definitions of one stub module or class body, by name."""

    functions: dict[str, list[ast.FunctionDef]] = field(default_factory=dict)
    properties: set[str] = field(default_factory=set)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    values: set[str] = field(default_factory=set)


def _scope(body: list[ast.stmt]) -> _StubScope:
    scope = _StubScope()
    for node in body:
        if isinstance(node, ast.FunctionDef):
            decorators = {ast.unparse(d) for d in node.decorator_list}
            if "property" in decorators or any(d.endswith(".setter") for d in decorators):
                scope.properties.add(node.name)
            else:
                scope.functions.setdefault(node.name, []).append(node)
        elif isinstance(node, ast.ClassDef):
            scope.classes[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            scope.values.add(node.target.id)
        elif isinstance(node, ast.Assign):
            scope.values.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.ImportFrom):
            scope.values.update(a.asname for a in node.names if a.asname and a.asname == a.name)
    return scope


def _stub_parameters(node: ast.FunctionDef) -> list[tuple[str, str, bool]]:
    args = node.args
    result: list[tuple[str, str, bool]] = []
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    for i, a in enumerate(positional):
        kind = "positional_only" if i < len(args.posonlyargs) else "positional_or_keyword"
        result.append((a.arg, kind, i >= first_default))
    if args.vararg:
        result.append((args.vararg.arg, "var_positional", False))
    for a, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        result.append((a.arg, "keyword_only", default is not None))
    if args.kwarg:
        result.append((args.kwarg.arg, "var_keyword", False))
    return result


def _runtime_parameters(params: list[Parameter]) -> list[tuple[str, str, bool]]:
    renamed = stub_parameter_names(params)
    return [(name, kind, p.has_default) for p, (name, kind) in zip(params, renamed, strict=True)]


def _drop_self(params: list[tuple[str, str, bool]], bound: bool) -> list[tuple[str, str, bool]]:
    """Leave out the bound first parameter: ``self``/``cls``, whatever a method calls it.

    A Python function set on a class is bound whatever its first parameter's name
    (``__eq__(x, y)``); the stubs call it ``self``.
    """
    positional = bool(params) and params[0][1] in ("positional_only", "positional_or_keyword")
    if positional and (bound or params[0][0] in ("self", "cls")):
        return params[1:]
    return params


def _as_stub(annotation: str | None, index: NameIndex) -> str | None:
    """Write as Any what stubs write as Any: C++ names and modules the stubs do not cover."""
    if annotation is None:
        return None
    text = DOUBLE_QUOTED.sub("Any", annotation)

    def outside(match: re.Match[str]) -> str:
        name = match.group(0)
        if name.split(".")[0] == index.top and not index.package_of(name):
            return "Any"
        return name

    return re.sub(r"[^\W\d]\w*(?:\.[^\W\d]\w*)+", outside, text)


def _compare_function(
    fn: Function, stub: list[ast.FunctionDef], index: NameIndex
) -> Iterator[Finding]:
    runtime: list[list[tuple[str, str, bool]]] = []
    keys: set[tuple[object, ...]] = set()
    bound = fn.kind in ("method", "classmethod")
    for overload in fn.overloads:
        # Overloads that collapse to one signature are merged in stubs: count them once. C++
        # types without a binding all become Any, so they do not tell overloads apart.
        key = (
            _as_stub(overload.returns, index),
            *((p.name, p.kind, _as_stub(p.annotation, index)) for p in overload.parameters),
        )
        if key not in keys:
            keys.add(key)
            runtime.append(_drop_self(_runtime_parameters(written_parameters(overload)), bound))
    stubs = [_drop_self(_stub_parameters(node), bound) for node in stub]
    if len(stubs) != len(runtime):
        yield finding("VFY003", fn.path, stub=len(stubs), runtime=len(runtime))
        return
    if sorted(stubs) == sorted(runtime):
        return  # the same overloads; stubs may order them narrowest first
    for number, (s, r) in enumerate(zip(stubs, runtime, strict=True)):
        if [p[0] for p in s] != [p[0] for p in r]:
            yield finding(
                "VFY004", fn.path, index=number, stub=[p[0] for p in s], runtime=[p[0] for p in r]
            )
            continue
        for (name, s_kind, s_default), (_, r_kind, r_default) in zip(s, r, strict=True):
            if s_kind != r_kind:
                yield finding(
                    "VFY005", fn.path, index=number, name=name, stub=s_kind, runtime=r_kind
                )
            if s_default != r_default:
                where = "stubs" if s_default else "module"
                yield finding("VFY006", fn.path, index=number, name=name, where=where)


def _compare_members(
    path: str,
    functions: list[Function],
    classes: list[Class],
    properties: list[str],
    values: list[str],
    scope: _StubScope,
    index: NameIndex,
) -> Iterator[Finding]:
    # What a pattern file wrote is curated on purpose: its names are expected, not compared.
    replaced = [(f.name, f.replacement) for f in functions]
    replaced += [(c.name, c.replacement) for c in classes]
    seen: set[str] = {
        name
        for own, replacement in replaced
        if replacement is not None
        for name in {own, *defined_names(replacement)}
    }
    for fn in functions:
        if fn.name in SKIPPED_MEMBERS or fn.replacement is not None:
            continue
        seen.add(fn.name)
        if fn.name in scope.functions:
            yield from _compare_function(fn, scope.functions[fn.name], index)
        elif fn.name in scope.properties or fn.name in scope.classes or fn.name in scope.values:
            yield finding("VFY007", fn.path, runtime="function", stub="non-function")
        else:
            yield finding("VFY001", fn.path)
    for cls in classes:
        seen.add(cls.name)
        if cls.replacement is not None:
            continue
        if cls.name in scope.classes:
            yield from _compare_class(cls, scope.classes[cls.name], index)
        elif cls.name in scope.functions:
            yield finding("VFY007", cls.path, runtime="class", stub="function")
        else:
            yield finding("VFY001", cls.path)
    for name in properties:
        seen.add(name)
        if name not in scope.properties and name not in scope.values:
            yield finding("VFY001", f"{path}.{name}")
    seen.update(values)
    for name in sorted(set(scope.functions) | set(scope.classes) | scope.properties):
        if name not in seen:
            yield finding("VFY002", f"{path}.{name}")


def _compare_class(cls: Class, node: ast.ClassDef, index: NameIndex) -> Iterator[Finding]:
    scope = _scope(node.body)
    values = [m.name for m in cls.members] + [a.name for a in cls.attributes] + list(cls.aliases)
    props = [p.name for p in cls.properties]
    for edge in (cls.prefix, cls.suffix, *(p.replacement for p in cls.properties)):
        values += defined_names(edge)
    yield from _compare_members(cls.path, cls.functions, cls.classes, props, values, scope, index)


def verify_stubs(model: ApiModel, stubs_dir: Path) -> list[Finding]:
    """Compare the stubs under ``stubs_dir`` with ``model``.

    Parameters
    ----------
    model : ApiModel
        The model of the live module.
    stubs_dir : Path
        The directory the stubs were written to (the ``-o`` of the ``stubs`` verb).

    Returns
    -------
    list of Finding
        One finding per mismatch, sorted; empty when the stubs match the module.
    """
    findings: list[Finding] = []
    index = NameIndex.from_model(model)
    for module in iter_modules(model.module):
        file = stubs_dir / stub_file_name(module)
        if not file.is_file():
            findings.append(finding("VFY001", module.path))
            continue
        try:
            tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        except (SyntaxError, ValueError) as exc:
            findings.append(finding("VFY008", module.path, file=file.name, error=exc))
            continue
        scope = _scope(tree.body)
        values = [a.name for a in module.attributes] + [s.name for s in module.submodules]
        values += list(module.aliases)
        values += defined_names(module.prefix) | defined_names(module.suffix)
        findings.extend(
            _compare_members(
                module.path, module.functions, module.classes, [], values, scope, index
            )
        )
    return sorted(findings)
