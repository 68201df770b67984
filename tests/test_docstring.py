"""Table tests for the docstring parser: styles, sections and problems kept as data."""

from __future__ import annotations

import pytest

from stubgen.parse.docstring import detect_styles, parse_docstring

NUMPYDOC = """
Set the number of threads.

Longer text.

Parameters
----------
n : int
    A positive count.
verbose : bool, optional
    Say more.

Returns
-------
int
    The previous count.

Raises
------
ValueError
    If ``n`` is not positive.

See Also
--------
get_num_threads : Reads it back.
:func:`other`, third

Notes
-----
Thread-safe.

Examples
--------
>>> set_num_threads(2)
1
"""

GOOGLE = """Square root.

Args:
    x (float): The operand.
    y: Another.

Returns:
    float: The root.

Raises:
    ValueError: If negative.

Examples:
    >>> sqrt(4.0)
    2.0
"""

REST = """Copy a range.

:param start: first index
:type start: int
:param stop: one past the last
:returns: the count
:rtype: int
:raises IndexError: if out of range
"""

DOXYGEN = """@brief Gather items.

Longer prose.
@param[in] items the items to gather
@param count how many
  (continued)
@return the number gathered
@throws std::out_of_range when count is too large
@see scatter
"""


def items(entries: list[object]) -> list[tuple[str, str]]:
    return [(getattr(e, "name", ""), getattr(e, "type", "")) for e in entries]


def test_numpydoc_sections() -> None:
    doc = parse_docstring(NUMPYDOC)
    assert doc.style == "numpydoc"
    assert doc.summary == "Set the number of threads."
    assert doc.extended_summary == "Longer text."
    assert doc.sections == ["Parameters", "Returns", "Raises", "See Also", "Notes", "Examples"]
    assert items(doc.parameters) == [("n", "int"), ("verbose", "bool, optional")]
    assert items(doc.returns) == [("", "int")]
    assert items(doc.raises) == [("", "ValueError")]
    assert [(s.name, s.role) for s in doc.see_also] == [
        ("get_num_threads", ""),
        ("other", "func"),
        ("third", ""),
    ]
    assert doc.notes == "Thread-safe."
    assert doc.examples.startswith(">>> set_num_threads(2)")
    assert doc.problems == []
    assert doc.raw == NUMPYDOC


def test_google_mapped_to_sections() -> None:
    doc = parse_docstring(GOOGLE)
    assert doc.style == "google"
    assert doc.sections == ["Parameters", "Returns", "Raises", "Examples"]
    assert items(doc.parameters) == [("x", "float"), ("y", "")]
    assert items(doc.returns) == [("", "float")]
    assert items(doc.raises) == [("", "ValueError")]
    assert "sqrt(4.0)" in doc.examples


def test_rest_mapped_to_sections() -> None:
    doc = parse_docstring(REST)
    assert doc.style == "rest"
    assert doc.summary == "Copy a range."
    assert items(doc.parameters) == [("start", "int"), ("stop", "")]
    assert items(doc.returns) == [("", "int")]
    assert items(doc.raises) == [("", "IndexError")]
    assert doc.sections == ["Parameters", "Returns", "Raises"]


# (docstring, summary, extended summary): the summary is the first paragraph in every style,
# and prose that opens a line with a role stays prose (drjit's ArrayBase.shape).
SUMMARY_CASES = [
    ("Copy a\nrange.\n\n:param x: X.\n", "Copy a range.", ""),
    ("Copy a\nrange.\n\nMore.\n\n:param x: X.\n", "Copy a range.", "More."),
    ("Copy a range.\n\nMore\ntext.\n\n:param x: X.\n", "Copy a range.", "More\ntext."),
    (
        "Shape of the\narray.\n\nSee :py:func:`a` and\n:py:func:`b <x.b>` too.\n\n:type: int",
        "Shape of the array.",
        "See :py:func:`a` and\n:py:func:`b <x.b>` too.",
    ),
    (":math:`x` squared.\n\n:param x: X.\n", ":math:`x` squared.", ""),
    ("Copy a\nrange.\n\nArgs:\n    x: X.\n", "Copy a range.", ""),
    ("Copy a\nrange.\n\nMore.\n\nArgs:\n    x: X.\n", "Copy a range.", "More."),
]


@pytest.mark.parametrize(("text", "summary", "extended"), SUMMARY_CASES)
def test_summary_is_the_first_paragraph(text: str, summary: str, extended: str) -> None:
    doc = parse_docstring(text)
    assert doc.style in ("rest", "google")
    assert (doc.summary, doc.extended_summary) == (summary, extended)
    if ":param" in text:
        assert items(doc.parameters) == [("x", "")]


def test_doxygen_mapped_to_sections() -> None:
    doc = parse_docstring(DOXYGEN)
    assert doc.style == "doxygen"
    assert doc.summary == "Gather items."
    assert [(p.name, p.description) for p in doc.parameters] == [
        ("items", "the items to gather"),
        ("count", "how many (continued)"),
    ]
    assert [r.description for r in doc.returns] == ["the number gathered"]
    assert items(doc.raises) == [("", "std::out_of_range")]
    assert [s.name for s in doc.see_also] == ["scatter"]
    assert doc.sections == ["Parameters", "Returns", "Raises", "See Also"]


def test_plain_prose() -> None:
    doc = parse_docstring("Create an empty fusion.\n\nIt has no inputs.")
    assert doc.style == "plain"
    assert (doc.summary, doc.extended_summary) == ("Create an empty fusion.", "It has no inputs.")
    assert doc.sections == []


def test_short_underline_is_recovered_and_reported() -> None:
    doc = parse_docstring("Exp.\n\nReturns\n----\nVal\n    e ** x.\n")
    assert doc.sections == ["Returns"]
    assert items(doc.returns) == [("", "Val")]
    assert doc.problems == ["section 'Returns' is underlined with 4 characters instead of 7"]


def test_heading_right_after_the_text_is_read_and_reported() -> None:
    # nvFuser's FusionDefinition: no blank line before "Examples" (numpydoc reads one paragraph).
    doc = parse_docstring(
        "A class for fusions.\nIt manages inputs.\nExamples\n--------\n>>> 1\n1\n"
        "Returns\n-------\nint\n    The count.\n"
    )
    assert doc.summary == "A class for fusions. It manages inputs."
    assert doc.examples == ">>> 1\n1"
    assert [r.type for r in doc.returns] == ["int"]
    assert doc.problems == [
        "section 'Examples' follows the text without a blank line",
        "section 'Returns' follows the text without a blank line",
    ]


def test_missing_space_around_colon_is_reported() -> None:
    doc = parse_docstring("Exp.\n\nParameters\n----------\nx:Val\n    The operand.\n")
    assert items(doc.parameters) == [("x", "Val")]
    assert doc.problems == ["Parameters entry 'x:Val' needs spaces around the colon: 'name : type'"]


def test_mixed_styles_reported() -> None:
    text = "Mixed.\n\nParameters\n----------\nx : int\n    X.\n\nReturns:\n    Y.\n"
    doc = parse_docstring(text)
    assert doc.style == "numpydoc"
    assert "mixes docstring styles: numpydoc, google" in doc.problems


def test_unknown_section_is_a_problem_not_an_exception() -> None:
    doc = parse_docstring("Odd.\n\nFrobnicate\n----------\nstuff\n")
    assert doc.style == "plain"
    doc = parse_docstring(
        "Odd.\n\nParameters\n----------\nx : int\n    X.\n\nParameters\n----------\ny\n"
    )
    assert doc.style == "numpydoc"
    assert any("numpydoc" in p for p in doc.problems)


@pytest.mark.parametrize(
    ("text", "styles"),
    [
        ("Just prose.", []),
        ("S.\n\nReturns\n-------\nint\n", ["numpydoc"]),
        ("S.\n\nArgs:\n    x: X.\n", ["google"]),
        ("S.\n\n:param x: X.\n", ["rest"]),
        ("S.\n\n\\param x X.\n", ["doxygen"]),
        ("S.\n\n@return the value\n", ["doxygen"]),
        ("Email me @ home.", []),
    ],
)
def test_detect_styles(text: str, styles: list[str]) -> None:
    assert detect_styles(text) == styles
