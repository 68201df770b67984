"""Python's own objects.

Functions read with ``inspect``, C slot wrappers typed from the data model, class
annotations, and runtime typing objects written as expressions.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import inspect
import linecache
import re
import sys
import types
import typing
from typing import Any

from stubgen.load.declared import Declared
from stubgen.load.external import NAME_OR_STRING
from stubgen.load.nanobind import is_nb_type
from stubgen.load.python_source import returns_self
from stubgen.load.slots import SLOT_SIGNATURES, slot_annotations
from stubgen.load.state import WalkState, is_public, runtime_path, safe_repr, unknown_signature
from stubgen.model.api import Attribute, FunctionKind, Overload, Parameter, ParameterKind

_KINDS: dict[Any, ParameterKind] = {
    inspect.Parameter.POSITIONAL_ONLY: "positional_only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
    inspect.Parameter.VAR_POSITIONAL: "var_positional",
    inspect.Parameter.KEYWORD_ONLY: "keyword_only",
    inspect.Parameter.VAR_KEYWORD: "var_keyword",
}


class PythonReader:
    """The :class:`~stubgen.load.readers.BindingReader` of Python's own functions and classes.

    It reads what no other reader owns: functions, builtins, C slot wrappers, cached
    functions, and every class no binding made.
    """

    binding = "python"

    def owns_function(self, obj: object) -> bool:
        """Tell whether ``obj`` is a function written in Python."""
        return isinstance(obj, types.FunctionType)

    def owns_class(self, obj: object) -> bool:
        """Tell whether ``obj`` is a class (any: the fallback of every other reader)."""
        return isinstance(obj, type)

    def runtime_path(self, fn: Any, name: str) -> str:
        """Return where the runtime says ``fn`` lives."""
        return runtime_path(fn)

    def overloads(
        self, walk: WalkState, fn: Any, name: str, path: str, kind: FunctionKind
    ) -> list[Overload]:
        """Read the function with ``inspect``: its ``typing.overload`` declarations, if any."""
        # typing.overload records the declared overloads of a Python function, as stubs want.
        declared = typing.get_overloads(fn) if inspect.isfunction(fn) else []
        overloads = [python_overload(walk, f, name) for f in declared or [fn]]
        if is_cached_function(fn):
            # onnx's helper.np_dtype_to_tensor_dtype: a function with cache_clear() and
            # cache_info(), as the decorator makes it for type checkers too.
            for overload in overloads:
                overload.decorators = ["@functools.lru_cache", *overload.decorators]
        if declared and all(o.doc is None for o in overloads):
            overloads[-1].doc = walk.doc(getattr(fn, "__doc__", None))
        return overloads

    def accessor(self, walk: WalkState, fn: Any, path: str) -> Overload | None:
        """Read a property's getter or setter with ``inspect``."""
        return python_overload(walk, fn, getattr(fn, "__name__", "") or "")

    def declared(self, fn: Any, *, bound: bool, probe: bool) -> list[Declared] | None:
        """Return None: a Python function declares its signature to ``inspect`` itself."""
        return None


def is_cached_function(value: object) -> bool:
    """Tell whether ``value`` is a Python function wrapped by ``functools.lru_cache``/``cache``."""
    return type(value).__name__ == "_lru_cache_wrapper" and inspect.isfunction(
        getattr(value, "__wrapped__", None)
    )


def python_overload(walk: WalkState, fn: Any, name: str) -> Overload:
    """One overload of a Python function or C slot wrapper, read with ``inspect``."""
    if not isinstance(fn, SLOT_TYPES):
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


def _read_python_overload(walk: WalkState, fn: Any, name: str) -> Overload:
    overload = Overload(signature="", source="python", doc=walk.doc(getattr(fn, "__doc__", None)))
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError) as exc:
        unknown_signature(overload, f"no signature: {exc}")
        if isinstance(fn, SLOT_TYPES):
            _untold_slot(overload, name)
        return overload
    scope = getattr(inspect.unwrap(fn), "__globals__", {})
    for p in sig.parameters.values():
        param = Parameter(
            name=p.name, kind=_KINDS[p.kind], annotation=annotation(walk, p.annotation, scope)
        )
        if p.default is not inspect.Parameter.empty:
            value = walk.default_value(p.default)
            param.has_default = True
            param.default = value.expression
            param.default_representable = value.expression is not None
            param.default_repr = value.repr
        overload.parameters.append(param)
    overload.returns = annotation(walk, sig.return_annotation, scope)
    if overload.returns is None and returns_self(fn):
        overload.returns = "typing.Self"
    overload.signature = f"def {name}{sig}"
    overload.ignore = _source_ignore(fn)
    if isinstance(fn, SLOT_TYPES):
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


SLOT_TYPES = (types.WrapperDescriptorType, types.MethodWrapperType, types.MethodDescriptorType)


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


def annotation(walk: WalkState, value: object, scope: dict[str, Any]) -> str | None:
    """Write a live annotation (an object, or a string in ``scope``) as text; None if absent."""
    if value is inspect.Parameter.empty:
        return None
    if isinstance(value, str):
        return _qualify(walk, value, scope)
    return typing_text(walk, value)


_FORWARD_REFERENCE = re.compile(r"[\w.\[\], |]+")


def _qualify(walk: WalkState, text: str, scope: dict[str, Any]) -> str:
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


def declared_attributes(walk: WalkState, cls: type, path: str, known: set[str]) -> list[Attribute]:
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
        text = annotation(walk, value, scope)
        if text is not None and not text.startswith(("ClassVar", "typing.ClassVar")):
            result.append(Attribute(name=name, path=f"{path}.{name}", type=text))
    return result


_TYPE_ALIAS = re.compile(r"(?:[\w.]+\.)?TypeAlias")


def declared_alias(
    walk: WalkState, module: types.ModuleType, name: str, value: object, path: str
) -> Attribute | None:
    """Model ``Name: TypeAlias = "A | B"``: a type alias written as a string is still one.

    Its value at run time is the string (boost-histogram's ``IndexingExpr``); read as a plain
    ``str`` attribute, it would make every annotation naming it invalid. Its names are
    written as what they mean in the module.
    """
    if not isinstance(value, str) or not declares_type_alias(module, name):
        return None
    return Attribute(name, path, "typing.TypeAlias", _qualify(walk, value, vars(module)))


def declares_type_alias(module: types.ModuleType, name: str) -> bool:
    """Tell whether ``module`` annotates ``name`` as a ``TypeAlias`` (``X: TypeAlias = ...``)."""
    declared = getattr(module, "__dict__", {}).get("__annotations__")
    kind = declared.get(name) if isinstance(declared, dict) else None
    return kind is typing.TypeAlias or (
        isinstance(kind, str) and _TYPE_ALIAS.fullmatch(kind.strip()) is not None
    )


TYPE_VARIABLES = (typing.TypeVar, typing.ParamSpec, typing.TypeVarTuple)


def library_alias(value: object, name: str, package: str) -> str | None:
    """Return where another package defines the generic alias ``value`` under ``name``.

    iminuit's ``typing.NDArray`` is numpy's (``from numpy.typing import NDArray``): the
    stub re-exports numpy's alias rather than spelling out what it stands for today. An
    alias of ``package`` itself (drjit's ``AnyArray``) is its own, and None.
    """
    origin = typing.get_origin(value)
    home = getattr(origin, "__module__", None)
    if not isinstance(home, str):
        return None
    top = home.split(".")[0]
    if top == package.split(".")[0]:
        return None
    for candidate in dict.fromkeys((home, f"{home}.typing", f"{top}.typing", top)):
        module = sys.modules.get(candidate)
        if module is not None and vars(module).get(name) is value:
            return f"{candidate}.{name}"
    return None


def typing_export(value: object) -> str | None:
    """Return the name under which ``value`` is a member of ``typing`` (``Optional``), if it is."""
    if type(value).__module__ != "typing" or isinstance(value, TYPE_VARIABLES):
        return None
    name = getattr(value, "_name", None) or getattr(value, "__name__", None)
    if isinstance(name, str) and getattr(typing, name, None) is value:
        return name
    return None


def typing_text(walk: WalkState, value: Any) -> str:
    """Write a runtime typing object (``Union[A, B]``, ``list[A]``, a class) as an expression."""
    if isinstance(value, typing.ForwardRef):
        return value.__forward_arg__
    if isinstance(value, str):  # a forward reference left as a string: Base["Name"]
        return value
    if isinstance(value, TYPE_VARIABLES):
        return value.__name__
    if value is None or value is type(None):
        return "None"
    if value is Ellipsis:
        return "..."
    if isinstance(value, list):
        return "[" + ", ".join(typing_text(walk, v) for v in value) + "]"
    origin, args = typing.get_origin(value), typing.get_args(value)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(typing_text(walk, a) for a in args)
    if origin is typing.Literal:
        return "typing.Literal[" + ", ".join(repr(a) for a in args) + "]"
    if origin is not None and args:
        head = "typing.Callable" if origin is collections.abc.Callable else walk.type_name(origin)
        return f"{head}[{', '.join(typing_text(walk, a) for a in args)}]"
    if isinstance(value, type):
        return walk.type_name(value)
    return safe_repr(value).replace("~", "")


def _type_parameter_default(walk: WalkState, value: Any) -> list[str]:
    """Return ``["default=T"]`` for a PEP 696 default (Python 3.13, typing_extensions)."""
    has_default = getattr(value, "has_default", None)
    if not callable(has_default) or not has_default():
        return []
    default = value.__default__
    if isinstance(default, (list, tuple)):  # a ParamSpec's default: a list of types
        return ["default=[" + ", ".join(typing_text(walk, d) for d in default) + "]"]
    return [f"default={typing_text(walk, default)}"]


def typing_attribute(walk: WalkState, value: Any, name: str, path: str) -> Attribute | None:
    """Model a TypeVar, ParamSpec, TypeVarTuple or runtime alias so stubs can declare it."""
    if isinstance(value, typing.TypeVar):
        args = [repr(value.__name__)]
        args += [typing_text(walk, c) for c in value.__constraints__]
        if value.__bound__ is not None:
            args.append(f"bound={typing_text(walk, value.__bound__)}")
        if value.__covariant__:
            args.append("covariant=True")
        if value.__contravariant__:
            args.append("contravariant=True")
        args += _type_parameter_default(walk, value)
        return Attribute(name=name, path=path, type="typing.TypeVar", value=", ".join(args))
    if isinstance(value, (typing.ParamSpec, typing.TypeVarTuple)):
        args = [repr(value.__name__), *_type_parameter_default(walk, value)]
        return Attribute(name, path, f"typing.{type(value).__name__}", ", ".join(args))
    is_alias = isinstance(value, (types.GenericAlias, types.UnionType)) or (
        typing.get_origin(value) is not None and type(value).__module__ == "typing"
    )
    if is_alias:
        return Attribute(name, path, "typing.TypeAlias", typing_text(walk, value))
    return None
