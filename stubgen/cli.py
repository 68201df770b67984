"""Command line: ``nbapi VERB MODULE [options]`` (also ``python -m stubgen``).

Exit codes: 0 success, 1 a check failed, 2 usage or input error (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from stubgen.errors import ToolError
from stubgen.fileio import write_atomic
from stubgen.load.isolate import DEFAULT_TIMEOUT, load_model
from stubgen.model.json_io import model_to_json
from stubgen.model.summary import format_summary, summarize

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _add_module_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("module", help="import name of the extension or package, e.g. tinyfuser")
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
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"seconds the import may take (default {DEFAULT_TIMEOUT:g})",
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
    return parser


def run_model(args: argparse.Namespace) -> int:
    """Run the ``model`` verb."""
    model = load_model(args.module, paths=args.path, timeout=args.timeout)
    text = format_summary(args.module, summarize(model)) if args.summary else model_to_json(model)
    if args.output:
        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    for error in model.load_errors:
        print(f"warning: {error}", file=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the verb; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    try:
        return run_model(args)
    except ToolError as exc:
        print(f"nbapi: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"nbapi: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
