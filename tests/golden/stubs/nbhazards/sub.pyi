"""A def_submodule submodule."""


class Pinger:
    def __init__(self) -> None: ...

def ping() -> str:
    """Reply with 'pong'."""
