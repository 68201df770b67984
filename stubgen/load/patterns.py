r"""Pattern files in nanobind's format, applied to the API model.

A pattern file (``nanobind.stubgen -p FILE``) curates stubs by hand: a line ending in ``:`` is
a regular expression searched in each entry's fully qualified name; the indented block below
replaces the entry (an empty block removes it). ``\1``.. and ``\name`` are back-references,
``\doc`` is the entry's docstring (one per overload, in order), ``\from M import X`` and
``\import M`` add imports, ``MODULE.__prefix__`` / ``MODULE.__suffix__`` (also for classes)
insert text at the top / bottom. The first pattern whose expression is found wins.

Reading follows ``nanobind.stubgen.load_pattern_file`` line for line, so a project's existing
file works unchanged. Unlike nanobind, the patterns are applied to the model rather than to
the text: removed entries leave the model, replaced ones carry their :class:`Replacement`
(and, for functions, the overloads parsed from it), so docs, coverage and ``verify`` see
the same curated API as the stubs.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from stubgen.errors import ToolError
from stubgen.findings import Finding, finding
from stubgen.model.api import (
    ApiModel,
    Attribute,
    Class,
    EnumMember,
    Function,
    ImportSpec,
    Module,
    Overload,
    Property,
    Replacement,
    doc_only_on_last,
)
from stubgen.parse.docstring import parse_docstring
from stubgen.parse.nanobind_compat import format_docstring, read_pattern_blocks
from stubgen.parse.signature import SignatureError, parse_signature


@dataclass
class Pattern:
    r"""One entry of a pattern file: the query, its replacement block, where it was read.

    ``steps`` is the block read once: ``("doc", "")`` for a ``\doc`` line, ``("imports",
    [...])`` for a ``\from``/``\import`` line, ``("text", line)`` for the rest.
    """

    query: re.Pattern[str]
    lines: list[str]
    origin: str
    steps: list[tuple[str, str | list[ImportSpec]]] = field(default_factory=list)
    matches: int = 0


@dataclass
class PatternResult:
    """What applying patterns did: counts and findings (unmatched patterns, bad markers)."""

    applied: int = 0
    removed: int = 0
    removed_paths: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def load_pattern_file(path: Path) -> list[Pattern]:
    """Read a pattern file into patterns, in file order.

    The blocks are read as nanobind reads them (:func:`read_pattern_blocks`); each query is
    compiled and each block read into steps.

    Raises
    ------
    ToolError
        Where the blocks cannot be read, a query is not a valid regular expression or an
        import line cannot be parsed.
    """
    patterns = []
    for block in read_pattern_blocks(path):
        try:
            compiled = re.compile(block.query)
        except re.error as exc:
            raise ToolError(
                f"{path}:{block.number}: {block.query!r} is not a regular expression: {exc}"
            ) from exc
        steps = [_step(line, f"{path}:{block.number}") for line in block.lines]
        patterns.append(Pattern(compiled, block.lines, f"{path.name}:{block.number}", steps))
    return patterns


def load_pattern_files(paths: list[Path]) -> list[Pattern]:
    """Read several pattern files; their patterns are tried in the order given."""
    return [p for path in paths for p in load_pattern_file(path)]


def _step(line: str, where: str) -> tuple[str, str | list[ImportSpec]]:
    stripped = line.strip()
    if stripped == "\\doc":
        return "doc", ""
    if stripped.startswith(("\\from ", "\\import ")):
        return "imports", _imports(stripped, where)
    return "text", line


def _imports(stripped: str, where: str) -> list[ImportSpec]:
    r"""Turn a ``\from``/``\import`` line into import specs, as nanobind reads them."""
    error = ToolError(f"{where}: could not parse import declaration {stripped!r}")
    specs = []
    if stripped.startswith("\\from "):
        parts = stripped[5:].split(" import ")
        if len(parts) != 2:
            raise error
        module, names = parts
        for item in names.strip().strip("()").split(","):
            member, _, alias = (part.strip() for part in item.partition(" as "))
            if member:
                specs.append(ImportSpec(module.strip(), member, alias or None))
        return specs
    for item in stripped[7:].split(","):
        if len(item.split(" as ")) > 2:
            raise error
        module, _, alias = (part.strip() for part in item.partition(" as "))
        if module:
            specs.append(ImportSpec(module, None, alias or None))
    return specs


def _docstring_block(doc: str | None) -> list[str]:
    """Return a docstring as nanobind writes it one level in, or ``pass`` when there is none."""
    if not doc or not doc.strip():
        return ["    pass"]
    return format_docstring(doc, 1).rstrip("\n").split("\n")


def _union(patterns: list[Pattern]) -> re.Pattern[str] | None:
    r"""Return one expression found wherever any pattern's is; None if they cannot be joined.

    Back-references inside an expression (``(a)\1``, ``(?P=x)``) would count groups across
    the union, and repeated group names do not compile: those files are matched one by one.
    """
    sources = [p.query.pattern for p in patterns]
    if not sources or any(re.search(r"\\[1-9]|\(\?P=", s) for s in sources):
        return None
    try:
        return re.compile("|".join(f"(?:{s})" for s in sources))
    except re.error:
        return None


class _Applier:
    """Applies a list of patterns to one model, in nanobind's order of entries."""

    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns
        self.result = PatternResult()
        self.any_match = _union(patterns)

    def match(self, query: str) -> tuple[Pattern, re.Match[str]] | None:
        if self.any_match is not None and self.any_match.search(query) is None:
            return None  # most names match no pattern: one search instead of one per pattern
        for pattern in self.patterns:
            found = pattern.query.search(query)
            if found:
                return pattern, found
        return None

    def replacement(
        self, query: str, docs: list[str | None] | None, where: str
    ) -> Replacement | bool | None:
        """Return the entry's replacement, False to remove it, None when no pattern matches."""
        hit = self.match(query)
        if hit is None:
            return None
        pattern, found = hit
        pattern.matches += 1
        if not pattern.lines:
            self.result.removed += 1
            self.result.removed_paths.append(query)
            return False
        self.result.applied += 1
        text: list[str] = []
        imports: list[ImportSpec] = []
        doc_index = 0
        groups, named = found.groups(), found.groupdict()
        run: list[str] = []  # template lines in a row, back-referenced in one go

        def end_run() -> None:
            if not run:
                return
            block = "\n".join(run)
            text.append(_substitute(block, groups, named) if "\\" in block else block)
            run.clear()

        for kind, value in pattern.steps:
            if isinstance(value, list):
                imports += value
            elif kind == "text":
                run.append(value)
            elif docs is None:
                self.result.findings.append(
                    finding("PAT002", where, pattern=pattern.query.pattern, origin=pattern.origin)
                )
                run.append("    pass")
            else:
                end_run()
                doc = docs[doc_index] if doc_index < len(docs) else None
                doc = doc or next((d for d in docs if d), None)
                doc_index += 1
                text += _docstring_block(doc)
        end_run()
        return Replacement(
            pattern=pattern.query.pattern,
            origin=pattern.origin,
            text="\n".join(text).rstrip() + "\n",
            imports=imports,
        )

    def module(self, module: Module) -> None:
        module.prefix = self.edge(module.path + ".__prefix__", module.path)
        module.classes = [c for c in module.classes if self.klass(c)]
        module.functions = [f for f in module.functions if self.function(f)]
        module.attributes = [a for a in module.attributes if self.attribute(a)]
        kept = []
        for sub in module.submodules:
            if self.replacement(sub.path, [], sub.path) is False:
                continue
            self.module(sub)
            kept.append(sub)
        module.submodules = kept
        module.suffix = self.edge(module.path + ".__suffix__", module.path)

    def edge(self, query: str, where: str) -> Replacement | None:
        found = self.replacement(query, None, where)
        return found if isinstance(found, Replacement) else None

    def klass(self, cls: Class) -> bool:
        if not self.mark(cls, cls.path, [cls.doc.raw if cls.doc else None]):
            return False
        if cls.replacement is not None:
            return True
        cls.prefix = self.edge(cls.path + ".__prefix__", cls.path)
        cls.members = [
            m
            for m in cls.members
            if self.mark(m, f"{cls.path}.{m.name}", [m.doc.raw if m.doc else None])
        ]
        cls.attributes = [a for a in cls.attributes if self.attribute(a)]
        cls.properties = [p for p in cls.properties if self.prop(p)]
        cls.functions = [f for f in cls.functions if self.function(f)]
        cls.classes = [c for c in cls.classes if self.klass(c)]
        cls.suffix = self.edge(cls.path + ".__suffix__", cls.path)
        return True

    def function(self, fn: Function) -> bool:
        if not self.mark(fn, fn.path, [o.doc.raw if o.doc else None for o in fn.overloads]):
            return False
        overloads = overloads_from_text(fn.name, fn.replacement.text) if fn.replacement else []
        if overloads:
            fn.overloads = overloads
            fn.doc_only_on_last = doc_only_on_last(overloads)
        return True

    def prop(self, prop: Property) -> bool:
        return self.mark(prop, prop.path, [prop.doc.raw if prop.doc else None])

    def attribute(self, attr: Attribute) -> bool:
        return self.mark(attr, attr.path, [])

    def mark(
        self,
        entry: Function | Class | Property | Attribute | EnumMember,
        path: str,
        docs: list[str | None],
    ) -> bool:
        """Apply the first pattern matching ``path`` to ``entry``; False means remove it."""
        found = self.replacement(path, docs, path)
        if isinstance(found, Replacement):
            entry.replacement = found
        return found is not False


def _substitute(line: str, groups: tuple[str | None, ...], named: dict[str, str | None]) -> str:
    r"""Put a match's groups in for ``\1``..``\9`` (highest first) and ``\name``."""
    for i in reversed(range(len(groups))):
        line = line.replace(f"\\{i + 1}", groups[i] or "")
    for key, value in named.items():
        line = line.replace(f"\\{key}", value or "")
    return line


def overloads_from_text(name: str, text: str) -> list[Overload]:
    """Parse the ``def NAME`` statements of a replacement into overloads (docstrings included).

    Parameters
    ----------
    name : str
        The function's name; other definitions in the text are ignored.
    text : str
        The replacement text.

    Returns
    -------
    list of Overload
        One per definition, in order; empty if the text does not parse or defines none.
    """
    # A pattern block is often applied to many classes (drjit: 681 times, few distinct).
    return [dataclasses.replace(o) for o in _overloads_from_text(name, text)]


def _header(text: str, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """Return the ``def`` line of ``node`` as the pattern wrote it (its quotes kept).

    ``ast.unparse`` would respell ``"std::vector<int>"`` as ``'std::vector<int>'``, which
    the signature parser reads as a Python string rather than a C++ name.
    """
    lines = text.splitlines(keepends=True)

    def offset(line: int, column: int) -> int:  # ast's columns count UTF-8 bytes
        before = lines[line - 1].encode("utf-8")[:column].decode("utf-8", "replace")
        return sum(len(x) for x in lines[: line - 1]) + len(before)

    start = offset(node.lineno, node.col_offset)
    end = offset(node.body[0].lineno, node.body[0].col_offset)
    # A def over several lines is one line: "def f(\n    x: int,\n) -> T" as "def f(x: int) -> T".
    header = re.sub(r"\(\s*\n\s*", "(", text[start:end])
    header = re.sub(r",?\s*\n\s*\)", ")", header)
    header = re.sub(r"\s*\n\s*", " ", header).strip()
    return header.removesuffix(":").rstrip()


@functools.lru_cache(maxsize=1024)
def _overloads_from_text(name: str, text: str) -> tuple[Overload, ...]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return ()
    result = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name != name:
            continue
        doc = ast.get_docstring(node, clean=True)
        header = _header(text, node)
        decorators = [f"@{ast.unparse(d)}" for d in node.decorator_list]
        decorators = [d for d in decorators if d not in ("@overload", "@typing.overload")]
        try:
            parsed = parse_signature("\n".join([*decorators, header]), None, source="pattern")
        except SignatureError:
            continue
        overload = parsed.to_overload(parse_docstring(doc) if doc else None)
        overload.signature = overload.signature.rstrip(":")
        result.append(overload)
    return tuple(result)


def apply_patterns(model: ApiModel, patterns: list[Pattern]) -> PatternResult:
    r"""Apply ``patterns`` to ``model`` in place: remove, replace and mark entries.

    Parameters
    ----------
    model : ApiModel
        The model, changed in place.
    patterns : list of Pattern
        From :func:`load_pattern_files`; their match counts are updated.

    Returns
    -------
    PatternResult
        How many entries were replaced and removed, and findings: a pattern that matched
        nothing (PAT001), a ``\doc`` with no docstring to copy (PAT002).
    """
    applier = _Applier(patterns)
    if patterns:
        applier.module(model.module)
    for pattern in patterns:
        if pattern.matches == 0:
            applier.result.findings.append(
                finding(
                    "PAT001",
                    model.module.path,
                    pattern=pattern.query.pattern,
                    origin=pattern.origin,
                )
            )
    applier.result.findings.sort()
    model.removed = sorted({*model.removed, *applier.result.removed_paths})
    return applier.result
