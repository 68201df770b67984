"""Scale: time and peak memory of every stage on synthetic APIs of 1k to 100k overloads.

Writes model JSON (no compiler needed) for a package of N overloads spread over M modules,
then runs each stage in its own process: model load (JSON), stubs, coverage and docs (our
reST plus the Sphinx build). Each stage's time leaves out the model load; its peak memory
is the child's maximum resident set, load included. For every stage and module count the
growth exponent is the slope of log(time) against log(overloads), fitted over the sizes
measured; at most 1.0 means linear.

The synthetic API (``bench/synthetic_api.py``) looks like big bindings, with every docstring
distinct: the worst case for the stages that work once per distinct docstring.

Usage: python bench/scale_bench.py [--sizes 1000,10000,100000] [--modules 1,10,400]
       [--docs-up-to 10000] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from synthetic_api import make_model  # noqa: E402

STAGES = ("load", "stubs", "coverage", "docs")


# --- stages, each run in a child process -----------------------------------------------


def run_stage(stage: str, model_file: Path, out: Path) -> float:
    """Run one stage on the model in ``model_file``; return its seconds, load left out."""
    from stubgen.model.json_io import model_from_json

    start = time.perf_counter()
    model = model_from_json(model_file.read_text(encoding="utf-8"))
    loaded = time.perf_counter()
    if stage == "load":
        return loaded - start
    if stage == "stubs":
        from stubgen.files.writes import write_tree
        from stubgen.stubs.render import render_stubs

        write_tree(out, render_stubs(model).files)
    elif stage == "coverage":
        from stubgen.config import CoverageConfig
        from stubgen.coverage.gate import build_report
        from stubgen.coverage.report import FORMATS

        (out / "coverage.json").write_text(FORMATS["json"](build_report(model, CoverageConfig())))
    elif stage == "docs":
        from stubgen.config import CoverageConfig
        from stubgen.coverage.gate import build_report
        from stubgen.docs.build import build_docs

        report = build_report(model, CoverageConfig())
        _, warnings = build_docs(model, report, out / "source", out / "html")
        if warnings:
            raise SystemExit(f"docs: {len(warnings)} warnings, first: {warnings[0]}")
    return time.perf_counter() - loaded


def peak_megabytes() -> float:
    """This process's peak resident memory (``VmHWM``: unlike ``ru_maxrss``, not inherited)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(stage: str, model_file: Path) -> tuple[float, float]:
    """Run ``stage`` in a child process; return (seconds, peak resident MB)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, __file__, "--stage", stage, str(model_file), tmp]
        result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"stage {stage} failed on {model_file.name}")
    report = json.loads(result.stdout)
    return float(report["seconds"]), float(report["peak_mb"])


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(seconds) against log(size)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-4)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return num / den if den else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--modules", default="1,10,400")
    parser.add_argument("--docs-up-to", type=int, default=10000)
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated stages")
    parser.add_argument("--repeat", type=int, default=1, help="best of N per stage")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        model_file, out = (Path(a) for a in args.args)
        seconds = run_stage(args.stage, model_file, out)
        print(json.dumps({"seconds": seconds, "peak_mb": peak_megabytes()}))
        return 0
    from stubgen.model.json_io import model_to_json

    sizes = [int(s) for s in args.sizes.split(",")]
    module_counts = [int(m) for m in args.modules.split(",")]
    times: dict[tuple[str, int], list[tuple[int, float]]] = {}
    print(f"{'overloads':>9} {'modules':>7} {'stage':<9} {'seconds':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for modules in module_counts:
            for size in sizes:
                model_file = Path(tmp) / f"model-{size}-{modules}.json"
                model_file.write_text(model_to_json(make_model(size, modules), compact=True))
                for stage in args.stages.split(","):
                    if stage == "docs" and size > args.docs_up_to:
                        continue
                    runs = [measure(stage, model_file) for _ in range(args.repeat)]
                    seconds, peak = min(r[0] for r in runs), max(r[1] for r in runs)
                    times.setdefault((stage, modules), []).append((size, seconds))
                    print(
                        f"{size:>9} {modules:>7} {stage:<9} {seconds:>8.2f} {peak:>8.0f}",
                        flush=True,
                    )
                model_file.unlink()
    print("\ngrowth exponent (slope of log time vs log overloads; 1.0 is linear)")
    for (stage, modules), points in sorted(times.items()):
        if len(points) > 1:
            span = f"{points[0][0]}-{points[-1][0]}"
            print(f"  {stage:<9} {modules:>4} modules  {slope(points):5.2f}  ({span})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
