"""Test-only extension: binding shapes that break stub generators (see FIELD-NOTES §2, §2b)."""

from ._hazards import *  # noqa: F403
from ._hazards import sub  # noqa: F401
