"""tinyfuser: a miniature elementwise fusion compiler (the demo extension).

The compiled bindings live in the private module ``tinyfuser._C``; everything
public is re-exported here, so users write ``import tinyfuser as tf`` and reach
the ops as ``tf.ops.add``.
"""

from __future__ import annotations

import warnings
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
    "compile_fusion",
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


def compile_fusion(*args: Any, **kwargs: Any) -> object:
    """Compile a fusion: deprecated, use :class:`FusionExecutorCache`.

    Release 0.9 took one :class:`Fusion` and returned its cache; this wrapper keeps
    those calls running, with a :class:`DeprecationWarning`.

    Parameters
    ----------
    *args, **kwargs
        Passed to :class:`FusionExecutorCache`.

    Returns
    -------
    FusionExecutorCache
        The compiled fusion.

    Raises
    ------
    TypeError
        If the arguments are not those of :class:`FusionExecutorCache`.

    See Also
    --------
    FusionExecutorCache : What this wrapper makes.

    Examples
    --------
    >>> import warnings
    >>> import tinyfuser as tf
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     cache = tf.compile_fusion(tf.Fusion())
    >>> type(cache).__name__
    'FusionExecutorCache'
    """
    warnings.warn(
        "compile_fusion is deprecated; use FusionExecutorCache", DeprecationWarning, stacklevel=2
    )
    return _C.FusionExecutorCache(*args, **kwargs)
