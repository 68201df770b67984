"""The coverage rules: one small function per code, run over the model.

Signature rules live in :mod:`~stubgen.coverage.rules.signatures`, docstring rules
(numpydoc's checks among them) in :mod:`~stubgen.coverage.rules.docstrings`, class rules in
:mod:`~stubgen.coverage.rules.classes`, module rules in :mod:`~stubgen.coverage.rules.modules`.
Codes and messages are in :data:`stubgen.findings.CATALOGUE`.
"""

from __future__ import annotations

import fnmatch
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from stubgen.coverage.rules import classes, docstrings, modules, signatures
from stubgen.coverage.rules.base import (
    ClassRule,
    ClassTarget,
    Context,
    FunctionRule,
    FunctionTarget,
    class_targets,
    function_targets,
)
from stubgen.findings import CATALOGUE, Finding, finding
from stubgen.model.api import ApiModel
from stubgen.model.heap import frozen_heap
from stubgen.model.walk import iter_modules

FUNCTION_RULES: dict[str, FunctionRule] = {**signatures.RULES, **docstrings.RULES}
CLASS_RULES: dict[str, ClassRule] = {
    **classes.RULES,
    "NUMPYDOC_CLASS": docstrings.class_numpydoc_codes,
}
MODULE_RULES = modules.RULES
COVERAGE_PREFIXES = ("SIG", "DOC", "CLS", "MOD", "RUL")
# From this many functions and classes, the rules run in forked workers, one per core:
# numpydoc's checks cost about 0.4 ms per distinct docstring, and a fork costs a few ms.
PARALLEL_FROM = 20_000


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

    On big models (``PARALLEL_FROM`` functions and classes) the objects are shared out among
    forked workers, one per core; the findings are the same either way.

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
    targets: list[FunctionTarget | ClassTarget] = [
        *function_targets(model),
        *class_targets(model),
    ]
    ctx = Context.from_model(model)
    workers = min(os.cpu_count() or 1, len(targets) // (PARALLEL_FROM // 2))
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        found = _check_forked(targets, ctx, workers, codes)
    else:
        found = _check(targets, ctx, codes)
    for module in iter_modules(model.module):
        for name, module_rule in MODULE_RULES.items():
            found.extend(
                f for f in _safe(name, module.path, module_rule(module)) if f.code in codes
            )
    kept = (f for f in found if not chosen.excluded(f.path))
    # The order of Finding's fields, compared as tuples: a tenth of the dataclass's __lt__.
    return sorted(kept, key=lambda f: (f.path, f.code, f.message, f.severity))


def _check(
    targets: list[FunctionTarget | ClassTarget], ctx: Context, codes: set[str]
) -> list[Finding]:
    """Run every rule on ``targets``; return the findings of the selected ``codes``."""
    found: list[Finding] = []
    for target in targets:
        if isinstance(target, FunctionTarget):
            for name, rule in FUNCTION_RULES.items():
                found.extend(_safe(name, target.path, rule(target, ctx)))
        else:
            for name, class_rule in CLASS_RULES.items():
                found.extend(_safe(name, target.cls.path, class_rule(target, ctx)))
    return [f for f in found if f.code in codes]


# What the forked workers check, and the codes they send back: set before the fork,
# inherited, never pickled.
_SHARED: tuple[list[FunctionTarget | ClassTarget], Context, set[str]] | None = None


def _check_share(share: tuple[int, int]) -> list[Finding]:
    assert _SHARED is not None
    targets, ctx, codes = _SHARED
    start, step = share
    # Only the selected findings are pickled back: about half of them on default codes.
    return _check(targets[start::step], ctx, codes)


def _check_forked(
    targets: list[FunctionTarget | ClassTarget], ctx: Context, workers: int, codes: set[str]
) -> list[Finding]:
    global _SHARED
    shares = 8 * workers  # interleaved, so that each worker gets every kind of object
    _SHARED = (targets, ctx, codes)
    try:
        # The model stays out of the workers' collections: no copy-on-write of its pages.
        with frozen_heap(), multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_check_share, [(i, shares) for i in range(shares)], chunksize=1)
    finally:
        _SHARED = None
    return [f for part in parts for f in part]
