"""The coverage gate: rules and scores over the model, a baseline, and the verdict."""

from __future__ import annotations

from pathlib import Path

from stubgen.config import CoverageConfig
from stubgen.coverage.baseline import compare, read_baseline
from stubgen.coverage.report import CoverageReport
from stubgen.coverage.rules import Selection, run_rules
from stubgen.coverage.scores import compute_scores
from stubgen.coverage.sources import SourceIndex
from stubgen.model.api import ApiModel
from stubgen.model.walk import iter_classes, iter_functions, iter_modules


def _objects(model: ApiModel) -> tuple[list[str], set[str]]:
    paths: list[str] = [fn.path for fn in iter_functions(model)]
    classes: set[str] = set()
    for module in iter_modules(model.module):
        for cls in iter_classes(module.classes):
            classes.add(cls.path)
            paths.append(cls.path)
            paths += [p.path for p in cls.properties]
    return sorted(paths), classes


def build_report(model: ApiModel, config: CoverageConfig) -> CoverageReport:
    """Run the gate on ``model`` with ``config`` and return the report.

    Parameters
    ----------
    model : ApiModel
        The API model.
    config : CoverageConfig
        Rules, excludes, threshold, baseline and binding sources.

    Returns
    -------
    CoverageReport
        Findings, scores, source locations, the baseline comparison and the verdict. The gate
        fails when the overall score is below ``fail_under``, when a baseline is given and
        there are new findings above ``info``, or, without a baseline, on any ``error``.
    """
    selection = Selection(config.select, config.ignore, config.exclude)
    findings = run_rules(model, selection)
    objects, class_paths = _objects(model)
    report = CoverageReport(
        module=model.module.path,
        findings=findings,
        scores=compute_scores(model, selection.excluded),
        objects=[p for p in objects if not selection.excluded(p)],
        fail_under=config.fail_under,
    )
    if config.source_dir is not None:
        index = SourceIndex.scan(Path(config.source_dir))
        for path in {f.path for f in findings} | set(objects):
            where = index.locate(path, class_paths)
            if where is not None:
                report.locations[path] = where
    if config.baseline is not None:
        report.ratchet = compare(findings, read_baseline(config.baseline))
    if config.fail_under is not None and report.overall < config.fail_under:
        report.failures.append(
            f"overall coverage {report.overall:.1f}% is below fail-under {config.fail_under:g}%"
        )
    if report.ratchet is not None:
        new = [f for f in report.ratchet.new if f.severity != "info"]
        if new:
            report.failures.append(f"{len(new)} new findings since the baseline")
    else:
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            report.failures.append(f"{len(errors)} findings of severity error")
    return report
