"""Field test: the whole pipeline on public nanobind packages, one table row per module.

Installs (once) the packages and this tool into a throwaway venv, then per module runs
model, stubs (with and without the mypy pass), verify, coverage and docs, and counts:
objects, mypy errors on our stubs and on nanobind.stubgen's (default flags), verify
mismatches, coverage score, docs warnings, wall time, and crashes (any exit code other than
0 or 1, or a traceback).

Usage: python bench/field_test.py [--venv DIR] [--install PKG ... MODULE ...]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stubs_compare import mypy_errors

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["mlx[cpu]", "jaxlib", "drjit", "pyopencl", "islpy", "manifold3d"]
MODULES = ["mlx.core", "jaxlib._jax", "drjit", "pyopencl._cl", "islpy._isl", "manifold3d"]


def ensure_venv(venv: Path, packages: list[str]) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *packages, str(ROOT)], check=True)
    return python


class Row:
    def __init__(self, module: str) -> None:
        self.module = module
        self.cells: dict[str, str] = {}
        self.crashes: list[str] = []

    def run(
        self, python: Path, *args: str, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(python), "-m", "stubgen", *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            check=False,
        )
        if result.returncode not in (0, 1) or "Traceback (most recent call last)" in result.stderr:
            tail = (result.stderr.strip().splitlines() or ["?"])[-1]
            self.crashes.append(f"{args[0]}: exit {result.returncode}: {tail[:120]}")
        return result


def field_test(python: Path, module: str) -> Row:
    row = Row(module)
    top = module.split(".")[0]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        summary = row.run(python, "model", module, "--summary").stdout
        counts = dict(re.findall(r"^\s+(\w[\w ]*?)\s{2,}(\d+)", summary, re.M))
        row.cells["objects"] = (
            f"{counts.get('functions', '?')} fn, {counts.get('classes', '?')} cls"
        )
        row.cells["overloads"] = counts.get("overloads", "?")
        row.run(python, "stubs", module, "-o", str(work / "ours"))
        row.run(python, "stubs", module, "--no-typecheck", "-o", str(work / "raw"))
        parent = module.rpartition(".")[0]
        theirs = work / "theirs" / (parent.replace(".", "/") if parent else top)
        subprocess.run(
            [str(python), "-m", "nanobind.stubgen", "-q", "-r", "-m", module, "-O", str(theirs)],
            capture_output=True,
            check=False,
        )
        row.cells["mypy ours"] = str(mypy_errors(python, work / "ours", top))
        row.cells["mypy ours, no pass"] = str(mypy_errors(python, work / "raw", top))
        row.cells["mypy nanobind"] = str(mypy_errors(python, work / "theirs", top))
        verify = row.run(python, "verify", module, "--stubs", str(work / "ours"))
        row.cells["verify"] = str(sum(": VFY" in line for line in verify.stdout.splitlines()))
        report = row.run(python, "coverage", module, "--format", "json", "-o", str(work / "c.json"))
        if report.returncode in (0, 1) and (work / "c.json").exists():
            scores = json.loads((work / "c.json").read_text())["scores"]
            row.cells["coverage"] = f"{scores['overall']:.1f}%"
        row.run(python, "model", module, "-o", str(work / "m.json"))
        docs = row.run(
            python,
            "docs",
            module,
            "--model",
            str(work / "m.json"),
            "--source",
            str(work / "src"),
            "-o",
            str(work / "html"),
        )
        warnings = [x for x in docs.stderr.splitlines() if "WARNING" in x or "ERROR" in x]
        row.cells["docs warnings"] = str(len(warnings))
    row.cells["wall"] = f"{time.perf_counter() - start:.1f} s"
    row.cells["crashes"] = str(len(row.crashes))
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path.home() / ".cache" / "nbapi-field-venv")
    parser.add_argument(
        "--install",
        action="append",
        metavar="PKG",
        help="a pip requirement to test instead of the default packages (repeatable)",
    )
    parser.add_argument("modules", nargs="*", default=MODULES)
    args = parser.parse_args()
    python = ensure_venv(args.venv, args.install or PACKAGES)
    rows = [field_test(python, module) for module in args.modules]
    columns = [
        "objects",
        "overloads",
        "mypy ours",
        "mypy ours, no pass",
        "mypy nanobind",
        "verify",
        "coverage",
        "docs warnings",
        "wall",
        "crashes",
    ]
    print("| module | " + " | ".join(columns) + " |")
    print("| --- |" + " --- |" * len(columns))
    for row in rows:
        print(f"| {row.module} | " + " | ".join(row.cells.get(c, "-") for c in columns) + " |")
    for row in rows:
        for crash in row.crashes:
            print(f"crash in {row.module}: {crash}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
