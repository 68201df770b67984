"""
Ops bound with function signatures disabled, as nvFuser's direct ops are.
"""

from collections.abc import Sequence
from typing import (
    SupportsFloat,
    SupportsIndex,
    SupportsInt,
    overload
)

from pyfuser import Val


@overload
def add(arg0: SupportsFloat | SupportsIndex, arg1: SupportsFloat | SupportsIndex, /) -> float: ...

@overload
def add(arg0: Val, arg1: Val, /) -> Val:
    """
    Add two operands.

    Parameters
    ----------
    lhs : Val or float
        The left operand.
    rhs : Val or float
        The right operand.

    Returns
    -------
    Val or float
        ``lhs + rhs``.
    """

@overload
def total(x: Sequence[SupportsFloat | SupportsIndex]) -> float: ...

@overload
def total(x: Sequence[SupportsFloat | SupportsIndex], dim: SupportsInt | SupportsIndex, keepdim: bool = False) -> list[float]: ...

@overload
def total(x: Sequence[SupportsFloat | SupportsIndex], dims: Sequence[SupportsInt | SupportsIndex], keepdim: bool = False) -> list[float]:
    """
    Sum of the elements.

    Parameters
    ----------
    x : list of float
        The values.
    dim : int, optional
        The dimension to reduce.

    Returns
    -------
    float
        The sum.
    """

def square(x: SupportsFloat | SupportsIndex) -> float: ...
