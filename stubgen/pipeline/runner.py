"""Running a verb: the load, the stages it feeds from, and its stages, in one function.

``all`` and every verb go through :func:`run` with their :data:`~stubgen.pipeline.registry.PLANS`
entry; a stage is the same function either way, so a verb alone and its stage inside ``all``
cannot differ. In ``all``, a stage whose inputs have not changed since it last succeeded is
skipped (see :mod:`stubgen.files.cache`).
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from typing import TextIO

from stubgen.errors import ToolError
from stubgen.files.cache import stage_key
from stubgen.pipeline.job import Job, Stage, StageResult, require_extras, settings_digest
from stubgen.pipeline.registry import PLANS, REGISTRY, Plan


class Progress:
    """Per-stage status on stderr: a live line on a terminal, one line per stage in CI."""

    def __init__(self, quiet: bool = True, verbose: bool = False, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.verbose = verbose
        self.live = not quiet and self.stream.isatty()

    def start(self, name: str) -> None:
        """Say that a stage started (only on a terminal)."""
        if self.live:
            self.stream.write(f"\r  {name:<9} running...")
            self.stream.flush()

    def done(self, result: StageResult) -> None:
        """Say how a stage ended."""
        if self.quiet:
            return
        prefix = "\r" if self.live else ""
        self.stream.write(
            f"{prefix}  {result.name:<9} {result.status:<7} {result.seconds:6.2f} s  "
            f"{result.detail}\n"
        )
        if self.verbose or result.status == "failed":
            for problem in result.problems[:50]:
                self.stream.write(f"      {problem}\n")


def run(job: Job, verb: str, progress: Progress | None = None) -> list[StageResult]:
    """Run ``verb``'s plan over ``job``; return one result per stage, the load's first.

    Parameters
    ----------
    job : Job
        The settled settings and the verb's options (:func:`~stubgen.pipeline.job.make_job`).
    verb : str
        A key of :data:`~stubgen.pipeline.registry.PLANS` (``"all"`` or a verb).
    progress : Progress, optional
        Where each stage's line goes as it ends (default: nowhere).

    Returns
    -------
    list of StageResult
        The load's row (unless the verb does not load), the rows of the stages fed from
        (their warnings as the message), then one row per stage. In a guarded plan
        (``all``) every stage has a row, skipped or not.

    Raises
    ------
    ToolError
        In a verb (not guarded): the module cannot be loaded, a stage's input is bad.
    """
    plan = PLANS[verb]
    progress = progress or Progress()
    job.parse_docs = plan.parse_docs
    if not plan.guarded:
        _check_inputs(job, plan)
        fused = _fused(job, plan)
        if fused is not None:
            return fused
    results = []
    if plan.loads:
        results.append(_step(job, plan, REGISTRY["load"], progress))
    loaded = not results or results[0].status != "failed"
    for name in plan.feeds:
        stage = REGISTRY[name]
        if stage.feed is not None and name not in job.skip:
            warnings = stage.feed(job)
            results.append(StageResult(name, "ok", detail="products", message="\n".join(warnings)))
    for name in plan.stages:
        if name in job.skip or not loaded:
            reason = "skipped on request" if name in job.skip else "no model to work on"
            result = StageResult(name, "skipped", detail=reason)
            progress.done(result)
            results.append(result)
            continue
        results.append(_step(job, plan, REGISTRY[name], progress))
    return results


def _check_inputs(job: Job, plan: Plan) -> None:
    """Fail before loading when a stage lacks an extra or a stubs folder it reads.

    A stubs folder counts as missing only when no stage of the plan writes it.
    """
    for name in (*plan.feeds, *plan.stages):
        require_extras(REGISTRY[name].extras(job), f"nbapi {name}")
    stubs = job.config.stubs_dir
    reads = any(REGISTRY[name].needs_stubs for name in plan.stages)
    if reads and "stubs" not in plan.stages and not stubs.is_dir():
        raise ToolError(f"stubs directory {stubs} does not exist")


def _fused(job: Job, plan: Plan) -> list[StageResult] | None:
    """Run the load and the plan's one stage together where the stage offers to."""
    if not plan.loads or len(plan.stages) != 1 or plan.feeds:
        return None
    stage = REGISTRY[plan.stages[0]]
    both = stage.with_load(job) if stage.with_load is not None else None
    return list(both) if both is not None else None


def _step(job: Job, plan: Plan, stage: Stage, progress: Progress) -> StageResult:
    """Run one stage, timed; in a guarded plan, its failure is its row."""
    progress.start(stage.name)
    start = time.perf_counter()
    if plan.guarded:
        result = _guarded(stage.name, functools.partial(_cached_run, job, stage))
        if result.status == "failed" and stage.name != "load":
            job.cache.forget(stage.name)
    else:
        result = stage.run(job)
    result.seconds = time.perf_counter() - start
    progress.done(result)
    return result


def _cached_run(job: Job, stage: Stage) -> StageResult:
    """Run a stage of ``all``: its extras checked; skipped when its key has not changed.

    The load keeps its own cache (the model file, see :func:`stubgen.pipeline.loading.load`).
    """
    require_extras(stage.extras(job), f"the {stage.name} stage")
    if stage.name == "load":
        return stage.run(job)
    if stage.cached and job.cache.fresh(
        stage.name, stage_key(job.base, stage.name, _inputs(job, stage))
    ):
        return StageResult(stage.name, "cached", detail="inputs unchanged since the last success")
    result = stage.run(job)
    if result.status == "ok" and stage.cached:
        job.cache.record(stage.name, stage_key(job.base, stage.name, _inputs(job, stage)))
    return result


def _inputs(job: Job, stage: Stage) -> str:
    """Return a stage's part of its key: the settings it declares, the files it reads."""
    return settings_digest(job.config, stage.settings) + stage.inputs(job)


def _guarded(stage: str, work: Callable[[], StageResult]) -> StageResult:
    """Run a stage; a problem with the input or the output becomes its failed row."""
    try:
        return work()
    except ToolError as exc:
        return StageResult(stage, "failed", detail=str(exc), problems=[str(exc)])
    except OSError as exc:
        message = f"{exc.strerror or type(exc).__name__}: {exc.filename or ''}".rstrip(": ")
        return StageResult(stage, "failed", detail=message, problems=[message])


def summary(module: str, results: list[StageResult]) -> str:
    """Render the closing table of ``all``: each stage's status, time and detail, the total."""
    lines = [f"nbapi all {module}", f"  {'stage':<9} {'status':<7} {'time':>8}  detail"]
    for r in results:
        lines.append(f"  {r.name:<9} {r.status:<7} {r.seconds:6.2f} s  {r.detail}")
    total = sum(r.seconds for r in results)
    failed = [r.name for r in results if r.status == "failed"]
    lines.append(
        f"  {'total':<9} {'':<7} {total:6.2f} s  "
        + ("all passed" if not failed else "failed: " + ", ".join(failed))
    )
    return "\n".join(lines) + "\n"
