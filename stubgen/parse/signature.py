"""Parse the signature text of one nanobind overload into parameters and a return annotation.

nanobind reports signatures as text (``__nb_signature__``), not as Python syntax: annotations
may be numpy-style ``ndarray[dtype=float32, shape=(*, 3)]`` and unbound C++ types appear as
double-quoted demangled names, so ``ast`` cannot parse them. A small scanner that respects
brackets and quotes splits the text at top-level ``,``, ``:``, ``=`` and ``->`` instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stubgen.model.api import Docstring, Overload, Parameter, ParameterKind, SignatureSource
from stubgen.model.text import DOUBLE_QUOTED, is_literal, split_top_level

_AUTO_NAME = re.compile(r"arg\d*")
_PLACEHOLDER = re.compile(r"\\(=?)(\d+)")
_BARE_NAME = re.compile(r"(?<![\w.'\"])([^\W\d]\w*)(?![\w.(])")
# Names nanobind's own renderer writes unqualified; anything else bare comes from nb::sig text.
_GENERATED_BARE = frozenset(
    "self int float bool str bytes object complex None list dict set tuple frozenset "
    "type slice range memoryview bytearray ellipsis ndarray".split()
)
_OPENERS = {"(": ")", "[": "]", "{": "}"}


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def stable_repr(text: str) -> str:
    """Write the memory addresses in a repr (``<X object at 0x7f...>``) as ``0x...``.

    They change from run to run; the model, the stubs and the findings must not.

    Parameters
    ----------
    text : str
        A repr.

    Returns
    -------
    str
        The repr with each `` at 0xADDRESS`` written `` at 0x...``.
    """
    return _ADDRESS.sub(" at 0x...", text)


class SignatureError(ValueError):
    """The signature text does not have the shape ``[decorators] def NAME(PARAMS) [-> R]``."""


@dataclass(frozen=True)
class DefaultValue:
    r"""A default value as the runtime gave it: an expression if one exists, and its repr.

    For ``nb::arg().sig("TEXT")`` defaults (the ``\\=N`` placeholder), ``expression`` is TEXT.
    """

    expression: str | None
    repr: str


def literal_default(text: str) -> DefaultValue:
    """Return a default written as ``text``: its own expression if it is a Python literal.

    Parameters
    ----------
    text : str
        The default's repr (or the text a binding wrote for it).

    Returns
    -------
    DefaultValue
        ``text`` as expression and repr for a literal (``1.5``, ``'x'``, ``None``, ``(1, 2)``);
        no expression otherwise (``<pkg.P object at 0x...>``).
    """
    return DefaultValue(text if is_literal(text) else None, text)


@dataclass
class ParsedSignature:
    """The parts of one overload's signature text."""

    text: str
    name: str
    parameters: list[Parameter] = field(default_factory=list)
    returns: str | None = None
    decorators: list[str] = field(default_factory=list)
    source: SignatureSource = "generated"
    unbound_types: list[str] = field(default_factory=list)
    type_params: list[str] = field(default_factory=list)

    def to_overload(self, doc: Docstring | None = None) -> Overload:
        """Return the model's overload of this signature (the one place that converts).

        The lists are copies: a parsed signature may be shared (the walk caches them).
        """
        return Overload(
            signature=self.text,
            parameters=list(self.parameters),
            returns=self.returns,
            decorators=list(self.decorators),
            doc=doc,
            source=self.source,
            unbound_types=list(self.unbound_types),
            type_params=list(self.type_params),
        )


_BRACKETS = re.compile(r"""\\.|["'()\[\]{}]""")


def matching_paren(text: str, open_index: int) -> int:
    """Return the index of the bracket closing the one at ``open_index`` (quotes skipped).

    Raises
    ------
    SignatureError
        If the brackets do not balance.
    """
    depth = 0
    quote = ""
    # Only escapes, quotes and brackets matter: a scan for them skips the rest at C speed.
    for match in _BRACKETS.finditer(text, open_index):
        token = match.group(0)
        if len(token) == 2:  # an escape: inside quotes it hides the character, outside not
            if quote:
                continue
            token = token[1]
        if quote:
            if token == quote:
                quote = ""
        elif token in ("'", '"'):
            quote = token
        elif token in _OPENERS:
            depth += 1
        elif token in ")]}":
            depth -= 1
            if depth == 0:
                return match.start()
    raise SignatureError("unbalanced parentheses in the parameter list")


def substitute_placeholders(text: str, defaults: list[DefaultValue]) -> str:
    r"""Replace nanobind's ``\\N`` and ``\\=N`` default placeholders with readable text.

    Parameters
    ----------
    text : str
        Signature text from ``__nb_signature__``.
    defaults : list of DefaultValue
        The overload's defaults, in placeholder order.

    Returns
    -------
    str
        The text with each placeholder replaced by its expression, or by ``...`` when the
        default has no expression.
    """

    def replace(match: re.Match[str]) -> str:
        index = int(match.group(2))
        if index >= len(defaults):
            return match.group(0)
        value = defaults[index]
        return value.expression if value.expression is not None else "..."

    return _PLACEHOLDER.sub(replace, text)


def _parse_parameter(
    piece: str, kind: ParameterKind, defaults: list[DefaultValue]
) -> tuple[Parameter, ParameterKind]:
    """Parse one parameter; return it and the kind the next parameter starts from."""
    text = piece.strip()
    next_kind = kind
    if text.startswith("**"):
        kind, text = "var_keyword", text[2:]
    elif text.startswith("*"):
        kind, text = "var_positional", text[1:]
        next_kind = "keyword_only"
    head, *default_parts = split_top_level(text, "=")
    name, *annotation_parts = split_top_level(head, ":")
    annotation = ":".join(annotation_parts).strip() or None
    param = Parameter(name=name.strip(), kind=kind, annotation=annotation)
    if default_parts:
        _set_default(param, "=".join(default_parts).strip(), defaults)
    return param, next_kind


def _set_default(param: Parameter, text: str, defaults: list[DefaultValue]) -> None:
    param.has_default = True
    match = _PLACEHOLDER.fullmatch(text)
    if match is None:
        param.default = text
        return
    index = int(match.group(2))
    if index >= len(defaults):
        param.default_representable = False
        param.default_repr = text
        return
    value = defaults[index]
    param.default = value.expression
    param.default_representable = value.expression is not None
    param.default_repr = value.repr


def parse_parameters(text: str, defaults: list[DefaultValue]) -> list[Parameter]:
    r"""Parse a parameter list (the text between the parentheses).

    Parameters
    ----------
    text : str
        The parameter list, e.g. ``"self, x: int = \\0, /, *, y: str"``.
    defaults : list of DefaultValue
        Values for the ``\\N`` placeholders.

    Returns
    -------
    list of Parameter
        The parameters with their kinds; ``/`` and ``*`` markers are applied, not returned.
    """
    params: list[Parameter] = []
    kind: ParameterKind = "positional_or_keyword"
    pieces = [p for p in split_top_level(text, ",") if p.strip()]
    for piece in pieces:
        stripped = piece.strip()
        if stripped == "/":
            for p in params:
                if p.kind == "positional_or_keyword":
                    p.kind = "positional_only"
            continue
        if stripped == "*":
            kind = "keyword_only"
            continue
        param, kind = _parse_parameter(piece, kind, defaults)
        params.append(param)
    return params


ANNOTATED = re.compile(r"(?<![\w.])(?:typing\.|typing_extensions\.)?Annotated\[")


def annotated_metadata(text: str) -> list[tuple[int, int]]:
    """Return the spans of ``Annotated[X, ...]`` metadata in ``text`` (after ``X``).

    Metadata is no type: pybind11's Eigen caster writes ``Annotated[ArrayLike, float64,
    "[3, 1]"]`` and ``"flags.writeable"``, strings that are neither C++ names nor forward
    references. Unbalanced text gives no spans.
    """
    spans = []
    for match in ANNOTATED.finditer(text):
        try:
            close = matching_paren(text, match.end() - 1)
        except SignatureError:
            continue
        first = split_top_level(text[match.end() : close], ",")[0]
        spans.append((match.end() + len(first), close))
    return spans


def outside(spans: list[tuple[int, int]], position: int) -> bool:
    """Tell whether ``position`` lies in none of ``spans``."""
    return not any(start <= position < end for start, end in spans)


def find_unbound_types(annotation: str, *, strict: bool) -> list[str]:
    """Return the C++ type names that nanobind wrote as double-quoted strings.

    Parameters
    ----------
    annotation : str
        An annotation from a signature.
    strict : bool
        When True (text written by hand in ``nb::sig``), only quoted names that look like C++
        (``::`` or ``<``) count, since a quoted name may there be a forward reference.

    Returns
    -------
    list of str
        The names, in order of appearance.
    """
    metadata = annotated_metadata(annotation) if "Annotated[" in annotation else []
    found = [m.group(1) for m in DOUBLE_QUOTED.finditer(annotation) if outside(metadata, m.start())]
    if strict:
        found = [name for name in found if "::" in name or "<" in name]
    return found


def guess_source(text: str, defaults: list[DefaultValue] | None) -> SignatureSource:
    """Tell whether a signature was written by hand with ``nb::sig`` or rendered by nanobind.

    nanobind exposes no flag for this, so the text is checked for marks its renderer never
    writes: decorator lines, a literal default while no defaults tuple exists, a missing
    return annotation, or a bare name other than a builtin.

    Parameters
    ----------
    text : str
        The raw signature text.
    defaults : list of DefaultValue or None
        The overload's defaults tuple, None when nanobind gave none.

    Returns
    -------
    {"generated", "nb_sig"}
        The likely source.
    """
    if "\n" in text.strip() or text.lstrip().startswith("@"):
        return "nb_sig"
    open_index = text.find("(")
    if open_index < 0:
        return "nb_sig"
    try:
        close = matching_paren(text, open_index)
    except SignatureError:
        return "nb_sig"
    params, rest = text[open_index + 1 : close], text[close + 1 :]
    if "->" not in rest:
        return "nb_sig"
    if defaults is None and any(
        len(split_top_level(p, "=")) > 1 for p in split_top_level(params, ",")
    ):
        return "nb_sig"
    names = {_parameter_name(piece) for piece in split_top_level(params, ",")}
    for match in _BARE_NAME.finditer(_strip_strings(_collapse_ndarrays(params + " " + rest))):
        if match.group(1) not in _GENERATED_BARE and match.group(1) not in names:
            return "nb_sig"
    return "generated"


def _parameter_name(piece: str) -> str:
    return piece.strip().lstrip("*").split(":")[0].split("=")[0].strip()


def _strip_strings(text: str) -> str:
    return re.sub(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", '""', text)


def _collapse_ndarrays(text: str) -> str:
    # nanobind writes ndarray[dtype=float32, shape=(*, 3), ...] with bare words inside.
    while (start := text.find("ndarray[")) >= 0:
        try:
            end = matching_paren(text, start + len("ndarray"))
        except SignatureError:
            return text
        text = text[:start] + "NDARRAY" + text[end + 1 :]
    return text.replace("NDARRAY", "ndarray")


def parse_signature(
    text: str, defaults: list[DefaultValue] | None = None, *, source: SignatureSource | None = None
) -> ParsedSignature:
    r"""Parse one overload's signature text from ``__nb_signature__``.

    Parameters
    ----------
    text : str
        ``[@decorator\\n...]def NAME(PARAMS) -> RETURN``; NAME is empty for property accessors.
    defaults : list of DefaultValue or None
        Values for the ``\\N``/``\\=N`` placeholders; None when nanobind gave no tuple.
    source : {"generated", "nb_sig", "python"}, optional
        Where the text came from; guessed from the text when omitted.

    Returns
    -------
    ParsedSignature
        Parameters, return annotation, decorators, source and unbound C++ types.

    Raises
    ------
    SignatureError
        If the text has no ``def NAME(...)`` or its brackets do not balance.
    """
    values = defaults or []
    src = source or guess_source(text, defaults)
    lines = text.strip().splitlines()
    decorators = [line.strip() for line in lines if line.strip().startswith("@")]
    body = " ".join(line.strip() for line in lines if not line.strip().startswith("@"))
    match = re.match(r"def\s*([^\W\d]\w*)?\s*[(\[]", body)
    if match is None:
        raise SignatureError(f"expected 'def NAME(...)', got {body[:60]!r}")
    open_index = match.end() - 1
    type_params: list[str] = []
    if body[open_index] == "[":  # PEP 695: def f[T, *Ts, **P](...)
        end = matching_paren(body, open_index)
        type_params = [p.strip() for p in split_top_level(body[open_index + 1 : end], ",")]
        type_params = [p for p in type_params if p]
        open_index = end + 1 + (len(body[end + 1 :]) - len(body[end + 1 :].lstrip()))
        if body[open_index : open_index + 1] != "(":
            raise SignatureError(f"expected '(' after the type parameters, got {body[:60]!r}")
    close = matching_paren(body, open_index)
    rest = body[close + 1 :].strip().rstrip(":").strip()
    returns: str | None = None
    if rest:
        if not rest.startswith("->"):
            raise SignatureError(f"unexpected text after the parameter list: {rest[:40]!r}")
        returns = rest[2:].strip() or None
    params = parse_parameters(body[open_index + 1 : close], values)
    # A probe reads the same text pybind11 writes in __doc__: generated from the C++ types.
    generated = src in ("generated", "probe")
    if generated:
        for p in params:
            p.auto_named = p.kind == "positional_only" and bool(_AUTO_NAME.fullmatch(p.name))
    strict = not generated
    unbound: list[str] = []
    for annotation in [p.annotation for p in params] + [returns]:
        for name in find_unbound_types(annotation or "", strict=strict):
            if name not in unbound:
                unbound.append(name)
    return ParsedSignature(
        text=substitute_placeholders(text, values),
        name=match.group(1) or "",
        parameters=params,
        returns=returns,
        decorators=decorators,
        source=src,
        unbound_types=unbound,
        type_params=type_params,
    )


@dataclass(frozen=True)
class ClassSignature:
    """The parts of a class's ``nb::sig`` text: ``class NAME[TYPE PARAMS](BASES)``."""

    name: str
    type_params: list[str]
    bases: str | None


def parse_class_signature(text: str) -> ClassSignature | None:
    r"""Parse the last line of a class's ``nb::sig`` text.

    Parameters
    ----------
    text : str
        ``[@decorator\n...]class NAME[TYPE PARAMS](BASES)[:]``; both brackets are optional.

    Returns
    -------
    ClassSignature or None
        The name, the PEP 695 type parameters (``T``, ``K: (int, str)``, ``V = float``,
        ``*Ts``, ``**P``) and the bases' text; None when the text has another shape.
    """
    line = text.strip().splitlines()[-1].strip() if text.strip() else ""
    match = re.match(r"class\s+([^\W\d]\w*)\s*", line)
    if match is None:
        return None
    rest, type_params, bases = line[match.end() :], [], None
    try:
        if rest.startswith("["):
            end = matching_paren(rest, 0)
            type_params = [p.strip() for p in split_top_level(rest[1:end], ",") if p.strip()]
            rest = rest[end + 1 :].lstrip()
        if rest.startswith("("):
            end = matching_paren(rest, 0)
            bases = rest[1:end].strip() or None
            rest = rest[end + 1 :].lstrip()
    except SignatureError:
        return None
    if rest not in ("", ":"):
        return None
    return ClassSignature(match.group(1), type_params, bases)
