"""User code against the pybind11 twin's stubs: type-checked with mypy, then run."""

import pyfuser as pf

fusion = pf.Fusion()
t0 = fusion.define_tensor(2, pf.DataType.Float)
s0 = fusion.define_scalar(1.0)
out: pf.Val = pf.ops.add(pf.ops.relu(t0), s0)
fusion.add_output(out)
count: int = fusion.num_outputs
kind: pf.ParallelType = pf.ParallelType.TIDx
t0.parallelize(0, kind)
result: list[list[float]] = pf.FusionExecutorCache(fusion).execute([[1.0, -2.0]])
assert result == [[2.0, 1.0]], result
try:
    fusion.define_tensor(9)
except pf.FusionError as exc:
    message: str = str(exc)


def case_classic_enum_converts_to_int() -> None:
    # A py::enum_ member is an int where Python asks for one (int(), an index).
    assert int(pf.DataType.Double) == 1
    names = ["float", "double", "int"]
    assert names[pf.DataType.Float] == "float"


def case_ops_bound_without_signatures_are_typed() -> None:
    # pyfuser.direct is bound with signatures disabled; the stubs have the probed overloads.
    total: float = pf.direct.total([1.0, 2.0])
    assert total == 3.0
    kept: list[float] = pf.direct.total([1.0, 2.0], dim=0, keepdim=True)
    assert kept == [3.0]
    assert pf.direct.square(3.0) == 9.0


def case_unnamed_operands_are_positional_only() -> None:
    try:
        pf.direct.add(lhs=1.0, rhs=2.0)  # type: ignore[call-overload]
    except TypeError:
        return
    raise AssertionError("add(lhs=..., rhs=...) was accepted")


def case_class_level_settings_are_class_variables() -> None:
    # def_readwrite_static: read and assigned on the class, not a property of instances.
    pf.FusionExecutorCache.cache_limit = 4
    limit: int = pf.FusionExecutorCache.cache_limit
    assert limit == 4
    # A classic enum's __members__ is Enum's mapping, not a method.
    assert [name for name, _ in pf.DataType.__members__.items()][0] == "Float"


def case_arithmetic_enum_keeps_its_operators() -> None:
    # py::arithmetic() gives the members the ordering operators.
    assert pf.DataType.Float < pf.DataType.Double


def case_untyped_result_can_be_used() -> None:
    # A py::object result is Any in the stubs (typeshed's convention), so it can be indexed.
    threads: int = pf.build_info()["threads"]
    assert threads >= 1
