"""Real packages' own tests as evidence: their calls traced, held against each tool's stubs.

For each package: its test suite (from its sdist, ``pip download --no-binary PKG --no-deps``)
runs under ``nbapi trace``; then every distinct call it made into the package is
type-checked (``nbapi verify --calls``, mypy and basedpyright) against four stub sets:

- ours, from the runtime alone;
- ours, with the trace as evidence (``nbapi stubs --calls``: overload order);
- the anchor tool's: nanobind.stubgen or pybind11-stubgen 3.0.0, as the binding is;
- the stubs the package ships, when it ships any.

A call counts as rejected when either checker rejects it (VFY014) or types its result as
another class than the one it returned (VFY015). The last two columns check the stubs
themselves (ours with the trace, and the anchor tool's): mypy --strict and basedpyright.
The venv (``--venv``) holds the packages, pytest and what their tests import, this tool,
pybind11-stubgen and basedpyright; the unpacked sdists lie under ``--sdists``. None of this
is part of ``make test``.

Usage: python bench/calls_field.py --venv DIR --sdists DIR [--only DIST ...]
"""

from __future__ import annotations

import argparse
import glob
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pybind11_bench import mypy_errors, pyright_errors

TIMEOUT = 1800


@dataclass(frozen=True)
class Package:
    """One package: how to import it, its binding, where its tests are, how to run them."""

    dist: str
    module: str
    binding: str
    tests: str  # a glob under the sdists folder, or site:PATH under the venv's site-packages
    pytest_args: list[str] = field(default_factory=list)


FIELD = [
    Package("qdldl", "qdldl", "pybind11", "qdldl-*/tests"),
    Package(
        "osqp",
        "osqp",
        "pybind11",
        "site:osqp/tests",  # its tests import osqp.tests.utils: run the installed copy
        ["--ignore-glob=*nn_test*", "--ignore-glob=*codegen*"],
    ),
    Package("pikepdf", "pikepdf", "nanobind", "pikepdf-*/tests"),
    # amg_core's own tests call the extension directly; the rest go through Python.
    Package("pyamg", "pyamg", "pybind11", "site:pyamg/amg_core/tests"),
    Package("osmium", "osmium", "pybind11", "osmium-*/test"),
    # Held out: run once, after the tool's changes were made (no case built from it).
    Package("openjij", "openjij", "pybind11", "openjij-*/tests"),
    Package("sparse-dot-topn", "sparse_dot_topn", "nanobind", "sparse-dot-topn-*/tests"),
    # Held out too: added at the last review, run once, no case built from it.
    Package("fast_matrix_market", "fast_matrix_market", "pybind11", "fast_matrix_market-*/tests"),
    Package("mapbox_earcut", "mapbox_earcut", "nanobind", "mapbox_earcut-*/tests"),  # held out
    Package(
        "manifold3d", "manifold3d", "nanobind", "manifold3d-*/bindings/python/examples"
    ),  # its examples are its tests (test_*.py)
    # Held out: added at session 6's review, run once, no case built from it.
    Package("dm-tree", "tree", "pybind11", "dm_tree-*/tree"),
]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in ``cwd``, output captured (a tool's failure is a cell, not a crash)."""
    try:
        return subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, check=False, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, 124, "", "timed out")


def site_packages(python: Path) -> Path:
    """Return the venv's site-packages folder."""
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(run([str(python), "-c", code], Path.cwd()).stdout.strip())


def test_folder(package: Package, sdists: Path, site: Path, work: Path) -> Path:
    """Copy the package's tests apart from its sources (which would shadow the install)."""
    if package.tests.startswith("site:"):
        return site / package.tests[len("site:") :]
    found = sorted(glob.glob(str(sdists / package.tests)))
    if not found:
        raise SystemExit(f"{package.dist}: no tests at {package.tests} under {sdists}")
    source = Path(found[-1])
    target = work / "tests"
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir()
        shutil.copy(source, target)
    return target


def shipped_stubs(package: Package, site: Path, out: Path) -> Path | None:
    """Copy the ``.pyi`` files the package installs (its shipped stubs), if any."""
    top = package.module.split(".")[0]
    files = list((site / top).rglob("*.pyi")) if (site / top).is_dir() else []
    files += [Path(p) for p in glob.glob(str(site / f"{top}.pyi"))]
    if not files:
        return None
    for file in files:
        target = out / file.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(file, target)
    return out


def anchor_stubs(package: Package, bin_dir: Path, out: Path, work: Path) -> str:
    """Write the anchor tool's stubs into ``out``; return the tool's name."""
    if package.binding == "nanobind":
        command = [str(bin_dir / "python"), "-m", "nanobind.stubgen", "-q", "-r"]
        # -O names the package's own folder: its files go right there.
        target = out / package.module if _is_package(package, bin_dir, work) else out
        run([*command, "-m", package.module, "-O", str(target)], work)
        return "nanobind.stubgen"
    run([str(bin_dir / "pybind11-stubgen"), package.module, "-o", str(out)], work)
    return "pybind11-stubgen"


def _is_package(package: Package, bin_dir: Path, work: Path) -> bool:
    code = f"import {package.module} as m; print(hasattr(m, '__path__'))"
    return run([str(bin_dir / "python"), "-c", code], work).stdout.strip() == "True"


def rejected(bin_dir: Path, package: Package, stubs: Path, calls: Path, work: Path) -> str:
    """Return how many traced calls ``stubs`` reject (a message when that cannot be told)."""
    if not any(stubs.rglob("*.pyi")):
        return "no stubs"
    command = [str(bin_dir / "nbapi"), "verify", package.module, "--stubs", str(stubs)]
    done = run([*command, "--calls", str(calls)], work)
    match = re.search(r"(\d+) traced calls checked with [\w ]+, (\d+) rejected", done.stderr)
    if match is None:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"not checked ({tail[:60]})"
    return f"{match.group(2)} of {match.group(1)}"


def measure(package: Package, bin_dir: Path, sdists: Path, site: Path) -> list[str]:
    """Trace one package's tests and check its calls against each stub set: a table row."""
    with tempfile.TemporaryDirectory(prefix=f"calls-{package.dist}-") as tmp:
        work = Path(tmp)
        tests = test_folder(package, sdists, site, work)
        calls = work / "calls.json"
        pytest = [str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        trace = [str(bin_dir / "nbapi"), "trace", "-m", package.module, "-o", str(calls)]
        traced = run([*trace, "--", *pytest, str(tests), *package.pytest_args], work)
        outcome = (traced.stdout.strip().splitlines() or ["?"])[-1].strip("= ")
        seen = re.search(r"(\d+) distinct calls", traced.stderr)
        if seen is None or not calls.is_file():
            return [package.dist, package.binding, outcome, "trace failed", "", "", "", ""]
        nbapi = str(bin_dir / "nbapi")
        run([nbapi, "stubs", package.module, "-O", "ours", "-q"], work)
        run([nbapi, "stubs", package.module, "-O", "evidence", "-q", "--calls", str(calls)], work)
        tool = anchor_stubs(package, bin_dir, work / "anchor", work)
        shipped = shipped_stubs(package, site, work / "shipped")
        cells = [
            rejected(bin_dir, package, work / stubs, calls, work)
            for stubs in ("ours", "evidence", "anchor")
        ]
        cells.append(
            rejected(bin_dir, package, shipped, calls, work) if shipped else "none shipped"
        )
        clean = [stub_errors(bin_dir / "python", work / stubs) for stubs in ("evidence", "anchor")]
        return [
            package.dist,
            package.binding,
            outcome,
            seen.group(1),
            *cells[:2],
            f"{cells[2]} ({tool})",
            cells[3],
            *clean,
        ]


def stub_errors(python: Path, root: Path) -> str:
    """Errors in the stubs under ``root`` themselves: mypy --strict, then basedpyright."""
    if not any(root.rglob("*.pyi")):
        return "no stubs"
    # A dependency without stubs in this venv (scipy) is the venv's matter, not the stubs'.
    mypy = mypy_errors(python, root, "--disable-error-code", "import-untyped")
    return f"{mypy} / {pyright_errors(python, root)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, required=True)
    parser.add_argument("--sdists", type=Path, required=True)
    parser.add_argument("--only", nargs="*", default=[])
    args = parser.parse_args()
    bin_dir = args.venv / "bin"
    site = site_packages(bin_dir / "python")
    print(
        "| package | binding | its tests | distinct calls | rejected by ours | ours with the"
        " trace | anchor tool | shipped stubs | errors in ours (mypy --strict / basedpyright)"
        " | errors in the anchor's |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for package in FIELD:
        if args.only and package.dist not in args.only:
            continue
        print("| " + " | ".join(measure(package, bin_dir, args.sdists.resolve(), site)) + " |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
