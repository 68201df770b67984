"""The docs stage: the API pages written from the model and the HTML built with Sphinx."""

from __future__ import annotations

import json

from stubgen.files.cache import hash_files
from stubgen.findings import finding
from stubgen.pipeline.job import Job, Stage, StageResult


def docs(job: Job) -> StageResult:
    """Build the HTML; a warning the package's docstrings cause is a finding (DOC008)."""
    from stubgen.docs.build import build_docs, docstring_warning

    assert job.model is not None
    config = job.config
    output, source = config.docs_output, config.docs_source
    strict = config.docs_fail_on_warning
    _, warnings = build_docs(
        job.model,
        job.report,
        source,
        output,
        changes=job.changes,
        fail_on_warning=strict,
        docs=config.docs,
        type_map=config.type_map,
    )
    found = [docstring_warning(w, source) for w in warnings]
    if (strict and warnings) or None in found:
        detail = f"{len(warnings)} warnings (treated as errors)"
        return StageResult(
            "docs",
            "failed",
            detail=detail,
            problems=warnings,
            message=f"nbapi docs: failed, {detail}",
        )
    findings = [
        finding("DOC008", path, line=line, message=message)
        for path, line, message in (f for f in found if f is not None)
    ]
    detail = f"HTML in {output}"
    detail += f"; {len(findings)} warnings from the package's docstrings" if findings else ""
    return StageResult(
        "docs",
        "ok",
        detail=detail,
        problems=[str(f) for f in findings],
        message=f"nbapi docs: ok, {detail}",
    )


def _inputs(job: Job) -> str:
    config = job.config
    exists = "yes" if (config.docs_output / "index.html").is_file() else "no"
    changes = "" if job.changes is None else json.dumps([str(f) for f in job.changes.findings])
    return hash_files([config.docs_source]) + exists + changes


STAGE = Stage(
    "docs",
    docs,
    settings=(
        "type_map",
        "docs_source",
        "docs_output",
        "docs_fail_on_warning",
        "docs",
        "coverage",
    ),
    consumes=("model", "report", "changes"),
    inputs=_inputs,
    cached=True,
    extras=lambda job: ("docs",),
)
