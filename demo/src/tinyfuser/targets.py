"""Where fusions run: plain Python classes that the bindings' signatures name."""

from __future__ import annotations


class Target:
    """A device fusions can run on.

    Parameters
    ----------
    name : str
        The device's name, such as ``"cpu"``.
    """

    name: str

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Target({self.name!r})"
