"""Settings: ``[tool.nbapi]`` in ``pyproject.toml``, then the environment, then the flags.

:func:`resolve_settings` is the one resolver every verb goes through, ``all`` included, so a
verb run alone and the same stage inside ``all`` see the same settings and reject the same
mistakes (unknown keys, codes, stages and missing input paths) with exit code 2.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stubgen.errors import ToolError
from stubgen.findings import CATALOGUE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

SECTION = "nbapi"


@dataclass
class CoverageConfig:
    """``[tool.nbapi.coverage]``: the gate's rules, excludes, threshold and baseline.

    Paths are resolved against the directory of the configuration file.
    """

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    fail_under: float | None = None
    baseline: Path | None = None
    source_dir: Path | None = None


@dataclass
class DocsConfig:
    """``[tool.nbapi.docs]`` and the ``[project]`` table: how the API pages read.

    ``order`` sorts the summary tables by name (``"name"``) or keeps the binding's order
    (``"binding"``); ``groups`` maps a section title to name globs (``Pointwise = ["add",
    "sub*"]``) for a module's functions and classes. ``project``, ``description`` and
    ``authors`` come from ``[project]`` for the landing page.
    """

    order: str = "name"
    groups: dict[str, list[str]] = field(default_factory=dict)
    project: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)


@dataclass
class Config:
    """Settings shared by the verbs; paths are relative to the configuration file.

    ``type_map`` maps an unbound C++ type name, or ``re:`` followed by a regular expression,
    to the dotted Python type written for it in stubs (``"torch::Tensor" = "torch.Tensor"``).
    ``pattern_files`` are nanobind pattern files applied to the model after loading.
    """

    module: str | None = None
    paths: list[str] = field(default_factory=list)
    timeout: float | None = None
    probe: bool = True
    include_private: bool = False
    setup: str | None = None
    stubs_dir: Path = Path("stubs")
    checks_dir: Path = Path("checks")
    checks_dir_given: bool = False
    docs_source: Path = Path("docs/source")
    docs_output: Path = Path("docs/_build/html")
    docs_fail_on_warning: bool = False
    reports_dir: Path = Path("build/nbapi")
    skip: list[str] = field(default_factory=list)
    type_map: dict[str, str] = field(default_factory=dict)
    pattern_files: list[Path] = field(default_factory=list)
    coverage: CoverageConfig = field(default_factory=CoverageConfig)
    docs: DocsConfig = field(default_factory=DocsConfig)
    file: Path | None = None
    model_file: Path | None = None
    diff_against: str | None = None
    diff_allowlist: Path | None = None
    diff_fail_on: str = "breaking"
    diff_version_names: list[str] = field(default_factory=list)
    calls: Path | None = None


_KEYS = {
    "module",
    "paths",
    "timeout",
    "probe",
    "include-private",
    "setup",
    "stubs-dir",
    "checks-dir",
    "docs-source",
    "docs-output",
    "docs-fail-on-warning",
    "reports-dir",
    "skip",
    "type-map",
    "pattern-files",
    "coverage",
    "docs",
    "diff-against",
    "diff-allowlist",
    "diff-fail-on",
    "diff-version-names",
    "calls",
}
_PATH_KEYS = {
    "stubs-dir": "stubs_dir",
    "checks-dir": "checks_dir",
    "docs-source": "docs_source",
    "docs-output": "docs_output",
    "reports-dir": "reports_dir",
}
_COVERAGE_KEYS = {"select", "ignore", "exclude", "fail-under", "baseline", "source-dir"}


def _string_list(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ToolError(f"{where} {key} must be a list of strings")
    return list(value)


def _unknown(found: Any, keys: set[str]) -> list[str]:
    """Name each key of ``found`` outside ``keys``, with the known key it may mean."""
    named = []
    for key in sorted(set(found) - keys):
        close = difflib.get_close_matches(key, sorted(keys), n=1)
        named.append(f"{key!r} (did you mean {close[0]!r}?)" if close else repr(key))
    return named


def _subtable(table: Any, file: Path, name: str, keys: set[str]) -> str:
    """Check ``[tool.nbapi.NAME]`` is a table of known keys; return how errors name it."""
    where = f"{file}: [tool.{SECTION}.{name}]"
    if not isinstance(table, dict):
        raise ToolError(f"{where} must be a table")
    unknown = _unknown(table, keys)
    if unknown:
        raise ToolError("\n".join(f"{where}: unknown key {key}" for key in unknown))
    return where


def _coverage(table: Any, file: Path) -> CoverageConfig:
    where = _subtable(table, file, "coverage", _COVERAGE_KEYS)
    fail_under = table.get("fail-under")
    if fail_under is not None and (
        isinstance(fail_under, bool) or not isinstance(fail_under, (int, float))
    ):
        raise ToolError(f"{where} fail-under must be a number")
    paths = {}
    for key in ("baseline", "source-dir"):
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            raise ToolError(f"{where} {key} must be a path")
        paths[key] = Path(os.path.normpath(file.parent / value)) if value else None
    return CoverageConfig(
        select=_string_list(table, "select", where),
        ignore=_string_list(table, "ignore", where),
        exclude=_string_list(table, "exclude", where),
        fail_under=float(fail_under) if fail_under is not None else None,
        baseline=paths["baseline"],
        source_dir=paths["source-dir"],
    )


_DOCS_KEYS = {"order", "groups"}


def _docs(table: Any, project: Any, file: Path) -> DocsConfig:
    """Read ``[tool.nbapi.docs]``, and the landing page's facts from ``[project]``."""
    where = _subtable(table, file, "docs", _DOCS_KEYS)
    order = table.get("order", "name")
    if order not in ("name", "binding"):
        raise ToolError(f"{where} order must be 'name' or 'binding'")
    groups = table.get("groups", {})
    if not isinstance(groups, dict) or not all(
        isinstance(v, list) and all(isinstance(g, str) for g in v) for v in groups.values()
    ):
        raise ToolError(f"{where} groups must map a title to a list of name globs")
    docs = DocsConfig(order=order, groups={str(k): list(v) for k, v in groups.items()})
    if isinstance(project, dict):
        name, description = project.get("name"), project.get("description")
        docs.project = name if isinstance(name, str) else None
        docs.description = description if isinstance(description, str) else None
        authors = project.get("authors", [])
        if isinstance(authors, list):
            docs.authors = [
                str(a.get("name") or a.get("email"))
                for a in authors
                if isinstance(a, dict) and (a.get("name") or a.get("email"))
            ]
    return docs


def load_config(path: Path | None = None) -> Config:
    """Read ``[tool.nbapi]`` from ``path`` (default: ``pyproject.toml`` in the working directory).

    Parameters
    ----------
    path : Path, optional
        The TOML file. A missing default file gives the default configuration.

    Returns
    -------
    Config
        The settings.

    Raises
    ------
    ToolError
        If the file is not valid TOML, names an unknown key or has a value of the wrong type.
    """
    explicit = path is not None
    file = path if path is not None else Path("pyproject.toml")
    if not file.is_file():
        if explicit:
            raise ToolError(f"config file {file} does not exist")
        return Config()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ToolError(f"{file}: not valid TOML: {exc}") from exc
    section: Any = data.get("tool", {}).get(SECTION, {})
    if not isinstance(section, dict):
        raise ToolError(f"{file}: [tool.{SECTION}] must be a table")
    where = f"{file}: [tool.{SECTION}]"
    config = Config(file=file)
    # Every problem of the file is reported at once, each key read on its own.
    problems = [f"{file}: unknown key [tool.{SECTION}] {k}" for k in _unknown(section, _KEYS)]
    for read in _READERS:
        try:
            read(config, section, data, where)
        except ToolError as exc:
            problems.append(str(exc))
    if problems:
        raise ToolError("\n".join(problems))
    return config


def _read_tables(config: Config, section: dict[str, Any], data: Any, where: str) -> None:
    type_map = section.get("type-map", {})
    if not isinstance(type_map, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in type_map.items()
    ):
        raise ToolError(f"{where} type-map must map strings to strings")
    config.type_map = dict(type_map)


def _read_coverage(config: Config, section: dict[str, Any], data: Any, where: str) -> None:
    assert config.file is not None
    config.coverage = _coverage(section.get("coverage", {}), config.file)


def _read_docs(config: Config, section: dict[str, Any], data: Any, where: str) -> None:
    assert config.file is not None
    config.docs = _docs(section.get("docs", {}), data.get("project"), config.file)


def _read_module(config: Config, section: dict[str, Any], data: Any, where: str) -> None:
    module = section.get("module")
    if module is not None and not isinstance(module, str):
        raise ToolError(f"{where} module must be a string")
    config.module = module


def _read_lists(config: Config, section: dict[str, Any], data: Any, where: str) -> None:
    assert config.file is not None
    base = config.file.parent
    config.paths = [os.path.normpath(base / p) for p in _string_list(section, "paths", where)]
    config.skip = _string_list(section, "skip", where)
    config.pattern_files = [
        Path(os.path.normpath(base / p)) for p in _string_list(section, "pattern-files", where)
    ]


def _read_calls(config: Config, section: dict[str, Any], data: Any, where: str) -> None:
    assert config.file is not None
    calls = section.get("calls")
    if calls is not None and not isinstance(calls, str):
        raise ToolError(f"{where} calls must be a path (a calls file written by 'nbapi trace')")
    config.calls = Path(os.path.normpath(config.file.parent / calls)) if calls else None


def _read_timeout(config: Config, section: dict[str, Any], data: Any, where: str) -> None:
    timeout = section.get("timeout")
    number = not isinstance(timeout, bool) and isinstance(timeout, (int, float))
    if timeout is not None and not (number and timeout > 0):
        raise ToolError(f"{where} timeout must be a number of seconds above 0")
    config.timeout = float(timeout) if timeout is not None else None


def _read_switches(config: Config, section: dict[str, Any], data: Any, where: str) -> None:
    problems = []
    for key, attr, default in _SWITCHES:
        value = section.get(key, default)
        if isinstance(value, bool):
            setattr(config, attr, value)
        else:
            problems.append(f"{where} {key} must be true or false")
    if problems:
        raise ToolError("\n".join(problems))


def _read_setup(config: Config, section: dict[str, Any], data: Any, where: str) -> None:
    setup = section.get("setup")
    if setup is not None and not isinstance(setup, str):
        raise ToolError(f"{where} setup must be a string (Python statements or module:function)")
    config.setup = setup or None


def _read_paths(config: Config, section: dict[str, Any], data: Any, where: str) -> None:
    assert config.file is not None
    problems = []
    for key, attr in _PATH_KEYS.items():
        # Paths are relative to the file, the defaults (stubs, checks, ...) included.
        value = section.get(key, str(getattr(Config, attr)))
        if isinstance(value, str):
            setattr(config, attr, Path(os.path.normpath(config.file.parent / value)))
        else:
            problems.append(f"{where} {key} must be a path")
    config.checks_dir_given = "checks-dir" in section
    if problems:
        raise ToolError("\n".join(problems))


def _read_diff(config: Config, section: dict[str, Any], data: Any, where: str) -> None:
    _diff_settings(config, section, where)


# (key, Config field, default) of the true/false settings.
_SWITCHES = (
    ("probe", "probe", True),
    ("include-private", "include_private", False),
    ("docs-fail-on-warning", "docs_fail_on_warning", False),
)
# Each reads its keys of [tool.nbapi] into the Config, or raises the problems it found.
_READERS: tuple[Callable[[Config, dict[str, Any], Any, str], None], ...] = (
    _read_tables,
    _read_coverage,
    _read_docs,
    _read_module,
    _read_lists,
    _read_calls,
    _read_timeout,
    _read_switches,
    _read_setup,
    _read_paths,
    _read_diff,
)


def _diff_settings(config: Config, section: dict[str, Any], where: str) -> None:
    """Read ``diff-against`` (a model file, relative to the file, or a git ref) and its gate."""
    base = config.file.parent if config.file else Path()
    against = section.get("diff-against")
    if against is not None:
        if not isinstance(against, str) or not against:
            raise ToolError(f"{where} diff-against must be a model file or a git ref")
        candidate = base / against
        config.diff_against = os.path.normpath(candidate) if candidate.is_file() else against
    allowlist = section.get("diff-allowlist")
    if allowlist is not None:
        if not isinstance(allowlist, str):
            raise ToolError(f"{where} diff-allowlist must be a path")
        config.diff_allowlist = Path(os.path.normpath(base / allowlist))
    fail_on = section.get("diff-fail-on", "breaking")
    if fail_on not in DIFF_FAIL_ON:
        raise ToolError(f"{where} diff-fail-on must be one of {', '.join(DIFF_FAIL_ON)}")
    config.diff_fail_on = fail_on
    config.diff_version_names = _string_list(section, "diff-version-names", where)


STAGES = ("stubs", "verify", "check", "coverage", "diff", "docs")
# Which API changes fail nbapi diff: the breaking ones, those that may break too, any, none.
DIFF_FAIL_ON = ("breaking", "warning", "any", "none")
# Environment variables, between the file and the flags: NBAPI_<KEY> for these keys.
_ENV_KEYS = ("module", "paths", "timeout", *_PATH_KEYS)
# Flags whose destination is a Config attribute of the same name, on every verb that has them.
_FLAG_ATTRS = (
    "module",
    "setup",
    "timeout",
    "stubs_dir",
    "checks_dir",
    "docs_source",
    "docs_output",
    "reports_dir",
    "model_file",
    "calls",
)
_COVERAGE_FLAGS = ("exclude", "fail_under", "baseline", "source_dir")


def _from_environment(config: Config, environ: Mapping[str, str]) -> None:
    for key in _ENV_KEYS:
        name = "NBAPI_" + key.upper().replace("-", "_")
        value = environ.get(name)
        if not value:
            continue
        if key == "module":
            config.module = value
        elif key == "paths":
            config.paths = [p for p in value.split(os.pathsep) if p]
        elif key == "timeout":
            try:
                config.timeout = float(value)
            except ValueError:
                raise ToolError(f"{name} must be a number of seconds, got {value!r}") from None
        else:
            setattr(config, _PATH_KEYS[key], Path(value))
            config.checks_dir_given |= key == "checks-dir"


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


def _from_flags(config: Config, args: argparse.Namespace) -> None:
    flags = vars(args)
    for attr in _FLAG_ATTRS:
        value = flags.get(attr)
        if value is not None:
            setattr(config, attr, value if attr in ("module", "timeout", "setup") else Path(value))
    config.checks_dir_given |= flags.get("checks_dir") is not None
    if flags.get("no_probe"):
        config.probe = False
    if flags.get("include_private"):
        config.include_private = True
    if flags.get("fail_on_warning"):
        config.docs_fail_on_warning = True
    if flags.get("diff_against"):
        config.diff_against = flags["diff_against"]
    if flags.get("diff_allowlist"):
        config.diff_allowlist = Path(flags["diff_allowlist"])
    if flags.get("diff_fail_on"):
        config.diff_fail_on = flags["diff_fail_on"]
    config.paths = [*flags.get("path", []), *config.paths]
    # Files on the command line replace the configured ones, as options override settings.
    config.pattern_files = flags.get("pattern_file") or config.pattern_files
    for item in flags.get("type_map") or []:
        cpp, sep, python = item.partition("=")
        if not sep or not cpp or not python:
            raise ToolError(f"--type-map expects CPP=PYTHON, got {item!r}")
        config.type_map[cpp] = python
    config.skip = [*config.skip, *_codes(flags.get("skip") or "")]
    coverage = config.coverage
    if flags.get("select") is not None:
        coverage.select = _codes(flags["select"])
    if flags.get("ignore") is not None:
        coverage.ignore = _codes(flags["ignore"])
    for attr in _COVERAGE_FLAGS:
        if flags.get(attr) is not None:
            setattr(coverage, attr, flags[attr])
    if flags.get("no_baseline"):
        coverage.baseline = None


def _validate(config: Config, *, need_module: bool = True) -> None:
    coverage = config.coverage
    unknown = sorted(
        c for c in {*coverage.select, *coverage.ignore} - {"ALL"} if c not in CATALOGUE
    )
    if unknown:
        raise ToolError(f"unknown finding code {unknown[0]!r} in coverage select/ignore")
    stages = sorted(set(config.skip) - set(STAGES))
    if stages:
        raise ToolError(f"unknown stage {stages[0]!r}; stages are {', '.join(STAGES)}")
    if coverage.source_dir is not None and not Path(coverage.source_dir).is_dir():
        raise ToolError(f"source directory {coverage.source_dir} does not exist")
    if config.checks_dir_given and not config.checks_dir.is_dir():
        raise ToolError(f"checks directory {config.checks_dir} does not exist")
    for file in [*config.pattern_files, *([config.model_file] if config.model_file else [])]:
        if not Path(file).is_file():
            raise ToolError(f"{file} does not exist")
    if need_module and not config.module and config.model_file is None:
        raise ToolError("no module given: pass one, or set [tool.nbapi] module")


def resolve_settings(
    args: argparse.Namespace,
    environ: Mapping[str, str] | None = None,
    *,
    need_module: bool = True,
) -> Config:
    """Settle the settings of one run: the file, then ``NBAPI_*`` variables, then the flags.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line; its destinations are named after :class:`Config`'s fields.
    environ : Mapping of str to str, optional
        The environment (default: ``os.environ``).
    need_module : bool, optional
        Whether a run without a module (or recorded model) named anywhere is an error.

    Returns
    -------
    Config
        The settings, checked.

    Raises
    ------
    ToolError
        If the file is invalid, a code, stage, key or input path is unknown or missing, or no
        module is named anywhere.
    """
    config = load_config(getattr(args, "config", None))
    _from_environment(config, os.environ if environ is None else environ)
    _from_flags(config, args)
    _validate(config, need_module=need_module)
    return config
