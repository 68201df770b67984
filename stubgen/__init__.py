"""nbapi: stubs, docs and a coverage gate for compiled (nanobind and pybind11) extensions.

The pipeline runs one way, and the folders show it: :mod:`stubgen.load` imports the extension
in a child process and walks it into the :mod:`stubgen.model` (plain dataclasses, JSON), with
the readers of :mod:`stubgen.parse`; the stages render the model (:mod:`stubgen.stubs`,
:mod:`stubgen.docs`, :mod:`stubgen.coverage`) or check it (:mod:`stubgen.verify`,
:mod:`stubgen.check`); :mod:`stubgen.pipeline` runs them over the settings of
:mod:`stubgen.config`, and :mod:`stubgen.cli` is the ``nbapi`` command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stubgen.load.isolate import load_model
    from stubgen.model.api import ApiModel
    from stubgen.model.json_io import model_from_json, model_to_json

__version__ = "0.1.0"
__all__ = ["ApiModel", "__version__", "load_model", "model_from_json", "model_to_json"]

# Each process imports only what its verb needs: these names are read on first use.
_LAZY = {
    "load_model": "stubgen.load.isolate",
    "ApiModel": "stubgen.model.api",
    "model_from_json": "stubgen.model.json_io",
    "model_to_json": "stubgen.model.json_io",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'stubgen' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name]), name)
