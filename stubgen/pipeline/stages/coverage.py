"""The coverage stage: the rule catalogue and the scores, gated; its report in every format."""

from __future__ import annotations

from stubgen.files.writes import write_atomic, write_tree
from stubgen.pipeline.job import Job, Stage, StageResult, Status


def coverage(job: Job) -> StageResult:
    """Score the API and gate it; write the report where the options say.

    ``all`` writes ``coverage.json``, ``.md`` and ``.svg`` into the reports folder; the verb
    prints its ``format`` (or writes it to ``output``), or records a baseline.
    """
    from stubgen.coverage import FORMATS, build_report
    from stubgen.coverage.baseline import write_baseline
    from stubgen.coverage.report import render_text

    assert job.model is not None
    options = job.options
    config = job.config.coverage
    if options.write_baseline is not None:
        config.baseline = None
        report = build_report(job.model, config)
        write_baseline(options.write_baseline, report.findings)
        message = f"baseline of {len(report.findings)} findings written to {options.write_baseline}"
        return StageResult("coverage", "ok", detail=message, message=message)
    report = job.report = build_report(job.model, config)
    status: Status = "ok" if report.passed else "failed"
    detail = f"{report.overall:.1f}% overall, {len(report.findings)} findings"
    if options.format is None:
        out = job.config.reports_dir
        formats = {"json": "coverage.json", "markdown": "coverage.md", "badge": "coverage.svg"}
        write_tree(out, {name: FORMATS[kind](report) for kind, name in formats.items()})
        detail += f"; reports in {out}"
        return StageResult("coverage", status, detail=detail, problems=report.failures)
    if options.format == "text":
        text = render_text(report, colour=options.colour)
    else:
        text = FORMATS[options.format](report)
    if options.output is not None:
        write_atomic(options.output, text)
        return StageResult("coverage", status, detail=detail)
    return StageResult("coverage", status, detail=detail, output=text)


def coverage_report(job: Job) -> list[str]:
    """Build the report the docs' coverage page shows (unless the verb leaves the page out)."""
    from stubgen.coverage import build_report

    assert job.model is not None
    if job.options.coverage_page:
        job.report = build_report(job.model, job.config.coverage)
    return []


# Coverage is cheap and its report feeds the docs' coverage page: it always runs.
STAGE = Stage(
    "coverage",
    coverage,
    makes=("report",),
    options=("format", "output", "colour", "write_baseline"),
    feed=coverage_report,
    problems="none",
)
