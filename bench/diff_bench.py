"""API diff: `nbapi diff` beside griffe's breaking-change check, on real releases and at scale.

Part 1, real releases: installs two releases of a public nanobind package side by side (pip
--target, in a cache folder), records each one's model and our stubs of it, then runs
``nbapi diff`` on the two models and griffe's ``find_breaking_changes`` on the two stub
trees (griffe reads stubs, not bindings: giving it ours keeps the information equal). It
prints the counts by change code and, for the breaking changes, which objects each tool
names.

Part 2, scale: two synthetic models of drjit's size (bench/synthetic_api.py; the new one
with functions removed, parameters renamed, defaults dropped and overloads added), timed
through ``nbapi diff`` (reading both JSON models included) against griffe on their stubs,
best of N, in the same run.

Usage: python bench/diff_bench.py [--venv DIR] [--repeat N]
(the venv is bench/field_test.py's: mlx, jaxlib, drjit, ... and this repository; griffe is
added to it).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from synthetic_api import make_model  # noqa: E402

from stubgen.model.json_io import model_to_json  # noqa: E402

CACHE = Path.home() / ".cache" / "nbapi-bench"
FUNCTIONS = "7,460"
PAIRS = [
    ("manifold3d", "manifold3d", "2.5.1", "3.0.0"),
    ("manifold3d", "manifold3d", "3.0.1", "3.1.0"),
]

GRIFFE = r"""
import json, sys, time, griffe
old_dir, new_dir, module = sys.argv[1:4]
start = time.perf_counter()
old = griffe.load(module, search_paths=[old_dir], allow_inspection=False)
new = griffe.load(module, search_paths=[new_dir], allow_inspection=False)
found = [(b.kind.value, b.obj.path) for b in griffe.find_breaking_changes(old, new)]
print(json.dumps({"seconds": time.perf_counter() - start, "breakages": found}))
"""


def ensure_venv(venv: Path) -> Path:
    """Return the venv's Python, with griffe and this repository's current code in it."""
    python = venv / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"no venv at {venv}: run bench/field_test.py first")
    quiet = ["-q", "--disable-pip-version-check"]
    subprocess.run([str(python), "-m", "pip", "install", *quiet, "griffe"], check=True)
    reinstall = ["--no-deps", "--force-reinstall", str(ROOT)]
    subprocess.run([str(python), "-m", "pip", "install", *quiet, *reinstall], check=True)
    return python


def nbapi(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "stubgen", *args], capture_output=True, text=True, check=False
    )


def _as_package(stubs: Path, module: str) -> Path:
    """Lay a single-module stub out as a package: griffe finds no bare ``module.pyi``."""
    single = stubs / f"{module}.pyi"
    if single.is_file():
        folder = stubs.with_name(stubs.name + "-griffe") / module
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.pyi").write_text(single.read_text())
        return folder.parent
    return stubs


def griffe(python: Path, old: Path, new: Path, module: str) -> dict[str, object]:
    old, new = _as_package(old, module), _as_package(new, module)
    result = subprocess.run(
        [str(python), "-c", GRIFFE, str(old), str(new), module],
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, object] = json.loads(result.stdout)
    return data


def release(python: Path, package: str, module: str, version: str, work: Path) -> tuple[Path, Path]:
    """Install one release; return its model file and the folder of our stubs of it."""
    target = CACHE / "releases" / f"{package}-{version}"
    if not target.exists():
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--no-deps",
                "--target",
                str(target),
                f"{package}=={version}",
            ],
            check=True,
        )
    model = work / f"{module}-{version}.model.json"
    stubs = work / f"stubs-{version}"
    nbapi(python, "model", module, "-p", str(target), "-o", str(model))
    stubs.mkdir()
    nbapi(python, "stubs", module, "-i", str(target), "-O", str(stubs), "-q")
    return model, stubs


def real_pairs(python: Path) -> None:
    for package, module, old_version, new_version in PAIRS:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            old_model, old_stubs = release(python, package, module, old_version, work)
            new_model, new_stubs = release(python, package, module, new_version, work)
            ours = json.loads(
                nbapi(python, "diff", str(old_model), str(new_model), "--format", "json").stdout
            )
            theirs = griffe(python, old_stubs, new_stubs, module)
        print(f"\n### {package} {old_version} -> {new_version}\n")
        print(f"nbapi diff: {ours['counts']}")
        codes = Counter(c["code"] for c in ours["changes"])
        print("  by code: " + ", ".join(f"{code} {n}" for code, n in sorted(codes.items())))
        breakages = theirs["breakages"]
        assert isinstance(breakages, list)
        kinds = Counter(kind for kind, _ in breakages)
        print(f"griffe find_breaking_changes (our stubs of both): {len(breakages)} breakages")
        print("  by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
        ours_breaking = {c["path"] for c in ours["changes"] if c["severity"] == "error"}
        theirs_paths = {path for _, path in breakages}
        print(
            f"breaking objects: both {len(ours_breaking & theirs_paths)}, only nbapi"
            f" {len(ours_breaking - theirs_paths)}, only griffe {len(theirs_paths - ours_breaking)}"
        )
        for path in sorted(ours_breaking - theirs_paths)[:15]:
            found = [c for c in ours["changes"] if c["path"] == path and c["severity"] == "error"]
            print(f"  only nbapi: {path}: {found[0]['code']} {found[0]['message']}")
        for kind, path in sorted(b for b in breakages if b[1] not in ours_breaking)[:15]:
            print(f"  only griffe: {path}: {kind}")


def mutated(seed: int, size: int) -> tuple[str, str]:
    """Two synthetic models of ``size`` overloads: an old one and a changed new one."""
    old = make_model(size, 20)
    new = make_model(size, 20)
    rng = random.Random(seed)
    modules = [new.module, *new.module.submodules]
    for module in modules:
        functions = list(module.functions)
        for fn in rng.sample(functions, len(functions) // 50):
            module.functions.remove(fn)  # removed functions
        for cls in module.classes:
            for fn in cls.functions:
                roll = rng.random()
                first = fn.overloads[0]
                params = [p for p in first.parameters if p.name != "self"]
                if roll < 0.02 and params:
                    params[0].name += "_renamed"
                elif roll < 0.04 and params:
                    params[-1].has_default, params[-1].default = False, None
                elif roll < 0.06:
                    fn.overloads.append(first)
    return model_to_json(old, compact=True), model_to_json(new, compact=True)


def scale(python: Path, repeat: int) -> None:
    size = 12_000  # 7,460 functions and methods: drjit's size (about 7k)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        old_text, new_text = mutated(7, size)
        (work / "old.json").write_text(old_text)
        (work / "new.json").write_text(new_text)
        for side in ("old", "new"):
            (work / f"stubs-{side}").mkdir()
            nbapi(
                python,
                "stubs",
                "--model",
                str(work / f"{side}.json"),
                "-O",
                str(work / f"stubs-{side}"),
                "-q",
            )
        ours, theirs = [], []
        report: dict[str, object] = {}
        for _ in range(repeat):
            start = time.perf_counter()
            result = nbapi(
                python, "diff", str(work / "old.json"), str(work / "new.json"), "--format", "json"
            )
            ours.append(time.perf_counter() - start)
            report = json.loads(result.stdout)
            start = time.perf_counter()
            griffe_result = griffe(python, work / "stubs-old", work / "stubs-new", "scalepkg")
            theirs.append(time.perf_counter() - start)
        print(f"\n### Scale: two synthetic models of {size} overloads, {FUNCTIONS} functions\n")
        print(f"nbapi diff (command, both models read): best {min(ours):.2f} s; {report['counts']}")
        breakages = griffe_result["breakages"]
        assert isinstance(breakages, list)
        print(
            f"griffe (load both stub trees + check): best {min(theirs):.2f} s;"
            f" {len(breakages)} breakages"
        )
        print(f"ratio: {min(ours) / min(theirs):.2f}x griffe's time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=CACHE / "field-venv")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    python = ensure_venv(args.venv)
    real_pairs(python)
    scale(python, args.repeat)


if __name__ == "__main__":
    main()
