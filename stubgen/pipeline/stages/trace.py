"""The trace stage (the ``trace`` verb): a command run with its calls into the module recorded."""

from __future__ import annotations

from pathlib import Path

from stubgen.pipeline.job import Job, Stage, StageResult


def trace(job: Job) -> StageResult:
    """Run the command, record its calls into the calls file; exit with the command's status.

    The calls file is ``[tool.nbapi] calls``, else ``calls.json``; it feeds verify and the
    stubs' overload order. Nothing is loaded: the command imports the module itself.
    """
    from stubgen.trace.run import trace_command

    command = list(job.options.command)
    if command[:1] == ["--"]:
        command = command[1:]
    output = job.config.calls or Path("calls.json")
    status, calls = trace_command(job.module, command, output, paths=job.config.paths)
    callees = len({c.callee for c in calls.calls})
    detail = (
        f"{len(calls.calls)} distinct calls of {callees} callables written to {output}; "
        f"the command exited with {status}"
    )
    return StageResult(
        "trace",
        "ok" if status == 0 else "failed",
        detail=detail,
        message=f"nbapi trace: {detail}",
        exit_code=status,
    )


STAGE = Stage(
    "trace", trace, settings=("module", "paths", "calls"), consumes=(), options=("command",)
)
