"""The model of the test-only hazards extension: every stub-breaking shape is captured as data."""

from __future__ import annotations

from conftest import find

from stubgen.model.api import ApiModel, Class, Function, Module


def fn(model: ApiModel, path: str) -> Function:
    found = find(model.module, path)
    assert isinstance(found, Function)
    return found


def test_static_factory_bound_as_method(hazards_model: ApiModel) -> None:
    create = fn(hazards_model, "nbhazards.Widget.create")
    assert create.kind == "method"
    (overload,) = create.overloads
    assert overload.parameters == [] and overload.returns is None
    assert overload.parse_error is None


def test_keyword_named_from(hazards_model: ApiModel) -> None:
    params = fn(hazards_model, "nbhazards.copy_range").overloads[0].parameters
    assert [(p.name, p.kind) for p in params] == [
        ("from", "positional_or_keyword"),
        ("to", "positional_or_keyword"),
    ]


def test_multiline_repr_default_not_representable(hazards_model: ApiModel) -> None:
    (param,) = fn(hazards_model, "nbhazards.configure").overloads[0].parameters
    assert param.has_default and not param.default_representable and param.default is None
    assert param.default_repr == "Config(\n  level=1\n)"
    assert param.annotation == "nbhazards.Config"


def test_sig_text_default(hazards_model: ApiModel) -> None:
    (param,) = fn(hazards_model, "nbhazards.set_mode").overloads[0].parameters
    assert (param.default, param.default_representable) == ("DEFAULT_MODE", True)


def test_enum_none_and_float_defaults(hazards_model: ApiModel) -> None:
    params = fn(hazards_model, "nbhazards.run").overloads[0].parameters
    assert [p.default for p in params] == ["nbhazards.Mode.Fast", "None", "0.5"]
    mode = find(hazards_model.module, "nbhazards.Mode")
    assert isinstance(mode, Class) and [m.name for m in mode.members] == ["None", "Fast"]


def test_unbound_types_in_generics(hazards_model: ApiModel) -> None:
    assert fn(hazards_model, "nbhazards.gather").overloads[0].unbound_types == ["hz::Hidden"]
    box = fn(hazards_model, "nbhazards.maybe_box").overloads[0]
    assert box.unbound_types == ["hz::Box<int>"] and box.returns == '"hz::Box<int>" | None'


def test_kinds_and_ndarray(hazards_model: ApiModel) -> None:
    params = fn(hazards_model, "nbhazards.mixed").overloads[0].parameters
    assert [p.kind for p in params] == [
        "positional_or_keyword",
        "positional_or_keyword",
        "var_positional",
        "keyword_only",
        "var_keyword",
    ]
    (a,) = fn(hazards_model, "nbhazards.points").overloads[0].parameters
    assert a.annotation == "ndarray[dtype=float32, shape=(*, 3), order='C']"


def test_collapsing_overloads_trailing_underscore_and_empty_name(hazards_model: ApiModel) -> None:
    collapse = fn(hazards_model, "nbhazards.collapse")
    assert [o.signature for o in collapse.overloads] == ["def collapse(arg: int, /) -> int"] * 2
    global_ = fn(hazards_model, "nbhazards.global_")
    assert [p.auto_named for p in global_.overloads[0].parameters] == [True, True, True]
    assert fn(hazards_model, "nbhazards.empty_name").overloads[0].parameters[0].name == ""


def test_nb_sig_class_and_decorated_function(hazards_model: ApiModel) -> None:
    generic = find(hazards_model.module, "nbhazards.Generic")
    assert isinstance(generic, Class) and generic.signature == "class Generic(typing.Generic[T])"
    legacy = fn(hazards_model, "nbhazards.legacy").overloads[0]
    assert legacy.source == "nb_sig" and legacy.decorators == [
        '@typing_extensions.deprecated("gone")'
    ]


def test_def_submodule_reached_as_attribute(hazards_model: ApiModel) -> None:
    sub = find(hazards_model.module, "nbhazards.sub")
    assert isinstance(sub, Module) and sub.runtime_path == "nbhazards._hazards.sub"
    assert [f.name for f in sub.functions] == ["ping"]
    assert hazards_model.load_errors == []


def test_static_property_and_nested_class(hazards_model: ApiModel) -> None:
    widget = find(hazards_model.module, "nbhazards.Widget")
    assert isinstance(widget, Class)
    (count,) = widget.properties
    assert (count.name, count.static, count.type, count.readonly) == ("count", True, "int", True)
    (part,) = widget.classes
    assert (part.path, part.runtime_path) == (
        "nbhazards.Widget.Part",
        "nbhazards._hazards.Widget.Part",
    )
    assert [p.name for p in part.properties] == ["n"]


def test_foreign_reexports_are_aliases_and_classes_live_where_defined(
    hazards_model: ApiModel,
) -> None:
    assert hazards_model.module.aliases == {
        "Enum": "enum.Enum",
        "Pinger": "nbhazards.sub.Pinger",
        "sqrt": "math.sqrt",
    }
    pinger = find(hazards_model.module, "nbhazards.sub.Pinger")
    assert isinstance(pinger, Class) and pinger.runtime_path == "nbhazards._hazards.sub.Pinger"


def test_python_front_end_read_from_its_source(hazards_model: ApiModel) -> None:
    session = find(hazards_model.module, "nbhazards.Session")
    assert isinstance(session, Class)
    attributes = {a.name: (a.type, a.value) for a in session.attributes}
    assert attributes == {
        "sub": ("types.ModuleType", "nbhazards.sub"),
        "widget_type": ("type[nbhazards.Widget]", None),
    }
    methods = {f.name: f for f in session.functions}
    configure = methods["configure"]  # only forwards: the bound function's overloads
    assert configure.binding == "python" and configure.kind == "method"
    assert [[p.name for p in o.parameters] for o in configure.overloads] == [["self", "cfg"]]
    assert configure.overloads[0].returns == "int"
    log = methods["log"]  # forwards to print: nothing to learn
    assert [p.kind for p in log.overloads[0].parameters][1:] == ["var_positional", "var_keyword"]


def test_enum_members_named_like_enum_properties(hazards_model: ApiModel) -> None:
    item = find(hazards_model.module, "nbhazards.Item")
    assert isinstance(item, Class) and item.is_enum
    assert [(m.name, m.value) for m in item.members] == [
        ("name", "0"),
        ("value", "1"),
        ("other", "2"),
    ]
    assert [p.name for p in item.properties] == ["weight"]  # def_prop_ro on the enum class
    pick = find(hazards_model.module, "nbhazards.pick")
    assert isinstance(pick, Function)
    assert pick.overloads[0].parameters[0].default == "nbhazards.Item.name"


def test_a_second_name_for_a_method_is_an_alias(hazards_model: ApiModel) -> None:
    base = find(hazards_model.module, "nbhazards.Base")
    assert isinstance(base, Class)
    assert base.aliases == {"lt_alias": "__lt__"}
    assert "lt_alias" not in {f.name for f in base.functions}
