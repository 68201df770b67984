"""Record the calls a process makes into a compiled extension (runs inside the traced process).

``nbapi trace`` puts a ``sitecustomize`` on the traced command's import path that loads this
file by its location (the traced interpreter need not have nbapi installed), and calls
:func:`install`. When a module of the traced package is imported, its compiled callables are
replaced with recording wrappers: module functions, methods, static and class methods,
operators and the accessors of properties, static ones included. A wrapper notes the types of
the arguments, the result's type and the calling ``file:line``, then returns what the binding
returned. Calls the binding refused (TypeError before anything ran) are not evidence and are
not recorded. At exit, the process writes its distinct calls as JSON into the folder the
parent named; the parent merges them (:mod:`stubgen.trace.calls`).

Only the standard library is used here, and nothing of the traced program is called while
recording: a type is named from ``type(value)`` and its MRO alone.
"""

from __future__ import annotations

import atexit
import builtins
import collections.abc
import importlib.abc
import importlib.machinery
import json
import os
import sys
import threading
import types
from typing import Any

# The types of the callables that bindings create, by name (their classes are not public).
NATIVE = {
    "nb_func",
    "nb_method",
    "builtin_function_or_method",
    "instancemethod",
    "cython_function_or_method",
}
PROPERTIES = {"property", "nb_static_property", "pybind11_static_property"}
# At most this many distinct calls per callee and in all (a suite in a loop stays bounded).
PER_CALLEE = 64
TOTAL = 20000
# How many elements of a container are looked at to name its element type.
SAMPLE = 8

_SPECIAL_NAMES = {
    type(None): "None",
    types.FunctionType: "collections.abc.Callable[..., typing.Any]",
    types.BuiltinFunctionType: "collections.abc.Callable[..., typing.Any]",
    types.MethodType: "collections.abc.Callable[..., typing.Any]",
    types.GeneratorType: "collections.abc.Generator[typing.Any, typing.Any, typing.Any]",
    types.ModuleType: "types.ModuleType",
}


class Recorder:
    """The distinct calls of this process: key -> [first site, count]."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.calls: dict[tuple[Any, ...], list[Any]] = {}
        self.per_callee: dict[str, int] = {}
        self.local = threading.local()
        self.names: dict[type, str] = {}
        self.seen: set[int] = set()
        # The path each wrapper and class was instrumented under (a private module's,
        # often): renamed at exit to where the package's public modules hold the object.
        self.paths: dict[int, str] = {}
        self.kept: list[Any] = []
        self.files: dict[str, str] = {}

    # -- naming types -------------------------------------------------------------------------

    def describe(self, value: object, depth: int = 0) -> Any:
        """Describe the type of ``value``, to be named at exit (:meth:`spell`).

        Naming waits for the exit: a class is often made public by its package only after
        the call (a private module's class re-exported once the import finishes).
        """
        cls = type(value)
        if cls in (list, set, frozenset) and depth < 2:
            return (cls.__name__, self._members(value, depth))
        if cls is tuple and depth < 2:
            items = list(value)  # type: ignore[call-overload]
            if len(items) > SAMPLE:
                return ("tuple...", self._members(items, depth))
            return ("tuple", tuple(self.describe(v, depth + 1) for v in items))
        if cls is dict and depth < 2:
            mapping: dict[Any, Any] = value  # type: ignore[assignment]
            return (
                "dict",
                self._members(mapping.keys(), depth),
                self._members(mapping.values(), depth),
            )
        if isinstance(value, type) and depth < 2:
            return ("type", value)
        return cls

    def _members(self, values: Any, depth: int) -> frozenset[Any]:
        found = set()
        for index, item in enumerate(values):
            if index == SAMPLE:
                break
            found.add(self.describe(item, depth + 1))
        return frozenset(found)

    def spell(self, described: Any) -> str:
        """Write a description of :meth:`describe` as a type expression a checker reads."""
        if isinstance(described, type):
            return self.class_name(described)
        kind = described[0]
        if kind in ("list", "set", "frozenset"):
            return f"{kind}[{self._union(described[1])}]"
        if kind == "tuple...":
            return f"tuple[{self._union(described[1])}, ...]"
        if kind == "tuple":
            inner = ", ".join(self.spell(d) for d in described[1])
            return f"tuple[{inner or '()'}]"
        if kind == "dict":
            return f"dict[{self._union(described[1])}, {self._union(described[2])}]"
        return f"type[{self.class_name(described[1])}]"

    def _union(self, members: frozenset[Any]) -> str:
        names = sorted({self.spell(m) for m in members})
        return " | ".join(names) if names else "typing.Any"

    def class_name(self, cls: type) -> str:
        """Name ``cls``, or the first class of its MRO a checker can import."""
        known = self.names.get(cls)
        if known is None:
            known = self.names[cls] = self._nameable(cls)
        return known

    def _nameable(self, cls: type) -> str:
        if cls in _SPECIAL_NAMES:
            return _SPECIAL_NAMES[cls]
        for base in cls.__mro__[:-1] if cls is not object else (object,):
            name = _public_name(base)
            if name is not None:
                return name
        return "typing.Any"  # no class of its lineage can be named: the call says nothing

    # -- recording ----------------------------------------------------------------------------

    def record(
        self,
        callee: str,
        kind: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        result: Any,
        raised: str | None,
    ) -> None:
        """Note one call (outside recording already: the guard keeps nested calls out)."""
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename == __file__:
            frame = frame.f_back  # type: ignore[assignment]
        site = f"{self.file_name(frame.f_code.co_filename)}:{frame.f_lineno}" if frame else "?"
        key = (
            callee,
            kind,
            tuple(self.describe(a) for a in args),
            tuple(sorted((k, self.describe(v)) for k, v in kwargs.items())),
            None if raised else self.describe(result),
            raised,
        )
        entry = self.calls.get(key)
        if entry is not None:
            entry[1] += 1
            return
        seen = self.per_callee.get(callee, 0)
        if seen >= PER_CALLEE or len(self.calls) >= TOTAL:
            return
        self.per_callee[callee] = seen + 1
        self.calls[key] = [site, 1]

    def public_paths(self) -> dict[str, str]:
        """Map each private instrumented path to the public one the package's modules offer.

        A path that is public already stays (a module importing its package, as
        ``osqp.nn.torch`` does ``import osqp``, offers no better name for it).
        """
        renamed: dict[str, str] = {}
        for name, module in self.public_modules():
            for attribute, value in vars(module).items():
                path = self.paths.get(id(value))
                if path is None or attribute.startswith("_") or not _is_private(path):
                    continue
                public = f"{name}.{attribute}"
                best = renamed.get(path)
                if path != public and (best is None or len(public) < len(best)):
                    renamed[path] = public
        return renamed

    def _public(self, callee: str, renamed: dict[str, str]) -> str:
        parts = callee.split(".")
        for cut in range(len(parts), 0, -1):
            head = ".".join(parts[:cut])
            if head in renamed:
                return ".".join([renamed[head], *parts[cut:]])
        return callee

    def file_name(self, path: str) -> str:
        """Name a source file as the project sees it, never by this machine's paths.

        Relative to the working directory, or to the import path entry that holds it
        (``pkg/__init__.py``).
        """
        known = self.files.get(path)
        if known is None:
            known = self.files[path] = _relative_name(path)
        return known

    def public_modules(self) -> list[tuple[str, types.ModuleType]]:
        """Return the package's imported public modules (no part named ``_x``), by name."""
        package = self.package
        return [
            (name, module)
            for name, module in sorted(sys.modules.items())
            if (name == package or name.startswith(package + "."))
            and not any(part.startswith("_") for part in name.split("."))
        ]

    def record_values(self) -> None:
        """Note the type of each public module-level value at exit (kind ``value``).

        A value the package sets by the host it runs on (nvFuser's ``DEVICE_PROPERTIES``, a
        dict where a GPU is) is evidence of what the stubs must admit, as a call's result is.
        """
        for name, module in self.public_modules():
            site = self.file_name(str(getattr(module, "__file__", None) or name))
            for attribute, value in list(vars(module).items()):
                if attribute.startswith("_") or callable(value) or _is_typing(value):
                    continue
                key = (f"{name}.{attribute}", "value", (), (), self.describe(value), None)
                if key not in self.calls and len(self.calls) < TOTAL:
                    self.calls[key] = [site, 1]

    def dump(self, folder: str) -> None:
        """Write this process's calls into ``folder`` (one file per process)."""
        self.record_values()
        renamed = self.public_paths()
        rows = [
            {
                "callee": self._public(callee, renamed),
                "kind": kind,
                "args": [self.spell(a) for a in args],
                "kwargs": {k: self.spell(v) for k, v in kwargs},
                "returns": None if returns is None else self.spell(returns),
                "raised": raised,
                "site": site,
                "count": count,
            }
            for (callee, kind, args, kwargs, returns, raised), (site, count) in self.calls.items()
        ]
        # Let go of the package's classes and functions, so that the extension's own leak
        # check at exit (nanobind's) finds nothing held.
        self.calls.clear()
        self.names.clear()
        self.kept.clear()
        self.paths.clear()
        sys.meta_path[:] = [f for f in sys.meta_path if getattr(f, "recorder", None) is not self]
        if not rows:
            return
        path = os.path.join(folder, f"calls-{os.getpid()}-{threading.get_ident()}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as handle:
            json.dump({"package": self.package, "calls": rows}, handle)
        os.replace(path + ".tmp", path)

    # -- wrapping -----------------------------------------------------------------------------

    def wrap(self, function: Any, callee: str, kind: str) -> Any:
        """Return a recording wrapper of the compiled callable ``function``."""
        recorder = self

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            local = recorder.local
            if getattr(local, "busy", False):
                return function(*args, **kwargs)
            try:
                result = function(*args, **kwargs)
            except TypeError:
                raise  # most likely refused by the binding: no overload took the arguments
            except BaseException as exc:
                local.busy = True
                try:
                    recorder.record(callee, kind, args, kwargs, None, type(exc).__name__)
                finally:
                    local.busy = False
                raise
            local.busy = True
            try:
                recorder.record(callee, kind, args, kwargs, result, None)
            finally:
                local.busy = False
            return result

        for attribute in ("__name__", "__qualname__", "__doc__", "__module__"):
            try:
                setattr(wrapper, attribute, getattr(function, attribute))
            except (AttributeError, TypeError):
                pass
        wrapper.__wrapped__ = function  # type: ignore[attr-defined]
        return wrapper

    def instrument_module(self, module: types.ModuleType) -> None:
        """Wrap the compiled callables of ``module`` and of the classes it defines."""
        name = module.__name__
        self.seen.add(id(module))
        self._remember(module, name)
        for attribute, value in list(vars(module).items()):
            origin = str(getattr(value, "__module__", None))
            if origin != self.package and not origin.startswith(self.package + "."):
                continue
            if type(value).__name__ in NATIVE:
                wrapper = self.wrap(value, f"{name}.{attribute}", "function")
                try:
                    setattr(module, attribute, wrapper)
                except (AttributeError, TypeError):
                    continue
                self._remember(wrapper, f"{name}.{attribute}")
            elif isinstance(value, type):
                self.instrument_class(value, f"{name}.{attribute}")
        for value in list(vars(module).values()):
            # A submodule the binding made (def_submodule) is never imported by name.
            if isinstance(value, types.ModuleType) and id(value) not in self.seen:
                inner = value.__name__
                if inner.startswith(name + "."):
                    self.instrument_module(value)

    def _remember(self, value: Any, path: str) -> None:
        self.paths[id(value)] = path
        self.kept.append(value)  # ids stay unique while it lives

    def instrument_class(self, cls: type, path: str) -> None:
        """Wrap the compiled members of ``cls`` (and of the classes nested in it)."""
        if id(cls) in self.seen or not _compiled_class(cls):
            return
        self.seen.add(id(cls))
        self._remember(cls, path)
        for attribute, value in list(vars(cls).items()):
            if attribute in (
                "__new__",
                "__getattribute__",
                "__getattr__",
                "__setattr__",
                "__del__",
            ):
                continue
            callee = f"{path}.{attribute}"
            try:
                replacement = self._member(value, callee)
            except Exception:  # a descriptor that cannot be rebuilt stays as it is
                continue
            if replacement is not None:
                try:
                    setattr(cls, attribute, replacement)
                except (AttributeError, TypeError):
                    pass
            elif isinstance(value, type) and value.__qualname__.startswith(cls.__qualname__ + "."):
                self.instrument_class(value, f"{path}.{attribute}")

    def _member(self, value: Any, callee: str) -> Any:
        kind = type(value).__name__
        if kind in ("nb_method", "instancemethod"):
            return self.wrap(value, callee, "method")
        if kind in ("nb_func", "builtin_function_or_method"):
            return staticmethod(self.wrap(value, callee, "static"))
        if isinstance(value, staticmethod) and type(value.__func__).__name__ in NATIVE:
            return staticmethod(self.wrap(value.__func__, callee, "static"))
        if isinstance(value, classmethod) and type(value.__func__).__name__ in NATIVE:
            return classmethod(self.wrap(value.__func__, callee, "class"))
        if kind in PROPERTIES and isinstance(value, property):
            static = kind != "property"
            getter, setter = value.fget, value.fset
            if type(getter).__name__ not in NATIVE and type(setter).__name__ not in NATIVE:
                return None
            get_kind, set_kind = ("static-get", "static-set") if static else ("get", "set")
            accessors = (
                self.wrap(getter, callee, get_kind) if getter is not None else None,
                self.wrap(setter, callee, set_kind) if setter is not None else None,
                value.fdel,
                value.__doc__,
            )
            try:
                return type(value)(*accessors)
            except AttributeError:
                # pybind11's static property has no __dict__ for the docstring property()
                # sets: a subclass of it has one, and the metaclass still treats it as one.
                return _with_dict(type(value))(*accessors)
        return None


_SUBCLASSES: dict[type, type] = {}


def _is_typing(value: object) -> bool:
    """Whether ``value`` is typing machinery (a TypeVar, an alias) or a module: no value."""
    origin = getattr(type(value), "__module__", "")
    return isinstance(value, types.ModuleType) or origin in ("typing", "typing_extensions")


def _with_dict(cls: type) -> type:
    """Return a subclass of the property type ``cls`` whose instances have a ``__dict__``."""
    if cls not in _SUBCLASSES:
        _SUBCLASSES[cls] = type(cls.__name__, (cls,), {"__module__": cls.__module__})
    return _SUBCLASSES[cls]


def _is_private(path: str) -> bool:
    # Call.private's rule (stubgen.trace.calls), restated: this file imports nothing of nbapi.
    return any(p.startswith("_") and not p.endswith("__") for p in path.split("."))


def _relative_name(path: str) -> str:
    if not os.path.isabs(path):
        return path  # <frozen importlib._bootstrap>, <string>
    roots = [os.getcwd(), *(p for p in sys.path if p and os.path.isabs(p))]
    for root in sorted(roots, key=len, reverse=True):
        if path.startswith(root.rstrip(os.sep) + os.sep):
            return os.path.relpath(path, root).replace(os.sep, "/")
    return os.path.basename(path)


def _compiled_class(cls: type) -> bool:
    """Whether ``cls`` was made by a binding (its metaclass is nanobind's or pybind11's)."""
    meta = type(cls).__name__
    return meta in ("nb_type", "pybind11_type") or meta.startswith("nb_type")


# The builtins' unnamed classes (list_iterator, dict_items) by what they are.
_PROTOCOLS = (
    (collections.abc.ItemsView, "collections.abc.ItemsView[typing.Any, typing.Any]"),
    (collections.abc.KeysView, "collections.abc.KeysView[typing.Any]"),
    (collections.abc.ValuesView, "collections.abc.ValuesView[typing.Any]"),
    (collections.abc.Iterator, "collections.abc.Iterator[typing.Any]"),
)


def _builtin_name(cls: type) -> str | None:
    """Name a class of the builtins: by its name, in ``types``, or by its protocol."""
    name = cls.__qualname__
    if getattr(builtins, name, None) is cls:
        return name
    for attribute, value in vars(types).items():
        if value is cls:
            return f"types.{attribute}"
    for protocol, spelled in _PROTOCOLS:
        if issubclass(cls, protocol):
            return spelled
    return None


def _public_name(cls: type) -> str | None:
    """Return ``module.qualname`` when a checker can import ``cls`` so, else None."""
    module, qualname = cls.__module__, cls.__qualname__
    if module == "builtins":
        return _builtin_name(cls)
    if "<" in qualname or module == "__main__":
        return None
    # The shortest public path first: the package's own name for the class
    # (pikepdf.Object, not pikepdf.objects.Object; scipy.sparse.csc_matrix, not the private
    # scipy.sparse._csc's nor the deprecated shim scipy.sparse.csc's), then the module with
    # its private parts made public (_io.TextIOWrapper is io.TextIOWrapper).
    parts = module.split(".")
    candidates = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    candidates.append(".".join(part.lstrip("_") for part in parts))
    for candidate in candidates:
        found = sys.modules.get(candidate)
        target: Any = found
        for part in qualname.split("."):
            target = getattr(target, part, None)
        if target is cls and not any(p.startswith("_") for p in candidate.split(".")):
            return f"{candidate}.{qualname}"
    return None


class _Finder(importlib.abc.MetaPathFinder):
    """Instrument each module of the traced package once it has been executed."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        package = self.recorder.package
        if fullname != package and not fullname.startswith(package + "."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader, self.recorder)
        return spec


class _Loader(importlib.abc.Loader):
    def __init__(self, loader: Any, recorder: Recorder) -> None:
        self.loader = loader
        self.recorder = recorder

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self.loader.exec_module(module)
        try:
            self.recorder.instrument_module(module)
        except Exception as exc:  # never break the traced program
            print(f"nbapi trace: could not instrument {module.__name__}: {exc}", file=sys.stderr)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)


def install(package: str, folder: str) -> Recorder:
    """Trace the modules of ``package`` in this process; write the calls to ``folder`` at exit."""
    recorder = Recorder(package)
    sys.meta_path.insert(0, _Finder(recorder))
    for name, module in list(sys.modules.items()):
        if name == package or name.startswith(package + "."):
            recorder.instrument_module(module)  # imported before the hook (rare)
    atexit.register(recorder.dump, folder)
    return recorder
