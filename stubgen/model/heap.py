"""The cyclic collector around work that only adds to a big heap (model reads, Sphinx, forks)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep every object alive now out of the cyclic collector's scans, for a block.

    For work that only adds to a big heap (a Sphinx build, forked workers that would
    otherwise copy the model's pages when the collector touches them). What was frozen
    before the block (the model, by :func:`model_from_json`) stays frozen after it.
    """
    already = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not already:
            gc.unfreeze()


def built_frozen(build: Callable[[], T]) -> T:
    """Return what ``build`` makes, made with the collector paused and then frozen out of it.

    Building makes only live objects: the collector would just rescan them, over and over,
    as they grow. Once built, they are moved to the permanent generation (``gc.freeze``), so
    they no longer cost every collection after; they are still freed when unreferenced.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = build()
        gc.freeze()
        return result
    finally:
        if collecting:
            gc.enable()
