// The text reporters print strings that come from inputs (paths, member names, server names, log
// lines, facts). These functions give the reporters a view of a result in which every such string
// is escaped for a terminal (terminal_text.hpp); JSON needs none of this (it escapes by itself).
#pragma once

#include "app/analyze.hpp"
#include "app/timeline.hpp"

namespace extriage {

// `result` itself when none of its strings needs escaping (the usual case, no copy made);
// otherwise an escaped copy, stored in `storage`.
const AnalysisResult& terminal_safe(const AnalysisResult& result, AnalysisResult& storage);
const Timeline& terminal_safe(const Timeline& timeline, Timeline& storage);

}  // namespace extriage
