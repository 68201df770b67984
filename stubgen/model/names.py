"""Where every public object of a model lives.

The index that names in annotations and docstrings are resolved against, by the stubs, the
docs, the coverage rules and verify alike.
"""

from __future__ import annotations

import builtins
import re
import typing
from dataclasses import dataclass, field

from stubgen.model.api import ApiModel, Attribute, Class, Module
from stubgen.model.text import literal_kind, split_top_level

BUILTIN_NAMES = frozenset(n for n in dir(builtins) if not n.startswith("_")) | {"None"}
TYPING_NAMES = frozenset(typing.__all__)


@dataclass
class NameIndex:
    """Where every public object of the model lives, for resolving names in annotations.

    ``modules`` is the set of module paths; ``objects`` maps a public path to the path of the
    module defining it; ``by_name`` maps a bare name to the public paths that end with it;
    ``classes`` maps a class path to the class and ``members`` to its member names;
    ``external`` is the model's map of names outside it to their runtime modules.
    """

    top: str = ""
    modules: set[str] = field(default_factory=set)
    module_nodes: dict[str, Module] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=dict)
    classes: dict[str, Class] = field(default_factory=dict)
    objects: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, list[str]] = field(default_factory=dict)
    generic_arity: dict[str, int] = field(default_factory=dict)
    external: dict[str, str | None] = field(default_factory=dict)
    untyped_modules: set[str] = field(default_factory=set)
    module_aliases: dict[str, set[str]] = field(default_factory=dict)
    # The public path of an alias of an object (mitsuba.Spectrum) -> the object's path.
    object_aliases: dict[str, str] = field(default_factory=dict)
    type_variables: dict[str, str] = field(default_factory=dict)
    functions: set[str] = field(default_factory=set)
    constants: dict[str, str] = field(default_factory=dict)
    _ancestry: dict[str, list[str] | None] = field(default_factory=dict, repr=False)
    _lineage_names: set[tuple[str, str]] | None = field(default=None, repr=False)

    @classmethod
    def from_model(cls, model: ApiModel) -> NameIndex:
        """Index every module, class, function, attribute and enum member of ``model``."""
        index = cls(
            top=model.module.path.split(".")[0],
            external=model.external,
            untyped_modules=set(model.untyped_modules),
        )
        index._add_module(model.module)
        index.generic_arity.update(model.external_generics)
        return index

    def _add(self, path: str, module: str) -> None:
        self.objects[path] = module
        self.by_name.setdefault(path.rsplit(".", 1)[-1], []).append(path)

    def _add_constant(self, attr: Attribute) -> None:
        """Record an int, str or bool attribute's value, for Literal[...] that names it."""
        if attr.type in ("int", "str", "bool") and attr.value:
            if literal_kind(attr.value) == attr.type:
                self.constants[attr.path] = attr.value

    def _add_module(self, module: Module) -> None:
        self.modules.add(module.path)
        self.module_nodes[module.path] = module
        for alias, target in module.aliases.items():
            self.module_aliases.setdefault(alias, set()).add(target)
            self.object_aliases[f"{module.path}.{alias}"] = target
        for fn in module.functions:
            self._add(fn.path, module.path)
            self.functions.add(fn.path)
        for attr in module.attributes:
            self._add(attr.path, module.path)
            self._add_constant(attr)
            if attr.type == "typing.TypeVar":
                self.type_variables[attr.path] = attr.value or ""
        for cls in module.classes:
            self._add_class(cls, module.path)
        for sub in module.submodules:
            self._add_module(sub)

    def _add_class(self, cls: Class, module: str) -> None:
        self._add(cls.path, module)
        self.classes[cls.path] = cls
        # Type parameters: from a class nb::sig, or a Python class's Generic[...] base.
        for text in [cls.signature or "", *cls.bases]:
            generic = re.search(r"\b(?:Generic|Protocol)\[(.*)\]", text)
            if generic:
                self.generic_arity[cls.path] = len(split_top_level(generic.group(1), ","))
                break
            declared = _pep695_parameters(text)
            if declared:
                self.generic_arity[cls.path] = len(declared)
                break
        self.members[cls.path] = (
            {f.name for f in cls.functions}
            | {p.name for p in cls.properties}
            | {a.name for a in cls.attributes}
            | {m.name for m in cls.members}
            | {c.name for c in cls.classes}
            | set(cls.aliases)
        )
        for attr in cls.attributes:
            self._add_constant(attr)
        for member in cls.members:
            self.objects[f"{cls.path}.{member.name}"] = module
        for nested in cls.classes:
            self._add_class(nested, module)

    def resolve(self, name: str, scopes: list[str]) -> str | None:
        """Return the public path a reference such as ``Fusion.add_output`` points to.

        Parameters
        ----------
        name : str
            The name as written in a docstring.
        scopes : list of str
            Paths to try as prefixes, innermost first; the name is also tried as is.

        Returns
        -------
        str or None
            The public path of a module, class, function, attribute, member or method.
        """
        for candidate in [*(f"{s}.{name}" for s in scopes), name]:
            if candidate in self.objects or candidate in self.modules:
                return candidate
            owner, _, member = candidate.rpartition(".")
            if member in self.members.get(owner, ()):
                return candidate
        return None

    def class_of(self, name: str) -> Class | None:
        """Return the model's class named by a public path or an unambiguous bare name."""
        cls = self.classes.get(name)
        if cls is None and "." not in name:
            candidates = [c for c in self.by_name.get(name, []) if c in self.classes]
            cls = self.classes[candidates[0]] if len(candidates) == 1 else None
        return cls

    def ancestors(self, name: str) -> list[str] | None:
        """Return the bases of the model's class ``name``, transitively, nearest first.

        None when ``name`` is not a class of the model. Computed once per class.
        """
        if name not in self._ancestry:
            cls = self.class_of(name)
            result: list[str] | None = None
            if cls is not None:
                result = []
                queue = list(cls.bases)
                while queue:
                    base = queue.pop(0)
                    if base not in result:
                        result.append(base)
                        found = self.class_of(base)
                        queue += found.bases if found is not None else []
            self._ancestry[name] = result
        return self._ancestry[name]

    def redefined(self, cls_path: str, name: str) -> bool:
        """Tell whether member ``name`` of class ``cls_path`` is also defined along its lineage.

        True when an ancestor of the class or a class deriving from it in the model defines
        a member of the same name: such a member cannot be ``Final`` in a stub.
        """
        if self._lineage_names is None:
            self._lineage_names = set()
            for path in self.classes:
                for ancestor in self.ancestors(path) or []:
                    origin = self.class_of(ancestor)
                    if origin is None:
                        continue
                    shared = self.members.get(path, set()) & self.members.get(origin.path, set())
                    for member in shared:
                        self._lineage_names |= {(path, member), (origin.path, member)}
        return (cls_path, name) in self._lineage_names

    def unbounded_type_variable(self, name: str | None) -> bool:
        """Tell whether ``name`` (a path, or a bare name) is a TypeVar with no bound."""
        paths = [name] if name in self.type_variables else self.by_name.get(name or "", [])
        values = [self.type_variables[p] for p in paths if p in self.type_variables]
        return len(values) == 1 and "," not in values[0]

    def package_of(self, path: str) -> bool:
        """Tell whether ``path`` lies inside the package the model describes."""
        while path:
            if path in self.modules:
                return True
            path = path.rpartition(".")[0]
        return False


def _pep695_parameters(signature: str) -> list[str]:
    """Return the type parameters of a ``class NAME[...]`` signature (PEP 695), if any."""
    match = re.search(r"\bclass\s+\w+\s*\[", signature)
    if match is None:
        return []
    depth, start = 0, match.end() - 1
    for i in range(start, len(signature)):
        depth += {"[": 1, "(": 1, "]": -1, ")": -1}.get(signature[i], 0)
        if depth == 0:
            return [p for p in split_top_level(signature[start + 1 : i], ",") if p.strip()]
    return []
