"""Typical nvFuser user code (from its README and docstrings), checked against the stubs.

Defining fusions needs no GPU: every case runs where ``nvfuser_direct`` imports. Executing
does: ``execute`` is only type-checked (in a function no case calls). Each must-fail line
was run and raised the TypeError (or AttributeError) its ``raises`` block expects.
"""

from __future__ import annotations

from typing import Any

import nvfuser_direct as nvf
from _support import raises
from nvfuser_direct import DataType, FusionDefinition, TensorView, Val, ops
from typing_extensions import assert_type


def _two_inputs(fd: FusionDefinition) -> tuple[TensorView, TensorView]:
    t0 = fd.define_tensor(shape=[-1, -1], contiguity=[True, True], dtype=DataType.Float)
    t1 = fd.define_tensor(shape=[-1, -1], contiguity=[True, True], dtype=DataType.Float)
    return t0, t1


def case_typical_fusion() -> None:
    with FusionDefinition() as fd:
        t0, t1 = _two_inputs(fd)
        t2 = fd.ops.add(t0, t1)
        c0 = fd.define_scalar(3.0)
        t3 = fd.ops.mul(t2, c0)
        t4 = fd.ops.sum(t3, dims=[-1], keepdim=False, dtype=DataType.Float)
        t5 = fd.ops.relu(t4)
        fd.add_output(t5)
    assert "fd.define_tensor" in repr(fd)


def case_ops_are_typed() -> None:
    with FusionDefinition() as fd:
        t0, t1 = _two_inputs(fd)
        assert_type(fd.define_tensor(shape=[-1], contiguity=[True]), TensorView)
        # The binding tries add(Val, Val) first, and the first pass takes TensorViews as they
        # are: that overload runs, and returns the TensorView it made. Only the trace of these
        # cases (tests/nvfuser/calls.json) tells; with it the stubs write add(TensorView,
        # TensorView) -> TensorView first (STB033).
        assert_type(ops.add(t0, t1), TensorView)
        assert_type(ops.sum(t0, dim=-1, keepdim=True), TensorView)
        assert_type(ops.sum(t1, dims=[0, 1]), TensorView)
        assert_type(ops.relu(t0), TensorView)
        fd.add_output(ops.sum(t0, dim=-1, keepdim=True))


def case_scalars() -> None:
    with FusionDefinition() as fd:
        s = fd.define_scalar(1.5, dtype=DataType.Double)
        assert_type(s, Val)
        t0, _ = _two_inputs(fd)
        fd.add_output(ops.mul(t0, s))


def case_version_and_enums() -> None:
    assert str(nvf.__version__)
    dtype: DataType = DataType.Float
    assert dtype.name == "Float"


def case_execute_is_typed() -> None:
    def run(fd: FusionDefinition, inputs: list[Any]) -> int:  # needs a GPU: never called
        outputs = fd.execute(inputs)
        return len(outputs)

    assert callable(run)


def case_operands_are_positional_only() -> None:
    with FusionDefinition() as fd:
        t0, t1 = _two_inputs(fd)
        with raises(TypeError):
            ops.add(lhs=t0, rhs=t1)  # type: ignore[call-overload]
        fd.add_output(ops.add(t0, t1))


def case_sum_dim_is_an_int() -> None:
    with FusionDefinition() as fd:
        t0, _ = _two_inputs(fd)
        with raises(TypeError):
            ops.sum(t0, dim="last")  # type: ignore[call-overload]
        fd.add_output(ops.sum(t0, dim=0))


def case_relu_takes_one_operand() -> None:
    with FusionDefinition() as fd:
        t0, t1 = _two_inputs(fd)
        with raises(TypeError):
            ops.relu(t0, t1)  # type: ignore[call-overload]
        fd.add_output(ops.relu(t0))


def case_shape_is_a_sequence_of_ints() -> None:
    with FusionDefinition() as fd:
        with raises(TypeError):
            fd.define_tensor(shape="2x3", contiguity=[True])  # type: ignore[arg-type]
        fd.add_output(fd.define_tensor(shape=[-1], contiguity=[True]))


def case_misspelled_dtype() -> None:
    with raises(AttributeError):
        DataType.Flaot  # type: ignore[attr-defined]  # noqa: B018


def case_a_wrong_call_through_fd_ops_is_caught() -> None:
    # FusionDefinition.ops holds the ops module; the stubs type it by a class mirroring the
    # module, so mypy checks calls through it (as ModuleType it would see Any, STB025).
    with FusionDefinition() as fd:
        t0, _ = _two_inputs(fd)
        with raises(TypeError):
            fd.ops.relu(t0, t0)  # type: ignore[call-overload]
        fd.add_output(fd.ops.relu(t0))
