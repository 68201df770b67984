"""An optional submodule whose dependency is missing."""

import nbsplit_missing_dependency  # noqa: F401
