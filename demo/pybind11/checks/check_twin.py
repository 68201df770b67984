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
