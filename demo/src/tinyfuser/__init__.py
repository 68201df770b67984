"""tinyfuser: a miniature elementwise fusion compiler (the demo extension).

The compiled bindings live in the private module ``tinyfuser._C``; everything
public is re-exported here, so users write ``import tinyfuser as tf`` and reach
the ops as ``tf.ops.add``.
"""

from __future__ import annotations

from typing import Any

from . import _C, targets
from ._C import (
    MAX_DIMS,
    DataType,
    Fusion,
    FusionError,
    FusionExecutorCache,
    OutputList,
    ParallelType,
    ScalarLike,
    SchedulerParams,
    Statement,
    TensorView,
    Val,
    debug_dump,
    default_target,
    get_num_threads,
    ops,
    set_num_threads,
)

__version__ = "0.1.0"

__all__ = [
    "MAX_DIMS",
    "DataType",
    "Fusion",
    "FusionError",
    "FusionExecutorCache",
    "OutputList",
    "ParallelType",
    "ScalarLike",
    "SchedulerParams",
    "Statement",
    "TensorView",
    "Val",
    "__version__",
    "debug_dump",
    "default_target",
    "get_num_threads",
    "ops",
    "run",
    "set_num_threads",
    "targets",
]


def run(fusion: Fusion, *args: Any, **kwargs: Any) -> list[Any]:
    """Compile and run a fusion in one call.

    A pure-Python convenience wrapper that forwards everything to
    :meth:`FusionExecutorCache.execute`, as the first user's package does.

    Parameters
    ----------
    fusion : Fusion
        The fusion to run.
    *args, **kwargs
        Forwarded to :meth:`FusionExecutorCache.execute`.

    Returns
    -------
    list of numpy.ndarray
        One array per output.

    Examples
    --------
    >>> import numpy as np
    >>> import tinyfuser as tf
    >>> fusion = tf.Fusion()
    >>> fusion.add_output(tf.ops.neg(fusion.define_tensor(1)))
    >>> tf.run(fusion, [np.array([1.0, -2.0])])[0]
    array([-1.,  2.])
    """
    return _C.FusionExecutorCache(fusion).execute(*args, **kwargs)


