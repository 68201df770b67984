"""Walk an imported module and build the API model from its live objects.

This is the only code that touches the extension's objects; it runs inside the child process
started by :mod:`stubgen.load.isolate`. The walk is breadth-first from the requested module,
so each object is reported under the shortest public path users can import it from
(``tinyfuser.Fusion``, not ``tinyfuser._C.Fusion``); later sightings become aliases.
"""

from __future__ import annotations
import __future__

import collections.abc
import dataclasses
import enum
import importlib
import inspect
import linecache
import math
import pkgutil
import re
import sys
import types
import typing
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from stubgen.load.cpp_names import resolve_cpp_names
from stubgen.load.external import (
    NAME_OR_STRING,
    annotation_texts,
    names_in,
    resolve_external,
    untyped_extensions,
)
from stubgen.load.slots import SLOT_SIGNATURES, enforced_result, slot_annotations
from stubgen.model.api import (
    ApiModel,
    Attribute,
    Class,
    Docstring,
    EnumMember,
    Function,
    FunctionKind,
    Module,
    Overload,
    Parameter,
    ParameterKind,
    Property,
    SignatureSource,
    doc_only_on_last,
)
from stubgen.parse.docstring import parse_docstring
from stubgen.parse.pybind11 import split_overloads, translate
from stubgen.parse.signature import (
    DefaultValue,
    ParsedSignature,
    SignatureError,
    literal_default,
    parse_signature,
    stable_repr,
)

# Class attributes Python or nanobind put on every type; never API.
_CLASS_NOISE = frozenset(
    "__module__ __doc__ __dict__ __weakref__ __qualname__ __annotations__ __slots__ "
    "__orig_bases__ __parameters__ __firstlineno__ __static_attributes__ __nb_signature__ "
    "__nb_enum__ __type_params__ __abstractmethods__ _abc_impl".split()
)
# Module dunder values that are API (dunder functions such as __getattr__ always are);
# the others (__file__, __spec__, ...) are import machinery.
_MODULE_DUNDERS = frozenset({"__version__"})
_MAX_REPR = 200
_TYPE_VARIABLES = (typing.TypeVar, typing.ParamSpec, typing.TypeVarTuple)
_KINDS: dict[Any, ParameterKind] = {
    inspect.Parameter.POSITIONAL_ONLY: "positional_only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
    inspect.Parameter.VAR_POSITIONAL: "var_positional",
    inspect.Parameter.KEYWORD_ONLY: "keyword_only",
    inspect.Parameter.VAR_KEYWORD: "var_keyword",
}


def is_nb_function(obj: object) -> bool:
    """Tell whether ``obj`` is a nanobind function or method (it has ``__nb_signature__``)."""
    return type(obj).__name__ in ("nb_func", "nb_method") and hasattr(obj, "__nb_signature__")


def is_nb_type(obj: object) -> bool:
    """Tell whether ``obj`` is a nanobind class (metaclass ``nb_type``, or ``nb_type_N``)."""
    return isinstance(obj, type) and re.fullmatch(r"nb_type(_\d+)?", type(obj).__name__) is not None


def is_pb_function(obj: object) -> bool:
    """Tell whether ``obj`` is a pybind11 function: a builtin bound to a function record.

    pybind11 3 binds it to a ``pybind11_detail_function_record_*`` object, pybind11 2 to a
    capsule; ``__doc__`` holds its signatures.
    """
    if not isinstance(obj, types.BuiltinFunctionType):
        return False
    owner = type(getattr(obj, "__self__", None)).__name__
    return owner == "PyCapsule" or owner.startswith("pybind11_detail_function_record")


def is_pb_type(obj: object) -> bool:
    """Tell whether ``obj`` is a pybind11 class (metaclass ``pybind11_type``)."""
    return isinstance(obj, type) and type(obj).__name__ == "pybind11_type"


def is_pb_enum(obj: object) -> bool:
    """Tell whether ``obj`` is a classic ``py::enum_``: a pybind11 class with ``__members__``."""
    return is_pb_type(obj) and "__members__" in vars(obj)


def is_public(name: str) -> bool:
    """Tell whether a member name is public API (``bool_`` and dunders are, ``_C`` is not)."""
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def runtime_path(obj: Any) -> str:
    """Return ``module.qualname`` where the object is really defined."""
    module = getattr(obj, "__module__", None) or "builtins"
    return f"{module}.{getattr(obj, '__qualname__', getattr(obj, '__name__', '?'))}"


def safe_repr(obj: object) -> str:
    """Return ``repr(obj)`` with addresses as ``0x...``, or a placeholder if repr fails."""
    try:
        return stable_repr(repr(obj))
    except Exception as exc:
        return f"<repr failed: {type(exc).__name__}>"


@dataclass
class _Walk:
    """State of one walk: public paths of the objects seen so far and the errors met."""

    root: str
    paths: dict[int, str] = field(default_factory=dict)
    keep_alive: list[object] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Big bindings repeat texts (drjit: 6,879 docstrings, 721 distinct; 3,426 signatures,
    # 1,030 distinct), so each text is parsed once. Results are shared: replace, never change.
    docs: dict[str, Docstring | None] = field(default_factory=dict)
    signatures: dict[
        tuple[str, tuple[DefaultValue, ...] | None, SignatureSource | None],
        ParsedSignature | str,
    ] = field(default_factory=dict)
    slot_overloads: dict[tuple[type, str, str | None, str | None], Overload] = field(
        default_factory=dict
    )

    def doc(self, text: object) -> Docstring | None:
        """Parse a docstring if there is one (non-empty string), else return None."""
        if not isinstance(text, str):
            return None
        if text not in self.docs:
            self.docs[text] = parse_docstring(text) if text.strip() else None
        return self.docs[text]

    def signature(
        self,
        text: str,
        defaults: list[DefaultValue] | None,
        source: SignatureSource | None = None,
    ) -> ParsedSignature | str:
        """Parse an overload's signature text; return the parse error's message if it fails."""
        key = (text, None if defaults is None else tuple(defaults), source)
        parsed = self.signatures.get(key)
        if parsed is None:
            try:
                parsed = parse_signature(text, defaults, source=source)
            except SignatureError as exc:
                parsed = str(exc)
            self.signatures[key] = parsed
        return parsed

    def claim(self, obj: object, path: str) -> str | None:
        """Give ``obj`` the public path ``path`` unless it already has one; return the old one."""
        previous = self.paths.get(id(obj))
        if previous is None:
            self.paths[id(obj)] = path
            self.keep_alive.append(obj)
        return previous

    def type_name(self, tp: Any) -> str:
        """Name a type for a base list or attribute: public path, builtin name, or runtime path."""
        if tp is None or tp is type(None):
            return "None"
        if id(tp) in self.paths:
            return self.paths[id(tp)]
        if getattr(tp, "__module__", None) == "builtins":
            return str(tp.__qualname__)
        return runtime_path(tp)

    def default_value(self, value: object) -> DefaultValue:
        """Turn a live default value into an expression where one exists."""
        text = safe_repr(value)
        if isinstance(value, enum.Enum):
            return DefaultValue(f"{self.type_name(type(value))}.{value.name}", text)
        if isinstance(value, float) and not math.isfinite(value):
            return DefaultValue(f'float("{value}")', text)
        return literal_default(text)


def _members(obj: Any) -> list[tuple[str, Any]]:
    names = getattr(obj, "__all__", None)
    if isinstance(obj, types.ModuleType) and isinstance(names, (list, tuple)):
        result = []
        for name in names:
            if isinstance(name, str) and hasattr(obj, name):
                result.append((name, getattr(obj, name)))
        return result
    return [
        (name, value)
        for name, value in vars(obj).items()
        if not isinstance(value, __future__._Feature)  # 'from __future__ import annotations'
        and (is_public(name) or _is_private_alias(obj, value))
        and (not name.startswith("__") or name in _MODULE_DUNDERS or _is_routine(value))
    ]


def _is_private_alias(obj: object, value: object) -> bool:
    """Tell whether a private module attribute is a type alias (``_FloatCp = Union[...]``).

    Public annotations may name it, so it is API for the stubs, as for nanobind.stubgen.
    """
    return isinstance(obj, types.ModuleType) and typing.get_origin(value) is not None


def _is_own_module(module: types.ModuleType, root: str) -> bool:
    name = getattr(module, "__name__", "")
    top = root.split(".")[0]
    return isinstance(name, str) and (name == top or name.startswith(top + "."))


def _python_submodules(
    module: types.ModuleType, path: str, errors: list[str]
) -> list[tuple[str, types.ModuleType]]:
    """Import the public submodules of a package that are not yet attributes of it.

    A file that cannot be imported (a helper shared library beside the modules, a module
    that raises) is recorded in ``errors`` and the others are still imported.
    """
    found = []
    for info in pkgutil.iter_modules(getattr(module, "__path__", []) or []):
        if info.name.startswith("_") or not info.name.isidentifier():
            continue
        if hasattr(module, info.name):
            continue
        try:
            found.append((info.name, importlib.import_module(f"{module.__name__}.{info.name}")))
        except Exception as exc:
            if "does not define module export function" in str(exc):
                continue  # a plain C library beside the modules, not a Python module
            errors.append(f"{path}.{info.name}: importing failed: {type(exc).__name__}: {exc}")
    return found


def inspect_module(name: str) -> ApiModel:
    """Import the module ``name`` and build its API model.

    Parameters
    ----------
    name : str
        Import name of the module or package, e.g. ``"tinyfuser"``.

    Returns
    -------
    ApiModel
        The model; objects that could not be inspected are listed in ``load_errors``.
    """
    root = importlib.import_module(name)
    walk = _Walk(root=name)
    walk.claim(root, name)
    modules = _walk_modules(walk, root, name)
    # Give each class and function its public path before any signature is rendered: in the
    # public module that defines it (its __module__) if there is one, else the first
    # breadth-first sighting, which is the shortest path (pkg.X rather than pkg._C.X).
    members = {node.path: _members(module) for module, node in modules}
    for module, node in modules:
        for attr, value in members[node.path]:
            defined_here = getattr(value, "__module__", None) == module.__name__
            if defined_here and getattr(value, "__name__", None) == attr:
                _claim_object(walk, value, f"{node.path}.{attr}")
    for _, node in modules:
        for attr, value in members[node.path]:
            _claim_object(walk, value, f"{node.path}.{attr}")
    for module, node in modules:
        _fill_module(walk, module, node)
    by_path = {node.path: node for _, node in modules}
    for _, node in modules[1:]:
        parent = by_path.get(node.path.rsplit(".", 1)[0])
        if parent is not None:
            parent.submodules.append(node)
    model = ApiModel(module=modules[0][1], load_errors=walk.errors)
    _add_referenced_private(walk, modules, members)
    _publish_annotations(model, {runtime_path(o): p for o, p in _objects(walk)})
    resolve_cpp_names(model)
    model.external = resolve_external(model)
    model.untyped_modules = untyped_extensions(set(model.external.values()))
    return model


def _add_referenced_private(
    walk: _Walk,
    modules: list[tuple[types.ModuleType, Module]],
    members: dict[str, list[tuple[str, Any]]],
) -> None:
    """Model the private classes and type aliases public signatures name.

    ``-> pkg._ext._Context`` or ``x: _Scalar`` (a bare name of the extension module that
    defines the function) are no API to document, but a stub that names them must define
    them. They are looked up in the module itself and in the package's modules its members
    come from.
    """
    for module, node in modules:
        homes = [module] + [
            sys.modules[name]
            for name in sorted(
                {getattr(v, "__module__", None) or "" for _, v in members[node.path]}
            )
            if name in sys.modules
            and name != module.__name__
            and _is_own_module(sys.modules[name], walk.root)
        ]
        known = {a.name for a in node.attributes} | {c.name for c in node.classes}
        known |= {f.name for f in node.functions}
        for text in sorted(set(annotation_texts(node, recursive=False))):
            for name in names_in(text):
                owner, _, attr = name.rpartition(".")
                if attr.startswith("__") or attr in known:
                    continue
                if not attr.startswith("_") and (owner or not _is_type_variable(homes, attr)):
                    continue  # public names are API already; but a TypeVar left out of __all__
                if owner:
                    places = [sys.modules[owner]] if owner in sys.modules else []
                else:
                    places = homes
                for home in places:
                    value = getattr(home, attr, None)
                    path = f"{node.path}.{attr}"
                    if isinstance(value, type) and _is_own_module(home, walk.root):
                        if id(value) not in walk.paths:
                            _claim_class_tree(walk, value, path)
                            node.classes.append(_make_class(walk, value, path))
                        break
                    if typing.get_origin(value) is not None or isinstance(value, _TYPE_VARIABLES):
                        node.attributes.append(_make_attribute(walk, value, attr, path))
                        known.add(attr)
                        break


def _is_type_variable(homes: list[types.ModuleType], name: str) -> bool:
    return any(isinstance(getattr(home, name, None), _TYPE_VARIABLES) for home in homes)


def _walk_modules(
    walk: _Walk, root: types.ModuleType, name: str
) -> list[tuple[types.ModuleType, Module]]:
    """Find the package's public modules breadth first, also ``def_submodule`` attributes."""
    modules: list[tuple[types.ModuleType, Module]] = []
    queue: deque[tuple[types.ModuleType, str]] = deque([(root, name)])
    while queue:
        module, path = queue.popleft()
        node = Module(
            name=path.rsplit(".", 1)[-1],
            path=path,
            runtime_path=module.__name__,
            is_package=hasattr(module, "__path__"),
        )
        modules.append((module, node))
        members = _members(module) + _python_submodules(module, path, walk.errors)
        for attr, value in members:
            if isinstance(value, types.ModuleType) and _is_own_module(value, name):
                if walk.claim(value, f"{path}.{attr}") is None:
                    queue.append((value, f"{path}.{attr}"))
    return modules


def _is_routine(value: object) -> bool:
    """Tell whether a module attribute is a function (nanobind, Python or builtin)."""
    return is_nb_function(value) or inspect.isfunction(value) or inspect.isbuiltin(value)


def _is_foreign(value: object, root: str) -> bool:
    """Tell whether a class or function comes from another package (``from enum import Enum``)."""
    module = getattr(value, "__module__", None)
    top = root.split(".")[0]
    return isinstance(module, str) and module != top and not module.startswith(top + ".")


def _claim_object(walk: _Walk, value: object, path: str) -> None:
    if (isinstance(value, type) or _is_routine(value)) and _is_foreign(value, walk.root):
        return
    if isinstance(value, type):
        _claim_class_tree(walk, value, path)
    elif _is_routine(value):
        walk.claim(value, path)


def _objects(walk: _Walk) -> Iterator[tuple[object, str]]:
    for obj in walk.keep_alive:
        if isinstance(obj, type):
            yield obj, walk.paths[id(obj)]


def _claim_class_tree(walk: _Walk, cls: type, path: str) -> None:
    if walk.claim(cls, path) is not None:
        return
    for attr, value in vars(cls).items():
        if (
            isinstance(value, type)
            and is_public(attr)
            and value.__qualname__.startswith(cls.__qualname__ + ".")
        ):
            _claim_class_tree(walk, value, f"{path}.{attr}")


def _fill_module(walk: _Walk, module: types.ModuleType, node: Module) -> None:
    node.doc = walk.doc(getattr(module, "__doc__", None))
    names = getattr(module, "__all__", None)
    if isinstance(names, (list, tuple)) and all(isinstance(n, str) for n in names):
        node.all = list(names)
    for attr, value in _members(module):
        path = f"{node.path}.{attr}"
        try:
            if isinstance(value, types.ModuleType):
                owner = walk.paths.get(id(value))
                if owner is not None and owner != path:
                    node.aliases[attr] = owner
            elif isinstance(value, type) or (_is_routine(value) and _is_foreign(value, walk.root)):
                owner = walk.paths.get(id(value), runtime_path(value))
                if owner == path:
                    node.classes.append(_make_class(walk, value, path))
                else:
                    node.aliases[attr] = owner
            elif _is_routine(value):
                owner = walk.paths.get(id(value), path)
                if owner != path:
                    node.aliases[attr] = owner
                    continue
                node.functions.append(_make_function(walk, value, attr, path, "function"))
            elif (typing_name := _typing_export(value)) is not None:
                node.aliases[attr] = f"typing.{typing_name}"
            else:
                node.attributes.append(_make_attribute(walk, value, attr, path))
        except Exception as exc:
            walk.errors.append(f"{path}: {type(exc).__name__}: {exc}")


def _typing_export(value: object) -> str | None:
    """Return the name under which ``value`` is a member of ``typing`` (``Optional``), if it is."""
    if type(value).__module__ != "typing" or isinstance(value, _TYPE_VARIABLES):
        return None
    name = getattr(value, "_name", None) or getattr(value, "__name__", None)
    if isinstance(name, str) and getattr(typing, name, None) is value:
        return name
    return None


def _typing_text(walk: _Walk, value: Any) -> str:
    """Write a runtime typing object (``Union[A, B]``, ``list[A]``, a class) as an expression."""
    if isinstance(value, typing.ForwardRef):
        return value.__forward_arg__
    if isinstance(value, str):  # a forward reference left as a string: Base["Name"]
        return value
    if isinstance(value, _TYPE_VARIABLES):
        return value.__name__
    if value is None or value is type(None):
        return "None"
    if value is Ellipsis:
        return "..."
    if isinstance(value, list):
        return "[" + ", ".join(_typing_text(walk, v) for v in value) + "]"
    origin, args = typing.get_origin(value), typing.get_args(value)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_typing_text(walk, a) for a in args)
    if origin is typing.Literal:
        return "typing.Literal[" + ", ".join(repr(a) for a in args) + "]"
    if origin is not None and args:
        head = "typing.Callable" if origin is collections.abc.Callable else walk.type_name(origin)
        return f"{head}[{', '.join(_typing_text(walk, a) for a in args)}]"
    if isinstance(value, type):
        return walk.type_name(value)
    return safe_repr(value).replace("~", "")


def _typing_attribute(walk: _Walk, value: Any, name: str, path: str) -> Attribute | None:
    """Model a TypeVar, ParamSpec, TypeVarTuple or runtime alias so stubs can declare it."""
    if isinstance(value, typing.TypeVar):
        args = [repr(value.__name__)]
        args += [_typing_text(walk, c) for c in value.__constraints__]
        if value.__bound__ is not None:
            args.append(f"bound={_typing_text(walk, value.__bound__)}")
        if value.__covariant__:
            args.append("covariant=True")
        if value.__contravariant__:
            args.append("contravariant=True")
        return Attribute(name=name, path=path, type="typing.TypeVar", value=", ".join(args))
    if isinstance(value, (typing.ParamSpec, typing.TypeVarTuple)):
        return Attribute(name, path, f"typing.{type(value).__name__}", repr(value.__name__))
    is_alias = isinstance(value, (types.GenericAlias, types.UnionType)) or (
        typing.get_origin(value) is not None and type(value).__module__ == "typing"
    )
    if is_alias:
        return Attribute(name, path, "typing.TypeAlias", _typing_text(walk, value))
    return None


def _make_attribute(walk: _Walk, value: object, name: str, path: str) -> Attribute:
    typed = _typing_attribute(walk, value, name, path)
    if typed is not None:
        return typed
    text = safe_repr(value)
    if len(text) > _MAX_REPR:
        text = text[: _MAX_REPR - 3] + "..."
    return Attribute(name=name, path=path, type=walk.type_name(type(value)), value=text)


def _make_function(walk: _Walk, fn: Any, name: str, path: str, kind: FunctionKind) -> Function:
    func = Function(name=name, path=path, runtime_path=runtime_path(fn), kind=kind)
    pb_entries = split_overloads(fn.__name__, fn.__doc__ or "") if is_pb_function(fn) else []
    if is_nb_function(fn):
        func.overloads = [_nb_overload(walk, entry, path) for entry in fn.__nb_signature__]
    elif pb_entries:
        func.binding = "pybind11"
        method = kind in ("method", "classmethod")
        func.overloads = [_pb_overload(walk, line, doc, path, method) for line, doc in pb_entries]
    else:
        func.binding = "python"
        # typing.overload records the declared overloads of a Python function, as stubs want.
        declared = typing.get_overloads(fn) if inspect.isfunction(fn) else []
        func.overloads = [_python_overload(walk, f, name) for f in declared or [fn]]
        if declared and all(o.doc is None for o in func.overloads):
            func.overloads[-1].doc = walk.doc(getattr(fn, "__doc__", None))
    if func.binding != "python" and kind == "method":
        for overload in func.overloads:
            overload.returns = enforced_result(name, overload.returns) or overload.returns
    func.doc_only_on_last = doc_only_on_last(func.overloads)
    return func


def _nb_overload(
    walk: _Walk, entry: tuple[str, str | None, tuple[Any, ...] | None], path: str
) -> Overload:
    text, doc, raw_defaults = entry
    defaults = None
    if raw_defaults is not None:
        defaults = [_placeholder_default(walk, text, i, v) for i, v in enumerate(raw_defaults)]
    return _parsed_overload(walk, text, defaults, walk.doc(doc), path)


def _pb_overload(walk: _Walk, line: str, doc: str | None, path: str, method: bool) -> Overload:
    """One overload of a pybind11 function, from its signature line and its docstring."""
    try:
        signature = translate(line, method=method)
    except SignatureError as exc:
        overload = Overload(signature=line, doc=walk.doc(doc), parse_error=str(exc))
        walk.errors.append(f"{path}: unparsable signature {line!r}: {exc}")
        return overload
    # pybind11 writes every signature from the C++ types: "generated", as nanobind's are.
    return _parsed_overload(
        walk, signature.text, signature.defaults, walk.doc(doc), path, source="generated"
    )


def _parsed_overload(
    walk: _Walk,
    text: str,
    defaults: list[DefaultValue] | None,
    doc: Docstring | None,
    path: str,
    source: SignatureSource | None = None,
) -> Overload:
    overload = Overload(signature=text, doc=doc)
    parsed = walk.signature(text, defaults, source)
    if isinstance(parsed, str):
        overload.parse_error = parsed
        walk.errors.append(f"{path}: unparsable signature {text!r}: {parsed}")
        return overload
    overload.signature = parsed.text
    overload.parameters = list(parsed.parameters)
    overload.returns = parsed.returns
    overload.decorators = list(parsed.decorators)
    overload.source = parsed.source
    overload.unbound_types = parsed.unbound_types
    return overload


def _placeholder_default(walk: _Walk, text: str, index: int, value: object) -> DefaultValue:
    # '\=N' means nb::arg().sig("TEXT"): the default is TEXT itself, pasted verbatim.
    if f"\\={index}" in text and isinstance(value, str):
        return DefaultValue(value, value)
    return walk.default_value(value)


def _python_overload(walk: _Walk, fn: Any, name: str) -> Overload:
    if not isinstance(fn, _SLOT_TYPES):
        return _read_python_overload(walk, fn, name)
    # C slot wrappers repeat in every class that has the slot (drjit: 2,163 of 3 kinds); what
    # they say depends only on their kind, name, text signature and docstring.
    text, doc = (getattr(fn, a, None) for a in ("__text_signature__", "__doc__"))
    key = (
        type(fn),
        name,
        text if isinstance(text, str) else None,
        doc if isinstance(doc, str) else None,
    )
    if key not in walk.slot_overloads:
        walk.slot_overloads[key] = _read_python_overload(walk, fn, name)
    known = walk.slot_overloads[key]
    return dataclasses.replace(known, parameters=list(known.parameters))


def _read_python_overload(walk: _Walk, fn: Any, name: str) -> Overload:
    overload = Overload(signature="", source="python", doc=walk.doc(getattr(fn, "__doc__", None)))
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError) as exc:
        overload.source = "none"
        overload.parse_error = f"no signature: {exc}"
        if isinstance(fn, _SLOT_TYPES):
            _untold_slot(overload, name)
        return overload
    scope = getattr(inspect.unwrap(fn), "__globals__", {})
    for p in sig.parameters.values():
        param = Parameter(
            name=p.name, kind=_KINDS[p.kind], annotation=_annotation(walk, p.annotation, scope)
        )
        if p.default is not inspect.Parameter.empty:
            value = walk.default_value(p.default)
            param.has_default = True
            param.default = value.expression
            param.default_representable = value.expression is not None
            param.default_repr = value.repr
        overload.parameters.append(param)
    overload.returns = _annotation(walk, sig.return_annotation, scope)
    overload.signature = f"def {name}{sig}"
    overload.ignore = _source_ignore(fn)
    if isinstance(fn, _SLOT_TYPES):
        _annotate_slot(overload, name)
    return overload


_IGNORE_COMMENT = re.compile(r"#\s*type:\s*ignore(\[[\w\s,-]*\])?")


def _source_ignore(fn: Any) -> str | None:
    """Return the override ``type: ignore`` comment on a Python method's ``def`` line.

    Only a bare one or one naming ``override``: other codes are about the method's body.
    """
    code = getattr(inspect.unwrap(fn), "__code__", None)
    if code is None or "." not in getattr(fn, "__qualname__", ""):
        return None
    lines = linecache.getlines(code.co_filename)
    for line in lines[code.co_firstlineno - 1 : code.co_firstlineno + 30]:  # decorators first
        if line.lstrip().startswith(("def ", "async def ")):
            match = _IGNORE_COMMENT.search(line)
            codes = (match.group(1) or "").strip("[]").replace(" ", "") if match else ""
            if match is None or (codes and "override" not in codes.split(",")):
                return None
            return f"type: ignore[{codes}]" if codes else "type: ignore"
    return None


_SLOT_TYPES = (types.WrapperDescriptorType, types.MethodWrapperType, types.MethodDescriptorType)


def _untold_slot(overload: Overload, name: str) -> None:
    """Give a C method that has no text signature ``self`` and what the data model knows.

    Without a table entry it takes anything (``*args, **kwargs``), as nanobind.stubgen writes
    a signature it cannot read.
    """
    known = SLOT_SIGNATURES.get(name)
    rest = (
        [Parameter(f"arg{i}", "positional_only") for i in range(len(known[0]))]
        if known is not None
        else [Parameter("args", "var_positional"), Parameter("kwargs", "var_keyword")]
    )
    overload.parameters = [Parameter("self", "positional_only"), *rest]
    if known is not None:
        _annotate_slot(overload, name)


def _annotate_slot(overload: Overload, name: str) -> None:
    """Type a C slot wrapper's parameters and result as Python's data model fixes them."""
    params = overload.parameters
    bound = 1 if params and params[0].name == "self" else 0
    known = slot_annotations(name, len(params) - bound)
    overload.source = "slot"
    if known is None:
        return
    annotations, overload.returns = known
    for param, annotation in zip(params[bound:], annotations, strict=True):
        param.annotation = annotation


def _annotation(walk: _Walk, value: object, scope: dict[str, Any]) -> str | None:
    if value is inspect.Parameter.empty:
        return None
    if isinstance(value, str):
        return _qualify(walk, value, scope)
    return _typing_text(walk, value)


_FORWARD_REFERENCE = re.compile(r"[\w.\[\], |]+")


def _qualify(walk: _Walk, text: str, scope: dict[str, Any]) -> str:
    """Write the names of a string annotation as the objects they mean in the function's module.

    ``dr.ArrayBase`` under ``import drjit as dr`` becomes ``drjit.ArrayBase``, and a class
    imported by its bare name becomes its public path, so nothing is left to guess later.
    """

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            # A forward reference inside the annotation ('ArrayBase'): a stub needs no quotes.
            inner = match.group(1)[1:-1]
            if "Literal" in text or not _FORWARD_REFERENCE.fullmatch(inner):
                return match.group(0)
            return _qualify(walk, inner, scope)
        head, dot, rest = match.group(2).partition(".")
        value = scope.get(head)
        if isinstance(value, types.ModuleType):
            return walk.paths.get(id(value), value.__name__) + dot + rest
        if isinstance(value, type) and value.__name__ == head:
            return walk.type_name(value) + dot + rest
        return match.group(0)

    return NAME_OR_STRING.sub(replace, text)


def _class_kind(raw: object) -> FunctionKind | None:
    if isinstance(raw, staticmethod):
        return "staticmethod"
    if isinstance(raw, classmethod):
        return "classmethod"
    if type(raw).__name__ in ("nb_method", "instancemethod") or inspect.isfunction(raw):
        return "method"
    if type(raw).__name__ == "nb_func":
        # def_static puts a plain nb_func (no implicit self) into the class dictionary.
        return "staticmethod"
    if isinstance(raw, (types.WrapperDescriptorType, types.MethodDescriptorType)):
        # A C-level slot (__call__, __getattr__, ...), e.g. from nb::type_slots.
        return "method"
    return None


def _make_class(walk: _Walk, cls: type, path: str) -> Class:
    node = Class(
        name=path.rsplit(".", 1)[-1],  # the public name; __name__ may differ (even be dotted)
        path=path,
        runtime_path=runtime_path(cls),
        bases=_bases(walk, cls),
        doc=walk.doc(_class_doc(cls)),
        is_nanobind=is_nb_type(cls),
        is_enum=isinstance(cls, enum.EnumMeta) or is_pb_enum(cls),
        is_exception=issubclass(cls, BaseException),
    )
    signature = cls.__dict__.get("__nb_signature__")
    if isinstance(signature, str):
        node.signature = signature
    if node.is_enum:
        node.members = _enum_members(walk, cls)
    for attr, raw in vars(cls).items():
        member_path = f"{path}.{attr}"
        try:
            _add_class_member(walk, node, cls, attr, raw, member_path)
        except Exception as exc:
            walk.errors.append(f"{member_path}: {type(exc).__name__}: {exc}")
    node.attributes += _declared_attributes(walk, cls, path, {a.name for a in node.attributes})
    return node


def _class_doc(cls: type) -> object:
    if not is_pb_enum(cls):
        return cls.__dict__.get("__doc__")
    # py::enum_'s __doc__ is a property that appends "Members:" and each member's docstring;
    # the members keep theirs.
    doc = getattr(cls, "__doc__", None)
    return doc.split("\n\nMembers:\n", 1)[0] if isinstance(doc, str) else None


def _declared_attributes(walk: _Walk, cls: type, path: str, known: set[str]) -> list[Attribute]:
    """Model the attributes a Python class declares by annotation only (``name: str``).

    They live on instances, not in the class dictionary, so the walk does not meet them;
    users read them all the same.
    """
    if is_nb_type(cls):
        return []
    try:
        declared = inspect.get_annotations(cls)  # strings stay strings: qualified below
    except Exception:
        return []
    scope = getattr(sys.modules.get(cls.__module__), "__dict__", {})
    result = []
    for name, value in declared.items():
        if not isinstance(name, str) or not is_public(name) or name in known or name in vars(cls):
            continue
        text = _annotation(walk, value, scope)
        if text is not None and not text.startswith(("ClassVar", "typing.ClassVar")):
            result.append(Attribute(name=name, path=f"{path}.{name}", type=text))
    return result


def _bases(walk: _Walk, cls: type) -> list[str]:
    """Name the bases, with the parameters of generic ones (``Base[A, B]``) as Python kept them."""
    if is_pb_enum(cls):
        return ["enum.Enum"]  # a py::enum_ has members, name and value as an Enum has
    bases = cls.__dict__.get("__orig_bases__")
    if not isinstance(bases, tuple) or len(bases) != len(cls.__bases__):
        bases = cls.__bases__
    return [_typing_text(walk, b) for b in bases if b is not object and not _is_pb_root(b)]


def _is_pb_root(base: object) -> bool:
    """pybind11's common base of its classes, which no user code names."""
    return isinstance(base, type) and f"{base.__module__}.{base.__qualname__}" == (
        "pybind11_builtins.pybind11_object"
    )


def _add_class_member(walk: _Walk, node: Class, cls: type, attr: str, raw: Any, path: str) -> None:
    if attr in _CLASS_NOISE or not is_public(attr):
        return
    if node.is_enum and (attr in getattr(cls, "__members__", {}) or not is_nb_function(raw)):
        return
    no_constructor = node.is_nanobind or is_pb_type(cls)
    if no_constructor and attr == "__init__" and isinstance(raw, types.WrapperDescriptorType):
        # nanobind's and pybind11's placeholder for "no constructor bound": calling raises.
        return
    if isinstance(raw, type):
        if walk.paths.get(id(raw)) == path:
            node.classes.append(_make_class(walk, raw, path))
        else:
            node.attributes.append(Attribute(attr, path, "type", walk.type_name(raw)))
        return
    if isinstance(raw, property) or type(raw).__name__ == "nb_static_property":
        node.properties.append(_make_property(walk, raw, attr, path))
        return
    kind = _class_kind(raw)
    if kind is not None:
        wrapped = isinstance(raw, (staticmethod, classmethod)) or kind == "method"
        target = getattr(raw, "__func__", raw) if wrapped else raw
        node.functions.append(_make_function(walk, target, attr, path, kind))
        return
    if attr.startswith("__") or (callable(raw) and not is_nb_function(raw)):
        return
    node.attributes.append(_make_attribute(walk, raw, attr, path))


def _enum_members(walk: _Walk, cls: Any) -> list[EnumMember]:
    members = []
    # py::enum_ keeps each member's docstring in its private __entries: name -> (value, doc).
    entries = vars(cls).get("__entries", {}) if is_pb_enum(cls) else {}
    for name, member in getattr(cls, "__members__", {}).items():
        doc = vars(member).get("__doc__") if hasattr(member, "__dict__") else None
        entry = entries.get(name)
        if doc is None and isinstance(entry, tuple) and len(entry) == 2:
            doc = entry[1]
        members.append(EnumMember(name=name, value=safe_repr(member.value), doc=walk.doc(doc)))
    return members


def _accessor(walk: _Walk, fn: Any, path: str) -> Overload | None:
    if fn is None:
        return None
    if type(fn).__name__ == "instancemethod":  # pybind11's def_readwrite accessors
        fn = fn.__func__
    if is_nb_function(fn):
        entries = fn.__nb_signature__
        return _nb_overload(walk, entries[0], path)
    if is_pb_function(fn):
        # An accessor's line has no name: "(arg0: pkg.Cls) -> int".
        pb_entries = split_overloads("", fn.__doc__ or "") or split_overloads(
            fn.__name__, fn.__doc__ or ""
        )
        if pb_entries:
            return _pb_overload(walk, pb_entries[0][0], pb_entries[0][1], path, method=True)
    return _python_overload(walk, fn, getattr(fn, "__name__", "") or "")


def _make_property(walk: _Walk, prop: Any, name: str, path: str) -> Property:
    getter = _accessor(walk, getattr(prop, "fget", None), path)
    setter = _accessor(walk, getattr(prop, "fset", None), path)
    doc = getter.doc if getter is not None else None
    if doc is None and not is_nb_function(getattr(prop, "fget", None)):
        # nanobind fills a property's __doc__ with the getter's signature; only trust
        # __doc__ for properties written in Python.
        doc = walk.doc(getattr(prop, "__doc__", None))
    return Property(
        name=name,
        path=path,
        type=getter.returns if getter is not None else None,
        readonly=setter is None,
        static=type(prop).__name__ == "nb_static_property",
        getter=getter,
        setter=setter,
        doc=doc,
    )


_DOTTED = re.compile(r"[^\W\d][\w]*(?:\.[^\W\d]\w*)+")


def _publish_annotations(model: ApiModel, public: dict[str, str]) -> None:
    """Rewrite runtime paths in annotations and base lists (``pkg._C.Val``) to public paths."""
    rewritten: dict[str, str] = {}

    def rewrite(text: str | None) -> str | None:
        if text is None:
            return None
        if text not in rewritten:
            rewritten[text] = _DOTTED.sub(lambda m: public.get(m.group(0), m.group(0)), text)
        return rewritten[text]

    def parameter(p: Parameter) -> Parameter:
        # Parsed parameters are shared between overloads with the same text: replaced, never
        # changed in place.
        annotation, default = rewrite(p.annotation), rewrite(p.default)
        if annotation == p.annotation and default == p.default:
            return p
        return dataclasses.replace(p, annotation=annotation, default=default)

    public_only = set(public.values()) - set(public)

    def overload(o: Overload | None, nanobind: bool) -> None:
        if o is None:
            return
        texts = [o.returns] + [p.annotation for p in o.parameters]
        if (
            nanobind
            and o.source == "generated"
            and any(m.group(0) in public_only for t in texts for m in _DOTTED.finditer(t or ""))
        ):
            # nanobind's renderer names classes by runtime path; a public path means nb::sig.
            o.source = "nb_sig"
        o.returns = rewrite(o.returns)
        o.parameters = [parameter(p) for p in o.parameters]

    def functions(fns: list[Function]) -> None:
        for f in fns:
            for o in f.overloads:
                overload(o, f.binding == "nanobind")

    def klass(c: Class) -> None:
        c.bases = [rewrite(b) or b for b in c.bases]
        functions(c.functions)
        for p in c.properties:
            overload(p.getter, c.is_nanobind)
            overload(p.setter, c.is_nanobind)
            p.type = rewrite(p.type)
        for nested in c.classes:
            klass(nested)

    def module(m: Module) -> None:
        functions(m.functions)
        for c in m.classes:
            klass(c)
        for sub in m.submodules:
            module(sub)

    module(model.module)
