"""Stubs: the model rendered as a PEP 561 tree of ``.pyi`` files, clean by construction.

What other stages use of it: :func:`render_stubs`, and the naming decisions that ``verify``
must share with it (which file a module's stub goes to, which names a stub defines).
"""

from stubgen.stubs.render import (
    SKIPPED_MEMBERS,
    StubFiles,
    defined_names,
    render_stubs,
    stub_file_name,
    stub_parameter_names,
    written_parameters,
)

__all__ = [
    "SKIPPED_MEMBERS",
    "StubFiles",
    "defined_names",
    "render_stubs",
    "stub_file_name",
    "stub_parameter_names",
    "written_parameters",
]
