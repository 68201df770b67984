"""Docs: the model rendered as Sphinx pages, the Sphinx build and its extensions."""
