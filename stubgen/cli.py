"""Command line: ``nbapi VERB [MODULE] [options]`` (``python -m stubgen`` runs the same).

Exit codes: 0 success, 1 a check failed, 2 usage or input error (one line on stderr),
3 internal error (a bug in this tool; ``NBAPI_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stubgen import __version__
from stubgen.config import DIFF_FAIL_ON, resolve_settings
from stubgen.errors import ToolError
from stubgen.load.isolate import DEFAULT_TIMEOUT
from stubgen.pipeline.job import Options

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report an interrupted command
# nbapi-config.cmake, for find_package(nbapi) and its nbapi_add_stub().
CMAKE_DIR = Path(__file__).parent / "cmake"
# The coverage formats (stubgen.coverage.report.FORMATS); verbs import their stages only when
# they run, so the command starts fast.
FORMAT_NAMES = ("badge", "github", "json", "junit", "markdown", "text")
DIFF_FORMATS = ("github", "json", "junit", "markdown", "text")


def _add_common_arguments(
    parser: argparse.ArgumentParser, *, nanobind_flags: bool = False, module_option: bool = False
) -> None:
    """Add what every verb takes: the module (or a recorded model), import settings, config.

    Every destination is named after the :class:`stubgen.config.Config` field it sets, so
    :func:`stubgen.config.resolve_settings` reads them the same way for every verb. With
    ``module_option`` the module is ``-m/--module`` (the verb's positionals are others).
    """
    what = "import name of the extension or package (default: [tool.nbapi] module)"
    if module_option:
        parser.add_argument("-m", "--module", dest="module", help=what)
    else:
        parser.add_argument("module", nargs="?", help=what)
    # -i/--path is the import path on every verb, as for nanobind.stubgen, whose -p (the
    # pattern file) the stubs verb keeps; the other verbs still read -p as the path, as
    # they did before.
    parser.add_argument(
        *(["-i"] if nanobind_flags else ["-i", "-p"]),
        "--path",
        dest="path",
        action="append",
        default=[],
        metavar="DIR",
        help="directory to put in front of the import path (repeatable)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
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
        "--setup",
        metavar="CODE",
        help="Python statements (or module:function) run after the import and before the walk,"
        " e.g. \"import mitsuba; mitsuba.set_variant('scalar_rgb')\" ([tool.nbapi] setup)",
    )
    parser.add_argument(
        "--no-probe",
        action="store_true",
        help="do not ask pybind11 functions without signature lines for their overloads"
        " (a call no overload accepts; see [tool.nbapi] probe)",
    )
    parser.add_argument(
        "--model",
        dest="model_file",
        type=Path,
        metavar="FILE",
        help="read the API model from FILE (written by 'nbapi model') instead of importing",
    )
    parser.add_argument(
        *(["-p"] if nanobind_flags else []),
        "--pattern-file",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="nanobind pattern file applied to the API before anything is written (repeatable;"
        " replaces [tool.nbapi] pattern-files)",
    )


class _PrintAction(argparse.Action):
    """Print a fixed text and exit, as ``--version`` does."""

    def __init__(self, option_strings: Sequence[str], dest: str, text: str, **kwargs: Any):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)
        self.text = text

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(self.text)
        parser.exit()


class _OutputAction(argparse.Action):
    """``-o``: a stub file (``FILE.pyi``), as for nanobind.stubgen, else the output directory."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        text = str(values)
        setattr(namespace, "output_file" if text.endswith(".pyi") else "stubs_dir", text)


def _stubs_dir_argument(parser: argparse.ArgumentParser, *flags: str) -> None:
    parser.add_argument(
        *flags,
        dest="stubs_dir",
        metavar="DIR",
        help="the stubs directory (default: [tool.nbapi] stubs-dir, else stubs)",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with one subcommand per verb."""
    parser = argparse.ArgumentParser(
        prog="nbapi",
        description="Stubs, docs and a coverage gate for compiled (nanobind and pybind11) "
        "Python extensions. Settings come from [tool.nbapi] in pyproject.toml, then NBAPI_* "
        "environment variables, then flags.",
    )
    parser.add_argument("--version", action="version", version=f"nbapi {__version__}")
    parser.add_argument(
        "--cmake-dir",
        action=_PrintAction,
        text=str(CMAKE_DIR),
        help="print the folder of nbapi's CMake helper (find_package(nbapi): nbapi_add_stub)",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    model = verbs.add_parser(
        "model",
        help="print the API model of a module as JSON",
        description="Import the module in a child process and print its API model as JSON.",
    )
    _add_common_arguments(model)
    model.add_argument(
        "-o", "--output", metavar="FILE", help="write the JSON to FILE (FILE.json.gz: compressed)"
    )
    model.add_argument("--summary", action="store_true", help="print counts instead of the JSON")

    stubs = verbs.add_parser(
        "stubs",
        help="write PEP 561 stubs (.pyi) for a module",
        description="Write valid stubs with per-overload docstrings, or check committed ones.",
    )
    _add_common_arguments(stubs, nanobind_flags=True)
    _stubs_dir_argument(stubs, "-O", "--output-dir", "--output")
    _calls_argument(stubs)
    # The rest of nanobind.stubgen's command line, with its meanings: a user swaps
    # "python -m nanobind.stubgen" for "nbapi stubs" and keeps the arguments.
    stubs.set_defaults(output_file=None)
    stubs.add_argument(
        "-o",
        dest="stubs_dir",
        action=_OutputAction,
        metavar="FILE.pyi|DIR",
        help="a FILE.pyi gets the module's stub, as nanobind.stubgen's -o writes it (its"
        " submodules' stubs go beside it); any other path is the output directory (-O)",
    )
    stubs.add_argument(
        "-m",
        dest="modules",
        action="append",
        default=[],
        metavar="MODULE",
        help="a module to write stubs for (repeatable; nanobind.stubgen's -m)",
    )
    stubs.add_argument(
        "-r",
        "--recursive",
        action="store_true",
        help="accepted for nanobind.stubgen's command line: submodules always get stubs",
    )
    stubs.add_argument(
        "-M",
        dest="marker_files",
        action="append",
        default=[],
        metavar="FILE",
        help="also write the empty marker FILE, such as py.typed (repeatable)",
    )
    stubs.add_argument(
        "-P",
        "--include-private",
        dest="include_private",
        action="store_true",
        help="also take members named _x as API ([tool.nbapi] include-private)",
    )
    stubs.add_argument("-D", dest="no_docstrings", action="store_true", help="write no docstrings")
    stubs.add_argument(
        "--exclude-values", action="store_true", help="write no values of module attributes"
    )
    stubs.add_argument("-q", "--quiet", action="store_true", help="print only errors")
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
        "differ between the stubs and the module.",
    )
    _add_common_arguments(verify)
    _stubs_dir_argument(verify, "--stubs")
    _calls_argument(verify)
    trace = verbs.add_parser(
        "trace",
        help="run a command and record the calls it makes into the module",
        description="Run COMMAND (after '--') with the module's functions, methods, operators "
        "and properties recorded: each distinct call's argument and result types and where it "
        "was made. The calls file feeds 'nbapi verify --calls'. Exit status: the command's.",
    )
    trace.add_argument(
        "-m", "--module", dest="module",
        help="import name of the traced package (default: [tool.nbapi] module)",
    )  # fmt: skip
    trace.add_argument(
        "-i", "-p", "--path", dest="path", action="append", default=[], metavar="DIR",
        help="directory to put in front of the command's import path (repeatable)",
    )  # fmt: skip
    trace.add_argument("--config", type=Path, metavar="FILE", help="TOML file with [tool.nbapi]")
    trace.add_argument(
        "-o", "--output", dest="calls", metavar="FILE",
        help="the calls file to write (default: [tool.nbapi] calls, else calls.json)",
    )  # fmt: skip
    trace.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG ...]")
    coverage = verbs.add_parser(
        "coverage",
        help="docstring and signature coverage gate",
        description="Check signatures and docstrings against the rule catalogue, score the "
        "API, and fail on a threshold or on findings new since a baseline. Exit codes: "
        "0 pass, 1 gate failed, 2 usage or input error.",
    )
    _add_common_arguments(coverage)
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
    diff = verbs.add_parser(
        "diff",
        help="API changes between two versions; gate breaking ones",
        description="Compare two versions of the API, overload by overload, and report what "
        "changed: breaking (error), may break (warning), compatible (info). Each side is a "
        "model file (nbapi model -o), an importable module, or a git ref whose committed "
        "stubs are read. Exit codes: 0 pass, 1 gate failed, 2 usage or input error.",
    )
    diff.add_argument(
        "old",
        nargs="?",
        help="the old version: model file, module or git ref (default: [tool.nbapi] diff-against)",
    )
    diff.add_argument(
        "new",
        nargs="?",
        help="the new version: model file or module (default: the configured module, or --model)",
    )
    _add_common_arguments(diff, module_option=True)
    diff.add_argument(
        "--against",
        metavar="REF",
        help="compare the stubs committed at git REF with the stubs of the current module",
    )
    diff.add_argument(
        "--fail-on",
        dest="diff_fail_on",
        choices=DIFF_FAIL_ON,
        help="which changes fail the gate (default: [tool.nbapi] diff-fail-on, else breaking)",
    )
    diff.add_argument(
        "--allowlist",
        dest="diff_allowlist",
        metavar="FILE",
        help="accepted breaks, in the coverage baseline's form ([tool.nbapi] diff-allowlist)",
    )
    diff.add_argument(
        "--write-allowlist",
        type=Path,
        metavar="FILE",
        help="record today's breaking changes as accepted, then exit 0",
    )
    diff.add_argument(
        "--format", choices=DIFF_FORMATS, default="text", help="output format (default: text)"
    )
    diff.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report to FILE")
    docs = verbs.add_parser(
        "docs",
        help="build the HTML API reference",
        description="Write the API pages under the Sphinx source directory (from the model; "
        "the extension is never imported when --model is given) and build HTML, nitpicky. "
        "A warning on a hand-written page fails the build; one the package's docstrings "
        "cause on an API page is a finding (DOC008), and the HTML is still published "
        "unless --fail-on-warning.",
    )
    _add_common_arguments(docs)
    docs.add_argument(
        "-o",
        "--output",
        dest="docs_output",
        metavar="DIR",
        help="HTML output directory (default: [tool.nbapi] docs-output, else docs/_build/html)",
    )
    docs.add_argument(
        "--source",
        dest="docs_source",
        metavar="DIR",
        help="Sphinx source directory; API pages go to its api/ folder (default: "
        "[tool.nbapi] docs-source, else docs/source)",
    )
    docs.add_argument("--no-coverage", action="store_true", help="leave the coverage page out")
    _fail_on_warning_argument(docs)
    whole = verbs.add_parser(
        "all",
        help="the whole job: stubs, verify, check, coverage, docs",
        description="Load the module once, then write the stubs, verify them, run the checks, "
        "run the coverage gate and build the docs; stages whose inputs did not change since "
        "they last passed are skipped. Exit 0 when every stage passes, 1 when one fails, 2 on "
        "bad input.",
    )
    _add_common_arguments(whole)
    whole.add_argument(
        "--skip",
        default="",
        metavar="STAGES",
        help="comma-separated stages to skip: stubs, verify, check, coverage, docs",
    )
    _stubs_dir_argument(whole, "--stubs")
    whole.add_argument("--checks", dest="checks_dir", metavar="DIR", help="check files directory")
    whole.add_argument("--docs-output", metavar="DIR", help="HTML output directory")
    _fail_on_warning_argument(whole)
    _calls_argument(whole)
    whole.add_argument("--reports", dest="reports_dir", metavar="DIR", help="reports directory")
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
    _add_common_arguments(check)
    check.add_argument(
        "--checks",
        dest="checks_dir",
        metavar="DIR",
        help="directory of check files (default: [tool.nbapi] checks-dir, else checks)",
    )
    _stubs_dir_argument(check, "--stubs")
    check.add_argument("--no-examples", action="store_true", help="skip docstring Examples")
    return parser


def _calls_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--calls",
        metavar="FILE",
        help="a calls file written by 'nbapi trace': verify type-checks every call in it against"
        " the stubs, and the stubs order overloads by it ([tool.nbapi] calls)",
    )


def _fail_on_warning_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fail-on-warning",
        action="store_true",
        help="fail the docs on any Sphinx warning, the docstrings' too, and publish nothing "
        "([tool.nbapi] docs-fail-on-warning)",
    )


def _run(verb: str, args: argparse.Namespace, options: Options, need_module: bool = True) -> int:
    """Settle the settings, run the verb's plan through the pipeline, print what it says.

    Each result's problems go where its stage declares, its output to stdout and its
    closing message to stderr; ``-q`` keeps only what failed. The exit code is 1 when a
    stage failed, or the one a stage sets (``trace``: its command's).
    """
    from stubgen.pipeline import REGISTRY, make_job, run

    job = make_job(
        resolve_settings(args, need_module=need_module), use_cache=False, options=options
    )
    results = run(job, verb)
    for result in results:
        loud = not options.quiet or result.status == "failed"
        stream = REGISTRY[result.name].problems
        if loud and stream != "none":
            for problem in result.problems:
                print(problem, file=sys.stdout if stream == "stdout" else sys.stderr)
        if result.output:
            sys.stdout.write(result.output)
        if loud and result.message:
            print(result.message, file=sys.stderr)
    codes = [r.exit_code for r in results if r.exit_code is not None]
    if codes:
        return codes[-1]
    return EXIT_FAILED if any(r.status == "failed" for r in results) else EXIT_OK


def run_model(args: argparse.Namespace) -> int:
    """Run the ``model`` verb."""
    output = Path(args.output) if args.output else None
    return _run("model", args, Options(output=output, summary=args.summary))


def run_stubs(args: argparse.Namespace) -> int:
    """Run the ``stubs`` verb, once per module (nanobind.stubgen's ``-m`` is repeatable)."""
    if args.output_file and len(args.modules) > 1:
        raise ToolError("-o FILE.pyi takes one module; use -O DIR for several")
    options = Options(
        quiet=args.quiet,
        check=args.check,
        output_file=Path(args.output_file) if args.output_file else None,
        docstrings=not args.no_docstrings,
        values=not args.exclude_values,
        typecheck=args.typecheck,
        marker_files=[Path(m) for m in args.marker_files],
    )
    status = EXIT_OK
    for module in args.modules or [args.module]:
        one = argparse.Namespace(**{**vars(args), "module": module})
        status = max(status, _run("stubs", one, options))
    return status


def run_verify(args: argparse.Namespace) -> int:
    """Run the ``verify`` verb."""
    return _run("verify", args, Options())


def run_trace(args: argparse.Namespace) -> int:
    """Run the ``trace`` verb: the command's exit status, or 2 when it cannot run."""
    return _run("trace", args, Options(command=list(args.command)))


def run_coverage(args: argparse.Namespace) -> int:
    """Run the ``coverage`` verb."""
    colour = args.color == "always" or (
        args.color == "auto"
        and not args.output
        and sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")
    )
    options = Options(
        format=args.format,
        output=Path(args.output) if args.output else None,
        colour=colour,
        write_baseline=args.write_baseline,
    )
    return _run("coverage", args, options)


def run_docs(args: argparse.Namespace) -> int:
    """Run the ``docs`` verb."""
    return _run("docs", args, Options(coverage_page=not args.no_coverage))


def run_check(args: argparse.Namespace) -> int:
    """Run the ``check`` verb."""
    return _run("check", args, Options(examples=not args.no_examples))


def run_all(args: argparse.Namespace) -> int:
    """Run the ``all`` verb."""
    from stubgen.pipeline import Progress, make_job, run, summary

    job = make_job(resolve_settings(args), use_cache=not args.no_cache)
    results = run(job, "all", Progress(quiet=args.quiet, verbose=args.verbose))
    sys.stdout.write(summary(job.module, results))
    if results[0].status == "failed":  # the module could not be loaded: an input error
        print(f"nbapi: error: {results[0].detail}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_FAILED if any(r.status == "failed" for r in results) else EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    """Run the ``diff`` verb: compare two versions and gate the breaking changes."""
    if args.against and (args.old is not None or args.new is not None):
        raise ToolError(
            "--against REF is the old side and the current module the new: give no OLD or NEW"
        )
    options = Options(
        old=args.against or args.old,
        git_ref=bool(args.against),
        new=args.new,
        format=args.format,
        output=args.output,
        write_allowlist=args.write_allowlist,
    )
    return _run("diff", args, options, need_module=args.new is None)


VERBS = {
    "all": run_all,
    "diff": run_diff,
    "check": run_check,
    "model": run_model,
    "stubs": run_stubs,
    "verify": run_verify,
    "trace": run_trace,
    "coverage": run_coverage,
    "docs": run_docs,
}


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _interruptible() -> dict[int, Any]:
    """Make Ctrl-C and SIGTERM interrupt the run: children killed, temp files removed, 130.

    A command started in the background of a script inherits SIGINT ignored, and Python
    keeps it so; SIGTERM ends Python without unwinding. Both then leave the loader's child
    running. Only the main thread can install handlers (tests call :func:`main` from others).
    """
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {s: signal.signal(s, _interrupted) for s in (signal.SIGINT, signal.SIGTERM)}


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the verb; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    handlers = _interruptible()
    try:
        return VERBS[args.verb](args)
    except (ToolError, OSError) as exc:
        print(f"nbapi: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("nbapi: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if os.environ.get("NBAPI_DEBUG"):
            raise
        print(
            f"nbapi: internal error: {type(exc).__name__}: {exc} "
            "(set NBAPI_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
