"""Signature rules: unnamed arguments, leaked C++ types, imprecise types, nb::sig candidates."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from stubgen.coverage.rules.base import IMPRECISE, Context, FunctionTarget, is_dunder
from stubgen.findings import Finding, finding
from stubgen.model.text import DOUBLE_QUOTED

# The fix each binding library offers, in its own terms.
_NAME_FIX = {"nanobind": 'nb::arg("...")', "pybind11": 'py::arg("...")'}
_SIGNATURE_FIX = {
    "nanobind": 'spell it out with nb::sig("def ...")',
    "pybind11": 'describe defaults with py::arg_v("name", value, "expression") and types'
    " with py::typing annotations or a binding of the C++ type",
}


def unnamed_arguments(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """SIG001: parameters the binding had to call ``arg``/``argN`` (dunders exempt)."""
    if is_dunder(target.function.name):
        return
    fix = _NAME_FIX.get(target.function.binding, _NAME_FIX["nanobind"])
    for i, overload in enumerate(target.function.overloads):
        names = [p.name for p in overload.parameters if p.auto_named]
        if names:
            yield finding(
                "SIG001", target.path, where=target.where(i), names=", ".join(names), fix=fix
            )


def unbound_types(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """SIG002: C++ types without a Python binding in a signature."""
    for i, overload in enumerate(target.function.overloads):
        for cpp in overload.unbound_types:
            yield finding("SIG002", target.path, where=target.where(i), cpp=cpp)


def late_bound_types(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """SIG005: classes pybind11 named by their C++ names, bound after the function."""
    for i, overload in enumerate(target.function.overloads):
        for cpp, python in overload.cpp_resolved.items():
            yield finding("SIG005", target.path, where=target.where(i), cpp=cpp, python=python)


def imprecise_types(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """SIG003: a parameter or return typed only as ``object`` or ``Any`` (dunders exempt)."""
    if is_dunder(target.function.name):
        return
    for i, overload in enumerate(target.function.overloads):
        for p in overload.parameters:
            if p.annotation in IMPRECISE and p.kind not in ("var_positional", "var_keyword"):
                what = f"parameter {p.name!r}"
                yield finding(
                    "SIG003", target.path, where=target.where(i), what=what, type=p.annotation
                )
        if overload.returns in IMPRECISE:
            yield finding(
                "SIG003",
                target.path,
                where=target.where(i),
                what="the return value",
                type=overload.returns,
            )


def nb_sig_candidates(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """SIG004: generated signatures that only ``nb::sig`` (pybind11: ``py::arg_v``) can fix."""
    fix = _SIGNATURE_FIX.get(target.function.binding, _SIGNATURE_FIX["nanobind"])
    for i, overload in enumerate(target.function.overloads):
        if overload.source not in ("generated", "probe"):
            continue
        reasons = []
        if overload.unbound_types:
            reasons.append("names C++ types")
        if any(not _is_python(p.annotation) for p in overload.parameters) or not _is_python(
            overload.returns
        ):
            reasons.append("has annotations that are not Python (ndarray[...])")
        if any(p.has_default and not p.default_representable for p in overload.parameters):
            reasons.append("has defaults with no Python expression")
        if overload.returns is None and target.function.name != "__init__":
            reasons.append("has no return type")
        if reasons:
            yield finding(
                "SIG004", target.path, where=target.where(i), why=" and ".join(reasons), fix=fix
            )


def missing_signature(target: FunctionTarget, ctx: Context) -> Iterator[Finding]:
    """SIG006: a function whose binding exposes no signature users or tools can read."""
    fn = target.function
    sources = {o.source for o in fn.overloads}
    if is_dunder(fn.name) or not sources & {"probe", "docstring", "none"}:
        return
    if fn.binding == "pybind11":
        how = "; the stubs take any arguments"
        if "probe" in sources:
            how = " (its overloads were read from a failed call)"
        elif "docstring" in sources:
            how = "; the stubs take any arguments, the docs show the docstring's"
        fix = "drop py::options().disable_function_signatures() where it is bound"
    elif fn.binding == "nanobind":
        how = "; the stubs take any arguments"
        reason = next((o.parse_error for o in fn.overloads if o.parse_error), "")
        fix = f"write nb::sig text nbapi can read ({reason})"
    else:
        how = "; the stubs take any arguments"
        fix = "give it a Python signature (__text_signature__, or a def in Python)"
    yield finding("SIG006", fn.path, where="", how=how, fix=fix)


def _is_python(annotation: str | None) -> bool:
    if annotation is None:
        return True
    text = DOUBLE_QUOTED.sub("X", annotation)  # quoted C++ names are reported apart
    try:
        ast.parse(f"x: {text}")
    except SyntaxError:
        return False
    return True


RULES = {
    "SIG001": unnamed_arguments,
    "SIG002": unbound_types,
    "SIG003": imprecise_types,
    "SIG004": nb_sig_candidates,
    "SIG005": late_bound_types,
    "SIG006": missing_signature,
}
