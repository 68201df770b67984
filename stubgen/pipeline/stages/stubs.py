"""The stubs stage: render the model's stubs and write them, check them, or write one file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stubgen.files.writes import diff_tree, remove_stale_stubs, write_atomic, write_tree
from stubgen.load.isolate import can_fork
from stubgen.pipeline.job import Job, Stage, StageResult, recorded_calls, stubs_and_calls

if TYPE_CHECKING:
    from stubgen.stubs import StubFiles


def render_job_stubs(job: Job) -> StubFiles:
    """Render the stubs of ``job``'s model with its settings (the one place that does)."""
    from stubgen.stubs import render_stubs

    assert job.model is not None
    return render_stubs(
        job.model,
        job.config.type_map,
        docstrings=job.options.docstrings,
        values=job.options.values,
        calls=recorded.calls if (recorded := recorded_calls(job)) else (),
    )


def write_stub_tree(job: Job) -> StageResult:
    """Write the stubs under the stubs folder and remove the stale ones (the stage in ``all``)."""
    out = job.config.stubs_dir
    stubs = render_job_stubs(job)
    job.stub_files = stubs.files
    written = write_tree(out, stubs.files)
    removed = remove_stale_stubs(out, stubs.files)
    findings = sorted([*job.pattern_findings, *stubs.findings])
    detail = f"{len(stubs.files)} files under {out} ({len(written)} changed"
    detail += f", {len(removed)} stale removed), " if removed else "), "
    detail += f"{len(findings)} findings"
    problems = [f"removed {out / r}: a stub of a module that no longer exists" for r in removed]
    return StageResult(
        "stubs",
        "ok",
        detail=detail,
        problems=[*problems, *map(str, findings)],
        message=f"nbapi stubs: ok, {detail}",
    )


def stubs_stage(job: Job) -> StageResult:
    """Write the stubs, or with the verb's options check them or write one ``.pyi`` file.

    With ``typecheck``, mypy --strict runs on what was written; with ``marker_files``, the
    empty markers (``py.typed``) are written too.
    """
    options = job.options
    if options.check:
        return _check_stubs(job)
    if options.output_file is not None:
        result = _stubs_to_file(job, options.output_file)
    else:
        result = write_stub_tree(job)
    return _finish(job, result)


def _finish(job: Job, result: StageResult) -> StageResult:
    """Write the markers and, if asked, type-check the stubs written."""
    for marker in job.options.marker_files:
        write_atomic(marker, "")
    if job.options.typecheck:
        from stubgen.check.mypy_pass import typecheck_stubs

        errors = typecheck_stubs(job.stub_files)
        result.problems += [f"{e.severity}: {e}" for e in errors]
        result.message += f"\nmypy --strict: {len(errors)} errors in the stubs"
        result.status = "failed" if errors else result.status
    return result


def _check_stubs(job: Job) -> StageResult:
    """Compare the stubs with the folder's; a stale folder fails with the unified diff."""
    out = job.config.stubs_dir
    stubs = render_job_stubs(job)
    job.stub_files = stubs.files
    diff = diff_tree(out, stubs.files)
    if diff:
        again = f"nbapi stubs {job.module} -o {out}"
        message = f"nbapi: stubs under {out} are stale; regenerate them with '{again}'"
        return StageResult("stubs", "failed", detail="stale", output=diff, message=message)
    message = f"stubs under {out} are up to date"
    return StageResult("stubs", "ok", detail="up to date", message=message)


def _stubs_to_file(job: Job, output: Path) -> StageResult:
    """Write the module's stub to ``output`` (nanobind.stubgen's ``-o``), submodules beside it."""
    from stubgen.stubs import stub_file_name

    assert job.model is not None
    stubs = render_job_stubs(job)
    job.stub_files = stubs.files
    top = stub_file_name(job.model.module)
    folder = top.rpartition("/")[0]
    files = {output.name: stubs.files[top]}
    for relative, text in stubs.files.items():
        if relative != top and relative.endswith(".pyi") and relative.startswith(folder + "/"):
            files[relative[len(folder) + 1 :]] = text  # a submodule's stub, beside the file
    write_tree(output.parent, files)
    detail = f"{output} and {len(files) - 1} beside it"
    problems = [f"{f.severity}: {f}" for f in stubs.findings]
    return StageResult(
        "stubs", "ok", detail=detail, problems=problems, message=f"nbapi stubs: ok, {detail}"
    )


def with_load(job: Job) -> tuple[StageResult, StageResult] | None:
    """Load and write in one forked child, when the verb only writes the stubs folder.

    None where that does not apply (a check, one file, a recorded model, no fork).
    """
    from stubgen.pipeline.loading import load_and_write_stubs

    options = job.options
    if options.check or options.output_file or job.config.model_file or not can_fork():
        return None
    loaded, written = load_and_write_stubs(job, write_stub_tree)
    return loaded, _finish(job, written)


STAGE = Stage(
    "stubs",
    stubs_stage,
    settings=("type_map", "stubs_dir", "calls"),
    consumes=("model", "pattern_findings"),
    makes=("stub_files",),
    options=(
        "check",
        "output_file",
        "docstrings",
        "values",
        "typecheck",
        "marker_files",
    ),
    inputs=stubs_and_calls,
    cached=True,
    extras=lambda job: ("check",) if job.options.typecheck else (),
    with_load=with_load,
)
