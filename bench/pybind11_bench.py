"""Our stubs against pybind11-stubgen's on pybind11 modules, measured side by side in one run.

Modules: the twin of the demo (``pyfuser``, demo/pybind11) and four public pybind11
packages from pip, chosen for their shapes:

- ``contourpy._contourpy`` (matplotlib's contouring): small, enums, numpy arrays;
- ``iminuit._core`` (Minuit2 fitter): no docstrings, C++ types leak into signatures;
- ``boost_histogram._core``: 7 submodules, hundreds of template-generated overloads;
- ``pikepdf._core`` (qpdf): 60 classes, 9 enums, pybind11 operator overloads;
- ``onnx.onnx_cpp2py_export``: 8 submodules made with ``def_submodule``.

Per module and tool: generation time (best of N, interleaved), exit status, stub files that
fail to parse, mypy errors (``--strict``) and basedpyright errors (standard mode) on the
output alone, C++ types left in annotations (raw, or written as ``...``, which no type
checker accepts as a type) and ``Any`` written or implied (a bare ``tuple`` is
``tuple[Any, ...]``; mypy --strict asks for the parameters). Creates (once) a
throwaway venv with the packages, both tools and the twin.

Usage: python bench/pybind11_bench.py [--venv DIR] [--repeat N] [--only MODULE]
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["contourpy", "iminuit", "boost-histogram", "pikepdf", "onnx", "numpy"]
MODULES = [
    "pyfuser",
    "contourpy._contourpy",
    "iminuit._core",
    "boost_histogram._core",
    "pikepdf._core",
    "onnx.onnx_cpp2py_export",
]
_CPP = re.compile(r"\w::\w|\b[A-Za-z_]\w*<")
# Generic classes written bare (``tuple``, ``Sequence``) mean the same as with ``Any``
# parameters (mypy --strict asks for them), so each counts as one ``Any``.
_GENERICS = frozenset(
    "tuple list dict set frozenset type Sequence Mapping MutableMapping Iterable Iterator"
    " Callable Collection MutableSequence Generator".split()
)


@dataclass
class Result:
    """What one tool produced for one module."""

    seconds: float
    status: int
    files: int = 0
    unparsable: int = 0
    mypy: int = 0
    pyright: int = 0
    cpp: int = 0
    any_count: int = 0


def ensure_venv(venv: Path) -> Path:
    """Create the bench venv once: the packages, pybind11-stubgen, this tool and the twin."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        tools = ["pybind11-stubgen", "mypy", "basedpyright"]
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES, *tools], check=True)
        for project in (ROOT, ROOT / "demo" / "pybind11"):
            subprocess.run([str(python), "-m", "pip", "install", "-q", str(project)], check=True)
    return python


def commands(python: Path, module: str, out: Path) -> dict[str, list[str]]:
    """The command line of each tool, writing stubs for ``module`` under ``out / tool``."""
    return {
        "ours": [str(python), "-m", "stubgen", "stubs", module, "-o", str(out / "ours")],
        "pybind11-stubgen": [
            str(python), "-m", "pybind11_stubgen", module, "-o", str(out / "pybind11-stubgen")
        ],
    }  # fmt: skip


def _implicit_any(annotation: ast.expr) -> int:
    """Count the bare generics of an annotation: ``tuple`` is ``tuple[Any, ...]``."""
    subscripted = {id(n.value) for n in ast.walk(annotation) if isinstance(n, ast.Subscript)}
    count = 0
    for node in ast.walk(annotation):
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
        if name in _GENERICS and id(node) not in subscripted:
            count += 1
    return count


def _ellipsis_types(annotation: ast.expr) -> int:
    """Count ``...`` used as a type (what pybind11-stubgen writes for a C++ type)."""
    allowed = {
        id(e)
        for n in ast.walk(annotation)
        if isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Tuple)
        for e in n.slice.elts
    }
    return sum(
        isinstance(n, ast.Constant) and n.value is Ellipsis and id(n) not in allowed
        for n in ast.walk(annotation)
    )


def annotation_counts(tree: ast.Module) -> tuple[int, int]:
    """Count the C++ types left (raw, or written as ``...``) and the ``Any`` written or implied."""
    cpp = any_count = 0
    for node in ast.walk(tree):
        parts: list[ast.expr | None] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
            parts += [a.annotation for a in every if a is not None]
            parts += [node.returns, *args.defaults, *args.kw_defaults]
            annotations = [*(a.annotation for a in every if a is not None), node.returns]
        elif isinstance(node, ast.AnnAssign):
            parts += [node.annotation, node.value]
            annotations = [node.annotation]
        else:
            continue
        for part in parts:
            if part is not None:
                cpp += bool(_CPP.search(ast.unparse(part)))
        for annotation in annotations:
            if annotation is not None:
                cpp += _ellipsis_types(annotation)
                any_count += len(re.findall(r"\bAny\b", ast.unparse(annotation)))
                any_count += _implicit_any(annotation)
    return cpp, any_count


def mypy_errors(python: Path, root: Path, *flags: str) -> int:
    """mypy --strict errors on the stubs under ``root`` alone (``flags`` added)."""
    targets = sorted(str(p.relative_to(root)) for p in root.iterdir() if p.name != "py.typed")
    result = subprocess.run(
        [str(python), "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null",
         "--explicit-package-bases", *flags, *targets],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    match = re.search(r"Found (\d+) errors?", result.stdout)
    return int(match.group(1)) if match else (0 if "Success" in result.stdout else -1)


def pyright_errors(python: Path, root: Path) -> int:
    """basedpyright errors (standard mode, as VS Code's Pylance checks) on ``root``.

    The bench venv's interpreter is given, so that the stubs' imports of the package's
    Python modules resolve as they do for its users.
    """
    (root / "pyrightconfig.json").write_text('{"typeCheckingMode": "standard"}\n')
    command = [str(python.parent / "basedpyright"), "--pythonpath", str(python)]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    match = re.search(r"(\d+) errors?", result.stdout)
    return int(match.group(1)) if match else -1


def measure(python: Path, module: str, repeat: int) -> dict[str, Result]:
    """Run both tools on ``module`` (interleaved, best of ``repeat``) and inspect the output."""
    results: dict[str, Result] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for _ in range(repeat):
            for tool, command in commands(python, module, out).items():
                shutil.rmtree(out / tool, ignore_errors=True)
                start = time.perf_counter()
                done = subprocess.run(command, capture_output=True, cwd=tmp, check=False)
                seconds = time.perf_counter() - start
                best = results.get(tool)
                if best is None or seconds < best.seconds:
                    results[tool] = Result(seconds, done.returncode)
        for tool, result in results.items():
            root = out / tool
            stubs = sorted(root.rglob("*.pyi")) if root.is_dir() else []
            result.files = len(stubs)
            for stub in stubs:
                try:
                    tree = ast.parse(stub.read_text(encoding="utf-8"), filename=str(stub))
                except SyntaxError:
                    result.unparsable += 1
                    continue
                cpp, any_count = annotation_counts(tree)
                result.cpp += cpp
                result.any_count += any_count
            if stubs:
                result.mypy = mypy_errors(python, root)
                result.pyright = pyright_errors(python, root)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path.home() / ".cache" / "nbapi-pb11-venv")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="one module of the list")
    args = parser.parse_args()
    python = ensure_venv(args.venv)
    header = "| module | tool | time | exit | files | unparsable | mypy --strict | basedpyright"
    print(header + " | C++ types left | Any |")
    print("| --- " * 10 + "|")
    for module in [args.only] if args.only else MODULES:
        results = measure(python, module, args.repeat)
        ratio = results["ours"].seconds / results["pybind11-stubgen"].seconds
        for tool, r in results.items():
            time_cell = f"{r.seconds:.2f} s" + (f" ({ratio:.2f}x)" if tool == "ours" else "")
            print(
                f"| {module} | {tool} | {time_cell} | {r.status} | {r.files} | {r.unparsable}"
                f" | {r.mypy} | {r.pyright} | {r.cpp} | {r.any_count} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
