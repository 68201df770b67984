"""
Plain Python classes the extension's signatures name from outside its own module.
"""

from collections.abc import Iterable as _Iterable
import enum
import pathlib
from typing import (
    Any as Any,
    Generic as Generic,
    Iterable as Iterable,
    Iterator as Iterator,
    TypeVar as TypeVar,
    Union as Union,
    overload as overload
)

from typing_extensions import (
    TypeVar as _TypeVar,
    TypeVarTuple,
    Unpack
)

import nbhazards as hz
from nbhazards import Slotted


Extra = TypeVar("Extra")
Scale = _TypeVar("Scale", bound=float, default=int)
Dims = TypeVarTuple("Dims", default=Unpack[tuple[int, ...]])
__build_type__: str = 'Release'
__version__: str = '1.2.3'
DEVICE_PROPERTIES: dict[str, int] | None

class Context(_Context):
    """Named like its base, which a private module defines."""

    def more(self) -> int:
        """Run twice."""

class Point:
    """A point."""
    x: float

class Store(Generic[Extra]):
    """A generic Python class, named bare in annotations."""

    def run(self, *args: Any, **kwargs: Any) -> None:
        """Accept anything."""

class PlainStore(Store[Any]):
    """
    A subclass with a bare generic base, overriding a method that accepts anything.
    """

    def run(self, name: str, count: int = 1) -> None:
        """Accept a name and a count."""

class Names(dict[str, int]):
    """A dict whose keys() its authors knowingly changed."""

    def keys(self) -> list[str]:  # type: ignore[override, unused-ignore]
        """The keys, as a list."""

class Level(enum.Enum):
    """
    An enum with a method of the package's own (pyopencl's program_kind.to_string).
    """
    LOW = 1
    HIGH = 2

    @classmethod
    def to_string(cls, value: int) -> str:
        """Name a value."""

class Kernel:
    """A Python function set under two names (pyopencl's set_arg_types)."""

    def set_scalar_arg_dtypes(self, dtypes: list[str]) -> None:
        """Set the dtypes."""

    set_arg_types = set_scalar_arg_dtypes

class Tags(_Iterable[str]):
    """Tag names: typing adds a bare Generic to the __bases__ of this class."""

    def __iter__(self) -> Iterator[str]: ...

class Named(pathlib.PurePosixPath):
    """
    A class attribute over a property of another package's class (openjij over dimod).
    """
    name: str  # pyright: ignore[reportIncompatibleMethodOverride]

class _Context:
    """The private base."""

    def run(self) -> int:
        """Run once."""

def keep(store: Store[Any], weight: Union[int, Point]) -> Slotted:
    """Name the bare generic and a forward reference inside the annotation."""

@overload
def scale(x: int) -> int: ...

@overload
def scale(x: float) -> float:
    """Scale by two (typing overloads at runtime)."""

def probe_device() -> dict[str, int]:
    """Read the device's properties (a GPU host only, in nvFuser)."""
