"""Small model builders shared by the table tests (rules, stub cases, the catalogue)."""

from __future__ import annotations

from typing import Any

from stubgen.model.api import ApiModel, Class, Function, Module, Overload, Parameter
from stubgen.parse.docstring import parse_docstring


def param(
    name: str, annotation: str | None = "int", kind: str = "positional_or_keyword", **kw: Any
) -> Parameter:
    """A parameter; ``kw`` sets defaults and the rest (``has_default=True, default="1"``)."""
    return Parameter(name=name, kind=kind, annotation=annotation, **kw)  # type: ignore[arg-type]


def overload(
    params: list[Parameter],
    returns: str | None = "None",
    doc: str | None = None,
    source: str = "generated",
    **kw: Any,
) -> Overload:
    """An overload; ``doc`` is parsed as the loader parses docstrings."""
    return Overload(
        signature="",
        parameters=params,
        returns=returns,
        doc=parse_docstring(doc) if doc else None,
        source=source,  # type: ignore[arg-type]
        **kw,
    )


def function(
    name: str, *overloads: Overload, kind: str = "function", path: str = "", runtime: str = ""
) -> Function:
    """A function of module ``m`` (or at ``path``) with these overloads."""
    fn = Function(
        name=name,
        path=path or f"m.{name}",
        runtime_path=runtime or path or f"m.{name}",
        kind=kind,  # type: ignore[arg-type]
        overloads=list(overloads),
    )
    docs = [o.doc is not None for o in overloads]
    fn.doc_only_on_last = len(docs) > 1 and docs[-1] and not any(docs[:-1])
    return fn


def module(*functions: Function, classes: list[Class] | None = None, name: str = "m") -> Module:
    """Module ``m`` holding these functions and classes."""
    return Module(name, name, name, functions=list(functions), classes=list(classes or []))


def model(root: Module) -> ApiModel:
    """A model of ``root``."""
    return ApiModel(module=root)
