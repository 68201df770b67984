"""What ``nbapi trace`` costs: a call-heavy program on the demo, plain and traced, same run.

The program makes ``--calls`` calls into tinyfuser (functions, methods, properties,
operators) in a loop. Both versions run as new processes, interleaved, best of ``--repeat``;
the traced one includes starting ``nbapi``, instrumenting the package, recording and merging
the calls file. Printed: both times, the ratio and the cost per traced call.

Usage: python bench/trace_overhead.py [--calls N] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROGRAM = """
import sys
import tinyfuser as tf
fusion = tf.Fusion()
t0 = fusion.define_tensor(2)
for _ in range(int(sys.argv[1]) // 4):
    s = fusion.define_scalar(1.5)
    t1 = tf.ops.add(t0, t0)
    t1.ndim
    s.is_tensor()
"""


def best(command: list[str], env: dict[str, str], repeat: int) -> float:
    """Return the best wall time of ``command`` over ``repeat`` runs (fails loudly)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "program.py")
        script.write_text(PROGRAM)
        plain = [sys.executable, str(script), str(args.calls)]
        nbapi = [sys.executable, "-m", "stubgen", "trace", "-m", "tinyfuser"]
        traced = [*nbapi, "-o", str(Path(tmp, "calls.json")), "--", *plain]
        results = {"plain": float("inf"), "traced": float("inf")}
        for _ in range(args.repeat):  # interleaved: both see the same machine load
            results["plain"] = min(results["plain"], best(plain, env, 1))
            results["traced"] = min(results["traced"], best(traced, env, 1))
    ratio = results["traced"] / results["plain"]
    per_call = (results["traced"] - results["plain"]) / args.calls * 1e6
    print(f"| {args.calls:,} calls | plain {results['plain']:.2f} s | traced "
          f"{results['traced']:.2f} s | {ratio:.1f}x | {per_call:.1f} us per call |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
