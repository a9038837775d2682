// The `collect` and `check` commands (kept out of main.cpp): they read the live server through
// make_local_system_access(), which exists only on Windows; elsewhere they say so.
#pragma once

#include <string>

#include "engine/engine.hpp"

namespace extriage {

// Exit codes as main.cpp: 0 done, 1 (check) the server is not ready, 2 error.
int run_collect_command(const std::string& out_zip);
int run_check_command(const std::string& target, const std::string& state_path, const RuleSet& rules);

}  // namespace extriage
