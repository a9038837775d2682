// The rule list as text or JSON (`extriage rules list --format text|json`).
#pragma once

#include <string>
#include <string_view>

#include "engine/engine.hpp"

namespace extriage {

std::string render_rules_list(const RuleSet& rules, std::string_view format);

}  // namespace extriage
