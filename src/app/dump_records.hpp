// `extriage dump-records FILE`: the parser's view of a file, for golden tests and debugging.
#pragma once

#include <cstdio>
#include <string>

#include "diagnostics.hpp"

namespace extriage {

// Streams the records to `to` as the parser emits them (nothing is buffered per file).
void dump_records(const std::string& path, const std::string& parser_name, DiagSink& diags, std::FILE* to);

}  // namespace extriage
