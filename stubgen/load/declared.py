"""What a binding declares for one overload, as verify reads it apart from the loader's walk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stubgen.parse.signature import DefaultValue


@dataclass(frozen=True)
class Declared:
    """One overload as its binding declares it.

    ``text`` is the signature text (None: the binding declares one that cannot be read);
    ``defaults`` the defaults the binding spells, or ``values`` the live default objects
    (nanobind's), for the reader to spell.
    """

    text: str | None
    defaults: list[DefaultValue] | None = None
    values: tuple[Any, ...] | None = None
