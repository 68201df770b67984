"""Building and running a fusion, as the first user's code does."""

from __future__ import annotations

import numpy as np
from _support import raises
from numpy.typing import NDArray
from typing_extensions import assert_type

import tinyfuser as tf


def case_define_inputs_by_keyword() -> None:
    fusion = tf.Fusion()
    tv = fusion.define_tensor(ndim=2, dtype=tf.DataType.Float)
    assert_type(tv, tf.TensorView)
    assert_type(tv.ndim, int)


def case_define_scalar_with_optional_dtype() -> None:
    fusion = tf.Fusion()
    s = fusion.define_scalar(1.5, dtype=tf.DataType.Double)
    assert_type(s, tf.Val)
    assert_type(s.is_tensor(), bool)
    assert_type(fusion.define_scalar(value=2), tf.Val)


def case_outputs_and_properties() -> None:
    fusion = tf.Fusion()
    fusion.add_output(value=tf.ops.neg(fusion.define_tensor(1)))
    assert_type(fusion.num_outputs, int)
    fusion.name = "mine"
    assert_type(fusion.name, str)
    assert_type(fusion.inputs, list[tf.TensorView])


def case_execute_returns_arrays() -> None:
    fusion = tf.Fusion()
    fusion.add_output(tf.ops.relu(fusion.define_tensor(1)))
    out = tf.FusionExecutorCache(fusion).execute(inputs=[np.array([-1.0, 2.0])])
    assert_type(out, list[NDArray[np.float64]])
    assert out[0].tolist() == [0.0, 2.0]


def case_static_method_and_text() -> None:
    assert_type(tf.Fusion.supported_ops(), list[str])
    assert_type(tf.Fusion().print_math(), str)
    assert_type(repr(tf.Fusion()), str)


def case_scheduler_params_are_read_write() -> None:
    params = tf.SchedulerParams()
    params.vectorize_factor = 4
    assert_type(params.vectorize_factor, int)


def case_misspelled_keyword() -> None:
    fusion = tf.Fusion()
    with raises(TypeError):
        fusion.define_tensor(ndims=2)  # type: ignore[call-arg]


def case_wrong_argument_type() -> None:
    fusion = tf.Fusion()
    with raises(TypeError):
        fusion.define_tensor("2")  # type: ignore[arg-type]


def case_wrong_return_use() -> None:
    fusion = tf.Fusion()
    count: str = fusion.num_outputs  # type: ignore[assignment]
    del count


def case_read_only_property() -> None:
    fusion = tf.Fusion()
    with raises(AttributeError):
        fusion.num_outputs = 3  # type: ignore[misc]


def case_property_of_wrong_type() -> None:
    fusion = tf.Fusion()
    with raises(TypeError):
        fusion.name = 3  # type: ignore[assignment]


def case_tensor_is_a_value() -> None:
    fusion = tf.Fusion()
    value: tf.Val = fusion.define_tensor(1)
    assert_type(value.dtype, tf.DataType)
    assert_type(value.name, str)


def case_module_constants() -> None:
    assert_type(tf.MAX_DIMS, int)
    assert_type(tf.__version__, str)


def case_python_wrapper() -> None:
    fusion = tf.Fusion()
    fusion.add_output(tf.ops.neg(fusion.define_tensor(1)))
    (result,) = tf.run(fusion, [np.array([1.0])])
    assert result.tolist() == [-1.0]


def case_generic_output_list() -> None:
    fusion = tf.Fusion()
    tv = fusion.define_tensor(2)
    fusion.add_output(tf.ops.neg(tv))
    outputs = fusion.output_list()
    # Quoted: the class is generic in its stub only (no __class_getitem__ at runtime).
    assert_type(outputs, "tf.OutputList[tf.Val]")
    assert_type(outputs.at(0), tf.Val)
    assert len(outputs) == 1 and len(tv) == 2  # __len__ from a C slot


def case_alias_and_sibling_module_class() -> None:
    scalar: tf.ScalarLike = 2.0
    assert isinstance(scalar, float)
    assert_type(tf.default_target(), tf.targets.Target)
    assert tf.default_target().name == "cpu"
    assert_type(tf.ops.neg(1.0), float)  # an overload the pattern file writes
