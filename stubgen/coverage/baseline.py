"""The baseline: today's findings recorded in a file, so the gate fails only on new ones."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from stubgen.files.findings_file import read_findings, write_findings
from stubgen.findings import Finding


@dataclass
class Ratchet:
    """Findings compared with a baseline: new ones, fixed ones, and how many are unchanged."""

    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    unchanged: int = 0


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.path, f.code, f.message)


def write_baseline(path: Path, findings: list[Finding]) -> None:
    """Record ``findings`` as the baseline at ``path`` (sorted JSON, written atomically)."""
    write_findings(path, findings)


def read_baseline(path: Path) -> list[Finding]:
    """Read a baseline written by :func:`write_baseline`.

    Raises
    ------
    ToolError
        If the file is missing or not a baseline.
    """
    return read_findings(path, "baseline", "--write-baseline")


def compare(findings: list[Finding], baseline: list[Finding]) -> Ratchet:
    """Split ``findings`` into new and known ones, and list baseline entries now fixed.

    Findings are matched on path, code and message, as many times as each occurs.
    """
    known = Counter(_key(f) for f in baseline)
    current = Counter(_key(f) for f in findings)
    ratchet = Ratchet()
    seen: Counter[tuple[str, str, str]] = Counter()
    for f in findings:
        seen[_key(f)] += 1
        if seen[_key(f)] > known[_key(f)]:
            ratchet.new.append(f)
        else:
            ratchet.unchanged += 1
    left = known - current
    for f in baseline:
        if left[_key(f)] > 0:
            left[_key(f)] -= 1
            ratchet.fixed.append(f)
    return ratchet
