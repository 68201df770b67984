"""The catalogue of finding codes and the record every stage reports problems with.

One place lists every code with its message template (as numpydoc's ``ERROR_MSGS`` does), so
docs, tests and outputs cannot drift apart. Stages yield :class:`Finding` records; how they are
printed is decided at the very end.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]

# code: (default severity, message template)
_OURS: dict[str, tuple[Severity, str]] = {
    # Stubs: what had to change so that the stub is valid and honest.
    "STB001": ("warning", "unbound C++ type {cpp!r} written as {python}"),
    "STB002": ("warning", "name {name!r} does not resolve to any known object; written as Any"),
    "STB003": ("warning", "annotation {text!r} is not valid Python; written as Any"),
    "STB004": ("info", "default value {value!r} cannot be written in a stub; written as ..."),
    "STB005": (
        "warning",
        "a method without 'self' (a static function bound as a method); written as @staticmethod",
    ),
    "STB006": ("warning", "no return annotation; written as Any"),
    "STB007": (
        "warning",
        "parameter name {name!r} is not a valid identifier; renamed {new!r}"
        " and made positional-only",
    ),
    "STB008": (
        "warning",
        "a parameter with a default precedes required parameter {name!r} (invalid in"
        " Python): written with every parameter before it required; {how}",
    ),
    "STB009": ("info", "{count} overloads collapse to one signature; merged"),
    "STB010": ("warning", "enum member {name!r} is not a valid identifier; left out of the stub"),
    "STB011": (
        "info",
        "class defines __class_getitem__ but no generic signature; declare it"
        ' with nb::sig("class {name}(typing.Generic[T])") to make it generic in stubs',
    ),
    "STB012": ("warning", "decorator {text!r} does not resolve; left out of the stub"),
    "STB013": (
        "warning",
        "{name!r} lies in the package but outside these stubs and does not resolve at"
        " runtime; written as Any",
    ),
    "STB014": ("error", "mypy reports: {message} [{mypy_code}]"),
    "STB015": (
        "error",
        "could not be rendered ({error}); written as a permissive stub; please report it",
    ),
    "STB016": (
        "info",
        "overrides {base} with another signature (rejected by {checkers});"
        " marked with a targeted ignore, as hand-written stubs do",
    ),
    "STB017": (
        "info",
        "{name!r} is imported from {module}, a compiled module without stubs; type checkers"
        " see Any there until its stubs exist (generate them too)",
    ),
    "STB018": (
        "info",
        "a default of type {kind} for a parameter annotated {annotation!r}: written as"
        " '{annotation} | {kind}' (the function accepts it; nb::sig can say so)",
    ),
    "STB019": (
        "info",
        "takes other arguments than {forward} (mypy reports that pair); marked with a"
        " targeted ignore, as hand-written stubs do",
    ),
    "STB020": (
        "info",
        "Callable's argument list written without brackets; written as Callable[[{argument}], ...]",
    ),
    "STB021": (
        "info",
        "its Python source marks the definition '# {comment}' (an override its authors know"
        " type checkers reject); the stub carries the comment",
    ),
    "STB022": (
        "info",
        "an overload that a later *args overload also matches with another result (type"
        " checkers call that an unsafe overlap); marked with a targeted ignore",
    ),
    "STB023": (
        "info",
        "Literal[...] names the constant {name!r}, which is no enum member (Literal takes"
        " values); written as its value",
    ),
    "STB024": (
        "error",
        "no signature could be read ({reason}); written as (*args: Any, **kwargs: Any) -> Any,"
        " which accepts every call the runtime may accept",
    ),
    "STB025": (
        "info",
        "holds the module {module}: typed as {mirror}, a class mirroring the module, so that"
        " mypy checks calls through it too (it types a module-valued attribute as"
        " types.ModuleType, whose members are Any)",
    ),
    "STB026": (
        "info",
        "enum member {name!r} hides Enum's property of that name (the runtime allows it, type"
        " checkers object): written with the targeted ignores; defaults naming it as ...",
    ),
    "STB027": (
        "warning",
        "overload {index} is never called: overload {by}, tried first, takes all its arguments"
        " as they are (no conversion); kept in the runtime's order, with the targeted ignores"
        " type checkers need (to have it called, bind it before overload {by})",
    ),
    "STB033": (
        "info",
        "overload {moved} written before overload {before}: the call traced at {site} with"
        " ({types}) ran and returned {returns}, which overload {before}, tried first, types"
        " otherwise",
    ),
    "STB034": (
        "info",
        "overload {index} declares the result {declared}, but the call traced at {site}"
        " returned {returns}: written as {result}",
    ),
    "STB036": (
        "warning",
        "{name!r} is a function, not a class, named as a type (checkers reject it): written as Any",
    ),
    "STB035": (
        "info",
        "overload {index} declares parameter {name!r} as {declared}, but the call traced at"
        " {site} passed what it does not admit, and ran (the binding converted it): written"
        " as {annotation}",
    ),
    "STB028": (
        "warning",
        "type parameter {name!r} is declared here as {text!r} and at {at} as {first!r}: the"
        " stub declares one TypeVar of that name, {first!r} (give one of them another name in"
        " nb::sig)",
    ),
    "STB029": (
        "warning",
        "an array of {framework}, which was not importable where the model was built:"
        " written as Any, without importing its module (install the framework there to"
        " get its array type)",
    ),
    "STB031": (
        "warning",
        "member name {name!r} is a Python keyword or no identifier: a stub cannot define it;"
        " left out (users reach it with getattr)",
    ),
    "STB032": (
        "error",
        "the stub written for this module does not parse ({error}); written as a partial"
        " stub whose names are Any instead; please report it",
    ),
    "STB030": (
        "warning",
        "{text!r} gives type arguments to {name}, a class declared without type parameters"
        " (type checkers reject it): written as {name} (declare it generic in nb::sig:"
        " class {name}(typing.Generic[T]))",
    ),
    # API changes between two versions (nbapi diff). error: breaks some caller that worked;
    # warning: may break one, or changes what a call does; info: no caller breaks.
    "API001": ("error", "module removed (imports of it break)"),
    "API002": ("error", "class removed"),
    "API003": ("error", "function removed"),
    "API004": ("error", "overload removed ({signature}): calls that matched only it break"),
    "API005": ("error", "name removed (an attribute, constant or re-export)"),
    "API006": ("error", "property removed"),
    "API007": ("error", "enum member removed"),
    "API008": ("error", "{where}parameter {name!r} removed (callers passing it break)"),
    "API009": (
        "error",
        "{where}parameter {old!r} renamed {new!r} (callers passing it by keyword break)",
    ),
    "API010": (
        "error",
        "{where}parameter {name!r} lost its default (callers that omit it break)",
    ),
    "API011": ("error", "{where}new required parameter {name!r} (every caller breaks)"),
    "API012": (
        "error",
        "{where}parameter {name!r} became {new} (was {old}): callers passing it {how} break",
    ),
    "API013": (
        "error",
        "{where}parameter {name!r} takes {new}, narrower than {old} (callers passing the rest"
        " break)",
    ),
    "API014": (
        "error",
        "{where}returns {new} instead of {old} (callers relying on the old type break)",
    ),
    "API015": (
        "error",
        "{where}parameter {name!r} moved from position {old} to {new} (positional callers break)",
    ),
    "API016": ("error", "no longer a subclass of {base}"),
    "API017": ("error", "was a {old}, is now a {new}"),
    "API018": ("warning", "enum member value changed from {old} to {new}"),
    "API019": (
        "warning",
        "{where}default of {name!r} changed from {old} to {new} (callers that omit it get"
        " another value)",
    ),
    "API020": (
        "warning",
        "{where}parameter {name!r} takes {new} instead of {old} (neither wider nor narrower,"
        " as far as the models tell)",
    ),
    "API021": ("warning", "{what} changed from {old} to {new}"),
    "API022": (
        "warning",
        "the {side} version's signature could not be read ({source}): its calls are not compared",
    ),
    "API023": (
        "error",
        "{where}parameter {name!r} takes {new} instead of {old}: a value of the old type is"
        " refused (callers passing one break)",
    ),
    "API024": (
        "warning",
        "replaced by a catch-all signature {signature}: the runtime may still accept the old"
        " calls, but type checkers no longer check them (a deprecation wrapper?)",
    ),
    "API101": ("info", "{kind} added"),
    "API102": ("info", "overload added ({signature})"),
    "API103": ("info", "{where}unnamed parameter {old!r} named {new!r} (no caller breaks)"),
    "API104": ("info", "{where}parameter {name!r} takes {new}, wider than {old}"),
    "API105": ("info", "{where}new optional parameter {name!r}"),
    "API106": ("info", "{where}parameter {name!r} gained a default"),
    "API107": ("info", "{where}parameter {name!r} became {new} (was {old}): it accepts more calls"),
    "API108": ("info", "{where}returns {new}, narrower than {old} (callers get a subtype)"),
    "API109": (
        "info",
        "{where}positional-only parameter {old!r} renamed {new!r} (no caller passes it by name)",
    ),
    "API110": ("info", "curated stub text (pattern file) changed"),
    "API111": ("info", "version-like constant changed from {old} to {new}"),
    "API112": ("info", "property became writable"),
    "API113": (
        "info",
        "was a {old}, is now a {new}: called through the class or an instance alike (an override"
        " in a subclass may need the change too)",
    ),
    # Pattern files.
    "PAT001": ("warning", "pattern {pattern!r} ({origin}) matched no entry"),
    "PAT002": (
        "warning",
        "pattern {pattern!r} ({origin}) uses \\doc where there is no object to copy"
        " a docstring from; written as pass",
    ),
    # Coverage, signatures.
    "SIG001": ("warning", "{where}unnamed arguments {names}: name them with {fix}"),
    "SIG002": ("warning", "{where}the C++ type {cpp!r} has no Python binding; users see Any"),
    "SIG003": ("info", "{where}{what} is typed only as {type}; a precise type would help users"),
    "SIG004": (
        "info",
        "{where}the generated signature {why}; {fix}",
    ),
    "SIG005": (
        "warning",
        "{where}pybind11 wrote the C++ name {cpp!r} for {python}, which was bound after this"
        " function; the stubs say {python} (bind the class before the functions using it)",
    ),
    "SIG006": (
        "error",
        "{where}the binding exposes no signature{how}; {fix}",
    ),
    # Coverage, docstrings (numpydoc's own codes, GL08 to EX01, are added below).
    "DOC002": (
        "warning",
        "only the last of {count} overloads has a docstring; overloads"
        " {missing} show none in IDEs and stubs",
    ),
    "DOC003": ("info", "{where}no Raises section"),
    "DOC004": ("warning", "{where}See Also entry {name!r} does not resolve to an object"),
    "DOC005": (
        "warning",
        "{where}documents parameters {documented} but the signature has {actual}; {fix}",
    ),
    "DOC006": ("warning", "{where}malformed docstring: {problem}"),
    "DOC007": ("info", "{where}docstring is written in {style} style, not numpydoc"),
    "DOC008": (
        "warning",
        "Sphinx warns on its page (line {line}): {message}; the HTML is published"
        " (docs-fail-on-warning = true makes this fail the docs)",
    ),
    # Coverage, classes.
    "MOD001": (
        "warning",
        "the module exposes nothing (no functions, classes, attributes or submodules): its stub"
        " is empty and its scores are n/a; bind its contents, or drop the submodule",
    ),
    "CLS001": ("warning", "no __repr__: objects print as <{name} object at 0x...>"),
    "CLS002": ("info", "enum member {member!r} has no docstring"),
    "RUL001": ("error", "rule {rule} failed on this object ({error}); please report it"),
    # Verify: stubs on disk against the live module.
    "VFY001": ("error", "in the module but missing from the stubs"),
    "VFY002": ("error", "in the stubs but not in the module"),
    "VFY003": ("error", "the stubs have {stub} overloads, the module {runtime}"),
    "VFY004": (
        "error",
        "overload {index}: the stubs' parameters {stub} differ from the module's {runtime}",
    ),
    "VFY005": (
        "error",
        "overload {index}: parameter {name!r} is {stub} in the stubs, {runtime} in the module",
    ),
    "VFY006": ("error", "overload {index}: parameter {name!r} has a default in the {where} only"),
    "VFY007": ("error", "a {runtime} in the module but a {stub} in the stubs"),
    "VFY008": ("error", "the stub file {file} does not parse: {error}"),
    "VFY009": (
        "error",
        "the module declares no readable signature, and the stub does not take every call"
        " (it should be (*args: Any, **kwargs: Any))",
    ),
    "VFY010": (
        "error",
        "overload {index} is the module's overload {runtime}, which the binding tries later:"
        " type checkers take the first match, so the order is semantics",
    ),
    "VFY011": (
        "error",
        "overload {index}: parameter {name!r} defaults to {stub} in the stubs, {runtime} in"
        " the module",
    ),
    "VFY012": ("error", "enum member with value {stub} in the stubs, {runtime} in the module"),
    "VFY013": (
        "error",
        "the same object as {target} in the module, but defined on its own in the stubs (the"
        " two can disagree)",
    ),
    "VFY014": (
        "error",
        "a call that ran is rejected by {checker}: {message} (called at {site} with ({types});"
        " stub at {stub})",
    ),
    "VFY015": (
        "error",
        "a call that ran returned {returns}, which the stub's result does not give ({checker}:"
        " {message}; called at {site} with ({types}); stub at {stub})",
    ),
    "VFY018": (
        "error",
        "a type parameter with a PEP 696 default in the module, declared without one in the"
        " stubs (a generic used bare then means Any, not the default)",
    ),
    "VFY016": (
        "info",
        "a call that ran with keywords is rejected by mypy, which reads every parameter of"
        " {method} as positional-only (python/mypy#16735): no stub can accept it there"
        " (called at {site} with ({types}))",
    ),
    "VFY017": (
        "error",
        "the stubs do not type-check, so calls through them go unchecked: {checker} reports"
        " {file}:{line}: {message}",
    ),
}


# numpydoc's validator codes keep numpydoc's messages; these are the ones worth a warning.
_NUMPYDOC_WARNINGS = {"GL08", "PR01", "PR02", "PR03", "RT01"}


class _Catalogue(Mapping[str, tuple[Severity, str]]):
    """Our codes, then numpydoc's validator codes, read from numpydoc when first asked for.

    Importing numpydoc costs more than a small extension's whole walk; ``nbapi stubs`` never
    needs its codes, so they are read on the first lookup of a code that is not ours.
    """

    def __init__(self, ours: dict[str, tuple[Severity, str]]) -> None:
        self._codes = ours
        self._complete = False

    def _all(self) -> dict[str, tuple[Severity, str]]:
        if not self._complete:
            from numpydoc.validate import ERROR_MSGS

            for code, message in ERROR_MSGS.items():
                self._codes[code] = ("warning" if code in _NUMPYDOC_WARNINGS else "info", message)
            self._complete = True
        return self._codes

    def __getitem__(self, code: str) -> tuple[Severity, str]:
        found = self._codes.get(code)
        return found if found is not None else self._all()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


CATALOGUE: Mapping[str, tuple[Severity, str]] = _Catalogue(_OURS)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found at one object: a catalogue code, the object's public path, a message."""

    path: str
    code: str
    message: str
    severity: Severity = "warning"

    def __str__(self) -> str:
        return f"{self.path}: {self.code} {self.message}"


def finding(code: str, path: str, **fields: Any) -> Finding:
    """Make a finding from the catalogue entry ``code``, formatting its message with ``fields``.

    Parameters
    ----------
    code : str
        A key of :data:`CATALOGUE`.
    path : str
        Public path of the object the finding is about.
    **fields
        Values for the message template's placeholders.

    Returns
    -------
    Finding
        The finding with the catalogue's default severity.
    """
    severity, template = CATALOGUE[code]
    return Finding(path=path, code=code, message=template.format(**fields), severity=severity)
