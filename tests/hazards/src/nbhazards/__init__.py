"""Test-only extension: binding shapes that break stub generators (see FIELD-NOTES §2, §2b)."""

from enum import Enum  # noqa: F401 - a foreign class re-exported: an alias, not our API
from math import sqrt  # noqa: F401 - a foreign builtin function re-exported

from ._hazards import *  # noqa: F403
from ._hazards import sub

# A class defined in the submodule, re-exported at the top: documented where it is defined.
Pinger = sub.Pinger

__all__ = [name for name in dir() if not name.startswith("_")]
