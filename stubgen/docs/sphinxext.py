"""Sphinx extension for projects that keep their own ``conf.py``.

Add ``"stubgen.docs.sphinxext"`` to ``extensions``. It provides:

* the ``nbapi-module`` directive, which renders one module's API from a model JSON file
  (``nbapi model MODULE -o FILE``) without importing anything::

      .. nbapi-module:: tinyfuser.ops
         :model: ../../out/tinyfuser.model.json

* an autodoc bridge: ``automodule``/``autofunction``/``autoclass`` on a nanobind module
  document module-level nanobind functions as functions (autodoc alone takes them for data),
  give every overload its own signature line from the model and its own docstring, and hand
  sphinx-autodoc-typehints a Python stand-in carrying the first overload's annotations so it
  can render parameter and return types. Models come from ``nbapi_models`` (a dict from
  module name to model JSON, relative to the source directory) or are built in-process from
  the module autodoc has imported anyway. The bridge uses autodoc's documented class-based
  API, so enabling it sets ``autodoc_use_legacy_class_based = True``.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import keyword
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

from stubgen.docs.rst import RstWriter, arguments_text
from stubgen.load.nanobind import is_nb_function
from stubgen.load.runtime import inspect_module
from stubgen.model.api import ApiModel, Function, Module, Overload
from stubgen.model.json_io import model_from_json
from stubgen.model.names import NameIndex
from stubgen.model.walk import iter_classes, iter_modules

_KINDS = {
    "positional_only": inspect.Parameter.POSITIONAL_ONLY,
    "positional_or_keyword": inspect.Parameter.POSITIONAL_OR_KEYWORD,
    "var_positional": inspect.Parameter.VAR_POSITIONAL,
    "keyword_only": inspect.Parameter.KEYWORD_ONLY,
    "var_keyword": inspect.Parameter.VAR_KEYWORD,
}


@functools.cache
def _model_from_file(path: str) -> ApiModel:
    return model_from_json(Path(path).read_text(encoding="utf-8"))


@functools.cache
def _model_in_process(module: str) -> ApiModel:
    return inspect_module(module)


def _find_module(model: ApiModel, path: str) -> Module | None:
    return next((m for m in iter_modules(model.module) if path in (m.path, m.runtime_path)), None)


class ApiModuleDirective(SphinxDirective):
    """``.. nbapi-module:: NAME`` renders the API of module NAME from a model JSON file."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"model": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        """Render the module's functions and classes as Python-domain directives."""
        name = self.arguments[0]
        configured = self.config.nbapi_models.get(name.split(".")[0])
        path = self.options.get("model") or configured
        if not path:
            raise self.error(f"nbapi-module {name}: give :model: or set nbapi_models")
        file = Path(self.env.srcdir) / path
        try:
            model = _model_from_file(str(file))
        except (OSError, ValueError) as exc:
            raise self.error(f"nbapi-module {name}: cannot read model {file}: {exc}") from exc
        module = _find_module(model, name)
        if module is None:
            raise self.error(f"nbapi-module: {name} is not in the model {file}")
        self.env.note_dependency(str(file))
        writer = RstWriter(NameIndex.from_model(model))
        lines = [f".. py:module:: {module.path}", ""]
        lines += writer.docstring(module.doc, [module.path])
        lines += writer.module_functions(module)
        for cls in module.classes:
            lines += writer.klass(cls, module)
        container = nodes.container()
        nested_parse_with_titles(self.state, StringList(lines, source=name), container)
        return list(container.children)


# -- the autodoc bridge -----------------------------------------------------------------------


def _model_for(app: Sphinx, module_name: str) -> ApiModel | None:
    top = module_name.split(".")[0]
    configured = app.config.nbapi_models.get(top)
    if configured:
        return _model_from_file(str(Path(app.srcdir) / configured))
    try:
        return _model_in_process(top)
    except Exception:
        return None


def _function_in(model: ApiModel, fullname: str) -> Function | None:
    for module in iter_modules(model.module):
        candidates = list(module.functions)
        for cls in iter_classes(module.classes):
            candidates += cls.functions
        for fn in candidates:
            if fullname in (fn.path, fn.runtime_path):
                return fn
    return None


def _stand_in(live: Any, overload: Overload, name: str) -> Any:
    """Return a Python function with the overload's signature and evaluated annotations."""
    namespace: dict[str, Any] = {}
    parameters, annotations = [], {}
    for p in overload.parameters:
        if not p.name.isidentifier() or keyword.iskeyword(p.name):
            return live
        annotation: Any = inspect.Parameter.empty
        if p.annotation:
            annotation = _evaluate(p.annotation, namespace)
            if annotation is not inspect.Parameter.empty:
                annotations[p.name] = annotation
        parameters.append(inspect.Parameter(p.name, _KINDS[p.kind], annotation=annotation))
    returns = (
        _evaluate(overload.returns, namespace) if overload.returns else inspect.Parameter.empty
    )
    if returns is not inspect.Parameter.empty:
        annotations["return"] = returns

    def stand_in(*args: Any, **kwargs: Any) -> Any:
        return live(*args, **kwargs)

    stand_in.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    stand_in.__annotations__ = annotations
    stand_in.__name__ = stand_in.__qualname__ = name
    stand_in.__module__ = getattr(live, "__module__", None) or "builtins"
    stand_in.__doc__ = None
    return stand_in


def _evaluate(text: str, namespace: dict[str, Any]) -> Any:
    for word in {part.split(".")[0] for part in text.replace("[", " ").replace("|", " ").split()}:
        if word.isidentifier() and word not in namespace:
            try:
                namespace[word] = importlib.import_module(word)
            except ImportError:
                pass
    try:
        return eval(text, namespace)
    except Exception:
        return inspect.Parameter.empty


class _BridgeMixin:
    """Shared behaviour of the function and method documenters of the bridge."""

    _nb_function: Function | None = None
    env: Any
    object: Any
    fullname: str
    modname: str
    objpath: list[str]
    objtype: str
    options: Any
    _events: Any

    _is_method = False

    def import_object(self, raiseerror: bool = False) -> bool:
        """Import as autodoc does, then find the object's entry in the model."""
        ok = bool(super().import_object(raiseerror))  # type: ignore[misc]
        if ok:
            self._attach()
        return ok

    def format_signature(self, **kwargs: Any) -> str:
        """Return one signature line per overload (autodoc's own for other objects)."""
        mine = self._nb_signature(method=self._is_method)
        return mine or str(super().format_signature(**kwargs))  # type: ignore[misc]

    def get_doc(self) -> list[list[str]] | None:
        """Return every overload's docstring, rendered (autodoc's own for other objects)."""
        return self._nb_doc() or super().get_doc()  # type: ignore[misc]

    def process_doc(self, docstrings: list[list[str]]) -> Any:
        """Run the docstring handlers, with the typed stand-in for nanobind objects."""
        return self._process_nb_doc(super().process_doc, docstrings)  # type: ignore[misc]

    def check_module(self) -> bool:
        """Accept nanobind functions defined in the package's private extension module.

        Their ``__module__`` is the extension (``pkg._C.ops``), not the module users import
        and autodoc documents (``pkg.ops``), so autodoc would skip them silently.
        """
        if is_nb_function(self.object):
            top = self.modname.split(".")[0]
            module = str(getattr(self.object, "__module__", "") or "")
            return module == top or module.startswith(top + ".")
        return bool(super().check_module())  # type: ignore[misc]

    def _attach(self) -> None:
        if not is_nb_function(self.object):
            return
        model = _model_for(self.env.app, self.modname)
        if model is not None:
            self._nb_function = _function_in(model, self.fullname)

    def _nb_signature(self, method: bool) -> str | None:
        fn = self._nb_function
        if fn is None:
            return None
        lines = []
        for overload in fn.overloads:
            first = overload.parameters[0].name if overload.parameters else ""
            args = arguments_text(
                overload.parameters, drop_first=method and first in ("self", "cls")
            )
            text = f"({args})" + (f" -> {overload.returns}" if overload.returns else "")
            lines.append(" ".join(text.split()))
        # Not passed through autodoc-process-signature: handlers there (typehints among
        # them) rebuild one signature from the object and would drop the other overloads.
        return "\n".join(lines)

    def _nb_doc(self) -> list[list[str]] | None:
        fn = self._nb_function
        if fn is None:
            return None
        model = _model_for(self.env.app, self.modname)
        writer = RstWriter(NameIndex.from_model(model)) if model else None
        lines: list[str] = []
        scopes = [fn.path.rsplit(".", 1)[0]]
        documented = [(i, o) for i, o in enumerate(fn.overloads) if o.doc is not None]
        for i, overload in documented:
            if len(fn.overloads) > 1:
                lines += [f"*Overload {i + 1} of {len(fn.overloads)}.*", ""]
            assert writer is not None
            lines += writer.docstring(overload.doc, scopes, overload)
        return [lines]

    def _process_nb_doc(self, process: Any, docstrings: list[list[str]]) -> Any:
        """Run autodoc-process-docstring handlers with a stand-in for the object.

        sphinx-autodoc-typehints reads parameter and return types from the object it is
        given; the stand-in carries the annotations, evaluated, of the first overload that
        has a docstring (the one whose text is shown first).
        """
        fn = self._nb_function
        if fn is None:
            yield from process(docstrings)
            return
        live = self.object
        shown = next((o for o in fn.overloads if o.doc is not None), fn.overloads[0])
        self.object = _stand_in(live, shown, fn.name)
        try:
            yield from process(docstrings)
        finally:
            self.object = live


def _documenters() -> tuple[type, type]:
    try:  # Sphinx 9 keeps the class-based documenters apart
        from sphinx.ext.autodoc._legacy_class_based._documenters import (
            FunctionDocumenter,
            MethodDocumenter,
            ModuleDocumenter,
        )
    except ImportError:  # Sphinx 7 and 8
        from sphinx.ext.autodoc import (  # type: ignore[attr-defined,no-redef,unused-ignore]
            FunctionDocumenter,
            MethodDocumenter,
            ModuleDocumenter,
        )

    class NbFunctionDocumenter(_BridgeMixin, FunctionDocumenter):  # type: ignore[misc]
        """Module-level nanobind functions, documented as functions with every overload."""

        @classmethod
        def can_document_member(
            cls, member: Any, membername: str, isattr: bool, parent: Any
        ) -> bool:
            if is_nb_function(member) and isinstance(parent, ModuleDocumenter):
                return True
            return bool(super().can_document_member(member, membername, isattr, parent))

    class NbMethodDocumenter(_BridgeMixin, MethodDocumenter):  # type: ignore[misc]
        """nanobind methods, with every overload's signature and docstring."""

        _is_method = True

    return NbFunctionDocumenter, NbMethodDocumenter


def _enable_bridge(app: Sphinx, config: Config) -> None:
    if not config.nbapi_autodoc_bridge:
        return
    config.autodoc_use_legacy_class_based = True


def _register_documenters(app: Sphinx, config: Config) -> None:
    if config.nbapi_autodoc_bridge:
        for documenter in _documenters():
            app.add_autodocumenter(documenter, override=True)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive, the configuration values and the autodoc bridge."""
    app.setup_extension("sphinx.ext.autodoc")
    app.add_config_value("nbapi_models", {}, "env", types=frozenset({dict}))
    app.add_config_value("nbapi_autodoc_bridge", True, "env", types=frozenset({bool}))
    app.add_directive("nbapi-module", ApiModuleDirective)
    # Before autodoc registers its directives (priority 500), and after, to override.
    app.connect("config-inited", _enable_bridge, priority=100)
    app.connect("config-inited", _register_documenters, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
