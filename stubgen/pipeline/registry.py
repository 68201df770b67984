"""The stage registry: every stage once, and the stages each verb runs.

Adding a stage is one module under :mod:`stubgen.pipeline.stages` that declares its
:class:`~stubgen.pipeline.job.Stage`, and one entry here. ``all`` runs :data:`ALL` in order;
a verb runs its :data:`PLANS` entry: the load, the stages it feeds from (their products
only, see :attr:`Stage.feed`), and its own stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from stubgen.pipeline import loading
from stubgen.pipeline.job import Stage
from stubgen.pipeline.stages import check, coverage, diff, docs, model, stubs, trace, verify

REGISTRY: dict[str, Stage] = {
    stage.name: stage
    for stage in (
        loading.STAGE,
        stubs.STAGE,
        verify.STAGE,
        check.STAGE,
        coverage.STAGE,
        diff.STAGE,
        docs.STAGE,
        model.STAGE,
        trace.STAGE,
    )
}
# The stages of 'all', in order, after the load (config.STAGES names the same, for --skip).
ALL = ("stubs", "verify", "check", "coverage", "diff", "docs")


@dataclass(frozen=True)
class Plan:
    """What one verb runs: its stages in order, the stages it feeds from, and how.

    Attributes
    ----------
    stages : tuple of str
        The stages run, in order, after the load.
    feeds : tuple of str
        Stages run for their products only (:attr:`Stage.feed`) before ``stages``.
    loads : bool
        Whether the verb loads the model (``trace`` runs a command instead).
    guarded : bool
        ``all``'s way: every stage's failure is a row, the stage cache is used, and the
        run goes on; otherwise a problem with the input stops the verb (exit 2).
    parse_docs : bool
        Whether the load parses docstrings (the stubs write them as they are).
    """

    stages: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    loads: bool = True
    guarded: bool = False
    parse_docs: bool = True


PLANS: dict[str, Plan] = {
    "all": Plan(ALL, guarded=True),
    "model": Plan(("model",)),
    "stubs": Plan(("stubs",), parse_docs=False),
    "verify": Plan(("verify",)),
    "check": Plan(("check",)),
    "coverage": Plan(("coverage",)),
    "diff": Plan(("diff",)),
    "docs": Plan(("docs",), feeds=("coverage", "diff")),
    "trace": Plan(("trace",), loads=False),
}
