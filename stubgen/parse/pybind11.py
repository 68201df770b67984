r"""Read what pybind11 writes into ``__doc__``: one signature line and docstring per overload.

pybind11 has no ``__nb_signature__``. Its functions carry their signatures as the first line
of ``__doc__`` (``name(arg0: int, x: float = 1.0) -> int``, a blank line, the docstring). An
overloaded function starts with ``name(*args, **kwargs)`` and ``Overloaded function.``, then
numbered blocks, each a signature line and that overload's own docstring. Types without a
Python binding are written as their C++ names (``tf::Device``, ``std::vector<Foo>``) and
default values as their repr (``<DataType.Double: 1>``, ``<mod.Params object at 0x...>``)
unless the binding gave a description with ``py::arg_v``.

This module turns that text into what nanobind gives: ``def NAME(PARAMS) -> RETURN`` with the
C++ names double-quoted (nanobind's spelling of an unbound type) and each default replaced by
a ``\N`` placeholder with its :class:`~stubgen.parse.signature.DefaultValue`, so the rest of
the pipeline reads both bindings the same way.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from stubgen.model.text import split_top_level
from stubgen.parse.signature import (
    DefaultValue,
    SignatureError,
    literal_default,
    matching_paren,
    stable_repr,
)

_OVERLOADED = "Overloaded function."
# A C++ type name: a qualified name (a::b) or a template (name<...>), with cv and pointers;
# types in an anonymous namespace are written "(anonymous namespace)::Name".
_ANONYMOUS = "(anonymous namespace)::"
_CPP_START = re.compile(r"\(anonymous namespace\)::|(?<![\w.\"'])[A-Za-z_]\w*(?=::|<)")
_ENUM_REPR = re.compile(r"<([A-Za-z_]\w*)\.([A-Za-z_]\w*): [^<>]*>")
_AUTO_NAME = re.compile(r"arg\d+")
_NON_FINITE = {"inf": 'float("inf")', "-inf": 'float("-inf")', "nan": 'float("nan")'}


@dataclass(frozen=True)
class PybindSignature:
    """One pybind11 signature line, rewritten as nanobind writes ``__nb_signature__``."""

    text: str
    defaults: list[DefaultValue]


def split_overloads(name: str, doc: str) -> list[tuple[str, str | None]]:
    """Split a pybind11 function's ``__doc__`` into (signature line, docstring) per overload.

    Parameters
    ----------
    name : str
        The function's ``__name__``; empty for a property accessor, whose line starts with
        ``(``.
    doc : str
        The function's ``__doc__``.

    Returns
    -------
    list of tuple of (str, str or None)
        One pair per overload; empty when the text does not start with a signature (a module
        built with ``py::options::disable_function_signatures()``).
    """
    lines = doc.split("\n")
    head = re.compile(rf"{re.escape(name)}\(")
    if len(lines) > 1 and lines[1] == _OVERLOADED and head.match(lines[0]):
        blocks: list[tuple[str, list[str]]] = []
        number = 1
        for line in lines[2:]:
            prefix = f"{number}. "
            if line.startswith(prefix) and head.match(line, len(prefix)):
                blocks.append((line[len(prefix) :], []))
                number += 1
            elif blocks:
                blocks[-1][1].append(line)
        return [(signature, _docstring(body)) for signature, body in blocks]
    if not lines or not head.match(lines[0]):
        return []
    return [(lines[0], _docstring(lines[1:]))]


def _docstring(lines: list[str]) -> str | None:
    text = "\n".join(lines).strip("\n")
    return text + "\n" if text.strip() else None


# Bindings repeat signature lines and types (nvFuser's ops: 710 lines, a third distinct, each
# naming the same variant of eleven types): each is translated once.
@functools.lru_cache(maxsize=8192)
def translate(line: str, *, method: bool) -> PybindSignature:
    r"""Turn one pybind11 signature line into nanobind-style text and defaults.

    Parameters
    ----------
    line : str
        ``name(PARAMS) -> RETURN`` as pybind11 writes it.
    method : bool
        True for methods and property accessors: their first parameter is ``self``, which
        pybind11 annotates with the class (or calls ``arg0`` on an accessor).

    Returns
    -------
    PybindSignature
        ``def name(PARAMS) -> RETURN`` with C++ names quoted, ``\N`` placeholders for the
        defaults, and ``/`` after unnamed (``argN``) parameters, which pybind11 only takes
        by position.

    Raises
    ------
    SignatureError
        If the line has no balanced parameter list.
    """
    open_index = line.find("(")
    if open_index < 0:
        raise SignatureError(f"no parameter list in {line[:60]!r}")
    close = matching_paren(line, open_index)
    name = line[:open_index].strip()
    rest = line[close + 1 :].strip()
    returns = ""
    if rest.startswith("->"):
        returns = " -> " + _unique_union(quote_cpp(rest[2:].strip()))
    elif rest:
        raise SignatureError(f"unexpected text after the parameter list: {rest[:40]!r}")
    # Quoted first, so that the commas of C++ templates (std::map<K, V>) split nothing.
    inside = quote_cpp(line[open_index + 1 : close])
    pieces = [p.strip() for p in split_top_level(inside, ",") if p.strip()]
    params: list[str] = []
    defaults: list[DefaultValue] = []
    for index, piece in enumerate(pieces):
        head, *default_parts = split_top_level(piece, "=")
        pname, _, annotation = head.partition(":")
        pname, annotation = pname.strip(), _unique_union(annotation.strip())
        if method and index == 0 and not pname.startswith("*"):
            params.append("self")
            continue
        text = f"{pname}: {annotation}" if annotation else pname
        if default_parts:
            defaults.append(default_value("=".join(default_parts).strip(), annotation))
            text += f" = \\{len(defaults) - 1}"
        params.append(text)
    unnamed = [p for p in params if _AUTO_NAME.fullmatch(p.split(":")[0])]
    if unnamed and len(unnamed) == len(params) - (1 if method else 0):
        params.append("/")
    signature = f"def {name}({', '.join(params)}){returns}"
    return PybindSignature(signature, defaults)


def _unique_union(annotation: str) -> str:
    """Drop repeated members of a union.

    pybind11 3 writes ``int`` and ``float`` parameters as ``SupportsInt | SupportsIndex`` and
    ``SupportsFloat | SupportsIndex``, so a variant of both repeats ``SupportsIndex``.
    """
    members = [m.strip() for m in split_top_level(annotation, "|")]
    return " | ".join(dict.fromkeys(members)) if len(members) > 1 else annotation


@functools.lru_cache(maxsize=8192)
def quote_cpp(annotation: str) -> str:
    """Double-quote the C++ type names in an annotation, as nanobind writes unbound types.

    Parameters
    ----------
    annotation : str
        An annotation from a pybind11 signature, e.g. ``list[std::vector<tf::Opaque>]``.

    Returns
    -------
    str
        The annotation with each C++ name (qualified with ``::`` or a template) quoted:
        ``list["std::vector<tf::Opaque>"]``.
    """
    out: list[str] = []
    pos = 0
    while (match := _CPP_START.search(annotation, pos)) is not None:
        end = _cpp_end(annotation, match.start())
        out.append(annotation[pos : match.start()])
        cpp = annotation[match.start() : end].strip()
        out.append('"' + cpp.replace("\\", "\\\\").replace('"', '\\"') + '"')
        pos = end
    out.append(annotation[pos:])
    return "".join(out)


def _cpp_end(text: str, start: int) -> int:
    """Index just past the C++ type name starting at ``start``."""
    i = start
    depth = 0
    while i < len(text):
        if text.startswith(_ANONYMOUS, i):
            i += len(_ANONYMOUS)
            continue
        ch = text[i]
        if ch == "<" or (depth and ch == "("):
            depth += 1
        elif (ch == ">" or (depth and ch == ")")) and depth:
            depth -= 1
        elif depth == 0 and not (ch.isalnum() or ch in "_:*& "):
            break
        elif depth == 0 and ch == " " and not text.startswith(" const", i):
            break
        i += 1
    return i


def default_value(text: str, annotation: str) -> DefaultValue:
    """Turn the text pybind11 wrote for a default into an expression where one exists.

    Parameters
    ----------
    text : str
        The repr of the default, or the description given with ``py::arg_v``.
    annotation : str
        The parameter's annotation, which names the enum of an enum member's repr.

    Returns
    -------
    DefaultValue
        A literal stays as written; an enum member (``<DataType.Double: 1>``) becomes
        ``pkg.DataType.Double`` when the annotation names that enum; ``inf``/``nan`` become
        ``float("inf")``. Anything else (an object's repr) has no expression.
    """
    text = stable_repr(text)
    if text in _NON_FINITE:
        return DefaultValue(_NON_FINITE[text], text)
    member = _ENUM_REPR.fullmatch(text)
    if member is not None:
        enum_name, value = member.groups()
        for candidate in re.findall(r"[A-Za-z_][\w.]*", annotation):
            if candidate == enum_name or candidate.endswith("." + enum_name):
                return DefaultValue(f"{candidate}.{value}", text)
        return DefaultValue(None, text)
    return literal_default(text)
