// nbsplit._structs: the classes, as a package split over private extension modules has them.
#include <nanobind/nanobind.h>
#include "split.hpp"

namespace nb = nanobind;

NB_MODULE(_structs, m) {
    nb::class_<sp::Rect>(m, "Rect", "A rectangle.")
        .def(nb::init<>())
        .def(nb::init<double, double>(), nb::arg("w"), nb::arg("h"))
        .def_rw("w", &sp::Rect::w)
        .def_rw("h", &sp::Rect::h);
    nb::class_<sp::Point>(m, "Point", "A point.")
        .def(nb::init<>())
        // Members named like Python keywords: a stub cannot define them.
        .def_prop_ro("global", [](const sp::Point &p) { return p.x; }, "The global x.")
        .def("lambda", [](const sp::Point &p) { return p.y; });
}
