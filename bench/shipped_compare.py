"""Our stubs next to the .pyi files packages ship in their wheels (same installed versions).

Per module, in one run: time of `stubs` (default settings) and of `python -m nanobind.stubgen
-r`, each the best of --repeat interleaved runs; definitions (qualified
function/class/attribute names) of theirs missing from ours; annotation slots (each parameter
and return of a function, each annotated attribute) that are precise in theirs but `Any` or
absent in ours, and the reverse; `type: ignore` and `Any` counts; mypy --strict errors on ours
and on theirs; basedpyright (standard mode) errors on both. drjit is run with and without its
own pattern file (`drjit/stubs.pat`, shipped in its wheel); mlx.core with and without
`bench/patterns/mlx.core.pat`, which defines the names mlx's signatures use but only its build-
time pattern file defines. Compiled sibling modules our stubs import (finding STB017) get their
stubs generated into the same tree first, as a user would.

Usage: python bench/shipped_compare.py --venv DIR   (a venv with mlx[cpu], jaxlib, drjit,
basedpyright and this tool installed, as bench/field_test.py makes)
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from stubs_compare import mypy_errors

HERE = Path(__file__).resolve().parent
MLX_PATTERNS = str(HERE / "patterns" / "mlx.core.pat")
CASES = [
    ("mlx.core", None),
    ("mlx.core", MLX_PATTERNS),
    ("jaxlib._jax", None),
    ("drjit", None),
    ("drjit", "drjit/stubs.pat"),
    ("pyopencl._cl", None),
    ("islpy._isl", None),
    ("manifold3d", None),
]
Slots = dict[tuple[str, str], bool]  # (definition, parameter or "return") -> precise


def _modules(root: Path, files: list[Path]) -> Iterator[tuple[str, ast.Module]]:
    for file in files:
        module = ".".join(file.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        try:
            yield module, ast.parse(file.read_text(encoding="utf-8"))
        except SyntaxError:
            continue


def _precise(annotation: ast.expr | None) -> bool:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:  # a quoted annotation counts when it is Python ("Foo"), not C++ ("Event<...>")
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    return annotation is not None and ast.unparse(annotation) not in ("Any", "typing.Any")


def definitions(root: Path, files: list[Path]) -> tuple[set[str], Slots]:
    """Return the qualified names a stub tree defines and its annotation slots."""
    names: set[str] = set()
    slots: Slots = {}

    def slot(key: tuple[str, str], annotation: ast.expr | None) -> None:
        slots[key] = slots.get(key, False) or _precise(annotation)

    for module, tree in _modules(root, files):
        stack: list[tuple[str, list[ast.stmt]]] = [(module, tree.body)]
        while stack:
            prefix, body = stack.pop()
            for node in body:
                if isinstance(node, ast.ClassDef):
                    names.add(f"{prefix}.{node.name}")
                    stack.append((f"{prefix}.{node.name}", node.body))
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    path = f"{prefix}.{node.name}"
                    names.add(path)
                    args = node.args
                    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
                    params += [a for a in (args.vararg, args.kwarg) if a is not None]
                    for i, arg in enumerate(params):
                        if i == 0 and arg.arg in ("self", "cls"):
                            continue
                        slot((path, arg.arg), arg.annotation)
                    slot((path, "return"), node.returns)
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names.add(f"{prefix}.{node.target.id}")
                    slot((f"{prefix}.{node.target.id}", "value"), node.annotation)
                elif isinstance(node, ast.Assign):  # X = Y: an alias, as precise as Y
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            names.add(f"{prefix}.{target.id}")
                            slot((f"{prefix}.{target.id}", "value"), node.value)
    return names, slots


def _skipped(name: str) -> bool:
    # drjit.auto forwards everything through a module __getattr__ (not walked);
    # __abstractmethods__ is an attribute of every class (typeshed declares it on type).
    return name.startswith("drjit.auto") or name.endswith(".__abstractmethods__")


def less_precise(ours: Slots, theirs: Slots) -> int:
    """Count the slots precise in ``theirs`` but Any or absent in ``ours``."""
    return sum(1 for key, precise in theirs.items() if precise and not ours.get(key, False))


def counts(files: list[Path]) -> tuple[int, int]:
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    return text.count("type: ignore"), len(re.findall(r"\bAny\b", text))


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, result.stdout + result.stderr


def best_of(repeat: int, commands: dict[str, tuple[list[str], Path]]) -> dict[str, float]:
    """Run each command ``repeat`` times, interleaved, into a fresh output folder each time.

    Returns the fastest time of each: on a shared machine the minimum is the run least
    disturbed by others (as ``timeit`` reports).
    """
    best = {name: float("inf") for name in commands}
    for _ in range(repeat):
        for name, (command, output) in commands.items():
            shutil.rmtree(output, ignore_errors=True)
            best[name] = min(best[name], timed(command)[0])
    return best


def pyright_errors(venv: Path, root: Path) -> int:
    (root / "pyrightconfig.json").write_text('{"typeCheckingMode": "standard"}')
    result = subprocess.run(
        [str(venv / "bin" / "basedpyright")], cwd=root, capture_output=True, text=True
    )
    match = re.search(r"(\d+) errors?", result.stdout)
    return int(match.group(1)) if match else -1


def _target(root: Path, top: str) -> str:
    """What mypy checks: the package folder, or a single-module package's ``.pyi``."""
    return top if (root / top).is_dir() else f"{top}.pyi"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--venv", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per tool (best kept)")
    parser.add_argument("--only", nargs="*", default=[], help="run only these modules")
    args = parser.parse_args()
    venv = args.venv
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
        " slots precise in theirs, Any/absent in ours | the reverse |"
        " type: ignore ours/theirs | Any ours/theirs | mypy ours/theirs |"
        " basedpyright ours/theirs |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for module, pattern in CASES:
        if args.only and module not in args.only:
            continue
        top = module.split(".")[0]
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            ours_root = work / "ours"
            command = [str(python), "-m", "stubgen", "stubs", module, "-o", str(ours_root)]
            if pattern:
                command += ["--pattern-file", str(site / pattern)]
            parent = module.rpartition(".")[0]
            nb_out = work / "nb" / (parent.replace(".", "/") if parent else "")
            nb_cmd = [str(python), "-m", "nanobind.stubgen", "-q", "-r", "-m", module]
            nb_cmd += ["-O", str(nb_out)]
            if pattern:
                nb_cmd += ["-p", str(site / pattern)]
            times = best_of(args.repeat, {"ours": (command, ours_root), "nb": (nb_cmd, nb_out)})
            ours_time, nb_time = times["ours"], times["nb"]
            output = timed(command)[1]  # the tree the comparison reads
            for sibling in sorted(set(re.findall(r"imported from (\S+), a compiled", output))):
                timed([*command[:4], sibling, *command[5:]])
            base = site / module.replace(".", "/")
            theirs = sorted(base.rglob("*.pyi")) if base.is_dir() else []
            theirs += [base.with_suffix(".pyi")] if base.with_suffix(".pyi").is_file() else []
            ours = sorted(ours_root.rglob("*.pyi"))
            their_names, their_slots = definitions(site, theirs)
            our_names, our_slots = definitions(ours_root, ours)
            their_names = {n for n in their_names if not _skipped(n)}
            their_slots = {k: v for k, v in their_slots.items() if not _skipped(k[0])}
            missing = their_names - our_names
            ignores_ours, any_ours = counts(ours)
            ignores_theirs, any_theirs = counts(theirs)
            mypy_ours = mypy_errors(python, ours_root, _target(ours_root, top), "--strict")
            # Theirs are checked in a tree of their own: in site-packages, mypy stops at the
            # first installed module that shadows a library one and checks nothing.
            theirs_root = work / "theirs"
            for file in theirs:
                target = theirs_root / file.relative_to(site)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
            mypy_theirs = (
                mypy_errors(python, theirs_root, _target(theirs_root, top), "--strict")
                if theirs
                else "-"
            )
            pyright_theirs = pyright_errors(venv, theirs_root) if theirs else "-"
            pyright_ours = pyright_errors(venv, ours_root)
            label = f"{module} + {Path(pattern).name}" if pattern else module
            print(
                f"| {label} | {ours_time:.2f} | {nb_time:.2f} | {ours_time / nb_time:.1f}x |"
                f" {len(missing)} of {len(their_names)} |"
                f" {less_precise(our_slots, their_slots)} of {len(their_slots)} |"
                f" {less_precise(their_slots, our_slots) if theirs else '-'} |"
                f" {ignores_ours}/{ignores_theirs} | {any_ours}/{any_theirs} |"
                f" {mypy_ours}/{mypy_theirs} | {pyright_ours}/{pyright_theirs} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
