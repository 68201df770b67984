"""Docstring rules, whatever style the docstring is written in (the model maps them all)."""

from __future__ import annotations

from collections.abc import Iterator

from stubgen.coverage.rules.base import ClassTarget, Context, FunctionTarget, is_dunder
from stubgen.coverage.rules.numpydoc_checks import validate_overload
from stubgen.findings import CATALOGUE, Finding, finding
from stubgen.model.api import Docstring, Function, Overload

# numpydoc codes run by default; the others (style details) are opt-in through `select`.
DEFAULT_NUMPYDOC = {
    "GL06",
    "GL07",
    "GL08",
    "SS01",
    "SS03",
    "PR01",
    "PR02",
    "PR03",
    "PR10",
    "RT01",
    "SA01",
    "SA04",
    "EX01",
    "YD01",
}


# numpydoc's comparisons of the documented parameters with the signature's.
_PARAMETER_CODES = ("PR01", "PR02", "PR03")


def _documented(fn: Function) -> list[tuple[int, Overload, Docstring]]:
    return [(i, o, o.doc) for i, o in enumerate(fn.overloads) if o.doc is not None]


def missing_docstring(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """GL08 where nothing is documented; DOC002 for the macro pattern (last overload only)."""
    fn = target.function
    if is_dunder(fn.name):
        return
    documented = _documented(fn)
    if fn.doc_only_on_last:
        missing = ", ".join(str(i + 1) for i in range(len(fn.overloads) - 1))
        yield finding("DOC002", fn.path, count=len(fn.overloads), missing=missing)
        return
    if not documented:
        yield Finding(fn.path, "GL08", CATALOGUE["GL08"][1], CATALOGUE["GL08"][0])
        return
    for i, overload in enumerate(fn.overloads):
        if overload.doc is None:
            message = f"{target.where(i)}{CATALOGUE['GL08'][1]}"
            yield Finding(fn.path, "GL08", message, CATALOGUE["GL08"][0])


def numpydoc_codes(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """Run numpydoc's checks on each documented overload, through the model-fed validator."""
    if is_dunder(target.function.name):
        return
    for i, overload, doc in _documented(target.function):
        names = target.signature_names(overload)
        renamed = _renamed_parameters(doc, names)
        unknown = overload.source in ("none", "docstring")  # nothing to compare: SIG006 says so
        for code, message in validate_overload(target.path, doc, names, overload):
            if code == "GL08" or ((renamed or unknown) and code in _PARAMETER_CODES):
                continue  # reported by missing_docstring / parameter_names, more precisely
            if code == "RT01" and "Returns" in doc.sections:
                # numpydoc says "No Returns section found" of a heading with nothing under it.
                message = "The Returns section is empty: give the type and what it is"
            yield Finding(target.path, code, f"{target.where(i)}{message}", CATALOGUE[code][0])


def class_numpydoc_codes(target: ClassTarget, ctx: Context) -> Iterator[Finding]:
    """Run numpydoc's checks on class docstrings (parameters of a single ``__init__``)."""
    cls = target.cls
    if cls.doc is None:
        if not cls.is_exception:
            yield Finding(cls.path, "GL08", CATALOGUE["GL08"][1], CATALOGUE["GL08"][0])
        return
    init = next((f for f in cls.functions if f.name == "__init__"), None)
    parameters: list[str] = []
    if init is not None and len(init.overloads) == 1:
        parameters = FunctionTarget(init, target.module, cls).signature_names(init.overloads[0])
    for code, message in validate_overload(cls.path, cls.doc, parameters, None):
        if code not in ("GL08", "RT01"):
            yield Finding(cls.path, code, message, CATALOGUE[code][0])


def _renamed_parameters(doc: Docstring, names: list[str]) -> bool:
    documented = [n.strip() for item in doc.parameters for n in item.name.split(",")]
    plain = [n for n in names if not n.startswith("*")]
    # Another order of the same names is numpydoc's PR03; other names are a renaming.
    return bool(documented) and set(documented) != set(plain) and len(documented) == len(plain)


def parameter_names(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """DOC005: the docstring names the parameters differently (``x`` vs nanobind's ``arg``)."""
    for i, overload, doc in _documented(target.function):
        names = target.signature_names(overload)
        if overload.source not in ("none", "docstring") and _renamed_parameters(doc, names):
            documented = [n.strip() for item in doc.parameters for n in item.name.split(",")]
            yield finding(
                "DOC005",
                target.path,
                where=target.where(i),
                documented=", ".join(documented),
                actual=", ".join(n for n in names if not n.startswith("*")),
                fix=_naming_fix(target.function, overload, documented),
            )


def _naming_fix(fn: Function, overload: Overload, documented: list[str]) -> str:
    """Return the fix in the binding's terms: name unnamed arguments as the docstring does."""
    unnamed = [p for p in overload.parameters if p.auto_named]
    if not unnamed or fn.binding == "python":
        return "rename them in the docstring or in the binding"
    arg = "py::arg" if fn.binding == "pybind11" else "nb::arg"
    plain = [p for p in overload.parameters if p.kind not in ("var_positional", "var_keyword")]
    plain = plain[1:] if plain and plain[0].name == "self" else plain
    names = [doc if p.auto_named else p.name for p, doc in zip(plain, documented, strict=False)]
    return "name them in the binding: " + ", ".join(f'{arg}("{n}")' for n in names)


def no_raises(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """DOC003: a documented function without a Raises section (numpydoc has no such check)."""
    if is_dunder(target.function.name):
        return
    for i, _, doc in _documented(target.function):
        if not doc.raises:
            yield finding("DOC003", target.path, where=target.where(i))


def unresolved_see_also(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """DOC004: See Also entries that name nothing in the package (or a stdlib dotted path)."""
    scopes = [target.function.path.rsplit(".", 1)[0], target.module.path, ctx.model.module.path]
    for i, _, doc in _documented(target.function):
        for item in doc.see_also:
            if ctx.index.resolve(item.name, scopes) is None:
                yield finding("DOC004", target.path, where=target.where(i), name=item.name)


def malformed(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """DOC006: problems the docstring parser found (bad underline, ``name:type``, mixed styles)."""
    for i, _, doc in _documented(target.function):
        for problem in doc.problems:
            yield finding("DOC006", target.path, where=target.where(i), problem=problem)


def not_numpydoc(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """DOC007 (informational): a docstring in another style, for projects that want one."""
    for i, _, doc in _documented(target.function):
        if doc.style not in ("numpydoc", "plain"):
            yield finding("DOC007", target.path, where=target.where(i), style=doc.style)


RULES = {
    "GL08": missing_docstring,
    "NUMPYDOC": numpydoc_codes,
    "DOC003": no_raises,
    "DOC004": unresolved_see_also,
    "DOC005": parameter_names,
    "DOC006": malformed,
    "DOC007": not_numpydoc,
}
