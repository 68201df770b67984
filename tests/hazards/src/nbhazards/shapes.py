"""Plain Python classes the extension's signatures name from outside its own module."""

from __future__ import annotations

import enum
import os
import pathlib
from typing import Any, Generic, Iterable, Iterator, TypeVar, Union, overload  # noqa: UP035 - typing's: it adds Generic to __bases__

import typing_extensions

import nbhazards as hz  # the package's alias, which nb::sig texts use too
from nbhazards._impl import Context as _PrivateContext

Extra = TypeVar("Extra")
# PEP 696 defaults (typing_extensions before Python 3.13): kept in the stub.
Scale = typing_extensions.TypeVar("Scale", bound=float, default=int)
Dims = typing_extensions.TypeVarTuple("Dims", default=typing_extensions.Unpack[tuple[int, ...]])


# Module dunder constants beside __version__ are API (a build's own).
__build_type__ = "Release"
__version__ = "1.2.3"


class Context(_PrivateContext):
    """Named like its base, which a private module defines."""

    def more(self) -> int:
        """Run twice."""
        return 2


class Point:
    """A point."""

    x: float = 0.0


class Store(Generic[Extra]):
    """A generic Python class, named bare in annotations."""

    def run(self, *args: Any, **kwargs: Any) -> None:
        """Accept anything."""


class PlainStore(Store):  # type: ignore[type-arg]
    """A subclass with a bare generic base, overriding a method that accepts anything."""

    def run(self, name: str, count: int = 1) -> None:
        """Accept a name and a count."""


def keep(store: Store, weight: Union[int, "Point"]) -> hz.Slotted:  # type: ignore[type-arg]  # noqa: UP007, UP037
    """Name the bare generic and a forward reference inside the annotation."""
    return hz.Slotted()


class Names(dict[str, int]):
    """A dict whose keys() its authors knowingly changed."""

    def keys(self) -> list[str]:  # type: ignore[override]
        """The keys, as a list."""
        return list(super().keys())


class Level(enum.Enum):
    """An enum with a method of the package's own (pyopencl's program_kind.to_string)."""

    LOW = 1
    HIGH = 2

    @classmethod
    def to_string(cls, value: int) -> str:
        """Name a value."""
        return cls(value).name


class Kernel:
    """A Python function set under two names (pyopencl's set_arg_types)."""

    def set_scalar_arg_dtypes(self, dtypes: list[str]) -> None:
        """Set the dtypes."""

    set_arg_types = set_scalar_arg_dtypes


@overload
def scale(x: int) -> int: ...
@overload
def scale(x: float) -> float: ...
def scale(x: float) -> float:
    """Scale by two (typing overloads at runtime)."""
    return 2 * x


def probe_device() -> dict[str, int]:
    """Read the device's properties (a GPU host only, in nvFuser)."""
    return {"sm_count": 0}


# Set where the hardware is there: None on this host, a dict on another one.
DEVICE_PROPERTIES = None
if os.environ.get("NBHAZARDS_DEVICE"):  # another host's hardware
    DEVICE_PROPERTIES = probe_device()


class Tags(Iterable[str]):
    """Tag names: typing adds a bare Generic to the __bases__ of this class."""

    def __iter__(self) -> Iterator[str]:
        return iter(())


class Named(pathlib.PurePosixPath):
    """A class attribute over a property of another package's class (openjij over dimod)."""

    name = "hazards"
