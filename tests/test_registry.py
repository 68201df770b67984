"""The stage registry: every verb and ``all`` run through ``pipeline.run``, each stage is
declared once and consistently, and a stage added to the registry runs like the others."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from builders import function, model, module, overload, param

import stubgen.pipeline
from stubgen.cli import VERBS, build_parser, main
from stubgen.config import STAGES, Config
from stubgen.model.json_io import model_to_json
from stubgen.pipeline import ALL, PLANS, REGISTRY, Job, Options, Plan, Stage, StageResult
from stubgen.pipeline.job import PRODUCTS, make_job

CLI = Path(stubgen.__file__).parent / "cli.py"

# One command line per verb; each runs with pipeline.run recorded instead of the stages.
COMMANDS = {
    "all": ["all", "pkgx"],
    "model": ["model", "pkgx"],
    "stubs": ["stubs", "pkgx"],
    "verify": ["verify", "pkgx"],
    "check": ["check", "pkgx"],
    "coverage": ["coverage", "pkgx"],
    "diff": ["diff", "old.json", "pkgx"],
    "docs": ["docs", "pkgx"],
    "trace": ["trace", "-m", "pkgx", "--", "true"],
}


def _parser_verbs() -> set[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "verb")  # the subcommands
    assert action.choices is not None
    return set(action.choices)


def test_every_verb_has_a_plan_and_a_command_here() -> None:
    assert _parser_verbs() == set(VERBS) == set(PLANS) == set(COMMANDS)


@pytest.mark.parametrize("verb", sorted(COMMANDS))
def test_every_verb_runs_through_pipeline_run(
    verb: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    seen: list[str] = []

    def recorded(job: Job, plan: str, progress: object = None) -> list[StageResult]:
        seen.append(plan)
        return [StageResult(name, "ok") for name in ("load", *PLANS[plan].stages)]

    monkeypatch.setattr(stubgen.pipeline, "run", recorded)
    assert main(COMMANDS[verb]) == 0
    assert seen == [verb]


def _stubgen_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("stubgen"):
            names.add(node.module or "")
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("stubgen"))
    return names


def test_cli_holds_no_stage_logic() -> None:
    # The command line parses arguments and prints results: it imports no stage's package,
    # no renderer and no writer, only the settings, the errors and the pipeline.
    allowed = {"stubgen", "stubgen.config", "stubgen.errors", "stubgen.load.isolate"}
    imports = _stubgen_imports(CLI)
    assert {n for n in imports if not n.startswith("stubgen.pipeline")} <= allowed


def test_all_runs_the_stages_config_names() -> None:
    assert ALL == STAGES == PLANS["all"].stages


def test_every_stage_declares_what_exists() -> None:
    settings = {f.name for f in dataclasses.fields(Config)}
    options = {f.name for f in dataclasses.fields(Options)}
    for name, stage in REGISTRY.items():
        assert stage.name == name
        assert set(stage.settings) <= settings, name
        assert set(stage.options) <= options, name
        assert set(stage.consumes) | set(stage.makes) <= set(PRODUCTS), name
    for plan in PLANS.values():
        assert set(plan.stages) | set(plan.feeds) <= set(REGISTRY)
        assert all(REGISTRY[f].feed is not None for f in plan.feeds)


@pytest.mark.parametrize("verb", sorted(PLANS))
def test_what_a_stage_consumes_is_made_before_it(verb: str) -> None:
    plan = PLANS[verb]
    made = set(REGISTRY["load"].makes) if plan.loads else set()
    optional = {"stub_files", "report", "changes"}  # a stage works without them
    for name in [*plan.feeds, *plan.stages]:
        stage = REGISTRY[name]
        missing = set(stage.consumes) - made - (optional if verb != "all" else set())
        assert not missing, f"{verb}: {name} consumes {missing} that no stage before it makes"
        made |= set(stage.makes)


def _toy_stage(job: Job) -> StageResult:
    assert job.model is not None
    names = sorted(f.name for f in job.model.module.functions)
    return StageResult("toy", "ok", detail=", ".join(names), output="\n".join(names) + "\n")


def test_a_stage_added_to_the_registry_runs_as_the_others(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # One module's Stage and one registry entry: the run loads, times and reports it.
    recorded = tmp_path / "m.json"
    api = model(module(function("f", overload([param("x")])), function("g", overload([]))))
    recorded.write_text(model_to_json(api), encoding="utf-8")
    monkeypatch.setitem(REGISTRY, "toy", Stage("toy", _toy_stage, options=()))
    monkeypatch.setitem(PLANS, "toy", Plan(("toy",)))
    job = make_job(Config(model_file=recorded), use_cache=False)
    results = stubgen.pipeline.run(job, "toy")
    assert [(r.name, r.status) for r in results] == [("load", "ok"), ("toy", "ok")]
    assert results[1].output == "f\ng\n"


def test_a_guarded_plan_turns_a_stage_error_into_its_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from stubgen.errors import ToolError

    def broken(job: Job) -> StageResult:
        raise ToolError("no input")

    recorded = tmp_path / "m.json"
    recorded.write_text(model_to_json(model(module())), encoding="utf-8")
    monkeypatch.setitem(REGISTRY, "toy", Stage("toy", broken))
    monkeypatch.setitem(PLANS, "toy", Plan(("toy",)))
    monkeypatch.setitem(PLANS, "toy-all", Plan(("toy",), guarded=True))
    config = Config(model_file=recorded)
    with pytest.raises(ToolError, match="no input"):
        stubgen.pipeline.run(make_job(config, use_cache=False), "toy")
    rows = stubgen.pipeline.run(make_job(config, use_cache=False), "toy-all")
    assert [(r.name, r.status, r.detail) for r in rows][1] == ("toy", "failed", "no input")


def test_a_verb_whose_extra_is_missing_names_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from stubgen.pipeline import job as job_module

    recorded = tmp_path / "m.json"
    recorded.write_text(model_to_json(model(module())), encoding="utf-8")
    missing = {"docs": ("sphinx", "nbapi_no_such_theme"), "check": ("nbapi_no_such_checker",)}
    monkeypatch.setattr(job_module, "EXTRAS", missing)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stubs").mkdir()
    for verb, extra, module_name in [
        ("docs", "docs", "nbapi_no_such_theme"),
        ("check", "check", "nbapi_no_such_checker"),
    ]:
        assert main([verb, "--model", str(recorded)]) == 2
        error = capsys.readouterr().err
        assert f"nbapi {verb} needs {module_name}: pip install 'nbapi[{extra}]'" in error
    # In 'all', the stage's row fails and names the extra; the other stages run.
    assert main(["all", "--model", str(recorded), "--skip", "verify,check", "-q"]) == 1
    out = capsys.readouterr().out
    assert "docs      failed" in out and "pip install 'nbapi[docs]'" in out
    assert "coverage  ok" in out


def test_the_extras_name_what_pyproject_declares() -> None:
    import tomllib

    from stubgen.pipeline.job import EXTRAS

    root = Path(stubgen.__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["optional-dependencies"]
    assert set(EXTRAS) <= set(declared)
    assert declared["all"] == [f"nbapi[{','.join(sorted(EXTRAS))}]"]
    # The core brings no module of an extra but Sphinx (which numpydoc itself requires).
    core = " ".join(project["dependencies"]).lower()
    assert not [m for names in EXTRAS.values() for m in names if m != "sphinx" and m in core]
