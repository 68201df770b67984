r"""Parse a docstring of any common style into numpydoc's sections.

numpydoc docstrings are read with numpydoc's own parser, Google and reST ones with
``docstring_parser``; Doxygen tags (``@param``, ``\\return``), which no well-kept Python parser
reads, with a small tag reader here. Whatever the style, the result fills the same fields of
:class:`stubgen.model.api.Docstring`, so every later stage works on any package. Problems with
the text are returned as data in ``Docstring.problems``, never raised.
"""

from __future__ import annotations

import inspect
import re
import warnings

import docstring_parser
from docstring_parser.common import DocstringExample
from numpydoc.docscrape import NumpyDocString, ParseError

from stubgen.model.api import DocItem, Docstring, DocStyle, SeeAlsoItem

NUMPYDOC_SECTIONS = (
    "Parameters",
    "Returns",
    "Yields",
    "Receives",
    "Raises",
    "Warns",
    "Other Parameters",
    "Attributes",
    "Methods",
    "See Also",
    "Notes",
    "Warnings",
    "References",
    "Examples",
)
_ITEM_SECTIONS = {
    "Parameters": "parameters",
    "Other Parameters": "other_parameters",
    "Returns": "returns",
    "Yields": "yields",
    "Raises": "raises",
    "Warns": "warns",
    "Attributes": "attributes",
}
_TEXT_SECTIONS = {
    "Notes": "notes",
    "Warnings": "warnings",
    "References": "references",
    "Examples": "examples",
}
_SECTION_ALTERNATION = "|".join(re.escape(s) for s in NUMPYDOC_SECTIONS)
_NUMPY_HEADING = re.compile(
    rf"^[ \t]*({_SECTION_ALTERNATION})[ \t]*\n[ \t]*([-=]+)[ \t]*$", re.M | re.I
)
_GOOGLE_HEADING = re.compile(
    r"^[ \t]*(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Returns?|Yields?"
    r"|Raises|Examples?|Notes?|Attributes|Warnings?|See Also|Todo):[ \t]*$",
    re.M,
)
_REST_FIELD = re.compile(
    r"^[ \t]*:(param|parameter|arg|argument|key|keyword|type|returns?|rtype|raises?|except"
    r"|exception|yields?)\b",
    re.M,
)
_DOXYGEN_TAG = re.compile(
    r"(?:^|\s)[@\\](brief|param|tparam|return|returns|retval|throws?|exception|see|sa|note"
    r"|details|pre|post|example)\b",
    re.M,
)


def detect_styles(text: str) -> list[DocStyle]:
    """List the docstring styles whose markup appears in ``text``, most specific first.

    Parameters
    ----------
    text : str
        A cleaned docstring.

    Returns
    -------
    list of str
        A subset of ``["numpydoc", "google", "rest", "doxygen"]``; empty for plain prose.
    """
    found: list[DocStyle] = []
    if _NUMPY_HEADING.search(text):
        found.append("numpydoc")
    if _GOOGLE_HEADING.search(text):
        found.append("google")
    if _REST_FIELD.search(text):
        found.append("rest")
    if _DOXYGEN_TAG.search(text):
        found.append("doxygen")
    return found


def parse_docstring(raw: str) -> Docstring:
    """Parse a docstring into sections, detecting its style.

    Parameters
    ----------
    raw : str
        The docstring exactly as the object carries it.

    Returns
    -------
    Docstring
        The raw text, the detected style, the sections and any problems found in the text.
    """
    # Every line break Python knows (\r, \x85, \u2028, ...) as \n: the parsers and the
    # docs split on \n only, and a stray \r would break a line the reader never sees.
    text = inspect.cleandoc("\n".join(raw.splitlines()))
    styles = detect_styles(text)
    style: DocStyle = styles[0] if styles else "plain"
    doc = Docstring(raw=raw, style=style)
    if len(styles) > 1:
        doc.problems.append("mixes docstring styles: " + ", ".join(styles))
    try:
        if style == "numpydoc":
            _read_numpydoc(text, doc)
        elif style in ("google", "rest"):
            _read_with_docstring_parser(text, doc)
        elif style == "doxygen":
            _read_doxygen(text, doc)
        else:
            _read_plain(text, doc)
    except Exception as exc:
        doc.problems.append(f"could not be parsed as {style}: {type(exc).__name__}: {exc}")
        _read_plain(text, doc)
    return doc


def _read_plain(text: str, doc: Docstring) -> None:
    paragraphs = re.split(r"\n\s*\n", text.strip(), maxsplit=1)
    doc.summary = " ".join(paragraphs[0].split())
    doc.extended_summary = paragraphs[1].strip() if len(paragraphs) > 1 else ""


def _repair_underlines(text: str, doc: Docstring) -> str:
    """Fix section headings numpydoc would silently not see as sections.

    An underline of the wrong length, and a heading right after a line of text (no blank
    line between: numpydoc reads it as part of that paragraph, as nvFuser's
    ``FusionDefinition`` docstring shows). Each repair is recorded as a problem.
    """

    def fix(match: re.Match[str]) -> str:
        title, line = match.group(1), match.group(2)
        if len(line) != len(title):
            doc.problems.append(
                f"section {title!r} is underlined with {len(line)} characters"
                f" instead of {len(title)}"
            )
        indent = match.group(0)[: len(match.group(0)) - len(match.group(0).lstrip())]
        before = text[: match.start()].rstrip(" \t")
        blank = ""
        if before and not before.endswith("\n\n"):
            doc.problems.append(f"section {title!r} follows the text without a blank line")
            blank = "\n"
        return f"{blank}{indent}{title}\n{indent}{line[0] * len(title)}"

    return _NUMPY_HEADING.sub(fix, text)


def _read_numpydoc(text: str, doc: Docstring) -> None:
    text = _repair_underlines(text, doc)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parsed = NumpyDocString(text)
        except ParseError as exc:
            doc.problems.append(f"numpydoc: {exc}")
            _read_plain(text, doc)
            return
    doc.problems.extend(f"numpydoc: {w.message}" for w in caught)
    doc.summary = " ".join(" ".join(parsed["Summary"]).split())
    doc.extended_summary = "\n".join(parsed["Extended Summary"]).strip()
    for title, attr in _ITEM_SECTIONS.items():
        items = [_numpydoc_item(p, title, doc) for p in parsed[title]]
        setattr(doc, attr, items)
    for title, attr in _TEXT_SECTIONS.items():
        setattr(doc, attr, "\n".join(parsed[title]).strip())
    for names, description in parsed["See Also"]:
        for name, role in names:
            doc.see_also.append(
                SeeAlsoItem(name=name, role=role or "", description=" ".join(description).strip())
            )
    present = {m.group(1).title() for m in _NUMPY_HEADING.finditer(text)}
    doc.sections = [s for s in NUMPYDOC_SECTIONS if s.title() in present]


def _numpydoc_item(param: object, title: str, doc: Docstring) -> DocItem:
    name = str(getattr(param, "name", ""))
    type_ = str(getattr(param, "type", ""))
    desc = "\n".join(getattr(param, "desc", [])).strip()
    if title in ("Parameters", "Other Parameters", "Attributes") and not type_ and ":" in name:
        doc.problems.append(f"{title} entry {name!r} needs spaces around the colon: 'name : type'")
        name, _, type_ = (part.strip() for part in name.partition(":"))
    return DocItem(name=name, type=type_, description=desc)


def _read_with_docstring_parser(text: str, doc: Docstring) -> None:
    style = (
        docstring_parser.DocstringStyle.GOOGLE
        if doc.style == "google"
        else docstring_parser.DocstringStyle.REST
    )
    # A line that opens with a role (":py:func:`f`") is prose, not a ":field:": hidden
    # from the reST parser, which would take it, and all that follows, as a field.
    protect = doc.style == "rest" and _ROLE_AT_LINE_START.search(text) is not None
    if protect:
        text = _ROLE_AT_LINE_START.sub(lambda m: m.group(1) + _ROLE_MARK + m.group(2), text)
    parsed = docstring_parser.parse(text, style=style)
    if protect:
        _restore_roles(parsed)
    # The summary is the first paragraph, as numpydoc reads it; the parser takes one line.
    summary, long = parsed.short_description or "", (parsed.long_description or "").strip()
    if summary and long and not parsed.blank_after_short_description:
        first, _, long = long.partition("\n\n")
        summary = f"{summary} {first}"
    doc.summary = " ".join(summary.split())
    doc.extended_summary = long.strip()
    sections: set[str] = set()
    for meta in parsed.meta:
        description = (meta.description or "").strip()
        if isinstance(meta, docstring_parser.DocstringParam):
            doc.parameters.append(DocItem(meta.arg_name, meta.type_name or "", description))
            sections.add("Parameters")
        elif isinstance(meta, docstring_parser.DocstringReturns):
            target = doc.yields if meta.is_generator else doc.returns
            target.append(DocItem(meta.return_name or "", meta.type_name or "", description))
            sections.add("Yields" if meta.is_generator else "Returns")
        elif isinstance(meta, docstring_parser.DocstringRaises):
            doc.raises.append(DocItem("", meta.type_name or "", description))
            sections.add("Raises")
        elif isinstance(meta, DocstringExample):
            doc.examples = "\n".join(filter(None, [doc.examples, description]))
            sections.add("Examples")
        elif meta.args and meta.args[0].lower() in ("note", "notes"):
            doc.notes = "\n".join(filter(None, [doc.notes, description]))
            sections.add("Notes")
        elif meta.args and meta.args[0].lower() in ("see also", "seealso"):
            doc.see_also.extend(_see_also_from_text(description))
            sections.add("See Also")
    doc.sections = [s for s in NUMPYDOC_SECTIONS if s in sections]


# A role at the start of a line (":py:func:`f`", ":math:`x`"), told from a field (":param x:").
_ROLE_AT_LINE_START = re.compile(r"^([ \t]*):((?:[\w.+-]+:)+`)", re.MULTILINE)
_ROLE_MARK = "\x00"


def _restore_roles(parsed: docstring_parser.Docstring) -> None:
    """Put back the colons ``_ROLE_AT_LINE_START`` hid in every text of ``parsed``."""

    def restore(value: str | None) -> str | None:
        return None if value is None else value.replace(_ROLE_MARK, ":")

    parsed.short_description = restore(parsed.short_description)
    parsed.long_description = restore(parsed.long_description)
    for meta in parsed.meta:
        meta.description = restore(meta.description)


def _see_also_from_text(text: str) -> list[SeeAlsoItem]:
    items = []
    for line in text.splitlines():
        name, _, desc = line.partition(":")
        if name.strip():
            items.append(SeeAlsoItem(name=name.strip().strip("`"), description=desc.strip()))
    return items


_DOXYGEN_LINE = re.compile(r"^[ \t]*[@\\](\w+)(\[[^\]]*\])?[ \t]*(.*)$")


def _read_doxygen(text: str, doc: Docstring) -> None:
    prose: list[str] = []
    current: DocItem | None = None
    current_text: str | None = None
    sections: set[str] = set()
    for line in text.splitlines():
        match = _DOXYGEN_LINE.match(line)
        if match is None:
            if current is not None:
                current.description = f"{current.description} {line.strip()}".strip()
            elif current_text is not None:
                setattr(doc, current_text, f"{getattr(doc, current_text)}\n{line}".strip())
            else:
                prose.append(line)
            continue
        tag, rest = match.group(1).lower(), match.group(3).strip()
        current, current_text = None, None
        if tag in ("param", "tparam"):
            name, _, desc = rest.partition(" ")
            current = DocItem(name=name, description=desc.strip())
            doc.parameters.append(current)
            sections.add("Parameters")
        elif tag in ("return", "returns", "retval"):
            current = DocItem(name="", description=rest)
            doc.returns.append(current)
            sections.add("Returns")
        elif tag in ("throw", "throws", "exception"):
            type_, _, desc = rest.partition(" ")
            current = DocItem(name="", type=type_, description=desc.strip())
            doc.raises.append(current)
            sections.add("Raises")
        elif tag in ("see", "sa"):
            doc.see_also.extend(SeeAlsoItem(name=n) for n in re.split(r"[,\s]+", rest) if n)
            sections.add("See Also")
        elif tag in ("note", "details", "pre", "post"):
            doc.notes = f"{doc.notes}\n{rest}".strip()
            current_text = "notes"
            sections.add("Notes")
        elif tag == "example":
            doc.examples = f"{doc.examples}\n{rest}".strip()
            current_text = "examples"
            sections.add("Examples")
        elif tag == "brief":
            prose.insert(0, rest)
        else:
            prose.append(line)
    _read_plain("\n".join(prose), doc)
    doc.sections = [s for s in NUMPYDOC_SECTIONS if s in sections]


def numpydoc_text(doc: Docstring) -> str:
    """Return the docstring as numpydoc text, for tools that only read numpydoc.

    A numpydoc docstring is returned as written, with section underlines repaired; one in
    another style is written out from its parsed sections, so numpydoc's checks see the
    sections a Google, reST or Doxygen docstring really has.

    Parameters
    ----------
    doc : Docstring
        A parsed docstring.

    Returns
    -------
    str
        numpydoc-formatted text.
    """
    if doc.style == "numpydoc":
        return _repair_underlines(inspect.cleandoc(doc.raw), Docstring(raw=""))
    parts = [p for p in (doc.summary, doc.extended_summary) if p]
    for title, attr in _ITEM_SECTIONS.items():
        items: list[DocItem] = getattr(doc, attr)
        if items:
            parts.append(_section(title, [_item_lines(title, item) for item in items]))
    if doc.see_also:
        lines = [[f"{s.name} : {s.description}" if s.description else s.name] for s in doc.see_also]
        parts.append(_section("See Also", lines))
    for title, attr in _TEXT_SECTIONS.items():
        text: str = getattr(doc, attr)
        if text:
            parts.append(_section(title, [text.splitlines()]))
    return "\n\n".join(parts) + "\n"


def _item_lines(title: str, item: DocItem) -> list[str]:
    if title in ("Returns", "Yields", "Raises", "Warns") and not item.name:
        head = item.type or "object"
    else:
        head = f"{item.name} : {item.type}" if item.type else item.name
    return [head] + [f"    {line}" for line in item.description.splitlines()]


def _section(title: str, entries: list[list[str]]) -> str:
    return "\n".join([title, "-" * len(title), *(line for entry in entries for line in entry)])
