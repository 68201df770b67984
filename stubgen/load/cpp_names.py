"""Name the classes pybind11 wrote by their C++ names because they were bound too late.

pybind11 writes a function's signature when the function is defined: a class bound after it
(``m.def("f", ...)`` before ``py::class_<Foo>``) appears by its C++ name,
``ROOT::Minuit2::MnStrategy``, although users hold ``iminuit._core.MnStrategy`` objects. When
the last part of such a qualified name is the name of exactly one class of the package, the
signature means that class: the model says so, keeps the C++ name in ``cpp_resolved`` for
the coverage finding (SIG005), and the stubs name the class instead of writing ``Any``.
"""

from __future__ import annotations

import dataclasses
import re

from stubgen.model.api import ApiModel, Class, Overload, Parameter
from stubgen.model.walk import iter_classes, iter_functions, iter_modules


def resolve_cpp_names(model: ApiModel) -> None:
    """Replace late-bound C++ class names in pybind11 signatures with the classes' paths.

    Parameters
    ----------
    model : ApiModel
        The model, changed in place: annotations of pybind11 functions and of the accessors
        of pybind11 classes, their ``unbound_types`` and ``cpp_resolved``.
    """
    by_name: dict[str, list[str]] = {}
    classes: list[Class] = []
    for module in iter_modules(model.module):
        for cls in iter_classes(module.classes):
            by_name.setdefault(cls.name, []).append(cls.path)
            classes.append(cls)
    unique = {name: paths[0] for name, paths in by_name.items() if len(paths) == 1}
    for fn in iter_functions(model):
        if fn.binding == "pybind11":
            for overload in fn.overloads:
                _resolve(overload, unique)
    for cls in classes:
        for prop in cls.properties:
            for accessor in (prop.getter, prop.setter):
                if accessor is not None and accessor.unbound_types:
                    _resolve(accessor, unique)
                    if accessor is prop.getter and prop.type is not None:
                        prop.type = _replace(prop.type, accessor.cpp_resolved)


def _resolve(overload: Overload, unique: dict[str, str]) -> None:
    resolved = {}
    for cpp in overload.unbound_types:
        if "<" not in cpp and "::" in cpp:  # a template is a container, not the class
            path = unique.get(cpp.rsplit("::", 1)[-1])
            if path is not None:
                resolved[cpp] = path
    if not resolved:
        return
    overload.cpp_resolved = resolved
    overload.unbound_types = [c for c in overload.unbound_types if c not in resolved]
    overload.returns = _replace(overload.returns, resolved)
    # Parsed parameters may be shared between overloads: replaced, never changed in place.
    overload.parameters = [_parameter(p, resolved) for p in overload.parameters]


def _parameter(param: Parameter, resolved: dict[str, str]) -> Parameter:
    annotation = _replace(param.annotation, resolved)
    if annotation == param.annotation:
        return param
    return dataclasses.replace(param, annotation=annotation)


def _replace(text: str | None, resolved: dict[str, str]) -> str | None:
    if text is None:
        return None
    for cpp, path in resolved.items():
        text = re.sub(re.escape(f'"{cpp}"'), path, text)
    return text
