"""Read a module's API from the runtime itself, apart from the loader: verify's ground truth.

Run as ``python -m stubgen.verify.runtime MODULE OUTPUT OPTIONS`` in a child process (see
:func:`read_runtime`). It walks the module's public names as they are at runtime: functions
by what they declare (``__nb_signature__``, pybind11's signature lines or, without them,
the list a call no overload accepts prints; ``inspect.signature`` for Python functions),
classes by their own ``__dict__``, enum members by ``__members__`` with their values,
aliases by object identity. It shares the signature parsers with the loader, but nothing of
the loader's walk, its name resolution or its model.
"""

from __future__ import annotations

import enum
import inspect
import json
import keyword
import math
import sys
import types
import typing
from collections import deque
from collections.abc import Sequence
from typing import Any

from stubgen.load.guards import module_attribute
from stubgen.load.isolate import DEFAULT_TIMEOUT, IMPORT_FAILED, ChildOptions, run_child
from stubgen.load.nanobind import legacy_enum_entries
from stubgen.load.readers import function_reader, is_bound_function
from stubgen.load.setup_code import failure_message, import_prepared
from stubgen.load.submodules import import_paths, unselected_variant
from stubgen.parse.signature import DefaultValue, SignatureError, parse_signature
from stubgen.verify.facts import (
    HAS_TYPE_DEFAULT,
    Member,
    RuntimeOverload,
    RuntimeParam,
    Scope,
    comparable_default,
    scope_from_json,
    scope_to_json,
    signature_of,
)

# Members stubs leave out on purpose, and what every class's __dict__ holds.
_IGNORED = frozenset({"__new__", "__class_getitem__", "__init_subclass__", "__subclasshook__"})
_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: "positional_only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
    inspect.Parameter.VAR_POSITIONAL: "var_positional",
    inspect.Parameter.KEYWORD_ONLY: "keyword_only",
    inspect.Parameter.VAR_KEYWORD: "var_keyword",
}


def read_runtime(
    module: str,
    *,
    paths: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    probe: bool = True,
    setup: str | None = None,
) -> Scope:
    """Import ``module`` in a child process and read what its runtime declares.

    Parameters
    ----------
    module : str
        Import name.
    paths : sequence of str, optional
        Directories put in front of the child's import path.
    timeout : float, optional
        Seconds the child may take.
    probe : bool, optional
        Ask pybind11 functions without signature lines for their overloads, as the loader
        does.
    setup : str, optional
        Set-up code run after the import, as for the loader.

    Returns
    -------
    Scope
        The module's scope, its submodules and classes nested.

    Raises
    ------
    LoadError
        If the import fails, crashes or hangs.
    """
    options = ChildOptions(probe=probe, setup=setup or "")
    text = run_child("stubgen.verify.runtime", module, options, paths=paths, timeout=timeout)
    return scope_from_json(json.loads(text))


def _writable(name: str) -> bool:
    """Tell whether a stub can define ``name`` (an identifier, no keyword)."""
    return name.isidentifier() and not keyword.iskeyword(name)


class _Reader:
    def __init__(self, top: str, probe: bool) -> None:
        self.top = top
        self.probe = probe
        self.seen: set[int] = set()
        self.class_paths: dict[int, str] = {}
        self.module_paths: dict[int, str] = {}
        self._private_classes: set[str] | None = None

    def own(self, obj: object) -> bool:
        module = str(getattr(obj, "__module__", "") or "")
        return module == self.top or module.startswith(self.top + ".")

    def find_modules(self, root: types.ModuleType, path: str) -> None:
        """Give each module of the package its path, as the loader does.

        The stubs write a module once: where it is imported, if that path is public
        (:func:`stubgen.load.submodules.import_paths`), else where a user reaches it first,
        breadth first (``mitsuba.ad``, not ``mitsuba._x.ad``); elsewhere it is an alias.
        Variants the package does not hold are no API
        (:func:`stubgen.load.submodules.unselected_variant`).
        """
        found = [(root, path)]
        reached = {id(root)}
        queue = deque(found)
        while queue:
            mod, where = queue.popleft()
            for name, obj in list(vars(mod).items()):
                if name.startswith("_") or not self.own_module(obj) or id(obj) in reached:
                    continue
                reached.add(id(obj))
                found.append((obj, f"{where}.{name}"))
                queue.append((obj, f"{where}.{name}"))
        paths = import_paths(found, self.top)
        self.module_paths = {id(m): p for (m, _), p in zip(found, paths, strict=True)}

    def own_module(self, obj: object) -> bool:
        """Tell whether ``obj`` is a module of the package that is API (no unheld variant)."""
        return (
            isinstance(obj, types.ModuleType)
            and obj.__name__.split(".")[0] == self.top
            and not unselected_variant(obj)
        )

    def module(self, mod: types.ModuleType, path: str) -> Scope:
        self.seen.add(id(mod))
        scope = Scope(path, is_package=module_attribute(mod, "__path__") is not None)
        first: dict[int, str] = {}
        for name, obj in list(vars(mod).items()):
            dunder = name.startswith("__") and name.endswith("__")
            if name.startswith("_") and not dunder:
                continue
            member = self.member(obj, f"{path}.{name}", name, first, in_class=False)
            if member is not None and (not dunder or member.kind == "function"):
                scope.members[name] = member
        scope.other_names = sorted(self.unnamed_classes(mod))
        return scope

    def unnamed_classes(self, mod: types.ModuleType) -> set[str]:
        """Name the package's classes a stub may define here though the module lacks them.

        The bases of its classes, and the classes of the package's private modules, are
        written where their public users are when no public module holds them.
        """
        names = set(self.private_classes())
        for obj in vars(mod).values():
            if isinstance(obj, type) and self.own(obj):
                names |= {b.__name__ for b in obj.__mro__[1:] if self.own(b)}
        return names

    def private_classes(self) -> set[str]:
        """Name the classes of the package's private modules (read once per walk)."""
        if self._private_classes is None:
            self._private_classes = set()
            for name, module in list(sys.modules.items()):
                private = any(part.startswith("_") for part in name.split(".")[1:])
                if module is not None and private and name.split(".")[0] == self.top:
                    self._private_classes |= {
                        n for n, v in vars(module).items() if isinstance(v, type) and self.own(v)
                    }
        return self._private_classes

    def cls(self, cls: type, path: str) -> Scope:
        self.seen.add(id(cls))
        # type.__dir__, not dir(): enum.EnumType's __dir__ leaves out what Enum inherits.
        scope = Scope(path, other_names=sorted(type.__dir__(cls)))
        members: dict[str, Any] = dict(getattr(cls, "__members__", None) or {})
        legacy = legacy_enum_entries(cls)
        if legacy is not None:  # nanobind 1: '@entries', value -> (name, doc, member)
            members = {name: value for name, (value, _) in legacy.items()}
        own_members = legacy is not None or "__members__" in vars(cls)
        is_enum = isinstance(cls, enum.EnumMeta) or (bool(members) and own_members)
        if is_enum:
            for name, value in members.items():
                if _writable(name):  # None = 0 cannot be written (STB010)
                    scope.members[name] = Member("enum_member", value=_enum_value(value))
        else:
            members = {}
        first: dict[int, str] = {}
        for name, obj in list(vars(cls).items()):
            if (
                name in members
                or name in _IGNORED
                or name.startswith("__nb")
                or not _writable(name)  # 'global': no stub can define it (STB031)
            ):
                continue
            dunder = name.startswith("__") and name.endswith("__")
            if name.startswith("_") and not dunder:
                continue
            member = self.member(obj, f"{path}.{name}", name, first, in_class=True)
            if member is None or (dunder and member.kind != "function"):
                continue
            if dunder and is_enum:
                continue  # the enum machinery (pybind11's __eq__, __getstate__, ...)
            scope.members[name] = member
        return scope

    def member(
        self, obj: object, path: str, name: str, first: dict[int, str], *, in_class: bool
    ) -> Member | None:
        if isinstance(obj, types.ModuleType):
            if not self.own_module(obj):
                return None
            if id(obj) in self.seen or self.module_paths.get(id(obj), path) != path:
                return Member("module")
            return Member("module", scope=self.module(obj, path))
        if isinstance(obj, type):
            if not self.own(obj):
                return None
            if id(obj) in self.seen:  # another name of a class: the path it was read at
                return Member("class", target=self.class_paths.get(id(obj)))
            self.class_paths[id(obj)] = path
            return Member("class", scope=self.cls(obj, path))
        if in_class and (isinstance(obj, property) or "property" in type(obj).__name__):
            return Member("property")
        if isinstance(obj, types.WrapperDescriptorType):
            return Member("function", bound=True)  # a type slot: nothing declared but its name
        function = _unwrap(obj)
        if is_bound_function(function):
            if id(obj) in first:
                return Member("alias", target=first[id(obj)])
            first[id(obj)] = name
            if _python_function(function) and not self.own(function):
                return None  # imported from elsewhere
            bound = _bound(obj, in_class)
            return Member("function", overloads=self.signatures(function, bound), bound=bound)
        if isinstance(obj, types.BuiltinFunctionType):
            return None  # a builtin imported from elsewhere (math.sqrt)
        if type(obj).__name__ in _TYPE_PARAMETERS and _has_default(obj):
            return Member("value", value=HAS_TYPE_DEFAULT)
        return Member("value")

    def signatures(self, fn: Any, bound: bool) -> list[RuntimeOverload]:
        """Read what each overload of ``fn`` declares, through the reader of its binding."""
        declared = function_reader(fn).declared(fn, bound=bound, probe=self.probe)
        if declared is None:  # a Python function: inspect reads what it declares
            overloads = typing.get_overloads(fn) if sys.version_info >= (3, 11) else []
            return [_python_signature(o) for o in overloads] or [_python_signature(fn)]
        result = []
        for entry in declared:
            if entry.text is None:
                result.append(RuntimeOverload(known=False))
                continue
            defaults = entry.defaults
            if entry.values is not None:
                defaults = [_placeholder(entry.text, i, v) for i, v in enumerate(entry.values)]
            result.append(_parsed(entry.text, defaults))
        return result or [RuntimeOverload(known=False)]


def _unwrap(obj: object) -> object:
    if isinstance(obj, staticmethod | classmethod) or type(obj).__name__ == "instancemethod":
        return obj.__func__  # type: ignore[attr-defined]
    return obj


def _python_function(obj: object) -> bool:
    return isinstance(obj, types.FunctionType)


def _bound(obj: object, in_class: bool) -> bool:
    if not in_class or isinstance(obj, staticmethod):
        return False
    if isinstance(obj, classmethod) or _python_function(obj):
        return True
    kind = type(obj).__name__
    return kind in ("nb_method", "instancemethod")


def _enum_value(member: object) -> str | None:
    # _value_, not .value: a member named 'value' hides Enum's property of that name.
    value = getattr(member, "_value_", None)
    if value is None:
        try:
            value = int(member)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return None
    return comparable_default(repr(value))


def _spelling(value: object) -> str | None:
    """Spell a live default as :func:`comparable_default` spells its text."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value._name_}"
    members = getattr(type(value), "__members__", None)
    if isinstance(members, dict):
        for name, member in members.items():
            if member is value:
                return f"{type(value).__name__}.{name}"
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str | bytes):
        return repr(value)
    return None


def _placeholder(text: str, index: int, value: object) -> DefaultValue:
    if f"\\={index}" in text and isinstance(value, str):
        return DefaultValue(value, value)  # nb::arg().sig("TEXT"): TEXT is the default
    return DefaultValue(_spelling(value), "")


def _parsed(text: str, defaults: list[DefaultValue] | None) -> RuntimeOverload:
    try:
        parsed = parse_signature(text, defaults)
    except SignatureError:
        return RuntimeOverload(known=False)
    return signature_of(parsed.parameters)


def _python_signature(fn: Any) -> RuntimeOverload:
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return RuntimeOverload(known=False)
    params, annotations = [], []
    for p in signature.parameters.values():
        has_default = p.default is not inspect.Parameter.empty
        default = _spelling(p.default) if has_default else None
        params.append(RuntimeParam(p.name, _KINDS[p.kind], has_default, default))
        annotation = p.annotation
        if annotation is inspect.Parameter.empty:
            annotations.append("")
        else:
            text = (
                annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
            )
            annotations.append(text)
    return RuntimeOverload(params=params, annotations=annotations)


def main(argv: list[str]) -> int:
    """Import ``argv[0]`` and write what its runtime declares to the file ``argv[1]``.

    ``argv[2]`` holds the options (:class:`stubgen.load.isolate.ChildOptions`).
    """
    name, output, text = argv
    options = ChildOptions.from_argument(text)
    try:
        module = import_prepared(name, options.setup)
    except BaseException as exc:
        with open(output, "w", encoding="utf-8") as handle:
            json.dump({"error": failure_message(exc)}, handle)
        return IMPORT_FAILED
    reader = _Reader(name.split(".")[0], probe=options.probe)
    reader.find_modules(module, name)
    scope = reader.module(module, name)
    with open(output, "w", encoding="utf-8") as handle:
        json.dump(scope_to_json(scope), handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


_TYPE_PARAMETERS = frozenset({"TypeVar", "ParamSpec", "TypeVarTuple"})


def _has_default(obj: Any) -> bool:
    """Tell whether a TypeVar-like object has a PEP 696 default (typing_extensions', 3.13's)."""
    has_default = getattr(obj, "has_default", None)
    try:
        return bool(has_default()) if callable(has_default) else False
    except Exception:
        return False
