"""Checks: example user code type-checked against the stubs and run, docstring Examples run."""

from stubgen.check.cases import run_mypy

__all__ = ["run_mypy"]
