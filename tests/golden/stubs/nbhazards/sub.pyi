"""A def_submodule submodule."""



def ping() -> str:
    """Reply with 'pong'."""
