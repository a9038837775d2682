// Records of a SystemState, the same whichever parser read it (system-state, healthchecker-clixml).
// One record per item; `kind` names the item and `text` is "<kind>: key=value; key=value" with the
// keys in a fixed order per kind (rules/README.md, "State records"), so rules can anchor patterns.
#pragma once

#include <string>
#include <string_view>

#include "diagnostics.hpp"
#include "record.hpp"
#include "system_state_model.hpp"

namespace extriage {

// Emits the records of `state` for the file at `path` read by `parser` (on_file_begin/end are the
// caller's). `source` says where the state came from: "snapshot" or "healthchecker".
void emit_state_records(const SystemState& state, std::string_view source, std::string_view path,
                        std::string_view parser, RecordSink& sink);

}  // namespace extriage
