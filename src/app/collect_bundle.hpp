// `extriage collect`: one zip that `analyze` and `batch` read, with the server's setup and update
// logs, its event logs (exported through the event log API) and the state snapshot. Read-only on
// the server; what it cannot read is listed in the snapshot's "unreadable" and in the progress.
#pragma once

#include <functional>
#include <string>

#include "app/system_access.hpp"

namespace extriage {

struct CollectSummary {
    size_t files = 0;            // entries written to the zip (snapshot included)
    size_t skipped = 0;          // items that could not be read
    std::string error;           // non-empty: the zip could not be written
};

// Writes the bundle to `zip_path`. Layout: <SERVER>/system-state.json,
// <SERVER>/ExchangeSetupLogs/..., <SERVER>/Logging/Update/..., <SERVER>/EventLogs/<channel>.evtx.
// `progress` receives one line per step.
CollectSummary collect_bundle(SystemAccess& sys, const std::string& zip_path,
                              const std::function<void(const std::string&)>& progress);

}  // namespace extriage
