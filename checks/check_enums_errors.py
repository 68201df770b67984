"""Enums, the module functions and the custom exception."""

from __future__ import annotations

from _support import raises
from typing_extensions import assert_type

import tinyfuser as tf


def case_enum_members() -> None:
    dtype: tf.DataType = tf.DataType.Float
    assert dtype is tf.DataType.Float
    value: int = tf.DataType.Float.value
    assert value == 0
    kinds = [kind for kind in tf.ParallelType]
    assert tf.ParallelType.TIDx in kinds


def case_parallelize_with_enum() -> None:
    fusion = tf.Fusion()
    tv = fusion.define_tensor(2).parallelize(0, kind=tf.ParallelType.TIDx)
    assert_type(tv, tf.TensorView)


def case_catch_the_custom_exception() -> None:
    try:
        tf.set_num_threads(0)
    except tf.FusionError as error:
        assert_type(error, tf.FusionError)
        assert isinstance(error, RuntimeError)
    else:
        raise AssertionError("FusionError expected")


def case_thread_setting_round_trip() -> None:
    tf.set_num_threads(n=2)
    assert_type(tf.get_num_threads(), int)


def case_enum_member_that_does_not_exist() -> None:
    with raises(AttributeError):
        tf.DataType.Half  # type: ignore[attr-defined]  # noqa: B018


def case_string_for_an_enum() -> None:
    fusion = tf.Fusion()
    with raises(TypeError):
        fusion.define_tensor(2).parallelize(0, "TIDx")  # type: ignore[arg-type]


def case_exception_is_not_a_value_error() -> None:
    error = tf.FusionError("x")
    assert_type(error, tf.FusionError)
    value: ValueError = error  # type: ignore[assignment]
    del value
