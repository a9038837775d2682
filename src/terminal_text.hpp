// Text that came from inputs (log lines, member names, server names) made safe to print. A log
// can carry escape sequences that a terminal would obey: OSC 52 writes the clipboard, CSI 2J
// clears the screen, a CR overwrites the line, a newline forges a diagnostic line, bidi controls
// reorder what is shown. Everything a terminal could act on is shown as a visible escape instead.
#pragma once

#include <string>
#include <string_view>

namespace extriage {

// True when escape_for_terminal(s) would differ from s.
bool needs_terminal_escape(std::string_view s);

// C0 controls (TAB, LF and CR included), DEL, C1 controls (U+0080-U+009F), the bidi and
// invisible-format controls (U+061C, U+200B-U+200F, U+202A-U+202E, U+2060-U+2069, U+FEFF) and bytes
// that are not valid UTF-8 become "\t", "\n", "\r", "\x1b", "\u009b", "\u202e", "\xff"...;
// everything else (printable UTF-8, a backslash) is kept as it is.
std::string escape_for_terminal(std::string_view s);

// Escapes s in place; leaves it untouched (and does not allocate) when nothing needs escaping.
void escape_for_terminal_in_place(std::string& s);

// A JSON document as nlohmann dumps it escapes C0 controls but writes DEL, C1 and bidi controls
// raw: this rewrites them as \u escapes (the same JSON value, safe to print). Returns the count.
size_t escape_json_controls(std::string& json);

// A spreadsheet cell: a value starting with '=', '+', '-', '@', TAB or CR is a formula to Excel
// and LibreOffice; it gets a leading apostrophe (OWASP's advice against CSV injection).
std::string defuse_csv_formula(std::string_view cell);

}  // namespace extriage
