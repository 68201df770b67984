"""Coverage report formats, chosen at the very end: text, JSON, GitHub, Markdown, JUnit, badge."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from stubgen.coverage.baseline import Ratchet
from stubgen.coverage.scores import METRICS, Scores, format_percent
from stubgen.coverage.sources import Location
from stubgen.files.finding_formats import GITHUB_LEVELS, github_escape, junit_suite
from stubgen.findings import Finding


@dataclass
class CoverageReport:
    """Everything a coverage run found, ready to be written in any format."""

    module: str
    findings: list[Finding]
    scores: dict[str, Scores]
    objects: list[str] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    ratchet: Ratchet | None = None
    fail_under: float | None = None
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when the gate passes."""
        return not self.failures

    @property
    def overall(self) -> float:
        """The package's overall score in percent."""
        overall = self.scores[""].overall
        return 0.0 if overall is None else overall  # a package with nothing to measure

    def shown(self) -> list[Finding]:
        """Return the findings to point at: the new ones with a baseline, else all."""
        return self.ratchet.new if self.ratchet is not None else self.findings


_METRIC_LABELS = {
    "documented": "documented",
    "named_arguments": "named arguments",
    "typed_signatures": "typed signatures",
    "sections": "doc sections",
}
_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}


def render_text(report: CoverageReport, colour: bool = False) -> str:
    """Render human text: findings by object, counts per code, scores and the verdict."""

    def paint(text: str, severity: str) -> str:
        return f"{_COLOURS[severity]}{text}\033[0m" if colour else text

    lines: list[str] = []
    by_object: dict[str, list[Finding]] = {}
    for f in report.shown():
        by_object.setdefault(f.path, []).append(f)
    for path, items in by_object.items():
        where = report.locations.get(path)
        lines.append(f"{path}" + (f"  ({where[0]}:{where[1]})" if where else ""))
        lines += [f"  {paint(f.code, f.severity)} {f.message}" for f in items]
    counts = Counter(f.code for f in report.shown())
    if counts:
        lines += ["", "findings by code:"]
        lines += [f"  {code}  {n}" for code, n in sorted(counts.items())]
    lines += ["", f"coverage of {report.module}:"]
    overall = report.scores[""]
    for metric in METRICS:
        tally = getattr(overall, metric)
        label = _METRIC_LABELS[metric]
        percent = format_percent(tally.percent)
        lines.append(f"  {label:<17} {percent:>6}  ({tally.passed}/{tally.total})")
    lines.append(f"  {'overall':<17} {format_percent(overall.overall):>6}")
    if report.ratchet is not None:
        r = report.ratchet
        lines.append(
            f"baseline: {len(r.new)} new, {len(r.fixed)} fixed, {r.unchanged} unchanged"
            " (--no-baseline lists them all)"
        )
        lines += [f"  fixed: {f}" for f in r.fixed]
    verdict = "passed" if report.passed else "FAILED: " + "; ".join(report.failures)
    lines.append(f"gate {verdict}")
    return "\n".join(lines) + "\n"


def _finding_data(f: Finding, report: CoverageReport) -> dict[str, object]:
    where = report.locations.get(f.path)
    return {
        "path": f.path,
        "code": f.code,
        "severity": f.severity,
        "message": f.message,
        "file": where[0] if where else None,
        "line": where[1] if where else None,
    }


def render_json(report: CoverageReport) -> str:
    """Render JSON: scores per module, counts, findings, baseline and the verdict."""
    data = {
        "module": report.module,
        "passed": report.passed,
        "failures": report.failures,
        "fail_under": report.fail_under,
        "scores": report.scores[""].as_dict(),
        "modules": {path: s.as_dict() for path, s in report.scores.items() if path},
        "counts": dict(sorted(Counter(f.code for f in report.findings).items())),
        "findings": [_finding_data(f, report) for f in report.findings],
        "baseline": None
        if report.ratchet is None
        else {
            "new": [_finding_data(f, report) for f in report.ratchet.new],
            "fixed": [_finding_data(f, report) for f in report.ratchet.fixed],
            "unchanged": report.ratchet.unchanged,
        },
    }
    return _json_rows(data) + "\n"


def _json_rows(value: object, indent: str = "") -> str:
    """Write JSON as ``indent=2`` would, but each finding (a dict in a list) on one line.

    Big reports hold hundreds of thousands of findings; a line each keeps them readable and
    diffable, and lets the C encoder write them (``indent`` turns it off): 5x faster.
    """
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k)}: {_json_rows(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and value:
        if all(isinstance(row, dict) for row in value):
            rows = [inner + json.dumps(row) for row in value]
        else:
            rows = [inner + _json_rows(item, inner) for item in value]
        return "[\n" + ",\n".join(rows) + f"\n{indent}]"
    return json.dumps(value)


def render_github(report: CoverageReport) -> str:
    """Render GitHub workflow commands: one annotation per finding, on its C++ line."""
    lines = []
    for f in report.shown():
        props = [f"title={github_escape(f'{f.code} {f.path}', prop=True)}"]
        where = report.locations.get(f.path)
        if where:
            props = [f"file={github_escape(where[0], prop=True)}", f"line={where[1]}", *props]
        level = GITHUB_LEVELS[f.severity]
        lines.append(f"::{level} {','.join(props)}::{github_escape(f.message)}")
    if not report.passed:
        lines.append(
            f"::error title=API coverage gate::{github_escape('; '.join(report.failures))}"
        )
    return "\n".join(lines) + "\n"


def render_markdown(report: CoverageReport) -> str:
    """Render a Markdown step summary: scores, a table by module, counts, the verdict."""
    overall = report.scores[""]
    status = "passed" if report.passed else "failed: " + "; ".join(report.failures)
    total = format_percent(overall.overall)
    lines = [f"## API coverage of `{report.module}`: {total} ({status})", ""]
    lines += ["| metric | score | objects |", "| --- | ---: | ---: |"]
    for metric in METRICS:
        tally = getattr(overall, metric)
        lines.append(
            f"| {_METRIC_LABELS[metric]} | {format_percent(tally.percent)} |"
            f" {tally.passed}/{tally.total} |"
        )
    lines += ["", "| module | " + " | ".join(_METRIC_LABELS[m] for m in METRICS) + " | overall |"]
    lines.append("| --- |" + " ---: |" * (len(METRICS) + 1))
    for path, scores in report.scores.items():
        if path:
            cells = [format_percent(v) for v in scores.as_dict().values()]
            lines.append(f"| `{path}` | " + " | ".join(cells) + " |")
    counts = Counter(f.code for f in report.shown())
    if counts:
        lines += ["", "| code | findings |", "| --- | ---: |"]
        lines += [f"| {code} | {n} |" for code, n in sorted(counts.items())]
    if report.ratchet is not None:
        r = report.ratchet
        lines += ["", f"Baseline: {len(r.new)} new, {len(r.fixed)} fixed, {r.unchanged} unchanged."]
        lines += [f"- new: `{f.path}` {f.code} {f.message}" for f in r.new[:50]]
        lines += [f"- fixed: `{f.path}` {f.code} {f.message}" for f in r.fixed[:50]]
    return "\n".join(lines) + "\n"


def render_junit(report: CoverageReport) -> str:
    """Render JUnit XML: a test case per object; warnings and errors fail it."""
    by_object: dict[str, list[Finding]] = {path: [] for path in report.objects}
    for f in report.shown():
        by_object.setdefault(f.path, []).append(f)
    name = f"API coverage {report.module}"
    return junit_suite(name, by_object, lambda f: f.severity != "info")


def render_badge(report: CoverageReport) -> str:
    """Render an SVG badge in the usual flat style: ``api coverage | 73%``."""
    value = f"{report.overall:.0f}%"
    colour = "#4c1" if report.overall >= 90 else "#dfb317" if report.overall >= 60 else "#e05d44"
    left, right = 86, 8 + 8 * len(value)
    width = left + right
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="api coverage: {value}"><title>api coverage: {value}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" text-anchor="middle" font-family="Verdana,sans-serif" font-size="11">'
        f'<text x="{left / 2}" y="14">api coverage</text>'
        f'<text x="{left + right / 2}" y="14">{value}</text></g></svg>\n'
    )


FORMATS: dict[str, Callable[[CoverageReport], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "markdown": render_markdown,
    "junit": render_junit,
    "badge": render_badge,
}
