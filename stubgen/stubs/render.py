"""Render the API model as PEP 561 stub files (``.pyi``), one per module.

Each overload keeps its own docstring; every change made to keep a stub valid (an unbound C++
type, a keyword used as a parameter name, an empty return type, ...) is reported as a finding.
The output is a mapping from relative file path to text: deterministic, written by the caller.
"""

from __future__ import annotations

import ast
import functools
import inspect
import keyword
import re
from typing import TYPE_CHECKING
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from stubgen.findings import Finding, finding
from stubgen.model.api import (
    ApiModel,
    Attribute,
    Class,
    EnumMember,
    Function,
    Module,
    Overload,
    Parameter,
    ParameterKind,
    Property,
    Replacement,
)
from stubgen.model.names import NameIndex
from stubgen.model.text import DOUBLE_QUOTED, is_literal, literal_kind, split_top_level
from stubgen.model.walk import iter_classes, iter_functions, iter_modules
from stubgen.parse.signature import (
    ANNOTATED,
    ClassSignature,
    matching_paren,
    parse_class_signature,
)
from stubgen.stubs.checkers import (
    CONTAINER_BASES,
    CONTAINER_METHODS,
    INT_BASES,
    INT_METHODS,
    OBJECT_METHODS,
    PLAIN_BUILTINS,
    stub_literal,
    Observed,
    TypeRelations,
    Verdict,
    catch_all_overlaps,
    defaults_dropped,
    admitted_default,
    untyped_result,
    written_result,
    evidence_first,
    evidence_parameters,
    evidence_results,
    keyword_tail,
    inplace_verdict,
    narrowest_first,
    override_verdict,
    callable_overloads,
    shadowed,
)
from stubgen.stubs.file_names import StubNames

if TYPE_CHECKING:
    from stubgen.trace.calls import Call

INDENT = "    "
# Left out of stubs on purpose: nanobind's generic __new__, and __class_getitem__, which
# would not make the class generic for type checkers (STB011 says what does).
SKIPPED_MEMBERS = frozenset({"__class_getitem__", "__new__"})
# The in-place operators mypy checks against their forward operator (``__iadd__``, ...).
INPLACE_OPERATORS = frozenset(
    f"__i{op}__"
    for op in "add sub mul matmul truediv floordiv mod pow lshift rshift and xor or".split()
)
# Methods type checkers do not hold to their base's signature.
NOT_CHECKED_OVERRIDES = frozenset({"__init__", "__new__", "__init_subclass__", "__post_init__"})

_TYPE_VARIABLES = ("typing.TypeVar", "typing.ParamSpec", "typing.TypeVarTuple")


@dataclass
class StubFiles:
    """The stub files of a package (relative path -> text) and what was changed to make them."""

    files: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def render_stubs(
    model: ApiModel,
    type_map: dict[str, str] | None = None,
    *,
    docstrings: bool = True,
    values: bool = True,
    calls: Sequence[Call] = (),
) -> StubFiles:
    """Render every module of ``model`` as a stub file, plus the ``py.typed`` marker.

    Parameters
    ----------
    model : ApiModel
        The API model.
    type_map : dict of str to str, optional
        Unbound C++ type name (or ``re:`` + regex) -> dotted Python type.
    docstrings : bool, optional
        Write docstrings (nanobind.stubgen's ``-D`` turns them off).
    values : bool, optional
        Write the values of module attributes (``--exclude-values`` turns them off).
    calls : sequence of Call, optional
        Calls traced at run time (``nbapi trace``): the evidence that orders overloads
        (:func:`stubgen.stubs.checkers.evidence_first`; each move is an STB033 finding).

    Returns
    -------
    StubFiles
        Files keyed by path relative to the output directory, e.g. ``tinyfuser/__init__.pyi``.
    """
    index = NameIndex.from_model(model)
    types = TypeRelations(index.ancestors)
    result = StubFiles()
    evidence = _evidence(calls, index)
    for module in iter_modules(model.module):
        stub = _ModuleStub(module, index, types, type_map or {}, docstrings, values)
        stub.evidence = evidence
        text, findings = stub.render()
        text = _parsed_or_partial(text, module, findings)
        result.files[stub_file_name(module)] = text
        result.findings.extend(findings)
    marker = marker_file_name(model.module)
    if marker is not None:
        result.files[marker] = ""
    # A function written twice (its module's stub, and a class mirroring the module) is
    # reported once.
    result.findings = sorted(set(result.findings))
    return result


def _with_keyword_tails(overloads: list[Overload]) -> Iterator[Overload]:
    """Yield each overload, and the shape that keeps a default before a required parameter.

    That second shape follows its overload (:func:`stubgen.stubs.checkers.keyword_tail`).
    """
    for overload in overloads:
        yield overload
        tail = keyword_tail(list(overload.parameters))
        if tail is not None:
            yield replace(overload, parameters=tail)


def evidence_reorders(model: ApiModel, calls: Sequence[Call]) -> set[str]:
    """Return the functions whose overloads the traced ``calls`` put in another order.

    What :func:`render_stubs` reports as STB033, decided the same way without writing any
    stub text (``verify`` expects those orders).
    """
    index = NameIndex.from_model(model)
    types = TypeRelations(index.ancestors)
    evidence = _evidence(calls, index)
    return {
        fn.path
        for fn in iter_functions(model)
        if fn.path in evidence and _evidence_order(fn, evidence, types)[1]
    }


def _evidence_order(
    fn: Function, evidence: dict[str, list[Observed]], types: TypeRelations
) -> tuple[list[Overload], list[tuple[int, int, Observed]]]:
    """Order ``fn``'s overloads as dispatch does, then as its traced calls show (moves)."""
    ordered = narrowest_first(callable_overloads(fn.overloads), types)
    if fn.path not in evidence:
        return ordered, []
    return evidence_first(ordered, evidence[fn.path], types)


def _evidence(calls: Sequence[Call], index: NameIndex) -> dict[str, list[Observed]]:
    """Index the traced calls that decide overloads and results, by callee.

    A runtime type name is written as the model's path of that class where they differ
    (``pikepdf.objects.Object`` is the model's ``pikepdf.Object``).
    """
    evidence: dict[str, list[Observed]] = {}
    kinds = ("function", "method", "static")
    for call in calls:
        if call.raised is not None or call.returns is None or call.kind not in kinds:
            continue
        if call.returns == "types.NotImplementedType":
            continue  # the operator declined: Python then asked the other operand
        args = tuple(_model_name(a, index) for a in call.args)
        kwargs = tuple(sorted((k, _model_name(v, index)) for k, v in call.kwargs.items()))
        observed = Observed(args, kwargs, _model_name(call.returns, index), call.site)
        owner, _, member = call.callee.rpartition(".")
        callee = f"{_model_name(owner, index)}.{member}" if owner else call.callee
        evidence.setdefault(callee, []).append(observed)
    return evidence


def _model_name(name: str, index: NameIndex) -> str:
    """Return the model's path of the class a runtime type name denotes (else the name)."""
    if name in index.classes or "[" in name or "|" in name or "." not in name:
        return name
    alias = index.object_aliases.get(name)
    if alias is not None:
        return alias
    module = name.rpartition(".")[0]
    same = [
        p
        for p in index.by_name.get(name.rpartition(".")[2], [])
        if p in index.classes and (p.startswith(module + ".") or p == name)
    ]
    return same[0] if len(same) == 1 else name


def _parsed_or_partial(text: str, module: Module, findings: list[Finding]) -> str:
    """Return ``text`` if it parses; else a partial stub (PEP 484) and an STB032 finding.

    A stub that does not parse breaks the type checking of every user of the package; a
    module ``__getattr__`` returning Any keeps the rest of the package checked.
    """
    try:
        ast.parse(text)
    except SyntaxError as exc:
        error = f"line {exc.lineno}: {exc.msg}"
        findings.append(finding("STB032", module.path, error=error))
        return (
            "from typing import Any\n\n"
            "def __getattr__(name: str) -> Any: ...  # the real stub did not parse\n"
        )
    return text


def stub_file_name(module: Module) -> str:
    """Return the stub file of ``module`` relative to the output directory.

    The file sits where the module does, as packages ship stubs: a package (or a module with
    ``def_submodule`` submodules) becomes ``a/b/__init__.pyi``, a single-file module
    ``a/b.pyi`` (``pkg/_ext.so`` -> ``pkg/_ext.pyi``, beside it).
    """
    path = module.path.replace(".", "/")
    if module.is_package or module.submodules:
        return f"{path}/__init__.pyi"
    return f"{path}.pyi"


def marker_file_name(root: Module) -> str | None:
    """Return where the ``py.typed`` marker goes: the top-level package, if there is one."""
    top = root.path.split(".")[0]
    if root.path == top and not (root.is_package or root.submodules):
        return None  # a single top-level module: PEP 561 has no marker for it
    return f"{top}/py.typed"


# Names Enum itself defines as properties, which a member of that name hides: the ignore each
# checker needs (typeshed types Enum.value as Any, so mypy accepts any member called value).
ENUM_OWN_NAMES = {
    "name": "  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]",
    "value": "  # pyright: ignore[reportAssignmentType, reportIncompatibleMethodOverride]",
}

# What a stub writes for an overload whose signature the binding does not give: anything goes.
_ANYTHING = (Parameter("args", "var_positional"), Parameter("kwargs", "var_keyword"))


def type_param_name(text: str) -> str:
    """Return the name a PEP 695 type parameter declares (``T: int = str`` -> ``T``)."""
    return text.lstrip("*").partition(":")[0].partition("=")[0].strip()


def _type_params(module: Module) -> tuple[dict[str, str], list[Finding]]:
    """Return the PEP 695 type parameters the module's overloads and classes declare.

    One TypeVar per name is written: a name declared again with another bound or default
    is reported (STB028), since the stub would otherwise change one of them silently.
    """
    found: dict[str, str] = {}
    where: dict[str, str] = {}
    findings: list[Finding] = []
    texts: list[tuple[str, str]] = []
    classes = list(iter_classes(module.classes))
    for fn in [*module.functions, *(fn for cls in classes for fn in cls.functions)]:
        texts += [(fn.path, t) for o in fn.overloads for t in o.type_params]
    for cls in classes:
        parsed = parse_class_signature(cls.signature) if cls.signature else None
        texts += [(cls.path, t) for t in (parsed.type_params if parsed else [])]
    for path, text in texts:
        name = type_param_name(text)
        if not name.isidentifier():
            continue
        if name not in found:
            found[name], where[name] = text, path
        elif found[name] != text:
            findings.append(
                finding("STB028", path, name=name, text=text, first=found[name], at=where[name])
            )
    return found, findings


def written_parameters(overload: Overload) -> list[Parameter]:
    """Return the parameters a stub writes for ``overload``.

    A signature read from the docstring alone (``source`` ``"docstring"``) may name what the
    binding does not (nvFuser documents ``lhs`` where the binding has ``arg0``): the stub
    takes anything there, as where nothing is known; the docs show the docstring's.
    """
    return list(_ANYTHING) if overload.source == "docstring" else list(overload.parameters)


def stub_parameter_names(params: list[Parameter]) -> list[tuple[str, ParameterKind]]:
    """Return the name and kind each parameter gets in a stub.

    A name that is a Python keyword (``from``), empty, not an identifier or a repeat of an
    earlier name cannot be written; it is renamed (``from_``, ``argN``, ``x_``) and, since
    callers cannot pass it by its real name anyway, it and every parameter before it become
    positional-only.

    Parameters
    ----------
    params : list of Parameter
        An overload's parameters as the model holds them.

    Returns
    -------
    list of tuple of (str, str)
        ``(name, kind)`` per parameter, in order.
    """
    result: list[tuple[str, ParameterKind]] = [(p.name, p.kind) for p in params]
    taken = {p.name for p in params}
    seen: set[str] = set()
    for i, p in enumerate(params):
        if _valid_name(p.name) and p.name not in seen:
            seen.add(p.name)
            continue
        new = f"{p.name}_" if keyword.iskeyword(p.name) else re.sub(r"\W", "_", p.name)
        if not new or new[0].isdigit():
            new = f"arg{i}"
        while new in taken:
            new += "_"
        taken.add(new)
        seen.add(new)
        result[i] = (new, p.kind)
        for j in range(i + 1):
            if result[j][1] == "positional_or_keyword":
                result[j] = (result[j][0], "positional_only")
    return result


def defined_names(replacement: Replacement | None, *, imports: bool = True) -> set[str]:
    r"""Return the top-level names a pattern's text defines (and its ``\from`` lines import)."""
    if replacement is None:
        return set()
    names = {
        spec.alias or (spec.member or spec.module).split(".")[0]
        for spec in (replacement.imports if imports else [])
    }
    try:
        tree = ast.parse(replacement.text)
    except SyntaxError:
        return names
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _defined_in(module: Module) -> set[str]:
    """Return the names a module's stub defines at its top: no aliases, no type parameters."""
    local = {f.name for f in module.functions} | {c.name for c in module.classes}
    local |= {a.name for a in module.attributes} | {s.name for s in module.submodules}
    for edge in (module.prefix, module.suffix):
        local |= defined_names(edge, imports=False)
    return local


def module_names(module: Module) -> set[str]:
    """Return the names a module's stub defines at its top, its declared type parameters too.

    A bare name in one of the module's annotations (``ArrayT`` of ``nb::sig`` text) means
    the module's own object of that name, as the stub writes it. Aliases are left out: the
    stub binds each to what it names (drjit's ``Callable`` is ``typing.Callable``), as a
    lookup of the name in the package does.
    """
    declared, _ = _type_params(module)
    return _defined_in(module) | set(declared)


def _checker_view(header: str) -> str:
    """Return ``header`` as a type checker reads it: ``Annotated[X, ...]`` is ``X``.

    libigl's ``matlab_format(M: Annotated[NDArray[float64], dict(shape=(None, None))])``
    and its ``shape=(None,)`` twin are one signature to a checker (the second could never
    be matched): they are written once (STB009).
    """
    while (match := ANNOTATED.search(header)) is not None:
        close = matching_paren(header, match.end() - 1)
        inner = header[match.end() : close]
        header = header[: match.start()] + split_top_level(inner, ",")[0].strip() + header[close + 1 :]
    return header


def _vararg(header: str, any_name: str | None) -> str | None:
    """Return the ``*args`` annotation of a written ``def`` header (``Any`` for Any)."""
    match = re.search(r"[(,]\s*\*(?!\*)\w+: (\*?[^,)]+)", header)
    if match is None:
        return None
    return "Any" if match.group(1) == any_name else match.group(1)


def _as_method(fn: Function) -> list[Overload]:
    """Return the overloads of ``fn`` as written, ``self`` first, as the override checks read them.

    An untyped result is written Any (:func:`~stubgen.stubs.checkers.written_result`), which
    overrides any result.
    """
    written = [replace(o, returns=written_result(o)) for o in fn.overloads]
    if fn.kind == "method":
        return written
    self_param = Parameter("self", "positional_only")
    return [replace(o, parameters=[self_param, *o.parameters]) for o in written]


def _type_ignore(codes: list[str]) -> str:
    """Write a ``  # type: ignore[...]`` comment for ``codes`` (bare for ``[""]``, none for [])."""
    if not codes:
        return ""
    if "" in codes:
        return "  # type: ignore"
    return f"  # type: ignore[{', '.join(dict.fromkeys(codes))}]"


# Control characters but newline and tab; a private-use character marks them meanwhile.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")
_MARK = "\ue000"
_MARKED = re.compile(_MARK + r"(x[0-9a-f]{2}|u[0-9a-f]{4})")


def _escape(char: str) -> str:
    code = ord(char)
    return f"x{code:02x}" if code < 0x100 else f"u{code:04x}"


def _valid_name(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


class _ModuleStub:
    """The stub text of one module, built in one pass over its model."""

    def __init__(
        self,
        module: Module,
        index: NameIndex,
        types: TypeRelations,
        type_map: dict[str, str],
        docstrings: bool = True,
        values: bool = True,
    ) -> None:
        self.module = module
        self.docstrings, self.values = docstrings, values
        local = _defined_in(module) | set(module.aliases)
        edges = [edge for edge in (module.prefix, module.suffix) if edge is not None]
        # PEP 695 type parameters of nb::sig texts (def f[T](...)): declared once at the top,
        # as TypeVars (the syntax itself needs Python 3.12; the stubs serve older ones too).
        declared, conflicts = _type_params(module)
        self.type_params = {k: v for k, v in declared.items() if k not in local}
        local |= set(self.type_params)
        self.local = local
        raw_doc = module.doc.raw if module.doc and docstrings else None
        self.index = index
        self.names = StubNames(module.path, raw_doc, local, index, type_map)
        self._docs: dict[tuple[str, int], list[str]] = {}
        for edge in edges:  # the names a module prefix imports are the file's, bound first
            self._bind_imports(edge)
        self.types = types
        self.findings: list[Finding] = conflicts
        self.evidence: dict[str, list[Observed]] = {}

    def _method(self, classes: list[str], name: str) -> tuple[str, Function] | None:
        """Return the first of ``classes`` (public paths) that defines method ``name``."""
        return next(self._methods(classes, name), None)

    def _methods(self, classes: list[str], name: str) -> Iterator[tuple[str, Function]]:
        """Yield each of ``classes`` (public paths) that defines method ``name``, in order."""
        for path in classes:
            found = self.index.class_of(path)
            if found is None or name not in self.index.members[found.path]:
                continue
            for candidate in found.functions:
                if candidate.name == name:
                    yield found.path, candidate
                    break

    def _overridden(self, cls: Class, fn: Function) -> list[tuple[str, list[Overload]]]:
        """Return every base method ``fn`` overrides (``object``'s for ``__eq__``), nearest first.

        mypy holds an override to each of them, not only to the nearest (onnx's
        ``OpRunUnaryNum.run`` matches its parent's but not ``OpRun.run``). A static method
        overriding a static method is held to its signature too; both get a stand-in
        ``self``, so that they compare as methods do.
        """
        if fn.kind not in ("method", "staticmethod") or fn.name in NOT_CHECKED_OVERRIDES:
            return []
        found = list(self._methods(self.index.ancestors(cls.path) or [], fn.name))
        if found:
            return [
                (base, _as_method(candidate))
                for base, candidate in found
                if candidate.kind == fn.kind and candidate.replacement is None
            ]
        if fn.name in OBJECT_METHODS and fn.kind == "method":
            return [("object", [OBJECT_METHODS[fn.name]])]
        if fn.kind != "method" or fn.name not in {*CONTAINER_METHODS, *INT_METHODS}:
            return []
        lineage = [cls, *(self.index.classes.get(p) for p in self.index.ancestors(cls.path) or [])]
        for base in (b for c in lineage if c is not None for b in c.bases):
            container = CONTAINER_BASES.search(base)
            if container and fn.name in CONTAINER_METHODS:
                return [(container.group(0), [CONTAINER_METHODS[fn.name]])]
            if INT_BASES.match(base) and fn.name in INT_METHODS:
                return [("int", [INT_METHODS[fn.name]])]
        return []

    def _override(self, cls: Class, fn: Function) -> Verdict:
        worst: Verdict = None
        against = ""
        for base, overloads in self._overridden(cls, fn):
            verdict = override_verdict(_as_method(fn), overloads, self.types)
            if verdict == "both" or (verdict == "pyright" and worst is None):
                worst, against = verdict, base
            if worst == "both":
                break
        if worst is not None:
            checkers = "mypy and pyright" if worst == "both" else "pyright"
            self.findings.append(finding("STB016", fn.path, base=against, checkers=checkers))
        return worst

    def _inplace(self, cls: Class, fn: Function) -> bool:
        """Tell whether mypy rejects ``__iX__`` beside the class's ``__X__``; report it."""
        if fn.name not in INPLACE_OPERATORS:
            return False
        forward = "__" + fn.name[3:]
        found = self._method([cls.path, *(self.index.ancestors(cls.path) or [])], forward)
        if found is None or found[1].replacement is not None:
            return False
        own, its = (narrowest_first(f.overloads, self.types) for f in (fn, found[1]))
        if not inplace_verdict(own, its, self.types):
            return False
        self.findings.append(finding("STB019", fn.path, forward=forward))
        return True

    def render(self) -> tuple[str, list[Finding]]:
        lines: list[str] = []
        aliases: list[str] = []
        for sub in self.module.submodules:
            self.names.export(self.module.path, sub.name, sub.name)
        for alias, target in sorted(self.module.aliases.items()):
            owner, _, member = target.rpartition(".")
            if not _valid_name(alias):
                continue
            if alias != member and alias in self.names.gen.bindings:
                continue  # a pattern's \from import already defines it, as its author wrote
            if target in self.index.modules and target != f"{self.module.path}.{alias}":
                if owner and alias == member:  # pkg.syntax is pkg.core.syntax: re-exported
                    self.names.export(owner, member, alias)
                else:
                    self.names.bind(target, None, alias)  # import pkg as alias
            elif owner == self.module.path:
                aliases.append(f"{alias} = {member}")
            elif owner in self.index.modules or not self.index.package_of(target):
                if alias == member:
                    self.names.export(owner, member, alias)
                else:  # "from m import a as b" re-exports nothing (PEP 484 needs "a as a")
                    aliases.append(f"{alias} = {self.names.bind(owner, member)}")
            else:  # a nested class
                aliases.append(f"{alias} = {self.names.annotation(target, self.module.path)}")
        if self.module.prefix is not None:
            lines += self._replaced(self.module.prefix, 0)
        lines += [self._type_param(name, text) for name, text in self.type_params.items()]
        for attr in self.module.attributes:
            lines += self._attribute(attr, 0)
        for cls in self.module.classes:
            lines += ["", *self._class(cls, 0)]
        for fn in self.module.functions:
            lines += ["", *self._function(fn, 0, in_class=False)]
        if aliases:
            lines += ["", *aliases]
        if self.module.suffix is not None:
            lines += ["", *self._replaced(self.module.suffix, 0)]
        if self.module.all is not None:
            defined = self.local | set(self.module.aliases)
            names = [n for n in self.module.all if n in defined]
            listing = (
                ["__all__ = [", *(f'    "{n}",' for n in names), "]"] if names else ["__all__ = []"]
            )
            lines = [*listing, *([""] if lines and lines[0] else []), *lines]
        body = "\n".join(lines).strip("\n") + "\n"
        text = self.names.imports_and(body)
        return text, self.findings + self.names.findings

    # -- pattern-file replacements -----------------------------------------------------------

    def _replaced(self, replacement: Replacement, depth: int) -> list[str]:
        """Return a pattern's replacement text at ``depth``, importing what it asks for."""
        self._bind_imports(replacement)
        pad = INDENT * depth
        lines = replacement.text.rstrip().split("\n")
        return [pad + line if line.strip() else "" for line in lines]

    def _bind_imports(self, replacement: Replacement) -> None:
        for spec in replacement.imports:
            self.names.bind(spec.module, spec.member, spec.alias)

    # -- docstrings -------------------------------------------------------------------------

    def _doc(self, raw: str | None, depth: int) -> list[str]:
        if not raw or not raw.strip() or not self.docstrings:
            return []
        key = (raw, depth)  # big bindings repeat docstrings across classes
        if key not in self._docs:
            text = inspect.cleandoc(raw)  # a Python docstring indents all lines but the first
            # A control character (a raw carriage return) is written as its escape, so the
            # file reads back as written: marked here, escaped once the text is quoted.
            text = _CONTROL.sub(lambda m: _MARK + _escape(m.group(0)), text)
            quoted = self.names.gen.format_docstr(text, depth)
            quoted = _MARKED.sub(lambda m: "\\" + m.group(1), quoted)
            self._docs[key] = quoted.rstrip("\n").split("\n")
        return list(self._docs[key])

    def _type_param(self, name: str, text: str) -> str:
        """Declare a PEP 695 type parameter (``T: int``, ``*Ts``, ``**P``, ``T = str``)."""
        if text.startswith("**"):
            return f'{name} = {self.names.bind("typing", "ParamSpec")}("{name}")'
        if text.startswith("*"):
            # typing has TypeVarTuple from Python 3.11 only: typing_extensions' on every one.
            factory = self.names.bind("typing_extensions", "TypeVarTuple")
            return f'{name} = {factory}("{name}")'
        head, _, default = (part.strip() for part in text.partition("="))
        _, _, bound = (part.strip() for part in head.partition(":"))
        args = [f'"{name}"']
        if bound.startswith("(") and bound.endswith(")"):
            constraints = split_top_level(bound[1:-1], ",")
            args += [self.names.annotation(c.strip(), self.module.path) for c in constraints]
        elif bound:
            args.append(f"bound={self.names.annotation(bound, self.module.path)}")
        if default:  # PEP 696: typing_extensions' TypeVar takes it on every Python
            args.append(f"default={self.names.annotation(default, self.module.path)}")
            factory = self.names.bind("typing_extensions", "TypeVar")
        else:
            factory = self.names.bind("typing", "TypeVar")
        return f"{name} = {factory}({', '.join(args)})"

    # -- attributes -------------------------------------------------------------------------

    def _attribute(self, attr: Attribute, depth: int, *, field: bool = False) -> list[str]:
        """Write an attribute; ``field``: a named tuple's, whose value ``...`` is a default."""
        pad = INDENT * depth
        if attr.replacement is not None:
            return self._replaced(attr.replacement, depth)
        if not self._writable(attr.name, attr.path):
            return []
        if attr.type in _TYPE_VARIABLES and attr.value:
            return [pad + self._type_variable(attr)]
        if attr.type == "typing.TypeAlias" and attr.value:
            alias = self.names.bind("typing", "TypeAlias")
            return [f"{pad}{attr.name}: {alias} = {self.names.annotation(attr.value, attr.path)}"]
        if attr.type == "types.ModuleType" and attr.value in self.index.modules:
            node = self.index.module_nodes.get(attr.value)
            if depth > 0 and node is not None:
                return self._module_mirror(attr, node, depth)
            # At module level, an alias of the module: both checkers read it as the module.
            return [f"{pad}{attr.name} = {self.names.bind(attr.value)}"]
        annotation = self.names.annotation(attr.type, attr.path)
        if field and attr.value == "...":
            return [f"{pad}{attr.name}: {annotation} = ..."]
        value = stub_literal(attr.value)
        # The value is shown only when it is of the declared type itself: a str subclass's
        # instance (nvFuser's __version__: NvfuserVersion) has a str repr that type checkers
        # reject as a value of the subclass.
        shown = depth == 0 and value is not None and self.values
        if shown and value is not None and literal_kind(value) == attr.type:
            return [f"{pad}{attr.name}: {annotation} = {value}"]
        if attr.overrides is not None and depth > 0:
            # A class attribute over another package's property: pyright rejects it.
            self.findings.append(
                finding("STB016", attr.path, base=attr.overrides, checkers="pyright")
            )
            ignore = "  # pyright: ignore[reportIncompatibleMethodOverride]"
            return [f"{pad}{attr.name}: {annotation}{ignore}"]
        return [f"{pad}{attr.name}: {annotation}"]

    def _module_mirror(self, attr: Attribute, node: Module, depth: int) -> list[str]:
        """Type a class attribute holding a module (nvFuser's ``self.ops = ops``) by a class.

        mypy types a module-valued attribute as ``types.ModuleType``, whose members are Any:
        no call through it would be checked. A nested class mirroring the module (its
        functions as static methods, its classes as aliases, its attributes) makes both mypy
        and pyright check ``fd.ops.add(...)`` as ``ops.add(...)``. STB025 reports it.
        """
        pad, inner = INDENT * depth, INDENT * (depth + 1)
        name = f"_{attr.name}_module"
        self.findings.append(finding("STB025", attr.path, module=attr.value, mirror=name))
        header = [
            f"{pad}class {name}:",
            f'{inner}"""The module :mod:`{attr.value}`, as the type of ``{attr.name}``."""',
        ]
        blocks: list[list[str]] = []
        outer = self.names.class_scope
        members = [f.name for f in node.functions] + [c.name for c in node.classes]
        self.names.class_scope = frozenset([*members, *(a.name for a in node.attributes)])
        try:
            for cls in node.classes:
                blocks.append([f"{inner}{cls.name} = {self.names.annotation(cls.path, attr.path)}"])
            for member in node.attributes:
                annotation = self.names.annotation(member.type, member.path)
                blocks.append([f"{inner}{member.name}: {annotation}"])
            for fn in node.functions:
                block = self._function(replace(fn, kind="staticmethod"), depth + 1, in_class=True)
                if block:
                    blocks.append(block)
        finally:
            self.names.class_scope = outer
        body = [line for block in blocks for line in ["", *block]]
        return [*header, *body, "", f"{pad}{attr.name}: {name}"]

    def _type_variable(self, attr: Attribute) -> str:
        """Declare a TypeVar, ParamSpec or TypeVarTuple: its name, constraints, bound, variance."""
        kind = attr.type.rpartition(".")[2]
        try:
            call = ast.parse(f"f({attr.value})", mode="eval").body
        except SyntaxError:
            call = None
        if not isinstance(call, ast.Call):
            return f'{attr.name} = {self.names.bind("typing", kind)}("{attr.name}")'
        args = [f'"{attr.name}"']
        args += [self.names.annotation(ast.unparse(a), attr.path) for a in call.args[1:]]
        for keyword_ in call.keywords:
            value = ast.unparse(keyword_.value)
            if keyword_.arg in ("bound", "default"):
                value = self.names.annotation(value, attr.path)
            args.append(f"{keyword_.arg}={value}")
        # A PEP 696 default: typing's own factories take it from Python 3.13 on only.
        defaulted = any(k.arg == "default" for k in call.keywords)
        factory = self.names.bind("typing_extensions" if defaulted else "typing", kind)
        return f"{attr.name} = {factory}({', '.join(args)})"

    # -- classes ----------------------------------------------------------------------------

    def _writable(self, name: str, path: str) -> bool:
        """Tell whether a member can be defined under ``name``; report it (STB031) if not."""
        if _valid_name(name):
            return True
        self.findings.append(finding("STB031", path, name=name))
        return False

    def _class(self, cls: Class, depth: int) -> list[str]:
        if cls.replacement is not None:
            return self._replaced(cls.replacement, depth)
        if not self._writable(cls.name, cls.path):
            return []
        try:
            return self._class_lines(cls, depth)
        except Exception as exc:
            self.findings.append(finding("STB015", cls.path, error=f"{type(exc).__name__}: {exc}"))
            return [f"{INDENT * depth}class {cls.name}: ..."]

    def _class_lines(self, cls: Class, depth: int) -> list[str]:
        pad = INDENT * depth
        bases = self._bases(cls) + self._class_keywords(cls)
        header = (
            f"{pad}class {cls.name}({', '.join(bases)}):" if bases else f"{pad}class {cls.name}:"
        )
        outer = self.names.class_scope
        self.names.class_scope = frozenset(self.index.members.get(cls.path, ()))
        try:
            body = self._class_body(cls, depth)
        finally:
            self.names.class_scope = outer
        return [header] + (body or [f"{pad}{INDENT}..."])

    def _class_body(self, cls: Class, depth: int) -> list[str]:
        head: list[str] = self._doc(cls.doc.raw if cls.doc else None, depth + 1)
        if cls.prefix is not None:
            head += self._replaced(cls.prefix, depth + 1)
        for member in cls.members:
            head += self._enum_member(cls, member, depth + 1)
        for attr in cls.attributes:
            head += self._attribute(attr, depth + 1, field="typing.NamedTuple" in cls.bases)
        blocks = [head] if head else []
        blocks += [b for b in (self._property(p, depth + 1, cls) for p in cls.properties) if b]
        for fn in cls.functions:
            if fn.name in SKIPPED_MEMBERS and fn.replacement is None:
                if fn.name == "__class_getitem__" and cls.signature is None:
                    self.findings.append(finding("STB011", cls.path, name=cls.name))
                continue
            override = self._override(cls, fn)
            inplace = self._inplace(cls, fn)
            block = self._function(fn, depth + 1, in_class=True, override=override, inplace=inplace)
            if block:
                blocks.append(block)
        aliases = [f"{INDENT * (depth + 1)}{a} = {t}" for a, t in sorted(cls.aliases.items())]
        if aliases:
            blocks.append(aliases)
        blocks += [self._class(nested, depth + 1) for nested in cls.classes]
        if cls.suffix is not None:
            blocks.append(self._replaced(cls.suffix, depth + 1))
        return [line for i, block in enumerate(blocks) for line in ([""] if i else []) + block]

    def _class_keywords(self, cls: Class) -> list[str]:
        """Write ``name=...`` for each keyword a base's ``__init_subclass__`` requires.

        The class was created, so it passed them (boost-histogram's storages pass
        ``family=``); the runtime keeps no trace of their values.
        """
        for base in self.index.ancestors(cls.path) or []:
            owner = self.index.classes.get(base)
            hook = next((f for f in owner.functions if f.name == "__init_subclass__"), None) if owner else None
            if hook is not None and len(hook.overloads) == 1:
                params = hook.overloads[0].parameters
                return [f"{p.name}=..." for p in params if p.kind == "keyword_only" and not p.has_default]
        return []

    def _bases(self, cls: Class) -> list[str]:
        parsed = parse_class_signature(cls.signature) if cls.signature else None
        runtime = [self.names.annotation(b, cls.path, base=True) for b in cls.bases]
        if parsed is None:
            return runtime
        bases = runtime
        if parsed.bases:
            before = len(self.names.findings)
            written = self.names.annotation(parsed.bases, cls.path, base=True)
            # An unresolved name in a generic base would make the class invalid
            # (Generic[Any]); the runtime bases are kept then.
            bases = [written] if len(self.names.findings) == before else runtime
        if parsed.type_params:
            # class Box[T] (PEP 695, Python 3.12) is written as Box(Generic[T]), which every
            # Python the stubs serve reads; T is declared at the top as a TypeVar.
            bases = [b for b in bases if b not in ("object", "builtins.object")]
            bases.append(f"{self.names.bind('typing', 'Generic')}[{self._generic_args(parsed)}]")
        return bases

    def _generic_args(self, parsed: ClassSignature) -> str:
        args = []
        for text in parsed.type_params:
            name = type_param_name(text)
            if text.startswith("*") and not text.startswith("**"):
                name = f"{self.names.bind('typing_extensions', 'Unpack')}[{name}]"
            args.append(name)
        return ", ".join(args)

    def _enum_member(self, cls: Class, member: EnumMember, depth: int) -> list[str]:
        pad = INDENT * depth
        if member.replacement is not None:
            return self._replaced(member.replacement, depth)
        if not _valid_name(member.name):
            self.findings.append(finding("STB010", cls.path, name=member.name))
            return []
        value = stub_literal(member.value) or "..."
        ignore = ENUM_OWN_NAMES.get(member.name, "")
        if ignore:
            # Enum declares these as properties: checkers object to a member that hides one
            # (the runtime allows it). The targeted ignores nanobind users write by hand.
            self.findings.append(finding("STB026", cls.path, name=member.name))
        return [
            f"{pad}{member.name} = {value}{ignore}",
            *self._doc(member.doc.raw if member.doc else None, depth),
        ]

    def _property_override(self, cls: Class, prop: Property) -> str | None:
        """Tell whether type checkers reject ``prop`` as an override; the pyright rule if so.

        lief's ``ELF.Binary.header`` returns ``ELF.Header`` where ``Binary.header`` returns
        the unrelated ``Header``; openjij's read-only ``SASampler.parameters`` overrides the
        plain attribute ``BaseSampler.parameters``. The runtime allows both, type checkers
        reject them. It is reported (STB016) and gets the targeted ignores hand-written stubs
        carry.
        """
        for path in self.index.ancestors(cls.path) or []:
            base = self.index.class_of(path)
            if base is None or prop.name not in self.index.members[base.path]:
                continue
            found = next((p for p in base.properties if p.name == prop.name), None)
            if found is None:
                attribute = any(a.name == prop.name for a in base.attributes)
                if not (attribute and prop.readonly):
                    return None  # a method of that name: not a property's case
                rule = "reportIncompatibleVariableOverride"
            elif found.static or found.type is None or prop.type is None:
                return None
            elif found.type == prop.type or self.types.is_subtype(prop.type, found.type) is not False:
                return None
            else:
                rule = "reportIncompatibleMethodOverride"
            self.findings.append(finding("STB016", prop.path, base=base.path, checkers="mypy and pyright"))
            return rule
        return None

    def _property(self, prop: Property, depth: int, cls: Class) -> list[str]:
        pad = INDENT * depth
        if prop.replacement is not None:
            return self._replaced(prop.replacement, depth)
        if not self._writable(prop.name, prop.path):
            return []
        kind = prop.type
        if prop.getter is not None and prop.getter.source != "python":
            kind = untyped_result(kind)
        annotation = self.names.annotation(kind, prop.path)
        doc = self._doc(prop.doc.raw if prop.doc else None, depth + 1)
        if prop.static:
            # A read-only class attribute is Final, unless a class of its lineage defines it
            # too: type checkers reject redefining a Final (a base's, or in a subclass).
            owner = prop.path.rpartition(".")[0]
            final = prop.readonly and not self.index.redefined(owner, prop.name)
            wrapper = self.names.bind("typing", "Final" if final else "ClassVar")
            return [
                f"{pad}{prop.name}: {wrapper}[{annotation}] = ...",
                *self._doc(prop.doc.raw if prop.doc else None, depth),
            ]
        decorator = f"{pad}@{self.names.decorator('property')}"
        getter = f"{pad}def {prop.name}(self) -> {annotation}:"
        rule = self._property_override(cls, prop)
        if rule is not None:
            # mypy reports a property with a setter at its first decorator, pyright the getter.
            mypy = "  # type: ignore[override]"
            decorator += "" if prop.readonly else mypy
            getter += (mypy if prop.readonly else "") + f"  # pyright: ignore[{rule}]"
        lines = [decorator, getter]
        lines += doc or [f"{pad}{INDENT}..."]
        if not prop.readonly:
            value, name = annotation, "value"
            if prop.setter is not None and len(prop.setter.parameters) > 1:
                param = prop.setter.parameters[1]
                value = self.names.annotation(param.annotation, prop.path)
                name = param.name if _valid_name(param.name) and param.name != "self" else name
            lines += [
                f"{pad}@{prop.name}.setter",
                f"{pad}def {prop.name}(self, {name}: {value}, /) -> None: ...",
            ]
        return lines

    # -- functions --------------------------------------------------------------------------

    def _function(
        self,
        fn: Function,
        depth: int,
        *,
        in_class: bool,
        override: Verdict = None,
        inplace: bool = False,
    ) -> list[str]:
        if fn.replacement is not None:
            return self._replaced(fn.replacement, depth)
        if not self._writable(fn.name, fn.path):
            return []
        try:
            return self._function_lines(
                fn, depth, in_class=in_class, override=override, inplace=inplace
            )
        except Exception as exc:
            self.findings.append(finding("STB015", fn.path, error=f"{type(exc).__name__}: {exc}"))
            any_ = self.names.any()
            first = "self, " if in_class else ""
            signature = f"def {fn.name}({first}*args: {any_}, **kwargs: {any_}) -> {any_}: ..."
            return [INDENT * depth + signature]

    def _function_lines(
        self, fn: Function, depth: int, *, in_class: bool, override: Verdict, inplace: bool
    ) -> list[str]:
        rendered: list[tuple[str, list[str], Overload]] = []
        ordered, moves = _evidence_order(fn, self.evidence, self.types)
        if fn.path in self.evidence:
            for moved, passed, call in moves:
                types = ", ".join([*call.args, *(f"{k}={t}" for k, t in call.kwargs)])
                self.findings.append(
                    finding(
                        "STB033", fn.path, moved=moved + 1, before=passed + 1,
                        site=call.site, types=types, returns=call.returns,
                    )  # fmt: skip
                )
            for index, position, annotation, call in evidence_parameters(
                ordered, self.evidence[fn.path], self.types
            ):
                params = list(ordered[index].parameters)
                param = params[position]
                params[position] = replace(param, annotation=annotation)
                ordered[index] = replace(ordered[index], parameters=params)
                self.findings.append(
                    finding(
                        "STB035", fn.path, index=index + 1, name=param.name,
                        declared=param.annotation, annotation=annotation, site=call.site,
                    )  # fmt: skip
                )
            method = fn.kind == "method"
            for index, result, call in evidence_results(
                ordered, self.evidence[fn.path], self.types, method=method
            ):
                declared = ordered[index].returns
                ordered[index] = replace(ordered[index], returns=result)
                self.findings.append(
                    finding(
                        "STB034", fn.path, index=index + 1, declared=declared, result=result,
                        site=call.site, returns=call.returns,
                    )  # fmt: skip
                )
        for overload in _with_keyword_tails(ordered):
            header, decorators = self._overload_header(fn, overload, in_class=in_class)
            seen = _checker_view(header)
            if any(seen == _checker_view(h) and decorators == d for h, d, _ in rendered):
                continue
            rendered.append((header, decorators, overload))
        if len(rendered) < len(fn.overloads):
            self.findings.append(finding("STB009", fn.path, count=len(fn.overloads)))
        pad = INDENT * depth
        lines: list[str] = []
        overload_name = ""
        if len(rendered) > 1:
            overload_name = self.names.decorator(self.names.bind("typing", "overload"))
        codes = self._mypy_codes(fn, override, inplace)
        pyright_ignore = "  # pyright: ignore[reportIncompatibleMethodOverride]"
        overlaps = self._overlaps(fn, rendered, in_class=in_class)
        hidden = shadowed([o for _, _, o in rendered], self.types)
        for number, by in hidden.items():
            self.findings.append(finding("STB027", fn.path, index=number + 1, by=by + 1))
            overlaps.setdefault(number, set()).add("shadowed")
            hidden_result, by_result = rendered[number][2].returns, rendered[by][2].returns
            if self.types.is_subtype(hidden_result, by_result) is not True:
                # pyright also reports the earlier one: it "returns an incompatible type".
                overlaps.setdefault(by, set()).add("pyright")
        for number, (header, decorators, overload) in enumerate(rendered):
            if lines:
                lines.append("")
            first, last = number == 0, number == len(rendered) - 1
            if overload_name:
                # mypy reports at the (first) decorator, pyright at the (last) def.
                lines.append(f"{pad}@{overload_name}{_type_ignore(codes if first else [])}")
            lines += [f"{pad}{d}" for d in decorators]
            def_codes = codes if last and not overload_name else []
            if "mypy" in overlaps.get(number, ()):
                def_codes = [*def_codes, "overload-overlap"]
            if "shadowed" in overlaps.get(number, ()):
                def_codes = [*def_codes, "overload-cannot-match"]
            comment = _type_ignore(def_codes)
            if last and override is not None:
                comment += pyright_ignore
            if overlaps.get(number, set()) & {"pyright", "shadowed"}:
                comment += "  # pyright: ignore[reportOverlappingOverload]"
            doc = self._doc(overload.doc.raw if overload.doc else None, depth + 1)
            lines += [f"{pad}{header}:{comment}", *doc] if doc else [f"{pad}{header}: ...{comment}"]
        return lines

    def _mypy_codes(self, fn: Function, override: Verdict, inplace: bool) -> list[str]:
        """Return the error codes mypy's ``type: ignore`` for ``fn`` needs; ``[""]`` for a bare one.

        An incompatible override (STB016), an in-place operator (STB019) and the comment the
        authors wrote on the Python method's ``def`` line (STB021) each add their code.
        """
        codes = ["override"] * (override == "both") + ["misc"] * inplace
        written = [o.ignore for o in fn.overloads if o.ignore]
        if written:
            self.findings.append(finding("STB021", fn.path, comment=written[0]))
        if "type: ignore" in written:
            return [""]
        carried = [c.strip() for w in written for c in w.partition("[")[2].rstrip("]").split(",")]
        if any(c and c not in codes for c in carried):
            # The authors' reason may not hold against the stubs (boost-histogram's View
            # overrides numpy's __getitem__ as mypy sees it only in their source):
            # mypy --strict must not call it unused.
            carried.append("unused-ignore")
        codes += [c for c in carried if c]
        return list(dict.fromkeys(codes))

    def _overlaps(
        self, fn: Function, rendered: list[tuple[str, list[str], Overload]], *, in_class: bool
    ) -> dict[int, set[str]]:
        """Find the overloads a later ``*args`` catch-all overlaps (STB022), per checker."""
        bound = 1 if in_class and fn.kind in ("method", "classmethod") else 0
        bindings = self.names.gen.bindings.items()  # Any's local name, if the file imports it
        any_name = next((n for n, b in bindings if b[:2] == ("typing", "Any")), None)
        varargs = [_vararg(header, any_name) for header, _, _ in rendered]
        open_results = {
            i
            for i, (_, _, o) in enumerate(rendered)
            if o.returns in (None, "Any", "typing.Any", "object")
            or self.index.unbounded_type_variable(o.returns)
        }
        overloads = [o for _, _, o in rendered]
        overlaps = catch_all_overlaps(overloads, bound, varargs, open_results)
        if overlaps:
            self.findings.append(finding("STB022", fn.path))
        return overlaps

    def _overload_header(
        self, fn: Function, overload: Overload, *, in_class: bool
    ) -> tuple[str, list[str]]:
        decorators = self._decorators(fn, overload)
        params = written_parameters(overload)
        positional = bool(params) and params[0].kind in ("positional_only", "positional_or_keyword")
        # A binding's self annotation is only its class; the one of a Python typing overload
        # selects the overload by the receiver's type (boost-histogram's view()): kept.
        typed_self = overload.source == "python" and len(fn.overloads) > 1
        if in_class and fn.kind == "method" and overload.source == "python" and positional:
            # A Python function in a class is a method whatever its first parameter's name
            # (islpy assigns obj_eq(_self: IslObject, ...) as __eq__): that one is bound, and
            # written as self, the name type checkers expect.
            taken = any(p.name == "self" for p in params[1:])
            if not (typed_self and params[0].name == "self"):
                params[0] = replace(
                    params[0], name=params[0].name if taken else "self", annotation=None
                )
        elif in_class and fn.kind == "method" and not (params and params[0].name == "self"):
            if not params or params[0].annotation is not None:
                self.findings.append(finding("STB005", fn.path))
                decorators.insert(0, "@" + self.names.decorator("staticmethod"))
        elif fn.kind == "staticmethod":
            decorators.insert(0, "@" + self.names.decorator("staticmethod"))
        elif fn.kind == "classmethod":
            decorators.insert(0, "@" + self.names.decorator("classmethod"))
            if params and params[0].name != "cls":
                params[0] = replace(params[0], name="cls", annotation=None)
        returns = None if overload.source == "docstring" else written_result(overload)
        if overload.source in ("none", "docstring") and overload.parse_error:
            self.findings.append(finding("STB024", fn.path, reason=overload.parse_error))
        elif returns is None:
            if overload.source != "python" and fn.name != "__init__":
                self.findings.append(finding("STB006", fn.path))
            returns = "None" if fn.name == "__init__" else None
        return_text = self.names.annotation(returns, fn.path)
        name = fn.name if _valid_name(fn.name) else "_" + re.sub(r"\W", "_", fn.name)
        parameters = self._parameters(fn, params, typed_self=typed_self)
        return f"def {name}({parameters}) -> {return_text}", decorators

    def _decorators(self, fn: Function, overload: Overload) -> list[str]:
        result = []
        for decorator in overload.decorators:
            text = decorator.lstrip("@").strip()
            if text in ("overload", "typing.overload", "staticmethod", "classmethod"):
                continue
            resolved = self.names.expression(text, fn.path)
            if resolved is None:
                self.findings.append(finding("STB012", fn.path, text=decorator))
            else:
                result.append(f"@{resolved}")
        return result

    def _parameters(self, fn: Function, params: list[Parameter], *, typed_self: bool = False) -> str:
        params = self._fix_names(fn, params)
        params = self._fix_default_order(fn, params)
        pieces: list[str] = []
        positional_only = [p.kind == "positional_only" for p in params]
        last_positional_only = max((i for i, v in enumerate(positional_only) if v), default=-1)
        star_written = any(p.kind == "var_positional" for p in params)
        for i, p in enumerate(params):
            if p.kind == "keyword_only" and not star_written:
                pieces.append("*")
                star_written = True
            pieces.append(self._parameter(fn, p, first=i == 0, typed_self=typed_self))
            if i == last_positional_only:
                pieces.append("/")
        return ", ".join(pieces)

    def _parameter(
        self, fn: Function, p: Parameter, *, first: bool, typed_self: bool = False
    ) -> str:
        prefix = {"var_positional": "*", "var_keyword": "**"}.get(p.kind, "")
        bound = p.annotation is None or (p.name in ("self", "cls") and not typed_self)
        positional = p.kind in ("positional_only", "positional_or_keyword")
        if first and bound and positional and fn.kind in ("method", "classmethod"):
            return p.name
        annotation = p.annotation
        if p.kind == "var_positional" and annotation and annotation.startswith("*"):
            # *args: *Ts (PEP 646): the star belongs to the syntax, not to the type.
            prefix, annotation = f"*{p.name}: *", annotation[1:].strip()
        else:
            prefix = f"{prefix}{p.name}: "
        default = self._default(fn, p) if p.has_default else None
        if default is not None and default != "..." and self._generic(annotation):
            # tuple[Numeric, Numeric] = (612.0, 792.0): a checker holds the default to the
            # TypeVar, which no value is; a stub's default is only ever "has one".
            default = "..."
        elif default is not None:
            annotation = self._admit_default(fn, annotation, default)
        text = prefix + self.names.annotation(annotation, fn.path)
        return text if default is None else f"{text} = {default}"

    def _generic(self, annotation: str | None) -> bool:
        """Tell whether ``annotation`` names one of the package's TypeVars."""
        if not annotation or not self.index.type_variables:
            return False
        names = set(re.findall(r"[A-Za-z_][\w.]*", annotation))
        return any(
            name in self.index.type_variables
            or any(p in self.index.type_variables for p in self.index.by_name.get(name, []))
            for name in names
        )

    def _admit_default(self, fn: Function, annotation: str | None, default: str) -> str | None:
        """Widen ``annotation`` by the default's builtin type unless it certainly has it.

        ``mask: Bool = True`` is what nanobind writes when a bound class converts implicitly
        from ``bool``; the default proves the function takes a ``bool``, which type checkers
        would otherwise reject as the default's type. A class of another package
        (``drjit.llvm.ad.Bool`` in mitsuba) cannot be asked, and is widened too: the default
        proves it either way.
        """
        kind = admitted_default(annotation, default, self.types)
        if annotation is None or kind is None:
            return annotation
        self.findings.append(finding("STB018", fn.path, annotation=annotation, kind=kind))
        return f"{annotation} | {kind}"

    def _default(self, fn: Function, p: Parameter) -> str:
        if not p.default_representable or p.default is None:
            self.findings.append(finding("STB004", fn.path, value=p.default_repr or p.default))
            return "..."
        literal = stub_literal(p.default)
        if literal is not None:
            return literal
        owner, _, member = p.default.rpartition(".")
        enum = self.index.class_of(owner) if member in ENUM_OWN_NAMES else None
        if enum is not None and enum.is_enum:
            # Checkers read Item.name as Enum's property, not the member: no valid default.
            self.findings.append(finding("STB004", fn.path, value=p.default))
            return "..."
        if re.fullmatch(r"[^\W\d][\w.]*", p.default):
            resolved = self.names.expression(p.default, fn.path)
            if resolved is not None and all(_valid_name(part) for part in resolved.split(".")):
                return resolved
        self.findings.append(finding("STB004", fn.path, value=p.default))
        return "..."

    def _fix_names(self, fn: Function, params: list[Parameter]) -> list[Parameter]:
        result = []
        for p, (name, kind) in zip(params, stub_parameter_names(params), strict=True):
            if name != p.name:
                self.findings.append(finding("STB007", fn.path, name=p.name, new=name))
            same = name == p.name and kind == p.kind
            result.append(p if same else replace(p, name=name, kind=kind))
        return result

    def _fix_default_order(self, fn: Function, params: list[Parameter]) -> list[Parameter]:
        result = defaults_dropped(params)
        changed = [p for p, q in zip(params, result, strict=True) if p != q]
        if changed:
            tail = keyword_tail(params)
            required = next(
                p.name for p in params[params.index(changed[0]) :] if not p.has_default
            )
            how = (
                f"also written with {required!r} and the parameters after it keyword-only,"
                " which keeps the defaults"
                if tail is not None
                else "defaults before it dropped from the stub"
            )
            self.findings.append(finding("STB008", fn.path, name=required, how=how))
        return result
