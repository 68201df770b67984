"""numpydoc's own validator, fed from the model instead of from a live object.

Run on a compiled object, ``numpydoc validate`` takes the signature line nanobind puts first in
``__doc__`` for the summary (SS02/SS03), sees no parameters (PR02 on documented ones), and
never reports GL08/PR01/RT01. numpydoc's ``validate()`` accepts a ``validator_cls``; this
subclass answers its questions (docstring, parameters, return) from one overload of the model,
so every code means what numpydoc says it means. The docstring is given to numpydoc in
numpydoc form whatever style it was written in.
"""

from __future__ import annotations

import ast
import copy
import functools
import re
from typing import Any

from numpydoc.docscrape import NumpyDocString
from numpydoc.validate import Validator, validate

from stubgen.model.api import Docstring, Overload
from stubgen.parse.docstring import numpydoc_text


class _Sections(dict[str, Any]):
    """numpydoc's template of empty sections, whose deep copy is one copy per value."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _Sections:
        return _Sections({key: copy.copy(value) for key, value in self.items()})


class _ParsedDocstring(NumpyDocString):  # type: ignore[misc]
    """numpydoc's parse, less the generic deep copy of the template made for each docstring.

    The template's values are empty strings, lists of strings and an empty dict, so a copy of
    each is the same fresh state; ``copy.deepcopy`` was a sixth of numpydoc's validation time.
    The parse also keeps the blocks it reads between sections (``chunks``), the ones
    numpydoc's ``Validator.section_titles`` reads the whole text a second time to find.
    """

    sections = _Sections(NumpyDocString.sections)

    def __init__(self, docstring: str) -> None:
        self.chunks: list[list[str]] = []
        super().__init__(docstring)

    def _read_to_next_section(self) -> list[str]:
        chunk: list[str] = super()._read_to_next_section()
        self.chunks.append(chunk)
        return chunk


class ModelValidator(Validator):  # type: ignore[misc]
    """A numpydoc ``Validator`` whose facts come from the API model.

    Parameters
    ----------
    obj_name : str
        Public path of the object.
    text : str
        The docstring to check, in numpydoc form.
    parameters : tuple of str
        The signature's parameter names, as numpydoc writes them (``*args``), without self.
    returns : bool
        Whether the object returns something other than None.
    is_function : bool
        True for functions and methods, False for classes.
    """

    def __init__(
        self,
        obj_name: str,
        text: str,
        parameters: tuple[str, ...],
        returns: bool,
        is_function: bool,
    ) -> None:
        self.doc = _ParsedDocstring(text)
        # A compiled object's docstring has no quotes around it, so numpydoc's checks of where
        # they sit (GL01, GL02) would judge our reading of it, not the binding's text: the
        # text is given as a docstring whose closing quotes follow its last line.
        self.raw_doc = text if text.endswith("\n") else text + "\n"
        self.clean_doc = text  # numpydoc only echoes it in its result, which is not read
        self.obj = None
        self.code_obj = None
        self._name = obj_name
        self._parameters = parameters
        self._returns = returns
        self._is_function = is_function

    @functools.cached_property
    def section_titles(self) -> list[str]:
        """Titles of the sections, in order, as numpydoc's property finds them.

        numpydoc rereads the whole text for them on each of its 15 uses. The parse has read
        the same blocks, from the same positions: a block opens a section when its first
        line is underlined with as many dashes.
        """
        return [
            chunk[0]
            for chunk in self.doc.chunks
            if len(chunk) > 1 and len(chunk[0]) == len(chunk[1]) and set(chunk[1]) == {"-"}
        ]

    # numpydoc recomputes these on each use.
    summary = functools.cached_property(Validator.summary.fget)
    extended_summary = functools.cached_property(Validator.extended_summary.fget)
    doc_parameters = functools.cached_property(Validator.doc_parameters.fget)
    doc_all_parameters = functools.cached_property(Validator.doc_all_parameters.fget)

    @property
    def name(self) -> str:
        """Public path of the object."""
        return self._name

    @property
    def type(self) -> str:
        """Kind of object, as numpydoc names it."""
        return "function" if self._is_function else "type"

    @property
    def is_function_or_method(self) -> bool:
        """True for functions and methods."""
        return self._is_function

    @property
    def is_mod(self) -> bool:
        """Never a module."""
        return False

    @property
    def is_generator_function(self) -> bool:
        """Compiled functions are not generators."""
        return False

    @property
    def source_file_name(self) -> None:
        """No Python source exists."""
        return None

    @property
    def source_file_def_line(self) -> None:
        """No Python source exists."""
        return None

    @property
    def signature_parameters(self) -> tuple[str, ...]:
        """The parameter names from the model."""
        return self._parameters

    @property
    def method_returns_something(self) -> bool:
        """Whether the return annotation is other than None."""
        return self._returns


def validate_overload(
    path: str, doc: Docstring, parameters: list[str], overload: Overload | None
) -> tuple[tuple[str, str], ...]:
    """Run numpydoc's checks on one documented object of the model.

    Parameters
    ----------
    path : str
        Public path of the object.
    doc : Docstring
        Its docstring.
    parameters : list of str
        The signature's parameter names without self.
    overload : Overload or None
        The overload the docstring belongs to; None for a class docstring.

    Returns
    -------
    tuple of tuple of (str, str)
        numpydoc's ``(code, message)`` pairs.
    """
    returns = overload is not None and overload.returns not in (None, "None")
    # Of the name, numpydoc reads only whether it ends in ``.__init__``.
    name = "object.__init__" if path.endswith(".__init__") else "object"
    return _validate(name, numpydoc_text(doc), tuple(parameters), returns, overload is not None)


@functools.lru_cache(maxsize=1 << 16)
def _validate(
    name: str, text: str, parameters: tuple[str, ...], returns: bool, is_function: bool
) -> tuple[tuple[str, str], ...]:
    """Return numpydoc's findings, once per distinct question (bindings repeat docstrings)."""
    result: dict[str, Any] = validate(
        name,
        validator_cls=ModelValidator,
        text=text,
        parameters=parameters,
        returns=returns,
        is_function=is_function,
    )
    return tuple((str(code), _sorted_sets(str(message))) for code, message in result["errors"])


def _sorted_sets(message: str) -> str:
    """Sort the set literals numpydoc prints (PR01, PR02), whose order changes between runs."""

    def sort(match: re.Match[str]) -> str:
        try:
            items = ast.literal_eval(match.group(0))
        except (ValueError, SyntaxError):
            return match.group(0)
        if not isinstance(items, set):
            return match.group(0)
        return "{" + ", ".join(repr(i) for i in sorted(items, key=str)) + "}"

    return re.sub(r"\{[^{}]*\}", sort, message)
