// Reading PowerShell CLIXML (Export-Clixml) values: the tags of primitive and collection values,
// element text, and the _xHHHH_ escapes PowerShell writes for characters XML cannot carry. Shared
// by the CLIXML parsers (event-clixml, healthchecker-clixml).
#pragma once

#include <string>
#include <string_view>

#include <pugixml.hpp>

namespace extriage::clixml {

// PowerShell writes characters XML cannot carry (CR, LF, control characters, and '_' before
// "x") as _xHHHH_ UTF-16 code units. Line breaks stay CRLF.
std::string decode_ps_string(std::string_view s);
// The text content of an element (its PCDATA/CDATA children), undecoded.
std::string text_of(const pugi::xml_node& n);
bool is_primitive(std::string_view tag);
bool is_collection(std::string_view tag);   // LST, IE, STK, QUE

}  // namespace extriage::clixml
