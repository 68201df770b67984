"""Coverage scores: how much of the API is documented, named, typed and sectioned."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from stubgen.coverage.rules.base import IMPRECISE, FunctionTarget, is_dunder
from stubgen.model.api import ApiModel, Module, Overload
from stubgen.model.walk import iter_classes, iter_modules

METRICS = ("documented", "named_arguments", "typed_signatures", "sections")


@dataclass
class Tally:
    """Counts behind one metric: how many objects passed out of how many."""

    passed: int = 0
    total: int = 0

    @property
    def percent(self) -> float | None:
        """The share that passed, in percent; None (not applicable) when nothing counts."""
        return 100.0 * self.passed / self.total if self.total else None

    def add(self, ok: bool) -> None:
        """Count one object."""
        self.total += 1
        self.passed += ok


@dataclass
class Scores:
    """The four metrics of one module (or of the whole package) and their mean.

    ``documented``: overloads and properties with their own docstring. ``named_arguments``:
    overloads with parameters none of which is an auto-named ``arg``/``argN``.
    ``typed_signatures``: overloads free of C++ type names and of parameters or returns typed
    only ``object``/``Any``. ``sections``: documented overloads that have a Parameters section
    when they take parameters and a Returns section when they return something.
    """

    documented: Tally = field(default_factory=Tally)
    named_arguments: Tally = field(default_factory=Tally)
    typed_signatures: Tally = field(default_factory=Tally)
    sections: Tally = field(default_factory=Tally)

    @property
    def overall(self) -> float | None:
        """Mean of the percentages that apply; None when none does (an empty module)."""
        tallies = (self.documented, self.named_arguments, self.typed_signatures, self.sections)
        measured = [t.percent for t in tallies if t.percent is not None]
        return sum(measured) / len(measured) if measured else None

    def as_dict(self) -> dict[str, float | None]:
        """Return the percentages, rounded to one decimal, with ``overall``; None is n/a."""
        values = {m: getattr(self, m).percent for m in METRICS}
        values["overall"] = self.overall
        return {k: None if v is None else round(v, 1) for k, v in values.items()}


def format_percent(value: float | None, digits: int = 1) -> str:
    """Write a score as ``87.5%``, or ``n/a`` where nothing was counted."""
    return "n/a" if value is None else f"{value:.{digits}f}%"


def _typed(overload: Overload) -> bool:
    if overload.unbound_types or overload.source in ("none", "docstring"):
        return False
    annotations = [p.annotation for p in overload.parameters if p.kind.startswith("pos")]
    return overload.returns not in IMPRECISE and not any(a in IMPRECISE for a in annotations)


def _sectioned(target: FunctionTarget, overload: Overload) -> bool:
    doc = overload.doc
    assert doc is not None
    needs_params = bool(target.signature_names(overload))
    needs_returns = overload.returns not in (None, "None") and target.function.name != "__init__"
    return (not needs_params or bool(doc.parameters)) and (not needs_returns or bool(doc.returns))


def _count(scores: Scores, target: FunctionTarget) -> None:
    for overload in target.function.overloads:
        scores.documented.add(overload.doc is not None)
        if overload.source in ("none", "docstring"):  # the binding names nothing
            scores.named_arguments.add(False)
        elif target.signature_names(overload):
            scores.named_arguments.add(not any(p.auto_named for p in overload.parameters))
        scores.typed_signatures.add(_typed(overload))
        if overload.doc is not None:
            scores.sections.add(_sectioned(target, overload))


def compute_scores(
    model: ApiModel, excluded: Callable[[str], bool] = lambda path: False
) -> dict[str, Scores]:
    """Score every module and the whole package (key ``""``); dunder methods are not counted.

    Parameters
    ----------
    model : ApiModel
        The API model.
    excluded : callable, optional
        Tells whether an object's public path is excluded from coverage.

    Returns
    -------
    dict of str to Scores
        Scores keyed by module path, plus ``""`` for the package.
    """
    result: dict[str, Scores] = {"": Scores()}
    for module in iter_modules(model.module):
        scores = result.setdefault(module.path, Scores())
        for target in _targets(module, excluded):
            _count(scores, target)
            _count(result[""], target)
        for cls in iter_classes(module.classes):
            for prop in cls.properties:
                if not excluded(prop.path):
                    for s in (scores, result[""]):
                        s.documented.add(prop.doc is not None)
    return result


def _targets(module: Module, excluded: Callable[[str], bool]) -> Iterator[FunctionTarget]:
    for fn in module.functions:
        if not excluded(fn.path) and not is_dunder(fn.name):
            yield FunctionTarget(fn, module)
    for cls in iter_classes(module.classes):
        for fn in cls.functions:
            if not excluded(fn.path) and not is_dunder(fn.name):
                yield FunctionTarget(fn, module, cls)
