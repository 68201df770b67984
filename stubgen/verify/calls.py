"""Hold the stubs to the calls that ran: every traced call, type-checked against the stubs.

Each call of a calls file (``nbapi trace``) becomes a small typed function in a generated
module: its parameters are typed as the values were at run time, its body makes the call the
way the program made it (``a0.method(a1, key=k_key)``, ``a0 + a1``, ``Cls.prop = a1``), and
when the call returned a value, the result is assigned to a variable of the observed type.
mypy (and basedpyright, when installed) check the module against the stubs; an error on a
call's line is a call the stubs reject although it ran (VFY014), one on its result's line a
result the stubs type otherwise (VFY015).
"""

from __future__ import annotations

import ast
import functools
import json
import keyword
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mypy.sharedparse import special_function_elide_names

from stubgen.check import run_mypy
from stubgen.findings import Finding, finding
from stubgen.trace.calls import Call

# Dunder methods called by an operator or a builtin: how the program wrote the call.
_BINARY = {
    "add": "+", "sub": "-", "mul": "*", "matmul": "@", "truediv": "/", "floordiv": "//",
    "mod": "%", "pow": "**", "lshift": "<<", "rshift": ">>", "and": "&", "xor": "^", "or": "|",
}  # fmt: skip
_COMPARE = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}
_UNARY = {"neg": "-{0}", "pos": "+{0}", "invert": "~{0}", "abs": "abs({0})"}
_BUILTIN = {
    "int": "int({0})", "float": "float({0})", "complex": "complex({0})", "bool": "bool({0})",
    "index": "operator.index({0})", "len": "len({0})", "hash": "hash({0})", "iter": "iter({0})",
    "next": "next({0})", "repr": "repr({0})", "str": "str({0})", "bytes": "bytes({0})",
}  # fmt: skip
_TOKEN = re.compile(r"[A-Za-z_][\w.]*")
# Results not held to the stub: nothing to hold, or an operator's NotImplemented (Python then
# tries the other operand; stubs declare what the operator gives, as typeshed does).
_RESULT_UNCHECKED = {"None", "object", "typing.Any", "types.NotImplementedType"}


@dataclass(frozen=True)
class Rejection:
    """A checker's error on one generated line."""

    checker: str
    line: int
    message: str


def call_expression(call: Call) -> tuple[str, bool] | None:
    """Return the statement that makes ``call`` as its program did, and whether it has a value.

    The positional arguments are ``a0, a1, ...`` and the keyword arguments ``k_<name>``;
    None when the call cannot be written (a keyword that is no identifier).
    """
    if any(not name.isidentifier() or keyword.iskeyword(name) for name in call.kwargs):
        return None
    owner, _, name = call.callee.rpartition(".")
    positional = [f"a{i}" for i in range(len(call.args))]
    keywords = [f"{k}=k_{k}" for k in call.kwargs]
    if call.kind == "function" or call.kind in ("static", "class"):
        rest = positional[1:] if call.kind == "class" else positional
        return f"{call.callee}({', '.join([*rest, *keywords])})", True
    if call.kind == "value":
        return call.callee, True
    if call.kind == "static-get":
        return owner + "." + name, True
    if call.kind == "static-set":
        return f"{owner}.{name} = {positional[-1]}", False
    if not positional:
        return None
    self_, rest = positional[0], positional[1:]
    if call.kind == "get":
        return f"{self_}.{name}", True
    if call.kind == "set":
        return f"{self_}.{name} = {rest[-1]}", False
    return _method_expression(owner, name, self_, rest, keywords)


def _method_expression(
    owner: str, name: str, self_: str, rest: list[str], keywords: list[str]
) -> tuple[str, bool]:
    plain = f"{self_}.{name}({', '.join([*rest, *keywords])})", True
    if name == "__init__":
        return f"{owner}({', '.join([*rest, *keywords])})", False
    if not (name.startswith("__") and name.endswith("__")) or keywords:
        return plain
    core = name[2:-2]
    if len(rest) == 1:
        other = rest[0]
        if core in _BINARY:
            return f"{self_} {_BINARY[core]} {other}", True
        if core.startswith("r") and core[1:] in _BINARY:
            return f"{other} {_BINARY[core[1:]]} {self_}", True
        if core.startswith("i") and core[1:] in _BINARY:
            return f"{self_} {_BINARY[core[1:]]}= {other}", False
        if core in _COMPARE:
            return f"{self_} {_COMPARE[core]} {other}", True
        if core == "contains":
            return f"{other} in {self_}", True
        if core == "getitem":
            return f"{self_}[{other}]", True
        if core == "delitem":
            return f"del {self_}[{other}]", False
    if len(rest) == 2 and core == "setitem":
        return f"{self_}[{rest[0]}] = {rest[1]}", False
    if not rest and core in _UNARY:
        return _UNARY[core].format(self_), True
    if not rest and core in _BUILTIN:
        return _BUILTIN[core].format(self_), True
    if core == "call":
        return f"{self_}({', '.join(rest)})", True
    return plain


@dataclass
class Generated:
    """The generated module, and which call each of its lines checks."""

    text: str
    call_lines: dict[int, int]  # line -> index of the call
    result_lines: dict[int, int]
    skipped: int


def generate(calls: list[Call], modules: set[str]) -> Generated:
    """Write one typed function per call (see the module's docstring)."""
    imports = {"collections.abc", "operator", "typing"}
    body: list[str] = []
    call_lines: dict[int, int] = {}
    result_lines: dict[int, int] = {}
    skipped = 0
    for index, call in enumerate(calls):
        made = call_expression(call)
        if made is None:
            skipped += 1
            continue
        statement, has_value = made
        types = [*call.args, *call.kwargs.values()]
        for text in [call.callee, *types, call.returns or ""]:
            imports.update(_modules_of(text, modules))
        parameters = [f"a{i}: {t}" for i, t in enumerate(call.args)]
        parameters += [f"k_{k}: {t}" for k, t in call.kwargs.items()]
        body.append(f"# {call.callee} called at {call.site}")
        body.append(f"def call_{index}({', '.join(parameters)}) -> None:")
        checked = has_value and call.raised is None and call.returns not in _RESULT_UNCHECKED
        if checked:
            body.append(f"    r = {statement}")
            call_lines[len(body)] = index
            body.append(f"    o: {result_type(call.returns or '')} | None = r")
            result_lines[len(body)] = index
            # "| None" above admits a stub whose result is only ever None: a value that is
            # not None makes what follows unreachable for mypy then (--warn-unreachable).
            body += ["    if r is None:", "        return", "    _ = r"]
            result_lines[len(body)] = index
        else:
            body.append(f"    {statement}")
            call_lines[len(body)] = index
        body.append("")
    head = ["from __future__ import annotations", *(f"import {m}" for m in sorted(imports)), ""]
    offset = len(head)
    return Generated(
        "\n".join([*head, *body]) + "\n",
        {line + offset: i for line, i in call_lines.items()},
        {line + offset: i for line, i in result_lines.items()},
        skipped,
    )


_CONTAINERS = {
    "list": "collections.abc.Sequence",
    "dict": "collections.abc.Mapping",
    "set": "collections.abc.Set",
    "frozenset": "collections.abc.Set",
}
_CONTAINER = re.compile(r"(?<![\w.])(list|dict|set|frozenset)\[")


def result_type(returns: str) -> str:
    """Return the type a result must have: a container observed is held to its protocol.

    A stub may type a result by what it offers (``Mapping``, as Enum's ``__members__``) where
    the runtime made a ``dict``: that is no wrong result. A wrong class is.
    """
    return _CONTAINER.sub(lambda m: _CONTAINERS[m[1]] + "[", returns)


def _modules_of(text: str, modules: set[str]) -> Iterator[str]:
    """Yield the modules to import so that the dotted names in ``text`` resolve."""
    for token in _TOKEN.findall(text):
        parts = token.split(".")
        if len(parts) < 2:
            continue
        for cut in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:cut])
            if prefix in modules:
                yield prefix
                break
        else:
            yield parts[0]
            if len(parts) > 2:
                yield ".".join(parts[:-1])


def run_pyright(
    target: Path, stubs: Path
) -> tuple[list[tuple[int, str]], list[tuple[Path, int, str]]] | None:
    """Check ``target`` and the stub files with basedpyright; None when it is not installed.

    Returns
    -------
    tuple of (list of tuple, list of tuple) or None
        The errors on ``target``'s lines, and ``(file, line, message)`` for those in the
        stubs themselves.
    """
    binary = shutil.which(
        "basedpyright",
        path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    if binary is None:
        return None
    config = {
        "typeCheckingMode": "standard",
        "stubPath": str(stubs.resolve()),
        "extraPaths": [str(stubs.resolve())],
        "pythonVersion": f"{sys.version_info.major}.{sys.version_info.minor}",
        "reportMissingModuleSource": False,
    }
    (target.parent / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    files = sorted(str(f) for f in stubs.resolve().rglob("*.pyi"))
    result = subprocess.run(
        [binary, "--outputjson", "--pythonpath", sys.executable, str(target), *files],
        cwd=target.parent, capture_output=True, text=True, check=False,
    )  # fmt: skip
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [(0, f"basedpyright failed: {(result.stderr or result.stdout).strip()[-200:]}")], []
    mine = str(target.resolve())
    calls: list[tuple[int, str]] = []
    stub_errors: list[tuple[Path, int, str]] = []
    for diagnostic in report.get("generalDiagnostics", []):
        if diagnostic.get("severity") != "error":
            continue
        line = int(diagnostic["range"]["start"]["line"]) + 1
        message = str(diagnostic["message"]).splitlines()[0]
        file = Path(diagnostic.get("file", "")).resolve()
        if str(file) == mine:
            calls.append((line, message))
        else:
            stub_errors.append((file, line, message))
    return calls, stub_errors


def check_calls(
    calls: list[Call], stubs: Path, modules: set[str]
) -> tuple[list[Finding], list[str], int]:
    """Type-check every call against ``stubs``; return the findings and which checkers ran.

    Parameters
    ----------
    calls : list of Call
        The calls of a calls file.
    stubs : Path
        The stubs directory (the package's stubs at its top).
    modules : set of str
        The package's module paths (so the generated imports name modules, not classes).

    Returns
    -------
    tuple of (list of Finding, list of str, int)
        VFY014 and VFY015 findings, one per rejected call and checker, VFY016 where only
        mypy's reading of dunder methods rejects a call, VFY017 per error in the stubs
        themselves; the checkers run; how many calls were
        rejected (VFY016 calls not counted).
    """
    generated = generate(calls, modules)
    rejections: list[Rejection] = []
    with tempfile.TemporaryDirectory(prefix="nbapi-calls-") as tmp:
        target = Path(tmp, "traced_calls.py")
        target.write_text(generated.text, encoding="utf-8")
        # Only the generated module's errors: mypy also reports the stubs' own (an import
        # of a library without stubs), which no call caused.
        mine = str(target.resolve())
        broken: list[Finding] = []
        for file, line, message in run_mypy([target], stubs, ["--warn-unreachable"], "calls"):
            if file == mine:
                rejections.append(Rejection("mypy", line, message))
            elif not message.endswith("[import-untyped]"):
                broken += _stub_error("mypy", stubs, Path(file), line, message)
        checkers = ["mypy"]
        pyright = run_pyright(target, stubs)
        if pyright is not None:
            checkers.append("basedpyright")
            rejections += [Rejection("basedpyright", line, m) for line, m in pyright[0]]
            for stub_file, line, message in pyright[1]:
                broken += _stub_error("basedpyright", stubs, stub_file, line, message)
    broken += _subscripted_any(stubs)
    findings, rejected = _findings(calls, generated, rejections, stubs)
    return [*findings, *sorted(set(broken), key=lambda f: f.message)], checkers, rejected


def _subscripted_any(stubs: Path) -> list[Finding]:
    """Return VFY017 for each ``Any[...]`` in the stubs, which neither checker reports.

    ``Any`` takes no type arguments: the annotation raises TypeError wherever it is
    evaluated (``typing.get_type_hints``, a docs tool), and means nothing to a checker.
    """
    found = []
    for file in sorted(stubs.resolve().rglob("*.pyi")):
        # A file that does not parse has no body here; verify reports it (VFY008).
        for node in (n for statement in _stub_body(file) for n in ast.walk(statement)):
            if isinstance(node, ast.Subscript) and ast.unparse(node.value) in _ANY_NAMES:
                message = f"{ast.unparse(node)}: Any takes no type arguments"
                found += _stub_error("python", stubs, file, node.lineno, message)
    return found


_ANY_NAMES = frozenset({"Any", "typing.Any", "typing_extensions.Any"})


def _stub_error(checker: str, stubs: Path, file: Path, line: int, message: str) -> list[Finding]:
    """Return a VFY017 finding for a checker's error in a stub file (none for a file elsewhere).

    An error in the stubs is the stubs' fault whatever the calls: an import of a module that
    does not exist (``import flags`` from Eigen's ``"flags.writeable"``) makes its names Any,
    so every call through them goes unchecked.
    """
    try:
        relative = file.relative_to(stubs.resolve())
    except ValueError:
        return []
    module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
    where = relative.as_posix()
    return [finding("VFY017", module, checker=checker, file=where, line=line, message=message)]


def _findings(
    calls: list[Call], generated: Generated, rejections: list[Rejection], stubs: Path
) -> tuple[list[Finding], int]:
    found: dict[tuple[str, int, str], Finding] = {}
    for rejection in rejections:
        index = generated.call_lines.get(rejection.line)
        code = "VFY014"
        if index is None:
            index = generated.result_lines.get(rejection.line)
            code = "VFY015"
        if index is None:
            continue  # an import the checker cannot follow: the calls' types are Any then
        call = calls[index]
        if code == "VFY015" and among_results(rejection.message, call.returns or ""):
            continue
        message = rejection.message
        if message.startswith("Statement is unreachable"):
            message = "the stub's result is None, never anything else"
        types = ", ".join([*call.args, *(f"{k}={t}" for k, t in call.kwargs.items())])
        method = call.callee.rpartition(".")[2]
        if (
            rejection.checker == "mypy"
            and call.kwargs
            and special_function_elide_names(method)
            and "Unexpected keyword argument" in rejection.message
        ):
            limit = finding("VFY016", call.callee, method=method, site=call.site, types=types)
            found.setdefault((call.callee, index, "mypy-limit"), limit)
            continue
        where = stub_line(stubs, call.callee)
        fields = {
            "checker": rejection.checker,
            "message": message,
            "site": call.site,
            "stub": where,
            "types": types,
            "returns": call.returns,
        }
        key = (call.callee, index, rejection.checker + code)
        found.setdefault(key, finding(code, call.callee, **fields))
    rejected = len({index for _, index, kind in found if kind != "mypy-limit"})
    return sorted(found.values(), key=lambda f: (f.path, f.code, f.message)), rejected


_RESULT_TYPE = re.compile(
    r'expression has type "(?P<mypy>[^"]+)"|Type "(?P<pyright>[^"]+)" is not assignable'
)


def among_results(message: str, observed: str) -> bool:
    """Tell whether the checker's result type is a union with the observed class in it.

    A stub may give several results (``Object | int``): the call returned one of them, which
    is no wrong result. Only a single broader or other class is.
    """
    match = _RESULT_TYPE.search(message)
    if match is None:
        return False
    members = [m.strip() for m in (match["mypy"] or match["pyright"]).split("|")]

    def short(text: str) -> str:
        return text.split("[", 1)[0].rpartition(".")[2]

    named = {short(m) for m in members if m != "None"}
    # bool is an int (pikepdf's scalars: Object | Decimal | int, and a bool came back).
    found = short(observed) in named or (short(observed) == "bool" and "int" in named)
    return len(named) > 1 and found


def stub_line(stubs: Path, path: str) -> str:
    """Return ``file:line`` of the definition of ``path`` in the stubs (or the file alone)."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        base = stubs.joinpath(*parts[:cut])
        for file in (base / "__init__.pyi", base.with_suffix(".pyi")):
            if file.is_file():
                line = _definition_line(file, parts[cut:])
                shown = file.relative_to(stubs)
                return f"{shown}:{line}" if line else str(shown)
    return "not in the stubs"


def _stub_body(file: Path) -> list[ast.stmt]:
    """Parse a stub file once per version of it, however many findings point into it."""
    try:
        status = file.stat()
    except OSError:
        return []
    return _parsed_stub(file, status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=64)
def _parsed_stub(file: Path, mtime_ns: int, size: int) -> list[ast.stmt]:
    try:
        return ast.parse(file.read_text(encoding="utf-8")).body
    except (OSError, SyntaxError, ValueError):
        return []


def _definition_line(file: Path, names: list[str]) -> int | None:
    scope = _stub_body(file)
    line = None
    for name in names:
        for node in scope:
            defined = _defined_name(node)
            if defined == name:
                line = node.lineno
                scope = node.body if isinstance(node, ast.ClassDef) else []
                break
        else:
            return line
    return line


def _defined_name(node: ast.stmt) -> str | None:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    return None
