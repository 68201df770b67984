"""Stubs: the model rendered as a PEP 561 tree of ``.pyi`` files, clean by construction.

What other stages use of it: :func:`render_stubs`, the one reader of stubs back into the
model (:func:`module_from_stub`, :func:`model_from_stubs`), and the decisions that ``verify`` and
``diff`` must share with it (the names a stub defines and gives parameters, the numeric
promotions a binding converts along, the overloads the runtime can call), and the types as the stubs write them, for the docs.
"""

from stubgen.stubs.checkers import (
    NUMERIC_PROMOTIONS,
    callable_overloads,
    defaults_dropped,
    keyword_tail,
    written_result,
)
from stubgen.stubs.file_names import WrittenTypes
from stubgen.stubs.reader import model_from_stubs, module_from_stub
from stubgen.stubs.render import (
    StubFiles,
    defined_names,
    evidence_reorders,
    module_names,
    render_stubs,
    stub_file_name,
    stub_parameter_names,
    type_param_name,
)

__all__ = [
    "NUMERIC_PROMOTIONS",
    "callable_overloads",
    "defaults_dropped",
    "keyword_tail",
    "StubFiles",
    "WrittenTypes",
    "defined_names",
    "evidence_reorders",
    "model_from_stubs",
    "module_from_stub",
    "module_names",
    "render_stubs",
    "stub_file_name",
    "stub_parameter_names",
    "type_param_name",
    "written_result",
]
