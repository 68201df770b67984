"""One settings resolver: each verb alone and the same stage inside ``all`` read the same
``[tool.nbapi]``, environment and flags, and fail the same way.

Each row is a configuration (the bugs found when the verbs had their own reading), a verb,
and the exit code both runs must give.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from stubgen.cli import main
from stubgen.config import resolve_settings
from stubgen.errors import ToolError

ROOT = Path(__file__).parent.parent
STAGES = ("stubs", "verify", "check", "coverage", "docs")


@dataclass
class Row:
    config: str
    verb: str
    exit: int
    argv: list[str] = field(default_factory=list)
    written: str | None = None  # a path both runs must create
    files: dict[str, str] = field(default_factory=dict)  # written into the project first


MODULE = '[tool.nbapi]\nmodule = "tinyfuser"\n'
ROWS = {
    "module from the config, stubs": Row(
        MODULE + 'stubs-dir = "mystubs"\n', "stubs", 0, written="mystubs/tinyfuser/__init__.pyi"
    ),
    "module from the config, coverage": Row(MODULE, "coverage", 0),
    "module from the config, verify": Row(MODULE, "verify", 0),
    "module from the config, docs": Row(MODULE, "docs", 0, written="docs/_build/html/index.html"),
    "unknown code in select": Row(
        MODULE + '[tool.nbapi.coverage]\nselect = ["SIG999"]\n', "coverage", 2
    ),
    "unknown code in ignore, any verb": Row(
        MODULE + '[tool.nbapi.coverage]\nignore = ["XYZ1"]\n', "stubs", 2
    ),
    "no checks folder: Examples only": Row(MODULE, "check", 0),
    "configured checks folder missing": Row(MODULE + 'checks-dir = "nowhere"\n', "check", 2),
    "module found through paths from the config": Row(
        '[tool.nbapi]\nmodule = "onlyhere"\npaths = ["extra"]\ntimeout = 60\n',
        "stubs",
        0,
        written="stubs/onlyhere.pyi",
        files={"extra/onlyhere.py": 'def f(x: int) -> int:\n    """Return x."""\n    return x\n'},
    ),
    "no module anywhere": Row('[tool.nbapi]\nstubs-dir = "s"\n', "stubs", 2),
    "unknown key": Row(MODULE + "colour = 1\n", "coverage", 2),
    "docs order neither name nor binding": Row(
        MODULE + '[tool.nbapi.docs]\norder = "random"\n', "docs", 2
    ),
    "docs groups not globs": Row(MODULE + "[tool.nbapi.docs.groups]\nPointwise = 3\n", "docs", 2),
    "source-dir missing": Row(
        MODULE + '[tool.nbapi.coverage]\nsource-dir = "src"\n', "coverage", 2
    ),
}


def _run(project: Path, argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.chdir(project)
    return main(argv)


@pytest.mark.extension
@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_verb_alone_and_inside_all_agree(
    row: Row, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for name, argv in (
        ("alone", [row.verb, *row.argv]),
        (
            "all",
            [
                "all",
                "--no-cache",
                "-q",
                "--skip",
                ",".join(s for s in STAGES if s not in (row.verb, "stubs")),
                *row.argv,
            ],
        ),
    ):
        project = tmp_path / name
        project.mkdir()
        (project / "pyproject.toml").write_text(row.config, encoding="utf-8")
        (project / "extra").mkdir()
        for relative, text in row.files.items():
            (project / relative).write_text(text, encoding="utf-8")
        if row.verb in ("verify", "check") and name == "alone":
            assert _run(project, ["stubs"], monkeypatch) in (0, 2)
        results.append(_run(project, argv, monkeypatch))
        if row.written and results[-1] == 0:
            assert (project / row.written).is_file(), f"{name} did not write {row.written}"
    assert results == [row.exit, row.exit]


def test_file_then_environment_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.nbapi]\nmodule = "a"\ntimeout = 5\nstubs-dir = "from-file"\n')
    from stubgen.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["stubs", "--config", str(config)])
    settings = resolve_settings(args, environ={"NBAPI_TIMEOUT": "7", "NBAPI_MODULE": "b"})
    assert (settings.module, settings.timeout) == ("b", 7.0)
    assert settings.stubs_dir == tmp_path / "from-file"
    args = parser.parse_args(
        ["stubs", "c", "-o", "flag", "--timeout", "9", "--config", str(config)]
    )
    settings = resolve_settings(args, environ={"NBAPI_TIMEOUT": "7", "NBAPI_MODULE": "b"})
    assert (settings.module, settings.timeout, settings.stubs_dir) == ("c", 9.0, Path("flag"))
    with pytest.raises(ToolError, match="NBAPI_TIMEOUT"):
        resolve_settings(parser.parse_args(["stubs", "x"]), environ={"NBAPI_TIMEOUT": "soon"})


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("nbapi ")


@pytest.mark.extension
def test_default_paths_are_relative_to_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(MODULE)
    monkeypatch.chdir(tmp_path)  # elsewhere: the defaults follow the file, not the cwd
    assert main(["stubs", "--config", str(project / "pyproject.toml"), "-q"]) == 0
    assert (project / "stubs" / "tinyfuser" / "__init__.pyi").is_file()
    assert not (tmp_path / "stubs").exists()
