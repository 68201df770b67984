"""Counts over an API model, for the ``model --summary`` report."""

from __future__ import annotations

from dataclasses import dataclass

from stubgen.model.api import ApiModel, Overload
from stubgen.model.walk import iter_classes, iter_functions, iter_modules


@dataclass
class ModelSummary:
    """How much API a model holds and how much of it is documented and named."""

    modules: int = 0
    classes: int = 0
    enums: int = 0
    functions: int = 0
    overloads: int = 0
    documented_overloads: int = 0
    properties: int = 0
    unnamed_argument_overloads: int = 0
    nb_sig_overloads: int = 0
    unbound_types: int = 0
    load_errors: int = 0


def summarize(model: ApiModel) -> ModelSummary:
    """Count the objects of a model.

    Parameters
    ----------
    model : ApiModel
        The model to count.

    Returns
    -------
    ModelSummary
        The counts; an overload counts as unnamed when any parameter has an auto-generated name.
    """
    s = ModelSummary(load_errors=len(model.load_errors))
    unbound: set[str] = set()
    overloads: list[Overload] = []
    for module in iter_modules(model.module):
        s.modules += 1
        for cls in iter_classes(module.classes):
            s.classes += 1
            s.enums += cls.is_enum
            s.properties += len(cls.properties)
            for prop in cls.properties:
                overloads += [o for o in (prop.getter, prop.setter) if o is not None]
    for fn in iter_functions(model):
        s.functions += 1
        s.overloads += len(fn.overloads)
        s.documented_overloads += sum(o.doc is not None for o in fn.overloads)
        s.unnamed_argument_overloads += sum(
            any(p.auto_named for p in o.parameters) for o in fn.overloads
        )
        s.nb_sig_overloads += sum(o.source == "nb_sig" for o in fn.overloads)
        overloads += fn.overloads
    for o in overloads:
        unbound.update(o.unbound_types)
    s.unbound_types = len(unbound)
    return s


def format_summary(name: str, s: ModelSummary) -> str:
    """Render a summary as a few aligned lines of text."""
    rows = [
        ("modules", s.modules),
        ("classes", f"{s.classes} ({s.enums} enums)"),
        ("functions", f"{s.functions} ({s.properties} properties besides)"),
        ("overloads", s.overloads),
        ("documented", f"{s.documented_overloads} of {s.overloads} overloads"),
        ("unnamed args", f"{s.unnamed_argument_overloads} overloads"),
        ("nb::sig", f"{s.nb_sig_overloads} overloads"),
        ("unbound types", s.unbound_types),
        ("load errors", s.load_errors),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join([f"{name}"] + [f"  {label:<{width}}  {value}" for label, value in rows]) + "\n"
