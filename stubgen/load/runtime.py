"""WalkState an imported module and build the API model from its live objects.

This is the only code that touches the extension's objects; it runs inside the child process
started by :mod:`stubgen.load.isolate`. The walk is breadth-first from the requested module,
so each object is reported under the shortest public path users can import it from
(``tinyfuser.Fusion``, not ``tinyfuser._C.Fusion``); later sightings become aliases.
"""

from __future__ import annotations
import __future__

import ast
import collections.abc
import dataclasses
import enum
import functools
import importlib
import importlib.util
import inspect
import re
import sys
import types
import typing
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from stubgen.load.cpp_names import resolve_cpp_names
from stubgen.load.external import (
    annotation_texts,
    external_generics,
    follow,
    names_in,
    resolve_external,
    untyped_extensions,
)
from stubgen.load.guards import guarded_getattr, module_attribute, record_error
from stubgen.load.nanobind import (
    is_nb_function,
    legacy_enum_entries,
)
from stubgen.load.pybind11 import (
    is_pb_enum,
    is_pb_root,
    pb_enum_doc,
    pb_enum_member_docs,
)
from stubgen.load.python import (
    TYPE_VARIABLES,
    annotation,
    declared_alias,
    declared_attributes,
    declares_type_alias,
    is_cached_function,
    library_alias,
    typing_attribute,
    typing_export,
    typing_text,
)
from stubgen.load.python_source import (
    called_function,
    forwarded_function,
    init_assignments,
    module_assignments,
)
from stubgen.load.readers import (
    class_binding,
    function_reader,
    is_binding_object,
    is_bound_function,
)
from stubgen.load.slots import enforced_result
from stubgen.load.state import (
    WalkState,
    include_private_members,
    is_public,
    runtime_path,
    safe_repr,
)
from stubgen.load.submodules import (
    import_paths,
    import_submodule,
    owns_files,
    submodule_files,
    unselected_variant,
)
from stubgen.model.api import (
    ApiModel,
    Attribute,
    Class,
    EnumMember,
    Function,
    FunctionKind,
    Module,
    Overload,
    Parameter,
    Property,
    doc_only_on_last,
)

# Class attributes Python or nanobind put on every type; never API.
_CLASS_NOISE = frozenset(
    "__module__ __doc__ __dict__ __weakref__ __qualname__ __annotations__ __slots__ "
    "__orig_bases__ __parameters__ __firstlineno__ __static_attributes__ __nb_signature__ "
    "__nb_enum__ __type_params__ __abstractmethods__ _abc_impl __subclasshook__".split()
)
# Module dunders that are import machinery (__file__, __spec__, ...), never API. Other dunder
# values of plain types are (__version__, a build's __build_type__ = "Release"), and dunder
# functions such as __getattr__ always are.
_IMPORT_MACHINERY = frozenset(
    "__name__ __doc__ __file__ __package__ __loader__ __spec__ __path__ __cached__"
    " __builtins__ __all__ __annotations__ __dict__".split()
)
_DUNDER_VALUE_TYPES = (str, int, float, bool, tuple)
_MAX_REPR = 200


def _members(obj: Any, errors: list[str] | None = None) -> list[tuple[str, Any]]:
    """List an object's API members as ``(name, value)``: its ``__all__`` or its public names.

    With ``__all__``, its module dunder functions and the package's own classes, functions
    and modules are members too. A name of ``__all__`` that the module only provides through
    a lazy ``__getattr__`` is
    fetched; whatever that raises (a backend not initialised, an optional dependency
    missing) becomes a load error of that name in ``errors``, and the others are kept.
    """
    names = module_attribute(obj, "__all__") if isinstance(obj, types.ModuleType) else None
    if isinstance(names, (list, tuple)):
        result = []
        for name in names:
            if not isinstance(name, str) or name in _IMPORT_MACHINERY:
                continue  # highspy lists __doc__: every module has it, typed by the checker
            found, value = guarded_getattr(obj, name, f"{obj.__name__}.{name}", errors)
            if found:
                result.append((name, value))
        listed = set(names)
        top = str(module_attribute(obj, "__name__", "")).split(".")[0]
        result += [
            (name, value)
            for name, value in vars(obj).items()
            if name not in listed
            and (_api_beyond_all(name, value, top) or _type_alias(obj, name, value))
        ]
        return result
    return [
        (name, value)
        for name, value in vars(obj).items()
        if not isinstance(value, __future__._Feature)  # 'from __future__ import annotations'
        and (is_public(name) or _is_private_alias(obj, value))
        and (not name.startswith("__") or _is_dunder_api(name, value))
    ]


def _api_beyond_all(name: str, value: object, top: str) -> bool:
    """Tell whether a module attribute ``__all__`` leaves out is still API.

    ``__all__`` says what ``import *`` takes, not what users reach: module dunder functions
    (a lazy ``__getattr__``) and the package's own classes, functions and modules held here
    (a base class of a listed one, a submodule) stay API, as attributes. Private names stay
    out, with ``-P`` too: ``__all__`` is the package's own word on them.
    """
    if name.startswith("__"):
        return _is_dunder_api(name, value)
    if name.startswith("_"):
        return False
    if isinstance(value, types.ModuleType):
        return _is_own_module(value, top)
    return (isinstance(value, type) or _is_routine(value)) and not _is_foreign(value, top)


def _type_alias(module: types.ModuleType, name: str, value: object) -> bool:
    """Tell whether a public name ``__all__`` leaves out is a type alias (API as a type).

    The listed API's annotations name it (boost-histogram's ``IndexingExpr`` is a union of
    aliases it does not list): the stub must declare it for them to mean anything.
    """
    if name.startswith("_") or _imported_from_typing(name, value):
        return False
    if typing.get_origin(value) is not None and type(value).__module__ in ("typing", "types"):
        return True
    return declares_type_alias(module, name)


def _imported_from_typing(name: str, value: object) -> bool:
    """Tell whether ``value`` is typing's own ``name`` (``from typing import Dict``): no alias."""
    return any(getattr(home, name, None) is value for home in (typing, collections.abc))


def _is_dunder_api(name: str, value: object) -> bool:
    """Tell whether a module's dunder attribute is API: a function, or a plain value."""
    if name in _IMPORT_MACHINERY:
        return False
    return _is_routine(value) or isinstance(value, _DUNDER_VALUE_TYPES)


def _is_private_alias(obj: object, value: object) -> bool:
    """Tell whether a private module attribute is a type alias (``_FloatCp = Union[...]``).

    Public annotations may name it, so it is API for the stubs, as for nanobind.stubgen.
    """
    return isinstance(obj, types.ModuleType) and typing.get_origin(value) is not None


def _is_own_module(module: types.ModuleType, root: str) -> bool:
    name = module_attribute(module, "__name__", "")
    top = root.split(".")[0]
    return isinstance(name, str) and (name == top or name.startswith(top + "."))


def _python_submodules(
    module: types.ModuleType, path: str, errors: list[str]
) -> list[tuple[str, types.ModuleType]]:
    """Import the public submodule files of a package (a module may leave them out of ``__all__``).

    A file that cannot be imported (a helper shared library beside the modules, a module
    that raises) is recorded in ``errors`` and the others are still imported.
    """
    found = []
    for child in submodule_files(module):
        # Already an attribute or not (the child imports the files before the walk), the
        # walk claims each module once.
        imported = import_submodule(f"{module.__name__}.{child}")
        if isinstance(imported, types.ModuleType):
            found.append((child, imported))
        elif imported is not None:
            errors.append(f"{path}.{child}: importing failed: {imported}")
    return found


def inspect_module(
    name: str, *, probe: bool = True, include_private: bool = False, parse_docs: bool = True
) -> ApiModel:
    """Import the module ``name`` and build its API model.

    Parameters
    ----------
    name : str
        Import name of the module or package, e.g. ``"tinyfuser"``.
    probe : bool, optional
        Ask pybind11 functions without signature lines for their overloads
        (:func:`stubgen.load.pybind11.pb_probe`).
    include_private : bool, optional
        Take members named ``_x`` as API (nanobind.stubgen's ``-P``).
    parse_docs : bool, optional
        Parse each docstring into its sections; without, docstrings stay raw (what the
        stubs alone need, see :class:`stubgen.load.state.WalkState`).

    Returns
    -------
    ApiModel
        The model; objects that could not be inspected are listed in ``load_errors``.
    """
    include_private_members(include_private)
    root = importlib.import_module(name)
    walk = WalkState(root=name, probe=probe, parse_docs=parse_docs)
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
    without = _without_binding(walk, name)
    if without is not None:
        walk.errors.append(without)
    _add_referenced_private(walk, modules, members)
    _publish_annotations(
        model, {runtime_path(o): p for o, p in _objects(walk)}, _identity_resolver(walk, name)
    )
    resolve_cpp_names(model)
    model.external = resolve_external(model)
    model.external_generics = external_generics(model.external)
    model.untyped_modules = untyped_extensions(set(model.external.values()))
    return model


def _without_binding(walk: WalkState, name: str) -> str | None:
    """Say so when no walked object is nanobind's or pybind11's, naming what the package uses.

    The model then comes from the package's Python layer and whatever signatures its
    compiled objects carry (``__text_signature__``); stubs and docs are only as good as that.
    """
    for obj in walk.keep_alive:
        if is_binding_object(obj):
            return None
        if isinstance(obj, type) and any(is_binding_object(v) for v in vars(obj).values()):
            return None
    found = sorted(
        f"{module.__name__} ({_binding_of(module)})"
        for module in list(sys.modules.values())
        if isinstance(module, types.ModuleType)
        and _is_own_module(module, name)
        and str(module_attribute(module, "__file__", "")).endswith((".so", ".pyd"))
    )
    where = f"; compiled modules: {', '.join(found)}" if found else "; no compiled module"
    return (
        f"{name}: no nanobind or pybind11 objects found; the model comes from the Python"
        f" layer and the signatures compiled objects declare{where}"
    )


def _binding_of(module: types.ModuleType) -> str:
    """Name the binding library that made an extension module, where it shows."""
    names = vars(module)
    if "__pyx_capi__" in names or any(
        type(v).__name__ in ("cython_function_or_method", "fused_cython_function")
        for v in names.values()
    ):
        return "Cython"
    if any(str(type(v).__module__).startswith("tvm_ffi") for v in names.values()):
        return "tvm-ffi"
    return "C API, PyO3 or another binding"


def _add_referenced_private(
    walk: WalkState,
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
                # A class of a private module no public name reaches (hidden by a Python
                # class of the same name that derives from it: class Context(_ext.Context)).
                hidden = any(part.startswith("_") for part in owner.split(".") if part)
                if attr.startswith("__") or (attr in known and not hidden):
                    continue
                if not (attr.startswith("_") or hidden) and (
                    owner or not _is_type_variable(homes, attr)
                ):
                    continue  # public names are API already; but a TypeVar left out of __all__
                if owner:
                    places = [sys.modules[owner]] if owner in sys.modules else []
                else:
                    places = homes
                for home in places:
                    value = guarded_getattr(home, attr, f"{home.__name__}.{attr}")[1]
                    local = attr
                    while local in known:  # the stub defines the public name already
                        local = "_" + local
                    path = f"{node.path}.{local}"
                    if isinstance(value, type) and _is_sibling_class(value, owner, walk.root):
                        break  # the sibling's own stub defines it: imported, never copied
                    if isinstance(value, type) and _is_own_module(home, walk.root):
                        if id(value) not in walk.paths:
                            _claim_class_tree(walk, value, path)
                            node.classes.append(_make_class(walk, value, path))
                            known.add(local)
                        break
                    if typing.get_origin(value) is not None or isinstance(value, TYPE_VARIABLES):
                        node.attributes.append(_make_attribute(walk, value, attr, path))
                        known.add(attr)
                        break


def _is_sibling_class(cls: type, owner: str, root: str) -> bool:
    """Tell whether ``cls`` is defined in ``owner``, a module of the package outside this run.

    A package split over private extension modules is stubbed one module per run (as
    ``nanobind_add_stub`` does): ``pkg._render`` names ``pkg._structs.Rect``, which the run
    on ``pkg._structs`` writes. Its stub imports the class from there.
    """
    outside = owner != root and not owner.startswith(root + ".")
    return outside and owner in sys.modules and cls.__module__ == owner


def _is_type_variable(homes: list[types.ModuleType], name: str) -> bool:
    return any(isinstance(guarded_getattr(home, name, name)[1], TYPE_VARIABLES) for home in homes)


def _walk_modules(
    walk: WalkState, root: types.ModuleType, name: str
) -> list[tuple[types.ModuleType, Module]]:
    """Find the package's public modules breadth first, also ``def_submodule`` attributes.

    A module that is a run-time variant of another (:func:`unselected_variant`) is walked only
    when it is the variant the runtime holds; the others are load errors, left out. The
    files of a package are scanned once, for the module imported under its name (mitsuba's
    variant modules all carry the package's ``__name__`` and ``__path__``).
    """
    modules: list[tuple[types.ModuleType, Module]] = []
    scanned: set[str] = set()
    queue: deque[tuple[types.ModuleType, str]] = deque([(root, name)])
    while queue:
        module, path = queue.popleft()
        runtime_name = str(module_attribute(module, "__name__", path))
        if modules and unselected_variant(module):
            walk.errors.append(
                f"{path}: a run-time variant of {runtime_name!r} other than the one it holds;"
                " left out (select it with the 'setup' setting, e.g. the package's"
                " set_variant call)"
            )
            continue
        node = Module(
            name=path.rsplit(".", 1)[-1],
            path=path,
            runtime_path=runtime_name,
            is_package=module_attribute(module, "__path__") is not None,
        )
        modules.append((module, node))
        members = _members(module, walk.errors)
        # Only the module imported under that name owns its files: mitsuba.scalar_rgb carries
        # mitsuba's __name__ and __path__, and mitsuba's files are not its submodules.
        if runtime_name not in scanned and owns_files(module, runtime_name):
            scanned.add(runtime_name)
            # A name the module holds wins over a file of that name (mitsuba's 'ad' is
            # mitsuba.python.ad; its file imported as mitsuba.ad is a second copy).
            held = {attr for attr, _ in members}
            members += [
                (attr, value)
                for attr, value in _python_submodules(module, path, walk.errors)
                if attr not in held and vars(module).get(attr, value) is value
            ]
        for attr, value in members:
            if isinstance(value, types.ModuleType) and _is_own_module(value, name):
                if walk.claim(value, f"{path}.{attr}") is None:
                    queue.append((value, f"{path}.{attr}"))
    found = [(module, node.path) for module, node in modules]
    for (module, node), path in zip(modules, import_paths(found, name.split(".")[0]), strict=True):
        if path != node.path:
            node.path, node.name = path, path.rpartition(".")[2]
            walk.paths[id(module)] = path
    return modules


def _is_routine(value: object) -> bool:
    """Tell whether a module attribute is a function (nanobind, Python, builtin or cached)."""
    return is_bound_function(value) or inspect.isbuiltin(value) or is_cached_function(value)


def _is_foreign(value: object, root: str) -> bool:
    """Tell whether a class or function comes from another package (``from enum import Enum``).

    A ``__module__`` that names no importable module (mitsuba's ``mitsuba_ext``, the name
    its extension was built under) says nothing about where the object lives: the object
    is modelled where the package holds it, signature and docs included.
    """
    module = getattr(value, "__module__", None)
    top = root.split(".")[0]
    if not isinstance(module, str) or module == top or module.startswith(top + "."):
        return False
    return _importable(module)


@functools.cache
def _importable(module: str) -> bool:
    if module in sys.modules:
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except Exception:  # a parent package that raises on import, a malformed name
        return False


def _claim_object(walk: WalkState, value: object, path: str) -> None:
    if (isinstance(value, type) or _is_routine(value)) and _is_foreign(value, walk.root):
        return
    if isinstance(value, type):
        _claim_class_tree(walk, value, path)
    elif _is_routine(value):
        walk.claim(value, path)


def _objects(walk: WalkState) -> Iterator[tuple[object, str]]:
    for obj in walk.keep_alive:
        if isinstance(obj, type):
            yield obj, walk.paths[id(obj)]


def _claim_class_tree(walk: WalkState, cls: type, path: str) -> None:
    if walk.claim(cls, path) is not None:
        return
    for attr, value in vars(cls).items():
        if (
            isinstance(value, type)
            and is_public(attr)
            and value.__qualname__.startswith(cls.__qualname__ + ".")
        ):
            _claim_class_tree(walk, value, f"{path}.{attr}")


def _fill_module(walk: WalkState, module: types.ModuleType, node: Module) -> None:
    node.doc = walk.doc(module_attribute(module, "__doc__"))
    names = module_attribute(module, "__all__")
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
            elif (typing_name := typing_export(value)) is not None:
                node.aliases[attr] = f"typing.{typing_name}"
            elif (library := library_alias(value, attr, walk.root)) is not None:
                node.aliases[attr] = library
            elif (alias := declared_alias(walk, module, attr, value, path)) is not None:
                node.attributes.append(alias)
            else:
                node.attributes.append(_make_attribute(walk, value, attr, path, module))
        except Exception as exc:
            record_error(walk.errors, path, exc)


def _make_attribute(
    walk: WalkState, value: object, name: str, path: str, module: types.ModuleType | None = None
) -> Attribute:
    typed = typing_attribute(walk, value, name, path)
    if typed is not None:
        return typed
    sourced = _source_attribute(walk, module, name, path) if module is not None else None
    if sourced is not None:
        return sourced
    text = safe_repr(value)
    if len(text) > _MAX_REPR:
        text = text[: _MAX_REPR - 3] + "..."
    return Attribute(name=name, path=path, type=walk.type_name(type(value)), value=text)


def _source_attribute(
    walk: WalkState, module: types.ModuleType, name: str, path: str
) -> Attribute | None:
    """Type a module attribute from what its source assigns, not from this host's value.

    nvFuser's ``DEVICE_PROPERTIES = None``, then ``= get_device_properties()`` on a GPU
    host: the value here is one branch's. Each assigned value gives a type: a literal its
    own, a call of an annotated function that function's result, anything else Any. One
    literal assignment is left to the value (None: the usual reading).
    """
    values = module_assignments(module, name)
    if not values or (len(values) == 1 and not isinstance(values[0], ast.Call)):
        return None
    scope = vars(module)
    kinds: list[str] = []
    for node in values:
        if isinstance(node, ast.Constant):
            kinds.append("None" if node.value is None else type(node.value).__name__)
            continue
        function = called_function(node, scope)
        returns = None
        if function is not None:
            declared = inspect.signature(function).return_annotation
            returns = annotation(walk, declared, getattr(function, "__globals__", scope))
        if returns is None:
            if len(values) == 1:
                return None  # one call the source cannot type: its value's type stands
            return Attribute(name=name, path=path, type="typing.Any")
        kinds.append(returns)
    kinds.sort(key=lambda kind: kind == "None")  # Optional's order: None last
    return Attribute(name=name, path=path, type=" | ".join(dict.fromkeys(kinds)))


def _make_function(walk: WalkState, fn: Any, name: str, path: str, kind: FunctionKind) -> Function:
    """Model a function with the reader of its binding (:mod:`stubgen.load.readers`)."""
    reader = function_reader(fn)
    func = Function(
        name=name,
        path=path,
        runtime_path=reader.runtime_path(fn, name),
        kind=kind,
        binding=reader.binding,
        overloads=reader.overloads(walk, fn, name, path, kind),
    )
    if func.binding != "python" and kind == "method":
        for overload in func.overloads:
            overload.returns = enforced_result(name, overload.returns) or overload.returns
    func.doc_only_on_last = doc_only_on_last(func.overloads)
    return func


def _forwarding_method(walk: WalkState, method: Any, target: Any, name: str, path: str) -> Function:
    """Model a Python method that passes ``*args, **kwargs`` on to a bound function.

    Each overload of ``target`` becomes one of the method, ``self`` first; the method's own
    docstring goes to the last overload when the target documents none.
    """
    bound = _make_function(walk, target, name, path, "function")
    self_parameter = Parameter("self", "positional_or_keyword")
    for overload in bound.overloads:
        overload.parameters = [self_parameter, *overload.parameters]
    if all(o.doc is None for o in bound.overloads) and bound.overloads:
        bound.overloads[-1].doc = walk.doc(getattr(method, "__doc__", None))
    bound.doc_only_on_last = doc_only_on_last(bound.overloads)
    return dataclasses.replace(
        bound, kind="method", binding="python", runtime_path=runtime_path(method)
    )


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


def _make_class(walk: WalkState, cls: type, path: str) -> Class:
    node = Class(
        name=path.rsplit(".", 1)[-1],  # the public name; __name__ may differ (even be dotted)
        path=path,
        runtime_path=runtime_path(cls),
        bases=_bases(walk, cls),
        doc=walk.doc(_class_doc(cls)),
        binding=class_binding(cls),
        is_enum=isinstance(cls, enum.EnumMeta) or _int_enum(cls),
        is_exception=issubclass(cls, BaseException),
    )
    signature = cls.__dict__.get("__nb_signature__")
    if isinstance(signature, str):
        node.signature = signature
    if node.is_enum:
        node.members = _enum_members(walk, cls)
    # Looked up for every attribute of the class: built once (an enum of 20,000 members).
    enum_names = frozenset(m.name for m in node.members)
    # A function the class holds under a second name (lt_alias = __lt__, pyopencl's
    # set_arg_types = set_scalar_arg_dtypes) is an alias of the first: the stubs write
    # 'lt_alias = __lt__', so the two cannot disagree.
    first_names: dict[int, str] = {}
    second_names: list[tuple[str, Any, str]] = []
    fields = _tuple_fields(cls)
    for attr, raw in vars(cls).items():
        if fields is not None and (attr in fields or attr in _NAMEDTUPLE_MADE):
            continue  # the fields are written from their declarations, below
        if _is_function_object(raw) and is_public(attr):
            first = first_names.setdefault(id(raw), attr)
            # A name object defines (islpy's __eq__ = eq) stays a method of its own: type
            # checkers hold it to object's signature, and the override gets its ignore.
            if first != attr and attr not in _OBJECT_NAMES:
                second_names.append((attr, raw, first))
                continue
        _add_member_safely(walk, node, cls, attr, raw, f"{path}.{attr}", enum_names)
    kept = {f.name for f in node.functions}
    for attr, raw, first in second_names:
        # An alias where the first name is API the stub writes (not enum's __repr__ = __str__).
        if first in kept:
            node.aliases[attr] = first
        else:
            _add_member_safely(walk, node, cls, attr, raw, f"{path}.{attr}", enum_names)
    if fields is not None:
        node.attributes += _field_attributes(walk, cls, path, fields)
    node.attributes += declared_attributes(walk, cls, path, {a.name for a in node.attributes})
    if node.binding == "python":
        node.attributes += _instance_attributes(walk, cls, path, node)
        for attribute in node.attributes:
            attribute.overrides = _foreign_property(cls, attribute.name, walk.root)
    return node


def _foreign_property(cls: type, name: str, package: str) -> str | None:
    """Return the class of another package whose property ``name`` overrides, if one does."""
    top = package.split(".")[0]
    for base in cls.__mro__[1:]:
        if str(getattr(base, "__module__", "")).split(".")[0] == top:
            continue
        if isinstance(vars(base).get(name), property):
            return runtime_path(base)
    return None


def _add_member_safely(
    walk: WalkState,
    node: Class,
    cls: type,
    attr: str,
    raw: Any,
    member_path: str,
    enum_names: frozenset[str],
) -> None:
    """Add one class member; an error becomes a load error of that member alone."""
    try:
        _add_class_member(walk, node, cls, attr, raw, member_path, enum_names)
    except Exception as exc:
        record_error(walk.errors, member_path, exc)


def _instance_attributes(walk: WalkState, cls: type, path: str, node: Class) -> list[Attribute]:
    """Model what a Python class's ``__init__`` assigns from the package (``self.ops = ops``).

    A module becomes an attribute of type ``types.ModuleType`` whose value is the module's
    public path (the stubs alias the module there); a class, one of type ``type[Class]``.
    """
    known = {a.name for a in node.attributes} | {f.name for f in node.functions}
    known |= {p.name for p in node.properties}
    result = []
    for name, value in init_assignments(cls).items():
        public = walk.paths.get(id(value))
        if name in known or public is None:
            continue
        if isinstance(value, types.ModuleType):
            result.append(Attribute(name, f"{path}.{name}", "types.ModuleType", public))
        elif isinstance(value, type):
            result.append(Attribute(name, f"{path}.{name}", f"type[{public}]"))
    return result


def _is_function_object(raw: object) -> bool:
    """Tell whether ``raw`` is a function a class may hold under two names."""
    return is_bound_function(raw) or type(raw).__name__ == "instancemethod"


# What namedtuple() and typing.NamedTuple write into the class besides the fields.
_NAMEDTUPLE_MADE = frozenset({"__new__", "__repr__", "__getnewargs__", "__match_args__"})


def _tuple_fields(cls: type) -> tuple[str, ...] | None:
    """Return a named tuple's fields (``typing.NamedTuple`` or ``namedtuple()``), else None."""
    fields = cls.__dict__.get("_fields")
    if not (issubclass(cls, tuple) and isinstance(fields, tuple)):
        return None
    getters = [type(cls.__dict__.get(f)).__name__ for f in fields if isinstance(f, str)]
    if getters != ["_tuplegetter"] * len(fields):
        return None
    return fields


def _field_attributes(
    walk: WalkState, cls: type, path: str, fields: tuple[str, ...]
) -> list[Attribute]:
    """Model each field of a named tuple: its declared type (Any without one), its default.

    A field with a default is written ``name: T = ...``, so that omitting it type-checks.
    """
    declared = inspect.get_annotations(cls)
    scope = getattr(sys.modules.get(cls.__module__), "__dict__", {})
    defaults = cls.__dict__.get("_field_defaults", {})
    result = []
    for name in fields:
        text = annotation(walk, declared[name], scope) if name in declared else None
        value = "..." if name in defaults else None
        result.append(Attribute(name, f"{path}.{name}", text or "typing.Any", value))
    return result


def _class_doc(cls: type) -> object:
    return pb_enum_doc(cls) if is_pb_enum(cls) else cls.__dict__.get("__doc__")


def _bases(walk: WalkState, cls: type) -> list[str]:
    """Name the bases, with the parameters of generic ones (``Base[A, B]``) as Python kept them."""
    if _int_enum(cls):
        return ["enum.Enum"]  # a py::enum_ has members, name and value as an Enum has
    bases = cls.__dict__.get("__orig_bases__")
    if _tuple_fields(cls) is not None and cls.__bases__ == (tuple,):
        return ["typing.NamedTuple"]  # its __bases__ say tuple; NamedTuple is a function
    if typing.is_typeddict(cls) and isinstance(bases, tuple):
        # class Opts(TypedDict): its __bases__ say dict, and TypedDict is a function.
        return [
            "typing.TypedDict"
            if getattr(b, "__name__", None) == "TypedDict"
            else typing_text(walk, b)
            for b in bases
        ]
    # class TagList(Iterable[Tag]): typing adds a bare Generic to __bases__ (invalid in a
    # stub), which __orig_bases__ does not have.
    plain = tuple(b for b in cls.__bases__ if b is not typing.Generic)
    if not isinstance(bases, tuple) or len(bases) not in (len(cls.__bases__), len(plain)):
        bases = plain
    return [typing_text(walk, b) for b in bases if b is not object and not is_pb_root(b)]


# What a classic py::enum_ has beyond enum.Enum, which its stub derives from: conversions to
# int (int(member), a member as an index). The rest (__eq__, __hash__, ...) Enum has.
# What enum.Enum itself defines of a classic enum's dunders: the stub leaves them to Enum.
# Its other dunders, the operators of py::arithmetic() among them, are the enum's own API.
_ENUM_OWN = frozenset(
    "__eq__ __ne__ __hash__ __repr__ __str__ __format__ __getstate__ __setstate__ __init__"
    " __new__ __members__ __reduce_ex__ __dir__ __doc__ __module__".split()
)
_OBJECT_NAMES = frozenset(dir(object))


def _int_enum(cls: type) -> bool:
    """Tell whether ``cls`` is an enum that is no ``enum.Enum``: pybind11's, nanobind 1's."""
    return is_pb_enum(cls) or legacy_enum_entries(cls) is not None


def _enum_api(cls: type, attr: str, raw: object) -> bool:
    """Tell whether an enum's own function is API its stub must carry."""
    if attr in _ENUM_OWN:
        return False  # Enum has it (the class-level mapping __members__ too)
    if isinstance(raw, property) or type(raw).__name__ == "nb_static_property":
        return True  # def_prop_ro on the enum class: each member has it
    if _int_enum(cls) and attr.startswith("__"):
        return True
    if is_nb_function(raw):
        return True
    # A function the package itself put on the enum (pyopencl's program_kind.to_string).
    function = getattr(raw, "__func__", raw)
    owner = str(getattr(function, "__module__", "") or "")
    package = str(cls.__module__ or "").split(".")[0]
    return isinstance(function, types.FunctionType) and owner.split(".")[0] == package


def _add_class_member(
    walk: WalkState,
    node: Class,
    cls: type,
    attr: str,
    raw: Any,
    path: str,
    enum_names: frozenset[str],
) -> None:
    if attr in _CLASS_NOISE or not is_public(attr) or not attr.isidentifier():
        return  # nanobind 1 enums keep their members in '@entries'
    if node.is_enum and (attr in enum_names or not _enum_api(cls, attr, raw)):
        return
    no_constructor = node.binding != "python"
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
        forwarded = forwarded_function(target) if kind == "method" else None
        if forwarded is not None and is_binding_object(forwarded):
            node.functions.append(_forwarding_method(walk, target, forwarded, attr, path))
            return
        func = _make_function(walk, target, attr, path, kind)
        if func.binding == "pybind11":
            func.runtime_path = f"{runtime_path(cls)}.{attr}"
            _drop_not_implemented(func)
        node.functions.append(func)
        return
    if attr.startswith("__") or (callable(raw) and not is_nb_function(raw)):
        return
    node.attributes.append(_make_attribute(walk, raw, attr, path))


def _drop_not_implemented(func: Function) -> None:
    """Drop pybind11's ``(self, other: object) -> None`` fallback of an operator.

    py::arithmetic() and the enum's comparisons add it so that Python tries the other
    operand (it returns NotImplemented); as an overload it would only claim that comparing
    with anything else gives None, which type checkers reject as an overlap.
    """
    if not (func.name.startswith("__") and len(func.overloads) > 1):
        return
    kept = [
        o
        for o in func.overloads
        if not (
            o.returns == "None"
            and len(o.parameters) == 2
            and o.parameters[1].annotation == "object"
        )
    ]
    if kept:
        func.overloads = kept


def _enum_members(walk: WalkState, cls: Any) -> list[EnumMember]:
    members = []
    legacy = legacy_enum_entries(cls)
    if legacy is not None:
        for name, (value, text) in legacy.items():
            members.append(EnumMember(name=name, value=safe_repr(value), doc=walk.doc(text)))
        return members
    pb_docs = pb_enum_member_docs(cls) if is_pb_enum(cls) else {}
    for name, member in getattr(cls, "__members__", {}).items():
        doc = vars(member).get("__doc__") if hasattr(member, "__dict__") else None
        doc = pb_docs.get(name) if doc is None else doc
        # _value_, not .value: a member named 'value' hides Enum's property of that name.
        value = getattr(member, "_value_", getattr(member, "value", None))
        members.append(EnumMember(name=name, value=safe_repr(value), doc=walk.doc(doc)))
    return members


def _accessor(walk: WalkState, fn: Any, path: str) -> Overload | None:
    if fn is None:
        return None
    if type(fn).__name__ == "instancemethod":  # pybind11's def_readwrite accessors
        fn = fn.__func__
    return function_reader(fn).accessor(walk, fn, path)


def _make_property(walk: WalkState, prop: Any, name: str, path: str) -> Property:
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
        static=type(prop).__name__ in ("nb_static_property", "pybind11_static_property"),
        getter=getter,
        setter=setter,
        doc=doc,
    )


_DOTTED = re.compile(r"[^\W\d][\w]*(?:\.[^\W\d]\w*)+")


def _identity_resolver(walk: WalkState, root: str) -> Callable[[str], str | None]:
    """Return a lookup of a dotted name of the package by what the runtime holds there.

    A class whose ``__module__`` the package rewrote after binding it (boost-histogram's
    ``Mean`` reports ``boost_histogram.accumulators``; its pybind11 signatures still say
    ``boost_histogram._core.accumulators.Mean``) is found by identity at the path the
    signature names.
    """
    top = root.split(".")[0]

    def resolve(dotted: str) -> str | None:
        parts = dotted.split(".")
        if parts[0] != top:
            return None
        for cut in range(len(parts) - 1, 0, -1):
            value: object = sys.modules.get(".".join(parts[:cut]))
            if value is None:
                continue
            value = follow(value, parts[cut:], static=True)
            return walk.paths.get(id(value))
        return None

    return resolve


def _publish_annotations(
    model: ApiModel, public: dict[str, str], identity: Callable[[str], str | None]
) -> None:
    """Rewrite runtime paths in annotations and base lists (``pkg._C.Val``) to public paths.

    A path no object reports as its own is looked up by identity (``identity``).
    """
    rewritten: dict[str, str] = {}

    def publish(dotted: str) -> str:
        # The longest known prefix: pkg._C.DataType.Null is pkg._C.DataType's member Null.
        head, rest = dotted, ""
        while head not in public and "." in head:
            head, _, last = head.rpartition(".")
            rest = f".{last}{rest}"
        if head in public:
            return public[head] + rest
        return identity(dotted) or dotted

    def rewrite(text: str | None) -> str | None:
        if text is None:
            return None
        if text not in rewritten:
            rewritten[text] = _DOTTED.sub(lambda m: publish(m.group(0)), text)
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
            overload(p.getter, c.binding == "nanobind")
            overload(p.setter, c.binding == "nanobind")
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
