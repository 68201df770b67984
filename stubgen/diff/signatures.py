"""Two versions of one function compared overload by overload, then parameter by parameter.

Overloads are paired first: identical ones, then by how much of their parameter lists agree
(types at the same position, names). An old overload left without a partner was removed
(calls that matched only it break); a new one left over was added. A pair is compared per
parameter: removed, renamed (breaking only where callers could pass it by keyword: an
unnamed ``argN`` or a positional-only parameter is passed by position), moved, narrowed in
kind, default removed or changed, type narrowed or widened, new required or optional
parameters, and the return type.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from stubgen.findings import Finding, finding
from stubgen.model.api import ApiModel, Overload, Parameter
from stubgen.model.names import NameIndex
from stubgen.model.text import split_top_level
from stubgen.model.walk import iter_modules
from stubgen.stubs import NUMERIC_PROMOTIONS

Relation = Literal["same", "wider", "narrower", "changed", "refuses", "unknown"]

_GRADUAL = frozenset({"", "Any", "typing.Any"})
_VARIADIC = ("var_positional", "var_keyword")
_UNKNOWN = {"none": "no signature", "docstring": "only a docstring's"}
_AUTO_NAME = re.compile(r"arg\d*")
# How a parameter can be passed: by position, by keyword.
_PASSING = {
    "positional_only": {"position"},
    "positional_or_keyword": {"position", "keyword"},
    "keyword_only": {"keyword"},
}


@dataclass
class Hierarchy:
    """The classes of both versions, for subclass relations: what a subclass instance is also."""

    old: NameIndex
    new: NameIndex
    # Where a class or function of the old version lives now: moved to another module and
    # re-exported under its old path (pypcode.OpFormat -> pypcode.printing.OpFormat).
    moved: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, old: ApiModel, new: ApiModel) -> Hierarchy:
        """Index the classes of both versions, and what moved between them."""
        hierarchy = cls(NameIndex.from_model(old), NameIndex.from_model(new))
        for module in iter_modules(new.module):
            for name, target in module.aliases.items():
                path = f"{module.path}.{name}"
                if (
                    path != target
                    and path in hierarchy.old.objects
                    and target in hierarchy.new.objects
                ):
                    hierarchy.moved[path] = target
        return hierarchy

    def now(self, path: str) -> str:
        """Return where the old version's ``path`` lives in the new one."""
        return self.moved.get(path, path)

    def ancestors(self, name: str) -> set[str]:
        """Return the bases of class ``name``, transitively, in either version."""
        return set(self.new.ancestors(name) or ()) | set(self.old.ancestors(name) or ())

    def resolved(self, annotation: str, side: Literal["old", "new"]) -> str:
        """Spell every class name of ``annotation`` by its path in that side's model.

        A name written bare in one version (``Rotation3d``, from a docstring or an
        ``nb::sig``) and qualified in the other (``pkg.Rotation3d``) is one class: each
        name that is not a class path of the model but whose last part names exactly one
        of its classes is written as that class's path.
        """
        index = self.old if side == "old" else self.new

        def path(match: re.Match[str]) -> str:
            name = match.group(0)
            if name not in index.classes and name not in _KNOWN_TYPES:
                last = name.rpartition(".")[2]
                found = [c for c in index.by_name.get(last, []) if c in index.classes]
                name = found[0] if len(found) == 1 else name
            return self.now(name) if side == "old" else name

        return _NAME.sub(path, annotation)

    def covers(self, wide: str, narrow: str) -> bool:
        """Tell whether every value of type ``narrow`` is a ``wide``."""
        if narrow == wide or (narrow, wide) in NUMERIC_PROMOTIONS or wide in self.ancestors(narrow):
            return True
        if wide == "object":
            return True
        (w_origin, w_args), (n_origin, n_args) = _split_generic(wide), _split_generic(narrow)
        related = w_origin == n_origin or w_origin in _GENERIC_BASES.get(n_origin, ())
        if not w_args:  # a bare generic takes every parametrization (tuple: tuple[bool, ...])
            return related
        if _is_options(w_args) and _is_options(n_args):
            # An array's constraints (dtype, shape, order, writable): fewer take more arrays.
            return w_origin == n_origin and set(w_args) <= set(n_args)
        if not related or len(w_args) != len(n_args):
            return False
        return all(self.covers(w, n) for w, n in zip(w_args, n_args, strict=True))

    def known(self, name: str) -> bool:
        """Tell whether every base of type ``name`` is known here, its arguments' too.

        A builtin or an abstract collection is; so is a class of either version whose
        bases are all such, or classes of the models. ``list[FloatNx2]`` is not: nothing
        here says what ``FloatNx2`` takes.
        """
        origin, args = _split_generic(name)
        if origin not in _KNOWN_TYPES:
            ancestors = self.new.ancestors(origin) or self.old.ancestors(origin)
            if ancestors is None:
                return False
            if not all(
                a in _KNOWN_TYPES or self.new.class_of(a) or self.old.class_of(a) for a in ancestors
            ):
                return False
        return all(self.known(a) for a in args if a != "...")


# Where a generic's values are also another generic's (a list is a Sequence), by origin.
_GENERIC_BASES = {
    "str": {"Sequence", "Iterable", "Collection", "Reversible", "Container"},
    "bytes": {"Sequence", "Iterable", "Collection", "Reversible", "Container"},
    "list": {"Sequence", "MutableSequence", "Iterable", "Collection", "Reversible"},
    "tuple": {"Sequence", "Iterable", "Collection", "Reversible"},
    "Sequence": {"Iterable", "Collection", "Reversible"},
    "dict": {"Mapping", "MutableMapping", "Iterable", "Collection"},
    "Mapping": {"Iterable", "Collection"},
    "set": {"AbstractSet", "Set", "MutableSet", "Iterable", "Collection"},
    "frozenset": {"AbstractSet", "Set", "Iterable", "Collection"},
}
# Types whose relations are all known here (builtins, the abstract collections): a value of
# one that is not covered by the other is refused.
_KNOWN_TYPES = frozenset(
    {"None", "bool", "int", "float", "complex", "str", "bytes", "bytearray", "list", "tuple"}
    | {"dict", "set", "frozenset", "Sequence", "MutableSequence", "Mapping", "MutableMapping"}
    | {"Iterable", "Iterator", "Collection", "Reversible", "Container", "AbstractSet", "Set"}
    | {"MutableSet"}
)
_NAME = re.compile(r"(?<![\w.'\"=])[^\W\d][\w]*(?:\.[^\W\d]\w*)*")


def _is_options(args: list[str]) -> bool:
    return all("=" in a for a in args)


_QUALIFIERS = re.compile(r"\b(?:typing|typing_extensions|collections\.abc|builtins)\.")


def normalize(annotation: str) -> str:
    """Spell an annotation one way: no module on typing names, arrays by their constraints.

    An array type is written as the set of what it requires, sorted, so that fewer
    requirements is a wider type (:meth:`Hierarchy.covers`):

    - pybind11's ``numpy.ndarray[numpy.float32]`` (``py::array_t<float>``) requires a dtype
      only: it converts a list, and takes a read-only array;
    - nanobind's ``ndarray[dtype=float32, shape=(*, 2)]`` requires each option, an array
      object (no list is converted) and, without ``writable=False`` (``nb::ro``), an array
      it may write to.
    """
    text = _QUALIFIERS.sub("", annotation.replace(" ", ""))
    text = _ARRAY_OPTIONS.sub(_array_options, text)
    # After the options: pybind11's dtype is positional, so the pass above leaves it alone.
    text = _PYBIND11_ARRAY.sub(r"ndarray[dtype=\1]", text)
    return _with_defaults(text)


def _array_options(match: re.Match[str]) -> str:
    """Write an array's options (``k=v``) sorted; nanobind's ndarray with what it requires."""
    prefix, origin, items = match.group(1), match.group(2), split_top_level(match.group(3), ",")
    if not all("=" in item for item in items):
        return match.group(0)
    items = [i.replace("numpy.", "") if i.startswith("dtype=") else i for i in items]
    if origin == "ndarray" and prefix in ("", "numpy."):  # nanobind's, framework or not
        prefix = ""
        writable = "writable=False" not in items
        items = [i for i in items if i != "writable=False"]
        items += ["array=True", *(["writable=True"] if writable else [])]
    return f"{prefix}{origin}[{','.join(sorted(items))}]"


# pybind11's array_t: numpy.ndarray[numpy.float32] (pybind11 3: numpy.typing.NDArray[...]).
_PYBIND11_ARRAY = re.compile(r"\b(?:numpy\.)?(?:typing\.)?(?:ndarray|NDArray)\[numpy\.(\w+)\]")
# An array type with its options: nanobind's ndarray (dtype=, shape=, order=, device=,
# writable=), or another framework's; group 1 is the module it is spelled with.
_ARRAY_OPTIONS = re.compile(r"(?<![\w.])((?:\w+\.)*)(ndarray|NDArray|Tensor|Array)\[([^\[\]]*)\]")


# Generic classes whose last type parameters have defaults (PEP 696, typing's own since
# Python 3.13): Generator[int] is Generator[int, None, None].
_TYPE_DEFAULTS = {"Generator": ("None", "None"), "AsyncGenerator": ("None",)}


def _with_defaults(text: str) -> str:
    """Write the defaulted type arguments out: ``Generator[Y]`` as ``Generator[Y,None,None]``."""
    for origin, defaults in _TYPE_DEFAULTS.items():
        start = 0
        while (found := re.search(rf"(?<![\w.]){origin}\[", text[start:])) is not None:
            open_at = start + found.end() - 1
            depth, close = 0, open_at
            for close in range(open_at, len(text)):
                depth += {"[": 1, "]": -1}.get(text[close], 0)
                if depth == 0:
                    break
            args = split_top_level(text[open_at + 1 : close], ",")
            wanted = 1 + len(defaults)
            if 0 < len(args) < wanted:
                args = [*args, *defaults[len(args) - 1 :]]
                text = f"{text[: open_at + 1]}{','.join(args)}{text[close:]}"
            start = open_at + 1
    return text


def _split_generic(text: str) -> tuple[str, list[str]]:
    if not text.endswith("]") or "[" not in text:
        return text, []
    origin = text[: text.index("[")]
    return origin, [a.strip() for a in split_top_level(text[len(origin) + 1 : -1], ",")]


def _members(annotation: str) -> list[str]:
    text = annotation.strip()
    optional = re.fullmatch(r"(?:typing\.)?Optional\[(.*)\]", text)
    if optional:
        text = f"{optional.group(1)} | None"
    return [m.strip() for m in split_top_level(text, "|") if m.strip()]


def relation(old: str | None, new: str | None, hierarchy: Hierarchy) -> Relation:
    """Compare two annotations: the new type is the same, wider, narrower, or another one.

    Parameters
    ----------
    old, new : str or None
        Annotations of the two versions; None (or ``Any``, ``object``) is unknown.
    hierarchy : Hierarchy
        The classes' bases, for subclass relations.

    Returns
    -------
    {"same", "wider", "narrower", "changed", "refuses", "unknown"}
        ``unknown`` when either side says nothing precise (``Any``); ``refuses`` when
        neither covers the other and values of the old type are certainly not of the new
        one (``Mapping`` then ``Sequence``: every type involved is known here).
    """
    old = normalize(hierarchy.resolved(old or "", "old"))
    new = normalize(hierarchy.resolved(new or "", "new"))
    if old == new:
        return "same"
    if old in _GRADUAL or new in _GRADUAL:
        return "unknown"
    olds, news = _members(old), _members(new)
    old_in_new = all(any(hierarchy.covers(n, o) for n in news) for o in olds)
    new_in_old = all(any(hierarchy.covers(o, n) for o in olds) for n in news)
    if old_in_new and new_in_old:
        return "same"
    if old_in_new:
        return "wider"
    if new_in_old:
        return "narrower"
    known = all(hierarchy.known(t) for t in [*olds, *news])
    return "refuses" if known else "changed"


def _parameters(overload: Overload, bound: bool) -> list[Parameter]:
    params = overload.parameters
    if bound and params and params[0].kind in ("positional_only", "positional_or_keyword"):
        return params[1:]
    return params


def describe(overload: Overload, bound: bool) -> str:
    """Write an overload's signature compactly: ``(x: int, /, *, y: str = ...) -> int``."""
    pieces: list[str] = []
    params = _parameters(overload, bound)
    for i, p in enumerate(params):
        star = {"var_positional": "*", "var_keyword": "**"}.get(p.kind, "")
        if p.kind == "keyword_only" and (i == 0 or params[i - 1].kind not in ("keyword_only",)):
            if not any(q.kind == "var_positional" for q in params[:i]):
                pieces.append("*")
        text = star + p.name + (f": {p.annotation}" if p.annotation else "")
        pieces.append(text + (" = ..." if p.has_default else ""))
        last_positional = p.kind == "positional_only" and (
            i + 1 == len(params) or params[i + 1].kind != "positional_only"
        )
        if last_positional:
            pieces.append("/")
    return f"({', '.join(pieces)}) -> {overload.returns or 'None'}"


def _key(overload: Overload, bound: bool) -> tuple[object, ...]:
    params = _parameters(overload, bound)
    return (
        overload.returns,
        *((p.name, p.kind, p.annotation, p.has_default, p.default) for p in params),
    )


def _score(old: Overload, new: Overload, bound: bool) -> int:
    """How much two overloads agree: types at the same position count double, names once."""
    a, b = _parameters(old, bound), _parameters(new, bound)
    score = 0
    for p, q in zip(a, b, strict=False):
        score += 2 * (p.annotation == q.annotation) + (p.name == q.name)
    return score - abs(len(a) - len(b))


def pair_overloads(
    old: list[Overload], new: list[Overload], bound: bool
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair the overloads of two versions of one function.

    Returns
    -------
    tuple
        The (old, new) index pairs, then the old indexes left alone (removed) and the new
        ones (added).
    """
    pairs: list[tuple[int, int]] = []
    free_new = list(range(len(new)))
    free_old: list[int] = []
    for i, o in enumerate(old):
        same = next((j for j in free_new if _key(new[j], bound) == _key(o, bound)), None)
        if same is None:
            free_old.append(i)
        else:
            pairs.append((i, same))
            free_new.remove(same)
    if len(free_old) == 1 and len(free_new) == 1:
        pairs.append((free_old.pop(), free_new.pop()))
    candidates = sorted(
        ((_score(old[i], new[j], bound), i, j) for i in free_old for j in free_new),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    for score, i, j in candidates:
        if score > 0 and i in free_old and j in free_new:
            pairs.append((i, j))
            free_old.remove(i)
            free_new.remove(j)
    return sorted(pairs), free_old, free_new


def compare_overloads(
    path: str,
    old: list[Overload],
    new: list[Overload],
    *,
    bound: bool,
    hierarchy: Hierarchy,
) -> Iterator[Finding]:
    """Yield the changes between two overload sets of the function at ``path``.

    Where either side's signature is unknown (no signature the loader could read, or only a
    docstring's), nothing is compared: that is said (API022), never guessed.
    """
    for side, overloads in (("old", old), ("new", new)):
        unknown = next((o.source for o in overloads if o.source in _UNKNOWN), None)
        if unknown is not None:
            yield finding("API022", path, side=side, source=_UNKNOWN[unknown])
            return
    if _catch_all(new, bound) and not _catch_all(old, bound):
        # A deprecation wrapper, (*args, **kwargs) -> object: the old calls may still run.
        yield finding("API024", path, signature=describe(new[0], bound))
        return
    pairs, removed, added = pair_overloads(old, new, bound)
    for i in removed:
        yield finding("API004", path, signature=describe(old[i], bound))
    for j in added:
        yield finding("API102", path, signature=describe(new[j], bound))
    for i, j in pairs:
        where = f"overload {i + 1}: " if len(old) > 1 else ""
        yield from _compare_pair(path, where, old[i], new[j], bound, hierarchy)


def _catch_all(overloads: list[Overload], bound: bool) -> bool:
    """Tell whether one overload takes every call: only ``*args`` and ``**kwargs``."""
    if len(overloads) != 1:
        return False
    kinds = [p.kind for p in _parameters(overloads[0], bound)]
    return kinds == ["var_positional", "var_keyword"]


def _compare_pair(
    path: str, where: str, old: Overload, new: Overload, bound: bool, hierarchy: Hierarchy
) -> Iterator[Finding]:
    before, after = _parameters(old, bound), _parameters(new, bound)
    by_name = {q.name: j for j, q in enumerate(after)}
    old_names = {p.name for p in before}
    matched: set[int] = set()
    for i, p in enumerate(before):
        if p.kind in _VARIADIC:
            j = next((j for j, q in enumerate(after) if q.kind == p.kind), None)
            if j is None:
                yield finding("API008", path, where=where, name=_spelled(p))
            else:
                matched.add(j)
            continue
        j = by_name.get(p.name)
        if j is None and i < len(after):
            q = after[i]
            if q.name not in old_names and q.kind not in _VARIADIC and i not in matched:
                j = i
                if p.kind == "positional_only":
                    code = "API103" if p.auto_named or _AUTO_NAME.fullmatch(p.name) else "API109"
                else:
                    code = "API009"
                yield finding(code, path, where=where, old=p.name, new=q.name)
        if j is None:
            if not any(q.kind in _VARIADIC for q in after):
                yield finding("API008", path, where=where, name=p.name)
            continue
        matched.add(j)
        yield from _compare_parameter(path, where, p, after[j], (i, j), hierarchy)
    for j, q in enumerate(after):
        if j in matched or q.kind in _VARIADIC:
            continue
        yield finding("API105" if q.has_default else "API011", path, where=where, name=q.name)
    change = relation(old.returns, new.returns, hierarchy)
    if change in ("wider", "changed", "refuses"):
        yield finding("API014", path, where=where, old=old.returns, new=new.returns)
    elif change == "narrower":
        yield finding("API108", path, where=where, old=old.returns, new=new.returns)


def _spelled(p: Parameter) -> str:
    return {"var_positional": "*", "var_keyword": "**"}.get(p.kind, "") + p.name


def _compare_parameter(
    path: str,
    where: str,
    p: Parameter,
    q: Parameter,
    positions: tuple[int, int],
    hierarchy: Hierarchy,
) -> Iterator[Finding]:
    name = q.name
    was, now = _PASSING[p.kind], _PASSING[q.kind]
    if "position" in was and "position" in now and positions[0] != positions[1]:
        yield finding("API015", path, where=where, name=name, old=positions[0], new=positions[1])
    if was - now:
        how = " and ".join(f"by {h}" for h in sorted(was - now))
        old, new = p.kind.replace("_", "-"), q.kind.replace("_", "-")
        yield finding("API012", path, where=where, name=name, old=old, new=new, how=how)
    elif now - was:
        old, new = p.kind.replace("_", "-"), q.kind.replace("_", "-")
        yield finding("API107", path, where=where, name=name, old=old, new=new)
    if p.has_default and not q.has_default:
        yield finding("API010", path, where=where, name=name)
    elif q.has_default and not p.has_default:
        yield finding("API106", path, where=where, name=name)
    elif p.has_default and p.default is not None and q.default is not None:
        if p.default != q.default:
            yield finding("API019", path, where=where, name=name, old=p.default, new=q.default)
    change = relation(p.annotation, q.annotation, hierarchy)
    codes = {"narrower": "API013", "wider": "API104", "changed": "API020", "refuses": "API023"}
    if change in codes:
        yield finding(
            codes[change], path, where=where, name=name, old=p.annotation, new=q.annotation
        )
