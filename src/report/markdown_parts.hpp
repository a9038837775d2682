// Markdown pieces shared by the analyze and batch Markdown reports.
#pragma once

#include <string>
#include <string_view>

#include "report/outline.hpp"

namespace extriage {

std::string upper_ascii(std::string s);
// A remediation step with its commands as code spans, the rest escaped.
std::string md_step(std::string_view step);
// The headline as up to three lines ending in a hard break.
std::string md_headline(const Headline& h);
// [title](<url>) for http(s) links; title and the URL as code otherwise.
std::string md_link(const Link& link);

}  // namespace extriage
