"""Child process of the ``check`` verb: runs check cases and docstring Examples for real.

Usage: ``python -m stubgen.check.child REQUEST REPLY``. REQUEST is JSON with ``cases``
(``file``, ``name``) and ``examples`` (``name``, ``text``); REPLY receives ``cases`` (a map
``file::name`` -> error, for the cases that raised) and ``examples`` (a map object path ->
list of problems).
"""

from __future__ import annotations

import doctest
import importlib.util
import json
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any


def _load(file: str, loaded: dict[str, ModuleType]) -> ModuleType:
    if file not in loaded:
        spec = importlib.util.spec_from_file_location(f"_check_{len(loaded)}", file)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {file}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        loaded[file] = module
    return loaded[file]


def run_cases(cases: list[dict[str, str]]) -> dict[str, str]:
    """Call every case function; return the error of each one that raised."""
    failures: dict[str, str] = {}
    loaded: dict[str, ModuleType] = {}
    for case in cases:
        key = f"{case['file']}::{case['name']}"
        try:
            getattr(_load(case["file"], loaded), case["name"])()
        except BaseException as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            failures[key] = f"{type(exc).__name__}: {exc} (line {frame.lineno})"
    return failures


class _Collector(doctest.DocTestRunner):
    def __init__(self) -> None:
        super().__init__(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        self.problems: list[str] = []

    def report_failure(self, out: Any, test: Any, example: Any, got: str) -> None:
        self.problems.append(
            f"runtime, Examples line {example.lineno + 1}: {example.source.strip()!r} "
            f"gave {got.strip()!r}, expected {example.want.strip()!r}"
        )

    def report_unexpected_exception(self, out: Any, test: Any, example: Any, exc_info: Any) -> None:
        kind, value, _ = exc_info
        self.problems.append(
            f"runtime, Examples line {example.lineno + 1}: {example.source.strip()!r} "
            f"raised {kind.__name__}: {value}"
        )


def run_examples(examples: list[dict[str, str]]) -> dict[str, list[str]]:
    """Run each Examples section as a doctest; return the problems per object."""
    parser = doctest.DocTestParser()
    problems: dict[str, list[str]] = {}
    for example in examples:
        runner = _Collector()
        test = parser.get_doctest(example["text"], {}, example["name"], None, 0)
        runner.run(test, out=lambda _text: None)
        if runner.problems:
            problems.setdefault(example["name"], []).extend(runner.problems)
    return problems


def main(argv: list[str]) -> int:
    """Read the request, run it, write the reply."""
    request, reply = (Path(a) for a in argv)
    data = json.loads(request.read_text(encoding="utf-8"))
    result = {"cases": run_cases(data["cases"]), "examples": run_examples(data["examples"])}
    reply.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
