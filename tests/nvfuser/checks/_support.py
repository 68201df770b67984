"""Helpers for check cases."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def raises(kind: type[BaseException]) -> Iterator[None]:
    """Expect the block to raise ``kind`` at runtime (a must-fail line that also fails there)."""
    try:
        yield
    except kind:
        return
    raise AssertionError(f"expected {kind.__name__}")
