"""Elementwise operations on values and tensors."""

from typing import overload

from tinyfuser import TensorView, Val


# Operand types of the curated overloads.

@overload
def abs(x: float, /) -> float:
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
def abs(x: TensorView, /) -> TensorView:
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
def abs(x: Val, /) -> Val:
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
def neg(x: float, /) -> float:
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
def neg(x: TensorView, /) -> TensorView:
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
def neg(x: Val, /) -> Val:
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
def exp(arg: float, /) -> float: ...

@overload
def exp(arg: TensorView, /) -> TensorView: ...

@overload
def exp(arg: Val, /) -> Val:
    """
    Exponential, elementwise.

    Parameters
    ----------
    x:Val
        The operand.

    Returns
    ----
    Val
        ``e ** x``.
    """

@overload
def relu(arg: float, /) -> float: ...

@overload
def relu(arg: TensorView, /) -> TensorView: ...

@overload
def relu(arg: Val, /) -> Val:
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
    >>> import tinyfuser as tf
    >>> tf.ops.relu(-3.0)
    0.0
    """

@overload
def sqrt(arg: float, /) -> float: ...

@overload
def sqrt(arg: TensorView, /) -> TensorView: ...

@overload
def sqrt(arg: Val, /) -> Val:
    """
    Square root, elementwise.

    Args:
        x: The operand.

    Returns:
        The square root, of the operand's kind.
    """

@overload
def add(arg0: float, arg1: float, /) -> float: ...

@overload
def add(arg0: TensorView, arg1: TensorView, /) -> TensorView: ...

@overload
def add(arg0: TensorView, arg1: Val, /) -> TensorView: ...

@overload
def add(arg0: Val, arg1: TensorView, /) -> TensorView: ...

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
def sub(arg0: float, arg1: float, /) -> float: ...

@overload
def sub(arg0: TensorView, arg1: TensorView, /) -> TensorView: ...

@overload
def sub(arg0: TensorView, arg1: Val, /) -> TensorView: ...

@overload
def sub(arg0: Val, arg1: TensorView, /) -> TensorView: ...

@overload
def sub(arg0: Val, arg1: Val, /) -> Val:
    """
    Subtraction, elementwise, with scalars broadcast.

    Parameters
    ----------
    x, y : Val or TensorView
        The operands.

    Returns
    -------
    Val or TensorView
        ``x - y``; a tensor if either operand is one.
    """

@overload
def mul(arg0: float, arg1: float, /) -> float: ...

@overload
def mul(arg0: TensorView, arg1: TensorView, /) -> TensorView: ...

@overload
def mul(arg0: TensorView, arg1: Val, /) -> TensorView: ...

@overload
def mul(arg0: Val, arg1: TensorView, /) -> TensorView: ...

@overload
def mul(arg0: Val, arg1: Val, /) -> Val:
    """
    Multiplication, elementwise, with scalars broadcast.

    Parameters
    ----------
    x, y : Val or TensorView
        The operands.

    Returns
    -------
    Val or TensorView
        ``x * y``; a tensor if either operand is one.
    """

@overload
def div(arg0: float, arg1: float, /) -> float: ...

@overload
def div(arg0: TensorView, arg1: TensorView, /) -> TensorView: ...

@overload
def div(arg0: TensorView, arg1: Val, /) -> TensorView: ...

@overload
def div(arg0: Val, arg1: TensorView, /) -> TensorView: ...

@overload
def div(arg0: Val, arg1: Val, /) -> Val:
    """Division, elementwise."""

@overload
def maximum(arg0: float, arg1: float, /) -> float: ...

@overload
def maximum(arg0: TensorView, arg1: TensorView, /) -> TensorView: ...

@overload
def maximum(arg0: TensorView, arg1: Val, /) -> TensorView: ...

@overload
def maximum(arg0: Val, arg1: TensorView, /) -> TensorView: ...

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
    >>> import numpy as np
    >>> import tinyfuser as tf
    >>> fusion = tf.Fusion()
    >>> c = fusion.define_tensor(1)
    >>> fusion.add_output(tf.ops.where(c, fusion.define_scalar(1.0), fusion.define_scalar(-1.0)))
    >>> tf.FusionExecutorCache(fusion).execute([np.array([0.0, 5.0])])[0]
    array([-1.,  1.])
    """
