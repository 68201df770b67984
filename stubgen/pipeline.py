"""The stages of a run: load once, then stubs, verify, check, coverage and docs.

``all`` runs every stage; each single verb runs the load and its one stage through the same
functions, over the same settings (:func:`stubgen.config.resolve_settings`), so a verb alone
and its stage inside ``all`` cannot differ. Each stage reads the one model; in ``all``, a
stage whose inputs have not changed since it last succeeded is skipped (see
:mod:`stubgen.files.cache`). The result is one row per stage.
"""

from __future__ import annotations

import functools
import json
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from stubgen.config import STAGES, Config
from stubgen.errors import ToolError
from stubgen.files.cache import CACHE_DIR, StageCache, hash_files, module_files, stage_key
from stubgen.files.writes import remove_stale_stubs, write_atomic, write_tree
from stubgen.findings import Finding, finding
from stubgen.load.isolate import DEFAULT_TIMEOUT, load_model
from stubgen.model.api import ApiModel
from stubgen.model.json_io import (
    ModelFormatError,
    model_from_json,
    model_to_json,
    read_model_file,
)

if TYPE_CHECKING:
    from stubgen.check.cases import CheckResult
    from stubgen.coverage import CoverageReport
    from stubgen.diff import DiffReport
    from stubgen.load.patterns import Pattern
    from stubgen.stubs import StubFiles
    from stubgen.trace.calls import CallsFile

Status = Literal["ok", "failed", "cached", "skipped"]


@dataclass
class StageResult:
    """What one stage did: its status, how long it took, and a line of detail."""

    name: str
    status: Status
    seconds: float = 0.0
    detail: str = ""
    problems: list[str] = field(default_factory=list)


class Progress:
    """Per-stage status on stderr: a live line on a terminal, one line per stage in CI."""

    def __init__(self, quiet: bool = False, verbose: bool = False, stream: TextIO | None = None):
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


@dataclass
class Job:
    """Everything one ``all`` run needs, settled from the configuration and the flags."""

    module: str
    config: Config
    skip: set[str]
    cache: StageCache
    model: ApiModel | None = None
    pattern_findings: list[Finding] = field(default_factory=list)
    base: str = ""
    report: CoverageReport | None = None
    changes: DiffReport | None = None
    examples: bool = True
    check_results: list[CheckResult] = field(default_factory=list)
    stub_files: dict[str, str] = field(default_factory=dict)
    docstrings: bool = True
    values: bool = True
    # False for the stubs verb alone: docstrings stay raw, which is all the stubs read.
    parse_docs: bool = True
    # The configured calls file, read once for the stubs and verify stages (recorded_calls).
    calls_file: CallsFile | None = None


def recorded_calls(job: Job) -> CallsFile | None:
    """Return the job's calls file (``[tool.nbapi] calls``), read the first time it is asked."""
    from stubgen.trace.calls import read_calls

    if job.calls_file is None and job.config.calls is not None:
        job.calls_file = read_calls(job.config.calls)
    return job.calls_file


# The settings each stage reads: its part of its cache key. Nothing else of the settings
# (--skip, the reports folder, the gate's thresholds) reaches a key, so skipping a stage or
# moving the reports never invalidates another stage's work.
_LOAD_SETTINGS = ("module", "paths", "probe", "include_private", "setup", "model_file")
_STAGE_SETTINGS = {
    "stubs": ("type_map", "stubs_dir", "calls"),
    "verify": ("type_map", "stubs_dir", "calls"),
    "check": ("type_map", "stubs_dir", "checks_dir"),
    "docs": ("type_map", "docs_source", "docs_output", "docs_fail_on_warning", "docs", "coverage"),
}


def _settings_digest(config: Config, fields: tuple[str, ...]) -> str:
    data = {name: getattr(config, name) for name in fields}
    return json.dumps(data, sort_keys=True, default=_plain)


def _plain(value: object) -> object:
    """Write a settings value JSON does not know: a table (a dataclass) as a dict, else str."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return str(value)


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
        settings = _settings_digest(config, _LOAD_SETTINGS)
        job.base = stage_key("model-file", hash_files([config.model_file]), settings)
        return StageResult("load", "ok", detail=f"model read from {config.model_file}")
    patterns = _pattern_blocks(config)
    files = module_files(job.module, config.paths)
    settings = _settings_digest(config, _LOAD_SETTINGS) + hash_files(config.pattern_files)
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
        timeout = config.timeout or DEFAULT_TIMEOUT
        job.model = load_model(
            job.module,
            paths=config.paths,
            timeout=timeout,
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
    from stubgen.diff import MODEL_SUFFIXES

    if spec.endswith(MODEL_SUFFIXES):
        if not Path(spec).is_file():
            raise ToolError(f"model file {spec} does not exist")
        side = replace(config, module=None, model_file=Path(spec))
    else:
        side = replace(config, module=spec, model_file=None)
    job = make_job(side, use_cache=False)
    result = load(job)
    if job.model is None or result.status == "failed":  # pragma: no cover - load raises
        raise ToolError(f"{spec}: {result.detail}")
    return job.model


def _pattern_blocks(config: Config) -> list[Pattern] | None:
    """Read the pattern files (a bad file fails before the import); None without any."""
    if not config.pattern_files:
        return None
    from stubgen.load.patterns import load_pattern_files

    return load_pattern_files(config.pattern_files)


def _loaded(model: ApiModel) -> StageResult:
    result = StageResult("load", "ok", detail=f"{len(model.load_errors)} load errors")
    result.problems = [f"warning: {error}" for error in model.load_errors]
    return result


def _apply_patterns(job: Job, patterns: list[Pattern] | None, result: StageResult) -> None:
    if patterns and job.model is not None:
        from stubgen.load.patterns import apply_patterns

        applied = apply_patterns(job.model, patterns)
        job.pattern_findings = applied.findings
        result.detail += f", patterns: {applied.applied} replaced, {applied.removed} removed"


def load_and_write_stubs(job: Job) -> tuple[StageResult, StageResult]:
    """Run the load and the stubs stage in one child, where the model is built.

    ``nbapi stubs`` alone needs the model only to render it: rendering and writing in the
    (forked, :func:`stubgen.load.isolate.run_in_fork`) child spares sending the model back.
    The stages are the same functions as in :func:`load` and :data:`RUNNERS`; only where they
    run differs. The child answers with the two results, the stub texts and the pattern
    findings.

    Raises
    ------
    ToolError
        If the module cannot be loaded (as :func:`load`).
    """
    from stubgen.load.child import build_model, write_failure, write_output
    from stubgen.load.isolate import loader_options, run_in_fork

    config = job.config
    patterns = _pattern_blocks(config)
    import stubgen.stubs  # noqa: F401  (imported before the fork: the child inherits it)

    def work(output: str) -> int:
        try:
            job.model = build_model(job.module)
        except BaseException as exc:
            return write_failure(output, exc)
        answer: dict[str, object]
        try:
            loaded = _loaded(job.model)
            _apply_patterns(job, patterns, loaded)
            written = _stubs(job)
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
        probe=config.probe,
        env=loader_options(config.include_private, parse_docs=False),
        setup=config.setup,
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


# Each stage imports what it runs when it runs: a verb loads only its own stage (the stubs verb
# starts its child process without waiting for Sphinx, numpydoc or mypy to import).


def render_job_stubs(job: Job) -> StubFiles:
    """Render the stubs of ``job``'s model with its settings (the one place that does).

    The stubs stage, ``stubs --check`` and ``stubs -o FILE.pyi`` all write these.
    """
    from stubgen.stubs import render_stubs

    assert job.model is not None
    config = job.config
    return render_stubs(
        job.model,
        config.type_map,
        docstrings=job.docstrings,
        values=job.values,
        calls=recorded.calls if (recorded := recorded_calls(job)) else (),
    )


def _stubs(job: Job) -> StageResult:
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
    return StageResult("stubs", "ok", detail=detail, problems=[*problems, *map(str, findings)])


def _verify(job: Job) -> StageResult:
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
        timeout = config.timeout or DEFAULT_TIMEOUT
        facts = read_runtime(
            job.module,
            paths=config.paths,
            timeout=timeout,
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
    problems = [str(f) for f in findings]
    if any(f.severity != "info" for f in findings):
        return StageResult("verify", "failed", detail=detail, problems=problems)
    return StageResult("verify", "ok", detail=detail, problems=problems)


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


def _check(job: Job) -> StageResult:
    from stubgen.check.cases import run_checks

    assert job.model is not None
    config = job.config
    # The default folder may be missing (Examples only); a configured one was checked to exist.
    checks = config.checks_dir if config.checks_dir.is_dir() else None
    timeout = config.timeout or DEFAULT_TIMEOUT
    model = job.model if job.examples else None
    run = config.model_file is None  # a recorded model: the module is not importable here
    results = run_checks(checks, model, config.stubs_dir, config.paths, timeout, run)
    job.check_results = results
    failed = [r for r in results if not r.passed]
    detail = f"{len(results) - len(failed)} of {len(results)} cases and Examples passed"
    detail += "" if run else " (type-checked only: rendered from a recorded model)"
    problems = [f"{r.name}: {p}" for r in failed for p in r.problems]
    return StageResult("check", "failed" if failed else "ok", detail=detail, problems=problems)


def _coverage(job: Job) -> StageResult:
    from stubgen.coverage import build_report
    from stubgen.coverage.report import render_badge, render_json, render_markdown

    assert job.model is not None
    report = build_report(job.model, job.config.coverage)
    job.report = report
    out = job.config.reports_dir
    write_tree(
        out,
        {
            "coverage.json": render_json(report),
            "coverage.md": render_markdown(report),
            "coverage.svg": render_badge(report),
        },
    )
    detail = f"{report.overall:.1f}% overall, {len(report.findings)} findings; reports in {out}"
    return StageResult(
        "coverage", "ok" if report.passed else "failed", detail=detail, problems=report.failures
    )


def changes(job: Job) -> DiffReport:
    """Compare the job's model with the reference of ``diff-against`` (the stubs, if rendered).

    Raises
    ------
    ToolError
        If the reference cannot be read or loaded.
    """
    from stubgen.diff import build_diff

    assert job.model is not None
    config = job.config
    return build_diff(
        config, job.model, lambda spec: load_side(spec, config), stub_files=job.stub_files or None
    )


def _diff(job: Job) -> StageResult:
    """Compare the model with the reference of ``diff-against``; gate the breaking changes."""
    from stubgen.diff import FORMATS

    assert job.model is not None
    if not job.config.diff_against:
        return StageResult("diff", "skipped", detail="no diff-against reference configured")
    report = job.changes = changes(job)
    out = job.config.reports_dir
    write_tree(out, {"diff.json": FORMATS["json"](report), "diff.md": FORMATS["markdown"](report)})
    counts = ", ".join(f"{n} {kind}" for kind, n in report.counts().items())
    detail = f"against {report.old}: {counts}; reports in {out}"
    problems = [str(f) for f in report.failing]
    return StageResult(
        "diff", "ok" if report.passed else "failed", detail=detail, problems=problems
    )


def _docs(job: Job) -> StageResult:
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
        return StageResult("docs", "failed", detail=detail, problems=warnings)
    findings = [
        finding("DOC008", path, line=line, message=message)
        for path, line, message in (f for f in found if f is not None)
    ]
    detail = f"HTML in {output}"
    detail += f"; {len(findings)} warnings from the package's docstrings" if findings else ""
    return StageResult("docs", "ok", detail=detail, problems=[str(f) for f in findings])


def _inputs(job: Job, stage: str) -> str:
    """Hash the settings and files a stage reads besides the model (its part of its key)."""
    return _settings_digest(job.config, _STAGE_SETTINGS.get(stage, ())) + _files(job, stage)


def _files(job: Job, stage: str) -> str:
    """Hash the files a stage reads besides the model."""
    config = job.config
    if stage in ("stubs", "verify"):
        return hash_files([config.stubs_dir, *([config.calls] if config.calls else [])])
    if stage == "check":
        return hash_files([config.stubs_dir, config.checks_dir])
    if stage == "docs":
        exists = "yes" if (config.docs_output / "index.html").is_file() else "no"
        changes = "" if job.changes is None else json.dumps([str(f) for f in job.changes.findings])
        return hash_files([config.docs_source]) + exists + changes
    return ""


RUNNERS: dict[str, Callable[[Job], StageResult]] = {
    "stubs": _stubs,
    "verify": _verify,
    "check": _check,
    "coverage": _coverage,
    "diff": _diff,
    "docs": _docs,
}
# Coverage is cheap and its report feeds the docs' coverage page: it always runs.
_CACHED_STAGES = {"stubs", "verify", "check", "docs"}


def run_all(job: Job, progress: Progress) -> list[StageResult]:
    """Run the load and every stage not skipped; return one result per stage.

    A stage that cannot run (its output cannot be written, the module cannot be loaded) is
    a failed row with the reason; the stages after a failed load are skipped. The summary
    always has every row.
    """
    results = []
    progress.start("load")
    start = time.perf_counter()
    loaded = _guarded("load", functools.partial(load, job))
    loaded.seconds = time.perf_counter() - start
    progress.done(loaded)
    results.append(loaded)
    for stage in STAGES:
        if stage in job.skip or loaded.status == "failed":
            reason = "skipped on request" if stage in job.skip else "no model to work on"
            result = StageResult(stage, "skipped", detail=reason)
            progress.done(result)
            results.append(result)
            continue
        progress.start(stage)
        start = time.perf_counter()
        key = stage_key(job.base, stage, _inputs(job, stage))
        if stage in _CACHED_STAGES and job.cache.fresh(stage, key):
            result = StageResult(stage, "cached", detail="inputs unchanged since the last success")
        else:
            result = _guarded(stage, functools.partial(RUNNERS[stage], job))
            if result.status == "ok" and stage in _CACHED_STAGES:
                job.cache.record(stage, stage_key(job.base, stage, _inputs(job, stage)))
            elif result.status == "failed":
                job.cache.forget(stage)
        result.seconds = time.perf_counter() - start
        progress.done(result)
        results.append(result)
    return results


def _guarded(stage: str, run: Callable[[], StageResult]) -> StageResult:
    """Run a stage; a problem with the input or the output becomes its failed row."""
    try:
        return run()
    except ToolError as exc:
        return StageResult(stage, "failed", detail=str(exc), problems=[str(exc)])
    except OSError as exc:
        message = f"{exc.strerror or type(exc).__name__}: {exc.filename or ''}".rstrip(": ")
        return StageResult(stage, "failed", detail=message, problems=[message])


def summary(module: str, results: list[StageResult]) -> str:
    """Render the closing table: each stage's status, time and detail, and the total."""
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


def make_job(config: Config, use_cache: bool) -> Job:
    """Make the job of one run from settled settings (:func:`stubgen.config.resolve_settings`).

    Only ``all`` uses the stage cache; it lives beside the configuration file.
    """
    cache_dir = (config.file.parent if config.file else Path.cwd()) / CACHE_DIR
    return Job(config.module or "", config, set(config.skip), StageCache(cache_dir, use_cache))
