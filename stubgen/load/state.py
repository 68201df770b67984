"""What the readers of every binding share.

The walk's state (public paths, texts parsed once, errors), and how a live object is named
and shown.
"""

from __future__ import annotations

import builtins
import enum
import math
import re
import types
from dataclasses import dataclass, field
from typing import Any

from stubgen.model.api import Docstring, Overload, Parameter, SignatureSource
from stubgen.parse.signature import (
    DefaultValue,
    ParsedSignature,
    SignatureError,
    literal_default,
    parse_signature,
    stable_repr,
)

# nanobind.stubgen's -P: members with a single leading underscore are API too.
_PRIVATE_MEMBERS = {"on": False}


def include_private_members(on: bool) -> None:
    """Count members named ``_x`` as API in this process (``nbapi stubs -P``)."""
    _PRIVATE_MEMBERS["on"] = on


def is_public(name: str) -> bool:
    """Tell whether a member name is public API (``bool_`` and dunders are, ``_C`` is not).

    With :func:`include_private_members`, ``_x`` is too (``__x``, name-mangled, is not).
    """
    if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
        return True
    return _PRIVATE_MEMBERS["on"] and not name.startswith("__")


def runtime_path(obj: Any) -> str:
    """Return ``module.qualname`` where the object is really defined.

    A class of the interpreter that ``builtins`` does not hold under its name (the
    traceback, function and frame types) is named where ``types`` exports it.
    """
    module = getattr(obj, "__module__", None) or "builtins"
    name = getattr(obj, "__qualname__", getattr(obj, "__name__", "?"))
    if module == "builtins" and isinstance(obj, type) and getattr(builtins, name, None) is not obj:
        exported = _TYPES_NAMES.get(obj)
        if exported is not None:
            return f"types.{exported}"
    return f"{module}.{name}"


_TYPES_NAMES: dict[type, str] = {}
for _name, _value in sorted(vars(types).items()):
    if isinstance(_value, type) and not _name.startswith("_"):
        _TYPES_NAMES.setdefault(_value, _name)  # FunctionType before LambdaType


def safe_repr(obj: object) -> str:
    """Return ``repr(obj)`` with addresses as ``0x...``, or a placeholder if repr fails.

    A set's items are written sorted: its own order follows the string hash seed, which
    differs between runs (pikepdf's ``ALL_PAGE_LOCATION_KWARGS``), and the output must not.
    """
    try:
        if isinstance(obj, (set, frozenset)) and type(obj) in (set, frozenset) and obj:
            inner = "{" + ", ".join(sorted(repr(item) for item in obj)) + "}"
            return stable_repr(inner if type(obj) is set else f"frozenset({inner})")
        return stable_repr(repr(obj))
    except Exception as exc:
        return f"<repr failed: {type(exc).__name__}>"


_BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass
class WalkState:
    """State of one walk: public paths of the objects seen so far and the errors met."""

    root: str
    probe: bool = True
    # False when only the stubs are wanted: they write docstrings as they are, so each
    # stays raw (no numpydoc, no type grammar imported) and a docstring-only signature is
    # left unknown, as the stubs write it anyway (:func:`docstring_signature`).
    parse_docs: bool = True
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
    _by_name: dict[str, set[str]] | None = field(default=None, repr=False)
    slot_overloads: dict[tuple[type, str, str | None, str | None], Overload] = field(
        default_factory=dict
    )

    def doc(self, text: object) -> Docstring | None:
        """Parse a docstring if there is one (non-empty string), else return None."""
        if not isinstance(text, str):
            return None
        if text not in self.docs:
            if not text.strip():
                self.docs[text] = None
            elif self.parse_docs:
                from stubgen.parse.docstring import parse_docstring

                self.docs[text] = parse_docstring(text)
            else:
                self.docs[text] = Docstring(raw=text)
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

    def resolve_names(self, text: str) -> str:
        """Write the bare names of a docstring's type as the package's public paths.

        A name that is a builtin, or that no single public object of the walk carries, is
        left as written (the stubs and docs resolve or report it).
        """
        if self._by_name is None:
            self._by_name = {}
            for path in self.paths.values():
                self._by_name.setdefault(path.rpartition(".")[2], set()).add(path)

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            found = self._by_name.get(name, set()) if self._by_name is not None else set()
            if name in _BUILTIN_NAMES or len(found) != 1:
                return name
            return next(iter(found))

        return _BARE.sub(replace, text)

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
        name = str(getattr(tp, "__qualname__", ""))
        if getattr(tp, "__module__", None) == "builtins" and getattr(builtins, name, None) is tp:
            return name
        return runtime_path(tp)

    def default_value(self, value: object) -> DefaultValue:
        """Turn a live default value into an expression where one exists."""
        text = safe_repr(value)
        if isinstance(value, enum.Enum):
            # _name_, not .name: a member named 'name' hides Enum's property of that name.
            return DefaultValue(f"{self.type_name(type(value))}.{value._name_}", text)
        if isinstance(value, float) and not math.isfinite(value):
            return DefaultValue(f'float("{value}")', text)
        if type(value).__module__ != "builtins":
            # An object whose repr reads as a literal is still no literal: drjit's empty
            # Array0f prints '[]', a list would be the wrong type in a stub.
            return DefaultValue(None, text)
        return literal_default(text)


def parsed_overload(
    walk: WalkState,
    text: str,
    defaults: list[DefaultValue] | None,
    doc: Docstring | None,
    path: str,
    source: SignatureSource | None = None,
) -> Overload:
    """Return the overload of signature ``text``; a parse error is kept on it and in the walk."""
    parsed = walk.signature(text, defaults, source)
    if isinstance(parsed, str):
        walk.errors.append(f"{path}: unparsable signature {text!r}: {parsed}")
        overload = Overload(signature=text, doc=doc)
        return unknown_signature(overload, f"unparsable signature {text!r}: {parsed}")
    return parsed.to_overload(doc)


def unknown_signature(overload: Overload, reason: str) -> Overload:
    """Make ``overload`` take anything, ``(*args, **kwargs)``, because ``reason`` left it unknown.

    A stub must never reject a call the runtime accepts: without a signature, any call may
    be right. The reason is kept as ``parse_error`` for the findings that report it.
    """
    overload.parameters = [Parameter("args", "var_positional"), Parameter("kwargs", "var_keyword")]
    overload.returns = None
    overload.source = "none"
    overload.parse_error = reason
    return overload


_BARE = re.compile(r"(?<![\w.'\"])([^\W\d]\w*)(?![\w.'\"])")


def docstring_signature(walk: WalkState, overload: Overload, reason: str) -> Overload:
    """Give an overload without a signature the one its docstring's sections describe.

    Names and types come from the Parameters section (numpydoc type phrases translated by
    :func:`stubgen.parse.doctypes.doctype`, bare names resolved to the package's public
    paths), the result from Returns. ``source`` is ``"docstring"``: the docs show it, marked;
    the stubs still accept anything, since a docstring may name what the binding does not.
    Without a Parameters section the overload takes anything (:func:`unknown_signature`).
    """
    unknown_signature(overload, reason)
    doc = overload.doc
    if doc is None or not doc.parameters:
        return overload
    from stubgen.parse.doctypes import doctype

    parameters = []
    for item in doc.parameters:
        documented = doctype(item.type) if item.type else None
        for name in (n.strip() for n in item.name.split(",")):
            if not name.isidentifier():
                return overload
            parameter = Parameter(name, "positional_or_keyword")
            if documented is not None:
                parameter.annotation = walk.resolve_names(documented.annotation)
                if documented.optional:
                    parameter.has_default = True
                    parameter.default_representable = False
                    parameter.default_repr = "optional"
            parameters.append(parameter)
    overload.parameters = parameters
    results = [doctype(r.type) for r in doc.returns if r.type]
    if results and all(r is not None for r in results):
        texts = [walk.resolve_names(r.annotation) for r in results if r is not None]
        overload.returns = texts[0] if len(texts) == 1 else f"tuple[{', '.join(texts)}]"
    overload.source = "docstring"
    return overload
