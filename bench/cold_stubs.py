"""Cold ``nbapi stubs`` against ``python -m nanobind.stubgen``, interleaved in one run.

Each command is a new process writing into a new folder, as a build step runs it: start-up,
imports, the walk, rendering and writing all count. The two tools alternate, round after
round, and each keeps its best time, so both see the same machine load. One untimed round
first lets both compile their bytecode, as an installed package has it.

The demo runs from the repo's ``.venv``; the other modules from ``--venv`` (a venv with
``nbapi``, ``mlx[cpu]``, ``jaxlib`` and ``mitsuba``, whose ``drjit`` comes with it), each
skipped when not installed there.

Usage: python bench/cold_stubs.py --venv DIR [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELD = ["mlx.core", "jaxlib._jax", "drjit", "mitsuba.scalar_rgb"]


def run(command: list[str], env: dict[str, str]) -> float:
    """Run ``command``; return its wall time (fails loudly, as a bench must)."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        tail = (result.stderr.strip().splitlines() or ["?"])[-1]
        raise SystemExit(f"failed: {' '.join(command)}: {tail}")
    return elapsed


def measure(bin_dir: Path, module: str, repeat: int) -> tuple[float, float]:
    """Return the best cold time of ours and of nanobind.stubgen on ``module``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    best = {"ours": float("inf"), "nanobind": float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(repeat + 1):
            out = Path(tmp, str(round_))
            commands = {
                "ours": [str(bin_dir / "nbapi"), "stubs", module, "-O", str(out / "ours"), "-q"],
                "nanobind": [
                    str(bin_dir / "python"),
                    *("-m", "nanobind.stubgen", "-q", "-r", "-m", module),
                    *("-O", str(out / "nanobind")),
                ],
            }
            for tool, command in commands.items():
                elapsed = run(command, env)
                if round_:  # the first round compiles bytecode
                    best[tool] = min(best[tool], elapsed)
    return best["ours"], best["nanobind"]


def installed(python: Path, module: str) -> bool:
    """Tell whether ``module``'s top-level package is installed for ``python``."""
    top = module.split(".")[0]
    code = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({top!r}) is None)"
    return subprocess.run([str(python), "-c", code], check=False).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, help="venv with nbapi and the field packages")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (best kept)")
    args = parser.parse_args()
    targets = [(ROOT / ".venv" / "bin", "tinyfuser")]
    if args.venv is not None:
        bin_dir = args.venv / "bin"
        targets += [(bin_dir, m) for m in FIELD if installed(bin_dir / "python", m)]
    print(f"| module | nbapi stubs s | nanobind.stubgen s | ratio |  (best of {args.repeat})")
    print("| --- | --- | --- | --- |")
    for bin_dir, module in targets:
        ours, theirs = measure(bin_dir, module, args.repeat)
        print(f"| {module} | {ours:.2f} | {theirs:.2f} | {ours / theirs:.2f}x |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
