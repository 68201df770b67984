"""Stubs on disk against what the runtime declares, read apart from the loader's model."""

from stubgen.verify.compare import Curation, verify_stubs
from stubgen.verify.from_model import curation_of, scope_from_model
from stubgen.verify.runtime import read_runtime

__all__ = ["Curation", "curation_of", "read_runtime", "scope_from_model", "verify_stubs"]
