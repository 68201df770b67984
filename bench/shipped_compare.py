"""Our stubs next to the .pyi files packages ship in their wheels (same installed versions).

Per module, in one run: time of `stubs` (default settings) and of `python -m nanobind.stubgen
-r`; `type: ignore` and `Any` counts and mypy --strict errors on ours and on theirs;
definitions (qualified function/class/attribute names) of theirs missing from ours. drjit is
run twice: without and with its own pattern file (`drjit/stubs.pat`, shipped in its wheel).

Usage: python bench/shipped_compare.py --venv DIR   (a venv with mlx[cpu], jaxlib, drjit
and this tool installed, as bench/field_test.py makes)
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import tempfile
import time
from pathlib import Path

from stubs_compare import mypy_errors

CASES = [("mlx.core", None), ("jaxlib._jax", None), ("drjit", None), ("drjit", "drjit/stubs.pat")]


def definitions(root: Path, files: list[Path]) -> set[str]:
    names: set[str] = set()
    for file in files:
        module = ".".join(file.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        try:
            tree = ast.parse(file.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        stack: list[tuple[str, list[ast.stmt]]] = [(module, tree.body)]
        while stack:
            prefix, body = stack.pop()
            for node in body:
                if isinstance(node, ast.ClassDef):
                    names.add(f"{prefix}.{node.name}")
                    stack.append((f"{prefix}.{node.name}", node.body))
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(f"{prefix}.{node.name}")
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names.add(f"{prefix}.{node.target.id}")
                elif isinstance(node, ast.Assign):
                    names |= {f"{prefix}.{t.id}" for t in node.targets if isinstance(t, ast.Name)}
    return names


def counts(files: list[Path]) -> tuple[int, int]:
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    return text.count("type: ignore"), len(re.findall(r"\bAny\b", text))


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--venv", type=Path, required=True)
    venv = parser.parse_args().venv
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    print(
        "| module | ours s | nanobind.stubgen s | ratio | theirs defs missing in ours |"
        " type: ignore ours/theirs | Any ours/theirs | mypy ours/theirs |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for module, pattern in CASES:
        top = module.split(".")[0]
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            command = [str(python), "-m", "stubgen", "stubs", module, "-o", str(work / "ours")]
            if pattern:
                command += ["--pattern-file", str(site / pattern)]
            ours_time = timed(command)
            parent = module.rpartition(".")[0]
            nb_out = work / "nb" / (parent.replace(".", "/") if parent else "")
            nb_cmd = [
                str(python),
                "-m",
                "nanobind.stubgen",
                "-q",
                "-r",
                "-m",
                module,
                "-O",
                str(nb_out),
            ]
            if pattern:
                nb_cmd += ["-p", str(site / pattern)]
            nb_time = timed(nb_cmd)
            base = site / module.replace(".", "/")
            theirs = sorted(base.rglob("*.pyi")) if base.is_dir() else []
            theirs += [base.with_suffix(".pyi")] if base.with_suffix(".pyi").is_file() else []
            ours_root = work / "ours"
            ours = sorted(ours_root.rglob("*.pyi"))
            missing = definitions(site, theirs) - definitions(ours_root, ours)
            # drjit.auto forwards everything through a module __getattr__ (not walked).
            missing = {m for m in missing if not m.startswith("drjit.auto")}
            ignores_ours, any_ours = counts(ours)
            ignores_theirs, any_theirs = counts(theirs)
            mypy_ours = mypy_errors(python, ours_root, top, "--strict")
            mypy_theirs = mypy_errors(python, site, top, "--strict")
            label = f"{module} + {Path(pattern).name}" if pattern else module
            print(
                f"| {label} | {ours_time:.2f} | {nb_time:.2f} | {ours_time / nb_time:.1f}x |"
                f" {len(missing)} of {len(definitions(site, theirs))} |"
                f" {ignores_ours}/{ignores_theirs} | {any_ours}/{any_theirs} |"
                f" {mypy_ours}/{mypy_theirs} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
