// nanobind bindings of the tiny fusion engine, shaped like a GPU fusion compiler's "direct"
// bindings: IR classes with inheritance, a Fusion, an executor cache, enums, a custom exception
// and an `ops` submodule whose overloads are stamped out by macros (unnamed arguments, the
// docstring only on the last overload), next to hand-documented numpydoc APIs.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/variant.h>
#include <nanobind/stl/vector.h>
#include <nanobind/typing.h>

#include <cstring>
#include <optional>
#include <variant>

#include "fusion.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace {

using InArray = nb::ndarray<double, nb::c_contig, nb::device::cpu>;
using OutArray = nb::ndarray<nb::numpy, double>;
// The scalar variant drags an unbound C++ type (tf::Opaque) into the signature.
using ScalarValue = std::variant<double, int64_t, bool, tf::Opaque>;

struct Fusion {
    std::shared_ptr<tf::FusionState> state = std::make_shared<tf::FusionState>();
};

// The outputs of a fusion as a generic container (class nb::sig: OutputList(Generic[T])).
struct OutputList {
    std::shared_ptr<tf::FusionState> state;
};

// TensorView's length is its rank, filled into the C slot: Python sees a bare slot wrapper.
Py_ssize_t tensor_len(PyObject *self) { return nb::inst_ptr<tf::TensorView>(self)->node().ndim; }
PyType_Slot tensor_slots[] = {{Py_mp_length, (void *) tensor_len}, {0, nullptr}};

struct SchedulerParams {
    int vectorize_factor = 1;
    int unroll_factor = 1;
    std::string tag;
};

struct FusionExecutorCache {
    std::shared_ptr<tf::FusionState> state;
    std::optional<tf::Device> device;
    int runs = 0;
};

int g_num_threads = 1;

template <typename T> T handle_of(const Fusion &f, int id) {
    T r;
    r.fusion = f.state;
    r.id = id;
    return r;
}

std::string repr_val(const tf::Val &v) {
    return "Val(" + v.name() + ")";
}

std::string repr_tv(const tf::TensorView &v) {
    return "TensorView(" + v.name() + ", ndim=" + std::to_string(v.node().ndim) + ")";
}

std::vector<OutArray> execute(FusionExecutorCache &cache, const std::vector<InArray> &inputs) {
    const tf::FusionState &f = *cache.state;
    if (f.outputs.empty())
        throw tf::FusionError("the fusion has no outputs; call Fusion.add_output() first");
    if (inputs.size() != f.inputs.size())
        throw tf::FusionError("expected " + std::to_string(f.inputs.size()) + " inputs, got " +
                              std::to_string(inputs.size()));
    std::vector<size_t> shape;
    std::vector<std::vector<double>> buffers;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const InArray &a = inputs[i];
        int declared = f.nodes[static_cast<size_t>(f.inputs[i])].ndim;
        if (static_cast<int>(a.ndim()) != declared)
            throw tf::FusionError("input " + std::to_string(i) + " has " +
                                  std::to_string(a.ndim()) + " dimensions, the fusion declares " +
                                  std::to_string(declared));
        std::vector<size_t> s(a.ndim());
        for (size_t d = 0; d < a.ndim(); ++d)
            s[d] = a.shape(d);
        if (i == 0)
            shape = s;
        else if (s != shape)
            throw tf::FusionError("input " + std::to_string(i) + " has a different shape");
        buffers.emplace_back(a.data(), a.data() + a.size());
    }
    size_t size = 1;
    for (size_t d : shape)
        size *= d;
    std::vector<std::vector<double>> results = tf::evaluate(f, buffers, size);
    cache.runs++;
    std::vector<OutArray> out;
    for (size_t o = 0; o < results.size(); ++o) {
        bool is_tensor = f.nodes[static_cast<size_t>(f.outputs[o])].is_tensor;
        auto *data = new double[results[o].size()];
        std::memcpy(data, results[o].data(), results[o].size() * sizeof(double));
        nb::capsule owner(data, [](void *p) noexcept { delete[] static_cast<double *>(p); });
        std::vector<size_t> out_shape = is_tensor ? shape : std::vector<size_t>{};
        out.emplace_back(data, out_shape.size(), out_shape.data(), owner);
    }
    return out;
}

}  // namespace

// Stamps out a unary op the way the first user's bindings do: three overloads, no argument
// names, and the docstring only on the last overload.
#define TF_UNARY_OP(NAME, DOC)                                                                 \
    ops.def(#NAME, [](double a) { return tf::apply(tf::UnaryOp::NAME, a); });                 \
    ops.def(#NAME, [](const tf::TensorView &a) {                                              \
        return tf::make_unary<tf::TensorView>(tf::UnaryOp::NAME, a);                          \
    });                                                                                        \
    ops.def(#NAME, [](const tf::Val &a) { return tf::make_unary<tf::Val>(tf::UnaryOp::NAME, a); }, \
            DOC)

// A binary op: a scalar overload and the four tensor/value combinations; the docstring, if
// any, again only on the last one.
#define TF_BINARY_OP(NAME, ...)                                                                \
    ops.def(#NAME, [](double a, double b) { return tf::apply(tf::BinaryOp::NAME, a, b); });   \
    ops.def(#NAME, [](const tf::TensorView &a, const tf::TensorView &b) {                     \
        return tf::make_binary<tf::TensorView>(tf::BinaryOp::NAME, a, b);                     \
    });                                                                                        \
    ops.def(#NAME, [](const tf::TensorView &a, const tf::Val &b) {                            \
        return tf::make_binary<tf::TensorView>(tf::BinaryOp::NAME, a, b);                     \
    });                                                                                        \
    ops.def(#NAME, [](const tf::Val &a, const tf::TensorView &b) {                            \
        return tf::make_binary<tf::TensorView>(tf::BinaryOp::NAME, a, b);                     \
    });                                                                                        \
    ops.def(#NAME, [](const tf::Val &a, const tf::Val &b) {                                   \
        return tf::make_binary<tf::Val>(tf::BinaryOp::NAME, a, b);                            \
    }, ##__VA_ARGS__)

NB_MODULE(_C, m) {
    m.doc() = "Private extension module of tinyfuser; import ``tinyfuser`` instead.";

    nb::exception<tf::FusionError>(m, "FusionError", PyExc_RuntimeError);

    nb::enum_<tf::DataType>(m, "DataType", R"doc(
Element type of a value or tensor.

The evaluator computes in double precision; the data type is metadata that
scheduling decisions read.

See Also
--------
Fusion.define_tensor : Declares a tensor input with a data type.
)doc")
        .value("Float", tf::DataType::Float, "32-bit IEEE floating point.")
        .value("Double", tf::DataType::Double, "64-bit IEEE floating point.")
        .value("Int", tf::DataType::Int, "64-bit signed integer.")
        .value("Bool", tf::DataType::Bool, "Boolean.");

    // No docstrings on the values: the first user's enums look like this.
    nb::enum_<tf::ParallelType>(m, "ParallelType")
        .value("Serial", tf::ParallelType::Serial)
        .value("BIDx", tf::ParallelType::BIDx)
        .value("TIDx", tf::ParallelType::TIDx)
        .value("Vectorize", tf::ParallelType::Vectorize)
        .value("Unroll", tf::ParallelType::Unroll);

    nb::class_<tf::Statement>(m, "Statement", "Base class of every IR object of a fusion.")
        .def_prop_ro("name", &tf::Statement::name, R"doc(
Short name of the statement inside its fusion, such as ``T0`` or ``S3``.

Returns
-------
str
    ``T`` for tensors or ``S`` for scalars, followed by the statement's index.
)doc")
        .def("same_as", [](const tf::Statement &a, const tf::Statement &b) {
            return a.fusion == b.fusion && a.id == b.id;
        });

    nb::class_<tf::Val, tf::Statement>(m, "Val", R"doc(
A scalar or tensor value computed by a fusion.

See Also
--------
TensorView : The tensor kind of value.
)doc")
        .def_prop_ro("dtype", [](const tf::Val &v) { return v.node().dtype; }, R"doc(
Element type of the value.

Returns
-------
DataType
    The data type declared for the value or inferred from its operands.
)doc")
        .def("is_tensor", [](const tf::Val &v) { return v.node().is_tensor; }, R"doc(
Tell whether the value is a tensor.

Returns
-------
bool
    True for tensors, False for scalars.

Examples
--------
>>> import tinyfuser as tf
>>> fusion = tf.Fusion()
>>> fusion.define_scalar(2.0).is_tensor()
False
)doc")
        .def("__repr__", &repr_val);

    nb::class_<tf::TensorView, tf::Val>(m, "TensorView", nb::type_slots(tensor_slots), R"doc(
A tensor value: the result of ``define_tensor`` or of an op with a tensor operand.

Examples
--------
>>> import tinyfuser as tf
>>> fusion = tf.Fusion()
>>> tv = fusion.define_tensor(2)
>>> tv.ndim
2
)doc")
        .def_prop_ro("ndim", [](const tf::TensorView &t) { return t.node().ndim; }, R"doc(
Number of dimensions of the tensor.

Returns
-------
int
    The rank declared by ``define_tensor`` or inherited from the operands.
)doc")
        .def("parallelize", [](tf::TensorView &t, int axis, tf::ParallelType kind) {
            if (axis < 0 || axis >= t.node().ndim)
                throw tf::FusionError("axis " + std::to_string(axis) + " is out of range");
            (void) kind;
            return t;
        }, "axis"_a, "kind"_a = tf::ParallelType::Serial, R"doc(
Map an axis of the tensor onto a kind of parallelism.

Parameters
----------
axis : int
    The axis to parallelize, in ``[0, ndim)``.
kind : ParallelType, optional
    The kind of parallelism; serial by default.

Returns
-------
TensorView
    The same tensor, for chaining.

Raises
------
FusionError
    If ``axis`` is out of range.

See Also
--------
ParallelType : The kinds of parallelism.

Examples
--------
>>> import tinyfuser as tf
>>> fusion = tf.Fusion()
>>> tv = fusion.define_tensor(1)
>>> tv.parallelize(0, tf.ParallelType.TIDx).ndim
1
)doc")
        .def("__repr__", &repr_tv);

    nb::class_<Fusion>(m, "Fusion", R"doc(
A container of IR: tensor inputs, the ops applied to them and the outputs.

Build a fusion by declaring inputs, applying functions of :mod:`tinyfuser.ops`
and marking outputs, then run it with a :class:`FusionExecutorCache`.

See Also
--------
FusionExecutorCache : Compiles and runs a fusion.

Examples
--------
>>> import tinyfuser as tf
>>> fusion = tf.Fusion()
>>> t0 = fusion.define_tensor(1)
>>> fusion.add_output(tf.ops.neg(t0))
>>> fusion.num_outputs
1
)doc")
        .def(nb::init<>(), "Create an empty fusion.")
        .def("define_tensor", [](Fusion &f, int ndim, tf::DataType dtype) {
            if (ndim < 0 || ndim > 8)
                throw tf::FusionError("ndim must be in [0, 8], got " + std::to_string(ndim));
            tf::Node n{tf::OpKind::Input};
            n.is_tensor = true;
            n.ndim = ndim;
            n.dtype = dtype;
            n.input_index = static_cast<int>(f.state->inputs.size());
            int id = tf::add_node(f.state, n);
            f.state->inputs.push_back(id);
            return handle_of<tf::TensorView>(f, id);
        }, "ndim"_a, "dtype"_a = tf::DataType::Double,
            nb::sig("def define_tensor(self, ndim: int, dtype: DataType = DataType.Double) -> TensorView"),
            R"doc(
Declare a tensor input of the fusion.

Parameters
----------
ndim : int
    Number of dimensions, from 0 to 8.
dtype : DataType, optional
    Element type of the input.

Returns
-------
TensorView
    The new input tensor.

Raises
------
FusionError
    If ``ndim`` is out of range.

See Also
--------
define_scalar : Declares a scalar constant.

Examples
--------
>>> import tinyfuser as tf
>>> fusion = tf.Fusion()
>>> fusion.define_tensor(3, tf.DataType.Float).ndim
3
)doc")
        .def("define_scalar", [](Fusion &f, const ScalarValue &value, std::optional<tf::DataType> dtype) {
            tf::Node n{tf::OpKind::Constant};
            if (auto *d = std::get_if<double>(&value)) {
                n.value = *d;
                n.dtype = tf::DataType::Double;
            } else if (auto *i = std::get_if<int64_t>(&value)) {
                n.value = static_cast<double>(*i);
                n.dtype = tf::DataType::Int;
            } else if (auto *b = std::get_if<bool>(&value)) {
                n.value = *b ? 1.0 : 0.0;
                n.dtype = tf::DataType::Bool;
            } else {
                throw tf::FusionError("opaque scalars cannot be evaluated");
            }
            if (dtype)
                n.dtype = *dtype;
            return handle_of<tf::Val>(f, tf::add_node(f.state, n));
        }, "value"_a, "dtype"_a = nb::none(), R"doc(
Declare a scalar constant.

Parameters
----------
value : float or int or bool
    The constant.
dtype : DataType, optional
    Overrides the data type inferred from ``value``.

Returns
-------
Val
    A scalar value usable as an operand of any op.

Examples
--------
>>> import tinyfuser as tf
>>> fusion = tf.Fusion()
>>> fusion.define_scalar(1.5).dtype is tf.DataType.Double
True
)doc")
        .def("add_output", [](Fusion &f, const tf::Val &v) {
            if (v.fusion != f.state)
                throw tf::FusionError("the value belongs to another fusion");
            f.state->outputs.push_back(v.id);
        }, "value"_a, R"doc(
Mark a value as an output of the fusion.

Parameters
----------
value : Val
    A value of this fusion.

Raises
------
FusionError
    If ``value`` belongs to another fusion.
)doc")
        .def("output_list", [](const Fusion &f) { return OutputList{f.state}; },
             nb::sig("def output_list(self) -> OutputList[Val]"), R"doc(
The outputs added so far, as a container.

Returns
-------
OutputList
    A view of the fusion's outputs.
)doc")
        .def_prop_ro("num_outputs", [](const Fusion &f) { return f.state->outputs.size(); },
                     "Number of values marked as outputs.")
        .def_prop_ro("inputs", [](const Fusion &f) {
            std::vector<tf::TensorView> r;
            for (int id : f.state->inputs)
                r.push_back(handle_of<tf::TensorView>(f, id));
            return r;
        })
        .def_prop_rw("name",
            [](const Fusion &f) { return f.state->name; },
            [](Fusion &f, std::string name) { f.state->name = std::move(name); }, R"doc(
Name of the fusion, shown by ``repr`` and in error messages.

Returns
-------
str
    The name; ``"fusion"`` unless set.
)doc")
        .def("print_math", [](const Fusion &f) { return tf::print_math(*f.state); }, R"doc(
Render the fusion's IR as text, one statement per line.

Returns
-------
str
    The IR; each line reads ``NAME = OP(OPERANDS)``.

Examples
--------
>>> import tinyfuser as tf
>>> fusion = tf.Fusion()
>>> _ = tf.ops.relu(fusion.define_tensor(1))
>>> print(fusion.print_math(), end="")
T0 = input(0)
T1 = relu(0)
)doc")
        .def("print_ir", [](const Fusion &f) { return tf::print_math(*f.state); },
             nb::sig("@typing_extensions.deprecated(\"use print_math()\")\n"
                     "def print_ir(self) -> str"),
             "Deprecated alias of print_math().")
        .def_static("supported_ops", []() {
            return std::vector<std::string>{"abs", "neg", "exp", "relu", "sqrt", "add",
                                            "sub", "mul", "div", "maximum", "where"};
        }, R"doc(
List the names of the ops in :mod:`tinyfuser.ops`.

Returns
-------
list of str
    The op names, in definition order.
)doc")
        .def("__repr__", [](const Fusion &f) {
            return "Fusion(name='" + f.state->name + "', statements=" +
                   std::to_string(f.state->nodes.size()) + ")";
        });

    nb::class_<SchedulerParams>(m, "SchedulerParams", "Tuning knobs of the pointwise scheduler.")
        .def(nb::init<>())
        .def_rw("vectorize_factor", &SchedulerParams::vectorize_factor,
                "Number of elements per vectorized load.")
        .def_rw("unroll_factor", &SchedulerParams::unroll_factor)
        .def_rw("tag", &SchedulerParams::tag);

    nb::class_<FusionExecutorCache>(m, "FusionExecutorCache", R"doc(
Compile a fusion once and run it on many inputs.

Parameters
----------
fusion : Fusion
    The fusion to run.
device : optional
    The device to run on; the CPU when omitted.

See Also
--------
Fusion : What gets compiled.
)doc")
        .def("__init__", [](FusionExecutorCache *self, const Fusion &f, std::optional<tf::Device> device) {
            new (self) FusionExecutorCache{f.state, device, 0};
        }, "fusion"_a, "device"_a = nb::none())
        .def("execute", &execute, "inputs"_a, R"doc(
Run the fusion on CPU arrays.

Parameters
----------
inputs : list of numpy.ndarray
    One float64 array per tensor input, all of one shape.

Returns
-------
list of numpy.ndarray
    One array per output, in the order of ``add_output`` calls.

Raises
------
FusionError
    If the number, rank or shape of ``inputs`` does not match the fusion.

See Also
--------
Fusion.add_output : Marks the values that ``execute`` returns.

Examples
--------
>>> import numpy as np
>>> import tinyfuser as tf
>>> fusion = tf.Fusion()
>>> t0 = fusion.define_tensor(1)
>>> fusion.add_output(tf.ops.add(tf.ops.relu(t0), fusion.define_scalar(1.0)))
>>> tf.FusionExecutorCache(fusion).execute([np.array([-2.0, 3.0])])[0]
array([1., 4.])
)doc")
        .def_prop_ro("num_runs", [](const FusionExecutorCache &c) { return c.runs; },
                     "Number of successful ``execute`` calls.")
        .def_static("clear_global_cache", []() {});

    m.def("set_num_threads", [](int n) {
        if (n < 1)
            throw tf::FusionError("the thread count must be positive");
        g_num_threads = n;
    }, "n"_a, R"doc(
Set the number of CPU threads the executor may use.

Parameters
----------
n : int
    A positive thread count.

Raises
------
FusionError
    If ``n`` is not positive.

See Also
--------
get_num_threads : Reads the setting back.

Examples
--------
>>> import tinyfuser as tf
>>> tf.set_num_threads(2)
>>> tf.get_num_threads()
2
)doc");
    m.def("get_num_threads", []() { return g_num_threads; }, R"doc(
Get the number of CPU threads the executor may use.

Returns
-------
int
    The current setting; 1 unless changed.
)doc");
    m.def("debug_dump", [](const Fusion &f, bool verbose) {
        return tf::print_math(*f.state) + (verbose ? "outputs: " + std::to_string(f.state->outputs.size()) : "");
    });
    m.attr("MAX_DIMS") = 8;

    // A runtime type alias, as packages build them for their signatures.
    nb::object typing = nb::module_::import_("typing");
    nb::object float_t = nb::borrow(reinterpret_cast<PyObject *>(&PyFloat_Type));
    nb::object int_t = nb::borrow(reinterpret_cast<PyObject *>(&PyLong_Type));
    m.attr("ScalarLike") = typing.attr("Union")[nb::make_tuple(float_t, int_t, m.attr("Val"))];

    // A generic class: its class nb::sig names the type variable T of this module.
    m.attr("T") = nb::type_var("T");
    nb::class_<OutputList>(m, "OutputList", nb::sig("class OutputList(typing.Generic[T])"),
                           "The outputs of a fusion, in the order they were added.")
        .def("__len__", [](const OutputList &l) { return l.state->outputs.size(); })
        .def("__repr__", [](const OutputList &l) {
            return "OutputList(" + std::to_string(l.state->outputs.size()) + " outputs)";
        })
        .def("at", [](const OutputList &l, size_t index) {
            if (index >= l.state->outputs.size())
                throw nb::index_error("output index out of range");
            tf::Val v;
            v.fusion = l.state;
            v.id = l.state->outputs[index];
            return v;
        }, nb::sig("def at(self, index: int) -> T"), R"doc(
The output at ``index``.

Parameters
----------
index : int
    Position of the output, in ``[0, len(self))``.

Returns
-------
Val
    The value passed to the matching ``add_output`` call.

Raises
------
IndexError
    If ``index`` is out of range.
)doc");

    // A class of a sibling Python module named in a signature.
    m.def("default_target", []() {
        return nb::module_::import_("tinyfuser.targets").attr("Target")("cpu");
    }, nb::sig("def default_target() -> tinyfuser.targets.Target"), R"doc(
The target fusions run on when none is given.

Returns
-------
tinyfuser.targets.Target
    The CPU target.
)doc");

    nb::module_ ops = m.def_submodule("ops", "Elementwise operations on values and tensors.");

    TF_UNARY_OP(abs, R"doc(
Absolute value, elementwise.

Parameters
----------
x : Val or TensorView
    The operand.

Returns
-------
Val or TensorView
    ``|x|``, of the operand's kind.
)doc");
    TF_UNARY_OP(neg, R"doc(
Negation, elementwise.

Parameters
----------
x : Val or TensorView
    The operand.

Returns
-------
Val or TensorView
    ``-x``, of the operand's kind.
)doc");
    // A malformed docstring, as found in the wild: a short underline and `name:type`.
    TF_UNARY_OP(exp, R"doc(
Exponential, elementwise.

Parameters
----------
x:Val
    The operand.

Returns
----
Val
    ``e ** x``.
)doc");
    TF_UNARY_OP(relu, R"doc(
Rectified linear unit, elementwise.

Parameters
----------
x : Val or TensorView
    The operand.

Returns
-------
Val or TensorView
    ``max(x, 0)``, of the operand's kind.

Examples
--------
>>> import tinyfuser as tf
>>> tf.ops.relu(-3.0)
0.0
)doc");
    // Google style mixed into a numpydoc code base.
    TF_UNARY_OP(sqrt, R"doc(
Square root, elementwise.

Args:
    x: The operand.

Returns:
    The square root, of the operand's kind.
)doc");

    TF_BINARY_OP(add, R"doc(
Addition, elementwise, with scalars broadcast.

Parameters
----------
x, y : Val or TensorView
    The operands.

Returns
-------
Val or TensorView
    ``x + y``; a tensor if either operand is one.
)doc");
    TF_BINARY_OP(sub, R"doc(
Subtraction, elementwise, with scalars broadcast.

Parameters
----------
x, y : Val or TensorView
    The operands.

Returns
-------
Val or TensorView
    ``x - y``; a tensor if either operand is one.
)doc");
    TF_BINARY_OP(mul, R"doc(
Multiplication, elementwise, with scalars broadcast.

Parameters
----------
x, y : Val or TensorView
    The operands.

Returns
-------
Val or TensorView
    ``x * y``; a tensor if either operand is one.
)doc");
    TF_BINARY_OP(div, "Division, elementwise.");
    TF_BINARY_OP(maximum);

    ops.def("where", &tf::make_where, "cond"_a, "x"_a, "y"_a,
            nb::sig("def where(cond: tinyfuser.Val, x: tinyfuser.Val, y: tinyfuser.Val) -> tinyfuser.TensorView"),
            R"doc(
Select elementwise between two values.

Parameters
----------
cond : Val
    Non-zero where ``x`` is taken.
x : Val
    Taken where ``cond`` is non-zero.
y : Val
    Taken elsewhere.

Returns
-------
TensorView
    The selection.

Raises
------
FusionError
    If the operands belong to different fusions.

See Also
--------
maximum : The elementwise maximum, a special case.

Examples
--------
>>> import numpy as np
>>> import tinyfuser as tf
>>> fusion = tf.Fusion()
>>> c = fusion.define_tensor(1)
>>> fusion.add_output(tf.ops.where(c, fusion.define_scalar(1.0), fusion.define_scalar(-1.0)))
>>> tf.FusionExecutorCache(fusion).execute([np.array([0.0, 5.0])])[0]
array([-1.,  1.])
)doc");
}
