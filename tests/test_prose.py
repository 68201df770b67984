"""Docstring prose made safe for generated pages: a table of cases, as Sphinx will read them."""

from __future__ import annotations

import pytest

from stubgen.docs.prose import safe_prose

KNOWN = {"pkg.Array", "pkg.sub.f", "pkg.Array.grow"}


def resolve(name: str) -> str | None:
    return name if name in KNOWN else None


CASES = [
    ("plain text", ["plain text"]),
    # Roles into the package stay links (shortened to the last name, as written with ~).
    (":py:class:`pkg.Array` holds data.", [":py:obj:`~pkg.Array` holds data."]),
    (":class:`~pkg.Array`", [":py:obj:`~pkg.Array`"]),
    (":meth:`grow <pkg.Array.grow>`", [":py:obj:`grow <pkg.Array.grow>`"]),
    (
        ":func:`pkg.sub.f` then :class:`pkg.Array`",
        [":py:obj:`~pkg.sub.f` then :py:obj:`~pkg.Array`"],
    ),
    # Names that do not resolve become literals; other sites' roles become emphasis.
    (":class:`numpy.ndarray`", ["``numpy.ndarray``"]),
    (":ref:`a label <label>` and :doc:`page`", ["*a label* and *page*"]),
    # Roles docutils knows stay.
    (":math:`x^2` and :sup:`2`", [":math:`x^2` and :sup:`2`"]),
    # Unbalanced inline markup is escaped: the paragraph stays prose, not monospace.
    ("an *unclosed emphasis", ["an \\*unclosed emphasis"]),
    ("set ``mode to fast, or slow", ["set \\`\\`mode to fast, or slow"]),
    # Doxygen's leftovers from C++ comments.
    ("Log through %Appender, not 50%.", ["Log through Appender, not 50%."]),
    (
        "Returns \\c true when \\p x is set; see \\ref Logger.",
        ["Returns ``true`` when ``x`` is set; see ``Logger``."],
    ),
    ("Formats with %s and %Y.", ["Formats with %s and %Y."]),
    (".. raw:: html\n\n   <b>x</b>", ["::", "", "   .. raw:: html", "", "      <b>x</b>", ""]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_safe_prose(text: str, expected: list[str]) -> None:
    assert safe_prose(text, resolve) == expected
