"""reST for API objects: Sphinx Python-domain directives with numpydoc sections rendered.

Used by the page generator (:mod:`stubgen.docs.pages`) and by the Sphinx directive of
:mod:`stubgen.docs.sphinxext`. Each overload is shown with its own signature and docstring; the
overloads of a function are directives (the first indexed, the others ``:no-index:``), and
consecutive ones with the same docstring share one. Sections are written as reST that plain
Sphinx renders, so no docstring extension is needed; types and See Also entries that resolve
to objects of the package become cross-references, everything else stays text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from stubgen.docs.prose import safe_prose
from stubgen.model.api import (
    Attribute,
    Class,
    DocItem,
    Docstring,
    EnumMember,
    Function,
    Module,
    Overload,
    Parameter,
    Property,
)
from stubgen.model.names import BUILTIN_NAMES, TYPING_NAMES, NameIndex
from stubgen.stubs import (
    WrittenTypes,
    callable_overloads,
    module_names,
    type_param_name,
    written_result,
)

INDENT = "   "
# Characters reST accepts right before an inline-markup start and right after its end.
_MARKUP_BEFORE = frozenset(" \t\n'\"([{<-/:")
_MARKUP_AFTER = frozenset(" \t\n'\")]}>-/:.,;!?")
_NAME = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*")
_SPECIAL = re.compile(r"([\\*`|_<>\[\]])")


def _plain_start(line: str) -> str:
    """Escape a line start that reST would read as structure (``===``, ``- x``, ``1. x``)."""
    if re.match(r"[^\w*:\\]|\d+[.)]|[A-Za-z#][.)]\s", line):
        return "\\" + line
    return line


def indent(lines: list[str], prefix: str = INDENT) -> list[str]:
    """Indent non-empty lines."""
    return [prefix + line if line else "" for line in lines]


def escape(text: str) -> str:
    """Escape reST inline markup characters in plain text."""
    return _SPECIAL.sub(r"\\\1", text)


@dataclass
class Linker:
    """Turns names into cross-references when they resolve to an object of the package."""

    index: NameIndex

    def resolve(self, name: str, scopes: list[str]) -> str | None:
        """Return the public path ``name`` refers to from ``scopes`` (innermost first).

        A constructor with one overload is shown in its class's signature and has no entry
        of its own (:meth:`RstWriter.klass`): ``:meth:`__init__``` points to the class.
        """
        path = self.index.resolve(name, scopes)
        if path is not None and path.endswith(".__init__"):
            owner = self.index.classes.get(path[: -len(".__init__")])
            init = (
                next((f for f in owner.functions if f.name == "__init__"), None) if owner else None
            )
            if owner is not None and init is not None and len(init.overloads) == 1:
                return owner.path
        return path

    def role(self, path: str) -> str:
        """Return the Python-domain role that fits the object at ``path``."""
        if path in self.index.classes:
            cls = self.index.classes[path]
            return "py:exc" if cls.is_exception else "py:class"
        if path in self.index.modules:
            return "py:mod"
        return "py:obj"

    def types(self, text: str, scopes: list[str]) -> str:
        """Render type text (``Val or TensorView``) with resolvable names linked."""
        out, last = [], 0
        for match in _NAME.finditer(text):
            out.append(escape(text[last : match.start()]))
            path = self.resolve(match.group(0), scopes)
            if path is None:
                out.append(escape(match.group(0)))
            else:
                # reST ends inline markup only before space or some punctuation: an escaped
                # space, which renders as nothing, separates it from "(" or a letter.
                before = text[match.start() - 1] if match.start() else " "
                after = text[match.end()] if match.end() < len(text) else " "
                out.append("" if before in _MARKUP_BEFORE else "\\ ")
                out.append(f":{self.role(path)}:`~{path}`")
                out.append("" if after in _MARKUP_AFTER else "\\ ")
            last = match.end()
        out.append(escape(text[last:]))
        return "".join(out)


Annotate = Callable[[str], str]


def _same(text: str) -> str:
    return text


def parameter_text(p: Parameter, annotate: Annotate = _same) -> str:
    """Return one parameter as written in a signature line."""
    star = {"var_positional": "*", "var_keyword": "**"}.get(p.kind, "")
    text = f"{star}{p.name}"
    if p.annotation:
        text += f": {annotate(p.annotation)}"
    if p.has_default:
        default = p.default if p.default_representable and p.default is not None else "..."
        text += f" = {default}"
    return text


def arguments_text(
    params: list[Parameter], *, drop_first: bool = False, annotate: Annotate = _same
) -> str:
    """Return the parameter list of a signature, with ``/`` and ``*`` markers."""
    params = params[1:] if drop_first and params else params
    pieces: list[str] = []
    positional_only = [i for i, p in enumerate(params) if p.kind == "positional_only"]
    star = any(p.kind == "var_positional" for p in params)
    for i, p in enumerate(params):
        if p.kind == "keyword_only" and not star:
            pieces.append("*")
            star = True
        pieces.append(parameter_text(p, annotate))
        if positional_only and i == positional_only[-1]:
            pieces.append("/")
    return ", ".join(pieces)


def signature_line(
    name: str, overload: Overload, *, method: bool, annotate: Annotate = _same
) -> str:
    """Return ``name(params) -> returns`` for a directive; self/cls is left out for methods."""
    first = overload.parameters[0].name if overload.parameters else ""
    drop = method and first in ("self", "cls")
    text = f"{name}({arguments_text(overload.parameters, drop_first=drop, annotate=annotate)})"
    if overload.returns:
        text += f" -> {annotate(overload.returns)}"
    return " ".join(text.split())


def _uncalled_note(
    every: list[Overload], called: list[Overload], shown: list[Overload]
) -> list[str]:
    """Name the results of overloads never called because one of ``shown`` takes their place.

    They are those of ``every`` left out of ``called`` (:func:`stubgen.stubs.callable_overloads`):
    they differ from one shown only by a C++ result type.
    """
    results = [
        o.returns or ""
        for o in every
        if not any(o is c for c in called) and any(o.parameters == s.parameters for s in shown)
    ]
    if not results:
        return []
    spelled = ", ".join(f"``{r.strip(chr(34))}``" for r in results if "`" not in r)
    return [f"*Also bound with these arguments, never called (a C++ result):* {spelled}.", ""]


def _overloads_note(first: int, last: int, count: int) -> str:
    """Say which overloads, counted from 1, a directive shows: ``*Overload 2 of 3.*``."""
    if first == last:
        return f"*Overload {first + 1} of {count}.*"
    return f"*Overloads {first + 1} to {last + 1} of {count}.*"


# Overloads whose binding gives no signature: the page says where the one shown comes from.
_UNTOLD = {"docstring", "none"}
_UNTOLD_NOTE = {
    "docstring": "*The binding exposes no signature: the one shown is read from this docstring.*",
    "none": "*The binding exposes no signature: it is shown taking any arguments.*",
}


# A string literal (left alone), or a name that is no keyword argument's.
_ANNOTATION_TOKEN = re.compile(
    r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
    r"|(?<![\w.'\"])([^\W\d]\w*(?:\.[^\W\d]\w*)*)(?![\w'\"])(?!\s*=)"
)


class RstWriter:
    """Writes the reST of modules, classes and functions of one model.

    Parameters
    ----------
    index : NameIndex
        The package's objects, for cross-references.
    """

    def __init__(self, index: NameIndex, type_map: dict[str, str] | None = None) -> None:
        self.linker = Linker(index)
        # The docs' types are the stubs' (an unbound C++ type is Any in both).
        self.written = WrittenTypes(index, type_map)
        # The module whose page is being written, and the names its stub defines.
        self.module: str | None = None
        self.defined: frozenset[str] = frozenset()

    def enter(self, module: Module) -> None:
        """Write the next pages' types as ``module``'s stub does (its own names bare)."""
        self.module, self.defined = module.path, frozenset(module_names(module))

    # -- docstrings -------------------------------------------------------------------------

    def annotation(self, text: str, type_params: frozenset[str] = frozenset()) -> str:
        """Make every name in an annotation either a link that resolves or plain text.

        Dotted names of the package that have no entry (a private class ``pkg._Context``, a
        class of a module these docs do not cover) are quoted, so Sphinx shows them as text.
        Bare names, as ``nb::sig`` text writes them, are given their full path when exactly
        one object of the package has that name, become ``typing.X`` for typing names, and
        are quoted otherwise; Sphinx's own guess would find several targets or none.
        """
        if text.startswith("*"):  # *args: *Ts (PEP 646): the star is syntax, not type
            return "*" + self.annotation(text[1:].strip(), type_params)
        index = self.linker.index
        text = self.written(text, type_params, self.module, self.defined)

        def qualify(match: re.Match[str]) -> str:
            if match.group(1) is not None:
                return match.group(0)  # a string literal: Annotated metadata ("[3, 1]")
            name = match.group(2)
            if name in type_params:
                return name
            if "." not in name:
                if name in BUILTIN_NAMES:
                    return name
                candidates = index.by_name.get(name, [])
                if len(candidates) == 1:
                    return candidates[0]
                if name in TYPING_NAMES:
                    return f"typing.{name}"
                return repr(name)
            ours = name.split(".")[0] == index.top  # also modules these docs do not cover
            if ours and name not in index.modules and index.resolve(name, []) is None:
                return repr(name)
            return name

        return _ANNOTATION_TOKEN.sub(qualify, text)

    def prose(self, text: str, scopes: list[str]) -> list[str]:
        """Render a chunk of docstring prose safely (see :mod:`stubgen.docs.prose`)."""
        return safe_prose(text, lambda name: self.linker.resolve(name, scopes))

    def docstring(
        self, doc: Docstring | None, scopes: list[str], overload: Overload | None = None
    ) -> list[str]:
        """Render a docstring: summary, extended summary and numpydoc sections."""
        if doc is None:
            return []
        lines: list[str] = []
        for paragraph in (doc.summary, doc.extended_summary):
            lines += [*self.prose(paragraph, scopes), ""] if paragraph else []
        lines += self._parameters(doc, overload, scopes)
        lines += self._items("Returns", doc.returns, scopes)
        lines += self._items("Yields", doc.yields, scopes)
        lines += self._items("Other Parameters", doc.other_parameters, scopes)
        lines += self._items("Raises", doc.raises, scopes)
        lines += self._items("Warns", doc.warns, scopes)
        lines += self._items("Attributes", doc.attributes, scopes)
        if doc.warnings:
            lines += [".. warning::", "", *indent(self.prose(doc.warnings, scopes)), ""]
        lines += self._see_also(doc, scopes)
        for title, text in (("Notes", doc.notes), ("References", doc.references)):
            if text:
                lines += [f".. rubric:: {title}", "", *self.prose(text, scopes), ""]
        if doc.examples:
            lines += [".. rubric:: Examples", "", ".. code-block:: pycon", ""]
            lines += [*indent(doc.examples.splitlines()), ""]
        return lines

    def _parameters(
        self, doc: Docstring, overload: Overload | None, scopes: list[str]
    ) -> list[str]:
        if not doc.parameters:
            return []
        signature = [
            p for p in (overload.parameters if overload else []) if p.name not in ("self", "cls")
        ]
        by_name = {p.name: p for p in signature}
        items = []
        renamed: list[tuple[str, str]] = []
        for position, item in enumerate(doc.parameters):
            type_, name = item.type, item.name
            match = by_name.get(item.name)
            if match is None and len(doc.parameters) == len(signature):
                match = signature[position]  # documented as lhs, bound as arg0
                if match.name.lstrip("*") != item.name.lstrip("*"):
                    # The signature's name is the one a caller can pass by keyword.
                    renamed.append((item.name, match.name))
                    name = match.name
            if not type_ and match is not None and match.annotation:
                type_ = match.annotation
            items.append(DocItem(name, type_, item.description))
        lines = self._items("Parameters", items, scopes)
        if renamed:
            documented = ", ".join(f"``{d}``" for d, _ in renamed if "`" not in d)
            bound = ", ".join(f"``{b}``" for _, b in renamed)
            note = f"*The docstring calls them* {documented}; *the signature names them* {bound}."
            lines += [note, ""]
        return lines

    def _items(self, title: str, items: list[DocItem], scopes: list[str]) -> list[str]:
        if not items:
            return []
        lines = [f".. rubric:: {title}", ""]
        for item in items:
            name = " ".join(item.name.split())  # a term is one line, whatever split it
            term = f"**{escape(name)}**" if name else ""
            type_ = self.linker.types(item.type, scopes) if item.type else ""
            head = f"{term} : {type_}" if term and type_ else term or type_
            body = self.prose(item.description, scopes)
            if head and body:  # a definition: the name and type, then the description
                lines += [_plain_start(head), *indent(body), ""]
            elif head or body:  # a lone name or type, or a description with neither
                lines += [_plain_start(head), ""] if head else [*body, ""]
        return lines

    def _see_also(self, doc: Docstring, scopes: list[str]) -> list[str]:
        if not doc.see_also:
            return []
        lines = [".. rubric:: See Also", ""]
        for item in doc.see_also:
            path = self.linker.resolve(item.name, scopes)
            ref = (
                f":{self.linker.role(path)}:`{item.name} <{path}>`" if path else f"``{item.name}``"
            )
            body = self.prose(item.description, scopes)
            lines += [ref, *indent(body), ""] if body else [ref, ""]
        return lines

    # -- objects ----------------------------------------------------------------------------

    def function(self, fn: Function, *, method: bool, scopes: list[str]) -> list[str]:
        """Render the overloads of ``fn``, each with its signature and its docstring.

        Consecutive overloads whose docstrings render the same share one directive, one
        signature line each (as Sphinx writes a directive of several signatures): the reader
        sees the text once, and Sphinx builds it once. The first directive is indexed.
        """
        directive = "py:method" if method else "py:function"
        lines: list[str] = []
        overloads = callable_overloads(fn.overloads)
        count = len(overloads)
        bodies = [self.docstring(o.doc, scopes, o) for o in overloads]
        first = 0
        while first < count:
            last = first
            while last + 1 < count and bodies[last + 1] == bodies[first]:
                last += 1
            signatures = [
                signature_line(
                    fn.name, self._as_stubbed(o), method=method, annotate=self._annotate(o)
                )
                for o in overloads[first : last + 1]
            ]
            head = f".. {directive}:: "
            lines.append(head + signatures[0])
            lines += [" " * len(head) + line for line in signatures[1:]]
            if method and fn.kind == "staticmethod":
                lines.append(f"{INDENT}:staticmethod:")
            if method and fn.kind == "classmethod":
                lines.append(f"{INDENT}:classmethod:")
            if first:
                lines.append(f"{INDENT}:no-index:")
            body = [_overloads_note(first, last, count), ""] if last - first + 1 < count else []
            body += self._unbound_note(overloads[first : last + 1])
            body += _uncalled_note(fn.overloads, overloads, overloads[first : last + 1])
            sources = {o.source for o in overloads[first : last + 1]}
            if sources & _UNTOLD:
                body += [_UNTOLD_NOTE["docstring" if "docstring" in sources else "none"], ""]
            body += bodies[first]
            lines += ["", *indent(body)] if body else [""]
            first = last + 1
        return lines

    def _as_stubbed(self, overload: Overload) -> Overload:
        """Return ``overload`` typed as the stub types it: defaults admitted, results Any."""
        params = []
        for p in overload.parameters:
            if p.has_default and p.annotation:
                default = p.default if p.default_representable else None
                p = replace(p, annotation=self.written.parameter(p.annotation, default))
            params.append(p)
        return replace(overload, parameters=params, returns=written_result(overload))

    def _annotate(self, overload: Overload) -> Callable[[str], str]:
        """Return the annotation writer of one overload (its type parameters kept)."""
        if not overload.type_params:
            return self.annotation
        names = frozenset(type_param_name(t) for t in overload.type_params)
        return lambda text: self.annotation(text, names)

    def _unbound_note(self, overloads: list[Overload]) -> list[str]:
        """Name the C++ types without a Python binding that the signature writes as Any."""
        names = dict.fromkeys(n for o in overloads for n in o.unbound_types)
        untyped = [n for n in names if self.written(f'"{n}"') == "typing.Any"]
        if not untyped:
            return []
        spelled = ", ".join(f"``{n}``" for n in untyped if "`" not in n)
        return [f"*C++ types without a Python binding, written* ``Any``: {spelled}.", ""]

    def prop(self, prop: Property, scopes: list[str]) -> list[str]:
        """Render a property with its type and docstring."""
        lines = [f".. py:property:: {prop.name}"]
        if prop.type:
            lines.append(f"{INDENT}:type: {self.annotation(prop.type)}")
        if prop.static:
            lines.append(f"{INDENT}:classmethod:")
        body = self.docstring(prop.doc, scopes, prop.getter)
        if not prop.readonly:
            body = ["*Read and write.*", "", *body]
        return [*lines, "", *indent(body)]

    def attribute(self, attr: Attribute, *, directive: str = "py:data") -> list[str]:
        """Render a module or class attribute with its type and value."""
        lines = [f".. {directive}:: {attr.name}", f"{INDENT}:type: {self.annotation(attr.type)}"]
        if attr.type == "types.ModuleType" and attr.value in self.linker.index.modules:
            # nvFuser's FusionDefinition.ops: the module, linked to its page.
            return [*lines, "", f"{INDENT}The module :py:mod:`{attr.value}`.", ""]
        if attr.value is not None and "\n" not in attr.value and len(attr.value) < 80:
            lines.append(f"{INDENT}:value: {attr.value}")
        return [*lines, ""]

    def member(self, member: EnumMember, scopes: list[str]) -> list[str]:
        """Render an enum member with its value and docstring."""
        lines = [f".. py:attribute:: {member.name}", f"{INDENT}:value: {member.value}", ""]
        return lines + indent(self.docstring(member.doc, scopes))

    def klass(self, cls: Class, module: Module) -> list[str]:
        """Render a class and all its members (nested classes included)."""
        scopes = [cls.path, module.path, *self._outer(module.path)]
        init = next((f for f in cls.functions if f.name == "__init__"), None)
        args = ""
        if init is not None and len(init.overloads) == 1:
            args = arguments_text(
                init.overloads[0].parameters, drop_first=True, annotate=self.annotation
            )
        directive = "py:exception" if cls.is_exception else "py:class"
        lines = [
            f".. {directive}:: {cls.name}({args})"
            if args or init
            else f".. {directive}:: {cls.name}"
        ]
        body = list(self._bases(cls, scopes))
        body += self.docstring(cls.doc, scopes)
        if init is not None and len(init.overloads) == 1 and init.overloads[0].doc is not None:
            # A single constructor is shown in the class signature; its docstring goes here.
            body += self.docstring(init.overloads[0].doc, scopes, init.overloads[0])
        for member in cls.members:
            body += self.member(member, scopes)
        for attr in cls.attributes:
            body += self.attribute(attr, directive="py:attribute")
        for prop in cls.properties:
            body += self.prop(prop, scopes)
        for fn in cls.functions:
            if fn is init and len(fn.overloads) == 1:
                continue
            body += self.function(fn, method=True, scopes=scopes)
        for nested in cls.classes:
            body += self.klass(nested, module)
        return [*lines, "", *indent(body)]

    def _bases(self, cls: Class, scopes: list[str]) -> Iterator[str]:
        shown = [b for b in cls.bases if b not in ("object",)]
        if shown:
            yield "Bases: " + ", ".join(self.linker.types(b, scopes) for b in shown)
            yield ""

    def module_functions(self, module: Module) -> list[str]:
        """Render the functions, attributes and aliases of a module (not its classes)."""
        scopes = [module.path, *self._outer(module.path)]
        lines: list[str] = []
        for attr in module.attributes:
            lines += self.attribute(attr)
        for name, target in sorted(module.aliases.items()):
            if f"{module.path}.{name}" in self.linker.index.modules:
                continue  # a submodule reached under its own name: it has its own page
            if name.startswith("_"):
                continue  # a private alias (_Vector0fCp) is no name a reader looks up
            path = self.linker.resolve(target, [])
            ref = f":{self.linker.role(path)}:`~{path}`" if path else f"``{target}``"
            lines += [f".. py:data:: {name}", "", f"{INDENT}Alias of {ref}.", ""]
        for fn in module.functions:
            lines += self.function(fn, method=False, scopes=scopes)
        return lines

    @staticmethod
    def _outer(path: str) -> list[str]:
        parts = path.split(".")
        return [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
