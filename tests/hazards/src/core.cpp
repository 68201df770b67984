// nbsplit.core: a public extension whose submodule the package re-exports under an alias
// (nbsplit.syntax is nbsplit.core.syntax, as pkg.syntax is pkg.pkg.syntax in the field).
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <string>

namespace nb = nanobind;

NB_MODULE(core, m) {
    nb::module_ syntax = m.def_submodule("syntax", "Syntax helpers.");
    syntax.def("tokens", [](const std::string &text) { return text.size(); }, nb::arg("text"),
               "Count the tokens of a text.");
}
