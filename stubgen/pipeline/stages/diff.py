"""The diff stage: the model against an older version; the breaking changes gated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stubgen.errors import ToolError
from stubgen.files.writes import write_atomic, write_tree
from stubgen.pipeline.job import Job, Stage, StageResult, Status

if TYPE_CHECKING:
    from stubgen.diff import DiffReport


def changes(job: Job) -> DiffReport:
    """Compare the job's model with the old side (the verb's, else ``diff-against``).

    A module or model-file side loads as the job's own model did
    (:func:`stubgen.pipeline.loading.load_side`); a git ref's side reads its committed
    stubs against the stubs this run rendered, if any.

    Raises
    ------
    ToolError
        If no old side is configured, or it cannot be read or loaded.
    """
    from stubgen.diff import build_diff, side_label
    from stubgen.pipeline.loading import load_side

    assert job.model is not None
    config, options = job.config, job.options
    old = options.old or config.diff_against
    if not old:
        raise ToolError("nothing to compare with: give OLD, --against REF or diff-against")
    return build_diff(
        config,
        job.model,
        lambda spec: load_side(spec, config),
        old_spec=old,
        git_ref=options.git_ref,
        new_label=side_label(options.new) if options.new else job.module,
        stub_files=job.stub_files or None,
    )


def diff(job: Job) -> StageResult:
    """Compare and gate; write the report where the options say.

    ``all`` writes ``diff.json`` and ``diff.md`` into the reports folder (and skips the
    stage without ``diff-against``); the verb prints its ``format`` (or writes it to
    ``output``), or records today's breaks as accepted.
    """
    from stubgen.diff import FORMATS
    from stubgen.files.findings_file import write_findings

    options = job.options
    if options.format is None and not job.config.diff_against:
        return StageResult("diff", "skipped", detail="no diff-against reference configured")
    report = job.changes = changes(job)
    status: Status = "ok" if report.passed else "failed"
    counts = ", ".join(f"{n} {kind}" for kind, n in report.counts().items())
    detail = f"against {report.old}: {counts}"
    if options.write_allowlist is not None:
        breaking = [f for f in report.findings if f.severity == "error"] + report.allowed
        write_findings(options.write_allowlist, breaking)
        message = f"allowlist of {len(breaking)} breaks written to {options.write_allowlist}"
        return StageResult("diff", "ok", detail=message, message=message)
    if options.format is None:
        out = job.config.reports_dir
        write_tree(
            out, {"diff.json": FORMATS["json"](report), "diff.md": FORMATS["markdown"](report)}
        )
        problems = [str(f) for f in report.failing]
        return StageResult("diff", status, detail=f"{detail}; reports in {out}", problems=problems)
    text = FORMATS[options.format](report)
    if options.output is not None:
        write_atomic(options.output, text)
        message = f"nbapi diff: report written to {options.output}"
        return StageResult("diff", status, detail=detail, message=message)
    return StageResult("diff", status, detail=detail, output=text)


def changes_page(job: Job) -> list[str]:
    """Compare for the docs' Changes page; a side that cannot be read is a warning."""
    if not job.config.diff_against:
        return []
    try:
        job.changes = changes(job)
    except ToolError as exc:  # as in 'all', where the diff stage fails and the docs go on
        return [f"warning: no Changes page: {exc}"]
    return []


STAGE = Stage(
    "diff",
    diff,
    consumes=("model", "stub_files"),
    makes=("changes",),
    options=("old", "git_ref", "new", "format", "output", "write_allowlist"),
    feed=changes_page,
    problems="none",
)
