"""A private module: its Context is reached only as the base of shapes.Context."""


class Context:
    """The private base."""

    def run(self) -> int:
        """Run once."""
        return 1
