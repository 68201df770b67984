"""The baseline: today's findings recorded in a file, so the gate fails only on new ones."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from stubgen.errors import ToolError
from stubgen.files.writes import write_atomic
from stubgen.findings import Finding

BASELINE_VERSION = 1


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
    entries = [
        {"path": f.path, "code": f.code, "message": f.message, "severity": f.severity}
        for f in sorted(findings)
    ]
    text = json.dumps({"version": BASELINE_VERSION, "findings": entries}, indent=2)
    write_atomic(path, text + "\n")


def read_baseline(path: Path) -> list[Finding]:
    """Read a baseline written by :func:`write_baseline`.

    Raises
    ------
    ToolError
        If the file is missing or not a baseline.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != BASELINE_VERSION:
            raise ValueError(f"version {data.get('version')!r}")
        return [
            Finding(e["path"], e["code"], e["message"], e.get("severity", "warning"))
            for e in data["findings"]
        ]
    except FileNotFoundError:
        raise ToolError(
            f"baseline {path} does not exist (create it with --write-baseline)"
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ToolError(f"baseline {path} is not a baseline file: {exc}") from exc


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
