// nbsplit._render: functions over the classes of the sibling module nbsplit._structs.
#include <nanobind/nanobind.h>
#include "split.hpp"

namespace nb = nanobind;

NB_MODULE(_render, m) {
    nb::module_::import_("nbsplit._structs");  // the classes this module's signatures name
    m.def("area", [](const sp::Rect &r) { return r.w * r.h; }, nb::arg("rect"),
          "Area of a rectangle.");
    m.def("square", [](double side) { return sp::Rect{side, side}; }, nb::arg("side"),
          "A square.");
    m.def("centre", [](const sp::Rect &r) { return sp::Point{r.w / 2, r.h / 2}; },
          nb::arg("rect"), "The centre.\r\nA raw carriage return above.");
}
