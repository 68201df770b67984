"""Text helpers shared by every reader and writer of annotation and default texts.

One bracket- and quote-aware splitter, and the one decision of whether a text is a Python
literal (``1.5``, ``'x'``, ``None``, ``(1, 2)``) and of which builtin type its value has.
"""

from __future__ import annotations

import ast
import functools
import re

# A double-quoted name: how nanobind (and our pybind11 reader) write an unbound C++ type.
DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_LITERAL_ERRORS = (ValueError, SyntaxError, TypeError, MemoryError, RecursionError)


@functools.lru_cache(maxsize=4096)
def literal_kind(text: str) -> str | None:
    """Return the builtin type name of the value of the literal ``text``, None if no literal.

    Parameters
    ----------
    text : str
        A Python expression.

    Returns
    -------
    str or None
        ``"int"``, ``"str"``, ``"tuple"``, ... (``"None"`` for None); None when ``text`` is not
        a literal (a name, a call, an object repr).
    """
    try:
        kind = type(ast.literal_eval(text)).__name__
    except _LITERAL_ERRORS:
        return None
    return "None" if kind == "NoneType" else kind


def is_literal(text: str) -> bool:
    """Tell whether ``text`` is a Python literal (what ``ast.literal_eval`` accepts)."""
    return literal_kind(text) is not None


@functools.cache
def _scanner(separator: str) -> re.Pattern[str]:
    # The characters a split has to look at: escapes, quotes, brackets and the separator.
    return re.compile(r"""\\.|["'()\[\]{}]|""" + re.escape(separator))


def split_top_level(text: str, separator: str) -> list[str]:
    """Split ``text`` at each ``separator`` that is outside brackets and quotes.

    Parameters
    ----------
    text : str
        The text to split.
    separator : str
        A one- or two-character separator, such as ``","`` or ``"->"``.

    Returns
    -------
    list of str
        The pieces, unstripped; a single piece when the separator never occurs at top level.
    """
    if separator not in text:
        return [text]
    pieces: list[str] = []
    depth = 0
    quote = ""
    start = 0
    for match in _scanner(separator).finditer(text):
        token = match.group(0)
        if quote:
            if token == quote:
                quote = ""
        elif token in ("'", '"'):
            quote = token
        elif token in "([{" and len(token) == 1:
            depth += 1
        elif token in ")]}" and len(token) == 1:
            depth = max(0, depth - 1)
        elif token == separator and depth == 0:
            i = match.start()
            if not (separator == "=" and _is_comparison(text, i)):
                pieces.append(text[start:i])
                start = match.end()
    pieces.append(text[start:])
    return pieces


def _is_comparison(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return after == "=" or before in "=!<>"
