"""The changes between two versions as a report: the gate's verdict, allowed breaks, formats.

The formats are coverage's: ``text``, ``github`` (workflow annotations), ``markdown`` (a step
summary), ``json`` and ``junit``. An allowlist is a file in the coverage baseline's form
(:mod:`stubgen.coverage`'s ``--write-baseline``): the breaks it lists were accepted and no
longer fail the gate.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from stubgen.files.finding_formats import GITHUB_LEVELS, github_escape, junit_suite
from stubgen.findings import Finding

FailOn = Literal["breaking", "warning", "any", "none"]  # stubgen.config.DIFF_FAIL_ON
_FAILING = {
    "breaking": {"error"},
    "warning": {"error", "warning"},
    "any": {"error", "warning", "info"},
    "none": set(),
}
_KINDS = {"error": "breaking", "warning": "may break", "info": "compatible"}


@dataclass
class DiffReport:
    """What changed from ``old`` to ``new``, the allowed breaks, and the gate's setting."""

    old: str
    new: str
    findings: list[Finding] = field(default_factory=list)
    allowed: list[Finding] = field(default_factory=list)
    fail_on: FailOn = "breaking"

    @property
    def failing(self) -> list[Finding]:
        """The changes that fail the gate: of the ``fail_on`` severities, not allowed."""
        return [f for f in self.findings if f.severity in _FAILING[self.fail_on]]

    @property
    def passed(self) -> bool:
        """Tell whether the gate passes."""
        return not self.failing

    def counts(self) -> dict[str, int]:
        """Count the changes by kind: breaking, may break, compatible."""
        counter = Counter(_KINDS[f.severity] for f in self.findings)
        return {kind: counter.get(kind, 0) for kind in _KINDS.values()}


def apply_allowlist(
    findings: list[Finding], allowlist: list[Finding]
) -> tuple[list[Finding], list[Finding]]:
    """Split ``findings`` into those not in ``allowlist`` and those it accepts."""
    accepted = {(f.path, f.code, f.message) for f in allowlist}
    kept = [f for f in findings if (f.path, f.code, f.message) not in accepted]
    allowed = [f for f in findings if (f.path, f.code, f.message) in accepted]
    return kept, allowed


def _summary(report: DiffReport) -> str:
    counts = report.counts()
    text = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    allowed = f", {len(report.allowed)} allowed" if report.allowed else ""
    verdict = "passed" if report.passed else f"failed (--fail-on {report.fail_on})"
    return f"{report.old} -> {report.new}: {text}{allowed}; {verdict}"


def render_text(report: DiffReport) -> str:
    """Render the changes grouped by object, then the counts and the verdict."""
    lines: list[str] = []
    by_object: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_object.setdefault(f.path, []).append(f)
    for path, items in by_object.items():
        lines.append(path)
        lines += [f"  {f.code} {_KINDS[f.severity]}: {f.message}" for f in items]
    if lines:
        lines.append("")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _finding_data(f: Finding) -> dict[str, str]:
    return {
        "path": f.path,
        "code": f.code,
        "kind": _KINDS[f.severity],
        "severity": f.severity,
        "message": f.message,
    }


def render_json(report: DiffReport) -> str:
    """Render the report as JSON: the sides, the verdict, counts, changes, allowed ones."""
    data = {
        "old": report.old,
        "new": report.new,
        "passed": report.passed,
        "fail_on": report.fail_on,
        "counts": report.counts(),
        "changes": [_finding_data(f) for f in report.findings],
        "allowed": [_finding_data(f) for f in report.allowed],
    }
    return json.dumps(data, indent=2) + "\n"


def render_github(report: DiffReport) -> str:
    """Render GitHub workflow commands: one annotation per change."""
    lines = []
    for f in report.findings:
        title = github_escape(f"{f.code} {f.path}", prop=True)
        lines.append(f"::{GITHUB_LEVELS[f.severity]} title={title}::{github_escape(f.message)}")
    if not report.passed:
        lines.append(f"::error title=API changes::{github_escape(_summary(report))}")
    return "\n".join(lines) + "\n"


def render_markdown(report: DiffReport) -> str:
    """Render a Markdown step summary: the verdict, counts, and a table of the changes."""
    lines = [f"## API changes: {_summary(report)}", ""]
    if report.findings:
        lines += ["| object | code | kind | change |", "| --- | --- | --- | --- |"]
        for f in report.findings:
            message = f.message.replace("|", "\\|")
            lines.append(f"| `{f.path}` | {f.code} | {_KINDS[f.severity]} | {message} |")
    if report.allowed:
        lines += ["", f"{len(report.allowed)} accepted breaks (allowlist):"]
        lines += [f"- `{f.path}` {f.code} {f.message}" for f in report.allowed]
    return "\n".join(lines) + "\n"


def render_junit(report: DiffReport) -> str:
    """Render JUnit XML: a test case per changed object; failing changes fail it."""
    by_object: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_object.setdefault(f.path, []).append(f)
    failing = _FAILING[report.fail_on]
    name = f"API changes {report.old} -> {report.new}"
    return junit_suite(name, by_object, lambda f: f.severity in failing)


FORMATS: dict[str, Callable[[DiffReport], str]] = {
    "text": render_text,
    "github": render_github,
    "markdown": render_markdown,
    "json": render_json,
    "junit": render_junit,
}
