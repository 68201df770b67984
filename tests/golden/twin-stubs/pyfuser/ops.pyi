"""Elementwise operations on values and tensors."""

from typing import SupportsFloat, SupportsIndex, overload

from pyfuser import TensorView, Val


@overload
def abs(arg0: SupportsFloat | SupportsIndex, /) -> float: ...

@overload
def abs(arg0: TensorView, /) -> TensorView: ...

@overload
def abs(arg0: Val, /) -> Val:
    """
    Absolute value, elementwise.

    Parameters
    ----------
    x : Val or TensorView
        The operand.

    Returns
    -------
    Val or TensorView
        ``|x|``, of the operand's kind.
    """

@overload
def neg(arg0: SupportsFloat | SupportsIndex, /) -> float: ...

@overload
def neg(arg0: TensorView, /) -> TensorView: ...

@overload
def neg(arg0: Val, /) -> Val:
    """
    Negation, elementwise.

    Parameters
    ----------
    x : Val or TensorView
        The operand.

    Returns
    -------
    Val or TensorView
        ``-x``, of the operand's kind.
    """

@overload
def relu(arg0: SupportsFloat | SupportsIndex, /) -> float: ...

@overload
def relu(arg0: TensorView, /) -> TensorView: ...

@overload
def relu(arg0: Val, /) -> Val:
    """
    Rectified linear unit, elementwise.

    Parameters
    ----------
    x : Val or TensorView
        The operand.

    Returns
    -------
    Val or TensorView
        ``max(x, 0)``, of the operand's kind.

    Examples
    --------
    >>> import pyfuser as pf
    >>> pf.ops.relu(-3.0)
    0.0
    """

@overload
def add(arg0: SupportsFloat | SupportsIndex, arg1: SupportsFloat | SupportsIndex, /) -> float: ...

@overload
def add(arg0: TensorView, arg1: TensorView, /) -> TensorView: ...

@overload
def add(arg0: Val, arg1: Val, /) -> Val:
    """
    Addition, elementwise, with scalars broadcast.

    Parameters
    ----------
    x, y : Val or TensorView
        The operands.

    Returns
    -------
    Val or TensorView
        ``x + y``; a tensor if either operand is one.
    """

@overload
def div(arg0: SupportsFloat | SupportsIndex, arg1: SupportsFloat | SupportsIndex, /) -> float: ...

@overload
def div(arg0: TensorView, arg1: TensorView, /) -> TensorView: ...

@overload
def div(arg0: Val, arg1: Val, /) -> Val:
    """Division, elementwise."""

@overload
def maximum(arg0: SupportsFloat | SupportsIndex, arg1: SupportsFloat | SupportsIndex, /) -> float: ...

@overload
def maximum(arg0: TensorView, arg1: TensorView, /) -> TensorView: ...

@overload
def maximum(arg0: Val, arg1: Val, /) -> Val: ...

def where(cond: Val, x: Val, y: Val) -> TensorView:
    """
    Select elementwise between two values.

    Parameters
    ----------
    cond : Val
        Non-zero where ``x`` is taken.
    x : Val
        Taken where ``cond`` is non-zero.
    y : Val
        Taken elsewhere.

    Returns
    -------
    TensorView
        The selection.

    Raises
    ------
    FusionError
        If the operands belong to different fusions.

    See Also
    --------
    maximum : The elementwise maximum, a special case.

    Examples
    --------
    >>> import pyfuser as pf
    >>> fusion = pf.Fusion()
    >>> c = fusion.define_tensor(1)
    >>> fusion.add_output(pf.ops.where(c, fusion.define_scalar(1.0), fusion.define_scalar(-1.0)))
    >>> pf.FusionExecutorCache(fusion).execute([[0.0, 5.0]])
    [[-1.0, 1.0]]
    """
