// Shared by the split modules of nbsplit: one C++ type bound in _structs, used by _render.
#pragma once
namespace sp {
struct Rect { double w = 1, h = 1; };
struct Point { double x = 0, y = 0; };
}  // namespace sp
