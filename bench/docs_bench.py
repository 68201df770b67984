"""Docs build time: ours against sphinx-autoapi and sphinx-autostub from the same stubs.

For the demo and for the large modules of the field venv (mlx.core, drjit, and mitsuba with
its variant selected, ours only), in one run: our ``docs`` verb from the model JSON (cold,
the faster of two builds from nothing; a no-change rebuild; a rebuild after one docstring
of the model changed), and sphinx-autoapi and sphinx-autostub building an API reference
from the stubs our ``stubs`` verb wrote. All HTML, furo. Ours chooses Sphinx's ``-j``
itself; the others are timed with ``-j 1`` and ``-j auto`` and keep the faster. Creates
(once) a venv with the doc tools and this project (editable) but without the field
packages, so the stub readers cannot fall back to the installed package; the models and
stubs come from the field venv of ``bench/field_load.py``.

Usage: python bench/docs_bench.py [--venv DIR] [--field-venv DIR] [--only MODULES]
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MITSUBA_SETUP = "import mitsuba; mitsuba.set_variant('scalar_rgb')"

CONF = """
project = "bench"
html_theme = "furo"
extensions = {extensions}
{extra}
"""


def run(
    command: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0, 1)
) -> float:
    """Run ``command``; return its seconds (exit codes outside ``ok`` stop the bench)."""
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if result.returncode not in ok:
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
                "-e",
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
    """Build with Sphinx in one process and with ``-j auto``; return the faster time."""
    times = []
    for jobs in ("1", "auto"):
        shutil.rmtree(out, ignore_errors=True)
        command = [str(python), "-m", "sphinx", "-b", "html", "-q", "-j", jobs]
        times.append(run([*command, str(source), str(out)], env=env))
    return min(times)


def change_one_docstring(model: Path, changed: Path) -> str:
    """Write ``model`` with one method's docstring summary extended; return its path."""
    sys.path.insert(0, str(ROOT))
    from stubgen.model.json_io import model_from_json, model_to_json
    from stubgen.model.walk import iter_classes, iter_modules

    api = model_from_json(model.read_text(encoding="utf-8"))
    classes = (c for m in iter_modules(api.module) for c in iter_classes(m.classes))
    for cls in classes:
        for function in cls.functions:
            for overload in function.overloads:
                if overload.doc is not None and overload.doc.summary:
                    doc = overload.doc
                    overload.doc = dataclasses.replace(doc, summary=doc.summary + " Now changed.")
                    changed.write_text(model_to_json(api), encoding="utf-8")
                    return function.path
    raise SystemExit(f"{model}: no documented method to change")


def measure(python: Path, module: str, model: Path, stubs: Path, *, anchors: bool = True) -> str:
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
        # Cold, best of two as theirs are (the work directory and the site removed between).
        t_ours = float("inf")
        for _ in range(2):
            for made in (base / "ours" / "html", base / "ours" / ".html.sphinx", ours_src):
                shutil.rmtree(made, ignore_errors=True)
            t_ours = min(t_ours, run(ours_cmd, ok=(0,)))
        t_again = run(ours_cmd, ok=(0,))
        changed = base / "changed.json"
        where = change_one_docstring(model, changed)
        t_changed = run([*ours_cmd[:6], str(changed), *ours_cmd[7:]], ok=(0,))
        html = (base / "ours" / "html").rglob("*.html")
        if not any("Now changed." in page.read_text(encoding="utf-8") for page in html):
            raise SystemExit(f"the changed docstring of {where} is not in the rebuilt site")
        pages = sum(1 for _ in (base / "ours" / "html").rglob("*.html"))
        if not anchors:
            return (
                f"{module:<10} ours {t_ours:6.2f} s ({pages} pages) | no-change rebuild"
                f" {t_again:5.2f} s | one docstring changed {t_changed:5.2f} s"
                f" ({t_changed / t_ours:4.0%} of cold)"
            )
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
        f"{module:<10} ours {t_ours:6.2f} s | no-change rebuild {t_again:5.2f} s | "
        f"one docstring changed {t_changed:5.2f} s ({t_changed / t_ours:4.0%} of cold) | "
        f"sphinx-autostub {t_autostub:6.2f} s (ours {t_ours / t_autostub:4.2f}x) | "
        f"sphinx-autoapi {t_autoapi:6.2f} s (ours {t_ours / t_autoapi:4.2f}x)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path.home() / ".cache" / "nbapi-docs-venv")
    parser.add_argument(
        "--field-venv", type=Path, default=Path.home() / ".cache" / "nbapi-field-venv"
    )
    parser.add_argument("--only", help="comma-separated modules (default: every one found)")
    args = parser.parse_args()
    python = ensure_venv(args.venv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sources: list[tuple[Path, str, list[str]]] = [
            (ROOT / ".venv" / "bin" / "python", "tinyfuser", [])
        ]
        field = args.field_venv / "bin" / "python"
        if field.exists():
            sources += [(field, "mlx.core", []), (field, "drjit", [])]
            # A large, many-variant package, its variant selected as the issue's `setup` does
            # (ours only: the stub readers build from stubs, not from a variant's runtime).
            sources += [(field, "mitsuba", ["--setup", MITSUBA_SETUP])]
        only = args.only.split(",") if args.only else None
        for maker, module, setup in sources:
            if only is not None and module not in only:
                continue
            if (
                module == "mitsuba"
                and subprocess.run(
                    [str(maker), "-c", "import mitsuba"], capture_output=True, check=False
                ).returncode
            ):
                continue
            model, stubs = work / f"{module}.json", work / f"{module}-stubs"
            subprocess.run(
                [str(maker), "-m", "stubgen", "model", module, *setup, "-o", str(model)],
                check=True,
                capture_output=True,
            )
            stubs_cmd = [str(maker), "-m", "stubgen", "stubs", module, *setup, "--no-typecheck"]
            subprocess.run(
                [*stubs_cmd, "-o", str(stubs)],
                check=True,
                capture_output=True,
            )
            result = measure(python, module, model, stubs, anchors=not setup)
            print(result, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
