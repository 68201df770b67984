"""A real release pair: every breaking report of ``nbapi diff`` checked by calling both releases.

mapbox_earcut 1.0.3 (pybind11) -> 2.0.0 (nanobind). Both releases are installed side by side
(``pip --target``, in a cache folder), each one's model is recorded (``nbapi model``), and
``nbapi diff --format json`` compares them. Then every probe below runs against each release
in a child process: a call users made of 1.0.3 (a list for an array, a read-only array, a
keyword, the result's type). A breaking report is confirmed when one of its probes runs on
1.0.3 and raises on 2.0.0; a probe that breaks without a breaking report is a miss (recall).

Usage: python bench/diff_pair_check.py [--cache DIR]   (Python with numpy; 3.11 wheels)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stubgen.findings import CATALOGUE  # noqa: E402

PACKAGE, OLD, NEW = "mapbox_earcut", "1.0.3", "2.0.0"
DTYPES = ("float32", "float64", "int32", "int64")
# What each probe passes; {dt} is the function's vertex dtype.
SETUP = (
    "import numpy as np, mapbox_earcut as me\n"
    "v = np.array([[0, 0], [1, 0], [1, 1]], dtype=np.{dt})\n"
    "r = np.array([3], dtype=np.uint32)\n"
    "def ro(a):\n"
    "    a = a.copy(); a.setflags(write=False); return a\n"
)
# (parameter or "return", what the probe tries, the call): one per way a caller used 1.0.3.
PROBES = [
    ("arg0", "a list of points", "me.triangulate_{dt}([[0, 0], [1, 0], [1, 1]], r)"),
    ("arg0", "a read-only array", "me.triangulate_{dt}(ro(v), r)"),
    ("arg0", "another dtype (converted)", "me.triangulate_{dt}(v.astype(np.float16), r)"),
    ("arg1", "a list of ring ends", "me.triangulate_{dt}(v, [3])"),
    ("arg1", "a read-only array", "me.triangulate_{dt}(v, ro(r))"),
    ("arg1", "int64 ring ends (converted)", "me.triangulate_{dt}(v, r.astype(np.int64))"),
    (
        "return",
        "its dtype and rank",
        "(lambda o: (o.dtype.name, o.ndim))(me.triangulate_{dt}(v, r))",
    ),
]


def install(version: str, cache: Path) -> Path:
    target = cache / f"{PACKAGE}-{version}"
    if not target.exists():
        pip = [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, "--no-deps", "--target", str(target), f"{PACKAGE}=={version}"],
                       check=True)  # fmt: skip
    return target


def nbapi(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "stubgen", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)


def probe(target: Path, dt: str, call: str) -> str:
    """Run one call against one release; return its result's repr, or the exception's name."""
    code = SETUP.format(dt=dt) + f"print(repr({call.format(dt=dt)}))\n"
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if done.returncode:
        return "raises " + (done.stderr.strip().splitlines() or ["?"])[-1].split(":")[0]
    return "runs: " + done.stdout.strip()[:40]


def _where(change: dict[str, str]) -> str:
    """The parameter a report names (``'arg0'``), or "return"."""
    return next((w for w in ("arg0", "arg1") if f"'{w}'" in change["message"]), "return")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "nbapi-bench")
    cache = parser.parse_args().cache / "releases"
    targets, models = {}, {}
    for version in (OLD, NEW):
        targets[version] = install(version, cache)
        models[version] = cache / f"{PACKAGE}-{version}.model.json"
        nbapi("model", PACKAGE, "-i", str(targets[version]), "-o", str(models[version]))
    gate = ["--format", "json", "--fail-on", "warning"]
    diff = nbapi("diff", str(models[OLD]), str(models[NEW]), *gate)
    report = json.loads(diff.stdout)
    print(f"nbapi diff {PACKAGE} {OLD} -> {NEW}: {report['counts']}, exit {diff.returncode}")
    reports = {(c["path"], _where(c)): c["code"] for c in report["changes"]}
    breaking = {key for key, code in reports.items() if CATALOGUE[code][0] == "error"}
    print(f"\n| function | parameter | probe | {OLD} | {NEW} | report |")
    print("| --- | --- | --- | --- | --- | --- |")
    confirmed, misses, broken = set(), [], 0
    for dt in DTYPES:
        path = f"{PACKAGE}.triangulate_{dt}"
        for where, what, call in PROBES:
            old, new = probe(targets[OLD], dt, call), probe(targets[NEW], dt, call)
            broke = old.startswith("runs") and old != new
            broken += broke
            if broke and (path, where) in breaking:
                confirmed.add((path, where))
            elif broke:
                misses.append((path, where, what))
            code = reports.get((path, where), "-")
            print(f"| {path.rpartition('.')[2]} | {where} | {what} | {old} | {new} | {code} |")
    false = sorted(breaking - confirmed)
    print(f"\nbreaking reports: {len(breaking)}; confirmed by a call: {len(confirmed)}; false:")
    print(f"  {len(false)} {false}")
    print(f"probes that broke at runtime: {broken}; without a breaking report: {len(misses)}")
    print(f"  {misses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
