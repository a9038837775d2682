// JSON pieces shared by the JSON reporters (analysis and timeline).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "diagnostics.hpp"

namespace extriage {

// One element of the "diagnostics" array.
nlohmann::ordered_json diagnostic_json(const Diagnostic& diag);
// The "diagnostics" array: severity, file, line/column/offset when known, message, origin.
nlohmann::ordered_json diagnostics_json(const std::vector<Diagnostic>& diags);

}  // namespace extriage
