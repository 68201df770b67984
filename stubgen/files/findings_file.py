"""Findings recorded in a file: the coverage baseline and the diff allowlist share this form."""

from __future__ import annotations

import json
from pathlib import Path

from stubgen.errors import ToolError
from stubgen.files.writes import write_atomic
from stubgen.findings import Finding

FINDINGS_FILE_VERSION = 1


def write_findings(path: Path, findings: list[Finding]) -> None:
    """Record ``findings`` at ``path`` (sorted JSON, written atomically)."""
    entries = [
        {"path": f.path, "code": f.code, "message": f.message, "severity": f.severity}
        for f in sorted(findings)
    ]
    text = json.dumps({"version": FINDINGS_FILE_VERSION, "findings": entries}, indent=2)
    write_atomic(path, text + "\n")


def read_findings(path: Path, what: str, create: str) -> list[Finding]:
    """Read findings written by :func:`write_findings`.

    Parameters
    ----------
    path : Path
        The file.
    what : str
        What the file is to the user (``baseline``, ``allowlist``), for the errors.
    create : str
        How to create it (``--write-baseline``), for the error when it is missing.

    Raises
    ------
    ToolError
        If the file is missing or not such a file.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != FINDINGS_FILE_VERSION:
            raise ValueError(f"version {data.get('version')!r}")
        return [
            Finding(e["path"], e["code"], e["message"], e.get("severity", "warning"))
            for e in data["findings"]
        ]
    except FileNotFoundError:
        raise ToolError(f"{what} {path} does not exist (create it with {create})") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ToolError(
            f"{what} {path} is not a{'n' if what[0] in 'aeiou' else ''} {what} file: {exc}"
        ) from exc
