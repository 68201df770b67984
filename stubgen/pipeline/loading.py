"""The load stage: the model, imported in a child process or read from a recorded file.

Every verb and ``all`` load through :func:`load`; each side of a diff loads through
:func:`load_side`, with the same settings. :func:`load_and_write_stubs` runs the load and the
stubs stage together in one forked child, for ``nbapi stubs`` alone.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from stubgen.config import Config
from stubgen.errors import ToolError
from stubgen.files.cache import hash_files, module_files, stage_key
from stubgen.files.writes import write_atomic
from stubgen.findings import Finding
from stubgen.load.isolate import DEFAULT_TIMEOUT, load_model
from stubgen.model.json_io import (
    ModelFormatError,
    model_from_json,
    model_to_json,
    read_model_file,
)
from stubgen.pipeline.job import Job, Stage, StageResult, make_job, settings_digest, side_config

if TYPE_CHECKING:
    from stubgen.load.patterns import Pattern
    from stubgen.model.api import ApiModel

# The settings the load reads: its part of every stage's key.
LOAD_SETTINGS = ("module", "paths", "probe", "include_private", "setup", "model_file")


def load(job: Job) -> StageResult:
    """Load the model: from the recorded file if one is set, else by importing the module.

    Pattern files apply to an imported module; a recorded model is taken as recorded (the
    ``model`` verb applied them when it wrote the file).

    Raises
    ------
    ToolError
        If the module cannot be loaded or the recorded model cannot be read.
    """
    config = job.config
    if config.model_file is not None:
        try:
            job.model = read_model_file(config.model_file)
        except ModelFormatError as exc:
            raise ToolError(f"{config.model_file}: {exc}") from exc
        if job.module and job.model.module.path != job.module:
            raise ToolError(
                f"{config.model_file} describes {job.model.module.path!r}, not {job.module!r}"
            )
        job.module = job.model.module.path
        settings = settings_digest(config, LOAD_SETTINGS)
        job.base = stage_key("model-file", hash_files([config.model_file]), settings)
        return StageResult("load", "ok", detail=f"model read from {config.model_file}")
    patterns = _pattern_blocks(config.pattern_files)
    files = module_files(job.module, config.paths)
    settings = settings_digest(config, LOAD_SETTINGS) + hash_files(config.pattern_files)
    job.base = stage_key(job.module, hash_files(files), settings)
    cached = job.cache.directory / "model.json"
    result = None
    if job.cache.fresh("load", job.base) and cached.is_file():
        try:
            job.model = model_from_json(cached.read_text(encoding="utf-8"))
            result = StageResult("load", "cached", detail=f"model of {job.module} unchanged")
        except ModelFormatError:
            job.cache.forget("load")
    if job.model is None:
        job.model = load_model(
            job.module,
            paths=config.paths,
            timeout=config.timeout or DEFAULT_TIMEOUT,
            probe=config.probe,
            include_private=config.include_private,
            setup=config.setup,
            parse_docs=job.parse_docs,
        )
        if files and job.cache.enabled and job.parse_docs:
            write_atomic(cached, model_to_json(job.model))
            job.cache.record("load", job.base)
        result = _loaded(job.model)
    assert result is not None
    _apply_patterns(job, patterns, result)
    return result


STAGE = Stage(
    "load", load, settings=LOAD_SETTINGS, consumes=(), makes=("model", "pattern_findings")
)


def load_side(spec: str, config: Config) -> ApiModel:
    """Load a side of a diff as a run loads its own model, with the same settings.

    ``spec`` is a model file (``.json``, ``.json.gz``), taken as recorded, or a module,
    imported with every loading setting (``include-private``, ``setup``, the probe, the
    paths) and the pattern files applied, as :func:`load` does.

    Raises
    ------
    ToolError
        If the file does not exist or cannot be read, or the module cannot be loaded.
    """
    job = make_job(side_config(config, spec), use_cache=False)
    load(job)
    assert job.model is not None
    return job.model


def _pattern_blocks(files: list[Path]) -> list[Pattern] | None:
    """Read the pattern files (a bad file fails before the import); None without any."""
    if not files:
        return None
    from stubgen.load.patterns import load_pattern_files

    return load_pattern_files(files)


def _loaded(model: ApiModel) -> StageResult:
    result = StageResult("load", "ok", detail=f"{len(model.load_errors)} load errors")
    result.problems = [f"warning: {error}" for error in model.load_errors]
    return result


def _apply_patterns(job: Job, patterns: list[Pattern] | None, result: StageResult) -> None:
    """Apply the pattern files; the verb's message names each finding and the counts."""
    if patterns and job.model is not None:
        from stubgen.load.patterns import apply_patterns

        applied = apply_patterns(job.model, patterns)
        job.pattern_findings = applied.findings
        counts = f"patterns: {applied.applied} replaced, {applied.removed} removed"
        result.detail += f", {counts}"
        lines = [f"{f.severity}: {f}" for f in applied.findings]
        result.message = "\n".join([*lines, counts])


def load_and_write_stubs(
    job: Job, write: Callable[[Job], StageResult]
) -> tuple[StageResult, StageResult]:
    """Run the load and the stubs stage in one child, where the model is built.

    ``nbapi stubs`` alone needs the model only to render it: rendering and writing in the
    (forked, :func:`stubgen.load.isolate.run_in_fork`) child spares sending the model back.
    The stages are the same functions as :func:`load` and ``write``; only where they run
    differs. The child answers with the two results, the stub texts and the pattern findings.

    Raises
    ------
    ToolError
        If the module cannot be loaded (as :func:`load`).
    """
    from stubgen.load.child import build_model, write_failure, write_output
    from stubgen.load.isolate import ChildOptions, run_in_fork

    config = job.config
    patterns = _pattern_blocks(config.pattern_files)
    options = ChildOptions(config.probe, config.include_private, False, config.setup or "")
    import stubgen.stubs  # noqa: F401  (imported before the fork: the child inherits it)

    def work(output: str) -> int:
        try:
            job.model = build_model(job.module, options)
        except BaseException as exc:
            return write_failure(output, exc)
        answer: dict[str, object]
        try:
            loaded = _loaded(job.model)
            _apply_patterns(job, patterns, loaded)
            written = write(job)
            answer = {
                "results": [asdict(loaded), asdict(written)],
                "files": job.stub_files,
                "findings": [asdict(f) for f in job.pattern_findings],
            }
        except (ToolError, OSError) as exc:  # the verb's exit code 2, as in this process
            answer = {"failure": str(exc)}
        except Exception as exc:
            traceback.print_exc()
            answer = {"internal": f"{type(exc).__name__}: {exc}"}
        write_output(output, json.dumps(answer))
        return 0

    text = run_in_fork(
        work,
        job.module,
        paths=config.paths,
        timeout=config.timeout or DEFAULT_TIMEOUT,
    )
    answer = json.loads(text)
    if "failure" in answer:
        raise ToolError(answer["failure"])
    if "internal" in answer:
        raise RuntimeError(f"in the child: {answer['internal']}")
    job.stub_files = answer["files"]
    job.pattern_findings = [Finding(**f) for f in answer["findings"]]
    loaded, written = (StageResult(**r) for r in answer["results"])
    return loaded, written
