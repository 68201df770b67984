"""The calls file: the distinct calls a traced run made into the extension, merged and sorted.

One JSON document, one call per line, sorted, so two traces diff line by line::

    {"format": "nbapi-calls/1", "package": "tinyfuser", "calls": [
    {"callee": "tinyfuser.add", "kind": "function", "args": ["int", "int"], ...},
    ...
    ]}

A call names its callee by public path and its ``kind`` (``function``, ``method``,
``static``, ``class``, ``get``, ``set``, ``static-get``, ``static-set``, or ``value``: a
module-level value's type at the end of the run), the types of its
positional and keyword arguments as type expressions, its result's type (or the exception
it raised), the first ``file:line`` that made it and how often it was made.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from stubgen.errors import ToolError
from stubgen.files.writes import write_atomic

FORMAT = "nbapi-calls/1"
# The file stays bounded: at most this many distinct calls per callee.
PER_CALLEE = 64


@dataclass(frozen=True)
class Call:
    """One distinct call observed at run time."""

    callee: str
    kind: str
    args: list[str]
    kwargs: dict[str, str] = field(default_factory=dict)
    returns: str | None = None
    raised: str | None = None
    site: str = "?"
    count: int = 1

    @property
    def private(self) -> bool:
        """Whether the callee lies in a private module or class (the package's own layer)."""
        return any(p.startswith("_") and not p.endswith("__") for p in self.callee.split("."))

    def key(self) -> tuple[object, ...]:
        """Return what makes two calls the same call (the site and the count aside)."""
        return (
            self.callee,
            self.kind,
            tuple(self.args),
            tuple(sorted(self.kwargs.items())),
            self.returns,
            self.raised,
        )


@dataclass
class CallsFile:
    """The calls of one package."""

    package: str
    calls: list[Call]


def merge(package: str, parts: list[list[Call]]) -> CallsFile:
    """Merge the calls of several processes: one entry per distinct call, sorted, bounded.

    The counts add up; the site kept is the first in sorted order, so the result does not
    depend on which process finished first.
    """
    merged: dict[tuple[object, ...], Call] = {}
    for calls in parts:
        for call in calls:
            key = call.key()
            old = merged.get(key)
            if old is None:
                merged[key] = call
            else:
                site = min(old.site, call.site)
                merged[key] = Call(**{**asdict(old), "site": site, "count": old.count + call.count})
    ordered = sorted(merged.values(), key=lambda c: (str(c.key()), c.site))
    per_callee: dict[str, int] = {}
    kept = []
    for call in ordered:
        per_callee[call.callee] = per_callee.get(call.callee, 0) + 1
        if per_callee[call.callee] <= PER_CALLEE:
            kept.append(call)
    return CallsFile(package, kept)


def _call_from(data: object, where: str) -> Call:
    if not isinstance(data, dict):
        raise ToolError(f"{where}: a call is not an object")
    try:
        call = Call(**data)
    except TypeError as exc:
        raise ToolError(f"{where}: not a call ({exc})") from None
    if not isinstance(call.callee, str) or not isinstance(call.args, list):
        raise ToolError(f"{where}: a call needs a callee and a list of args")
    return call


def read_process_file(path: Path) -> tuple[str, list[Call]]:
    """Read what one traced process wrote (:meth:`stubgen.trace.recorder.Recorder.dump`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["package"], [_call_from(row, str(path)) for row in data["calls"]]


def write_calls(path: Path, calls: CallsFile) -> None:
    """Write ``calls`` to ``path`` atomically, one call per line."""
    lines = [json.dumps(asdict(call), sort_keys=True) for call in calls.calls]
    head = json.dumps({"format": FORMAT, "package": calls.package})[:-1]
    text = head + ', "calls": [\n' + ",\n".join(lines) + ("\n" if lines else "") + "]}\n"
    write_atomic(path, text)


def read_calls(path: Path) -> CallsFile:
    """Read a calls file written by ``nbapi trace``.

    Raises
    ------
    ToolError
        When the file is missing or is not a calls file.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ToolError(f"calls file {path} does not exist (write it with 'nbapi trace')") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ToolError(f"calls file {path} cannot be read: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ToolError(f"{path} is not a calls file written by 'nbapi trace' ({FORMAT})")
    rows = data.get("calls")
    if not isinstance(rows, list) or not isinstance(data.get("package"), str):
        raise ToolError(f"{path} is not a calls file: no package or no list of calls")
    return CallsFile(
        data["package"], [_call_from(r, f"{path}: call {i + 1}") for i, r in enumerate(rows)]
    )
