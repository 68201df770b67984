// Test-only bindings: each definition is a shape seen in real nanobind packages that breaks
// stub generators or naive signature parsing. Kept out of the demo on purpose.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/variant.h>
#include <variant>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <nanobind/typing.h>

#include <optional>
#include <vector>

namespace nb = nanobind;
using namespace nb::literals;

namespace hz {
struct Hidden {};
template <typename T> struct Box { T value{}; };
struct Widget { int id = 0; struct Part { int n = 0; }; };
inline int g_counter = 0;
struct Config { int level = 1; };
struct Generic { };
struct Config2 { };
struct Base { };
struct Pinger { };
struct Derived : Base { };
enum class Mode { None, Fast };
enum class Item { Name, Value, Other };
struct Slotted { int size = 3; };
struct Context { };
struct Matrix { };
struct Counter { int n = 0; };
struct Info { };
struct Holder { };
struct Version { int v = 0; };
struct BinA { };
struct BinB { };
struct Pair : Base { };
// Polymorphic: nanobind hands back the most derived class of what C++ returns.
struct Node { virtual ~Node() = default; };
struct Leaf : Node { };
struct Registry { std::string name = "hazards"; };

// C slots filled with nb::type_slots: Python sees wrapper descriptors without types.
PyObject *slotted_repr(PyObject *) { return PyUnicode_FromString("Slotted()"); }
Py_ssize_t slotted_len(PyObject *self) { return nb::inst_ptr<Slotted>(self)->size; }
Py_hash_t slotted_hash(PyObject *) { return 7; }
PyObject *slotted_getitem(PyObject *, PyObject *key) { return Py_NewRef(key); }
PyType_Slot slotted_slots[] = {
    {Py_tp_repr, (void *) slotted_repr},
    {Py_mp_length, (void *) slotted_len},
    {Py_tp_hash, (void *) slotted_hash},
    {Py_mp_subscript, (void *) slotted_getitem},
    {0, nullptr},
};
}  // namespace hz

NB_MODULE(_hazards, m) {
    m.doc() = "Hazards for signature parsing and stub generation.";

    nb::class_<hz::Widget>(m, "Widget")
        .def(nb::init<>())
        // A private member: in the stubs only with nanobind.stubgen's -P.
        .def("_reset", [](hz::Widget &w) { w.id = 0; })
        // A static factory bound as a method: there is no `self` in the signature.
        .def("create", []() { return hz::Widget(); })
        // A static property, which is no plain attribute.
        .def_prop_ro_static("count", [](nb::handle) { return hz::g_counter; }, "How many exist.");
    // A nested class.
    nb::class_<hz::Widget::Part>(m.attr("Widget"), "Part").def_rw("n", &hz::Widget::Part::n);

    nb::class_<hz::Config>(m, "Config")
        .def(nb::init<>())
        // A repr spanning lines, as a C++ toString() often does.
        .def("__repr__", [](const hz::Config &c) {
            return "Config(\n  level=" + std::to_string(c.level) + "\n)";
        });

    // A generic class: its nb::sig names a type variable defined in the module.
    m.attr("T") = nb::type_var("T");
    nb::class_<hz::Generic>(m, "Generic", nb::sig("class Generic(typing.Generic[T])"));
    // An nb::sig naming a type variable the module never defines.
    nb::class_<hz::Config2>(m, "Orphan", nb::sig("class Orphan(typing.Generic[U])"));

    nb::enum_<hz::Mode>(m, "Mode")
        .value("None", hz::Mode::None)
        .value("Fast", hz::Mode::Fast);

    // Members named like Enum's own attributes, a property of the enum class, and a default
    // that names a member.
    nb::enum_<hz::Item>(m, "Item")
        .value("name", hz::Item::Name, "Shadows Enum.name.")
        .value("value", hz::Item::Value)
        .value("other", hz::Item::Other)
        .def_prop_ro("weight", [](hz::Item i) { return static_cast<int>(i) * 10; }, "Ten per step.");
    m.def("pick", [](hz::Item i) { return static_cast<int>(i); }, "item"_a = hz::Item::Name);

    // A subclass method incompatible with its base (mypy: override).
    // Both define a read-only class attribute of one name: neither may be Final in stubs.
    auto base = nb::class_<hz::Base>(m, "Base")
        .def("describe", [](const hz::Base &, int x) { return std::to_string(x); }, "x"_a)
        .def("__lt__", [](const hz::Base &, const hz::Base &) { return false; })
        .def_prop_ro_static("kind", [](nb::handle) { return std::string("base"); });
    // A second name for a method: the very same function object (an alias, not a copy).
    base.attr("lt_alias") = base.attr("__lt__");
    nb::class_<hz::Derived, hz::Base>(m, "Derived")
        .def(nb::init<>())
        .def("describe", [](const hz::Derived &, const std::string &x, int y) { return x; },
             "x"_a, "y"_a)
        .def_prop_ro_static("kind", [](nb::handle) { return std::string("derived"); });

    // An overload shadowed by an earlier, broader one (mypy: overload-cannot-match).
    m.def("shadow", [](double v) { return v; }, "v"_a);
    m.def("shadow", [](int v) { return static_cast<double>(v); }, "v"_a);
    // The first pass takes a subclass instance as it is: classify(Derived()) calls the Base
    // overload, the second one never runs (kept in this order, reported).
    m.def("classify", [](const hz::Base &) { return std::string("base"); }, "item"_a);
    m.def("classify", [](const hz::Derived &) { return std::string("derived"); }, "item"_a);

    // Only evidence settles the order: pass_through(Leaf()) runs the Node overload, tried
    // first, which returns the same object, a Leaf; the stub says Node unless a trace shows it.
    nb::class_<hz::Node>(m, "Node").def(nb::init<>());
    nb::class_<hz::Leaf, hz::Node>(m, "Leaf").def(nb::init<>());
    m.def("pass_through", [](hz::Node &n) -> hz::Node & { return n; },
          nb::rv_policy::reference, "node"_a);
    m.def("pass_through", [](hz::Leaf &l) -> hz::Leaf & { return l; },
          nb::rv_policy::reference, "node"_a);

    // A default before required parameters (nvFuser's rmsnorm): rms_norm(x, scale=s, eps=e)
    // runs, omitting bias.
    m.def("rms_norm",
          [](double x, std::optional<double> bias, double scale, double eps) {
              return (x + bias.value_or(0.0)) * scale + eps;
          },
          "x"_a, "bias"_a = nb::none(), "scale"_a, "eps"_a);

    // A C++ accessor named property, bound before a property: in the class body of the stub
    // it hides the builtin decorator of every later @property.
    nb::class_<hz::Registry>(m, "Registry")
        .def(nb::init<>())
        .def("property", [](const hz::Registry &r, const std::string &key) {
            return key == "name" ? r.name : std::string();
        }, "key"_a, "Look a property up by name.")
        .def_prop_ro("size", [](const hz::Registry &r) { return (int) r.name.size(); },
                     "Length of the name.");

    // A template without a binding, named with type arguments in nb::sig text (std::span).
    m.def("head_of", [](const std::vector<int> &v) { return v.empty() ? 0 : v[0]; },
          nb::sig("def head_of(values: span[int]) -> int"), "values"_a);

    // A keyword parameter named like a Python keyword.
    m.def("copy_range", [](int from, int to) { return to - from; }, "from"_a, "to"_a);

    // A default whose repr spans several lines.
    m.def("configure", [](const hz::Config &cfg) { return cfg.level; }, "cfg"_a = hz::Config());

    // A default given as text with nb::arg().sig(): it names something never imported.
    m.def("set_mode", [](int mode) { return mode; }, nb::arg("mode").sig("DEFAULT_MODE") = 0);

    // An enum default, a None default, a float default.
    m.def("run", [](hz::Mode mode, std::optional<int> limit, double scale) { return scale; },
          "mode"_a = hz::Mode::Fast, "limit"_a = nb::none(), "scale"_a = 0.5);

    // Unbound C++ types inside generics and unions.
    m.def("gather", [](const std::vector<hz::Hidden> &) { return 0; }, "items"_a);
    m.def("maybe_box", [](int) { return std::optional<hz::Box<int>>(); });

    // Keyword-only, *args and **kwargs (positional-only comes from unnamed arguments).
    m.def("mixed", [](int a, int b, nb::args args, int c, nb::kwargs kwargs) { return a + b + c; },
          "a"_a, "b"_a, "args"_a, nb::kw_only(), "c"_a = 3, "kwargs"_a);

    // numpy-style ndarray annotations, which are not Python syntax.
    m.def("points", [](nb::ndarray<float, nb::shape<-1, 3>, nb::c_contig> a) { return a.shape(0); },
          "a"_a);

    // Overloads that collapse to one Python signature.
    m.def("collapse", [](int x) { return x; });
    m.def("collapse", [](long long x) { return static_cast<int>(x); });

    // A public name with a trailing underscore, and one without any argument names.
    m.def("global_", [](int, float, bool) {}, "Documented, but its arguments are unnamed.");

    // An empty parameter name.
    m.def("empty_name", [](int v) { return v; }, nb::arg(""));

    // A multi-line nb::sig with a decorator.
    m.def("legacy", []() { return 1; },
          nb::sig("@typing_extensions.deprecated(\"gone\")\ndef legacy() -> int"));

    // C slot wrappers: __repr__, __len__, __hash__, __getitem__ with no signature types.
    nb::class_<hz::Slotted>(m, "Slotted", nb::type_slots(hz::slotted_slots)).def(nb::init<>());

    // Runtime type aliases: a public Union and a private one a signature names.
    nb::object typing = nb::module_::import_("typing");
    nb::object int_t = nb::borrow(reinterpret_cast<PyObject *>(&PyLong_Type));
    nb::object float_t = nb::borrow(reinterpret_cast<PyObject *>(&PyFloat_Type));
    m.attr("Number") = typing.attr("Union")[nb::make_tuple(int_t, float_t)];
    m.attr("_Scalar") = typing.attr("Union")[nb::make_tuple(int_t, float_t, typing.attr("Any"))];
    m.def("scale_by", [](double x) { return x; }, nb::sig("def scale_by(x: _Scalar) -> float"));

    // A private class only a public signature names (pkg._Context).
    nb::class_<hz::Context>(m, "_Context").def("__enter__", [](hz::Context &c) { return c; });
    m.def("context", []() { return hz::Context(); });

    // Classes of a sibling module the run may not cover, one that does not exist, and a
    // bool default for a class-typed parameter (an implicit conversion nb::sig spells out).
    m.def("place", [](nb::object p, nb::object) { return p; },
          nb::sig("def place(p: nbhazards.shapes.Point, q: nbhazards.shapes.Nope | None = None)"
                  " -> nbhazards.shapes.Point"),
          "p"_a, "q"_a = nb::none());
    m.def("toggle", [](nb::object flag) { return flag; },
          nb::sig("def toggle(flag: Slotted = True) -> None"), "flag"_a = true);

    // A member named like a module TypeVar (a transpose property T) hides it in the class body.
    nb::class_<hz::Matrix>(m, "Matrix")
        .def(nb::init<>())
        .def_prop_ro("T", [](const hz::Matrix &x) { return x; })
        .def("apply", [](const hz::Matrix &, nb::object v) { return v; },
             nb::sig("def apply(self, v: Generic[T], /) -> Generic[T]"));

    // In-place operator taking less than the overloaded forward operator (mypy: misc).
    nb::class_<hz::Counter>(m, "Counter")
        .def(nb::init<>())
        .def("__sub__", [](const hz::Counter &c, int v) { return hz::Counter{c.n - v}; })
        .def("__sub__", [](const hz::Counter &a, const hz::Counter &b) { return a.n - b.n; })
        .def("__isub__", [](hz::Counter &c, int v) { c.n -= v; return c; });

    // Callable's argument list without brackets, and the package's own alias (hz.) in nb::sig.
    m.def("resample", [](nb::object f) { return f; },
          nb::sig("def resample(filter: typing.Callable[float, float]) -> hz.Slotted"));

    // One argument, or a catch-all *args returning a tuple: the first overlaps the second.
    m.attr("Ts") = nb::module_::import_("typing").attr("TypeVarTuple")("Ts");
    m.def("gather_all", [](nb::object a) { return a; },
          nb::sig("def gather_all(arg: Slotted, /) -> Slotted"));
    m.def("gather_all", [](nb::args a) { return nb::tuple(a); },
          nb::sig("def gather_all(*args: *Ts) -> tuple[*Ts]"));
    m.def("spread", [](int a) { return a; });
    m.def("spread", [](nb::args a) { return nb::tuple(a); },
          nb::sig("def spread(*args: typing.Any) -> tuple[typing.Any, ...]"));

    // PEP 695 type parameters in nb::sig text, with a PEP 696 default: TypeVars in stubs.
    m.def("first", [](nb::list items) { return items[0]; },
          nb::sig("def first[T](items: list[T], /) -> T"));
    m.def("pick_or", [](nb::object value, nb::object) { return value; },
          nb::sig("def pick_or[V = int](value: V, fallback: V, /) -> V"));

    // Arrays of frameworks that may not be installed where stubs are made (torch, jax, mlx).
    m.def("to_torch", [](nb::ndarray<nb::pytorch, float, nb::ndim<1>> a) { return a.size(); }, "a"_a);
    m.def("from_jax", [](nb::ndarray<nb::jax, float> a) { return a.size(); }, "a"_a);

    // A method of a name object defines, bound to another method (islpy: __eq__ = eq): held to
    // object's signature, so written as a method of its own, with the override's ignore.
    auto version = nb::class_<hz::Version>(m, "Version")
        .def(nb::init<>())
        .def("eq", [](const hz::Version &a, const hz::Version &b) { return a.v == b.v; });
    version.attr("__eq__") = version.attr("eq");

    // PEP 695 class type parameters (and a PEP 696 default) in a class's nb::sig.
    nb::class_<hz::Holder>(m, "Holder", nb::sig("class Holder[T]"))
        .def(nb::init<>())
        .def("get", [](const hz::Holder &) { return nb::none(); },
             nb::sig("def get(self) -> T | None"));
    nb::class_<hz::Pair, hz::Base>(m, "Pair", nb::sig("class Pair[K: (int, str), W = float](Base)"));

    // Int constants of a class (no enum) named in Literal[...], as pyopencl's nb::sig does.
    nb::class_<hz::Info> info(m, "Info");
    info.attr("SIZE") = 4528;
    info.attr("NAME") = 4529;
    m.def("info", [](int key) { return key; },
          nb::sig("def info(key: typing.Literal[Info.SIZE, Info.NAME]) -> int"));

    // Two submodules each binding a class named Binary, and a function returning either (or
    // None): a union of sibling submodules' classes of one name.
    nb::module_ alpha = m.def_submodule("alpha");
    nb::class_<hz::BinA>(alpha, "Binary");
    nb::module_ beta = m.def_submodule("beta");
    nb::class_<hz::BinB>(beta, "Binary");
    m.def("load_binary", [](int which) -> std::optional<std::variant<hz::BinA, hz::BinB>> {
        if (which == 1) return hz::BinA();
        if (which == 2) return hz::BinB();
        return std::nullopt;
    }, "which"_a);

    // A bound class used with type arguments though it is not generic (nb::sig text).
    m.def("widgets", [](nb::object o) { return o; },
          nb::sig("def widgets(items: Widget[int]) -> Config[str]"));

    // A submodule with nothing in it.
    m.def_submodule("empty");

    // A submodule made with def_submodule, reached only as an attribute.
    nb::module_ sub = m.def_submodule("sub", "A def_submodule submodule.");
    sub.def("ping", []() { return std::string("pong"); }, "Reply with 'pong'.");
    nb::class_<hz::Pinger>(sub, "Pinger").def(nb::init<>());
}
