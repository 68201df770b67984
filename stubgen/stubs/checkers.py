"""What type checkers will say about overloads and overrides, decided before writing stubs.

Stubs are written clean by construction rather than silenced after a mypy run. Two shapes
that nanobind bindings produce all the time need knowledge of types:

- an overload listed after a broader one (``f(v: float)`` then ``f(v: int)``): mypy reports
  ``overload-cannot-match``. nanobind first tries every overload without implicit conversions,
  so the narrower one really is reached first; the stub lists it first too.
- a method whose signature differs from the one it overrides (``__eq__(self, arg: Vec)``
  against ``object.__eq__``, a derived class taking other arguments). This is what the
  binding means, so the line gets the targeted ignore nanobind users write by hand:
  ``# type: ignore[override]`` where mypy and pyright both object, a pyright-only ignore
  where only pyright does (parameter names, positional-only against keyword).

The subtype test works on annotation text and the model's class hierarchy; it answers True,
False or None (unknown), and only a certain False leads to an ignore, so no ignore is unused.
"""

from __future__ import annotations

import builtins
import functools
import importlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from stubgen.model.api import Overload, Parameter
from stubgen.model.text import DOUBLE_QUOTED, is_literal, literal_kind, split_top_level

_ANY = frozenset({"Any", "typing.Any"})
_TOP = frozenset({"object", "builtins.object"}) | _ANY
# mypy's and pyright's numeric promotions (bool is a subclass of int).
NUMERIC_PROMOTIONS = frozenset(
    {("bool", "int"), ("bool", "float"), ("bool", "complex"), ("int", "float")}
    | {("int", "complex"), ("float", "complex")}
)
# Builtin classes that are not generic and not related except as listed above.
PLAIN_BUILTINS = frozenset({"bool", "int", "float", "complex", "str", "bytes", "None"})


def _typeshed_method(name: str, parameter: str, annotation: str, returns: str) -> Overload:
    """Return typeshed's ``def NAME(self, PARAMETER: ANNOTATION, /) -> RETURNS``."""
    return Overload(
        signature=f"def {name}(self, {parameter}: {annotation}, /) -> {returns}",
        parameters=[
            Parameter("self", "positional_only"),
            Parameter(parameter, "positional_only", annotation),
        ],
        returns=returns,
    )


# What ``object`` defines that a bound class may override (typeshed's signatures).
OBJECT_METHODS = {
    name: _typeshed_method(name, "other", "object", "bool") for name in ("__eq__", "__ne__")
}
# What typeshed's container ABCs define with a parameter of type object: a class deriving
# from one (a Python Mapping subclass) overrides it.
CONTAINER_METHODS = {"__contains__": _typeshed_method("__contains__", "value", "object", "bool")}
# What typeshed's int defines for its binary operators (an IntEnum or IntFlag member is an
# int): zxing-cpp's BarcodeFormat.__or__(BarcodeFormat) -> BarcodeFormats overrides them.
INT_METHODS = {
    name: _typeshed_method(name, "value", "int", "int")
    for name in (
        *("__add__", "__sub__", "__mul__", "__floordiv__", "__mod__", "__lshift__"),
        *("__rshift__", "__and__", "__or__", "__xor__", "__radd__", "__rsub__", "__rmul__"),
        *("__rand__", "__ror__", "__rxor__"),
    )
}
INT_BASES = re.compile(r"^(?:builtins\.)?int$|^enum\.(?:IntEnum|IntFlag)$")
CONTAINER_BASES = re.compile(
    r"\b(?:collections\.abc|typing)\.(?:Container|Collection|Mapping|MutableMapping|Set|"
    r"AbstractSet|MutableSet|Sequence|MutableSequence|KeysView|ItemsView|ValuesView)\b"
)

Verdict = Literal["both", "pyright"] | None


@dataclass
class TypeRelations:
    """Subtype questions on annotation text, with the model's classes as the hierarchy.

    ``ancestors`` returns the public paths of a class's bases, transitively, or None when the
    name is not a class of the model.
    """

    ancestors: Callable[[str], list[str] | None]

    def is_subtype(self, sub: str | None, sup: str | None, *, promote: bool = True) -> bool | None:
        """Tell whether every value of ``sub`` is a ``sup`` (None: cannot tell).

        With ``promote=False`` the numeric tower's promotions (``int`` to ``float``) do not
        count: a binding converts those values, it does not take them as they are.
        """
        if sub is None or sup is None:
            return True  # no annotation is Any
        sub, sup = sub.strip(), sup.strip()
        if sub == sup or sup in _TOP or sub in _ANY:
            return True
        sup_members = split_top_level(sup, "|")
        sub_members = split_top_level(sub, "|")
        if len(sub_members) > 1:
            answers = [self.is_subtype(m, sup, promote=promote) for m in sub_members]
            if all(a is True for a in answers):
                return True
            return False if any(a is False for a in answers) else None
        if len(sup_members) > 1:
            answers = [self.is_subtype(sub, m, promote=promote) for m in sup_members]
            if any(a is True for a in answers):
                return True
            return False if all(a is False for a in answers) else None
        if (sub, sup) in NUMERIC_PROMOTIONS:
            return promote
        sub_items, sup_items = _tuple_items(sub), _tuple_items(sup)
        if sub_items is not None and sup_items is not None:
            if len(sub_items) != len(sup_items):
                return False  # tuple[A, B, C] is never a tuple[A, B]
            pairs = [self.is_subtype(a, b, promote=promote) for a, b in zip(sub_items, sup_items)]
            return False if False in pairs else (True if all(pairs) else None)
        if sub in ("object", "builtins.object"):
            return False  # object is a subtype only of the top types handled above
        if sub.rpartition(".")[2] in _NUMERIC_PROTOCOLS and _TUPLE_ORIGIN.match(sup):
            return False  # SupportsInt is a protocol: no tuple is required to satisfy it
        if sub in PLAIN_BUILTINS:
            # A builtin value is an instance of no bound class and of no other plain builtin.
            return False if sup in PLAIN_BUILTINS or self.ancestors(sup) is not None else None
        bases = self.ancestors(sub)
        if bases is None:
            return None
        if sup in bases:
            return True
        if any(b not in PLAIN_BUILTINS and self.ancestors(b) is None for b in bases):
            return None  # a base from elsewhere (enum.IntEnum, ...) may make it a subtype
        return False if sup in PLAIN_BUILTINS or self.ancestors(sup) is not None else None


_NUMERIC_PROTOCOLS = frozenset(
    "SupportsInt SupportsIndex SupportsFloat SupportsComplex SupportsBytes SupportsAbs"
    " SupportsRound".split()
)
_TUPLE_ORIGIN = re.compile(r"(?:builtins\.|typing\.)?(?:tuple|Tuple)\b")
_TUPLE = re.compile(r"(?:builtins\.|typing\.)?(?:tuple|Tuple)\[(.*)\]", re.DOTALL)


def _tuple_items(text: str) -> list[str] | None:
    """Return the item types of a fixed-length tuple type (``tuple[int, str]``), else None."""
    match = _TUPLE.fullmatch(text)
    if match is None:
        return None
    items = split_top_level(match.group(1), ",")
    if any(item.strip() == "..." for item in items) or items == ["()"]:
        return None
    return [item.strip() for item in items]


def _positional(params: list[Parameter]) -> list[Parameter]:
    return [p for p in params if p.kind in ("positional_only", "positional_or_keyword")]


def _accepts(sub: Overload, base: Overload, types: TypeRelations) -> Verdict | Literal["ok"]:
    """Compare one overriding signature with one overridden signature (``self`` dropped)."""
    s_params, b_params = sub.parameters[1:], base.parameters[1:]
    if _gradual(b_params) and types.is_subtype(sub.returns, base.returns) is not False:
        return "ok"
    s_pos, b_pos = _positional(s_params), _positional(b_params)
    s_star = any(p.kind == "var_positional" for p in s_params)
    kinds = {p.kind for p in s_params}
    for star in ("var_positional", "var_keyword"):
        if star not in kinds and any(p.kind == star for p in b_params):
            # sample(self, bqm, **parameters) overridden by sample(self, bqm, beta=...):
            # callers of the base may pass any keyword the override does not take.
            return "both"
    verdict: Verdict | Literal["ok"] = "ok"
    if len(s_pos) < len(b_pos) and not s_star:
        return "both"
    for i, s in enumerate(s_pos):
        if i >= len(b_pos):
            if not s.has_default:
                return "both"  # the override needs an argument callers of the base omit
            continue
        b = b_pos[i]
        if types.is_subtype(b.annotation, s.annotation) is False:
            return "both"
        if b.has_default and not s.has_default:
            return "both"
        if b.kind == "positional_or_keyword" and (s.kind == "positional_only" or s.name != b.name):
            verdict = "pyright"
    b_keywords = {p.name for p in b_params if p.kind == "keyword_only"}
    s_keywords = {p.name for p in s_params if p.kind in ("keyword_only", "positional_or_keyword")}
    if not b_keywords <= s_keywords and not any(p.kind == "var_keyword" for p in s_params):
        return "both"
    if types.is_subtype(sub.returns, base.returns) is False:
        return "both"
    return verdict


def _gradual(params: list[Parameter]) -> bool:
    """Tell whether parameters are ``*args: Any, **kwargs: Any``: any call, like ``...``."""
    stars = ("var_positional", "var_keyword")
    return sorted(p.kind for p in params) == sorted(stars) and all(
        p.annotation is None or p.annotation in _ANY for p in params
    )


def inplace_verdict(inplace: list[Overload], forward: list[Overload], types: TypeRelations) -> bool:
    """Tell whether mypy rejects ``__iX__`` next to ``__X__`` (``Signatures ... incompatible``).

    mypy wants the in-place method to take at least the forward method's arguments: one
    signature each, the in-place one accepting the other's argument types; or as many
    overloads, pairwise with the same argument types. Anything else (only one of them
    overloaded, different counts) it reports.

    Parameters
    ----------
    inplace, forward : list of Overload
        The two methods' overloads as the stub writes them (``self`` first).
    types : TypeRelations
        The subtype oracle.

    Returns
    -------
    bool
        True when mypy certainly reports the pair.
    """
    if not inplace or not forward:
        return False
    if len(inplace) != len(forward):
        return True
    if len(inplace) > 1:
        return any(
            _argument_types(i) != _argument_types(f) for i, f in zip(inplace, forward, strict=True)
        )
    if _gradual(inplace[0].parameters[1:]):
        return False
    own, other = _argument_types(inplace[0]), _argument_types(forward[0])
    if [kind for kind, _ in own] != [kind for kind, _ in other]:
        return True
    return any(types.is_subtype(f, i) is False for (_, i), (_, f) in zip(own, other, strict=True))


_TUPLES = ("tuple[", "Tuple[", "typing.Tuple[")


def catch_all_overlaps(
    overloads: list[Overload], bound: int, varargs: list[str | None], open_results: set[int]
) -> dict[int, set[str]]:
    """Find overloads that a later ``*args`` catch-all also matches with another result.

    ``f(arg: T) -> T`` before ``f(*args: *Ts) -> tuple[*Ts]``: a one-argument call matches
    both and the results differ, which is the API's design (nanobind takes the first), but
    type checkers call it an unsafe overlap. mypy reports it when the catch-all takes a
    TypeVarTuple or ``object`` (not for ``Any``, and not when the earlier result may be a
    tuple itself); pyright when it takes ``Any`` or ``object`` and every argument of the
    earlier overload is positional-only.

    Parameters
    ----------
    overloads : list of Overload
        In the order the stub writes them.
    bound : int
        1 for methods (``self`` is skipped), else 0.
    varargs : list of (str or None)
        Each overload's ``*args`` annotation as the stub writes it: ``Any`` stands for
        whatever resolved to Any.
    open_results : set of int
        Overloads whose result may itself be a tuple (an unbounded TypeVar).

    Returns
    -------
    dict of int to set of str
        Index of each overlapped overload -> the checkers that report it.
    """
    found: dict[int, set[str]] = {}
    for j, later in enumerate(overloads):
        params = later.parameters[bound:]
        star = next((p for p in params if p.kind == "var_positional"), None)
        if star is None or params[0] is not star or not str(later.returns).startswith(_TUPLES):
            continue
        written = varargs[j] or ""
        keywords = {p.name for p in params if p.kind == "keyword_only"}
        for i, earlier in enumerate(overloads[:j]):
            own = earlier.parameters[bound:]
            if i in found or str(earlier.returns).startswith(_TUPLES):
                continue
            if any(p.kind in ("var_positional", "var_keyword") for p in own):
                continue
            if not all(
                p.kind == "positional_only" or p.name in keywords for p in own if p.has_default
            ):
                continue
            checkers = set()
            if (written.startswith("*") or written == "object") and i not in open_results:
                checkers.add("mypy")
            positional = all(p.kind == "positional_only" for p in own if not p.has_default)
            if written in ("Any", "object") and positional:
                checkers.add("pyright")
            if checkers:
                found[i] = checkers
    return found


def _argument_types(o: Overload) -> list[tuple[str, str | None]]:
    return [(p.kind, p.annotation) for p in o.parameters[1:]]


def override_verdict(sub: list[Overload], base: list[Overload], types: TypeRelations) -> Verdict:
    """Tell which type checkers will reject ``sub`` as an override of ``base``.

    Parameters
    ----------
    sub, base : list of Overload
        The overriding and the overridden method's overloads (``self`` first).
    types : TypeRelations
        The subtype oracle.

    Returns
    -------
    {"both", "pyright"} or None
        ``"both"`` when mypy (and so pyright) certainly reports an incompatible override,
        ``"pyright"`` when only pyright does, None when both accept it or it cannot be told.
    """
    if not sub or not base:
        return None
    if [_shape(o) for o in sub] == [_shape(o) for o in base]:
        return None
    worst: Verdict = None
    for b in base:
        answers = [_accepts(s, b, types) for s in sub]
        if "ok" in answers:
            continue
        if all(a == "both" for a in answers):
            return "both"
        worst = "pyright"
    return worst


def _shape(o: Overload) -> tuple[object, ...]:
    return (o.returns, *((p.name, p.kind, p.annotation, p.has_default) for p in o.parameters))


def narrowest_first(overloads: list[Overload], types: TypeRelations) -> list[Overload]:
    """Order overloads as the binding dispatches them, for a checker that takes the first match.

    nanobind and pybind11 try overloads in their order, first without implicit conversions. So
    ``f(v: int)`` bound after ``f(v: float)`` does receive ints (the float overload would have
    to convert them): the stub lists it first. A subclass instance needs no conversion, so
    ``f(v: Derived)`` bound after ``f(v: Base)`` is never called; it keeps its place, and
    :func:`shadowed` reports it. Any other order is the runtime's.

    Parameters
    ----------
    overloads : list of Overload
        In the binding's dispatch order.
    types : TypeRelations
        The subtype oracle.

    Returns
    -------
    list of Overload
        The same overloads, each that the first pass prefers moved before the first earlier
        one that covers it only through a conversion.
    """
    result: list[Overload] = []
    # Only overloads with the same calling convention can cover each other (_covers): each
    # is compared with its group alone, so distinct overloads cost linear time.
    groups: dict[tuple[object, ...], list[Overload]] = {}
    for overload in overloads:
        group = groups.setdefault(_convention(overload), [])
        before = next(
            (
                i
                for i, earlier in enumerate(group)
                if _covers(earlier, overload, types)
                and not _covers(earlier, overload, types, promote=False)
            ),
            None,
        )
        if before is None:
            group.append(overload)
            result.append(overload)
        else:
            target = group[before]
            group.insert(before, overload)
            result.insert(next(i for i, o in enumerate(result) if o is target), overload)
    # An overload with a parameter of an unbound C++ type is never called (no Python object
    # converts to it), but written as Any it would hide every later overload from a checker
    # (mitsuba's Properties.__setitem__): it goes last, where it hides nothing.
    return [o for o in result if not _takes_unbound(o)] + [o for o in result if _takes_unbound(o)]


_QUOTED = re.compile(r"""\s*(?:"[^"]*"|'[^']*')\s*""")


def _takes_unbound(overload: Overload) -> bool:
    """Tell whether a parameter's whole type is an unbound C++ type (a quoted name)."""
    return bool(overload.unbound_types) and any(
        p.annotation is not None and _QUOTED.fullmatch(p.annotation) for p in overload.parameters
    )


def shadowed(overloads: list[Overload], types: TypeRelations) -> dict[int, int]:
    """Find the overloads an earlier one accepts every call of.

    The runtime never calls such an overload, and type checkers report it
    (``overload-cannot-match``, ``reportOverlappingOverload``).

    Parameters
    ----------
    overloads : list of Overload
        In the order the stub writes them (:func:`narrowest_first`).
    types : TypeRelations
        The subtype oracle.

    Returns
    -------
    dict of int to int
        For each shadowed overload's index, the index of the first earlier one covering it.
    """
    result: dict[int, int] = {}
    groups: dict[tuple[object, ...], list[tuple[int, Overload]]] = {}
    # Across conventions, by exact types: f(arg: int, /) after f(size: int = 1).
    positional: dict[tuple[str | None, ...], int] = {}
    for number, overload in enumerate(overloads):
        group = groups.setdefault(_convention(overload), [])
        for i, earlier in group:
            if _covers(earlier, overload, types):
                result[number] = i
                break
        else:
            key = _positional_only_key(overload)
            if key is not None and key in positional:
                result[number] = positional[key]
        group.append((number, overload))
        for key in _positional_keys(overload):
            positional.setdefault(key, number)
    return result


def _positional_only_key(overload: Overload) -> tuple[str | None, ...] | None:
    """Return the parameter types of an overload taking positional arguments only, else None."""
    params = overload.parameters
    for index, p in enumerate(params):
        is_self = index == 0 and p.name in ("self", "cls")
        if p.has_default or (p.kind != "positional_only" and not is_self):
            return None
    return tuple(p.annotation for p in params)


_POSITIONAL = ("positional_only", "positional_or_keyword")


def _positional_keys(overload: Overload) -> list[tuple[str | None, ...]]:
    """Return the type lists of the purely positional calls ``overload`` takes as they are.

    One per count of positional arguments it accepts: ``f(size: int = 1)`` takes ``()``
    and ``(int,)``. An overload with ``*args`` or a required keyword-only parameter gives
    none (the exact match does not cover it).
    """
    params = overload.parameters
    if any(p.kind == "var_positional" for p in params):
        return []
    prefix = 0
    while prefix < len(params) and params[prefix].kind in _POSITIONAL:
        prefix += 1
    if any(not p.has_default for p in params[prefix:] if p.kind != "var_keyword"):
        return []
    required = next((i for i, p in enumerate(params[:prefix]) if p.has_default), prefix)
    return [tuple(p.annotation for p in params[:k]) for k in range(required, prefix + 1)]


def _convention(o: Overload) -> tuple[object, ...]:
    """Return what :func:`_covers` needs equal: each parameter's name, kind and default."""
    return tuple((p.name, p.kind, p.has_default) for p in o.parameters)


def _covers(
    broad: Overload, narrow: Overload, types: TypeRelations, *, promote: bool = True
) -> bool:
    """Tell whether every call that matches ``narrow`` also matches ``broad`` (and they differ)."""
    if len(broad.parameters) != len(narrow.parameters) or _shape(broad) == _shape(narrow):
        return False
    for index, (b, n) in enumerate(zip(broad.parameters, narrow.parameters, strict=True)):
        if (b.name, b.kind, b.has_default) != (n.name, n.kind, n.has_default):
            return False
        if index == 0 and b.name == "self" and n.annotation is None:
            if b.annotation is not None:
                return False  # self: Histogram[Weight] takes fewer receivers than the class
            continue
        if b.kind in ("var_positional", "var_keyword"):
            if b.annotation != n.annotation:
                return False
        elif types.is_subtype(n.annotation, b.annotation, promote=promote) is not True:
            return False
    return True


@dataclass(frozen=True)
class Observed:
    """A call seen at run time: argument and result types (from ``nbapi trace``)."""

    args: tuple[str, ...]
    kwargs: tuple[tuple[str, str], ...]
    returns: str
    site: str


def _takes(types: TypeRelations, arg: str, annotation: str | None) -> bool:
    """Tell whether a parameter certainly takes ``arg``; an unbound C++ type (Any) does."""
    answer = types.is_subtype(arg, annotation)
    return answer is True or (answer is None and '"' in (annotation or ""))


def _bind(overload: Overload, call: Observed) -> list[tuple[int, str]] | None:
    """Bind ``call``'s arguments to ``overload``'s parameters as Python does.

    Returns
    -------
    list of tuple of (int, str) or None
        Per argument, the index of its parameter and its type; None when the call cannot
        bind (too many arguments, an unknown or repeated keyword, a required one missing).
    """
    params = overload.parameters
    pairs: list[tuple[int, str]] = []
    bound: set[str] = set()
    position = 0
    for arg in call.args:
        while position < len(params) and params[position].kind in ("keyword_only", "var_keyword"):
            position += 1
        if position == len(params):
            return None
        pairs.append((position, arg))
        if params[position].kind != "var_positional":
            bound.add(params[position].name)
            position += 1
    by_name = {
        p.name: i
        for i, p in enumerate(params)
        if p.kind not in ("positional_only", "var_positional", "var_keyword")
    }
    extra = next((i for i, p in enumerate(params) if p.kind == "var_keyword"), None)
    for name, type_ in call.kwargs:
        target = by_name.get(name, extra)
        if target is None or name in bound:
            return None
        pairs.append((target, type_))
        bound.add(name)
    if all(
        p.has_default or p.name in bound or p.kind in ("var_positional", "var_keyword")
        for p in params
    ):
        return pairs
    return None


def accepts(overload: Overload, call: Observed, types: TypeRelations) -> bool:
    """Tell whether ``overload`` certainly takes the arguments of ``call`` (no guess)."""
    pairs = _bind(overload, call)
    return pairs is not None and all(
        _takes(types, arg, overload.parameters[index].annotation) for index, arg in pairs
    )


@functools.lru_cache(maxsize=1024)
def _standard_class(name: str) -> type | None:
    """Return the builtin or standard-library class ``name`` names (no other module loads)."""
    module, _, member = name.rpartition(".")
    if module in ("", "builtins"):
        found = getattr(builtins, member, None)
    elif module.split(".")[0] in sys.stdlib_module_names:
        try:
            found = getattr(importlib.import_module(module), member, None)
        except ImportError:
            return None
    else:
        return None
    return found if isinstance(found, type) else None


def _refused(types: TypeRelations, arg: str, annotation: str) -> bool:
    """Tell whether a parameter typed ``annotation`` certainly does not admit ``arg``.

    The model's hierarchy answers for the package's classes; a builtin or standard-library
    class (``decimal.Decimal``) is asked directly, and is no subclass of a bound class. A
    class of any other package (a test's own subclass) is never known not to be admitted.
    """
    answer = types.is_subtype(arg, annotation)
    if answer is not None:
        return not answer
    if arg.startswith(("typing.", "types.")):
        return False  # Any, a function, a module: no class a stub would name
    observed = _standard_class(arg.split("[", 1)[0])
    if observed is None:
        return False
    for member in split_top_level(annotation, "|"):
        origin = member.strip().split("[", 1)[0]
        declared = _standard_class(origin)
        if declared is None:
            if types.ancestors(origin) is None:
                return False  # a class neither the model nor the standard library knows
        elif issubclass(observed, declared):
            return False
    return True


def evidence_parameters(
    overloads: list[Overload], calls: list[Observed], types: TypeRelations
) -> list[tuple[int, int, str, Observed]]:
    """Find the parameters that took, at run time, a type their annotation does not admit.

    The binding converts in its second pass: nanobind's and pybind11's ``float`` takes any
    ``__float__`` (pikepdf's ``Matrix.translated(x, Decimal(...))``), a ``std::vector`` any
    sequence. A traced call that no overload accepts, and that only one overload can bind by
    arity and keywords, ran that overload: each of its parameters that does not take the
    observed argument gains the observed type. A call several overloads can bind decides
    nothing.

    Returns
    -------
    list of tuple of (int, int, str, Observed)
        Per widening, the overload's and the parameter's index, the annotation it gets and
        the first call that showed it.
    """
    found: dict[tuple[int, int], tuple[list[str], Observed]] = {}
    for call in calls:
        if any(accepts(o, call, types) for o in overloads):
            continue
        bindable = [(i, pairs) for i, o in enumerate(overloads) if (pairs := _bind(o, call))]
        if len(bindable) != 1:
            continue  # several overloads could have run it, or none with arguments
        index, pairs = bindable[0]
        for position, arg in pairs:
            annotation = overloads[index].parameters[position].annotation
            if annotation is None or '"' in annotation or not _refused(types, arg, annotation):
                continue
            extra, _ = found.setdefault((index, position), ([], call))
            if arg not in extra:
                extra.append(arg)
    widened = []
    for (index, position), (extra, call) in sorted(found.items()):
        declared = overloads[index].parameters[position].annotation or ""
        widened.append((index, position, " | ".join([declared, *extra]), call))
    return widened


def evidence_first(
    overloads: list[Overload], calls: list[Observed], types: TypeRelations
) -> tuple[list[Overload], list[tuple[int, int, Observed]]]:
    """Order overloads so that the first to accept each traced call gives its observed result.

    The runtime calls the first overload that takes the arguments, and the binding returns
    the most derived class of what C++ returned: ``add(tv0, tv1)`` runs ``add(Val, Val) ->
    Val`` and hands back a TensorView. Only a trace tells that; given one, an overload that
    accepts the call and types its result as observed moves before the first accepting
    overload, which types it otherwise (broader). Without evidence nothing moves.

    Returns
    -------
    tuple of (list of Overload, list of tuple)
        The order, and per move the moved overload's and the passed overload's indices in
        the order given, with the call that decided it.
    """
    order = list(overloads)
    moves: list[tuple[int, int, Observed]] = []
    for call in calls:
        accepting = [i for i, o in enumerate(order) if accepts(o, call, types)]
        if not accepting or types.is_subtype(order[accepting[0]].returns, call.returns) is True:
            continue
        better = next(
            (i for i in accepting[1:] if types.is_subtype(order[i].returns, call.returns) is True),
            None,
        )
        if better is None:
            continue
        first = accepting[0]
        moved = order.pop(better)
        order.insert(first, moved)
        moves.append((overloads.index(moved), overloads.index(order[first + 1]), call))
    return order, moves


_POSITIONAL = ("positional_only", "positional_or_keyword")


def defaults_dropped(params: list[Parameter]) -> list[Parameter]:
    """Drop each default written before a required positional parameter (invalid Python).

    nanobind and pybind11 allow ``f(x, bias=None, scale, eps)``: the stub writes it with
    every parameter required, next to :func:`keyword_tail` where that can be written.
    """
    result = list(params)
    for i, p in enumerate(params):
        if p.kind in _POSITIONAL and not p.has_default:
            for j in range(i):
                if result[j].has_default and result[j].kind in _POSITIONAL:
                    result[j] = replace(result[j], has_default=False)
    return result


def keyword_tail(params: list[Parameter]) -> list[Parameter] | None:
    """Return the shape that keeps a default written before a required parameter.

    From the first required parameter after a default on, every parameter is keyword-only:
    ``f(x, bias=None, *, scale, eps)`` takes ``f(x, scale=s, eps=e)``, which runs and which
    the all-required shape rejects. None when there is no such default, or when a parameter
    of the tail cannot be passed by keyword (positional-only, ``*args``).
    """
    seen_default = False
    for j, p in enumerate(params):
        if p.kind not in _POSITIONAL:
            return None
        if p.has_default:
            seen_default = True
        elif seen_default:
            tail = params[j:]
            if any(q.kind in ("positional_only", "var_positional") for q in tail):
                return None
            keyword: list[Parameter] = [
                replace(q, kind="keyword_only") if q.kind == "positional_or_keyword" else q
                for q in tail
            ]
            return [*params[:j], *keyword]
    return None


def _covers_result(observed: str, declared: str, types: TypeRelations) -> bool:
    """Tell whether ``declared`` certainly covers ``observed`` (``list`` covers ``list[X]``)."""
    if types.is_subtype(observed, declared) is True:
        return True
    return "[" in observed and observed.split("[", 1)[0] in split_top_level(declared, "|")


def evidence_results(
    overloads: list[Overload], calls: list[Observed], types: TypeRelations, *, method: bool
) -> list[tuple[int, str, Observed]]:
    """Find the results the runtime gave that the overload it called does not type.

    After :func:`evidence_first`, the first overload accepting a traced call is the one the
    checker picks. When its result type does not cover what the call returned, the binding
    declared less than it gives (pikepdf's ``Object.__getitem__`` converts scalars to
    ``int``): the result gains the observed type. A method that returned an instance of its
    own receiver's class, a subclass of the declared result, returns ``Self``.

    Returns
    -------
    list of tuple of (int, str, Observed)
        Per widening, the overload's index, the result it gets and the call that showed it.
    """
    seen: dict[int, list[Observed]] = {}
    for call in calls:
        index = next((i for i, o in enumerate(overloads) if accepts(o, call, types)), None)
        if index is not None:
            seen.setdefault(index, []).append(call)
    changes: dict[int, tuple[str, Observed]] = {}
    for index, observed in sorted(seen.items()):
        declared = changes[index][0] if index in changes else overloads[index].returns
        declared = declared or "typing.Any"
        wider = [c for c in observed if not _covers_result(c.returns, declared, types)]
        if wider:
            extra = list(dict.fromkeys(c.returns for c in wider))
            changes[index] = (" | ".join([declared, *extra]), wider[0])
            # A later overload taking all this one takes must return all it returns, or
            # the two overlap with incompatible results (mypy's overload-overlap).
            for later in range(index + 1, len(overloads)):
                if not _covers(overloads[later], overloads[index], types):
                    continue
                current = changes[later][0] if later in changes else overloads[later].returns
                current = current or "typing.Any"
                missing = [t for t in extra if not _covers_result(t, current, types)]
                if missing:
                    changes[later] = (" | ".join([current, *missing]), wider[0])
            continue
        # Self: each result was of its receiver's class, once a strict subclass's.
        receivers = [c.args[0] if method and c.args else None for c in observed]
        if all(r == c.returns for r, c in zip(receivers, observed, strict=True)):
            narrower = [c for c in observed if types.is_subtype(declared, c.returns) is False]
            if narrower:
                changes[index] = ("typing_extensions.Self", narrower[0])
    return [(i, text, call) for i, (text, call) in sorted(changes.items())]


# A default longer than this is written "...": a stub shows short literals only.
LITERAL_LIMIT = 50
_WRAPPED = re.compile(r"(?:typing\.)?(Union|Optional|Literal)\[(.*)\]", re.DOTALL)


def _spelled_out(annotation: str, kind: str, literal: str) -> bool:
    """Tell whether ``annotation`` names the default's type or value among its members.

    ``Literal[False]`` takes the default ``False`` and ``Union[int, None]`` takes ``-1``:
    widening them would make an overload take what its siblings take (drjit's median).
    """
    members = [m.strip() for m in split_top_level(annotation, "|")]
    for member in list(members):
        wrapped = _WRAPPED.fullmatch(member)
        if wrapped is None:
            continue
        inner = [m.strip() for m in split_top_level(wrapped.group(2), ",")]
        if wrapped.group(1) == "Literal":
            if literal in inner:
                return True
        else:
            members += inner
    return kind in members


@functools.lru_cache(maxsize=4096)
def stub_literal(text: str | None) -> str | None:
    """Return ``text`` if it is a short literal a stub may show as a default, else None."""
    if text is None or len(text) > LITERAL_LIMIT or "\n" in text or not is_literal(text):
        return None
    return text


def admitted_default(annotation: str | None, default: str, types: TypeRelations) -> str | None:
    """Return the builtin type ``annotation`` must gain so that its ``default`` type-checks.

    ``mask: Bool = True`` is what nanobind writes when a bound class converts implicitly
    from ``bool``; the default proves the function takes a ``bool``, which type checkers
    would otherwise reject as the default's type. A class of another package
    (``drjit.llvm.ad.Bool`` in mitsuba) cannot be asked, and is widened too: the default
    proves it either way. None when the annotation takes the default as it is.
    """
    literal = stub_literal(default)
    if literal is None or annotation is None:
        return None
    kind = literal_kind(literal)
    if kind not in PLAIN_BUILTINS or types.is_subtype(kind, annotation) is True:
        return None
    return None if _spelled_out(annotation, kind, literal) else kind


def untyped_result(returns: str | None) -> str | None:
    """Write a result the binding leaves untyped (``py::object``, ``nb::object``) as Any.

    typeshed's convention, so code can use the result; ``object`` stays for a parameter
    that takes anything. Functions and property getters alike.
    """
    return "typing.Any" if returns in ("object", "builtins.object") else returns


def written_result(overload: Overload) -> str | None:
    """Return an overload's result as the stub writes it: a binding's untyped result is Any.

    A Python function's ``-> object`` is what its author wrote, and stays.
    """
    if overload.source in ("python", "docstring"):
        return overload.returns
    return untyped_result(overload.returns)


def callable_overloads(overloads: list[Overload]) -> list[Overload]:
    """Leave out an overload told apart from an earlier one only by a C++ result type.

    Its parameters are the earlier one's, so the runtime never calls it: the stubs and the
    docs leave it out (verify reads the two as one, too).
    """
    kept: list[Overload] = []
    for overload in overloads:
        cpp_result = DOUBLE_QUOTED.search(overload.returns or "") is not None
        if not (cpp_result and any(k.parameters == overload.parameters for k in kept)):
            kept.append(overload)
    return kept
