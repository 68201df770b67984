"""Find the C++ line that binds an object, so CI annotations land on the line to fix.

The binding sources are scanned once with a few regular expressions: ``class_<...>(scope,
"Name")`` (also ``enum_`` and ``exception``) opens a class scope; ``.def("name", ...)`` and its
relatives bind a member of the open class when chained, or a module function when called on a
variable (``m.def``, ``ops.def``); a macro call such as ``TF_UNARY_OP(relu, ...)`` binds ``relu``
where the macro is used, not where it is defined. It is a heuristic over text, not a C++
parser: the first match wins and unknown shapes are simply not located.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SUFFIXES = (".cpp", ".cc", ".cxx", ".c++", ".h", ".hpp", ".hh", ".hxx", ".inl")

_CLASS = re.compile(r"\b(?:class_|enum_|exception)\s*<.*?>\s*\(\s*[^,]+?,\s*\"(\w+)\"")
_DEF = re.compile(r"(?:^\s*(\w+)\s*)?\.\s*def(?:_\w+)?\s*\(\s*\"(\w+)\"")
_INIT = re.compile(r"\.\s*def\s*\(\s*(?:nb|py|nanobind|pybind11)::init")
# A binding call on a variable (m.def, ops.def, m.attr): it ends any open class scope.
_RECEIVER_STATEMENT = re.compile(r"^\s*\w+\s*\.\s*(?:def\w*|attr)\s*\(")
_MACRO_CALL = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*\(\s*(\w+)\s*[,)]")

Location = tuple[str, int]


@dataclass
class SourceIndex:
    """Where classes and their members are bound: (class name or ``""``, name) -> location."""

    classes: dict[str, Location] = field(default_factory=dict)
    members: dict[tuple[str, str], Location] = field(default_factory=dict)

    @classmethod
    def scan(cls, directory: Path, display_root: Path | None = None) -> SourceIndex:
        """Index every C/C++ source under ``directory``, files in sorted order.

        Parameters
        ----------
        directory : Path
            Where the binding sources are.
        display_root : Path, optional
            Locations are given relative to this directory when possible (the repository
            root, for GitHub annotations); the working directory by default.

        Returns
        -------
        SourceIndex
            The index.
        """
        index = cls()
        root = (display_root or Path.cwd()).resolve()
        for file in sorted(p for p in directory.rglob("*") if p.suffix in SUFFIXES):
            resolved = file.resolve()
            try:
                shown = resolved.relative_to(root).as_posix()
            except ValueError:
                shown = resolved.as_posix()
            index._scan_file(file, shown)
        return index

    def _record(self, key: tuple[str, str], location: Location) -> None:
        self.members.setdefault(key, location)

    def _scan_file(self, file: Path, shown: str) -> None:
        scope = ""
        in_macro = False
        text = file.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if in_macro or stripped.startswith("#define"):
                in_macro = stripped.endswith("\\")
                continue
            class_match = _CLASS.search(line)
            if class_match:
                scope = class_match.group(1)
                self.classes.setdefault(scope, (shown, number))
                continue
            if _RECEIVER_STATEMENT.match(line):
                scope = ""
            for match in _DEF.finditer(line):
                owner = "" if match.group(1) else scope
                self._record((owner, match.group(2)), (shown, number))
            if _INIT.search(line) and scope:
                self._record((scope, "__init__"), (shown, number))
            macro = _MACRO_CALL.match(line)
            if macro and not class_match:
                self._record(("", macro.group(2)), (shown, number))

    def locate(self, path: str, class_paths: set[str]) -> Location | None:
        """Return where the object at public ``path`` is bound, or None.

        Parameters
        ----------
        path : str
            Public path of a function, method, property or class.
        class_paths : set of str
            Public paths of the package's classes, to tell methods from functions.

        Returns
        -------
        tuple of (str, int) or None
            File (as shown) and line number.
        """
        owner, _, name = path.rpartition(".")
        if path in class_paths and name in self.classes:
            return self.classes[name]
        if owner in class_paths:
            class_name = owner.rpartition(".")[2]
            found = self.members.get((class_name, name))
            if found is not None:
                return found
            return self.classes.get(class_name)
        return self.members.get(("", name))
