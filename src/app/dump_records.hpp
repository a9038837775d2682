// `extriage dump-records FILE`: the parser's view of a file, for golden tests and debugging.
#pragma once

#include <string>

#include "diagnostics.hpp"

namespace extriage {

std::string dump_records(const std::string& path, const std::string& parser_name, DiagSink& diags);

}  // namespace extriage
