"""What a run carries from stage to stage: the job, options, a stage's declaration, a result.

A stage (:class:`Stage`) declares the settings it reads, the products it consumes and makes
(fields of :class:`Job`), its cache inputs and the verb options it reads; the registry
(:mod:`stubgen.pipeline.registry`) holds one of each, and :func:`stubgen.pipeline.runner.run`
runs them for ``all`` and for every verb.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from stubgen.config import Config
from stubgen.errors import ToolError
from stubgen.files.cache import CACHE_DIR, StageCache, hash_files

if TYPE_CHECKING:
    from stubgen.check.cases import CheckResult
    from stubgen.coverage import CoverageReport
    from stubgen.diff import DiffReport
    from stubgen.findings import Finding
    from stubgen.model.api import ApiModel
    from stubgen.trace.calls import CallsFile

Status = Literal["ok", "failed", "cached", "skipped"]
# Where a verb prints a stage's problems: a stage whose report holds them prints none.
ProblemStream = Literal["stderr", "stdout", "none"]


@dataclass
class StageResult:
    """What one stage did: its status, how long it took, and a line of detail.

    ``output`` is what the verb prints on stdout (a report, the model, a diff), ``message``
    the verb's closing line on stderr; ``all`` prints neither, only its summary table.
    ``exit_code`` overrides the verb's exit code (``trace`` exits with its command's).
    """

    name: str
    status: Status
    seconds: float = 0.0
    detail: str = ""
    problems: list[str] = field(default_factory=list)
    output: str = ""
    message: str = ""
    exit_code: int | None = None


@dataclass
class Options:
    """The options of one verb's command line that are not settings (``all`` takes none).

    A stage reads the ones it declares (:attr:`Stage.options`); the defaults are ``all``'s,
    which writes every report into the reports folder.
    """

    quiet: bool = False
    # model, coverage, diff: the report's file (None: stdout); model: counts instead
    output: Path | None = None
    summary: bool = False
    # coverage and diff: the report's format (None: the reports folder, as in 'all')
    format: str | None = None
    colour: bool = False
    write_baseline: Path | None = None
    # stubs
    check: bool = False
    output_file: Path | None = None
    docstrings: bool = True
    values: bool = True
    typecheck: bool = False
    marker_files: list[Path] = field(default_factory=list)
    # check
    examples: bool = True
    # docs
    coverage_page: bool = True
    # diff: the old side (default: diff-against), read as a git ref with git_ref
    old: str | None = None
    git_ref: bool = False
    # diff: the new side, a model file or a module (None: the configured module, or --model)
    new: str | None = None
    write_allowlist: Path | None = None
    # trace
    command: list[str] = field(default_factory=list)


@dataclass
class Job:
    """Everything one run needs, settled from the configuration and the flags.

    The products the stages hand on (``model``, ``stub_files``, ``report``, ``changes``,
    ``check_results``, ``pattern_findings``) are declared by the stages that make and
    consume them.
    """

    module: str
    config: Config
    skip: set[str]
    cache: StageCache
    options: Options = field(default_factory=Options)
    model: ApiModel | None = None
    pattern_findings: list[Finding] = field(default_factory=list)
    base: str = ""
    report: CoverageReport | None = None
    changes: DiffReport | None = None
    check_results: list[CheckResult] = field(default_factory=list)
    stub_files: dict[str, str] = field(default_factory=dict)
    # False for the stubs verb alone: docstrings stay raw, which is all the stubs read.
    parse_docs: bool = True
    # The configured calls file, read once for the stubs and verify stages (recorded_calls).
    calls_file: CallsFile | None = None


# The modules each extra of the package brings (pyproject.toml's optional dependencies).
EXTRAS = {"docs": ("sphinx", "furo", "jinja2"), "check": ("mypy",)}


def require_extras(extras: tuple[str, ...], what: str) -> None:
    """Fail when a module of one of ``extras`` is not installed, naming the extra to install.

    Raises
    ------
    ToolError
        If a module is missing: ``nbapi docs needs furo: pip install 'nbapi[docs]'``.
    """
    for extra in extras:
        missing = [name for name in EXTRAS[extra] if importlib.util.find_spec(name) is None]
        if missing:
            raise ToolError(f"{what} needs {', '.join(missing)}: pip install 'nbapi[{extra}]'")


def _no_extras(job: Job) -> tuple[str, ...]:
    return ()


PRODUCTS = ("model", "pattern_findings", "stub_files", "check_results", "report", "changes")


def _no_files(job: Job) -> str:
    return ""


@dataclass(frozen=True)
class Stage:
    """One stage, declared: what it reads, what it makes, how it runs.

    Attributes
    ----------
    name : str
        The stage's name: a row of ``all``'s summary and a word of ``--skip``.
    run : callable
        ``Job -> StageResult``: the stage's work; raises :class:`~stubgen.errors.ToolError`
        on bad input.
    settings : tuple of str
        The :class:`~stubgen.config.Config` fields it reads: its part of the cache key.
    consumes, makes : tuple of str
        The products (:data:`PRODUCTS`) it reads from and writes to the job.
    options : tuple of str
        The :class:`Options` fields (the verb's command line) it reads.
    inputs : callable
        ``Job -> str``: a digest of the files it reads besides the model (its cache input).
    cached : bool
        Whether ``all`` skips it when its key has not changed since it last succeeded.
    feed : callable, optional
        ``Job -> list[str]``: make the products only (no report written, no gate) for a verb
        whose stage consumes them; returns warnings.
    problems : {"stderr", "stdout", "none"}
        Where a verb prints the result's problems.
    needs_stubs : bool
        Whether it reads the stubs folder: a verb without the stubs stage fails before
        loading when the folder is missing.
    extras : callable
        ``Job -> tuple of str``: the extras of the package (:data:`EXTRAS`) this run of
        the stage needs; a verb says which to install before it loads anything.
    with_load : callable, optional
        ``Job -> (load result, own result) | None``: run the load and this stage together
        where that is cheaper (one forked child), for a verb that runs only the two; None
        where it does not apply.
    """

    name: str
    run: Callable[[Job], StageResult]
    settings: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ("model",)
    makes: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    inputs: Callable[[Job], str] = _no_files
    cached: bool = False
    feed: Callable[[Job], list[str]] | None = None
    problems: ProblemStream = "stderr"
    needs_stubs: bool = False
    extras: Callable[[Job], tuple[str, ...]] = _no_extras
    with_load: Callable[[Job], tuple[StageResult, StageResult] | None] | None = None


def settings_digest(config: Config, fields: tuple[str, ...]) -> str:
    """Return the settings ``fields`` of ``config`` as one text: a stage's part of its key.

    Nothing else of the settings (``--skip``, the reports folder, the gate's thresholds)
    reaches a key, so skipping a stage or moving the reports never invalidates another's.
    """
    data = {name: getattr(config, name) for name in fields}
    return json.dumps(data, sort_keys=True, default=_plain)


def _plain(value: object) -> object:
    """Write a settings value JSON does not know: a table (a dataclass) as a dict, else str."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return str(value)


def stubs_and_calls(job: Job) -> str:
    """Digest the stubs folder and the calls file: what the stubs and verify stages read."""
    config = job.config
    return hash_files([config.stubs_dir, *([config.calls] if config.calls else [])])


def recorded_calls(job: Job) -> CallsFile | None:
    """Return the job's calls file (``[tool.nbapi] calls``), read the first time it is asked."""
    from stubgen.trace.calls import read_calls

    if job.calls_file is None and job.config.calls is not None:
        job.calls_file = read_calls(job.config.calls)
    return job.calls_file


def side_config(config: Config, spec: str) -> Config:
    """Return ``config`` set to load ``spec``: a model file (taken as recorded) or a module.

    Raises
    ------
    ToolError
        If ``spec`` names a model file that does not exist.
    """
    from stubgen.diff import MODEL_SUFFIXES

    if spec.endswith(MODEL_SUFFIXES):
        if not Path(spec).is_file():
            raise ToolError(f"model file {spec} does not exist")
        return replace(config, module=None, model_file=Path(spec))
    return replace(config, module=spec, model_file=None)


def make_job(config: Config, use_cache: bool, options: Options | None = None) -> Job:
    """Make the job of one run from settled settings (:func:`stubgen.config.resolve_settings`).

    Only ``all`` uses the stage cache; it lives beside the configuration file. With
    ``options.new`` (``nbapi diff OLD NEW``), the job loads that side instead.

    Raises
    ------
    ToolError
        If ``options.new`` names a model file that does not exist.
    """
    options = options or Options()
    if options.new is not None:
        config = side_config(config, options.new)
    cache_dir = (config.file.parent if config.file else Path.cwd()) / CACHE_DIR
    cache = StageCache(cache_dir, use_cache)
    return Job(config.module or "", config, set(config.skip), cache, options)
