"""The all verb: one run of every stage from one config, cached re-runs, the gate, config errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from stubgen.cli import main

pytestmark = pytest.mark.extension  # every test here runs a built extension

ROOT = Path(__file__).parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: the demo's settings, outputs in tmp, the repo's checks and sources."""
    shutil.copy(ROOT / "demo" / "coverage-baseline.json", tmp_path / "baseline.json")
    shutil.copytree(
        ROOT / "docs" / "source", tmp_path / "docs", ignore=shutil.ignore_patterns("api")
    )
    (tmp_path / "pyproject.toml").write_text(f"""
[tool.nbapi]
module = "tinyfuser"
stubs-dir = "stubs"
checks-dir = "{ROOT / "checks"}"
docs-source = "docs"
docs-output = "html"
reports-dir = "reports"
pattern-files = ["{ROOT / "demo" / "tinyfuser.pat"}"]
diff-against = "{ROOT / "demo" / "history" / "tinyfuser-0.9.model.json"}"
diff-fail-on = "none"

[tool.nbapi.coverage]
source-dir = "{ROOT / "demo" / "src"}"
baseline = "baseline.json"
fail-under = 50
""")
    return tmp_path


def run(project: Path, *extra: str) -> int:
    return main(["all", "--config", str(project / "pyproject.toml"), "-q", *extra])


def statuses(out: str) -> dict[str, str]:
    rows = [line.split() for line in out.splitlines()[2:] if line.startswith("  ")]
    return {row[0]: row[1] for row in rows if row[0] != "total"}


def test_all_writes_everything_then_skips_unchanged_work(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project) == 0
    first = statuses(capsys.readouterr().out)
    stages = ("load", "stubs", "verify", "check", "coverage", "diff", "docs")
    assert first == {s: "ok" for s in stages}
    assert (project / "stubs" / "tinyfuser" / "ops.pyi").is_file()
    assert json.loads((project / "reports" / "diff.json").read_text())["counts"]["breaking"] == 22
    assert (project / "html" / "api" / "changes.html").is_file()
    assert json.loads((project / "reports" / "coverage.json").read_text())["passed"] is True
    assert (project / "html" / "api" / "tinyfuser.ops.html").is_file()
    assert run(project) == 0
    second = statuses(capsys.readouterr().out)
    assert second == {**{s: "cached" for s in first}, "coverage": "ok", "diff": "ok"}
    # Touching an input re-runs exactly the stages that read it.
    (project / "stubs" / "tinyfuser" / "ops.pyi").write_text("# edited\n")
    assert run(project) == 0
    third = statuses(capsys.readouterr().out)
    assert third["stubs"] == "ok" and third["load"] == "cached" and third["docs"] == "cached"
    # Skipping a stage invalidates no other: nothing is imported, nothing runs again.
    assert run(project, "--skip", "check") == 0
    fourth = statuses(capsys.readouterr().out)
    assert fourth == {**{s: "cached" for s in first}, "coverage": "ok", "diff": "ok"} | {
        "check": "skipped"
    }


def test_planted_regression_fails_the_gate(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = json.loads((project / "baseline.json").read_text())
    baseline["findings"] = [f for f in baseline["findings"] if f["code"] != "SIG001"]
    (project / "baseline.json").write_text(json.dumps(baseline))
    assert run(project, "--skip", "docs,check") == 1
    out = capsys.readouterr().out
    assert statuses(out)["coverage"] == "failed" and "failed: coverage" in out


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[tool.nbapi]\nmodule = "tinyfuser"\nstub-dir = "x"\n',
            "unknown key [tool.nbapi] 'stub-dir'",
        ),
        ("[tool.nbapi]\nmodule = 3\n", "module must be a string"),
        ('[tool.nbapi]\nskip = ["docs", "lint"]\nmodule = "tinyfuser"\n', "unknown stage 'lint'"),
        ("[tool.nbapi]\n", "no module given"),
        ("[tool.nbapi\n", "not valid TOML"),
    ],
)
def test_config_errors_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, message: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(toml)
    assert main(["all", "--config", str(tmp_path / "pyproject.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_every_config_problem_is_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = '[tool.nbapi]\nmodule = 3\nstub-dir = "x"\ntimeout = -5\nprobe = "yes"\n'
    toml += "[tool.nbapi.coverage]\nfail_under = 80\n"
    (tmp_path / "pyproject.toml").write_text(toml)
    assert main(["all", "--config", str(tmp_path / "pyproject.toml")]) == 2
    err = capsys.readouterr().err
    assert "unknown key [tool.nbapi] 'stub-dir' (did you mean 'stubs-dir'?)" in err
    assert "unknown key 'fail_under' (did you mean 'fail-under'?)" in err
    assert "module must be a string" in err and "probe must be true or false" in err
    assert "timeout must be a number of seconds above 0" in err


def test_the_summary_is_printed_whatever_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    config = tmp_path / "pyproject.toml"
    config.write_text(
        f'[tool.nbapi]\nmodule = "tinyfuser"\nreports-dir = "{blocker / "reports"}"\n'
        'skip = ["docs", "check"]\n'
    )
    assert main(["all", "--config", str(config), "-q", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "coverage  failed" in out and f"cannot write {blocker / 'reports'}" in out
    assert "stubs     ok" in out  # the other stages ran
    config.write_text('[tool.nbapi]\nmodule = "no_such_module_here"\n')
    assert main(["all", "--config", str(config), "-q", "--no-cache"]) == 2
    captured = capsys.readouterr()
    assert "load      failed" in captured.out and "docs      skipped" in captured.out
    assert captured.err.startswith("nbapi: error: importing 'no_such_module_here' failed")
