"""The model of the real demo extension: golden file, determinism and the facts it must hold."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import Golden, find

from stubgen.load.isolate import load_model
from stubgen.model.api import SCHEMA_VERSION, ApiModel, Class, Function, Module
from stubgen.model.json_io import ModelFormatError, model_from_json, model_to_json


def test_model_matches_golden(demo_model: ApiModel, golden: Golden) -> None:
    golden.text("tinyfuser.model.json", model_to_json(demo_model))


def test_two_loads_give_identical_bytes(demo_model: ApiModel) -> None:
    assert model_to_json(load_model("tinyfuser")) == model_to_json(demo_model)


def test_json_round_trip_is_lossless(demo_model: ApiModel) -> None:
    text = model_to_json(demo_model)
    again = model_from_json(text)
    assert again == demo_model
    assert model_to_json(again) == text


def test_compact_form_is_lossless_and_writes_each_docstring_once(demo_model: ApiModel) -> None:
    text = model_to_json(demo_model, compact=True)
    assert model_from_json(text) == demo_model
    data = json.loads(text)
    table = data["shared_docstrings"]
    assert len({json.dumps(d, sort_keys=True) for d in table}) == len(table)
    ops = next(m for m in data["module"]["submodules"] if m["path"] == "tinyfuser.ops")
    overloads = next(f for f in ops["functions"] if f["name"] == "relu")["overloads"]
    assert "doc" not in overloads[0] and isinstance(overloads[-1]["doc"], int)
    assert "has_default" not in overloads[-1]["parameters"][0]  # defaults left out


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["module"].update(doc=999), "module.doc: expected an index into"),
        (lambda d: d["shared_docstrings"][0].update(raw=1), "shared_docstrings[0].raw"),
        (lambda d: d.update(shared_docstrings={}), "shared_docstrings: expected list"),
    ],
)
def test_compact_form_checked_like_the_full_one(
    demo_model: ApiModel, edit: Any, message: str
) -> None:
    data = json.loads(model_to_json(demo_model, compact=True))
    edit(data)
    with pytest.raises(ModelFormatError, match=re.escape(message)):
        model_from_json(json.dumps(data))


def test_public_paths_not_private_extension(demo_model: ApiModel) -> None:
    fusion = find(demo_model.module, "tinyfuser.Fusion")
    assert isinstance(fusion, Class)
    assert fusion.runtime_path == "tinyfuser._C.Fusion"
    ops = find(demo_model.module, "tinyfuser.ops")
    assert isinstance(ops, Module) and ops.runtime_path == "tinyfuser._C.ops"
    tv = find(demo_model.module, "tinyfuser.TensorView")
    assert isinstance(tv, Class) and tv.bases == ["tinyfuser.Val"]
    add = find(demo_model.module, "tinyfuser.ops.add")
    assert isinstance(add, Function)
    assert add.overloads[-1].returns == "tinyfuser.Val"
    assert add.overloads[-1].parameters[0].annotation == "tinyfuser.Val"


def test_macro_ops_overloads_unnamed_and_doc_on_last(demo_model: ApiModel) -> None:
    relu = find(demo_model.module, "tinyfuser.ops.relu")
    assert isinstance(relu, Function)
    assert [o.returns for o in relu.overloads] == ["float", "tinyfuser.TensorView", "tinyfuser.Val"]
    assert relu.doc_only_on_last
    assert [o.doc is not None for o in relu.overloads] == [False, False, True]
    assert all(p.auto_named for o in relu.overloads for p in o.parameters)
    add = find(demo_model.module, "tinyfuser.ops.add")
    assert isinstance(add, Function) and len(add.overloads) == 5
    assert [p.name for p in add.overloads[0].parameters] == ["arg0", "arg1"]
    maximum = find(demo_model.module, "tinyfuser.ops.maximum")
    assert isinstance(maximum, Function) and not maximum.doc_only_on_last
    assert all(o.doc is None for o in maximum.overloads)


def test_documented_sections_and_problems(demo_model: ApiModel) -> None:
    execute = find(demo_model.module, "tinyfuser.FusionExecutorCache.execute")
    assert isinstance(execute, Function)
    doc = execute.overloads[0].doc
    assert doc is not None and doc.style == "numpydoc"
    assert doc.sections == ["Parameters", "Returns", "Raises", "See Also", "Examples"]
    assert [s.name for s in doc.see_also] == ["Fusion.add_output"]
    exp = find(demo_model.module, "tinyfuser.ops.exp")
    assert isinstance(exp, Function)
    exp_doc = exp.overloads[-1].doc
    assert exp_doc is not None and len(exp_doc.problems) == 2
    sqrt = find(demo_model.module, "tinyfuser.ops.sqrt")
    assert isinstance(sqrt, Function)
    assert sqrt.overloads[-1].doc is not None and sqrt.overloads[-1].doc.style == "google"


def test_signature_sources_and_unbound_types(demo_model: ApiModel) -> None:
    fusion = find(demo_model.module, "tinyfuser.Fusion")
    assert isinstance(fusion, Class)
    by_name = {f.name: f for f in fusion.functions}
    assert by_name["define_tensor"].overloads[0].source == "nb_sig"
    assert by_name["print_ir"].overloads[0].decorators == [
        '@typing_extensions.deprecated("use print_math()")'
    ]
    scalar = by_name["define_scalar"].overloads[0]
    assert scalar.source == "generated"
    assert scalar.unbound_types == ["tf::Opaque"]
    dtype = scalar.parameters[2]
    assert (dtype.default, dtype.annotation) == ("None", "tinyfuser.DataType | None")
    assert by_name["supported_ops"].kind == "staticmethod"
    assert by_name["define_tensor"].kind == "method"
    where = find(demo_model.module, "tinyfuser.ops.where")
    assert isinstance(where, Function) and where.overloads[0].source == "nb_sig"
    cache = find(demo_model.module, "tinyfuser.FusionExecutorCache")
    assert isinstance(cache, Class)
    init = next(f for f in cache.functions if f.name == "__init__")
    assert init.overloads[0].unbound_types == ["tf::Device"]


def test_properties_enums_exception_attributes(demo_model: ApiModel) -> None:
    fusion = find(demo_model.module, "tinyfuser.Fusion")
    assert isinstance(fusion, Class)
    props = {p.name: p for p in fusion.properties}
    assert props["name"].readonly is False and props["name"].type == "str"
    assert props["num_outputs"].readonly is True and props["num_outputs"].type == "int"
    assert props["inputs"].type == "list[tinyfuser.TensorView]"
    dtype = find(demo_model.module, "tinyfuser.DataType")
    assert isinstance(dtype, Class) and dtype.is_enum
    assert [(m.name, m.value, m.doc is not None) for m in dtype.members][:2] == [
        ("Float", "0", True),
        ("Double", "1", True),
    ]
    parallel = find(demo_model.module, "tinyfuser.ParallelType")
    assert isinstance(parallel, Class) and all(m.doc is None for m in parallel.members)
    error = find(demo_model.module, "tinyfuser.FusionError")
    assert isinstance(error, Class) and error.is_exception and error.bases == ["RuntimeError"]
    assert {a.name: a.value for a in demo_model.module.attributes}["MAX_DIMS"] == "8"
    run = find(demo_model.module, "tinyfuser.run")
    assert isinstance(run, Function) and run.overloads[0].source == "python"
    assert [p.kind for p in run.overloads[0].parameters] == [
        "positional_or_keyword",
        "var_positional",
        "var_keyword",
    ]
    assert demo_model.load_errors == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["module"].update(extra=1), "module: unknown field 'extra'"),
        (lambda d: d["module"].pop("path"), "module: missing field 'path'"),
        (lambda d: d["module"].update(name=3), "module.name: expected str"),
        (
            lambda d: d["module"]["submodules"][0]["functions"][0]["overloads"][0].update(
                source="guess"
            ),
            "one of",
        ),
        (lambda d: d.update(schema_version=99), f"schema version {SCHEMA_VERSION}"),
    ],
)
def test_json_decoder_is_strict(demo_model: ApiModel, edit: Any, message: str) -> None:
    data = json.loads(model_to_json(demo_model))
    edit(data)
    with pytest.raises(ModelFormatError, match=re.escape(message)):
        model_from_json(json.dumps(data))
