"""Test-only extension: binding shapes that break stub generators (see FIELD-NOTES §2, §2b)."""

from enum import Enum  # noqa: F401 - a foreign class re-exported: an alias, not our API
from math import sqrt  # noqa: F401 - a foreign builtin function re-exported

from ._hazards import *  # noqa: F403
from ._hazards import sub

# A class defined in the submodule, re-exported at the top: documented where it is defined.
Pinger = sub.Pinger


def _same_widget(_self: object, _other: object) -> bool:
    return _self is _other


class Session:
    """A pure-Python front end over the bindings, as nvFuser's FusionDefinition is."""

    def __init__(self) -> None:
        self.sub = sub  # a module of the package, reached as an instance attribute
        self.widget_type = Widget  # a class of the package  # noqa: F405
        self._hidden = None

    def configure(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Configure, as the bound function does: it only forwards."""
        level = configure(*args, **kwargs)  # noqa: F405
        return level

    def log(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Forward somewhere the source cannot tell: kept as it is."""
        print(*args, **kwargs)


# A Python function made a method after the fact (islpy does this for __eq__).
Widget.__eq__ = _same_widget  # type: ignore[assignment,method-assign]  # noqa: F405

__all__ = [name for name in dir() if not name.startswith("_")]
