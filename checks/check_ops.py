"""The macro-generated ops: overloads for scalars, values and tensors."""

from __future__ import annotations

from _support import raises
from typing_extensions import assert_type

import tinyfuser as tf
from tinyfuser import ops


def case_unary_overloads() -> None:
    fusion = tf.Fusion()
    t = fusion.define_tensor(1)
    s = fusion.define_scalar(2.0)
    assert_type(ops.relu(-1.0), float)
    assert_type(ops.relu(t), tf.TensorView)
    assert_type(ops.relu(s), tf.Val)


def case_binary_overloads() -> None:
    fusion = tf.Fusion()
    t = fusion.define_tensor(1)
    s = fusion.define_scalar(2.0)
    assert_type(ops.add(1.0, 2.0), float)
    assert_type(ops.add(t, s), tf.TensorView)
    assert_type(ops.mul(s, t), tf.TensorView)
    assert_type(ops.sub(s, s), tf.Val)


def case_where_by_keyword() -> None:
    fusion = tf.Fusion()
    c = fusion.define_tensor(1)
    picked = ops.where(cond=c, x=fusion.define_scalar(1.0), y=fusion.define_scalar(0.0))
    assert_type(picked, tf.TensorView)


def case_op_on_a_string() -> None:
    with raises(TypeError):
        ops.relu("x")  # type: ignore[call-overload]


def case_op_with_too_few_operands() -> None:
    fusion = tf.Fusion()
    with raises(TypeError):
        ops.add(fusion.define_tensor(1))  # type: ignore[call-overload]


def case_unnamed_operand_by_keyword() -> None:
    with raises(TypeError):
        ops.relu(x=1.0)  # type: ignore[call-overload]
