"""Field test of the loader on public nanobind packages, timed against nanobind.stubgen.

Creates (once) a throwaway venv with the packages and this tool, then for each module runs
``python -m stubgen model MODULE --summary`` and ``python -m nanobind.stubgen -r -m MODULE``
in the same run, several times each, and prints the counts and the best wall times.

It also times the coverage gate (rules and scores) on each loaded model, in process, which
is the work coverage adds beyond loading.

Usage: python bench/field_load.py [--venv DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (pip requirement, module to load)
TARGETS = [("mlx[cpu]", "mlx.core"), ("jaxlib", "jaxlib._jax")]


COVERAGE_TIMER = """
import sys, time
from stubgen.config import CoverageConfig
from stubgen.coverage.gate import build_report
from stubgen.load.isolate import load_model
model = load_model(sys.argv[1])
start = time.perf_counter()
report = build_report(model, CoverageConfig())
took = time.perf_counter() - start
s = report.scores[""].as_dict()
print(f"{took:.2f} s beyond loading, {len(report.findings)} findings; " + ", ".join(
    f"{k} {v:.1f}%" for k, v in s.items()))
"""


def ensure_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    requirements = [req for req, _ in TARGETS]
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", *requirements, str(ROOT)], check=True
    )
    return python


def best_time(command: list[str], repeat: int) -> tuple[float, str]:
    best, out = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            return float("nan"), result.stderr.strip().splitlines()[-1:][0]
        best, out = min(best, elapsed), result.stdout
    return best, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path.home() / ".cache" / "nbapi-field-venv")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    python = ensure_venv(args.venv)
    for _, module in TARGETS:
        ours, summary = best_time(
            [str(python), "-m", "stubgen", "model", module, "--summary"], args.repeat
        )
        with tempfile.TemporaryDirectory() as out:
            theirs, _ = best_time(
                [str(python), "-m", "nanobind.stubgen", "-q", "-r", "-m", module, "-O", out],
                args.repeat,
            )
        gate = subprocess.run(
            [str(python), "-c", COVERAGE_TIMER, module], capture_output=True, text=True, check=False
        )
        print(summary.rstrip())
        print(f"  coverage       {gate.stdout.strip() or gate.stderr.strip()[-200:]}")
        print(
            f"  wall time      {ours:.2f} s (nanobind.stubgen -r: {theirs:.2f} s,"
            f" ratio {ours / theirs:.2f})"
        )
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
