"""Growth of ``model`` and ``stubs`` along each dimension of an extension's shape.

Each shape is one synthetic package grown along a single dimension, at 1x, 2x and 4x:

- an enum with 20,000 members;
- a class with 5,000 methods;
- a module with 2,000 classes;
- a package with 500 submodules;
- a function with 500 overloads;
- a docstring of 1 MB.

The packages are Python source written to a temporary folder (no compiler needed): the walk
code that grows with these dimensions (class members, enum members, modules, overloads,
docstrings) is the same for every binding; nanobind's per-overload signature parsing is
covered by ``bench/scale_bench.py``. Every command runs cold, in its own process, as a user
runs it, and ``nanobind.stubgen`` runs on the same package in the same loop. The growth
exponent is the slope of log(time) against log(size) over the three sizes (1.0 is linear;
the fixed start-up cost pulls it below 1).

Usage: python bench/shapes_bench.py [--scale 1] [--repeat 3] [--only enum,class]
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

FACTORS = (1, 2, 4)


def _enum(n: int) -> str:
    members = "".join(f"    M{i} = {i}\n" for i in range(n))
    return f"import enum\n\n\nclass Big(enum.Enum):\n    '''Many members.'''\n{members}"


def _methods(n: int) -> str:
    body = "".join(
        f"    def m{i}(self, x: int, y: float = 1.0) -> int:\n        '''Method {i}.'''\n"
        "        return x\n"
        for i in range(n)
    )
    return f"class Wide:\n    '''Many methods.'''\n\n{body}"


def _classes(n: int) -> str:
    return "".join(
        f"class C{i}:\n    '''Class {i}.'''\n\n    def get(self) -> 'C{i}':\n"
        "        return self\n\n\n"
        for i in range(n)
    )


def _overloads(n: int) -> str:
    heads = "".join(
        f"@typing.overload\ndef f(x{i}: int, /, k{i}: str = '') -> int: ...\n" for i in range(n)
    )
    return f"import typing\n\n{heads}def f(*args, **kwargs):\n    '''Many overloads.'''\n"


def _docstring(n: int) -> str:
    line = "Parameters: this line is filler text of a long docstring, 64 bytes.\n"
    text = line * (n // len(line))
    return f'def g(x: int) -> int:\n    """Summary.\n\n{text}"""\n    return x\n'


# name: (base size, writer of the package's files at that size)
SHAPES: dict[str, tuple[int, Callable[[int], dict[str, str]]]] = {
    "enum": (20_000, lambda n: {"__init__.py": _enum(n)}),
    "class": (5_000, lambda n: {"__init__.py": _methods(n)}),
    "module": (2_000, lambda n: {"__init__.py": _classes(n)}),
    "package": (
        500,
        lambda n: {
            "__init__.py": "".join(f"from . import s{i}\n" for i in range(n)),
            **{
                f"s{i}.py": f"def f{i}(x: int) -> int:\n    '''F.'''\n    return x\n"
                for i in range(n)
            },
        },
    ),
    "overloads": (500, lambda n: {"__init__.py": _overloads(n)}),
    "docstring": (1_000_000, lambda n: {"__init__.py": _docstring(n)}),
}


def _write_package(root: Path, name: str, files: dict[str, str]) -> None:
    package = root / name
    package.mkdir(parents=True)
    for file, text in files.items():
        (package / file).write_text(text, encoding="utf-8")


def _time(command: list[str], env: dict[str, str], repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
        best = min(best, elapsed)
    return best


def _slope(sizes: list[int], times: list[float]) -> float:
    xs = [math.log(s) for s in sizes]
    ys = [math.log(t) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main() -> None:
    """Print, per shape and size, the seconds of each command and their growth exponents."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every base size")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    parser.add_argument("--only", default="", help="comma-separated shapes")
    args = parser.parse_args()
    only = [s for s in args.only.split(",") if s] or list(SHAPES)
    python = sys.executable
    print("| shape | size | model s | stubs s | nanobind.stubgen s | stubs / nanobind |")
    print("| --- | --- | --- | --- | --- | --- |")
    summary = []
    for shape in only:
        base, writer = SHAPES[shape]
        sizes, times = [], {"model": [], "stubs": [], "nanobind": []}  # type: dict[str, list[float]]
        for factor in FACTORS:
            size = int(base * args.scale * factor)
            with tempfile.TemporaryDirectory(prefix="nbapi-shape-") as tmp:
                root = Path(tmp)
                name = f"shape_{shape}"
                _write_package(root / "src", name, writer(size))
                env = {"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"}
                model = [python, "-m", "stubgen", "model", name, "-o", str(root / "m.json")]
                stubs = [python, "-m", "stubgen", "stubs", name, "-o", str(root / "ours"), "-q"]
                nanobind = [python, "-m", "nanobind.stubgen", "-q", "-r", "-m", name]
                nanobind += ["-O", str(root / "theirs")]
                t_model = _time(model, env, args.repeat)
                t_stubs = _time(stubs, env, args.repeat)
                t_nb = _time(nanobind, env, args.repeat)
            sizes.append(size)
            times["model"].append(t_model)
            times["stubs"].append(t_stubs)
            times["nanobind"].append(t_nb)
            print(
                f"| {shape} | {size:,} | {t_model:.2f} | {t_stubs:.2f} | {t_nb:.2f} |"
                f" {t_stubs / t_nb:.2f}x |",
                flush=True,
            )
        summary.append((shape, *(_slope(sizes, times[k]) for k in ("model", "stubs", "nanobind"))))
    print("\n| shape | exponent model | exponent stubs | exponent nanobind.stubgen |")
    print("| --- | --- | --- | --- |")
    for shape, model_e, stubs_e, nb_e in summary:
        print(f"| {shape} | {model_e:.2f} | {stubs_e:.2f} | {nb_e:.2f} |")


if __name__ == "__main__":
    main()
