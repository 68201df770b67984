"""Our stubs against nanobind.stubgen's on public nanobind packages, measured in one run.

For each module: generation time (best of N, both tools), mypy errors on each tool's stubs
(default flags), and the public symbols nanobind.stubgen emits that ours lack. Creates (once)
a throwaway venv with the packages and this tool; the demo extension is measured from the
repo's own .venv.

Usage: python bench/stubs_compare.py [--venv DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELD = [("mlx[cpu]", "mlx.core"), ("jaxlib", "jaxlib._jax")]


def ensure_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    reqs = [req for req, _ in FIELD]
    subprocess.run([str(python), "-m", "pip", "install", "-q", *reqs, str(ROOT)], check=True)
    return python


def timed(command: list[str], repeat: int, env: dict[str, str] | None = None) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        if result.returncode != 0:
            tail = (result.stderr.strip().splitlines() or ["?"])[-1]
            raise SystemExit(f"failed: {' '.join(command)}: {tail}")
        best = min(best, time.perf_counter() - start)
    return best


def mypy_errors(python: Path, root: Path, package: str, *flags: str) -> int:
    result = subprocess.run(
        [
            str(python),
            "-m",
            "mypy",
            *flags,
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            "--explicit-package-bases",
            package,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"Found (\d+) errors?", result.stdout)
    if match:
        return int(match.group(1))
    return 0 if "Success" in result.stdout else -1


def symbols(root: Path) -> set[str]:
    found = set()
    for file in root.rglob("*.pyi"):
        module = file.relative_to(root).with_suffix("").as_posix().replace("/", ".")
        module = module.removesuffix(".__init__")
        try:
            tree = ast.parse(file.read_text())
        except SyntaxError:
            continue
        found |= _names(tree.body, module)
    return found


def _names(body: list[ast.stmt], prefix: str) -> set[str]:
    names = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(f"{prefix}.{node.name}")
            if isinstance(node, ast.ClassDef):
                names |= _names(node.body, f"{prefix}.{node.name}")
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(f"{prefix}.{node.target.id}")
        elif isinstance(node, ast.Assign):
            names |= {f"{prefix}.{t.id}" for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.ImportFrom):  # re-exports: from m import x as x
            names |= {f"{prefix}.{a.asname}" for a in node.names if a.asname}
    return {n for n in names if not n.rsplit(".", 1)[-1].startswith("_") or n.endswith("__")}


def compare(python: Path, module: str, repeat: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        ours, fast, theirs = Path(tmp, "ours"), Path(tmp, "fast"), Path(tmp, "theirs")
        command = [str(python), "-m", "stubgen", "stubs", module]
        cold_env = dict(os.environ, NBAPI_CACHE_DIR=str(Path(tmp, "cold-cache")))
        t_cold = timed([*command, "-o", str(ours)], 1, env=cold_env)
        t_ours = timed([*command, "-o", str(ours)], repeat)
        t_fast = timed([*command, "--no-typecheck", "-o", str(fast)], repeat)
        # nanobind.stubgen -r writes a package's files into -O DIR itself, a module with
        # submodules into DIR/<last name>/: aim it so both trees have the same layout.
        parent, _, last = module.rpartition(".")
        is_package = bool(parent)
        target = theirs / (parent.replace(".", "/") if is_package else last)
        nanobind = [str(python), "-m", "nanobind.stubgen", "-q", "-r", "-m", module]
        t_theirs = timed([*nanobind, "-O", str(target)], repeat)
        top = module.split(".")[0]
        errors = [mypy_errors(python, root, top) for root in (ours, fast, theirs)]
        missing = sorted(symbols(theirs) - symbols(ours))
    line = (
        f"{module:<12} generation: ours {t_ours:5.2f} s ({t_ours / t_theirs:4.1f}x; "
        f"cold mypy cache {t_cold:5.2f} s), "
        f"ours --no-typecheck {t_fast:5.2f} s ({t_fast / t_theirs:4.1f}x), "
        f"nanobind.stubgen {t_theirs:5.2f} s | mypy errors: ours {errors[0]}, "
        f"--no-typecheck {errors[1]}, nanobind.stubgen {errors[2]} | "
        f"their symbols missing from ours: {len(missing)}"
    )
    if missing:
        line += "\n    " + ", ".join(missing[:20])
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path.home() / ".cache" / "nbapi-field-venv")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    demo_python = ROOT / ".venv" / "bin" / "python"
    print(compare(demo_python, "tinyfuser", args.repeat))
    python = ensure_venv(args.venv)
    for _, module in FIELD:
        print(compare(python, module, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
