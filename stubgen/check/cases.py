"""Hold the stubs and the extension to the same user code, and run every docstring Example.

A check file holds ``case_*`` functions. mypy (``--strict --warn-unused-ignores``, through its
Python API) checks them against the stubs: must-fail lines carry ``# type: ignore[code]``, so
a stub too loose to reject them leaves an unused ignore, which mypy reports. The same cases
then run against the real module in a child process. Docstring Examples come from the model:
they run as doctests in the child and are type-checked against the stubs too.
"""

from __future__ import annotations

import ast
import doctest
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mypy import api as mypy_api

from stubgen.check.mypy_pass import mypy_cache_dir, parse_mypy_output
from stubgen.errors import ToolError
from stubgen.files.writes import write_atomic
from stubgen.model.api import ApiModel, Docstring
from stubgen.model.walk import iter_classes, iter_functions, iter_modules

RUNTIME_TIMEOUT = 300.0
CASE_FLAGS = ["--strict", "--warn-unused-ignores"]
EXAMPLE_FLAGS = ["--check-untyped-defs"]


@dataclass
class CheckResult:
    """The outcome of one check case or one object's docstring Examples."""

    kind: str
    name: str
    file: str
    line: int
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when mypy and the runtime both agreed with the case or Example."""
        return not self.problems


@dataclass
class Case:
    """A ``case_*`` function of a check file and the lines it spans."""

    file: Path
    name: str
    start: int
    end: int


@dataclass
class Example:
    """The Examples section of one object's docstring."""

    path: str
    text: str


def collect_cases(directory: Path) -> list[Case]:
    """Find the ``case_*`` functions of every ``*.py`` file under ``directory``, in order.

    Raises
    ------
    ToolError
        If the directory is missing or a file is not valid Python.
    """
    if not directory.is_dir():
        raise ToolError(f"checks directory {directory} does not exist")
    cases = []
    for file in sorted(directory.rglob("*.py")):
        try:
            tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        except SyntaxError as exc:
            raise ToolError(f"{file}:{exc.lineno}: not valid Python: {exc.msg}") from exc
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("case_"):
                end = node.end_lineno or node.lineno
                cases.append(Case(file.resolve(), node.name, node.lineno, end))
    return cases


def collect_examples(model: ApiModel) -> list[Example]:
    """Return the Examples section of every documented object of ``model``."""
    docs: list[tuple[str, Docstring | None]] = []
    for module in iter_modules(model.module):
        docs.append((module.path, module.doc))
        for cls in iter_classes(module.classes):
            docs.append((cls.path, cls.doc))
            docs += [(p.path, p.doc) for p in cls.properties]
    for fn in iter_functions(model):
        docs += [(fn.path, o.doc) for o in fn.overloads]
    seen: set[tuple[str, str]] = set()
    examples = []
    for path, doc in docs:
        if doc is not None and ">>>" in doc.examples and (path, doc.examples) not in seen:
            seen.add((path, doc.examples))
            examples.append(Example(path, doc.examples))
    return examples


def run_mypy(
    targets: list[Path], stubs: Path, flags: list[str], cache: str
) -> list[tuple[str, int, str]]:
    """Type-check ``targets`` against the stubs in ``stubs``; return ``(file, line, message)``.

    mypy runs in process. Its incremental cache (one per kind of run, named by ``cache``, as
    the flags differ) and its configuration file stay in place between runs, so a second run
    on unchanged stubs re-checks only what changed.
    """
    directory = mypy_cache_dir() / cache
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "mypy.ini"
    text = f"[mypy]\nmypy_path = {stubs.resolve()}\n"
    if not config.is_file() or config.read_text(encoding="utf-8") != text:
        write_atomic(config, text)
    args = [
        *flags,
        "--config-file",
        str(config),
        "--show-error-codes",
        "--no-error-summary",
        "--hide-error-context",
        "--no-pretty",
        "--no-color-output",
        "--cache-dir",
        str(directory / "cache"),
        *(str(t) for t in targets),
    ]
    out, err, status = mypy_api.run(args)
    return [
        (str(Path(file).resolve()), line, f"{message}  [{code}]" if code else message)
        for file, line, message, code in parse_mypy_output(out, status, err)
    ]


def _run_child(
    cases: list[dict[str, str]], examples: list[dict[str, str]], paths: list[str], timeout: float
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Run cases and Examples in a child process; return failures by case and by object."""
    with tempfile.TemporaryDirectory(prefix="nbapi-check-") as tmp:
        request, reply = Path(tmp) / "request.json", Path(tmp) / "reply.json"
        request.write_text(json.dumps({"cases": cases, "examples": examples}), encoding="utf-8")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([*paths, *filter(None, [env.get("PYTHONPATH")])])
        command = [sys.executable, "-m", "stubgen.check.child", str(request), str(reply)]
        try:
            result = subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise ToolError(f"running the checks took longer than {timeout:g} s") from None
        if not reply.exists():
            tail = (result.stderr.strip().splitlines() or [f"exit code {result.returncode}"])[-1]
            raise ToolError(f"running the checks against the module failed: {tail}")
        data = json.loads(reply.read_text(encoding="utf-8"))
    return dict(data["cases"]), {k: list(v) for k, v in data["examples"].items()}


def check_cases(
    cases: list[Case],
    stubs: Path,
    paths: list[str],
    timeout: float = RUNTIME_TIMEOUT,
    run: bool = True,
) -> list[CheckResult]:
    """Type-check the cases against ``stubs`` and run them against the module.

    Parameters
    ----------
    cases : list of Case
        From :func:`collect_cases`.
    stubs : Path
        The stubs directory.
    paths : list of str
        Extra import paths for the runtime run (the check directory is added).
    timeout : float, optional
        Seconds the runtime run may take.
    run : bool, optional
        Also run the cases against the module (False where it cannot be imported).

    Returns
    -------
    list of CheckResult
        One result per case.
    """
    if not cases:
        return []
    files = sorted({c.file for c in cases})
    errors = run_mypy(files, stubs, CASE_FLAGS, "checks-cases")
    directories = sorted({str(f.parent) for f in files})
    requests = [{"file": str(c.file), "name": c.name} for c in cases]
    failures = _run_child(requests, [], [*directories, *paths], timeout)[0] if run else {}
    results = []
    for case in cases:
        name = f"{case.file.name}::{case.name}"
        result = CheckResult("case", name, str(case.file), case.start)
        for file, line, message in errors:
            if file == str(case.file) and case.start <= line <= case.end:
                result.problems.append(f"mypy, line {line}: {_explain(message)}")
        key = f"{case.file}::{case.name}"
        if key in failures:
            result.problems.append(f"runtime: {failures[key]}")
        results.append(result)
    # Errors outside any case (imports, helpers) belong to no case but still fail the run.
    for file, line, message in errors:
        if not any(str(c.file) == file and c.start <= line <= c.end for c in cases):
            outside = CheckResult("case", f"{Path(file).name}:{line}", file, line)
            outside.problems.append(f"mypy: {message}")
            results.append(outside)
    return results


def _explain(message: str) -> str:
    if "unused-ignore" in message or 'Unused "type: ignore' in message:
        return f"{message} (the stubs accept what this line must reject)"
    return message


def check_examples(
    examples: list[Example],
    stubs: Path,
    paths: list[str],
    timeout: float = RUNTIME_TIMEOUT,
    run: bool = True,
) -> list[CheckResult]:
    """Run every docstring Example as a doctest and type-check its code against ``stubs``.

    With ``run`` False the Examples are type-checked only.

    Returns
    -------
    list of CheckResult
        One result per object with Examples; problems name the line of the Examples
        section and quote the example.
    """
    if not examples:
        return []
    parser = doctest.DocTestParser()
    with tempfile.TemporaryDirectory(prefix="nbapi-examples-") as tmp:
        sources: dict[str, tuple[Example, list[int]]] = {}
        for index, example in enumerate(examples):
            lines, origins = [], []
            for item in parser.get_examples(example.text):
                for offset, code in enumerate(item.source.rstrip("\n").splitlines()):
                    lines.append(code)
                    origins.append(item.lineno + offset + 1)
            file = (Path(tmp) / f"example_{index}.py").resolve()
            file.write_text("\n".join(lines) + "\n", encoding="utf-8")
            sources[str(file)] = (example, origins)
        errors = run_mypy([Path(f) for f in sources], stubs, EXAMPLE_FLAGS, "checks-examples")
    requests = [{"name": e.path, "text": e.text} for e in examples]
    runtime = _run_child([], requests, paths, timeout)[1] if run else {}
    results = []
    for source, (example, origins) in sources.items():
        result = CheckResult("example", example.path, example.path, 1)
        for error_file, number, message in errors:
            if error_file == source:
                where = origins[number - 1] if number <= len(origins) else number
                result.problems.append(f"mypy, Examples line {where}: {message}")
        result.problems += runtime.get(example.path, [])
        results.append(result)
    return results


def format_results(results: list[CheckResult]) -> str:
    """Render results as text: one line per case or object, problems indented, a summary."""
    lines = []
    for r in results:
        lines.append(f"{'PASS' if r.passed else 'FAIL'}  {r.kind:<7} {r.name}")
        lines += [f"        {p}" for p in r.problems]
    cases = [r for r in results if r.kind == "case"]
    examples = [r for r in results if r.kind == "example"]
    failed = [r for r in results if not r.passed]
    lines.append(
        f"{len(cases)} cases, {len(examples)} objects with Examples: "
        f"{len(results) - len(failed)} passed, {len(failed)} failed"
    )
    return "\n".join(lines) + "\n"


def run_checks(
    checks: Path | None,
    model: ApiModel | None,
    stubs: Path,
    paths: list[str],
    timeout: float = RUNTIME_TIMEOUT,
    run: bool = True,
) -> list[CheckResult]:
    """Run the check cases under ``checks`` and the Examples of ``model`` (either may be None).

    With ``run`` False (a model recorded elsewhere: the module cannot be imported here) they
    are type-checked against the stubs only.

    Returns
    -------
    list of CheckResult
        The cases first, then one result per object with Examples.

    Raises
    ------
    ToolError
        If ``stubs`` is not a directory, or a check file is not valid Python.
    """
    if not stubs.is_dir():
        raise ToolError(f"stubs directory {stubs} does not exist")
    results = []
    if checks is not None:
        results += check_cases(collect_cases(checks), stubs, paths, timeout, run)
    if model is not None:
        results += check_examples(collect_examples(model), stubs, paths, timeout, run)
    return results
