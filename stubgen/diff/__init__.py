"""API changes between two versions: ``nbapi diff`` and the ``diff`` stage of ``all``.

What other stages use of it: :func:`build_diff` and the :class:`DiffReport` it returns, with
the report's formats (the docs publish a Changes page from it).
"""

from __future__ import annotations

from collections.abc import Callable

from stubgen.config import Config
from stubgen.diff.changes import diff_models
from stubgen.diff.report import FORMATS, DiffReport, FailOn, apply_allowlist
from stubgen.diff.sides import MODEL_SUFFIXES, is_git_ref, side_label, stub_sides
from stubgen.files.findings_file import read_findings
from stubgen.findings import Finding
from stubgen.model.api import ApiModel

__all__ = [
    "FORMATS",
    "MODEL_SUFFIXES",
    "DiffReport",
    "build_diff",
    "diff_models",
    "side_label",
]


def build_diff(
    config: Config,
    new: ApiModel,
    load_side: Callable[[str], ApiModel],
    *,
    old_spec: str | None = None,
    git_ref: bool = False,
    new_label: str | None = None,
    stub_files: dict[str, str] | None = None,
) -> DiffReport:
    """Compare ``new`` with a reference and return the report, allowlist applied.

    Parameters
    ----------
    config : Config
        The settings: pattern files, the reference (``diff_against``), the gate
        (``diff_fail_on``), the allowlist (``diff_allowlist``), the version-like constants
        (``diff_version_names``).
    new : ApiModel
        The new side, pattern files applied.
    load_side : callable
        Loads a model file or a module as a run loads its own
        (:func:`stubgen.pipeline.load_side`).
    old_spec : str, optional
        The old side: a model file, a module, or a git ref whose committed stubs are read;
        default ``config.diff_against``.
    git_ref : bool, optional
        Read ``old_spec`` as a git ref, whatever it looks like (``--against``).
    new_label : str, optional
        How the report names the new side (default: its module).
    stub_files : dict of str to str, optional
        ``new``'s stubs, when the stubs stage rendered them (a git ref's side reads them).

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
    if git_ref or is_git_ref(spec, config.paths):
        old, new = stub_sides(spec, config, new, stub_files)
        label = f"{spec} (stubs)"
    else:
        old, label = load_side(spec), side_label(spec)
    findings = diff_models(old, new, tuple(config.diff_version_names))
    allowed: list[Finding] = []
    if config.diff_allowlist is not None:
        accepted = read_findings(config.diff_allowlist, "allowlist", "--write-allowlist")
        findings, allowed = apply_allowlist(findings, accepted)
    fail_on: FailOn = config.diff_fail_on  # type: ignore[assignment]
    return DiffReport(label, new_label or new.module.path, findings, allowed, fail_on)
