"""Stubs, docs and a coverage gate for compiled (nanobind) Python extensions.

The pipeline, one direction: :mod:`stubgen.load` imports the extension in a child process and
builds the :mod:`stubgen.model` (plain dataclasses, JSON); parsers for signatures and
docstrings live in :mod:`stubgen.parse`; :mod:`stubgen.cli` is the command line.
"""

from stubgen.load.isolate import load_model
from stubgen.model.api import ApiModel
from stubgen.model.json_io import model_from_json, model_to_json

__version__ = "0.1.0"
__all__ = ["ApiModel", "__version__", "load_model", "model_from_json", "model_to_json"]
