"""
tinyfuser: a miniature elementwise fusion compiler (the demo extension).

The compiled bindings live in the private module ``tinyfuser._C``; everything
public is re-exported here, so users write ``import tinyfuser as tf`` and reach
the ops as ``tf.ops.add``.
"""

from collections.abc import Sequence
import enum
from typing import Annotated, Any, Generic, TypeAlias, TypeVar

import numpy
from numpy.typing import NDArray
from typing_extensions import deprecated

from tinyfuser import ops as ops, targets as targets
from tinyfuser.targets import Target


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
    "default_target",
    "get_num_threads",
    "ops",
    "run",
    "set_num_threads",
    "targets",
]

MAX_DIMS: int = 8
ScalarLike: TypeAlias = float | int | Val
__version__: str = '0.1.0'
T = TypeVar("T")

class DataType(enum.Enum):
    """
    Element type of a value or tensor.

    The evaluator computes in double precision; the data type is metadata that
    scheduling decisions read.

    See Also
    --------
    Fusion.define_tensor : Declares a tensor input with a data type.
    """
    Float = 0
    """32-bit IEEE floating point."""
    Double = 1
    """64-bit IEEE floating point."""
    Int = 2
    """64-bit signed integer."""
    Bool = 3
    """Boolean."""

class Fusion:
    """
    A container of IR: tensor inputs, the ops applied to them and the outputs.

    Build a fusion by declaring inputs, applying functions of :mod:`tinyfuser.ops`
    and marking outputs, then run it with a :class:`FusionExecutorCache`.

    See Also
    --------
    FusionExecutorCache : Compiles and runs a fusion.

    Examples
    --------
    >>> import tinyfuser as tf
    >>> fusion = tf.Fusion()
    >>> t0 = fusion.define_tensor(1)
    >>> fusion.add_output(tf.ops.neg(t0))
    >>> fusion.num_outputs
    1
    """

    @property
    def num_outputs(self) -> int:
        """Number of values marked as outputs."""

    @property
    def inputs(self) -> list[TensorView]:
        ...

    @property
    def name(self) -> str:
        """
        Name of the fusion, shown by ``repr`` and in error messages.

        Returns
        -------
        str
            The name; ``"fusion"`` unless set.
        """
    @name.setter
    def name(self, arg: str, /) -> None: ...

    def __init__(self) -> None:
        """Create an empty fusion."""

    def define_tensor(self, ndim: int, dtype: DataType = DataType.Double) -> TensorView:
        """
        Declare a tensor input of the fusion.

        Parameters
        ----------
        ndim : int
            Number of dimensions, from 0 to 8.
        dtype : DataType, optional
            Element type of the input.

        Returns
        -------
        TensorView
            The new input tensor.

        Raises
        ------
        FusionError
            If ``ndim`` is out of range.

        See Also
        --------
        define_scalar : Declares a scalar constant.

        Examples
        --------
        >>> import tinyfuser as tf
        >>> fusion = tf.Fusion()
        >>> fusion.define_tensor(3, tf.DataType.Float).ndim
        3
        """

    def define_scalar(self, value: float | int | bool | Any, dtype: DataType | None = None) -> Val:
        """
        Declare a scalar constant.

        Parameters
        ----------
        value : float or int or bool
            The constant.
        dtype : DataType, optional
            Overrides the data type inferred from ``value``.

        Returns
        -------
        Val
            A scalar value usable as an operand of any op.

        Examples
        --------
        >>> import tinyfuser as tf
        >>> fusion = tf.Fusion()
        >>> fusion.define_scalar(1.5).dtype is tf.DataType.Double
        True
        """

    def add_output(self, value: Val) -> None:
        """
        Mark a value as an output of the fusion.

        Parameters
        ----------
        value : Val
            A value of this fusion.

        Raises
        ------
        FusionError
            If ``value`` belongs to another fusion.
        """

    def output_list(self) -> OutputList[Val]:
        """
        The outputs added so far, as a container.

        Returns
        -------
        OutputList
            A view of the fusion's outputs.
        """

    def print_math(self) -> str:
        """
        Render the fusion's IR as text, one statement per line.

        Returns
        -------
        str
            The IR; each line reads ``NAME = OP(OPERANDS)``.

        Examples
        --------
        >>> import tinyfuser as tf
        >>> fusion = tf.Fusion()
        >>> _ = tf.ops.relu(fusion.define_tensor(1))
        >>> print(fusion.print_math(), end="")
        T0 = input(0)
        T1 = relu(0)
        """

    @deprecated("use print_math()")
    def print_ir(self) -> str:
        """Deprecated alias of print_math()."""

    @staticmethod
    def supported_ops() -> list[str]:
        """
        List the names of the ops in :mod:`tinyfuser.ops`.

        Returns
        -------
        list of str
            The op names, in definition order.
        """

    def __repr__(self) -> str: ...

class FusionError(RuntimeError):
    ...

class FusionExecutorCache:
    """
    Compile a fusion once and run it on many inputs.

    Parameters
    ----------
    fusion : Fusion
        The fusion to run.
    device : optional
        The device to run on; the CPU when omitted.

    See Also
    --------
    Fusion : What gets compiled.
    """

    @property
    def num_runs(self) -> int:
        """Number of successful ``execute`` calls."""

    def __init__(self, fusion: Fusion, device: Any | None = None) -> None: ...

    def execute(self, inputs: Sequence[Annotated[NDArray[numpy.float64], dict(order='C', device='cpu')]]) -> list[NDArray[numpy.float64]]:
        """
        Run the fusion on CPU arrays.

        Parameters
        ----------
        inputs : list of numpy.ndarray
            One float64 array per tensor input, all of one shape.

        Returns
        -------
        list of numpy.ndarray
            One array per output, in the order of ``add_output`` calls.

        Raises
        ------
        FusionError
            If the number, rank or shape of ``inputs`` does not match the fusion.

        See Also
        --------
        Fusion.add_output : Marks the values that ``execute`` returns.

        Examples
        --------
        >>> import numpy as np
        >>> import tinyfuser as tf
        >>> fusion = tf.Fusion()
        >>> t0 = fusion.define_tensor(1)
        >>> fusion.add_output(tf.ops.add(tf.ops.relu(t0), fusion.define_scalar(1.0)))
        >>> tf.FusionExecutorCache(fusion).execute([np.array([-2.0, 3.0])])[0]
        array([1., 4.])
        """

    @staticmethod
    def clear_global_cache() -> None: ...

class OutputList(Generic[T]):
    """The outputs of a fusion, in the order they were added."""

    def __len__(self) -> int: ...

    def __repr__(self) -> str: ...

    def at(self, index: int) -> T:
        """
        The output at ``index``.

        Parameters
        ----------
        index : int
            Position of the output, in ``[0, len(self))``.

        Returns
        -------
        Val
            The value passed to the matching ``add_output`` call.

        Raises
        ------
        IndexError
            If ``index`` is out of range.
        """

class ParallelType(enum.Enum):
    Serial = 0
    BIDx = 1
    TIDx = 2
    Vectorize = 3
    Unroll = 4

class SchedulerParams:
    """Tuning knobs of the pointwise scheduler."""

    @property
    def vectorize_factor(self) -> int:
        """Number of elements per vectorized load."""
    @vectorize_factor.setter
    def vectorize_factor(self, arg: int, /) -> None: ...

    @property
    def unroll_factor(self) -> int:
        ...
    @unroll_factor.setter
    def unroll_factor(self, arg: int, /) -> None: ...

    @property
    def tag(self) -> str:
        ...
    @tag.setter
    def tag(self, arg: str, /) -> None: ...

    def __init__(self) -> None: ...

class Statement:
    """Base class of every IR object of a fusion."""

    @property
    def name(self) -> str:
        """
        Short name of the statement inside its fusion, such as ``T0`` or ``S3``.

        Returns
        -------
        str
            ``T`` for tensors or ``S`` for scalars, followed by the statement's index.
        """

    def same_as(self, arg: Statement, /) -> bool: ...

class TensorView(Val):
    """
    A tensor value: the result of ``define_tensor`` or of an op with a tensor operand.

    Examples
    --------
    >>> import tinyfuser as tf
    >>> fusion = tf.Fusion()
    >>> tv = fusion.define_tensor(2)
    >>> tv.ndim
    2
    """

    @property
    def ndim(self) -> int:
        """
        Number of dimensions of the tensor.

        Returns
        -------
        int
            The rank declared by ``define_tensor`` or inherited from the operands.
        """

    def __len__(self, /) -> int:
        """Return len(self)."""

    def parallelize(self, axis: int, kind: ParallelType = ParallelType.Serial) -> TensorView:
        """
        Map an axis of the tensor onto a kind of parallelism.

        Parameters
        ----------
        axis : int
            The axis to parallelize, in ``[0, ndim)``.
        kind : ParallelType, optional
            The kind of parallelism; serial by default.

        Returns
        -------
        TensorView
            The same tensor, for chaining.

        Raises
        ------
        FusionError
            If ``axis`` is out of range.

        See Also
        --------
        ParallelType : The kinds of parallelism.

        Examples
        --------
        >>> import tinyfuser as tf
        >>> fusion = tf.Fusion()
        >>> tv = fusion.define_tensor(1)
        >>> tv.parallelize(0, tf.ParallelType.TIDx).ndim
        1
        """

    def __repr__(self) -> str: ...

class Val(Statement):
    """
    A scalar or tensor value computed by a fusion.

    See Also
    --------
    TensorView : The tensor kind of value.
    """

    @property
    def dtype(self) -> DataType:
        """
        Element type of the value.

        Returns
        -------
        DataType
            The data type declared for the value or inferred from its operands.
        """

    def is_tensor(self) -> bool:
        """
        Tell whether the value is a tensor.

        Returns
        -------
        bool
            True for tensors, False for scalars.

        Examples
        --------
        >>> import tinyfuser as tf
        >>> fusion = tf.Fusion()
        >>> fusion.define_scalar(2.0).is_tensor()
        False
        """

    def __repr__(self) -> str: ...

def compile_fusion(*args: Any, **kwargs: Any) -> object:
    """
    Compile a fusion: deprecated, use :class:`FusionExecutorCache`.

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

def default_target() -> Target:
    """
    The target fusions run on when none is given.

    Returns
    -------
    tinyfuser.targets.Target
        The CPU target.
    """

def get_num_threads() -> int:
    """
    Get the number of CPU threads the executor may use.

    Returns
    -------
    int
        The current setting; 1 unless changed.
    """

def run(fusion: Fusion, *args: Any, **kwargs: Any) -> list[Any]:
    """
    Compile and run a fusion in one call.

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

def set_num_threads(n: int) -> None:
    """
    Set the number of CPU threads the executor may use.

    Parameters
    ----------
    n : int
        A positive thread count.

    Raises
    ------
    FusionError
        If ``n`` is not positive.

    See Also
    --------
    get_num_threads : Reads the setting back.

    Examples
    --------
    >>> import tinyfuser as tf
    >>> tf.set_num_threads(2)
    >>> tf.get_num_threads()
    2
    """

# Curated by demo/tinyfuser.pat.
