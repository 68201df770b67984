"""The docs of real packages, read as a user reads them: types, reach and layout in a browser.

For each package of the field venv (mitsuba with its variant selected, drjit): its model is
made in that venv, then its site is built by ``nbapi docs`` from the model alone, and checked
with the checks ``make test`` runs on the demo, the twin and nvFuser's recorded model:

- every parameter and result type on the pages is one the stub of that function writes
  (``tests/test_doc_types.py``);
- every function and method is two clicks from the landing page, or found by one search
  (it is in the site's object inventory, which the search page reads);
- the landing page, the top module, the biggest class, the page with the most overloads and
  the coverage page, at 1280 px in Chromium: no sideways scroll, a summary table, no table
  clipped, "on this page" shown on API pages (``layout_of`` of ``tests/test_docs.py``). The
  screenshots go to ``out/docs-field/``.

Run with this project's venv (Sphinx, Chromium): ``python bench/docs_field.py
[--field-venv DIR] [--only mitsuba,drjit]``. Not part of ``make test``: mitsuba and drjit
are not on CI.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_doc_types import doc_types, stub_types  # noqa: E402
from test_docs import (  # noqa: E402
    CHROMIUM,
    chromium,
    functions_of,
    layout_of,
    out_of_reach,
    serve,
)

from stubgen.model.api import ApiModel  # noqa: E402
from stubgen.model.json_io import read_model_file  # noqa: E402
from stubgen.model.walk import iter_classes, iter_modules  # noqa: E402

PACKAGES = {
    "mitsuba": ["--setup", "import mitsuba; mitsuba.set_variant('scalar_rgb')"],
    "drjit": [],
}
SHOTS = ROOT / "out" / "docs-field"


def wrong_types(model: ApiModel) -> list[tuple[str, str]]:
    """Return (function, type) pairs the docs show and the function's stub does not write."""
    stubs, docs = stub_types(model), doc_types(model)
    shown = ((path, texts) for path, texts in docs.items() if path in stubs)
    return sorted((path, text) for path, texts in shown for text in texts - stubs[path])


def layout_pages(site: Path, model: ApiModel) -> dict[str, str]:
    """Pick the five page kinds: landing, module, biggest class, most overloads, coverage."""
    classes = [c for m in iter_modules(model.module) for c in iter_classes(m.classes)]
    biggest = max(classes, key=lambda c: len(c.functions) + len(c.properties))
    page, busiest = max(functions_of(model), key=lambda pf: len(pf[1].overloads))
    pages = {
        "landing": "index.html",
        "module": f"api/{model.module.path}.html",
        "class": f"api/{biggest.path}.html",
        f"overloads ({busiest.name}: {len(busiest.overloads)})": page,
        "coverage": "api/coverage.html",
    }
    return {kind: p for kind, p in pages.items() if (site / p).is_file()}


def check_layout(site: Path, pages: dict[str, str], name: str, profile: Path) -> list[str]:
    """Return the failed layout assertions; keep a screenshot of each page."""
    failed = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    for kind, page in pages.items():
        dom = layout_of(site, page, profile)
        problems = []
        if 'data-overflow="false"' not in dom:
            problems.append("scrolls sideways")
        if 'data-tables="0"' in dom or "data-tables" not in dom:
            problems.append("no summary table")
        if 'data-clipped="0"' not in dom:
            problems.append("a table clipped")
        if page.startswith("api/") and kind != "coverage" and 'data-toc="true"' not in dom:
            problems.append("no 'on this page'")
        failed += [f"{kind} {page}: {p}" for p in problems]
        with serve(site) as url:
            shot = SHOTS / f"{name}-{page.replace('/', '-')}.png"
            chromium(f"{url}/{page}", profile, f"--screenshot={shot}", "--window-size=1280,900")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--field-venv", type=Path, default=Path.home() / ".cache" / "nbapi-field-venv"
    )
    parser.add_argument("--only", help="comma-separated packages (default: mitsuba,drjit)")
    args = parser.parse_args()
    if CHROMIUM is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    field = args.field_venv / "bin" / "python"
    only = args.only.split(",") if args.only else list(PACKAGES)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in only:
            model_file = work / f"{name}.json"
            make = [str(field), "-m", "stubgen", "model", name, *PACKAGES[name]]
            subprocess.run([*make, "-o", str(model_file)], check=True, capture_output=True)
            site = work / f"{name}-html"
            build = [sys.executable, "-m", "stubgen", "docs", "--model", str(model_file)]
            build += ["--source", str(work / f"{name}-src"), "-o", str(site)]
            subprocess.run(build, check=True, capture_output=True, cwd=work)
            model = read_model_file(model_file)
            wrong = wrong_types(model)
            missing = out_of_reach(site, model)
            pages = layout_pages(site, model)
            layout = check_layout(site, pages, name, work / "profile")
            total = len(functions_of(model))
            print(f"{name}: {len(list(site.rglob('*.html')))} pages, {total} functions")
            print(f"  types the stubs do not write: {len(wrong)} {wrong[:5]}")
            print(f"  functions out of reach (2 clicks, 1 search): {len(missing)} {missing[:5]}")
            print(f"  browser, {len(pages)} page kinds: {', '.join(pages)}")
            print(f"  layout failures: {len(layout)} {layout}")
            failures += bool(wrong or missing or layout)
            shutil.rmtree(work / "profile", ignore_errors=True)
    print(f"screenshots in {SHOTS.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
