"""What the source of a package's Python classes says that their objects do not.

Read with ``ast`` from the source Python keeps (``inspect.getsource``), never executed:

* instance attributes that ``__init__`` assigns a module, class or function of the package
  (nvFuser's ``self.ops = ops``): the objects exist only once an instance does;
* unannotated methods whose every ``return`` is ``return self`` (``__enter__``): ``Self``;
* methods that only forward ``*args, **kwargs`` to a function (nvFuser's
  ``define_tensor(self, *args, **kwargs)`` calls the bound ``define_tensor``): the function
  they forward to says what they accept.
"""

from __future__ import annotations

import ast
import collections
import functools
import inspect
import textwrap
import types
from typing import Any

from stubgen.load.state import is_public


def _function_tree(fn: Any) -> ast.FunctionDef | None:
    """Parse the source of a Python function; None when there is none to read."""
    fn = inspect.unwrap(fn)
    return _parsed(fn) if isinstance(fn, types.FunctionType) else None


@functools.cache
def _parsed(fn: types.FunctionType) -> ast.FunctionDef | None:
    """Parse once: a method is asked both whether it forwards and whether it returns self."""
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    node = tree.body[0] if tree.body else None
    return node if isinstance(node, ast.FunctionDef) else None


def _resolve(node: ast.expr, scope: dict[str, Any]) -> object | None:
    """Return what a name or dotted name of the function's module refers to, if anything."""
    if isinstance(node, ast.Name):
        return scope.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, scope)
        return getattr(owner, node.attr, None) if isinstance(owner, types.ModuleType) else None
    return None


def init_assignments(cls: type) -> dict[str, object]:
    """Return the public ``self.NAME = VALUE`` of ``cls.__init__`` whose value is a name.

    Only values the function's module names directly (``ops``, ``pkg.schedule``) are
    resolved, to the objects they are at the time of the walk; the caller keeps those of
    the package. The last assignment of a name wins, as at runtime.
    """
    init = vars(cls).get("__init__")
    tree = _function_tree(init) if init is not None else None
    if init is None or tree is None:
        return {}
    scope = getattr(inspect.unwrap(init), "__globals__", {})
    found: dict[str, object] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
            and is_public(target.attr)
        ):
            value = _resolve(node.value, scope)
            if value is not None:
                found[target.attr] = value
    return found


def forwarded_function(method: Any) -> object | None:
    """Return the function ``method`` only forwards its ``*args, **kwargs`` to, if it does.

    The method must take ``(self, *args, **kwargs)`` and call one function of its module
    with exactly ``*args, **kwargs``, returning that call's result, directly or through
    one variable (``tv = define_tensor(*args, **kwargs)``, then ``return tv``).
    """
    tree = _function_tree(method)
    if tree is None:
        return None
    arguments = tree.args
    if not (arguments.vararg and arguments.kwarg and len(arguments.args) == 1):
        return None
    star, stars = arguments.vararg.arg, arguments.kwarg.arg
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _forwards(n, star, stars)]
    if len(calls) != 1:
        return None
    call = calls[0]
    returned = {
        ast.unparse(n.value) for n in ast.walk(tree) if isinstance(n, ast.Return) and n.value
    }
    holders = {
        t.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign) and n.value is call
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    if not (ast.unparse(call) in returned or holders & returned):
        return None
    scope = getattr(inspect.unwrap(method), "__globals__", {})
    target = _resolve(call.func, scope)
    return target if callable(target) else None


def _forwards(call: ast.Call, star: str, stars: str) -> bool:
    """Tell whether ``call`` passes on exactly ``*star, **stars`` and nothing else."""
    args, keywords = call.args, call.keywords
    return (
        len(args) == 1
        and isinstance(args[0], ast.Starred)
        and isinstance(args[0].value, ast.Name)
        and args[0].value.id == star
        and len(keywords) == 1
        and keywords[0].arg is None
        and isinstance(keywords[0].value, ast.Name)
        and keywords[0].value.id == stars
    )


def returns_self(method: Any) -> bool:
    """Tell whether an unannotated method returns ``self`` and nothing else.

    Every ``return`` of its own body (nested functions aside) is ``return self``, there is
    at least one, and the body does not end without one (``__enter__``, builder methods).
    """
    tree = _function_tree(method)
    if tree is None or not tree.args.args or tree.args.args[0].arg != "self":
        return False
    returns: list[ast.Return] = []
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            returns.append(node)
        stack.extend(ast.iter_child_nodes(node))
    ends = isinstance(tree.body[-1], (ast.Return, ast.Raise))
    return (
        bool(returns)
        and ends
        and all(isinstance(r.value, ast.Name) and r.value.id == "self" for r in returns)
    )


@functools.cache
def _module_tree(file: str) -> ast.Module | None:
    """Parse a module's source file once; None when it cannot be read."""
    try:
        with open(file, encoding="utf-8") as handle:
            return ast.parse(handle.read())
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None


def module_assignments(module: types.ModuleType, name: str) -> list[ast.expr] | None:
    """Return every value the module's own source assigns to ``name`` at module level.

    Assignments under ``if``, ``try`` and ``with`` count, function and class bodies do
    not: ``X = None`` then ``if torch.cuda.is_available(): X = probe()`` gives both values.
    None when the module has no Python source or another statement binds the name (an
    augmented assignment, a loop, an import), so the source cannot say what it holds.
    """
    file = getattr(module, "__file__", None)
    if not isinstance(file, str) or not file.endswith(".py"):
        return None
    index = _assignments(file)
    if index is None or name in index[1]:
        return None
    return index[0].get(name, [])


@functools.cache
def _assignments(file: str) -> tuple[dict[str, list[ast.expr]], set[str]] | None:
    """Index a module's top-level assignments once, for all of its attributes.

    Returns the assigned values by name, and the names something else binds (an
    annotation, an import, a loop), which the values cannot type.
    """
    tree = _module_tree(file)
    if tree is None:
        return None
    values: dict[str, list[ast.expr]] = {}
    other: set[str] = set()
    pending = collections.deque(tree.body)  # in the order Python runs the branches' heads
    while pending:
        node = pending.popleft()
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign):
            if isinstance(node.target, ast.Name):
                other.add(node.target.id)  # declared: the annotation says it, not the values
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            pending.extend(
                [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", [])]
            )
            for handler in getattr(node, "handlers", []):
                pending.extend(handler.body)
        else:
            other |= _bound_names(node)
    return values, other


def _bound_names(node: ast.stmt) -> set[str]:
    """Return the module-level names a statement other than an assignment binds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    targets: list[ast.expr] = []
    if isinstance(node, ast.AugAssign):
        targets = [node.target]
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        targets = [node.target]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def called_function(node: ast.expr, scope: dict[str, Any]) -> types.FunctionType | None:
    """Return the function a ``NAME(...)`` or ``mod.NAME(...)`` value calls, if it is one."""
    if not isinstance(node, ast.Call):
        return None
    target = _resolve(node.func, scope)
    return target if isinstance(target, types.FunctionType) else None
