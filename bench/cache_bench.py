"""The all verb on the demo: a cold run (no stage cache, no mypy cache) against a no-change re-run.

Usage: python bench/cache_bench.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "stubgen", "all", "--config", "demo/pyproject.toml", "-q"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, NBAPI_CACHE_DIR=str(Path(tmp) / "mypy"))
        shutil.rmtree(ROOT / "demo" / ".nbapi-cache", ignore_errors=True)
        shutil.rmtree(ROOT / "docs" / "_build", ignore_errors=True)
        cold = timed(env)
        warm = min(timed(env) for _ in range(3))
    print(
        f"all on the demo: cold {cold:.2f} s, no-change re-run {warm:.2f} s "
        f"({100 * warm / cold:.1f}% of cold)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
