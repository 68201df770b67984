"""Parsers for the text nanobind exposes: signatures and docstrings."""
