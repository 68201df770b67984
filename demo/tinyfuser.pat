# Curated entries for the demo's stubs, in nanobind's pattern-file format (`make demo` reads
# it through [tool.nbapi] pattern-files in demo/pyproject.toml).

# A debugging aid, not part of the supported API: left out of the stubs and the docs.
tinyfuser.debug_dump$:

# The macro-generated unary ops get a named operand (x) instead of arg0, each overload
# with the op's docstring.
tinyfuser.ops.(abs|neg)$:
    @overload
    def \1(x: float, /) -> float:
        \doc
    @overload
    def \1(x: TensorView, /) -> TensorView:
        \doc
    @overload
    def \1(x: Val, /) -> Val:
        \doc

tinyfuser.ops.__prefix__:
    \from typing import overload
    \from tinyfuser import TensorView, Val
    # Operand types of the curated overloads.

tinyfuser.__suffix__:
    # Curated by demo/tinyfuser.pat.
