"""The check stage: example user code and docstring Examples against the stubs."""

from __future__ import annotations

from stubgen.files.cache import hash_files
from stubgen.load.isolate import DEFAULT_TIMEOUT
from stubgen.pipeline.job import Job, Stage, StageResult


def check(job: Job) -> StageResult:
    """Type-check (and run) the check cases and the docstring Examples; fail on any that fails.

    The verb prints the table of cases (the result's output).
    """
    from stubgen.check.cases import format_results, run_checks

    assert job.model is not None
    config = job.config
    # The default folder may be missing (Examples only); a configured one was checked to exist.
    checks = config.checks_dir if config.checks_dir.is_dir() else None
    timeout = config.timeout or DEFAULT_TIMEOUT
    model = job.model if job.options.examples else None
    run = config.model_file is None  # a recorded model: the module is not importable here
    results = run_checks(checks, model, config.stubs_dir, config.paths, timeout, run)
    job.check_results = results
    failed = [r for r in results if not r.passed]
    detail = f"{len(results) - len(failed)} of {len(results)} cases and Examples passed"
    detail += "" if run else " (type-checked only: rendered from a recorded model)"
    return StageResult(
        "check",
        "failed" if failed else "ok",
        detail=detail,
        problems=[f"{r.name}: {p}" for r in failed for p in r.problems],
        output=format_results(results),
    )


def _inputs(job: Job) -> str:
    return hash_files([job.config.stubs_dir, job.config.checks_dir])


STAGE = Stage(
    "check",
    check,
    settings=("type_map", "stubs_dir", "checks_dir"),
    makes=("check_results",),
    options=("examples",),
    inputs=_inputs,
    cached=True,
    extras=lambda job: ("check",),
    problems="none",
    needs_stubs=True,
)
