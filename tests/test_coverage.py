"""The coverage gate on the real demo: golden report, ratchet, annotations, formats, exit codes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import Golden
from numpydoc.validate import validate

from stubgen.cli import main
from stubgen.config import CoverageConfig
from stubgen.coverage import rules
from stubgen.coverage.baseline import compare, write_baseline
from stubgen.coverage.gate import build_report
from stubgen.coverage.report import render_json
from stubgen.findings import Finding
from stubgen.model.api import ApiModel

ROOT = Path(__file__).parent.parent
SOURCES = ROOT / "demo" / "src"


@pytest.fixture(scope="module")
def demo_report_json(demo_model: ApiModel) -> str:
    cwd = os.getcwd()
    os.chdir(ROOT)  # source locations are shown relative to the working directory
    try:
        return render_json(build_report(demo_model, CoverageConfig(source_dir=Path("demo/src"))))
    finally:
        os.chdir(cwd)


def test_demo_report_matches_golden(demo_report_json: str, golden: Golden) -> None:
    golden.text("tinyfuser.coverage.json", demo_report_json)


def test_demo_report_finds_the_planted_gaps(demo_report_json: str) -> None:
    found = {(f["path"], f["code"]) for f in json.loads(demo_report_json)["findings"]}
    planted = {
        ("tinyfuser.ops.relu", "DOC002"),  # macro: docstring only on the last overload
        ("tinyfuser.ops.relu", "SIG001"),  # macro: unnamed arguments
        ("tinyfuser.ops.relu", "DOC005"),  # documents x, signature says arg
        ("tinyfuser.ops.maximum", "GL08"),  # macro op with no docstring at all
        ("tinyfuser.ops.exp", "DOC006"),  # short underline, name:type
        ("tinyfuser.ops.sqrt", "DOC007"),  # Google style
        ("tinyfuser.ops.div", "RT01"),  # one-line docstring on a function that returns
        ("tinyfuser.Fusion.define_scalar", "SIG002"),  # scalar variant leaks tf::Opaque
        ("tinyfuser.Statement", "CLS001"),  # no __repr__
        ("tinyfuser.ParallelType", "CLS002"),  # enum values without docstrings
        ("tinyfuser.debug_dump", "GL08"),  # undocumented function
        ("tinyfuser.Fusion.inputs", "GL08"),  # undocumented property
    }
    assert planted <= found
    documented = {
        "tinyfuser.set_num_threads",
        "tinyfuser.Fusion.define_tensor",
        "tinyfuser.FusionExecutorCache.execute",
        "tinyfuser.TensorView.parallelize",
    }
    noisy = {(p, c) for p, c in found if p in documented and c not in ("DOC003", "SIG004")}
    assert noisy == set(), "fully documented objects must stay clean"


@pytest.mark.parametrize(
    ("name", "plain_wrong", "ours"),
    [
        # Plain numpydoc takes nanobind's signature line for the summary and sees no params.
        ("tinyfuser.set_num_threads", {"SS02", "SS03", "PR02"}, set()),
        ("tinyfuser.Fusion.define_tensor", {"SS02", "SS03", "PR02"}, set()),
        # And it never reports a missing docstring on a compiled function.
        ("tinyfuser.debug_dump", {"SS02", "SS03"}, {"GL08"}),
    ],
)
def test_numpydoc_codes_right_where_plain_numpydoc_is_wrong(
    demo_report_json: str, name: str, plain_wrong: set[str], ours: set[str]
) -> None:
    plain = {code for code, _ in validate(name)["errors"]}
    assert plain_wrong <= plain
    assert "GL08" not in plain
    numpydoc_codes = {"GL08", "SS01", "SS02", "SS03", "PR01", "PR02", "PR03", "RT01"}
    found = {f["code"] for f in json.loads(demo_report_json)["findings"] if f["path"] == name}
    assert found & numpydoc_codes == ours


def test_forked_rules_find_what_one_process_finds(
    demo_model: ApiModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = rules.run_rules(demo_model, rules.Selection(select=["ALL"]))
    monkeypatch.setattr(rules, "PARALLEL_FROM", 2)
    monkeypatch.setattr(rules.os, "cpu_count", lambda: 2)
    forked = rules.run_rules(demo_model, rules.Selection(select=["ALL"]))
    assert len(serial) > 100
    assert forked == serial


def test_baseline_ratchet(tmp_path: Path, demo_model: ApiModel) -> None:
    report = build_report(demo_model, CoverageConfig())
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, report.findings)
    unchanged = build_report(demo_model, CoverageConfig(baseline=baseline))
    assert unchanged.passed and unchanged.ratchet is not None
    assert (len(unchanged.ratchet.new), len(unchanged.ratchet.fixed)) == (0, 0)
    # A finding that is gone is reported as fixed; a new one fails the gate.
    data = json.loads(baseline.read_text())
    gone = data["findings"].pop(0)
    data["findings"].append({**gone, "path": "tinyfuser.removed_thing"})
    baseline.write_text(json.dumps(data))
    ratchet = build_report(demo_model, CoverageConfig(baseline=baseline))
    assert ratchet.ratchet is not None
    assert [(f.path, f.code) for f in ratchet.ratchet.new] == [(gone["path"], gone["code"])]
    assert [f.path for f in ratchet.ratchet.fixed] == ["tinyfuser.removed_thing"]
    assert ratchet.passed == (gone["severity"] == "info")


def test_compare_counts_duplicates() -> None:
    f = Finding("m.f", "SIG001", "msg")
    result = compare([f, f, f], [f, f])
    assert (len(result.new), result.unchanged, result.fixed) == (1, 2, [])


@pytest.mark.extension
def test_github_annotations_point_at_macro_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["coverage", "tinyfuser", "--format", "github", "--source-dir", "demo/src"]) == 0
    lines = capsys.readouterr().out.splitlines()
    source = (SOURCES / "bindings.cpp").read_text().splitlines()
    for op in ("relu", "add", "maximum"):
        line_no = next(
            i for i, line in enumerate(source, 1) if re.match(rf"\s*TF_\w+_OP\({op}\b", line)
        )
        mine = [line for line in lines if f"tinyfuser.ops.{op}::" in line]
        assert mine and all(f"file=demo/src/bindings.cpp,line={line_no}," in line for line in mine)
    define = next(i for i, line in enumerate(source, 1) if '.def("define_scalar"' in line)
    assert any(
        f"line={define},title=SIG002 tinyfuser.Fusion.define_scalar" in line for line in lines
    )


@pytest.mark.extension
@pytest.mark.parametrize("fmt", ["text", "json", "github", "markdown", "junit", "badge"])
def test_every_format_writes_a_file(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"report.{fmt}"
    assert main(["coverage", "tinyfuser", "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text()
    if fmt == "json":
        assert json.loads(text)["scores"]["overall"] > 0
    elif fmt in ("junit", "badge"):
        ElementTree.fromstring(text)
    assert "tinyfuser" in text or fmt == "badge"


@pytest.mark.extension
def test_gate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "tinyfuser", "--fail-under", "99"]) == 1
    assert "below fail-under 99%" in capsys.readouterr().out
    assert main(["coverage", "tinyfuser", "--select", "NOPE1"]) == 2
    assert main(["coverage", "tinyfuser", "--baseline", str(tmp_path / "missing.json")]) == 2
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.nbapi.coverage]\nfail-under = 'high'\n")
    assert main(["coverage", "tinyfuser", "--config", str(config)]) == 2
    config.write_text("[tool.nbapi.coverage]\nfail_under = 10\n")
    assert main(["coverage", "tinyfuser", "--config", str(config)]) == 2
    assert "unknown key 'fail_under'" in capsys.readouterr().err


@pytest.mark.extension
def test_demo_config_passes_with_its_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "tinyfuser", "--config", str(ROOT / "demo" / "pyproject.toml")]) == 0
    assert "baseline: 0 new, 0 fixed" in capsys.readouterr().out
