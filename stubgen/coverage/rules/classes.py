"""Class rules: a readable ``__repr__`` and documented enum members."""

from __future__ import annotations

from collections.abc import Iterator

from stubgen.coverage.rules.base import ClassTarget, Context
from stubgen.findings import CATALOGUE, Finding, finding
from stubgen.model.api import Class


def _has_repr(cls: Class, ctx: Context, seen: frozenset[str] = frozenset()) -> bool:
    if any(f.name == "__repr__" for f in cls.functions):
        return True
    for base in cls.bases:
        parent = ctx.index.classes.get(base)
        if parent is not None and base not in seen and _has_repr(parent, ctx, seen | {base}):
            return True
    return False


def no_repr(target: ClassTarget, ctx: Context) -> Iterator[Finding]:
    """CLS001: a bound class whose objects print as ``<X object at 0x...>``.

    Bound by any binding library (a Python class is the package's own to write). Enums and
    exceptions get a useful ``repr`` from Python; a base class of the package with
    ``__repr__`` counts for its subclasses.
    """
    cls = target.cls
    if (
        cls.binding != "python"
        and not cls.is_enum
        and not cls.is_exception
        and not _has_repr(cls, ctx)
    ):
        yield finding("CLS001", cls.path, name=cls.name)


def undocumented_members(target: ClassTarget, ctx: Context) -> Iterator[Finding]:
    """CLS002: enum members bound without a docstring."""
    for member in target.cls.members:
        if member.doc is None:
            yield finding("CLS002", target.cls.path, member=member.name)


def undocumented_properties(target: ClassTarget, ctx: Context) -> Iterator[Finding]:
    """GL08 for properties: a property whose getter carries no docstring."""
    for prop in target.cls.properties:
        if prop.doc is None:
            yield Finding(prop.path, "GL08", CATALOGUE["GL08"][1], CATALOGUE["GL08"][0])


RULES = {
    "CLS001": no_repr,
    "CLS002": undocumented_members,
    "GL08_PROPERTY": undocumented_properties,
}
