"""
Test-only extension: binding shapes that break stub generators (see FIELD-NOTES §2, §2b).
"""

import builtins
from collections.abc import Callable, Sequence
from enum import Enum as Enum
from math import sqrt as sqrt
from typing import (
    Annotated,
    Any,
    ClassVar,
    Final,
    Generic as _Generic,
    Literal,
    TypeAlias,
    TypeVar as _TypeVar,
    TypeVarTuple,
    overload
)

import numpy
from numpy.typing import NDArray
from typing_extensions import TypeVar, deprecated

import nbhazards
from nbhazards import (
    alpha as alpha,
    beta as beta,
    empty as empty,
    shapes as shapes,
    sub as sub
)
from nbhazards.alpha import Binary
from nbhazards.beta import Binary as _Binary
from nbhazards.shapes import Point
from nbhazards.sub import Pinger as Pinger


__all__ = [
    "Base",
    "Config",
    "Counter",
    "Derived",
    "Enum",
    "Generic",
    "Holder",
    "Info",
    "Item",
    "Leaf",
    "Matrix",
    "Mode",
    "Node",
    "Number",
    "Orphan",
    "Pair",
    "Pinger",
    "Registry",
    "Session",
    "Slotted",
    "T",
    "Ts",
    "Version",
    "Widget",
    "alpha",
    "beta",
    "classify",
    "collapse",
    "configure",
    "context",
    "copy_range",
    "empty",
    "empty_name",
    "first",
    "from_jax",
    "gather",
    "gather_all",
    "global_",
    "head_of",
    "info",
    "legacy",
    "load_binary",
    "maybe_box",
    "mixed",
    "pass_through",
    "pick",
    "pick_or",
    "place",
    "points",
    "resample",
    "rms_norm",
    "run",
    "scale_by",
    "set_mode",
    "shadow",
    "spread",
    "sqrt",
    "sub",
    "to_torch",
    "toggle",
    "widgets",
]

V = TypeVar("V", default=int)
K = _TypeVar("K", int, str)
W = TypeVar("W", default=float)
Number: TypeAlias = int | float
T = _TypeVar("T")
Ts = TypeVarTuple("Ts")
_Scalar: TypeAlias = int | float | Any

class Base:
    kind: ClassVar[str] = ...

    def describe(self, x: int) -> str: ...

    def __lt__(self, arg: Base, /) -> bool: ...

    lt_alias = __lt__

class Config:
    def __init__(self) -> None: ...

    def __repr__(self) -> str: ...

class Counter:
    def __init__(self) -> None: ...

    @overload
    def __sub__(self, arg: int, /) -> Counter: ...

    @overload
    def __sub__(self, arg: Counter, /) -> int: ...

    def __isub__(self, arg: int, /) -> Counter: ...  # type: ignore[misc]

class Derived(Base):
    kind: ClassVar[str] = ...

    def __init__(self) -> None: ...

    def describe(self, x: str, y: int) -> str: ...  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]

class Generic(_Generic[T]):
    ...

class Holder(_Generic[T]):
    def __init__(self) -> None: ...

    def get(self) -> T | None: ...

class Info:
    SIZE: int
    NAME: int

class Item(Enum):
    name = 0  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    """Shadows Enum.name."""
    value = 1  # pyright: ignore[reportAssignmentType, reportIncompatibleMethodOverride]
    other = 2

    @property
    def weight(self) -> int:
        """Ten per step."""

class Leaf(Node):
    def __init__(self) -> None: ...

class Matrix:
    @property
    def T(self) -> Matrix:
        ...

    def __init__(self) -> None: ...

    def apply(self, v: Generic[nbhazards.T], /) -> Generic[nbhazards.T]: ...

class Mode(Enum):
    Fast = 1

class Node:
    def __init__(self) -> None: ...

class Orphan:
    ...

class Pair(Base, _Generic[K, W]):
    ...

class Registry:
    @builtins.property
    def size(self) -> int:
        """Length of the name."""

    def __init__(self) -> None: ...

    def property(self, key: str) -> str:
        """Look a property up by name."""

class Session:
    """
    A pure-Python front end over the bindings, as nvFuser's FusionDefinition is.
    """
    class _sub_module:
        """The module :mod:`nbhazards.sub`, as the type of ``sub``."""

        Pinger = nbhazards.Pinger

        @staticmethod
        def ping() -> str:
            """Reply with 'pong'."""

    sub: _sub_module
    widget_type: type[Widget]

    def __init__(self) -> None: ...

    def configure(self, cfg: Config = ...) -> int:
        """Configure, as the bound function does: it only forwards."""

    def log(self, *args: Any, **kwargs: Any) -> Any:
        """Forward somewhere the source cannot tell: kept as it is."""

class Slotted:
    def __repr__(self, /) -> str:
        """Return repr(self)."""

    def __hash__(self, /) -> int:
        """Return hash(self)."""

    def __init__(self) -> None: ...

    def __len__(self, /) -> int:
        """Return len(self)."""

    def __getitem__(self, key: Any, /) -> Any:
        """Return self[key]."""

class Version:
    def __init__(self) -> None: ...

    def eq(self, arg: Version, /) -> bool: ...

    def __eq__(self, arg: Version, /) -> bool: ...  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]

class Widget:
    count: Final[int] = ...
    """How many exist."""

    def __init__(self) -> None: ...

    @staticmethod
    def create() -> Any: ...

    def __eq__(self, _other: object) -> bool: ...

    class Part:
        @property
        def n(self) -> int:
            ...
        @n.setter
        def n(self, arg: int, /) -> None: ...

class _Context:
    def __enter__(self) -> _Context: ...

@overload
def classify(item: Base) -> str: ...

@overload
def classify(item: Derived) -> str: ...  # type: ignore[overload-cannot-match]  # pyright: ignore[reportOverlappingOverload]

def collapse(arg: int, /) -> int: ...

def configure(cfg: Config = ...) -> int: ...

def context() -> _Context: ...

def copy_range(from_: int, /, to: int) -> int: ...

def empty_name(arg0: int, /) -> int: ...

def first(items: list[T], /) -> T: ...

def from_jax(a: Any) -> int: ...

def gather(items: Sequence[Any]) -> int: ...

@overload
def gather_all(arg: Slotted, /) -> Slotted: ...  # type: ignore[overload-overlap]

@overload
def gather_all(*args: *Ts) -> tuple[*Ts]: ...

def global_(arg0: int, arg1: float, arg2: bool, /) -> None:
    """Documented, but its arguments are unnamed."""

def head_of(values: Any) -> int: ...

def info(key: Literal[4528, 4529]) -> int: ...

@deprecated("gone")
def legacy() -> int: ...

def load_binary(which: int) -> Binary | _Binary | None: ...

def maybe_box(arg: int, /) -> Any | None: ...

def mixed(a: int, b: int, *args: Any, c: int = 3, **kwargs: Any) -> int: ...

@overload
def pass_through(node: Node) -> Node: ...

@overload
def pass_through(node: Leaf) -> Leaf: ...  # type: ignore[overload-cannot-match]  # pyright: ignore[reportOverlappingOverload]

def pick(item: Item = ...) -> int: ...

def pick_or(value: V, fallback: V, /) -> V: ...

def place(p: Point, q: Any | None = None) -> Point: ...

def points(a: Annotated[NDArray[numpy.float32], dict(shape=(None, 3), order='C')]) -> int: ...

def resample(filter: Callable[[float], float]) -> Slotted: ...

@overload
def rms_norm(x: float, bias: float | None, scale: float, eps: float) -> float: ...

@overload
def rms_norm(x: float, bias: float | None = None, *, scale: float, eps: float) -> float: ...

def run(mode: Mode = Mode.Fast, limit: int | None = None, scale: float = 0.5) -> float: ...

def scale_by(x: _Scalar) -> float: ...

def set_mode(mode: int = ...) -> int: ...

@overload
def shadow(v: int) -> float: ...

@overload
def shadow(v: float) -> float: ...

@overload
def spread(arg: int, /) -> int: ...  # pyright: ignore[reportOverlappingOverload]

@overload
def spread(*args: Any) -> tuple[Any, ...]: ...

def to_torch(a: Any) -> int: ...

def toggle(flag: Slotted | bool = True) -> None: ...

def widgets(items: Widget) -> Config: ...
