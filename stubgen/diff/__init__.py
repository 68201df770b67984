"""API changes between two versions: ``nbapi diff`` and the ``diff`` stage of ``all``.

What other stages use of it: :func:`build_diff` and the :class:`DiffReport` it returns, with
the report's formats (the docs publish a Changes page from it).
"""

from __future__ import annotations

import sys
from importlib.machinery import PathFinder
from pathlib import Path

from stubgen.config import Config
from stubgen.diff.changes import diff_models
from stubgen.diff.report import FAIL_ON, FORMATS, DiffReport, FailOn, apply_allowlist
from stubgen.diff.sides import is_model_file, load_side, stub_sides
from stubgen.files.findings_file import read_findings
from stubgen.findings import Finding
from stubgen.model.api import ApiModel

__all__ = [
    "FAIL_ON",
    "FORMATS",
    "DiffReport",
    "build_diff",
    "diff_models",
    "load_side",
]


def build_diff(
    config: Config,
    new: ApiModel,
    *,
    old_spec: str | None = None,
    git_ref: bool = False,
    new_label: str | None = None,
) -> DiffReport:
    """Compare ``new`` with a reference and return the report, allowlist applied.

    Parameters
    ----------
    config : Config
        The settings: pattern files, the reference (``diff_against``), the gate
        (``diff_fail_on``), the allowlist (``diff_allowlist``).
    new : ApiModel
        The new side, pattern files applied.
    old_spec : str, optional
        The old side: a model file, a module, or a git ref whose committed stubs are read;
        default ``config.diff_against``.
    git_ref : bool, optional
        Read ``old_spec`` as a git ref, whatever it looks like (``--against``).
    new_label : str, optional
        How the report names the new side (default: its module).

    Returns
    -------
    DiffReport
        The changes, those the allowlist accepts, and the gate's setting.

    Raises
    ------
    ToolError
        If a side cannot be read or loaded, or the allowlist is not one.
    """
    spec = old_spec or config.diff_against
    if not spec:
        raise ValueError("no reference to compare with")
    model_like = spec.endswith((".json", ".json.gz")) or _importable(spec, config.paths)
    if not git_ref and (is_model_file(spec) or model_like):
        old = load_side(spec, config)
        spec = Path(spec).name if is_model_file(spec) else spec
    else:
        old, new = stub_sides(spec, config, new)
        spec = f"{spec} (stubs)"
    findings = diff_models(old, new)
    allowed: list[Finding] = []
    if config.diff_allowlist is not None:
        accepted = read_findings(config.diff_allowlist, "allowlist", "--write-allowlist")
        findings, allowed = apply_allowlist(findings, accepted)
    fail_on: FailOn = config.diff_fail_on  # type: ignore[assignment]
    return DiffReport(spec, new_label or new.module.path, findings, allowed, fail_on)


def _importable(spec: str, paths: list[str]) -> bool:
    """Tell whether ``spec`` reads as a module name rather than a git ref (``v1.2``, ``HEAD~1``).

    A dotted name of identifiers is taken as a module when its top package can be found on
    the import path (``paths`` first); nothing is imported.
    """
    parts = spec.split(".")
    if not all(p.isidentifier() for p in parts):
        return False
    return PathFinder.find_spec(parts[0], [*paths, *sys.path]) is not None
