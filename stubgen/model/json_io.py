"""Serialize the API model to JSON and back, losslessly and deterministically."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import dacite

from stubgen.model.api import SCHEMA_VERSION, ApiModel


class ModelFormatError(ValueError):
    """The JSON text is not a model this version of the tool can read."""


def model_to_dict(model: ApiModel) -> dict[str, Any]:
    """Return the model as plain JSON-ready data (dicts, lists, strings, numbers)."""
    return dataclasses.asdict(model)


def model_to_json(model: ApiModel) -> str:
    """Return the model as JSON text: stable key order, two-space indent, final newline.

    Parameters
    ----------
    model : ApiModel
        The model to write.

    Returns
    -------
    str
        The same model always gives the same bytes.
    """
    return json.dumps(model_to_dict(model), indent=2, ensure_ascii=False) + "\n"


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
        If the text is not JSON, has another schema version, or has unknown or
        ill-typed fields.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelFormatError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        raise ModelFormatError(f"not an API model of schema version {SCHEMA_VERSION}")
    try:
        return dacite.from_dict(ApiModel, data, config=dacite.Config(strict=True))
    except dacite.DaciteError as exc:
        raise ModelFormatError(f"invalid model: {exc}") from exc
