"""nvFuser's direct bindings end to end: ours against pybind11-stubgen, in one run.

nvFuser (``nvfuser_direct``, pybind11 3) binds its ``ops`` module with function signatures
disabled. This harness builds, once, a venv outside the repository with the released wheel
(Python 3.12, ``torch==2.10.0 nvfuser-cu128-torch210``, about 7 GB; importing and defining
fusions needs no GPU), this tool (editable), pybind11-stubgen 3.0.0, mypy and basedpyright.
Then it runs ``nbapi all`` on the module with the check file of typical fusions
(``tests/nvfuser/checks``), times ``stubs`` against pybind11-stubgen (best of N,
interleaved), and prints the table of the benchmarks page: mypy --strict and basedpyright
errors on each tool's stubs, ``ops`` functions written with real signatures, the check file
against each tool's stubs, coverage findings and the docs' overload signatures.

Not part of ``make test`` (the install is too big for CI); CI renders the model this
harness records (``--record``) instead: ``tests/test_nvfuser.py``.

Usage: python bench/nvfuser_bench.py [--venv DIR] [--repeat N] [--record]
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pybind11_bench import annotation_counts, mypy_errors, pyright_errors

ROOT = Path(__file__).resolve().parent.parent
MODULE = "nvfuser_direct"
PACKAGES = ["torch==2.10.0", "nvfuser-cu128-torch210"]
TOOLS = ["pybind11-stubgen==3.0.0", "mypy", "basedpyright", "typing_extensions"]
CHECKS = ROOT / "tests" / "nvfuser" / "checks"
RECORDED = ROOT / "tests" / "nvfuser" / "nvfuser_direct.model.json.gz"
CALLS = ROOT / "tests" / "nvfuser" / "calls.json"


def ensure_venv(venv: Path) -> Path:
    """Create the venv once (Python 3.12: nvFuser's wheels exist for cp310 and cp312)."""
    python = venv / "bin" / "python"
    if not python.exists():
        base = shutil.which("python3.12")
        if base is None:
            raise SystemExit("nvfuser_bench: needs python3.12 on the PATH (pyenv works)")
        subprocess.run([base, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES, *TOOLS], check=True)
    # The tool as it is in this tree, every run (cheap: editable).
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", str(ROOT)], check=True)
    return python


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command, output captured."""
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def time_stubs(python: Path, work: Path, repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` seconds of each tool writing stubs, interleaved."""
    bin_dir = python.parent
    commands = {
        "ours": [str(bin_dir / "nbapi"), "stubs", MODULE, "-o", "ours"],
        "pybind11-stubgen": [str(bin_dir / "pybind11-stubgen"), MODULE, "-o", "pybind11-stubgen"],
    }
    best: dict[str, float] = {}
    for _ in range(repeat):
        for tool, command in commands.items():
            shutil.rmtree(work / tool, ignore_errors=True)
            start = time.perf_counter()
            done = run(command, work)
            seconds = time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(f"{tool} failed: {done.stderr[-500:]}")
            best[tool] = min(best.get(tool, seconds), seconds)
    return best


def signatures(root: Path) -> tuple[int, int]:
    """``ops`` functions with a real signature, and all of them, in one tool's stubs."""
    ops = next(root.rglob("ops.pyi"), None)
    if ops is None:
        return 0, 0
    try:
        tree = ast.parse(ops.read_text(encoding="utf-8"))
    except SyntaxError:
        text = ops.read_text(encoding="utf-8")
        names = set(re.findall(r"^def (\w+)\(", text, re.M))
        catch_all = set(re.findall(r"^def (\w+)\(\*args, \*\*kwargs\)", text, re.M))
        return len(names - catch_all), len(names)
    real: dict[str, bool] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            args = node.args
            known = bool(args.posonlyargs or args.args or args.kwonlyargs) or not (
                args.vararg and args.kwarg
            )
            real[node.name] = real.get(node.name, False) or known
    return sum(real.values()), len(real)


def check_file(python: Path, stubs: Path, work: Path) -> str:
    """The check file of typical fusions against one tool's stubs: cases passed of all.

    mypy checks nothing past a syntax error in the stubs: the cases then pass vacuously, and
    the cell says so.
    """
    command = [str(python.parent / "nbapi"), "check", MODULE, "--stubs", str(stubs)]
    done = run([*command, "--checks", str(CHECKS), "--no-examples"], work)
    cases = re.findall(r"^(PASS|FAIL)  case    \S+::case_", done.stdout, re.M)
    blocking = len(re.findall(r"^FAIL  case    \S+\.pyi:\d+", done.stdout, re.M))
    passed = f"{cases.count('PASS')} of {len(cases)}"
    if blocking:
        return f"unchecked ({passed} pass vacuously: mypy stops on {blocking} errors in the stubs)"
    return passed if cases else "did not run"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path.home() / ".cache" / "nbapi-bench" / "nvfuser-venv"
    parser.add_argument("--venv", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--record", action="store_true", help=f"rewrite {RECORDED.name}")
    args = parser.parse_args()
    python = ensure_venv(args.venv)
    nbapi = str(python.parent / "nbapi")
    with tempfile.TemporaryDirectory(prefix="nvfuser-bench-") as tmp:
        work = Path(tmp)
        # The evidence first: the check cases (fusion definitions, which run on the CPU)
        # traced, so that the stubs order overloads by what the calls returned.
        run([nbapi, "stubs", MODULE, "-O", "plain", "-q"], work)
        checks = [nbapi, "check", MODULE, "--stubs", "plain", "--checks", str(CHECKS)]
        traced = run(
            [nbapi, "trace", "-m", MODULE, "-o", "calls.json", "--", *checks, "--no-examples"], work
        )
        print(traced.stderr.strip().splitlines()[-1])
        (work / "pyproject.toml").write_text(
            f'[tool.nbapi]\nmodule = "{MODULE}"\nchecks-dir = "{CHECKS}"\n'
            'docs-output = "html"\nreports-dir = "reports"\ncalls = "calls.json"\n'
        )
        start = time.perf_counter()
        whole = run([nbapi, "all", "--no-cache"], work)
        all_seconds = time.perf_counter() - start
        print(whole.stdout)
        if args.record:
            run([nbapi, "model", MODULE, "-o", str(RECORDED)], work)
            shutil.copyfile(work / "calls.json", CALLS)
            print(f"recorded {RECORDED.relative_to(ROOT)} and {CALLS.relative_to(ROOT)}")
        seconds = time_stubs(python, work, args.repeat)
        report = json.loads((work / "reports" / "coverage.json").read_text())
        codes = [f["code"] for f in report["findings"]]
        page = (work / "html" / "api" / f"{MODULE}.ops.html").read_text()
        sum_signatures = page.count('<span class="pre">sum</span></span><span class="sig-paren">')
        print("| | ours | pybind11-stubgen 3.0.0 |")
        print("| --- | --- | --- |")
        ratio = seconds["ours"] / seconds["pybind11-stubgen"]
        times = f"{seconds['ours']:.2f} s ({ratio:.2f}x)", f"{seconds['pybind11-stubgen']:.2f} s"
        print(f"| `stubs` time, best of {args.repeat} | {times[0]} | {times[1]} |")
        rows: dict[str, list[str]] = {}
        for tool in ("ours", "pybind11-stubgen"):
            root = work / tool
            files = sorted(root.rglob("*.pyi"))
            unparsable, cpp, any_count = 0, 0, 0
            for stub in files:
                try:
                    tree = ast.parse(stub.read_text(encoding="utf-8"))
                except SyntaxError:
                    unparsable += 1
                    continue
                c, a = annotation_counts(tree)
                cpp, any_count = cpp + c, any_count + a
            real, total = signatures(root)
            rows.setdefault("stub files (unparsable)", []).append(f"{len(files)} ({unparsable})")
            rows.setdefault("mypy --strict errors", []).append(str(mypy_errors(python, root)))
            rows.setdefault("basedpyright errors", []).append(str(pyright_errors(python, root)))
            rows.setdefault("`ops` functions with real signatures", []).append(f"{real} of {total}")
            rows.setdefault("C++ types left / `Any`", []).append(f"{cpp} / {any_count}")
            rows.setdefault("check file of typical fusions", []).append(
                check_file(python, root, work)
            )
        for label, cells in rows.items():
            print(f"| {label} | {cells[0]} | {cells[1]} |")
        print(f"| SIG006 (no binding signature) / DOC005 (renamed) | {codes.count('SIG006')}"
              f" / {codes.count('DOC005')} | - |")  # fmt: skip
        print(f"| `ops.sum` overload signatures in the docs | {sum_signatures} | - |")
        stages = "load, stubs, verify, check, coverage, docs"
        print(f"| `nbapi all` ({stages}) | {all_seconds:.1f} s | - |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
