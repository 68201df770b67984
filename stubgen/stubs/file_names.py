"""Turn annotation text from the model into names that resolve in a stub file, with imports.

Knowledge that nanobind's own stub generator carries is reused through a
:class:`nanobind.stubgen.StubGen` per stub file: its import table (``bind``, conflict-free local
names, the sorted import block of ``get``), its ``nb::ndarray`` annotation rewriting and its
``typing`` -> ``collections.abc`` mapping. Resolution of dotted and bare names is ours: it
works from the model (every public path of the package is known), never imports anything,
and replaces what cannot resolve by ``Any`` with a finding instead of writing a broken stub.
"""

from __future__ import annotations

import ast
import builtins
import collections.abc
import dataclasses
import keyword
import re
import types
import typing
from dataclasses import dataclass, field

from stubgen.findings import Finding, finding
from stubgen.model.api import ApiModel, Attribute, Class, Module
from stubgen.model.names import BUILTIN_NAMES, TYPING_NAMES, NameIndex
from stubgen.parse.nanobind_compat import ImportTable
from stubgen.stubs.checkers import TypeRelations, admitted_default
from stubgen.parse.signature import annotated_metadata, outside
from stubgen.model.text import DOUBLE_QUOTED, split_top_level

_LOCAL_NAME = re.compile(r"[\w.]*<locals>[\w.<>]*")
_TOKEN = re.compile(
    r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*)(\s*=(?!=))?"""
)
_TOKEN_NAMES = re.compile(r"(?<![\w.'\"])[^\W\d]\w*(?:\.[^\W\d]\w*)+")
_ABC_NAMES = frozenset(collections.abc.__all__)
_TYPING_MODULES = ("typing", "typing_extensions", "collections.abc")
# Names that exist only on newer Pythons, written so that every supported version has them.
_PORTABLE_NAMES = {
    "types.CapsuleType": "typing_extensions.CapsuleType",
    "typing.Self": "typing_extensions.Self",
}
# Number of type parameters of common generics; 0 means tuple-like (X, ...), -1 Callable.
_GENERIC_ARITY = {
    "tuple": 0,
    "list": 1,
    "set": 1,
    "frozenset": 1,
    "type": 1,
    "dict": 2,
    **{
        f"collections.abc.{n}": 1
        for n in (
            "Sequence",
            "MutableSequence",
            "Iterable",
            "Iterator",
            "Collection",
            "Container",
            "Set",
            "MutableSet",
            "AsyncIterable",
            "AsyncIterator",
            "Awaitable",
            "KeysView",
            "ValuesView",
            "Reversible",
        )
    },
    "collections.abc.Mapping": 2,
    "collections.abc.MutableMapping": 2,
    "collections.abc.ItemsView": 2,
    "collections.abc.Generator": 3,
    "collections.abc.AsyncGenerator": 2,
    "collections.abc.Coroutine": 3,
    "collections.abc.Callable": -1,
    "typing.Callable": -1,
    "numpy.typing.NDArray": 1,
    # Standard-library generics pybind11 and nb::sig texts name bare.
    "os.PathLike": 1,
    "collections.deque": 1,
    "collections.defaultdict": 2,
    "collections.OrderedDict": 2,
    "collections.Counter": 1,
    "collections.ChainMap": 2,
    "collections.UserDict": 2,
    "collections.UserList": 1,
    "functools.partial": 1,
    "functools._lru_cache_wrapper": 1,
    "re.Pattern": 1,
    "re.Match": 1,
    "queue.Queue": 1,
    "weakref.ref": 1,
    "concurrent.futures.Future": 1,
    "asyncio.Future": 1,
}
_NUMPY_SCALARS = {
    "int": "numpy.int_",
    "float": "numpy.float64",
    "bool": "numpy.bool_",
    "complex": "numpy.complex128",
}
_NAME = re.compile(r"[^\W\d]\w*")
_LITERAL = re.compile(r"(?<![\w.])(?:typing\.|typing_extensions\.)?Literal\[([^\[\]]*)\]")
_UNQUALIFIED = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?<![\w.])([^\W\d]\w*)""")
_SUBSCRIPTED = re.compile(r"(?<![\w.'\"])([^\W\d]\w*(?:\.[^\W\d]\w*)*)\[")


def _closing_bracket(text: str, start: int) -> int:
    """Return the index of the bracket closing the one at ``start``; -1 if none does."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"[": 1, "]": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return -1


_BARE_GENERIC = re.compile(
    r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?<![\w.])([^\W\d]\w*(?:\.[^\W\d]\w*)*)(?![\w.\[(])(?!\s*=)"""
)


def _unique_members(text: str) -> str:
    """Write each member of a top-level union once (``Val | Any | Any`` -> ``Val | Any``).

    Several C++ types of one variant all become ``Any`` (nvFuser's scalar variant names
    three); a type checker reads the union the same either way.
    """
    if "|" not in text:
        return text
    members = [m.strip() for m in split_top_level(text, "|")]
    unique = list(dict.fromkeys(members))
    return text if len(unique) == len(members) else " | ".join(unique)


class StubNames:
    """Name resolution and imports for one stub file.

    Parameters
    ----------
    module : str
        Public path of the module the stub file describes.
    doc : str or None
        The module's docstring, written first in the file.
    local_names : set of str
        Names the stub file defines at top level (classes, functions, attributes, submodules).
    index : NameIndex
        The whole package's objects.
    type_map : dict of str to str
        C++ type name (or ``re:`` + regex) -> dotted Python type for unbound C++ types.
    """

    def __init__(
        self,
        module: str,
        doc: str | None,
        local_names: set[str],
        index: NameIndex,
        type_map: dict[str, str],
    ) -> None:
        self.module = module
        self.local_names = local_names
        # Member names of the class whose body is being written: there they hide the module's
        # names of the same spelling (a ``T`` property hides the TypeVar ``T``).
        self.class_scope: frozenset[str] = frozenset()
        self.index = index
        self.type_map = type_map
        self.findings: list[Finding] = []
        self._annotations: dict[tuple[str, bool], tuple[str, list[Finding]]] = {}
        synthetic = types.ModuleType(module, doc)
        for name in local_names:
            if not name.startswith("__"):  # a module __getattr__ would hijack attribute lookup
                setattr(synthetic, name, object())
        self.gen = ImportTable(synthetic, quiet=True)

    def imports_and(self, body: str) -> str:
        """Return the file: docstring, the import block nanobind renders, then ``body``."""
        self.gen.write(body)
        return re.sub(r"\n{4,}", "\n\n\n", self.gen.get())

    def any(self) -> str:
        """Return the local name of ``typing.Any``, importing it."""
        return self.gen.bind("typing", "Any")

    def bind(self, module: str, member: str | None = None, name: str | None = None) -> str:
        """Import ``member`` from ``module`` (or the module itself), as ``name`` if given.

        Returns
        -------
        str
            The local name that refers to the imported object.
        """
        return self.gen.bind(module, member, name=name)

    def export(self, module: str, member: str, name: str) -> None:
        """Re-export ``module.member`` under ``name`` (``from module import member as name``)."""
        self.gen.bind(module, member, name=name, export=True)

    def annotation(self, text: str | None, where: str, *, base: bool = False) -> str:
        """Rewrite an annotation from the model so that it resolves in this stub file.

        Parameters
        ----------
        text : str or None
            The annotation; None means no annotation was given.
        where : str
            Public path of the object, for findings.
        base : bool, optional
            The text is a base class list: a bare ``type`` (a metaclass's base) stays bare.

        Returns
        -------
        str
            A valid annotation expression; ``Any`` where nothing better can be written.
        """
        if text is None:
            return self.any()
        # Big bindings repeat annotations (drjit: 16,615 written, 2,031 distinct). Imports
        # made the first time stay in this file, so only the findings are replayed.
        key = (text, base)
        known = self._annotations.get(key)
        if known is None:
            before = len(self.findings)
            result = _unique_members(self._rewrite(text, where, base=base))
            self._annotations[key] = (result, self.findings[before:])
            return self._unhidden(result) if self.class_scope else result
        result, found = known
        self.findings.extend(dataclasses.replace(f, path=where) for f in found)
        return self._unhidden(result) if self.class_scope else result

    def decorator(self, name: str) -> str:
        """Write the decorator ``name`` (``property``), qualified where a class member hides it.

        A class with a member named ``property`` (or ``staticmethod``) would otherwise make
        every later ``@property`` of its body refer to that member (no-redef, not callable).
        """
        return self._unhidden(name) if self.class_scope else name

    def _unhidden(self, text: str) -> str:
        """Qualify the names in ``text`` that a member of the current class would hide.

        The stub imports its own module for this (``import pkg.nn``, then ``pkg.nn.T``),
        which mypy and pyright both accept.
        """
        if self.class_scope.isdisjoint(_NAME.findall(text)):
            return text

        def replace(match: re.Match[str]) -> str:
            if match.group(1) is not None or match.group(2) not in self.class_scope:
                return match.group(0)
            name = match.group(2)
            binding = self.gen.bindings.get(name)
            if name in self.local_names:
                module, member = self.module, name
            elif binding is not None and binding[1] is not None:
                module, member = binding[0], binding[1]
            elif name in BUILTIN_NAMES:
                module, member = "builtins", name
            else:
                return name
            self.gen.bind(module)
            return f"{module}.{member}"

        return _UNQUALIFIED.sub(replace, text)

    def _rewrite(self, text: str, where: str, *, base: bool) -> str:
        if "<locals>" in text:
            # A class made inside a function (ctypes.CFUNCTYPE.<locals>.CFunctionType): no
            # import can name it.
            text = _LOCAL_NAME.sub(lambda m: self._unimportable(m.group(0), where), text)
        if "Literal[" in text and self.index.constants:
            text = _LITERAL.sub(lambda m: self._literal_values(m, where), text)
        if self.index.functions:
            text = _TOKEN_NAMES.sub(lambda m: self._no_function(m.group(0), where), text)
        result = self._unbound(text, where) if '"' in text else text
        if "[" in result:
            result = self.gen.ndarray_re.sub(lambda m: self._ndarray(m, where), result)
        if "typing." in result:
            result = self.gen.abc_re.sub(r"collections.abc.\1", result)
        result = self._names(result, where)
        if "[" in result:
            result = self._drop_type_arguments(result, where)
        result = self._parametrize(result, base=base)
        result = self._ellipsis_members(result)
        if "Callable[" in result:
            # A Callable's parameter list that resolved to Any (an unknown ParamSpec) means "...".
            result = re.sub(r"\bCallable\[Any,", "Callable[...,", result)
            result = self._callable_arguments(result, where)
        try:
            ast.parse(f"x: {result}")
        except SyntaxError:
            self.findings.append(finding("STB003", where, text=text))
            return self.any()
        return result

    def _no_function(self, name: str, where: str) -> str:
        """Write a function named as a type (openjij's factory BinaryQuadraticModel) as Any."""
        if name not in self.index.functions or name in self.index.classes:
            return name
        self.findings.append(finding("STB036", where, name=name))
        return "typing.Any"

    def _unimportable(self, name: str, where: str) -> str:
        self.findings.append(finding("STB002", where, name=name))
        return "typing.Any"

    def _ndarray(self, match: re.Match[str], where: str) -> str:
        """Write an ``nb::ndarray`` annotation as nanobind does, if its framework exists.

        The array type of a framework that was not importable where the model was built
        (torch, jax, mlx without their packages) is written as Any, and its module is not
        imported: a stub importing it would fail for every user without it.
        """
        framework = match.group(1)
        arguments = match.group(2)
        if arguments.strip() and "=" not in arguments:
            items = split_top_level(arguments, ",")
            if framework in ("numpy.ndarray", "ndarray") and len(items) == 1:
                # pybind11's array_t<std::complex<float>>: numpy.ndarray[numpy.complex64],
                # one dtype where numpy's ndarray takes a shape and a dtype. A builtin
                # (pyvrp's ndarray[int]) is numpy's scalar type of that kind.
                dtype = items[0].strip()
                dtype = _NUMPY_SCALARS.get(dtype, dtype)
                if not dtype.startswith("numpy."):
                    dtype = self.any()
                return f"{self.gen.bind('numpy.typing', 'NDArray')}[{dtype}]"
            # A plain generic (boost-histogram's ``np.ndarray[Any, Any]`` base), not
            # nanobind's ``ndarray[dtype=..., shape=...]``: left as written.
            return match.group(0)
        if framework in self.index.external and self.index.external[framework] is None:
            self.findings.append(finding("STB029", where, framework=framework))
            return self.any()
        return self.gen._format_ndarray(framework, match.group(2))

    def expression(self, text: str, where: str) -> str | None:
        """Resolve the names of an expression (a default or decorator); None if one fails."""
        before = len(self.findings)
        result = self._names(text, where)
        if len(self.findings) > before:
            del self.findings[before:]
            return None
        return result

    def _unbound(self, text: str, where: str) -> str:
        metadata = annotated_metadata(text) if "Annotated[" in text else []

        def replace(match: re.Match[str]) -> str:
            if not outside(metadata, match.start()):
                return match.group(0)  # Annotated metadata ("[3, 1]"): kept as written
            name = match.group(1)
            resolved = self._resolve(name, where, quiet=True)
            if resolved is not None and "::" not in name:
                return resolved
            python = self._map_type(name)
            self.findings.append(finding("STB001", where, cpp=name, python=python or "Any"))
            if python is None:
                return self.any()
            return self._names(python, where)

        return DOUBLE_QUOTED.sub(replace, text)

    def _map_type(self, cpp: str) -> str | None:
        for pattern, python in self.type_map.items():
            if pattern.startswith("re:"):
                if re.fullmatch(pattern[3:], cpp):
                    return python
            elif pattern == cpp:
                return python
        return None

    def _names(self, text: str, where: str) -> str:
        def replace(match: re.Match[str]) -> str:
            if match.group(1) is not None or match.group(3) is not None:
                return match.group(0)  # a string literal, or a keyword argument name
            name = "".join(match.group(2).split())
            resolved = self._resolve(name, where, quiet=False)
            return resolved if resolved is not None else self.any()

        return _TOKEN.sub(replace, text)

    def _resolve(self, name: str, where: str, *, quiet: bool) -> str | None:
        name = _PORTABLE_NAMES.get(name, name)
        # A signature may name an object by an alias the package binds (mitsuba.Spectrum,
        # an alias of Color3f in the selected variant): the object is what is meant.
        target = self.index.object_aliases.get(name)
        if target is not None and target in self.index.objects:
            name = target
        if "." in name and any(keyword.iskeyword(part) for part in name.split(".")):
            if not quiet:  # "is.A" can be neither imported nor written
                self.findings.append(finding("STB002", where, name=name))
            return None
        head, _, member = name.rpartition(".")
        if not head:
            return self._resolve_bare(name, where, quiet=quiet)
        if head == "builtins":
            return "None" if member == "NoneType" else member
        if head in _TYPING_MODULES:
            return self.gen.bind(head, member)
        if self.index.package_of(name):
            return self._resolve_own(name, where, quiet=quiet)
        # The file binds it by its own name already: datetime.datetime where the file
        # re-exports "from datetime import datetime as datetime" (the module's name is taken).
        bound = self._bound_name(head, member)
        if bound is not None:
            return bound
        first, _, rest = name.partition(".")
        if first in self.local_names or first in self.index.by_name:
            # A bare name from nb::sig text followed by attributes: DataType.Double
            resolved = self._resolve_bare(first, where, quiet=quiet)
            if resolved is None:
                return None
            owner = self.index.resolve(first, [self.module])
            if owner is not None and self.index.resolve(rest, [owner]) is None:
                # A member the stubs do not have (pyvrp's private Statistics._Datum).
                if not quiet:
                    self.findings.append(finding("STB002", where, name=name))
                return None
            return f"{resolved}.{rest}"
        if name in self.index.external:
            # Checked against the live interpreter when the model was built.
            module = self.index.external[name]
            if module is None:
                if not quiet:
                    code = "STB013" if first == self.index.top else "STB002"
                    self.findings.append(finding(code, where, name=name))
                return None
            if module in self.index.untyped_modules and not quiet:
                self.findings.append(finding("STB017", where, name=name, module=module))
            self.gen.bind(module)
            return name
        targets = {t for t in self.index.module_aliases.get(first, ()) if t in self.index.modules}
        if len(targets) == 1:
            # nb::sig text written with the package's own alias (dr.ArrayBase, where its
            # modules do 'import drjit as dr'): the stub has no such name, the package does.
            return self._resolve(f"{targets.pop()}.{rest}", where, quiet=quiet)
        if first == self.index.top:
            # A sibling module of the package these stubs do not cover (e.g. another extension).
            if not quiet:
                self.findings.append(finding("STB013", where, name=name))
            return None
        # A third-party or standard-library name (from a model without the runtime check):
        # import its module, keep the dotted name.
        parts = name.split(".")
        cut = next((i for i, p in enumerate(parts[1:], 1) if p[:1].isupper()), len(parts) - 1)
        self.gen.bind(".".join(parts[:cut]))
        return name

    def _bound_name(self, module: str, member: str) -> str | None:
        """Return the local name this file bound ``module.member`` to, if it did."""
        for local, bound in self.gen.bindings.items():
            if bound[:2] == (module, member):
                return str(local)
        return None

    def _literal_values(self, match: re.Match[str], where: str) -> str:
        """Write constants named in ``Literal[...]`` as their values, which Literal takes.

        ``Literal[kernel_info.SIZE]`` is valid only for enum members; a class constant of an
        int is written as the int (``Literal[4528]``).
        """
        values = []
        for arg in (a.strip() for a in split_top_level(match.group(1), ",")):
            # A full path, or one relative to this module (nb::sig text names it so).
            path = next((p for p in (arg, f"{self.module}.{arg}") if p in self.index.constants), "")
            if path:
                self.findings.append(finding("STB023", where, name=arg))
            values.append(self.index.constants.get(path, arg))
        head = match.group(0)[: match.start(1) - match.start(0)]
        return f"{head}{', '.join(values)}]"

    def _callable_arguments(self, text: str, where: str) -> str:
        """Write ``Callable[float, float]`` as ``Callable[[float], float]`` (and report it).

        A Callable's first parameter is a list of types, ``...`` or a ParamSpec; a builtin or a
        class of the package in its place is certainly a forgotten list.
        """
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError:
            return text
        fixed = False
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple)):
                continue
            head = ast.unparse(node.value)
            first = node.slice.elts[0] if node.slice.elts else None
            if head.rpartition(".")[2] != "Callable" or first is None:
                continue
            name = ast.unparse(first)
            if name in BUILTIN_NAMES or self._origin(name) in self.index.classes:
                self.findings.append(finding("STB020", where, argument=name))
                node.slice.elts[0] = ast.List(elts=[first], ctx=ast.Load())
                fixed = True
        return ast.unparse(tree) if fixed else text

    def _ellipsis_members(self, text: str) -> str:
        """Write ``...`` as a union member (``int | ... | None``) as ``EllipsisType``.

        nb::sig texts use it for "an Ellipsis is accepted"; a bare ``...`` is no type.
        """

        def replace(match: re.Match[str]) -> str:
            before = text[: match.start()].rstrip()
            after = text[match.end() :].lstrip()
            if before.endswith("|") or after.startswith("|"):
                return self.gen.bind("types", "EllipsisType")
            return match.group(0)

        return re.sub(r"(?<![\w.])\.\.\.(?![\w.])", replace, text) if "|" in text else text

    def _parametrize(self, text: str, *, base: bool = False) -> str:
        """Spell out the ``Any`` parameters a bare generic implies (``dict`` -> ``dict[Any, Any]``).

        ``mypy --strict`` rejects a bare ``tuple`` or ``Callable``; writing the parameters the
        bare name already means keeps the stub's meaning and makes it strict-clean.
        """

        def replace(match: re.Match[str]) -> str:
            if match.group(1) is not None:
                return match.group(0)
            name = match.group(2)
            origin = self._origin(name) if "." not in name else self._dotted_origin(name)
            arity = self.index.generic_arity.get(origin)
            if arity is None and not (base and origin == "type"):  # a metaclass base stays bare
                # typing.Iterable imported by name (iminuit) is collections.abc's.
                abc = "collections.abc." + origin[7:] if origin.startswith("typing.") else origin
                arity = _GENERIC_ARITY.get(abc)
            if arity is None:
                return name
            any_ = self.any()
            params = {0: f"{any_}, ...", -1: f"..., {any_}"}.get(arity, ", ".join([any_] * arity))
            return f"{name}[{params}]"

        return _BARE_GENERIC.sub(replace, text)

    def _drop_type_arguments(self, text: str, where: str) -> str:
        """Drop the type arguments given to a bound class that is not generic, or to Any.

        ``Widget[int]`` for a class declared without type parameters is an error for type
        checkers ("expects no type arguments"); the class itself is what is meant. An unbound
        template (``span[int]``, ``"std::span<T>"[int]``) is Any, which takes no arguments:
        ``Any[int]`` is invalid typing and raises at runtime (its STB001/STB002 is reported).
        """
        out, i = [], 0
        for match in _SUBSCRIPTED.finditer(text):
            if match.start() < i:
                continue  # inside arguments already dropped
            name = match.group(1)
            binding = self.gen.bindings.get(name)
            if name == "typing.Any" or (binding is not None and binding[:2] == ("typing", "Any")):
                close = _closing_bracket(text, match.end() - 1)
                if close >= 0:
                    out.append(text[i : match.end() - 1])
                    i = close + 1
                continue
            origin = self._origin(name) if "." not in name else self._dotted_origin(name)
            cls = self.index.classes.get(origin)
            generic = origin in self.index.generic_arity or "__class_getitem__" in (
                self.index.members.get(origin, set())
            )
            if cls is None or generic:
                continue
            close = _closing_bracket(text, match.end() - 1)
            if close < 0:
                continue
            self.findings.append(finding("STB030", where, name=name, text=text[match.start() : close + 1]))
            out.append(text[i : match.end() - 1])
            i = close + 1
        return "".join(out) + text[i:]

    def _dotted_origin(self, dotted: str) -> str:
        """Return what ``module.member`` written in this file refers to (its import's target)."""
        head, _, rest = dotted.partition(".")
        binding = self.gen.bindings.get(head)
        if binding is not None and binding[1] is None:  # import pkg or import pkg as alias
            return f"{binding[0]}.{rest}"
        return dotted

    def _origin(self, local: str) -> str:
        """Return what a local name refers to: a builtin name or ``module.member`` if imported."""
        binding = self.gen.bindings.get(local)  # imports and re-exports (Callable as Callable)
        if binding is not None and binding[1] is not None:
            return f"{binding[0]}.{binding[1]}"
        if local in self.local_names:
            own = f"{self.module}.{local}"
            return own if own in self.index.classes else ""
        return local if local in BUILTIN_NAMES else ""

    def _resolve_bare(self, name: str, where: str, *, quiet: bool) -> str | None:
        if name in BUILTIN_NAMES and f"{self.module}.{name}" in self.index.functions:
            # The module defines a function of a builtin's name (nvFuser's ops.complex): in
            # an annotation, the name means the builtin type.
            self.gen.bind("builtins")
            return f"builtins.{name}"
        if name in self.local_names or name in BUILTIN_NAMES or keyword.iskeyword(name):
            return name
        if name in self.gen.bindings:  # already imported, e.g. by nanobind's ndarray rewrite
            return name
        if name in _ABC_NAMES:
            return self.gen.bind("collections.abc", name)
        if name in TYPING_NAMES:
            return self.gen.bind("typing", name)
        candidates = self.index.by_name.get(name, [])
        if len(candidates) == 1:
            return self._resolve_own(candidates[0], where, quiet=quiet)
        if not quiet:
            self.findings.append(finding("STB002", where, name=name))
        return None

    def _resolve_own(self, path: str, where: str, *, quiet: bool) -> str | None:
        # Find the longest known prefix: the object itself, or a class holding an enum member.
        probe = path
        while probe and probe not in self.index.objects:
            probe = probe.rpartition(".")[0]
        if not probe:
            if path in self.index.modules:
                self.gen.bind(path)
                return path
            if not quiet:
                self.findings.append(finding("STB002", where, name=path))
            return None
        if probe != path and probe in self.index.classes:
            member = path[len(probe) + 1 :].split(".")[0]
            if member not in self.index.members.get(probe, set()):
                # A member the stubs do not have (pyvrp's private Statistics._Datum).
                if not quiet:
                    self.findings.append(finding("STB002", where, name=path))
                return None
        module = self.index.objects[probe]
        qualname = path[len(module) + 1 :]
        if module == self.module:
            return qualname
        top, _, rest = qualname.partition(".")
        if top in self.local_names:
            if self.gen.bindings.get(top, (None, None))[:2] == (module, top):
                # The file re-exports it under that very name (zxingcpp's ErrorType, from
                # zxingcpp.zxingcpp): the name is the object, and the dotted path may not
                # even be writable here (the package's name is bound to its submodule).
                return qualname
            self.gen.bind(module)
            return path
        local = self.gen.bind(module, top)
        return f"{local}.{rest}" if rest else local


class WrittenTypes:
    """Annotations as the stubs write them, spelled with full paths (the docs' types).

    The docs show the type the stub gives, never the model's raw text: an unbound C++ type is
    ``Any`` there as in the stub, ``typing.SupportsInt`` stays a protocol, a name resolves as
    it does for a type checker. Each name is written in full (``typing.Any``,
    ``pkg.sub.Class``) so that Sphinx links it and shows the short name.

    Parameters
    ----------
    index : NameIndex
        The package's objects.
    type_map : dict of str to str
        The stubs' map of unbound C++ types.
    """

    def __init__(self, index: NameIndex, type_map: dict[str, str] | None = None) -> None:
        self.index = index
        self.type_map = dict(type_map or {})
        self._scoped: dict[tuple[frozenset[str], str], StubNames] = {}
        self.types = TypeRelations(index.ancestors)
        self._written: dict[tuple[str, frozenset[str], str], str] = {}

    def parameter(self, annotation: str, default: str | None) -> str:
        """Return a parameter's type as the stub writes it, widened for its default (STB018)."""
        kind = admitted_default(annotation, default, self.types) if default else None
        return annotation if kind is None else f"{annotation} | {kind}"

    def __call__(
        self,
        text: str,
        type_params: frozenset[str] = frozenset(),
        module: str | None = None,
        defined: frozenset[str] = frozenset(),
    ) -> str:
        """Return ``text`` as the stubs write it, every name in full.

        ``type_params`` are the names of the signature's own type parameters (PEP 695 in
        ``nb::sig`` text): they stay as written. ``module`` is the module whose stub writes
        the annotation (default: the top one), and ``defined`` the names its stub defines
        (:func:`stubgen.stubs.module_names`): a bare name there is the module's own object.
        """
        key = (text, type_params, module or "")
        known = self._written.get(key)
        if known is None:
            names = self._scoped.get((type_params, module or ""))
            if names is None:
                local = set(type_params) | defined
                where = module or self.index.top
                names = StubNames(where, None, local, self.index, self.type_map)
                self._scoped[type_params, module or ""] = names
            written = names.annotation(text, names.module)
            known = self._written[key] = _TOKEN.sub(lambda m: self._full(m, names), written)
        return known

    def _full(self, match: re.Match[str], names: StubNames) -> str:
        if match.group(1) is not None or match.group(3) is not None:
            return match.group(0)  # a string literal (Annotated metadata), a keyword
        name = match.group(2)
        head, _, rest = name.partition(".")
        bound = names.gen.bindings.get(head)
        if bound is not None and bound[0]:
            full = f"{bound[0]}.{bound[1]}" if bound[1] else str(bound[0])
            return f"{full}.{rest}" if rest else full
        own = f"{names.module}.{head}"
        if own in self.index.objects and own not in self.index.modules:
            return f"{own}.{rest}" if rest else own
        return name
