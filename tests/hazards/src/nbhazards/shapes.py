"""Plain Python classes the extension's signatures name from outside its own module."""


class Point:
    """A point."""

    x: float = 0.0
