// Escaping for the HTML and Markdown reporters. Every value that comes from an input (log text,
// paths, facts, messages built from captures) goes through one of these before it is written:
// nothing from a log becomes markup, and no raw control character reaches the file.
#pragma once

#include <string>
#include <string_view>

namespace extriage {

// Text for an HTML text node or a quoted attribute value: printable() first (control characters
// and invalid UTF-8 shown as "\xNN"), then & < > " ' as character references.
std::string html_escape(std::string_view s);

// The URL itself when its scheme is http or https (case-insensitive) and it holds no control
// character or space; "" otherwise (javascript:, data:, file:, relative links...): such a link is
// shown as text, never made clickable.
std::string safe_link(std::string_view url);

// An id or class fragment made of [a-z0-9-] only (other bytes become '-'): for anchors.
std::string html_id(std::string_view s);

// Inline Markdown text: printable(), then what Markdown or embedded HTML would act on escaped:
// \ ` * _ [ ] | ~ ! with a backslash, < > & as entities, and a leading "#", "-", "+", "=" or
// "1." that would start a heading or list.
std::string md_escape(std::string_view s);

// A Markdown code span or fenced block that shows `s` verbatim: the fence is longer than any run
// of backticks inside. `s` goes through printable() first.
std::string md_code_span(std::string_view s);
std::string md_code_block(std::string_view s, std::string_view info = "");

}  // namespace extriage
