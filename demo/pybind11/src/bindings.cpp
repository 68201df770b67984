// pybind11 bindings of the demo's fusion engine: the twin of part of demo/src/bindings.cpp
// (nanobind), with the same names and docstrings where the bindings are the same. pybind11
// writes what nanobind would: classes of the pybind11_type metaclass, a classic py::enum_ and a
// py::native_enum, an exception from py::register_exception, an `ops` submodule whose
// macro-stamped overloads have no argument names (arg0) and the docstring on the last
// overload only, C++ types without a binding (tf::Opaque, tf::Device) and a default value
// that only has an object repr.
#include <pybind11/functional.h>
#include <pybind11/native_enum.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <optional>
#include <variant>

#include "fusion.hpp"

namespace py = pybind11;
using namespace py::literals;

namespace {

using ScalarValue = std::variant<double, int64_t, bool, tf::Opaque>;

struct Fusion {
    std::shared_ptr<tf::FusionState> state = std::make_shared<tf::FusionState>();
};

struct SchedulerParams {
    int vectorize_factor = 1;
    int unroll_factor = 1;
    std::string tag;
};

struct FusionExecutorCache {
    // A class-level setting (def_readwrite_static): read and assigned on the class.
    static int cache_limit;
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

std::vector<std::vector<double>> execute(FusionExecutorCache &cache,
                                         const std::vector<std::vector<double>> &inputs) {
    const tf::FusionState &f = *cache.state;
    if (f.outputs.empty())
        throw tf::FusionError("the fusion has no outputs; call Fusion.add_output() first");
    if (inputs.size() != f.inputs.size())
        throw tf::FusionError("expected " + std::to_string(f.inputs.size()) + " inputs, got " +
                              std::to_string(inputs.size()));
    size_t size = inputs.empty() ? 1 : inputs[0].size();
    for (const auto &in : inputs)
        if (in.size() != size)
            throw tf::FusionError("the inputs have different lengths");
    cache.runs++;
    return tf::evaluate(f, inputs, size);
}

}  // namespace

// Eigen's type caster (pybind11/eigen.h) writes its shape and flags as Annotated metadata:
// strings such as "[3, 1]" and "flags.writeable" that are neither types nor C++ names. These
// two casters write exactly what it writes, without needing Eigen.
namespace {
struct Vec3 {
    double x = 0, y = 0, z = 0;
};
struct WritableMatrix {
    py::object array;
};
}  // namespace

namespace pybind11::detail {
template <> struct type_caster<Vec3> {
    PYBIND11_TYPE_CASTER(
        Vec3, io_name("typing.Annotated[numpy.typing.ArrayLike, numpy.float64, \"[3, 1]\"]",
                      "typing.Annotated[numpy.typing.NDArray[numpy.float64], \"[3, 1]\"]"));
    bool load(handle src, bool) {
        if (!isinstance<sequence>(src) || isinstance<str>(src))
            return false;
        auto items = reinterpret_borrow<sequence>(src);
        if (items.size() != 3)
            return false;
        try {
            value = {items[0].cast<double>(), items[1].cast<double>(), items[2].cast<double>()};
        } catch (const cast_error &) {
            return false;
        }
        return true;
    }
    static handle cast(const Vec3 &v, return_value_policy, handle) {
        return module_::import("numpy").attr("array")(make_tuple(v.x, v.y, v.z)).release();
    }
};
template <> struct type_caster<WritableMatrix> {
    PYBIND11_TYPE_CASTER(WritableMatrix,
                         const_name("typing.Annotated[numpy.typing.NDArray[numpy.float64], "
                                    "\"[m, n]\", \"flags.writeable\"]"));
    bool load(handle src, bool) {
        if (!hasattr(src, "ndim") || src.attr("ndim").cast<int>() != 2 ||
            !src.attr("flags").attr("writeable").cast<bool>())
            return false;
        value.array = reinterpret_borrow<object>(src);
        return true;
    }
};
}  // namespace pybind11::detail

// Stamps out a unary op as the nanobind demo does: three overloads, no argument names, and
// the docstring only on the last overload.
#define PF_UNARY_OP(NAME, DOC)                                                                 \
    ops.def(#NAME, [](double a) { return tf::apply(tf::UnaryOp::NAME, a); });                 \
    ops.def(#NAME, [](const tf::TensorView &a) {                                              \
        return tf::make_unary<tf::TensorView>(tf::UnaryOp::NAME, a);                          \
    });                                                                                        \
    ops.def(#NAME, [](const tf::Val &a) { return tf::make_unary<tf::Val>(tf::UnaryOp::NAME, a); }, \
            DOC)

#define PF_BINARY_OP(NAME, ...)                                                                \
    ops.def(#NAME, [](double a, double b) { return tf::apply(tf::BinaryOp::NAME, a, b); });   \
    ops.def(#NAME, [](const tf::TensorView &a, const tf::TensorView &b) {                     \
        return tf::make_binary<tf::TensorView>(tf::BinaryOp::NAME, a, b);                     \
    });                                                                                        \
    ops.def(#NAME, [](const tf::Val &a, const tf::Val &b) {                                   \
        return tf::make_binary<tf::Val>(tf::BinaryOp::NAME, a, b);                            \
    }, ##__VA_ARGS__)

int FusionExecutorCache::cache_limit = 8;

PYBIND11_MODULE(pyfuser, m) {
    m.doc() = "The pybind11 twin of tinyfuser: a miniature elementwise fusion compiler.";

    py::register_exception<tf::FusionError>(m, "FusionError", PyExc_RuntimeError);

    // py::arithmetic(): the members also take the bitwise and ordering operators.
    py::enum_<tf::DataType>(m, "DataType", py::arithmetic(), R"doc(
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

    // pybind11 3's native enum: a real enum.Enum subclass, no docstrings on the values.
    py::native_enum<tf::ParallelType>(m, "ParallelType", "enum.Enum")
        .value("Serial", tf::ParallelType::Serial)
        .value("BIDx", tf::ParallelType::BIDx)
        .value("TIDx", tf::ParallelType::TIDx)
        .value("Vectorize", tf::ParallelType::Vectorize)
        .value("Unroll", tf::ParallelType::Unroll)
        .finalize();

    py::class_<tf::Statement>(m, "Statement", "Base class of every IR object of a fusion.")
        .def_property_readonly("name", &tf::Statement::name, R"doc(
Short name of the statement inside its fusion, such as ``T0`` or ``S3``.

Returns
-------
str
    ``T`` for tensors or ``S`` for scalars, followed by the statement's index.
)doc")
        .def("same_as", [](const tf::Statement &a, const tf::Statement &b) {
            return a.fusion == b.fusion && a.id == b.id;
        });

    py::class_<tf::Val, tf::Statement>(m, "Val", R"doc(
A scalar or tensor value computed by a fusion.

See Also
--------
TensorView : The tensor kind of value.
)doc")
        .def_property_readonly("dtype", [](const tf::Val &v) { return v.node().dtype; }, R"doc(
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
>>> import pyfuser as pf
>>> fusion = pf.Fusion()
>>> fusion.define_scalar(2.0).is_tensor()
False
)doc");

    py::class_<tf::TensorView, tf::Val>(m, "TensorView", R"doc(
A tensor value: the result of ``define_tensor`` or of an op with a tensor operand.

Examples
--------
>>> import pyfuser as pf
>>> fusion = pf.Fusion()
>>> tv = fusion.define_tensor(2)
>>> tv.ndim
2
)doc")
        .def_property_readonly("ndim", [](const tf::TensorView &t) { return t.node().ndim; }, R"doc(
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
>>> import pyfuser as pf
>>> fusion = pf.Fusion()
>>> tv = fusion.define_tensor(1)
>>> tv.parallelize(0, pf.ParallelType.TIDx).ndim
1
)doc");

    py::class_<Fusion>(m, "Fusion", R"doc(
A container of IR: tensor inputs, the ops applied to them and the outputs.

Build a fusion by declaring inputs, applying functions of :mod:`pyfuser.ops`
and marking outputs, then run it with a :class:`FusionExecutorCache`.

See Also
--------
FusionExecutorCache : Compiles and runs a fusion.

Examples
--------
>>> import pyfuser as pf
>>> fusion = pf.Fusion()
>>> t0 = fusion.define_tensor(1)
>>> fusion.add_output(pf.ops.neg(t0))
>>> fusion.num_outputs
1
)doc")
        .def(py::init<>(), "Create an empty fusion.")
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
        }, "ndim"_a, "dtype"_a = tf::DataType::Double, R"doc(
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
>>> import pyfuser as pf
>>> fusion = pf.Fusion()
>>> fusion.define_tensor(3, pf.DataType.Float).ndim
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
        }, "value"_a, "dtype"_a = py::none(), R"doc(
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
>>> import pyfuser as pf
>>> fusion = pf.Fusion()
>>> fusion.define_scalar(1.5).dtype == pf.DataType.Double
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
        .def_property_readonly("num_outputs", [](const Fusion &f) { return f.state->outputs.size(); },
                               "Number of values marked as outputs.")
        .def_property_readonly("inputs", [](const Fusion &f) {
            std::vector<tf::TensorView> r;
            for (int id : f.state->inputs)
                r.push_back(handle_of<tf::TensorView>(f, id));
            return r;
        })
        .def_property("name",
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
)doc")
        .def_static("supported_ops", []() {
            return std::vector<std::string>{"abs", "neg", "exp", "relu", "sqrt", "add",
                                            "sub", "mul", "div", "maximum", "where"};
        }, R"doc(
List the names of the ops in :mod:`pyfuser.ops`.

Returns
-------
list of str
    The op names, in definition order.
)doc")
        .def("__repr__", [](const Fusion &f) {
            return "Fusion(name='" + f.state->name + "', statements=" +
                   std::to_string(f.state->nodes.size()) + ")";
        });

    // Defined before SchedulerParams is bound: pybind11 writes the C++ name in the signature.
    m.def("default_scheduler_params", []() { return SchedulerParams(); }, R"doc(
The scheduler's tuning knobs as they are before any change.

Returns
-------
SchedulerParams
    A fresh set of knobs.
)doc");

    py::class_<SchedulerParams>(m, "SchedulerParams", "Tuning knobs of the pointwise scheduler.")
        .def(py::init<>())
        .def_readwrite("vectorize_factor", &SchedulerParams::vectorize_factor,
                       "Number of elements per vectorized load.")
        .def_readwrite("unroll_factor", &SchedulerParams::unroll_factor)
        .def_readwrite("tag", &SchedulerParams::tag)
        // A named operand: Python takes params.__eq__(other=...), mypy reads it positional-only.
        .def("__eq__", [](const SchedulerParams &a, const SchedulerParams &b) {
            return a.vectorize_factor == b.vectorize_factor &&
                   a.unroll_factor == b.unroll_factor && a.tag == b.tag;
        }, "other"_a, "Whether both hold the same knobs.");

    py::class_<FusionExecutorCache>(m, "FusionExecutorCache", R"doc(
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
        .def(py::init([](const Fusion &f, std::optional<tf::Device> device) {
            return FusionExecutorCache{f.state, device, 0};
        }), "fusion"_a, "device"_a = py::none())
        .def("execute", &execute, "inputs"_a, R"doc(
Run the fusion on lists of floats.

Parameters
----------
inputs : list of list of float
    One list per tensor input, all of one length.

Returns
-------
list of list of float
    One list per output, in the order of ``add_output`` calls.

Raises
------
FusionError
    If the number or length of ``inputs`` does not match the fusion.

See Also
--------
Fusion.add_output : Marks the values that ``execute`` returns.

Examples
--------
>>> import pyfuser as pf
>>> fusion = pf.Fusion()
>>> t0 = fusion.define_tensor(1)
>>> fusion.add_output(pf.ops.relu(t0))
>>> pf.FusionExecutorCache(fusion).execute([[-2.0, 3.0]])
[[0.0, 3.0]]
)doc")
        .def("schedule", [](FusionExecutorCache &, const SchedulerParams &params) {
            return params.vectorize_factor * params.unroll_factor;
        }, "params"_a = SchedulerParams(), R"doc(
Choose the launch parameters of the next run.

Parameters
----------
params : SchedulerParams, optional
    Tuning knobs; the defaults when omitted.

Returns
-------
int
    The number of elements each thread handles.
)doc")
        .def_property_readonly("num_runs", [](const FusionExecutorCache &c) { return c.runs; },
                               "Number of successful ``execute`` calls.")
        .def_static("clear_global_cache", []() {})
        .def_readwrite_static("cache_limit", &FusionExecutorCache::cache_limit,
                              "How many compiled fusions the cache keeps.");

    m.def("unit", [](const Vec3 &v) {
        double n = std::sqrt(v.x * v.x + v.y * v.y + v.z * v.z);
        if (n == 0)
            throw tf::FusionError("the zero vector has no direction");
        return Vec3{v.x / n, v.y / n, v.z / n};
    }, "v"_a, R"doc(
Scale a 3-vector to unit length.

Parameters
----------
v : array_like
    Three numbers.

Returns
-------
numpy.ndarray
    ``v`` divided by its length.
)doc");
    m.def("scale_in_place", [](const WritableMatrix &matrix, double factor) {
        matrix.array.attr("__imul__")(factor);
    }, "matrix"_a, "factor"_a, R"doc(
Multiply a matrix by a number, in place.

Parameters
----------
matrix : numpy.ndarray
    A writable two-dimensional float64 array.
factor : float
    The multiplier.
)doc");

    // pybind11 writes "cb: Callable[[], None] = None": the None default must widen a type
    // of another module (collections.abc), not only a class of this one.
    m.def("on_done", [](const std::function<void()> &cb) {
        if (cb)
            cb();
    }, "cb"_a = py::none(), R"doc(
Run a callback once the pending work is done.

Parameters
----------
cb : callable, optional
    Called with no arguments; nothing runs when omitted.
)doc");

    m.def("build_info", []() -> py::object {
        py::dict info;
        info["threads"] = g_num_threads;
        info["compiler"] = "pybind11";
        return std::move(info);
    }, R"doc(
Describe how the module was built.

Returns
-------
dict
    ``threads`` and ``compiler``; typed ``py::object`` in the binding.
)doc");

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
>>> import pyfuser as pf
>>> pf.set_num_threads(2)
>>> pf.get_num_threads()
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

    py::module_ ops = m.def_submodule("ops", "Elementwise operations on values and tensors.");

    PF_UNARY_OP(abs, R"doc(
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
    PF_UNARY_OP(neg, R"doc(
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
    PF_UNARY_OP(relu, R"doc(
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
>>> import pyfuser as pf
>>> pf.ops.relu(-3.0)
0.0
)doc");
    PF_BINARY_OP(add, R"doc(
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
    PF_BINARY_OP(div, "Division, elementwise.");
    PF_BINARY_OP(maximum);

    ops.def("where", &tf::make_where, "cond"_a, "x"_a, "y"_a, R"doc(
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
>>> import pyfuser as pf
>>> fusion = pf.Fusion()
>>> c = fusion.define_tensor(1)
>>> fusion.add_output(pf.ops.where(c, fusion.define_scalar(1.0), fusion.define_scalar(-1.0)))
>>> pf.FusionExecutorCache(fusion).execute([[0.0, 5.0]])
[[-1.0, 1.0]]
)doc");

    // The shape of nvFuser's direct bindings: a submodule bound with function signatures
    // disabled, so __doc__ carries the docstring alone. Operands unnamed while the docstring
    // names them (lhs, rhs), an op with three overloads whose docstring documents one, and
    // an op with no docstring at all.
    {
        py::options options;
        options.disable_function_signatures();
        py::module_ direct = m.def_submodule(
            "direct", "Ops bound with function signatures disabled, as nvFuser's direct ops are.");
        direct.def("add", [](double a, double b) { return a + b; });
        direct.def("add", [](const tf::Val &a, const tf::Val &b) {
            return tf::make_binary<tf::Val>(tf::BinaryOp::add, a, b);
        }, R"doc(
Add two operands.

Parameters
----------
lhs : Val or float
    The left operand.
rhs : Val or float
    The right operand.

Returns
-------
Val or float
    ``lhs + rhs``.
)doc");
        direct.def("total", [](const std::vector<double> &x) {
            double s = 0;
            for (double v : x) s += v;
            return s;
        }, "x"_a, R"doc(
Sum of the elements.

Parameters
----------
x : list of float
    The values.
dim : int, optional
    The dimension to reduce.

Returns
-------
float
    The sum.
)doc");
        direct.def("total", [](const std::vector<double> &x, int dim, bool keepdim) {
            double s = 0;
            for (double v : x) s += v;
            return std::vector<double>(keepdim ? 1 : 0, s + dim * 0.0);
        }, "x"_a, "dim"_a, "keepdim"_a = false);
        direct.def("total", [](const std::vector<double> &x, const std::vector<int> &dims,
                               bool keepdim) {
            double s = 0;
            for (double v : x) s += v;
            return std::vector<double>(keepdim ? dims.size() : 0, s);
        }, "x"_a, "dims"_a, "keepdim"_a = false);
        direct.def("square", [](double x) { return x * x; }, "x"_a);
    }
}
