// See clixml_text.hpp.
#include "clixml_text.hpp"

#include <cstdlib>

#include "decode.hpp"

namespace extriage::clixml {

namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

std::string decode_ps_string(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    auto unit_at = [&](size_t i, unsigned& u) {
        if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return false;
        for (size_t k = i + 2; k < i + 6; ++k)
            if (!is_hex(s[k])) return false;
        u = static_cast<unsigned>(std::strtoul(std::string(s.substr(i + 2, 4)).c_str(), nullptr, 16));
        return true;
    };
    for (size_t i = 0; i < s.size();) {
        unsigned u = 0;
        if (!unit_at(i, u)) {
            out.push_back(s[i++]);
            continue;
        }
        i += 7;
        if (u >= 0xD800 && u < 0xDC00) {
            unsigned lo = 0;
            if (unit_at(i, lo) && lo >= 0xDC00 && lo < 0xE000) {
                i += 7;
                extriage::append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
            } else {
                extriage::append_utf8(out, 0xFFFD);
            }
        } else if (u >= 0xDC00 && u < 0xE000) {
            extriage::append_utf8(out, 0xFFFD);
        } else {
            extriage::append_utf8(out, u);
        }
    }
    return out;
}

std::string text_of(const pugi::xml_node& n) {
    std::string out;
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
    return out;
}

bool is_primitive(std::string_view tag) {
    static constexpr std::string_view kTags[] = {"S",  "C",   "B",  "DT", "TS", "By", "SB", "U16", "I16", "U32", "I32",
                                                 "U64", "I64", "Sg", "Db", "D",  "BA", "G",  "URI", "Version", "XD",
                                                 "SBK", "SS"};
    for (auto t : kTags)
        if (t == tag) return true;
    return false;
}

bool is_collection(std::string_view tag) { return tag == "LST" || tag == "IE" || tag == "STK" || tag == "QUE"; }


}  // namespace extriage::clixml
