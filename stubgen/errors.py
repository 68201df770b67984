"""Errors the tool reports to users as one clear line (the CLI turns them into exit code 2)."""

from __future__ import annotations


class ToolError(Exception):
    """An input or environment problem that stops a stage; its message is shown as is."""


class LoadError(ToolError):
    """The module could not be imported or inspected in the child process."""
