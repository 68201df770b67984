"""The model stage (the ``model`` verb): the loaded model written as JSON, or its counts."""

from __future__ import annotations

from stubgen.files.writes import write_atomic
from stubgen.model.json_io import model_file_bytes, model_to_json
from stubgen.model.summary import format_summary, summarize
from stubgen.pipeline.job import Job, Stage, StageResult


def write_model(job: Job) -> StageResult:
    """Print the model as JSON (or its counts), or write it to the output file.

    A file named ``*.json.gz`` is compressed; with ``summary`` the file holds the counts.
    """
    assert job.model is not None
    options = job.options
    if options.summary:
        text = format_summary(job.module, summarize(job.model))
        if options.output is None:
            return StageResult("model", "ok", detail="counts", output=text)
        write_atomic(options.output, text)
    elif options.output is not None:
        write_atomic(options.output, model_file_bytes(job.model, str(options.output)))
    else:
        return StageResult("model", "ok", detail="JSON", output=model_to_json(job.model))
    return StageResult("model", "ok", detail=f"written to {options.output}")


STAGE = Stage("model", write_model, options=("output", "summary"), problems="none")
