"""Readers of the texts bindings expose.

nanobind signatures, pybind11 signature lines, docstrings of every style, nanobind pattern
files (through the adapter to nanobind.stubgen).
"""
