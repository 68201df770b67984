# Names mlx's nb::sig texts use without defining them at runtime (mlx defines them in the
# pattern file of its own build, which its wheel does not ship). Written for the bench from
# what the names mean in mlx's documentation.
mlx.core.__prefix__:
    \from typing import Any, BinaryIO, ParamSpec, Protocol, TypeAlias, TypeVar
    P = ParamSpec("P")
    R = TypeVar("R")
    file: TypeAlias = BinaryIO
    scalar: TypeAlias = bool | int | float
    list_or_scalar: TypeAlias = scalar | list[Any]
    StreamOrDevice: TypeAlias = Stream | Device | None

    class DLPackCompatible(Protocol):
        def __dlpack__(self, *args: Any, **kwargs: Any) -> Any: ...
        def __dlpack_device__(self, *args: Any, **kwargs: Any) -> Any: ...

mlx.core.(cuda|distributed|fast|fft|linalg|metal|random).__prefix__:
    \from mlx.core import StreamOrDevice, scalar, list_or_scalar, file, P, R, DLPackCompatible
