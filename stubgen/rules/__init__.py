"""The coverage rules: one small function per code, run over the model.

Signature rules live in :mod:`~stubgen.rules.signatures`, docstring rules (numpydoc's checks
among them) in :mod:`~stubgen.rules.docstrings`, class rules in :mod:`~stubgen.rules.classes`.
Codes and messages are in :data:`stubgen.findings.CATALOGUE`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from stubgen.findings import CATALOGUE, Finding, finding
from stubgen.model.api import ApiModel
from stubgen.rules import classes, docstrings, signatures
from stubgen.rules.base import (
    ClassRule,
    Context,
    FunctionRule,
    class_targets,
    function_targets,
)

FUNCTION_RULES: dict[str, FunctionRule] = {**signatures.RULES, **docstrings.RULES}
CLASS_RULES: dict[str, ClassRule] = {
    **classes.RULES,
    "NUMPYDOC_CLASS": docstrings.class_numpydoc_codes,
}
COVERAGE_PREFIXES = ("SIG", "DOC", "CLS", "RUL")


def default_codes() -> set[str]:
    """Return the codes checked unless configured otherwise."""
    ours = {code for code in CATALOGUE if code.startswith(COVERAGE_PREFIXES)}
    return ours | docstrings.DEFAULT_NUMPYDOC


@dataclass
class Selection:
    """Which findings to keep: codes (``ALL`` for every code), ignored codes, excluded paths."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    def codes(self) -> set[str]:
        """Return the selected codes."""
        if not self.select:
            chosen = default_codes()
        elif "ALL" in self.select:
            chosen = {c for c in CATALOGUE if not c.startswith(("STB", "VFY"))}
        else:
            chosen = set(self.select)
        return chosen - set(self.ignore)

    def excluded(self, path: str) -> bool:
        """Tell whether the object at ``path`` is excluded by a glob."""
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in self.exclude)


def _safe(rule_name: str, path: str, results: Iterable[Finding]) -> Iterator[Finding]:
    try:
        yield from results
    except Exception as exc:
        yield finding("RUL001", path, rule=rule_name, error=f"{type(exc).__name__}: {exc}")


def run_rules(model: ApiModel, selection: Selection | None = None) -> list[Finding]:
    """Check every object of ``model`` and return the selected findings, sorted.

    Parameters
    ----------
    model : ApiModel
        The API model.
    selection : Selection, optional
        Codes to keep and objects to exclude; the defaults otherwise.

    Returns
    -------
    list of Finding
        The findings, sorted by path and code.
    """
    chosen = selection or Selection()
    codes = chosen.codes()
    ctx = Context.from_model(model)
    found: list[Finding] = []
    for target in function_targets(model):
        for name, rule in FUNCTION_RULES.items():
            found.extend(_safe(name, target.path, rule(target, ctx)))
    for cls_target in class_targets(model):
        for name, class_rule in CLASS_RULES.items():
            found.extend(_safe(name, cls_target.cls.path, class_rule(cls_target, ctx)))
    return sorted(f for f in found if f.code in codes and not chosen.excluded(f.path))
