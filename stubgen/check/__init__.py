"""Checks: example user code type-checked against the stubs and run, docstring Examples run."""
