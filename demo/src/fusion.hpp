// The tiny fusion engine behind the demo bindings: an elementwise IR and a CPU evaluator.
// Deliberately small, but real: the docstring Examples run against it.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace tf {

enum class DataType { Float, Double, Int, Bool };
enum class ParallelType { Serial, BIDx, TIDx, Vectorize, Unroll };

enum class OpKind { Input, Constant, Unary, Binary, Ternary };
enum class UnaryOp { abs, neg, exp, relu, sqrt };
enum class BinaryOp { add, sub, mul, div, maximum };

inline const char *op_name(UnaryOp op) {
    static const char *names[] = {"abs", "neg", "exp", "relu", "sqrt"};
    return names[static_cast<int>(op)];
}
inline const char *op_name(BinaryOp op) {
    static const char *names[] = {"add", "sub", "mul", "div", "maximum"};
    return names[static_cast<int>(op)];
}

inline double apply(UnaryOp op, double a) {
    switch (op) {
        case UnaryOp::abs: return std::fabs(a);
        case UnaryOp::neg: return -a;
        case UnaryOp::exp: return std::exp(a);
        case UnaryOp::relu: return a > 0 ? a : 0.0;
        case UnaryOp::sqrt: return std::sqrt(a);
    }
    return a;
}
inline double apply(BinaryOp op, double a, double b) {
    switch (op) {
        case BinaryOp::add: return a + b;
        case BinaryOp::sub: return a - b;
        case BinaryOp::mul: return a * b;
        case BinaryOp::div: return a / b;
        case BinaryOp::maximum: return a > b ? a : b;
    }
    return a;
}

/// Raised for every user error the engine detects (bad inputs, foreign values, ...).
struct FusionError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A C++-only payload with no Python binding; it leaks into signatures as a quoted name.
struct Opaque {
    void *ptr = nullptr;
};
/// A device descriptor with no Python binding either.
struct Device {
    int index = 0;
};

struct Node {
    OpKind kind;
    int op = 0;
    int a = -1, b = -1, c = -1;
    double value = 0.0;
    bool is_tensor = false;
    int ndim = 0;
    DataType dtype = DataType::Double;
    int input_index = -1;
};

struct FusionState {
    std::vector<Node> nodes;
    std::vector<int> inputs, outputs;
    std::string name = "fusion";
};

/// Any IR object: a handle into the fusion that owns it.
struct Statement {
    std::shared_ptr<FusionState> fusion;
    int id = -1;
    virtual ~Statement() = default;
    const Node &node() const { return fusion->nodes.at(static_cast<size_t>(id)); }
    std::string name() const {
        return (node().is_tensor ? "T" : "S") + std::to_string(id);
    }
};

struct Val : Statement {};
struct TensorView : Val {};

inline void same_fusion(const Statement &x, const Statement &y) {
    if (x.fusion != y.fusion)
        throw FusionError("operands belong to different fusions");
}

inline int add_node(const std::shared_ptr<FusionState> &f, Node n) {
    f->nodes.push_back(n);
    return static_cast<int>(f->nodes.size()) - 1;
}

template <typename Result> Result make_unary(UnaryOp op, const Val &x) {
    Node n{OpKind::Unary, static_cast<int>(op), x.id};
    n.is_tensor = x.node().is_tensor;
    n.ndim = x.node().ndim;
    n.dtype = x.node().dtype;
    Result r;
    r.fusion = x.fusion;
    r.id = add_node(x.fusion, n);
    return r;
}

template <typename Result> Result make_binary(BinaryOp op, const Val &x, const Val &y) {
    same_fusion(x, y);
    const Node &nx = x.node(), &ny = y.node();
    if (nx.is_tensor && ny.is_tensor && nx.ndim != ny.ndim)
        throw FusionError("rank mismatch: " + std::to_string(nx.ndim) + " vs " +
                          std::to_string(ny.ndim));
    Node n{OpKind::Binary, static_cast<int>(op), x.id, y.id};
    n.is_tensor = nx.is_tensor || ny.is_tensor;
    n.ndim = nx.is_tensor ? nx.ndim : ny.ndim;
    n.dtype = nx.dtype;
    Result r;
    r.fusion = x.fusion;
    r.id = add_node(x.fusion, n);
    return r;
}

inline TensorView make_where(const Val &cond, const Val &x, const Val &y) {
    same_fusion(cond, x);
    same_fusion(x, y);
    Node n{OpKind::Ternary, 0, cond.id, x.id, y.id};
    n.is_tensor = true;
    for (const Val *v : {&cond, &x, &y})
        if (v->node().is_tensor)
            n.ndim = v->node().ndim;
    TensorView r;
    r.fusion = x.fusion;
    r.id = add_node(x.fusion, n);
    return r;
}

/// Evaluates every output of `f` over flat input buffers of one common size.
inline std::vector<std::vector<double>>
evaluate(const FusionState &f, const std::vector<std::vector<double>> &inputs, size_t size) {
    std::vector<std::vector<double>> values(f.nodes.size());
    for (size_t i = 0; i < f.nodes.size(); ++i) {
        const Node &n = f.nodes[i];
        std::vector<double> &out = values[i];
        auto at = [&](int id, size_t k) {
            const std::vector<double> &v = values[static_cast<size_t>(id)];
            return v.size() == 1 ? v[0] : v[k];
        };
        size_t len = n.is_tensor ? size : 1;
        out.resize(len);
        for (size_t k = 0; k < len; ++k) {
            switch (n.kind) {
                case OpKind::Input: out[k] = inputs[static_cast<size_t>(n.input_index)][k]; break;
                case OpKind::Constant: out[k] = n.value; break;
                case OpKind::Unary: out[k] = apply(static_cast<UnaryOp>(n.op), at(n.a, k)); break;
                case OpKind::Binary:
                    out[k] = apply(static_cast<BinaryOp>(n.op), at(n.a, k), at(n.b, k));
                    break;
                case OpKind::Ternary: out[k] = at(n.a, k) != 0.0 ? at(n.b, k) : at(n.c, k); break;
            }
        }
    }
    std::vector<std::vector<double>> result;
    for (int id : f.outputs)
        result.push_back(values[static_cast<size_t>(id)]);
    return result;
}

inline std::string print_math(const FusionState &f) {
    std::ostringstream os;
    for (size_t i = 0; i < f.nodes.size(); ++i) {
        const Node &n = f.nodes[i];
        os << (n.is_tensor ? "T" : "S") << i << " = ";
        switch (n.kind) {
            case OpKind::Input: os << "input(" << n.input_index << ")"; break;
            case OpKind::Constant: os << n.value; break;
            case OpKind::Unary: os << op_name(static_cast<UnaryOp>(n.op)) << "(" << n.a << ")"; break;
            case OpKind::Binary:
                os << op_name(static_cast<BinaryOp>(n.op)) << "(" << n.a << ", " << n.b << ")";
                break;
            case OpKind::Ternary: os << "where(" << n.a << ", " << n.b << ", " << n.c << ")"; break;
        }
        os << "\n";
    }
    return os.str();
}

}  // namespace tf
