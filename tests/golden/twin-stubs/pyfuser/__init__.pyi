"""
The pybind11 twin of tinyfuser: a miniature elementwise fusion compiler.
"""

from collections.abc import Callable, Sequence
import enum
from typing import (
    Annotated,
    Any,
    ClassVar,
    SupportsFloat,
    SupportsIndex,
    SupportsInt
)

import numpy
import numpy.typing

from pyfuser import direct as direct, ops as ops


MAX_DIMS: int = 8

class FusionError(RuntimeError):
    ...

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

    @property
    def name(self) -> str:
        """name(self: object, /) -> str"""

    @property
    def value(self) -> int:
        ...

    def __lt__(self, other: DataType, /) -> bool: ...

    def __gt__(self, other: DataType, /) -> bool: ...

    def __le__(self, other: DataType, /) -> bool: ...

    def __ge__(self, other: DataType, /) -> bool: ...

    def __int__(self, /) -> int: ...

    def __index__(self, /) -> int: ...

class ParallelType(enum.Enum):
    Serial = 0
    BIDx = 1
    TIDx = 2
    Vectorize = 3
    Unroll = 4

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

    def same_as(self, arg0: Statement, /) -> bool: ...

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
        >>> import pyfuser as pf
        >>> fusion = pf.Fusion()
        >>> fusion.define_scalar(2.0).is_tensor()
        False
        """

class TensorView(Val):
    """
    A tensor value: the result of ``define_tensor`` or of an op with a tensor operand.

    Examples
    --------
    >>> import pyfuser as pf
    >>> fusion = pf.Fusion()
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

    def parallelize(self, axis: SupportsInt | SupportsIndex, kind: ParallelType = ParallelType.Serial) -> TensorView:
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
        >>> import pyfuser as pf
        >>> fusion = pf.Fusion()
        >>> tv = fusion.define_tensor(1)
        >>> tv.parallelize(0, pf.ParallelType.TIDx).ndim
        1
        """

class Fusion:
    """
    A container of IR: tensor inputs, the ops applied to them and the outputs.

    Build a fusion by declaring inputs, applying functions of :mod:`pyfuser.ops`
    and marking outputs, then run it with a :class:`FusionExecutorCache`.

    See Also
    --------
    FusionExecutorCache : Compiles and runs a fusion.

    Examples
    --------
    >>> import pyfuser as pf
    >>> fusion = pf.Fusion()
    >>> t0 = fusion.define_tensor(1)
    >>> fusion.add_output(pf.ops.neg(t0))
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
    def name(self, arg1: str, /) -> None: ...

    def __init__(self) -> None:
        """Create an empty fusion."""

    def define_tensor(self, ndim: SupportsInt | SupportsIndex, dtype: DataType = DataType.Double) -> TensorView:
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
        >>> import pyfuser as pf
        >>> fusion = pf.Fusion()
        >>> fusion.define_tensor(3, pf.DataType.Float).ndim
        3
        """

    def define_scalar(self, value: SupportsFloat | SupportsIndex | SupportsInt | bool | Any, dtype: DataType | None = None) -> Val:
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
        >>> import pyfuser as pf
        >>> fusion = pf.Fusion()
        >>> fusion.define_scalar(1.5).dtype == pf.DataType.Double
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

    def print_math(self) -> str:
        """
        Render the fusion's IR as text, one statement per line.

        Returns
        -------
        str
            The IR; each line reads ``NAME = OP(OPERANDS)``.
        """

    @staticmethod
    def supported_ops() -> list[str]:
        """
        List the names of the ops in :mod:`pyfuser.ops`.

        Returns
        -------
        list of str
            The op names, in definition order.
        """

    def __repr__(self) -> str: ...

class SchedulerParams:
    """Tuning knobs of the pointwise scheduler."""

    @property
    def vectorize_factor(self) -> int:
        """Number of elements per vectorized load."""
    @vectorize_factor.setter
    def vectorize_factor(self, arg0: SupportsInt | SupportsIndex, /) -> None: ...

    @property
    def unroll_factor(self) -> int:
        ...
    @unroll_factor.setter
    def unroll_factor(self, arg0: SupportsInt | SupportsIndex, /) -> None: ...

    @property
    def tag(self) -> str:
        ...
    @tag.setter
    def tag(self, arg0: str, /) -> None: ...

    def __init__(self) -> None: ...

    def __eq__(self, other: SchedulerParams) -> bool:  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]
        """Whether both hold the same knobs."""

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

    cache_limit: ClassVar[int] = ...

    def __init__(self, fusion: Fusion, device: Any | None = None) -> None: ...

    def execute(self, inputs: Sequence[Sequence[SupportsFloat | SupportsIndex]]) -> list[list[float]]:
        """
        Run the fusion on lists of floats.

        Parameters
        ----------
        inputs : list of list of float
            One list per tensor input, all of one length.

        Returns
        -------
        list of list of float
            One list per output, in the order of ``add_output`` calls.

        Raises
        ------
        FusionError
            If the number or length of ``inputs`` does not match the fusion.

        See Also
        --------
        Fusion.add_output : Marks the values that ``execute`` returns.

        Examples
        --------
        >>> import pyfuser as pf
        >>> fusion = pf.Fusion()
        >>> t0 = fusion.define_tensor(1)
        >>> fusion.add_output(pf.ops.relu(t0))
        >>> pf.FusionExecutorCache(fusion).execute([[-2.0, 3.0]])
        [[0.0, 3.0]]
        """

    def schedule(self, params: SchedulerParams = ...) -> int:
        """
        Choose the launch parameters of the next run.

        Parameters
        ----------
        params : SchedulerParams, optional
            Tuning knobs; the defaults when omitted.

        Returns
        -------
        int
            The number of elements each thread handles.
        """

    @staticmethod
    def clear_global_cache() -> None: ...

def default_scheduler_params() -> SchedulerParams:
    """
    The scheduler's tuning knobs as they are before any change.

    Returns
    -------
    SchedulerParams
        A fresh set of knobs.
    """

def unit(v: Annotated[numpy.typing.ArrayLike, numpy.float64, "[3, 1]"]) -> Annotated[numpy.typing.NDArray[numpy.float64], "[3, 1]"]:
    """
    Scale a 3-vector to unit length.

    Parameters
    ----------
    v : array_like
        Three numbers.

    Returns
    -------
    numpy.ndarray
        ``v`` divided by its length.
    """

def scale_in_place(matrix: Annotated[numpy.typing.NDArray[numpy.float64], "[m, n]", "flags.writeable"], factor: SupportsFloat | SupportsIndex) -> None:
    """
    Multiply a matrix by a number, in place.

    Parameters
    ----------
    matrix : numpy.ndarray
        A writable two-dimensional float64 array.
    factor : float
        The multiplier.
    """

def on_done(cb: Callable[[], None] | None = None) -> None:
    """
    Run a callback once the pending work is done.

    Parameters
    ----------
    cb : callable, optional
        Called with no arguments; nothing runs when omitted.
    """

def build_info() -> Any:
    """
    Describe how the module was built.

    Returns
    -------
    dict
        ``threads`` and ``compiler``; typed ``py::object`` in the binding.
    """

def set_num_threads(n: SupportsInt | SupportsIndex) -> None:
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
    >>> import pyfuser as pf
    >>> pf.set_num_threads(2)
    >>> pf.get_num_threads()
    2
    """

def get_num_threads() -> int:
    """
    Get the number of CPU threads the executor may use.

    Returns
    -------
    int
        The current setting; 1 unless changed.
    """

def debug_dump(arg0: Fusion, arg1: bool, /) -> str: ...
