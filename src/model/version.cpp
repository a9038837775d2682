// The tool's version string, shared by the CLI and the JSON reporter.
#include "model/version.hpp"

namespace extriage {
std::string_view tool_version() { return EXTRIAGE_VERSION; }
}  // namespace extriage
