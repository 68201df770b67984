"""Errors the tool reports to users as one clear line (the CLI turns them into exit code 2)."""

from __future__ import annotations

# The exit code of a loader child whose import raised (the error is in its output file).
IMPORT_FAILED = 3


class ToolError(Exception):
    """An input or environment problem that stops a stage; its message is shown as is."""


class LoadError(ToolError):
    """The module could not be imported or inspected in the child process."""
