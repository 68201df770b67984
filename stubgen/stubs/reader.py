"""Read ``.pyi`` stubs back into the model: the one stub reader, for verify and for diff.

``nbapi verify`` reads each stub file (:func:`module_from_stub`) and compares it with the
runtime; ``nbapi diff --against REF`` reads a whole tree (:func:`model_from_stubs`), the stubs
committed at a git ref and the stubs the current model renders, so they compare like for like
(the same local spelling of every annotation). What a stub cannot say (docstrings aside) is
left out: the model holds functions with their overloads, classes with bases, methods,
properties, attributes and enum members, module attributes and re-exports, and submodules by
file.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from stubgen.errors import ToolError
from stubgen.model.api import (
    ApiModel,
    Attribute,
    Class,
    EnumMember,
    Function,
    FunctionKind,
    Module,
    Overload,
    Parameter,
    ParameterKind,
    Property,
)

_ENUM_BASES = ("Enum", "IntEnum", "Flag", "IntFlag", "StrEnum")


def model_from_stubs(files: dict[str, str], module: str) -> ApiModel:
    """Build the model of ``module`` from stub files.

    Parameters
    ----------
    files : dict of str to str
        Stub texts by path relative to the stubs' root (``pkg/__init__.pyi``, ``pkg/ops.pyi``).
    module : str
        The top module's import name.

    Returns
    -------
    ApiModel
        The module tree the stubs describe.

    Raises
    ------
    ToolError
        If no stub of ``module`` is among ``files`` or one does not parse.
    """
    modules: dict[str, Module] = {}
    for name, text in sorted(files.items()):
        path = PurePosixPath(name)
        if path.suffix != ".pyi":
            continue
        parts = list(path.with_suffix("").parts)
        package = parts[-1] == "__init__"
        dotted = ".".join(parts[:-1] if package else parts)
        if dotted != module and not dotted.startswith(module + "."):
            continue
        try:
            modules[dotted] = module_from_stub(text, dotted, package=package, public=True)
        except (SyntaxError, ValueError) as exc:
            raise ToolError(f"stub {name} does not parse: {exc}") from exc
    if module not in modules:
        raise ToolError(f"no stub of {module} among the stubs read")
    for dotted in sorted(modules, key=lambda d: -d.count(".")):
        parent = dotted.rpartition(".")[0]
        if dotted != module and parent in modules:
            modules[parent].submodules.insert(0, modules[dotted])
    for mod in modules.values():
        mod.submodules.sort(key=lambda m: m.name)
    return ApiModel(module=modules[module])


def module_from_stub(text: str, dotted: str, *, package: bool, public: bool) -> Module:
    """Read one stub file: the module ``dotted`` (without its submodules).

    Parameters
    ----------
    text : str
        The stub's text.
    dotted : str
        The module's import name.
    package : bool
        Whether the file is a package's ``__init__.pyi``.
    public : bool
        Keep only public names (an API diff); False keeps every name the stub writes
        (verify holds each to the runtime).

    Returns
    -------
    Module
        The module the stub describes.

    Raises
    ------
    SyntaxError, ValueError
        If the text does not parse.
    """
    return _module(dotted, ast.parse(text, filename=dotted).body, package, public)


def _flatten(body: list[ast.stmt]) -> list[ast.stmt]:
    """Return the statements of a body, with those of ``if`` branches (version checks)."""
    result: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.If):
            result += _flatten(node.body)
        else:
            result.append(node)
    return result


def _module(dotted: str, body: list[ast.stmt], package: bool, public: bool) -> Module:
    module = Module(dotted.rpartition(".")[2], dotted, dotted, is_package=package)
    functions: dict[str, Function] = {}
    for node in _flatten(body):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            _add_overload(functions, node, f"{dotted}.{node.name}", in_class=False)
        elif isinstance(node, ast.ClassDef):
            module.classes.append(_class(node, f"{dotted}.{node.name}", public))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname == alias.name and _kept(alias.name, public):
                    module.aliases[alias.name] = f"{node.module}.{alias.name}"
        else:
            for attribute in _attributes(node, dotted):
                if _kept(attribute.name, public):
                    module.attributes.append(attribute)
    module.functions = [f for f in functions.values() if _kept(f.name, public)]
    return module


def _kept(name: str, public: bool) -> bool:
    return not (public and name.startswith("_"))


def _attributes(node: ast.stmt, owner: str) -> list[Attribute]:
    """Read an assignment: ``x: T = v`` (typed) or ``x = v`` (one per name assigned)."""
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        value = ast.unparse(node.value) if node.value is not None else None
        name = node.target.id
        return [Attribute(name, f"{owner}.{name}", ast.unparse(node.annotation), value)]
    if isinstance(node, ast.Assign):
        value = ast.unparse(node.value)
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        return [Attribute(name, f"{owner}.{name}", "", value) for name in names]
    return []


def _class(node: ast.ClassDef, path: str, public: bool) -> Class:
    bases = [ast.unparse(b) for b in node.bases]
    is_enum = any(b.rpartition(".")[2] in _ENUM_BASES for b in bases)
    cls = Class(node.name, path, path, bases=bases, is_enum=is_enum)
    functions: dict[str, Function] = {}
    for item in _flatten(node.body):
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            decorators = {ast.unparse(d).removeprefix("builtins.") for d in item.decorator_list}
            if "property" in decorators:
                prop = Property(item.name, f"{path}.{item.name}")
                prop.type = ast.unparse(item.returns) if item.returns else None
                cls.properties.append(prop)
            elif any(d.endswith(".setter") for d in decorators):
                for prop in cls.properties:
                    if prop.name == item.name:
                        prop.readonly = False
            else:
                _add_overload(functions, item, f"{path}.{item.name}", in_class=True)
        elif isinstance(item, ast.ClassDef):
            cls.classes.append(_class(item, f"{path}.{item.name}", public))
        else:
            for attribute in _attributes(item, path):
                if not _kept(attribute.name, public):
                    continue
                if is_enum and not attribute.type:
                    cls.members.append(EnumMember(attribute.name, attribute.value or "..."))
                elif attribute.value in functions:
                    cls.aliases[attribute.name] = attribute.value
                else:
                    cls.attributes.append(attribute)
    cls.functions = list(functions.values())
    return cls


def _add_overload(
    functions: dict[str, Function],
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    path: str,
    *,
    in_class: bool,
) -> None:
    decorators = [ast.unparse(d).removeprefix("builtins.") for d in node.decorator_list]
    kind: FunctionKind = "function"
    if in_class:
        kind = "method"
        if "staticmethod" in decorators:
            kind = "staticmethod"
        elif "classmethod" in decorators:
            kind = "classmethod"
    fn = functions.setdefault(node.name, Function(node.name, path, path, kind=kind))
    returns = ast.unparse(node.returns) if node.returns else None
    fn.overloads.append(
        Overload(
            signature=f"def {node.name}(...)", parameters=_parameters(node.args), returns=returns
        )
    )


def _parameters(args: ast.arguments) -> list[Parameter]:
    params: list[Parameter] = []
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    for i, a in enumerate(positional):
        kind: ParameterKind = (
            "positional_only" if i < len(args.posonlyargs) else "positional_or_keyword"
        )
        default = args.defaults[i - first_default] if i >= first_default else None
        params.append(_parameter(a, kind, default))
    if args.vararg:
        params.append(_parameter(args.vararg, "var_positional", None))
    for a, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(_parameter(a, "keyword_only", kw_default))
    if args.kwarg:
        params.append(_parameter(args.kwarg, "var_keyword", None))
    return params


def _parameter(arg: ast.arg, kind: ParameterKind, default: ast.expr | None) -> Parameter:
    annotation = ast.unparse(arg.annotation) if arg.annotation else None
    value = None if default is None else ast.unparse(default)
    return Parameter(
        arg.arg,
        kind,
        annotation,
        has_default=default is not None,
        default=None if value == "..." else value,
    )
