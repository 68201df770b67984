"""Resolve the dotted names in annotations that point outside the walked modules.

A signature may name a class of a sibling extension module the run does not cover
(``pkg._ext2.Qubit``), of another installed package (``numpy.typing.NDArray``) or of the
standard library (``types.TracebackType``). Inside the child process those names can be
checked against the live interpreter: the longest prefix that imports is the module the stub
must import, and the rest must be attributes of it. What does not resolve is recorded too,
so the renderer reports it instead of writing an import of a module that does not exist.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
import types
from collections.abc import Iterator
from importlib.machinery import EXTENSION_SUFFIXES

from stubgen.model.api import ApiModel, Class, Module, Overload
from stubgen.model.text import split_top_level
from stubgen.model.walk import iter_modules

# A string literal (group 1, skipped) or a possibly dotted name (group 2).
NAME_OR_STRING = re.compile(
    r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?<![\w.])([^\W\d]\w*(?:\.[^\W\d]\w*)*)"""
)
# Names the renderer knows without asking the interpreter.
_KNOWN_HEADS = frozenset({"typing", "typing_extensions", "builtins", "collections"})


def untyped_extensions(modules: set[str | None]) -> list[str]:
    """Return the modules among ``modules`` that are compiled extensions without stubs.

    A type checker finds nothing for them (``import-not-found``) until their own ``.pyi``
    files exist: a ``.pyi`` beside the shared library, or in the package folder it forms.
    """
    found = []
    for name in sorted(m for m in modules if m is not None):
        file = getattr(sys.modules.get(name), "__file__", None)
        if not isinstance(file, str) or not file.endswith(tuple(EXTENSION_SUFFIXES)):
            continue
        stem = file[: -len(next(s for s in EXTENSION_SUFFIXES if file.endswith(s)))]
        if not (
            os.path.exists(stem + ".pyi") or os.path.exists(os.path.join(stem, "__init__.pyi"))
        ):
            found.append(name)
    return found


def resolve_external(model: ApiModel) -> dict[str, str | None]:
    """Map each dotted annotation name outside the model to the module that defines it.

    Parameters
    ----------
    model : ApiModel
        The freshly built model (annotations already written with public paths).

    Returns
    -------
    dict of str to (str or None)
        ``name -> module to import`` for names that exist at runtime, ``name -> None`` for
        names that do not; sorted by name.
    """
    own_modules = {m.path for m in iter_modules(model.module)}
    own_names = set(_short_names(model.module))
    result: dict[str, str | None] = {}
    imported: dict[str, bool] = {}
    for text in dict.fromkeys(annotation_texts(model.module)):  # each distinct text once
        for name in names_in(text):
            if "." not in name or name in result:
                continue
            head = name.split(".")[0]
            if head in _KNOWN_HEADS or head in own_names or _inside(name, own_modules):
                continue
            result[name] = _defining_module(name, imported)
    return dict(sorted(result.items()))


def external_generics(external: dict[str, str | None]) -> dict[str, int]:
    """Return the number of type parameters of each generic class among resolved names.

    A class of another package may be generic in its stubs only: drjit's ``ArrayBase`` says
    so in its ``nb::sig`` (``class ArrayBase(Generic[SelfT, ...])``). Named bare in a
    signature, it needs its parameters spelled out (``mypy --strict``: type-arg). Only
    modules already imported are looked at.
    """
    result = {}
    for name, module in external.items():
        if module is None or module not in sys.modules:
            continue
        value = follow(sys.modules[module], name[len(module) + 1 :].split("."))
        arity = _generic_arity(value) if isinstance(value, type) else None
        if arity:
            result[name] = arity
    return result


def _generic_arity(cls: type) -> int | None:
    signature = vars(cls).get("__nb_signature__")
    if isinstance(signature, str):
        generic = _GENERIC_BASE.search(signature)
        if generic:
            return len(split_top_level(generic.group(1), ","))
    parameters = vars(cls).get("__parameters__")
    return len(parameters) if isinstance(parameters, tuple) else None


_GENERIC_BASE = re.compile(r"\b(?:Generic|Protocol)\[(.*)\]")


def names_in(text: str) -> Iterator[str]:
    """Yield the names of an annotation text, dotted or bare (string literals skipped)."""
    for match in NAME_OR_STRING.finditer(text):
        if match.group(2) is not None:
            yield match.group(2)


def _inside(name: str, modules: set[str]) -> bool:
    parts = name.split(".")
    return any(".".join(parts[:i]) in modules for i in range(len(parts) - 1, 0, -1))


def _defining_module(name: str, imported: dict[str, bool]) -> str | None:
    """Return the longest importable prefix of ``name`` whose attributes reach the object.

    A module not imported yet is first looked up on disk (:func:`_declared_in_source`):
    importing numpy to confirm ``numpy.typing.NDArray`` would cost more than the whole walk
    of a small extension. Only when its source does not show the name is it imported.
    """
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:cut])
        if cut == len(parts) - 1 and module_name not in sys.modules:
            if _declared_in_source(module_name, parts[-1]):
                return module_name
        if not _importable(module_name, imported):
            continue
        if follow(sys.modules[module_name], parts[cut:]) is not _MISSING:
            return module_name
    return None


_MISSING = object()


def follow(value: object, attributes: list[str], *, static: bool = False) -> object:
    """Return ``value.a.b...`` for ``attributes``; a sentinel when one is missing or raises.

    ``static`` reads without running descriptors or a lazy module ``__getattr__``
    (``inspect.getattr_static``), as the walk's own guards do.
    """
    for attribute in attributes:
        try:
            value = (
                inspect.getattr_static(value, attribute)
                if static
                else getattr(value, attribute, _MISSING)
            )
        except Exception:  # a lookup that raises finds nothing
            return _MISSING
        if value is _MISSING:
            return _MISSING
    return value


def _declared_in_source(module_name: str, attribute: str) -> bool:
    """Tell whether the source of ``module_name``, found without importing it, binds ``attribute``.

    The stub (``.pyi``) is read when there is one, since it is what a type checker reads;
    else the ``.py`` file. A compiled module, a namespace package or a name the text does not
    bind (as a definition, assignment or import) answers False, and the caller imports.
    """
    path = _source_file(module_name)
    if path is None:
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return False
    name = re.escape(attribute)
    binds = re.compile(
        rf"^\s*(?:(?:async\s+)?def|class)\s+{name}\b|^\s*{name}\s*[:=]|\bimport\b.*\b{name}\b",
        re.MULTILINE,
    )
    return binds.search(text) is not None


def _source_file(module_name: str) -> str | None:
    """Find the ``.pyi`` or ``.py`` file of ``module_name`` on ``sys.path`` without importing."""
    parts = module_name.split(".")
    folders = list(sys.path)
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        found = None
        for folder in folders:
            base = os.path.join(folder or ".", part)
            if os.path.isdir(base):
                if any(os.path.isfile(os.path.join(base, f"__init__{s}")) for s in (".py", ".pyi")):
                    found = [base]
                    break
                continue  # a namespace portion: leave it to the import
            if last and any(os.path.isfile(base + s) for s in (".pyi", ".py")):
                found = [base]
                break
            if any(os.path.isfile(base + s) for s in EXTENSION_SUFFIXES):
                return None
        if found is None:
            return None
        folders = found
    base = folders[0]
    candidates = (
        [os.path.join(base, "__init__.pyi"), os.path.join(base, "__init__.py")]
        if os.path.isdir(base)
        else [base + ".pyi", base + ".py"]
    )
    return next((c for c in candidates if os.path.isfile(c)), None)


def _importable(module_name: str, imported: dict[str, bool]) -> bool:
    if module_name not in imported:
        try:
            imported[module_name] = isinstance(
                importlib.import_module(module_name), types.ModuleType
            )
        except Exception:  # any failure means: not a module the stub can import
            imported[module_name] = False
    return imported[module_name]


def _short_names(module: Module) -> Iterator[str]:
    yield from (f.name for f in module.functions)
    yield from (a.name for a in module.attributes)
    yield from module.aliases
    for cls in module.classes:
        yield from _class_names(cls)
    for sub in module.submodules:
        yield sub.name
        yield from _short_names(sub)


def _class_names(cls: Class) -> Iterator[str]:
    yield cls.name
    for nested in cls.classes:
        yield from _class_names(nested)


def annotation_texts(module: Module, *, recursive: bool = True) -> Iterator[str]:
    """Yield every annotation text of ``module`` (and submodules), with bases and class sigs."""
    for fn in module.functions:
        yield from _overload_texts(fn.overloads)
    for attr in module.attributes:
        yield attr.type
        if attr.value and attr.type in ("typing.TypeAlias", "typing.TypeVar"):
            yield attr.value
    for cls in module.classes:
        yield from _class_texts(cls)
    for sub in module.submodules if recursive else []:
        yield from annotation_texts(sub)


def _class_texts(cls: Class) -> Iterator[str]:
    yield from cls.bases
    if cls.signature:
        yield cls.signature  # class Box(typing.Generic[T]) names T
    for fn in cls.functions:
        yield from _overload_texts(fn.overloads)
    for prop in cls.properties:
        yield from _overload_texts([o for o in (prop.getter, prop.setter) if o is not None])
    yield from (a.type for a in cls.attributes)
    for nested in cls.classes:
        yield from _class_texts(nested)


def _overload_texts(overloads: list[Overload]) -> Iterator[str]:
    for overload in overloads:
        if overload.returns:
            yield overload.returns
        yield from (p.annotation for p in overload.parameters if p.annotation)
