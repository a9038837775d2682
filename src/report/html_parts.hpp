// Pieces of HTML shared by the analyze, timeline and batch pages: the headline, a finding with
// its facts, steps, links and evidence, badges, command blocks. Every value is escaped here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/outline.hpp"

namespace extriage {

std::string severity_badge(Level level);
std::string outcome_badge(std::string_view outcome);

// <div class="cmd"><pre><code>...</code></pre><button>Copy</button></div>
std::string command_block(std::string_view command);

// A remediation step: the prose with its commands as inline code, then each command in a block.
std::string remediation_step(std::string_view step);

// The headline box: outcome and run, cause, first step. `id` may be "" (no id attribute).
std::string headline_html(const Headline& h, std::string_view id);

// "file:line" or "file@offset", plus the record's time when known.
std::string evidence_location(const Evidence& e);

// One finding as <article class="finding f-<severity>" id="<anchor>">.
std::string finding_html(const Finding& f, FindingRole role, std::string_view anchor);

// The anchor of the n-th finding of a page ("f-3") and of a file section ("file-2").
std::string finding_anchor(std::string_view prefix, size_t n);

}  // namespace extriage
