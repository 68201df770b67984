"""The verify stage: the stubs on disk against the runtime, and the recorded calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stubgen.errors import ToolError
from stubgen.load.isolate import DEFAULT_TIMEOUT
from stubgen.pipeline.job import (
    Job,
    Stage,
    StageResult,
    Status,
    recorded_calls,
    stubs_and_calls,
)

if TYPE_CHECKING:
    from stubgen.findings import Finding
    from stubgen.trace.calls import CallsFile


def verify(job: Job) -> StageResult:
    """Compare the stubs with the runtime, read again apart from the model.

    With a recorded model (``--model``) there is no runtime to read: the stubs are compared
    with the model, and the detail says so.
    """
    from stubgen.stubs import evidence_reorders
    from stubgen.verify import curation_of, read_runtime, scope_from_model, verify_stubs

    assert job.model is not None
    config = job.config
    if config.model_file is not None:
        facts, against = scope_from_model(job.model), "the recorded model"
    else:
        facts = read_runtime(
            job.module,
            paths=config.paths,
            timeout=config.timeout or DEFAULT_TIMEOUT,
            probe=config.probe,
            setup=config.setup,
        )
        against = "the module"
    findings = verify_stubs(facts, config.stubs_dir, curation_of(job.model))
    recorded = recorded_calls(job)
    if recorded is not None:
        # The stubs' order is the evidence's where the calls settled it (STB033).
        moved = evidence_reorders(job.model, recorded.calls)
        findings = [f for f in findings if not (f.code == "VFY010" and f.path in moved)]
    detail = f"{len(findings)} mismatches with {against}" if findings else f"stubs match {against}"
    if recorded is not None:
        rejected, calls_detail = _verify_calls(job, recorded)
        findings = [*findings, *rejected]
        detail += f"; {calls_detail}"
    status: Status = "failed" if any(f.severity != "info" for f in findings) else "ok"
    return StageResult(
        "verify",
        status,
        detail=detail,
        problems=[str(f) for f in findings],
        message=f"nbapi verify: {status}, {detail}",
    )


def _verify_calls(job: Job, recorded: CallsFile) -> tuple[list[Finding], str]:
    """Type-check the recorded calls against the stubs (VFY014 to VFY017)."""
    from stubgen.model.walk import iter_modules
    from stubgen.verify.calls import check_calls

    assert job.model is not None
    top = job.module.split(".")[0]
    if recorded.package.split(".")[0] != top:
        raise ToolError(
            f"{job.config.calls} holds calls into {recorded.package!r}, not into {job.module!r}"
        )
    walked = list(iter_modules(job.model.module))
    modules = {m.path for m in walked}
    # A call into a private module (the package's Python layer calling its extension) is no
    # call its users make, and the stubs need not hold it. A module value is held to the
    # stubs when the model has it (``from __future__ import annotations`` is no API).
    values = {a.path for m in walked for a in m.attributes}
    public = [
        c for c in recorded.calls if not c.private and (c.kind != "value" or c.callee in values)
    ]
    findings, checkers, rejected = check_calls(public, job.config.stubs_dir, modules)
    detail = (
        f"{len(public)} traced calls checked with {' and '.join(checkers)}, {rejected} rejected"
    )
    if len(public) < len(recorded.calls):
        detail += f" ({len(recorded.calls) - len(public)} calls into private modules left out)"
    return findings, detail


STAGE = Stage(
    "verify",
    verify,
    settings=("type_map", "stubs_dir", "calls"),
    inputs=stubs_and_calls,
    cached=True,
    problems="stdout",
    needs_stubs=True,
    extras=lambda job: ("check",) if job.config.calls else (),
)
