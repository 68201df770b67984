"""nvFuser's direct bindings, rendered from the model recorded where they import.

The model (``tests/nvfuser/nvfuser_direct.model.json.gz``) was written by ``nbapi model`` in
the nvFuser harness's venv (``bench/nvfuser_bench.py``: torch 2.10 and
nvfuser-cu128-torch210 on Python 3.12, no GPU). Here nothing imports nvFuser or torch: the
stubs, the checks (type-checked only), coverage and docs are rendered from the file, as on
a docs host. torch is stood in for by the names the stubs use (``tests/nvfuser/torch-standin``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mypy import api as mypy_api

from stubgen.cli import main
from stubgen.model.json_io import read_model_file
from stubgen.model.walk import iter_modules

HERE = Path(__file__).parent / "nvfuser"
MODEL = HERE / "nvfuser_direct.model.json.gz"
CALLS = HERE / "calls.json"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stubs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("nvfuser") / "stubs"
    # calls.json: the check cases traced with the real wheel (bench/nvfuser_bench.py --record);
    # the evidence that orders ops.add's overloads (STB033).
    argv = ["stubs", "--model", str(MODEL), "-o", str(out), "--config", str(HERE / "none.toml")]
    assert main([*argv, "--calls", str(CALLS)]) == 0
    shutil.copytree(HERE / "torch-standin" / "torch", out / "torch")
    return out


def _ops() -> dict[str, int]:
    model = read_model_file(MODEL)
    ops = next(m for m in iter_modules(model.module) if m.path == "nvfuser_direct.ops")
    return {f.name: len(f.overloads) for f in ops.functions}


def test_every_op_has_the_overloads_the_runtime_reports() -> None:
    model = read_model_file(MODEL)
    ops = next(m for m in iter_modules(model.module) if m.path == "nvfuser_direct.ops")
    assert len(ops.functions) >= 130
    assert all(o.source == "probe" for f in ops.functions for o in f.overloads)
    counts = _ops()
    assert counts["add"] == 4 and counts["sum"] == 3 and counts["relu"] == 2
    total = next(f for f in ops.functions if f.name == "sum")
    assert [p.name for p in total.overloads[2].parameters] == ["arg", "dims", "keepdim", "dtype"]


def test_a_value_set_on_a_gpu_host_is_typed_from_the_source(stubs: Path) -> None:
    # DEVICE_PROPERTIES = None, then = get_device_properties() where CUDA is: the callee's
    # annotation (Tuple[int, float], as nvFuser declares it), not this host's None.
    text = (stubs / "nvfuser_direct" / "pytorch_utils.pyi").read_text()
    assert "DEVICE_PROPERTIES: tuple[int, float] | None\n" in text


def test_stubs_pass_mypy_strict(stubs: Path) -> None:
    out, err, status = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", "/dev/null", str(stubs / "nvfuser_direct")]
    )
    assert status == 0, out + err


def test_stubs_pass_basedpyright(stubs: Path) -> None:
    config = stubs.parent / "pyrightconfig.json"
    config.write_text(
        json.dumps({"typeCheckingMode": "standard", "include": ["stubs"], "stubPath": "stubs"})
    )
    binary = Path(sys.executable).parent / "basedpyright"
    result = subprocess.run(
        [str(binary), "-p", str(config)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_user_code_type_checks(stubs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", "--model", str(MODEL), "--stubs", str(stubs), "--no-examples"]
    argv += ["--checks", str(HERE / "checks"), "--config", str(HERE / "none.toml")]
    assert main(argv) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "11 cases, 0 objects with Examples: 11 passed, 0 failed" in out


def test_without_the_trace_typical_user_code_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The mutation: the same stubs without the evidence write add(Val, Val) -> Val first, and
    # the tutorial's ops.add(t0, t1) is typed Val, as basedpyright reported on nvFuser's tests.
    out = tmp_path / "stubs"
    argv = ["stubs", "--model", str(MODEL), "-o", str(out), "--config", str(HERE / "none.toml")]
    assert main(argv) == 0
    shutil.copytree(HERE / "torch-standin" / "torch", out / "torch")
    capsys.readouterr()
    argv = ["check", "--model", str(MODEL), "--stubs", str(out), "--no-examples"]
    argv += ["--checks", str(HERE / "checks"), "--config", str(HERE / "none.toml")]
    assert main(argv) == 1
    report = capsys.readouterr().out
    assert "FAIL  case    check_fusion.py::case_ops_are_typed" in report
    assert 'Expression is of type "Val", not "TensorView"' in report


def test_coverage_flags_every_function_without_a_binding_signature(tmp_path: Path) -> None:
    report = tmp_path / "coverage.json"
    argv = ["coverage", "--model", str(MODEL), "--format", "json", "-o", str(report)]
    main([*argv, "--config", str(HERE / "none.toml")])
    findings = json.loads(report.read_text())["findings"]
    flagged = {f["path"] for f in findings if f["code"] == "SIG006"}
    assert {f"nvfuser_direct.ops.{name}" for name in _ops()} <= flagged
    add = [f["message"] for f in findings if f["path"] == "nvfuser_direct.ops.add"]
    assert any('py::arg("lhs"), py::arg("rhs")' in m for m in add)
    assert not any(f["code"] == "PR02" and f["path"] == "nvfuser_direct.ops.add" for f in findings)


def test_docs_show_every_overload(tmp_path: Path) -> None:
    argv = ["docs", "--model", str(MODEL), "--source", str(tmp_path / "src")]
    argv += ["-o", str(tmp_path / "html"), "--config", str(HERE / "none.toml")]
    assert main(argv) == 0
    page = (tmp_path / "html" / "api" / "nvfuser_direct.ops.html").read_text()
    assert page.count('id="nvfuser_direct.ops.sum"') + page.count("nvfuser_direct.ops.sum(") >= 1
    section = page[page.index('id="nvfuser_direct.ops.sum"') :][:20000]
    assert section.count('<span class="sig-name descname"><span class="pre">sum</span>') == 3
    from test_docs import CHROMIUM, layout_of, out_of_reach

    assert out_of_reach(tmp_path / "html", read_model_file(MODEL)) == []
    if CHROMIUM is None:
        return
    # The landing page, the package, its biggest class, the 134 overloaded ops and the
    # coverage page, in a real browser.
    pages = ["api/nvfuser_direct.html", "api/nvfuser_direct.ops.html"]
    pages.append("api/nvfuser_direct.FusionDefinition.html")
    for name in ["index.html", *pages, "api/coverage.html"]:
        dom = layout_of(tmp_path / "html", name, tmp_path / "profile")
        assert 'data-overflow="false"' in dom and 'data-clipped="0"' in dom, name
        assert 'data-tables="0"' not in dom, name
        if name in pages:
            assert 'data-toc="true"' in dom, f"{name} shows no 'on this page'"


def test_the_readme_groups_put_nvfusers_ops_under_titles() -> None:
    import re

    import tomllib

    from stubgen.config import DocsConfig
    from stubgen.docs.pages import render_pages

    readme = (HERE.parent.parent / "README.md").read_text()
    block = next(b for b in re.findall(r"```toml\n(.*?)```", readme, re.DOTALL) if "groups" in b)
    settings = tomllib.loads(block)["tool"]["nbapi"]["docs"]
    docs = DocsConfig(order=settings["order"], groups=settings["groups"])
    page = render_pages(read_model_file(MODEL), docs=docs)["api/nvfuser_direct.ops.rst"]
    rubrics = re.findall(r"^\.\. rubric:: (.+)$", page, re.MULTILINE)
    assert rubrics == ["Pointwise", "Reductions", "Shape", "Other functions"]
    reductions = page[page.index("rubric:: Reductions") : page.index("rubric:: Shape")]
    assert ":py:func:`~nvfuser_direct.ops.sum`" in reductions
