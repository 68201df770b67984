"""Command line: ``nbapi VERB MODULE [options]`` (also ``python -m stubgen``).

Exit codes: 0 success, 1 a check failed, 2 usage or input error (one line on stderr),
3 internal error (a bug in this tool; ``NBAPI_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from stubgen.config import CoverageConfig, load_config
from stubgen.errors import ToolError
from stubgen.files.writes import diff_tree, write_atomic, write_tree

if TYPE_CHECKING:
    from stubgen.findings import Finding
from stubgen.load.isolate import DEFAULT_TIMEOUT, load_model
from stubgen.model.api import ApiModel
from stubgen.model.json_io import ModelFormatError, model_from_json, model_to_json
from stubgen.model.summary import format_summary, summarize

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
# The coverage formats (stubgen.coverage.report.FORMATS); verbs import their stages only when
# they run, so the command starts fast.
FORMAT_NAMES = ("badge", "github", "json", "junit", "markdown", "text")


def _add_module_arguments(parser: argparse.ArgumentParser, *, optional: bool = False) -> None:
    """Add the module, import path, timeout and config arguments every verb takes.

    With ``optional``, the module and the timeout may come from the configuration instead.
    """
    if optional:
        parser.add_argument("module", nargs="?", help="import name (default: [tool.nbapi] module)")
    else:
        parser.add_argument(
            "module", help="import name of the extension or package, e.g. tinyfuser"
        )
    parser.add_argument(
        "-p",
        "--path",
        action="append",
        default=[],
        metavar="DIR",
        help="directory to put in front of the import path (repeatable)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None if optional else DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"seconds the import may take (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="TOML file with a [tool.nbapi] table (default: ./pyproject.toml if present)",
    )
    parser.add_argument(
        "--pattern-file",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="nanobind pattern file applied to the API before anything is written (repeatable;"
        " replaces [tool.nbapi] pattern-files)",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with one subcommand per verb."""
    parser = argparse.ArgumentParser(
        prog="nbapi",
        description="Stubs, docs and a coverage gate for compiled (nanobind) Python extensions.",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    model = verbs.add_parser(
        "model",
        help="print the API model of a module as JSON",
        description="Import the module in a child process and print its API model as JSON.",
    )
    _add_module_arguments(model)
    model.add_argument("-o", "--output", metavar="FILE", help="write the JSON to FILE")
    model.add_argument("--summary", action="store_true", help="print counts instead of the JSON")

    stubs = verbs.add_parser(
        "stubs",
        help="write PEP 561 stubs (.pyi) for a module",
        description="Write valid stubs with per-overload docstrings, or check committed ones.",
    )
    _add_module_arguments(stubs)
    stubs.add_argument(
        "-o", "--output", default="stubs", metavar="DIR", help="output directory (default: stubs)"
    )
    stubs.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 with a unified diff if the stubs in DIR are stale",
    )
    stubs.add_argument(
        "--typecheck",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="also type-check the stubs with mypy --strict and report what it finds"
        " (exit 1 if it finds errors); off by default: the stubs are written clean",
    )
    stubs.add_argument(
        "--type-map",
        action="append",
        default=[],
        metavar="CPP=PYTHON",
        help="write the unbound C++ type CPP (or re:REGEX) as the Python type PYTHON",
    )

    verify = verbs.add_parser(
        "verify",
        help="compare stubs on disk with the live module",
        description="Report objects, overloads, parameter names, kinds and defaults that "
        "differ between the stubs and the module's __nb_signature__.",
    )
    _add_module_arguments(verify)
    verify.add_argument(
        "--stubs", default="stubs", metavar="DIR", help="the stubs directory (default: stubs)"
    )
    coverage = verbs.add_parser(
        "coverage",
        help="docstring and signature coverage gate",
        description="Check signatures and docstrings against the rule catalogue, score the "
        "API, and fail on a threshold or on findings new since a baseline. Exit codes: "
        "0 pass, 1 gate failed, 2 usage or input error.",
    )
    _add_module_arguments(coverage)
    coverage.add_argument(
        "--format", choices=FORMAT_NAMES, default="text", help="output format (default: text)"
    )
    coverage.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    coverage.add_argument(
        "--select", metavar="CODES", help="comma-separated codes to check (ALL for every code)"
    )
    coverage.add_argument("--ignore", metavar="CODES", help="comma-separated codes to skip")
    coverage.add_argument(
        "--exclude",
        action="append",
        default=None,
        metavar="GLOB",
        help="leave out objects whose public path matches GLOB (repeatable)",
    )
    coverage.add_argument(
        "--fail-under", type=float, metavar="PERCENT", help="fail below this overall score"
    )
    coverage.add_argument(
        "--baseline", type=Path, metavar="FILE", help="fail only on findings not in FILE"
    )
    coverage.add_argument(
        "--no-baseline", action="store_true", help="ignore the configured baseline"
    )
    coverage.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="record today's findings in FILE and exit 0",
    )
    coverage.add_argument(
        "--source-dir",
        type=Path,
        metavar="DIR",
        help="C++ binding sources: findings get the file and line of their .def(...)",
    )
    coverage.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour in text output (default: auto, on a terminal without NO_COLOR)",
    )
    docs = verbs.add_parser(
        "docs",
        help="build the HTML API reference",
        description="Write the API pages under the Sphinx source directory (from the model; "
        "the extension is never imported when --model is given) and build HTML with "
        "warnings as errors, nitpicky.",
    )
    _add_module_arguments(docs)
    docs.add_argument(
        "-o",
        "--output",
        default="docs/_build/html",
        metavar="DIR",
        help="HTML output directory (default: docs/_build/html)",
    )
    docs.add_argument(
        "--source",
        default="docs/source",
        metavar="DIR",
        help="Sphinx source directory; API pages go to its api/ folder (default: docs/source)",
    )
    docs.add_argument(
        "--model",
        type=Path,
        metavar="FILE",
        help="read the model from FILE (written by the model verb) instead of importing",
    )
    docs.add_argument("--no-coverage", action="store_true", help="leave the coverage page out")
    whole = verbs.add_parser(
        "all",
        help="the whole job: stubs, verify, check, coverage, docs (settings from pyproject.toml)",
        description="Load the module once, then write the stubs, verify them, run the checks, "
        "run the coverage gate and build the docs; stages whose inputs did not change since "
        "they last passed are skipped. Settings come from [tool.nbapi] in pyproject.toml; "
        "flags override them. Exit 0 when every stage passes, 1 when one fails, 2 on bad "
        "input.",
    )
    _add_module_arguments(whole, optional=True)
    whole.add_argument(
        "--skip",
        default="",
        metavar="STAGES",
        help="comma-separated stages to skip: stubs, verify, check, coverage, docs",
    )
    whole.add_argument("--stubs", type=Path, metavar="DIR", help="stubs directory")
    whole.add_argument("--checks", type=Path, metavar="DIR", help="check files directory")
    whole.add_argument("--docs-output", type=Path, metavar="DIR", help="HTML output directory")
    whole.add_argument("--reports", type=Path, metavar="DIR", help="coverage reports directory")
    whole.add_argument("--no-cache", action="store_true", help="run every stage")
    whole.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    whole.add_argument("-v", "--verbose", action="store_true", help="print every finding")

    check = verbs.add_parser(
        "check",
        help="type-check example user code against the stubs and run it, run docstring Examples",
        description="Type-check the case_* functions under --checks with mypy --strict "
        "--warn-unused-ignores against the stubs, run them against the module, and run "
        "every docstring Example as a doctest and through mypy. Exit 1 unless all behave "
        "as declared.",
    )
    _add_module_arguments(check)
    check.add_argument(
        "--checks",
        type=Path,
        default=Path("checks"),
        metavar="DIR",
        help="directory of check files (default: checks)",
    )
    check.add_argument(
        "--stubs",
        type=Path,
        default=Path("stubs"),
        metavar="DIR",
        help="stubs to check against (default: stubs)",
    )
    check.add_argument("--no-examples", action="store_true", help="skip docstring Examples")
    return parser


def _load(args: argparse.Namespace) -> ApiModel:
    from stubgen.load.patterns import apply_patterns, load_pattern_files

    # Files on the command line replace the configured ones, as options override settings.
    files = args.pattern_file or load_config(args.config).pattern_files
    patterns = load_pattern_files(files)  # read first: a bad file fails before the import
    model = load_model(args.module, paths=args.path, timeout=args.timeout)
    for error in model.load_errors:
        print(f"warning: {error}", file=sys.stderr)
    if patterns:
        result = apply_patterns(model, patterns)
        _print_findings(result.findings)
        print(
            f"patterns: {result.applied} entries replaced, {result.removed} removed",
            file=sys.stderr,
        )
    return model


def _print_findings(findings: list[Finding]) -> None:
    for item in findings:
        print(f"{item.severity}: {item}", file=sys.stderr)


def run_model(args: argparse.Namespace) -> int:
    """Run the ``model`` verb."""
    model = _load(args)
    text = format_summary(args.module, summarize(model)) if args.summary else model_to_json(model)
    if args.output:
        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _type_map(args: argparse.Namespace) -> dict[str, str]:
    type_map = dict(load_config(args.config).type_map)
    for item in args.type_map:
        cpp, sep, python = item.partition("=")
        if not sep or not cpp or not python:
            raise ToolError(f"--type-map expects CPP=PYTHON, got {item!r}")
        type_map[cpp] = python
    return type_map


def _import_meanwhile(module: str) -> threading.Thread:
    """Start importing ``module`` in a thread, to overlap with the loader's child process."""
    thread = threading.Thread(target=importlib.import_module, args=(module,), daemon=True)
    thread.start()
    return thread


def run_stubs(args: argparse.Namespace) -> int:
    """Run the ``stubs`` verb."""
    type_map = _type_map(args)
    renderer = _import_meanwhile("stubgen.stubs.render")
    model = _load(args)
    renderer.join()
    from stubgen.stubs.render import render_stubs

    stubs = render_stubs(model, type_map)
    if args.check:
        diff = diff_tree(args.output, stubs.files, suffixes=(".pyi", "py.typed"))
        if diff:
            sys.stdout.write(diff)
            print(
                f"nbapi: stubs under {args.output} are stale; regenerate them with "
                f"'python -m stubgen stubs {args.module} -o {args.output}'",
                file=sys.stderr,
            )
            return EXIT_FAILED
        print(f"stubs under {args.output} are up to date", file=sys.stderr)
        return EXIT_OK
    _print_findings(stubs.findings)
    written = write_tree(args.output, stubs.files)
    print(
        f"{len(stubs.files)} stub files under {args.output} ({len(written)} changed), "
        f"{len(stubs.findings)} findings",
        file=sys.stderr,
    )
    if args.typecheck:
        from stubgen.check.mypy_pass import typecheck_stubs

        errors = typecheck_stubs(stubs.files)
        _print_findings(errors)
        print(f"mypy --strict: {len(errors)} errors in the stubs", file=sys.stderr)
        return EXIT_FAILED if errors else EXIT_OK
    return EXIT_OK


def run_verify(args: argparse.Namespace) -> int:
    """Run the ``verify`` verb."""
    from stubgen.verify.compare import verify_stubs

    stubs_dir = Path(args.stubs)
    if not stubs_dir.is_dir():
        raise ToolError(f"stubs directory {stubs_dir} does not exist")
    findings = verify_stubs(_load(args), stubs_dir)
    for item in findings:
        print(item)
    verdict = "match" if not findings else f"differ in {len(findings)} places"
    print(f"stubs under {stubs_dir} and module {args.module} {verdict}", file=sys.stderr)
    return EXIT_FAILED if findings else EXIT_OK


def _coverage_config(args: argparse.Namespace) -> CoverageConfig:
    from stubgen.findings import CATALOGUE

    config = load_config(args.config).coverage
    if args.select is not None:
        config.select = [c.strip() for c in args.select.split(",") if c.strip()]
    if args.ignore is not None:
        config.ignore = [c.strip() for c in args.ignore.split(",") if c.strip()]
    if args.exclude is not None:
        config.exclude = args.exclude
    if args.fail_under is not None:
        config.fail_under = args.fail_under
    if args.baseline is not None:
        config.baseline = args.baseline
    if args.no_baseline:
        config.baseline = None
    if args.source_dir is not None:
        config.source_dir = args.source_dir
    unknown = sorted(set(config.select + config.ignore) - set(CATALOGUE) - {"ALL"})
    if unknown:
        raise ToolError(f"unknown finding code {unknown[0]!r}")
    if config.source_dir is not None and not Path(config.source_dir).is_dir():
        raise ToolError(f"source directory {config.source_dir} does not exist")
    return config


def run_coverage(args: argparse.Namespace) -> int:
    """Run the ``coverage`` verb."""
    from stubgen.coverage.baseline import write_baseline
    from stubgen.coverage.gate import build_report
    from stubgen.coverage.report import FORMATS, render_text

    config = _coverage_config(args)
    model = _load(args)
    if args.write_baseline is not None:
        config.baseline = None
        report = build_report(model, config)
        write_baseline(args.write_baseline, report.findings)
        print(
            f"baseline of {len(report.findings)} findings written to {args.write_baseline}",
            file=sys.stderr,
        )
        return EXIT_OK
    report = build_report(model, config)
    if args.format == "text":
        colour = args.color == "always" or (
            args.color == "auto"
            and not args.output
            and sys.stdout.isatty()
            and not os.environ.get("NO_COLOR")
        )
        text = render_text(report, colour=colour)
    else:
        text = FORMATS[args.format](report)
    if args.output:
        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_OK if report.passed else EXIT_FAILED


def run_docs(args: argparse.Namespace) -> int:
    """Run the ``docs`` verb."""
    from stubgen.coverage.gate import build_report
    from stubgen.docs.build import build_docs
    from stubgen.docs.pages import API_DIR

    if args.model is not None:
        try:
            model = model_from_json(args.model.read_text(encoding="utf-8"))
        except ModelFormatError as exc:
            raise ToolError(f"{args.model}: {exc}") from exc
        if model.module.path != args.module:
            raise ToolError(f"{args.model} describes {model.module.path!r}, not {args.module!r}")
    else:
        model = _load(args)
    report = None if args.no_coverage else build_report(model, load_config(args.config).coverage)
    source, output = Path(args.source), Path(args.output)
    pages, warnings = build_docs(model, report, source, output)
    for line in warnings:
        print(line, file=sys.stderr)
    if warnings:
        print(
            f"nbapi: the docs build had {len(warnings)} warnings (treated as errors)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(
        f"docs of {args.module}: {pages} API pages under {source / API_DIR}, HTML in {output}",
        file=sys.stderr,
    )
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """Run the ``check`` verb."""
    from stubgen.check.cases import format_results, run_checks

    if not args.stubs.is_dir():
        raise ToolError(f"stubs directory {args.stubs} does not exist")
    model = None if args.no_examples else _load(args)
    results = run_checks(args.checks, model, args.stubs, args.path, args.timeout)
    sys.stdout.write(format_results(results))
    return EXIT_OK if all(r.passed for r in results) else EXIT_FAILED


def run_all(args: argparse.Namespace) -> int:
    """Run the ``all`` verb."""
    from stubgen.pipeline import Progress, make_job, summary
    from stubgen.pipeline import run_all as run_stages

    config = load_config(args.config)
    config.paths = [*args.path, *config.paths]
    config.pattern_files = args.pattern_file or config.pattern_files
    if args.timeout is not None:
        config.timeout = args.timeout
    for flag, attr in (
        ("stubs", "stubs_dir"),
        ("checks", "checks_dir"),
        ("docs_output", "docs_output"),
        ("reports", "reports_dir"),
    ):
        if getattr(args, flag) is not None:
            setattr(config, attr, getattr(args, flag))
    skip = [s.strip() for s in args.skip.split(",") if s.strip()]
    job = make_job(args.module, config, skip, use_cache=not args.no_cache)
    results = run_stages(job, Progress(quiet=args.quiet, verbose=args.verbose))
    sys.stdout.write(summary(job.module, results))
    return EXIT_FAILED if any(r.status == "failed" for r in results) else EXIT_OK


VERBS = {
    "all": run_all,
    "check": run_check,
    "model": run_model,
    "stubs": run_stubs,
    "verify": run_verify,
    "coverage": run_coverage,
    "docs": run_docs,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the verb; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    try:
        return VERBS[args.verb](args)
    except (ToolError, OSError) as exc:
        print(f"nbapi: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("NBAPI_DEBUG"):
            raise
        print(
            f"nbapi: internal error: {type(exc).__name__}: {exc} "
            "(set NBAPI_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
