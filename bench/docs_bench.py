"""Docs build time: ours against sphinx-autoapi and sphinx-autostub from the same stubs.

For the demo and for a large module (mlx.core), in one run: our ``docs`` verb from the model
JSON (cold, then a no-change rebuild), and sphinx-autoapi and sphinx-autostub building an
API reference from the stubs our ``stubs`` verb wrote. All HTML, one process each, furo.
Creates (once) a venv with the doc tools and this project but without mlx, so the stub
readers cannot fall back to the installed package; mlx's model and stubs come from the
field venv of ``bench/field_load.py``.

Usage: python bench/docs_bench.py [--venv DIR] [--field-venv DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CONF = """
project = "bench"
html_theme = "furo"
extensions = {extensions}
{extra}
"""


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if result.returncode not in (0, 1):
        tail = (result.stderr.strip().splitlines() or ["?"])[-1]
        raise SystemExit(f"failed: {' '.join(command[:6])}...: {tail}")
    return took


def ensure_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                str(ROOT),
                "sphinx-autoapi",
                "sphinx-autostub",
            ],
            check=True,
        )
    return python


def project(root: Path, extensions: list[str], extra: str, index: str) -> Path:
    source = root / "src"
    source.mkdir(parents=True)
    (source / "conf.py").write_text(CONF.format(extensions=extensions, extra=extra))
    (source / "index.rst").write_text(f"Bench\n=====\n\n.. toctree::\n\n   {index}\n")
    return source


def sphinx(python: Path, source: Path, out: Path, env: dict[str, str] | None = None) -> float:
    return run([str(python), "-m", "sphinx", "-b", "html", "-q", str(source), str(out)], env=env)


def measure(python: Path, module: str, model: Path, stubs: Path) -> str:
    package_dir = stubs / module.replace(".", "/")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        ours_src = base / "ours" / "src"
        ours_cmd = [
            str(python),
            "-m",
            "stubgen",
            "docs",
            module,
            "--model",
            str(model),
            "--source",
            str(ours_src),
            "-o",
            str(base / "ours" / "html"),
        ]
        t_ours = run(ours_cmd)
        t_again = run(ours_cmd)
        autoapi = project(
            base / "autoapi",
            ["autoapi.extension"],
            f"autoapi_dirs = [{str(package_dir)!r}]\nautoapi_file_patterns = ['*.pyi']",
            "autoapi/index",
        )
        t_autoapi = sphinx(python, autoapi, base / "autoapi" / "html")
        autostub = project(
            base / "autostub",
            ["sphinx_autostub"],
            f"autostub_packages = [{module!r}]",
            f"api/{module.replace('.', '_')}/index",
        )
        env = {"PYTHONPATH": str(stubs), "PATH": "/usr/bin:/bin"}
        t_autostub = sphinx(python, autostub, base / "autostub" / "html", env=env)
    return (
        f"{module:<12} ours {t_ours:6.2f} s (no-change rebuild {t_again:5.2f} s) | "
        f"sphinx-autostub {t_autostub:6.2f} s (ours {t_ours / t_autostub:4.2f}x) | "
        f"sphinx-autoapi {t_autoapi:6.2f} s (ours {t_ours / t_autoapi:4.2f}x)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path.home() / ".cache" / "nbapi-docs-venv")
    parser.add_argument(
        "--field-venv", type=Path, default=Path.home() / ".cache" / "nbapi-field-venv"
    )
    args = parser.parse_args()
    python = ensure_venv(args.venv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sources = [(ROOT / ".venv" / "bin" / "python", "tinyfuser")]
        field = args.field_venv / "bin" / "python"
        if field.exists():
            sources.append((field, "mlx.core"))
        for maker, module in sources:
            model, stubs = work / f"{module}.json", work / f"{module}-stubs"
            subprocess.run(
                [str(maker), "-m", "stubgen", "model", module, "-o", str(model)], check=True
            )
            subprocess.run(
                [str(maker), "-m", "stubgen", "stubs", module, "--no-typecheck", "-o", str(stubs)],
                check=True,
                capture_output=True,
            )
            print(measure(python, module, model, stubs), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
