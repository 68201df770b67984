"""The stages of a run, declared once and run one way.

- :mod:`~stubgen.pipeline.job`: the job, the verb's options, a stage's declaration
  (:class:`Stage`) and its result;
- :mod:`~stubgen.pipeline.loading`: the load stage (and each side of a diff);
- :mod:`~stubgen.pipeline.stages`: one module per stage (stubs, verify, check, coverage,
  diff, docs, model, trace);
- :mod:`~stubgen.pipeline.registry`: every stage once, and what each verb runs;
- :mod:`~stubgen.pipeline.runner`: :func:`run`, the one way ``all`` and every verb run.
"""

from __future__ import annotations

from stubgen.pipeline.job import Job, Options, Stage, StageResult, make_job
from stubgen.pipeline.loading import load, load_side
from stubgen.pipeline.registry import ALL, PLANS, REGISTRY, Plan
from stubgen.pipeline.runner import Progress, run, summary

__all__ = [
    "ALL",
    "PLANS",
    "REGISTRY",
    "Job",
    "Options",
    "Plan",
    "Progress",
    "Stage",
    "StageResult",
    "load",
    "load_side",
    "make_job",
    "run",
    "summary",
]
