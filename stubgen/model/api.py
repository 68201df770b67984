"""The API model: plain, typed dataclasses describing a compiled module's public API.

Every later stage (stubs, docs, coverage, checks) reads these objects and never imports the
extension again. Paths are public paths, the dotted names users import (``tinyfuser.Fusion``);
``runtime_path`` keeps where the object really lives (``tinyfuser._C.Fusion``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SCHEMA_VERSION = 5

ParameterKind = Literal[
    "positional_only", "positional_or_keyword", "var_positional", "keyword_only", "var_keyword"
]
DocStyle = Literal["numpydoc", "google", "rest", "doxygen", "plain"]
FunctionKind = Literal["function", "method", "staticmethod", "classmethod"]
# The binding that made a node: the name of its reader (stubgen.load.readers): "nanobind",
# "pybind11", "python", or a registered reader's.
Binding = str
# Where an overload's signature came from: the binding's own text (nanobind's generated text
# or pybind11's __doc__ line: "generated"; an nb::sig: "nb_sig"), Python's inspect ("python"),
# the data model of a C slot ("slot"), a pattern file ("pattern"), the overloads a pybind11
# function lists when a call fails ("probe"), the docstring's Parameters and Returns sections
# ("docstring": shown in the docs; the stubs take anything), or nothing ("none": the overload
# takes anything).
SignatureSource = Literal[
    "generated", "nb_sig", "python", "slot", "pattern", "probe", "docstring", "none"
]


@dataclass
class ImportSpec:
    """An import a pattern's replacement needs: ``from module import member as alias``.

    ``member`` None means ``import module`` (``as alias`` when given).
    """

    module: str
    member: str | None = None
    alias: str | None = None


@dataclass
class Replacement:
    r"""Stub text that a pattern file gave for an entry (nanobind's pattern-file format).

    ``text`` is the replacement block with back-references and ``\doc`` markers filled in,
    indented for top level (the renderer indents it to the entry's depth). ``pattern`` is the
    regular expression that matched, ``origin`` the pattern's ``file:line``. An empty ``text``
    never occurs: a pattern with an empty block removes its entry from the model.
    """

    pattern: str
    origin: str
    text: str
    imports: list[ImportSpec] = field(default_factory=list)


@dataclass
class Parameter:
    """One parameter of one overload.

    ``default`` is a Python expression for the default value, or None when the parameter has
    none (``has_default``) or its value cannot be written as an expression
    (``default_representable`` False; ``default_repr`` then holds the object's repr).
    """

    name: str
    kind: ParameterKind
    annotation: str | None = None
    has_default: bool = False
    default: str | None = None
    default_representable: bool = True
    default_repr: str | None = None
    auto_named: bool = False


@dataclass
class DocItem:
    """An entry of a Parameters/Returns/Raises/... section: a name, a type, a description."""

    name: str
    type: str = ""
    description: str = ""


@dataclass
class SeeAlsoItem:
    """One See Also entry: the referenced name, its Sphinx role if given, a description."""

    name: str
    role: str = ""
    description: str = ""


@dataclass
class Docstring:
    """A docstring, raw and parsed into numpydoc's sections whatever its original style.

    ``sections`` names, in numpydoc's spelling, the sections the text really has
    (``"Parameters"``, ``"Raises"``, ``"See Also"``, ...). ``problems`` keeps what the
    parser found wrong with the text (an unknown section, a bad underline), never raised.
    """

    raw: str
    style: DocStyle = "plain"
    summary: str = ""
    extended_summary: str = ""
    sections: list[str] = field(default_factory=list)
    parameters: list[DocItem] = field(default_factory=list)
    other_parameters: list[DocItem] = field(default_factory=list)
    returns: list[DocItem] = field(default_factory=list)
    yields: list[DocItem] = field(default_factory=list)
    raises: list[DocItem] = field(default_factory=list)
    warns: list[DocItem] = field(default_factory=list)
    attributes: list[DocItem] = field(default_factory=list)
    see_also: list[SeeAlsoItem] = field(default_factory=list)
    notes: str = ""
    warnings: str = ""
    references: str = ""
    examples: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass
class Overload:
    r"""One overload of a function: its parsed signature and its own docstring.

    ``signature`` is the text nanobind reported, with ``\\N``/``\\=N`` placeholders replaced.
    ``parse_error`` says why no signature could be read; ``parameters`` are then ``*args, **kwargs``
    (``source`` ``"none"``): a stub never rejects a call the runtime accepts.
    ``ignore`` is the ``type: ignore`` comment a Python method's source puts on its ``def``
    line for an override its authors know type checkers reject (``type: ignore[override]``).
    ``cpp_resolved`` maps the C++ names pybind11 wrote for classes bound after the function
    to the classes they name (see :mod:`stubgen.load.cpp_names`).
    """

    signature: str
    parameters: list[Parameter] = field(default_factory=list)
    returns: str | None = None
    decorators: list[str] = field(default_factory=list)
    source: SignatureSource = "generated"
    unbound_types: list[str] = field(default_factory=list)
    cpp_resolved: dict[str, str] = field(default_factory=dict)
    doc: Docstring | None = None
    parse_error: str | None = None
    ignore: str | None = None
    type_params: list[str] = field(default_factory=list)


@dataclass
class Function:
    """A function or method with all its overloads, in nanobind's dispatch order.

    ``doc_only_on_last`` records the macro pattern where, of several overloads, only the last
    one carries a docstring. ``binding`` names the library that made it, whose terms the
    findings use for their fixes (``nb::arg`` or ``py::arg``).
    """

    name: str
    path: str
    runtime_path: str
    kind: FunctionKind = "function"
    overloads: list[Overload] = field(default_factory=list)
    doc_only_on_last: bool = False
    replacement: Replacement | None = None
    binding: Binding = "nanobind"


def doc_only_on_last(overloads: list[Overload]) -> bool:
    """Tell whether, of several overloads, only the last one has a docstring (macro pattern)."""
    docs = [o.doc is not None for o in overloads]
    return len(docs) > 1 and docs[-1] and not any(docs[:-1])


@dataclass
class Property:
    """A property of a class; ``getter``/``setter`` are single overloads (``def (self) -> T``)."""

    name: str
    path: str
    type: str | None = None
    readonly: bool = True
    static: bool = False
    getter: Overload | None = None
    setter: Overload | None = None
    doc: Docstring | None = None
    replacement: Replacement | None = None


@dataclass
class EnumMember:
    """One member of an enum, with the docstring given to its ``.value(...)``, if any."""

    name: str
    value: str
    doc: Docstring | None = None
    replacement: Replacement | None = None


@dataclass
class Attribute:
    """A module or class attribute that is no function, class, module or property.

    ``overrides`` names the class of another package whose property of the same name a
    class attribute shadows (openjij's ``parameters = dict()`` over dimod's abstract
    property): type checkers reject that override, which the stub marks.
    """

    name: str
    path: str
    type: str
    value: str | None = None
    replacement: Replacement | None = None
    overrides: str | None = None


@dataclass
class Class:
    """A class (bound type, enum, exception or Python class) and its members.

    ``aliases`` maps a member name to the name of the method it is the same object as
    (``lt_alias`` bound to the very function ``__lt__`` is): stubs write ``lt_alias = __lt__``,
    so the two cannot disagree.
    """

    name: str
    path: str
    runtime_path: str
    bases: list[str] = field(default_factory=list)
    doc: Docstring | None = None
    binding: Binding = "nanobind"
    is_enum: bool = False
    is_exception: bool = False
    signature: str | None = None
    members: list[EnumMember] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    classes: list[Class] = field(default_factory=list)
    replacement: Replacement | None = None
    prefix: Replacement | None = None
    suffix: Replacement | None = None
    aliases: dict[str, str] = field(default_factory=dict)


@dataclass
class Module:
    """A module: the one asked for, or a submodule (also one made by ``def_submodule``).

    ``aliases`` maps a public name to the public path of an object documented elsewhere
    (the same class or function reached under a second name or from a second module).
    ``all`` is the module's ``__all__`` when it defines one.
    """

    name: str
    path: str
    runtime_path: str
    doc: Docstring | None = None
    functions: list[Function] = field(default_factory=list)
    classes: list[Class] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    submodules: list[Module] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    all: list[str] | None = None
    is_package: bool = False
    prefix: Replacement | None = None
    suffix: Replacement | None = None


@dataclass
class ApiModel:
    """The whole model of one module tree, with the problems met while building it.

    ``load_errors`` lists objects that could not be inspected, as ``path: reason``.
    ``external`` maps dotted names in annotations that lie outside the model to the module
    that defines them at runtime (what a stub must import), or to None when nothing by that
    name exists; ``external_generics`` gives the number of type parameters of those that are
    generic classes (drjit's ``ArrayBase``); ``untyped_modules`` lists those of its modules
    that are compiled extensions without stubs of their own. ``removed`` lists the public
    paths a pattern file removed.
    ``setup`` is the set-up code run after the import and before the walk, if any.
    """

    module: Module
    schema_version: int = SCHEMA_VERSION
    load_errors: list[str] = field(default_factory=list)
    external: dict[str, str | None] = field(default_factory=dict)
    external_generics: dict[str, int] = field(default_factory=dict)
    untyped_modules: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    setup: str | None = None
