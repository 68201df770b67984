"""Stubs: the model rendered as a PEP 561 tree of ``.pyi`` files, clean by construction."""
