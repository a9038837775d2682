// The tool's version string.
#pragma once
#include <string_view>

namespace extriage {
std::string_view tool_version();
}  // namespace extriage
