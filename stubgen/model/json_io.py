"""Serialize the API model to JSON and back, losslessly, deterministically and strictly.

The decoder is built once per dataclass from its type hints and checks every value's type
and every key, so a JSON file from another version or a hand edit fails with the path of the
first bad field instead of producing a half-valid model. (A generic library such as dacite
does the same but took a third of the loader's time on large modules.)
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import json
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, Union

from stubgen.model.api import SCHEMA_VERSION, ApiModel, Docstring
from stubgen.model.heap import built_frozen


class ModelFormatError(ValueError):
    """The JSON text is not a model this version of the tool can read."""


# In the compact form each distinct docstring is written once, in this table, and referred to
# by its index: big bindings repeat docstrings across classes (drjit: 5,774 of them, 720
# distinct, half of the model's bytes).
SHARED_DOCS = "shared_docstrings"


@dataclasses.dataclass
class _Writing:
    """The form being written: compact (defaults left out, docstrings shared) or full."""

    compact: bool
    index: dict[int, int] = dataclasses.field(default_factory=dict)
    table: list[Any] = dataclasses.field(default_factory=list)
    keep_alive: list[Any] = dataclasses.field(default_factory=list)


Encoder = Callable[[Any, _Writing], Any]
_REQUIRED = object()


@functools.cache
def _encoder(tp: Any) -> Encoder | None:
    """Return a function turning a value of type ``tp`` into JSON data; None if it already is."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Docstring:
        return _shared_encoder(_dataclass_encoder(tp))
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_encoder(tp)
    if origin is list:
        item = _encoder(args[0])
        return None if item is None else lambda v, c: [item(x, c) for x in v]
    if origin is dict:
        value = _encoder(args[1])
        return None if value is None else lambda v, c: {k: value(x, c) for k, x in v.items()}
    if origin in (Union, types.UnionType):
        (inner,) = [_encoder(a) for a in args if a is not type(None)]
        return None if inner is None else lambda v, c: None if v is None else inner(v, c)
    return None


def _shared_encoder(encode: Encoder) -> Encoder:
    def share(value: Any, writing: _Writing) -> Any:
        if not writing.compact:
            return encode(value, writing)
        key = id(value)
        if key not in writing.index:
            writing.index[key] = len(writing.table)
            writing.table.append(encode(value, writing))
            writing.keep_alive.append(value)  # its id must not be reused while writing
        return writing.index[key]

    return share


def _dataclass_encoder(cls: type) -> Encoder:
    plan: list[tuple[str, Encoder | None, Any]] = []

    def encode(value: Any, writing: _Writing) -> dict[str, Any]:
        if not plan:  # built on first use: the model's classes refer to themselves
            hints = typing.get_type_hints(cls)
            fields = dataclasses.fields(cls)
            plan.extend((f.name, _encoder(hints[f.name]), _default(f)) for f in fields)
        data = {}
        compact = writing.compact
        for name, encoder, default in plan:
            item = getattr(value, name)
            if compact and default is not _REQUIRED and item == default:
                continue
            data[name] = item if encoder is None else encoder(item, writing)
        return data

    return encode


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return _REQUIRED


def model_to_dict(model: ApiModel, *, compact: bool = False) -> dict[str, Any]:
    """Return the model as plain JSON-ready data (dicts, lists, strings, numbers).

    Parameters
    ----------
    model : ApiModel
        The model to convert.
    compact : bool, optional
        Leave out fields that hold their default value and write each distinct docstring
        once; reading restores both.

    Returns
    -------
    dict
        Fields in declaration order.
    """
    encode = _encoder(ApiModel)
    assert encode is not None
    writing = _Writing(compact)
    data: dict[str, Any] = encode(model, writing)
    if compact:
        # The version is written even where it is the default: readers check it first.
        data.setdefault("schema_version", model.schema_version)
        data[SHARED_DOCS] = writing.table
    return data


def model_to_json(model: ApiModel, *, compact: bool = False) -> str:
    """Return the model as JSON text: field order kept, two-space indent, final newline.

    Parameters
    ----------
    model : ApiModel
        The model to write.
    compact : bool, optional
        No indentation or spaces and no fields at their default value, for the loader's
        child-to-parent channel.

    Returns
    -------
    str
        The same model always gives the same bytes.
    """
    if compact:
        data = model_to_dict(model, compact=True)
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return json.dumps(model_to_dict(model), indent=2, ensure_ascii=False) + "\n"


# Where a value sits: None for the model itself, else (parent, field name or list index).
# Formatted only when a value is wrong, so reading a large model builds no path strings.
Where = tuple[Any, "str | int"] | None


def _where(where: Where) -> str:
    parts: list[str] = []
    while where is not None:
        where, key = where
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
    return "".join(reversed(parts)).lstrip(".") or "model"


def _fail(where: Where, expected: str, value: Any) -> ModelFormatError:
    return ModelFormatError(f"{_where(where)}: expected {expected}, got {value!r:.60}")


@dataclasses.dataclass
class _Reading:
    """The shared docstrings of a compact model, each decoded once on first reference."""

    table: list[Any]
    decoded: dict[int, Any] = dataclasses.field(default_factory=dict)


Decoder = Callable[[Any, Where, _Reading], Any]


@functools.cache
def _decoder(tp: Any) -> Decoder:
    """Return a function that checks JSON data against type ``tp`` and builds the value."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Docstring:
        return _shared_decoder(_dataclass_decoder(tp))
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_decoder(tp)
    if origin is list:
        item = _decoder(args[0])
        return lambda v, w, r: [item(x, (w, i), r) for i, x in enumerate(_check(v, list, w))]
    if origin is dict:
        val = _decoder(args[1])
        return lambda v, w, r: {str(k): val(x, (w, k), r) for k, x in _check(v, dict, w).items()}
    if origin in (Union, types.UnionType):
        inner = [_decoder(a) for a in args if a is not type(None)]
        return lambda v, w, r: None if v is None else inner[0](v, w, r)
    if origin is Literal:
        return lambda v, w, r: v if v in args else _raise(_fail(w, f"one of {args}", v))
    return lambda v, w, r: _check(v, tp, w)


def _shared_decoder(decode: Decoder) -> Decoder:
    def read(value: Any, where: Where, reading: _Reading) -> Any:
        if type(value) is not int:
            return decode(value, where, reading)
        if value not in reading.decoded:
            if not 0 <= value < len(reading.table):
                raise _fail(where, f"an index into {SHARED_DOCS}", value)
            entry = ((None, SHARED_DOCS), value)
            reading.decoded[value] = decode(reading.table[value], entry, reading)
        return reading.decoded[value]

    return read


def _raise(error: Exception) -> Any:
    raise error


def _check(value: Any, tp: type, where: Where) -> Any:
    if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
        raise _fail(where, tp.__name__, value)
    return value


def _scalar_types(tp: Any) -> frozenset[type]:
    """Return the JSON scalar types a value of type ``tp`` may have as is, e.g. {str, None}."""
    args = typing.get_args(tp) if typing.get_origin(tp) in (Union, types.UnionType) else (tp,)
    scalars = (str, int, bool, float, type(None))
    return (
        frozenset(a for a in args if a in scalars)
        if all(a in scalars for a in args)
        else frozenset()
    )


def _dataclass_decoder(cls: type) -> Decoder:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    names = frozenset(fields)
    required = frozenset(
        name
        for name, f in fields.items()
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )
    decoders: dict[str, Decoder] = {}
    plain: dict[str, frozenset[type]] = {}

    def decode(value: Any, where: Where, reading: _Reading) -> Any:
        data = _check(value, dict, where)
        keys = data.keys()
        if not keys <= names:
            unknown = sorted(keys - names)[0]
            raise ModelFormatError(f"{_where(where)}: unknown field {unknown!r}")
        if not required <= keys:
            missing = sorted(required - keys)[0]
            raise ModelFormatError(f"{_where(where)}: missing field {missing!r}")
        if not decoders:  # built on first use: the model's classes refer to themselves
            hints = typing.get_type_hints(cls)
            decoders.update((name, _decoder(hints[name])) for name in fields)
            plain.update((name, _scalar_types(hints[name])) for name in fields)
        kwargs = {}
        for k, v in data.items():
            # Scalars of the exact type are taken as they are; the decoder explains the rest.
            kwargs[k] = v if type(v) in plain[k] else decoders[k](v, (where, k), reading)
        return cls(**kwargs)

    return decode


def model_from_json(text: str) -> ApiModel:
    """Read a model written by :func:`model_to_json`.

    Parameters
    ----------
    text : str
        JSON text.

    Returns
    -------
    ApiModel
        The model, equal to the one that was written.

    Raises
    ------
    ModelFormatError
        If the text is not JSON, has another schema version, or has unknown, missing or
        ill-typed fields.

    Notes
    -----
    The objects alive once the model is read are moved to the collector's permanent
    generation (``gc.freeze``); they are still freed when no longer referenced.
    """
    # Reading makes only live objects (the JSON tree, then the model): the cyclic collector
    # would just rescan them, over and over, as they grow (a 100k-overload model read in
    # 13.6 s with it and in 5.3 s without).
    # Once read, the model lives as long as the run: frozen out of the collector's scans, it
    # no longer costs every stage after the load (a third of the stubs' time at 100k).
    return built_frozen(lambda: _read(text))


def _read(text: str) -> ApiModel:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelFormatError(f"not JSON: {exc}") from exc
    if isinstance(data, dict) and data.get("schema_version") == 4:
        _from_version_4(data)
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        raise ModelFormatError(f"not an API model of schema version {SCHEMA_VERSION}")
    table = data.pop(SHARED_DOCS, [])
    if not isinstance(table, list):
        raise _fail((None, SHARED_DOCS), "list", table)
    model: ApiModel = _decoder(ApiModel)(data, None, _Reading(table))
    return model


def _from_version_4(data: dict[str, Any]) -> None:
    """Bring a model of schema version 4 to this version, in place.

    Version 4 told a class's binding by ``is_nanobind`` alone; a pybind11 class is told from
    its methods, which named their binding already.
    """

    def klass(cls: Any) -> None:
        if not isinstance(cls, dict):
            return  # the decoder reports it
        nanobind = cls.pop("is_nanobind", False)
        functions = cls.get("functions")
        methods = functions if isinstance(functions, list) else []
        pybind11 = any(isinstance(f, dict) and f.get("binding") == "pybind11" for f in methods)
        if not nanobind:
            cls["binding"] = "pybind11" if pybind11 else "python"
        for nested in cls.get("classes") or []:
            klass(nested)

    def module(mod: Any) -> None:
        if isinstance(mod, dict):
            for cls in mod.get("classes") or []:
                klass(cls)
            for sub in mod.get("submodules") or []:
                module(sub)

    module(data.get("module"))
    data["schema_version"] = SCHEMA_VERSION


def model_file_bytes(model: ApiModel, name: str) -> bytes:
    """Return the model as the content of a file called ``name``.

    A name ending in ``.gz`` gets compact JSON, gzip-compressed with no timestamp (same model,
    same bytes): a recorded model small enough to commit (nvFuser's: 46 KB). Any other name
    gets the indented JSON of :func:`model_to_json`.
    """
    if name.endswith(".gz"):
        return gzip.compress(model_to_json(model, compact=True).encode("utf-8"), 9, mtime=0)
    return model_to_json(model).encode("utf-8")


def read_model_file(path: Path) -> ApiModel:
    """Read a model written by the ``model`` verb (``.json``, or ``.json.gz``).

    Raises
    ------
    ModelFormatError
        If the file is not a model (or not gzip where its name says so).
    OSError
        If it cannot be read.
    """
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ModelFormatError(f"not gzip data: {exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFormatError(f"not UTF-8 text: {exc}") from exc
    return model_from_json(text)
